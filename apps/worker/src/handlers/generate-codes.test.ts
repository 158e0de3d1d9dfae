import { describe, expect, it } from 'vitest';
import { generateCodesForPartners } from '@codetrack/core';
import { countGenerationTargets, generateCodesInPages, scopeToWorkspace, writeGeneratedCodes } from '@codetrack/db';
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

  it('pages through partners and gives exactly the codes of the one-shot generator, then skips them on a re-run', async () => {
    const f = ctx.factories;
    const ws = await f.workspace();
    const program = await f.program({ workspaceId: ws.id });
    const coupon = await f.coupon({ workspaceId: ws.id, programId: program.id });
    const names = ['Ann', 'Bob', 'Ann', 'Cat', 'Ann', 'Bob', 'Dan', 'Ann', 'Eve', 'Bob', 'Ann', 'Cat', 'Ann'];
    for (const firstName of names) await f.partner({ workspaceId: ws.id, programId: program.id, firstName, name: firstName });
    await f.promotionCode({ workspaceId: ws.id, programId: program.id, couponId: (await f.coupon({ workspaceId: ws.id, programId: program.id })).id, code: 'ANN20' });
    const tenant = scopeToWorkspace(ctx.db, ws.id);
    const partners = await ctx.db.partner.findMany({ where: { programId: program.id }, orderBy: { id: 'asc' } });
    const expected = generateCodesForPartners({ pattern: '{FIRSTNAME}{AMOUNT}', partners, amountLabel: '20', taken: new Set(['ANN20']), seed: 'paging' });
    expect(expected.collisions.length).toBeGreaterThan(0);

    const run = async () =>
      generateCodesInPages(tenant, {
        workspaceId: ws.id,
        coupon,
        pattern: '{FIRSTNAME}{AMOUNT}',
        partners: {},
        seed: 'paging',
        partnerCount: (await countGenerationTargets(tenant, { coupon, partners: {} })).todo,
        restrictions: noRestrictions,
        connectionIds: [],
        pageSize: 4,
      });
    const first = await run();
    expect(first).toMatchObject({ created: names.length, collisions: expected.collisions.length, failures: [] });
    const written = await ctx.db.promotionCode.findMany({ where: { couponId: coupon.id }, select: { partnerId: true, normalizedCode: true } });
    expect(new Map(written.map((c) => [c.partnerId, c.normalizedCode]))).toEqual(new Map(expected.results.map((r) => [r.partnerId, r.code])));

    const again = await run();
    expect(again).toMatchObject({ created: 0, collisions: 0 });
    expect(await ctx.db.promotionCode.count({ where: { couponId: coupon.id } })).toBe(names.length);
  });
});
