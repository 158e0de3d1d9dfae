import { describe, expect, it } from 'vitest';
import { scopeToWorkspace, writeGeneratedCodes } from '@codetrack/db';
import { useWorkerTestContext } from '../../test/helpers.ts';
import { runBulkJobRow } from './run-bulk-job.ts';

const ctx = useWorkerTestContext();

async function setup() {
  const f = ctx.factories;
  const ws = await f.workspace();
  const program = await f.program({ workspaceId: ws.id });
  const coupon = await f.coupon({ workspaceId: ws.id, programId: program.id });
  const partners = [];
  for (const firstName of ['Ann', 'Bob', 'Cat']) partners.push(await f.partner({ workspaceId: ws.id, programId: program.id, firstName, name: firstName }));
  return { ws, program, coupon, partners };
}

const noRestrictions = { firstTimeOnly: false, minimumAmount: null, minimumAmountCurrency: null, expiresAt: null, maxRedemptions: null };

describe('writing generated codes', () => {
  it('writes nothing when one code of the batch is taken (all or nothing)', async () => {
    const { ws, coupon, partners } = await setup();
    await ctx.factories.promotionCode({ workspaceId: ws.id, programId: coupon.programId, couponId: coupon.id, code: 'CAT20' });
    const tenant = scopeToWorkspace(ctx.db, ws.id);
    await expect(
      writeGeneratedCodes(tenant, {
        workspaceId: ws.id,
        coupon,
        codes: [
          { partnerId: partners[0]!.id, code: 'ANN20' },
          { partnerId: partners[1]!.id, code: 'BOB20' },
          { partnerId: partners[2]!.id, code: 'CAT20' },
        ],
        restrictions: noRestrictions,
        connectionIds: [],
      }),
    ).rejects.toThrow();
    expect(await ctx.db.promotionCode.count({ where: { workspaceId: ws.id } })).toBe(1);
    expect(await ctx.db.promotionCodeAssignment.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it('marks the job failed with the reason on its last attempt, and done back to 0', async () => {
    const { ws, program } = await setup();
    const job = await ctx.factories.bulkJob({ workspaceId: ws.id, programId: program.id, params: { couponId: 'cpn_missing', pattern: '{FIRSTNAME}', partners: {}, restrictions: {}, seed: 's' } });
    await expect(runBulkJobRow({ db: ctx.db, jobs: ctx.jobs, logger: ctx.logger, bulkJobId: job.id })).rejects.toThrow(/no longer exists/);
    const row = await ctx.db.bulkJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: 'failed', done: 0, error: expect.stringContaining('cpn_missing') });
  });

  it('runs a generation job to completion and reports the result', async () => {
    const { ws, program, coupon } = await setup();
    const job = await ctx.factories.bulkJob({ workspaceId: ws.id, programId: program.id, params: { couponId: coupon.id, pattern: '{FIRSTNAME}{AMOUNT}', partners: {}, restrictions: {}, seed: 's' } });
    await runBulkJobRow({ db: ctx.db, jobs: ctx.jobs, logger: ctx.logger, bulkJobId: job.id });
    const row = await ctx.db.bulkJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: 'completed', total: 3, done: 3, failed: 0 });
    const codes = await ctx.db.promotionCode.findMany({ where: { couponId: coupon.id }, orderBy: { normalizedCode: 'asc' } });
    expect(codes.map((c) => c.normalizedCode)).toEqual(['ANN20', 'BOB20', 'CAT20']);
  });
});
