import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgramFor, signUpMerchant, startTestWorker, useTestApp } from '../../../test/helpers.ts';

const ctx = useTestApp();
let stopWorker: () => Promise<void>;
beforeAll(async () => {
  stopWorker = await startTestWorker(ctx);
});
afterAll(async () => stopWorker?.());

async function setup(names: [string, string][]) {
  const m = await signUpMerchant(ctx.app);
  const program = await createProgramFor(ctx.app, m);
  const stripe = await ctx.factories.connection({ workspaceId: m.workspaceId, programId: program.id, platform: 'stripe', status: 'connected' });
  const coupon = (
    await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/coupons`, headers: m.headers, payload: { name: '20%', discountType: 'percent', percentOffBps: 2000, connectionIds: [stripe.id] } })
  ).json();
  const partners = [];
  for (const [firstName, lastName] of names) {
    partners.push(await ctx.factories.partner({ workspaceId: m.workspaceId, programId: program.id, firstName, lastName, name: `${firstName} ${lastName}` }));
  }
  return { m, program, coupon, partners, stripe };
}

async function waitForJob(headers: Record<string, string>, jobId: string) {
  let job: { status: string } & Record<string, unknown> = { status: 'queued' };
  await expect
    .poll(async () => {
      job = (await ctx.app.inject({ method: 'GET', url: `/api/jobs/${jobId}`, headers })).json();
      return job.status;
    }, { timeout: 15_000 })
    .toMatch(/completed|failed/);
  return job;
}

describe('bulk code generation', () => {
  it('previews the first codes and every collision without writing anything', async () => {
    const { m, coupon } = await setup([['John', 'Smith'], ['John', 'Doe'], ['Sarah', 'Lee']]);
    await ctx.app.inject({ method: 'POST', url: `/api/coupons/${coupon.id}/promotion-codes`, headers: m.headers, payload: { code: 'SARAH20' } });
    const res = await ctx.app.inject({ method: 'POST', url: `/api/coupons/${coupon.id}/promotion-codes/generate/preview`, headers: m.headers, payload: { pattern: '{FIRSTNAME}{AMOUNT}' } });
    expect(res.statusCode).toBe(200);
    const preview = res.json();
    expect(preview.total).toBe(3);
    expect(preview.sample.map((s: { code: string }) => s.code).sort()).toEqual(['JOHN20', 'JOHN20-2', 'SARAH20-2']);
    expect(preview.collisions.map((c: { wanted: string; resolvedTo: string }) => `${c.wanted}->${c.resolvedTo}`).sort()).toEqual(['JOHN20->JOHN20-2', 'SARAH20->SARAH20-2']);
    expect(await ctx.db.promotionCode.count({ where: { workspaceId: m.workspaceId } })).toBe(1);
    const again = await ctx.app.inject({ method: 'POST', url: `/api/coupons/${coupon.id}/promotion-codes/generate/preview`, headers: m.headers, payload: { pattern: '{FIRSTNAME}{AMOUNT}' } });
    expect(again.json()).toEqual(preview);
  });

  it('generates one code per partner in the background, with progress, and a re-run creates nothing new', async () => {
    const { m, coupon, partners } = await setup([['Ana', 'García'], ['Ben', 'Stone'], ['Cleo', 'Park']]);
    const start = await ctx.app.inject({ method: 'POST', url: `/api/coupons/${coupon.id}/promotion-codes/generate`, headers: m.headers, payload: { pattern: 'ACME-{FIRSTNAME}', restrictions: { maxRedemptions: 10 } } });
    expect(start.statusCode).toBe(202);
    const job = await waitForJob(m.headers, start.json().id);
    expect(job).toMatchObject({ status: 'completed', total: 3, done: 3, failed: 0, result: { created: 3, skipped: 0 } });
    const codes = await ctx.db.promotionCode.findMany({ where: { couponId: coupon.id }, orderBy: { normalizedCode: 'asc' } });
    expect(codes.map((c) => [c.normalizedCode, c.partnerId, c.maxRedemptions, c.source])).toEqual([
      ['ACME-ANA', partners[0]!.id, 10, 'generated'],
      ['ACME-BEN', partners[1]!.id, 10, 'generated'],
      ['ACME-CLEO', partners[2]!.id, 10, 'generated'],
    ]);
    expect(await ctx.db.promotionCodeAssignment.count({ where: { promotionCodeId: { in: codes.map((c) => c.id) } } })).toBe(3);
    // One outbox row per code (the worker may already be pushing them, so any state).
    expect(await ctx.db.syncLink.count({ where: { promotionCodeId: { in: codes.map((c) => c.id) } } })).toBe(3);

    const rerun = await ctx.app.inject({ method: 'POST', url: `/api/coupons/${coupon.id}/promotion-codes/generate`, headers: m.headers, payload: { pattern: 'ACME-{FIRSTNAME}' } });
    const second = await waitForJob(m.headers, rerun.json().id);
    expect(second).toMatchObject({ status: 'completed', result: { created: 0, skipped: 3 } });
    expect(await ctx.db.promotionCode.count({ where: { couponId: coupon.id } })).toBe(3);
  });

  it('limits generation to a filtered set of partners', async () => {
    const { m, coupon, partners } = await setup([['Dana', 'One'], ['Eli', 'Two'], ['Fay', 'Three']]);
    await ctx.db.partner.update({ where: { id: partners[2]!.id }, data: { status: 'suspended' } });
    const start = await ctx.app.inject({
      method: 'POST',
      url: `/api/coupons/${coupon.id}/promotion-codes/generate`,
      headers: m.headers,
      payload: { pattern: '{FIRSTNAME}{AMOUNT}', partners: { partnerIds: [partners[0]!.id, partners[2]!.id], status: ['active'] } },
    });
    await waitForJob(m.headers, start.json().id);
    const codes = await ctx.db.promotionCode.findMany({ where: { couponId: coupon.id } });
    expect(codes.map((c) => c.normalizedCode)).toEqual(['DANA20']);
  });

  it('rejects a bad pattern with 400 before anything runs', async () => {
    const { m, coupon } = await setup([['Gus', 'Four']]);
    for (const pattern of ['{FIRSTNAME}{DISCOUNT}', 'SAME']) {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/coupons/${coupon.id}/promotion-codes/generate`, headers: m.headers, payload: { pattern } });
      expect(res.statusCode, pattern).toBe(400);
      expect(res.json().error.code).toBe('invalid_pattern');
      expect(res.json().error.details[0].path).toBe('body.pattern');
    }
    expect(await ctx.db.bulkJob.count({ where: { workspaceId: m.workspaceId } })).toBe(0);
  });
});
