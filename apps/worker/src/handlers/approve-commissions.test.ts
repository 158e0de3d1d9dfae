import { describe, expect, it } from 'vitest';
import { useWorkerTestContext } from '../../test/helpers.ts';
import { approveCommissions } from './approve-commissions.ts';

const ctx = useWorkerTestContext();

describe('scheduled commission approval', () => {
  it('approves pending earnings past their hold, but not held ones nor those of refunded or cancelled sales', async () => {
    const f = ctx.factories;
    const ws = await f.workspace();
    const program = await f.program({ workspaceId: ws.id });
    const partner = await f.partner({ workspaceId: ws.id, programId: program.id });
    const connection = await f.connection({ workspaceId: ws.id, programId: program.id });
    const now = new Date('2026-06-01T00:00:00Z');
    const past = new Date('2026-05-31T23:59:59Z');
    const earningFor = async (status: 'paid' | 'partially_refunded' | 'refunded' | 'cancelled', holdUntil: Date) => {
      const sale = await f.sale({ workspaceId: ws.id, programId: program.id, connectionId: connection.id, status });
      return f.commission({ workspaceId: ws.id, programId: program.id, saleId: sale.id, partnerId: partner.id, holdUntil });
    };
    const due = await earningFor('paid', past);
    const exactlyNow = await earningFor('partially_refunded', now);
    const held = await earningFor('paid', new Date('2026-06-01T00:00:01Z'));
    const refunded = await earningFor('refunded', past);
    const cancelled = await earningFor('cancelled', past);

    expect(await approveCommissions({ db: ctx.db, now })).toEqual({ approved: 2 });
    const status = async (id: string) => (await ctx.db.commission.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(due.id)).toBe('approved');
    expect(await status(exactlyNow.id)).toBe('approved');
    expect(await status(held.id)).toBe('pending');
    expect(await status(refunded.id)).toBe('pending');
    expect(await status(cancelled.id)).toBe('pending');
    expect((await ctx.db.commission.findUniqueOrThrow({ where: { id: due.id } })).approvedAt).toEqual(now);
    expect(await approveCommissions({ db: ctx.db, now })).toEqual({ approved: 0 });
  });
});
