import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CouponSpec, PlatformAdapter } from '@codetrack/integrations';
import type { App } from '../../src/app.ts';
import { useTestApp } from '../helpers.ts';
import { createCode, fixtures, platforms, setupMerchant, startSyncWorker, uniqueSuffix, waitFor, waitForSettled } from './helpers.ts';

const ctx = useTestApp();
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  stopWorker = await startSyncWorker(ctx);
});
afterAll(async () => {
  await stopWorker?.();
});

const none = { firstTimeOnly: false, minimumAmount: null, minimumAmountCurrency: null, expiresAt: null, maxRedemptions: null };
const couponSpec = (id: string, percentOffBps: number): CouponSpec => ({ id, name: `Made on the platform ${id}`, discountType: 'percent', percentOffBps, amountOff: null, currency: null, duration: 'once', durationInMonths: null });

/** A code made directly on the platform (as the merchant would in its dashboard). */
async function seedOnPlatform(adapter: PlatformAdapter, code: string, coupon: CouponSpec, opts: { active?: boolean; maxRedemptions?: number } = {}) {
  const { platformId: couponPlatformId } = await adapter.upsertCoupon({ coupon, platformId: null, idempotencyKey: `seed-coupon-${coupon.id}` });
  const spec = { id: `pc_seed_${code}`, code, active: opts.active ?? true, restrictions: { ...none, maxRedemptions: opts.maxRedemptions ?? null }, coupon };
  return (await adapter.createPromotionCode({ code: spec, couponPlatformId, idempotencyKey: `seed-${code}` })).platformId;
}

async function finishedJob(app: App, headers: Record<string, string>, jobId: string) {
  return waitFor(async () => {
    const job = (await app.inject({ method: 'GET', url: `/api/jobs/${jobId}`, headers })).json();
    return job.status === 'completed' || job.status === 'failed' ? job : null;
  }, `job ${jobId}`);
}

describe.each(platforms)('inbound sync from %s', (platform) => {
  const fixture = fixtures[platform];

  it('imports the platform\'s codes with their coupons, and a second import creates nothing new', async () => {
    const emulator = await fixture.start();
    try {
      const setup = await setupMerchant(ctx.app, fixture, emulator);
      const adapter = fixture.adapter(emulator);
      const suffix = uniqueSuffix();
      const twenty = couponSpec(`cpn_twenty_${suffix}`, 2000);
      const ten = couponSpec(`cpn_ten_${suffix}`, 1000);
      const codes = [fixture.codeFor(`IMPA-${suffix}`), fixture.codeFor(`IMPB-${suffix}`), fixture.codeFor(`IMPC-${suffix}`)] as const;
      await seedOnPlatform(adapter, codes[0], twenty, { maxRedemptions: 5 });
      await seedOnPlatform(adapter, codes[1], twenty);
      await seedOnPlatform(adapter, codes[2], ten, { active: false });

      const start = await ctx.app.inject({ method: 'POST', url: `/api/connections/${setup.connection.id}/import`, headers: setup.merchant.headers });
      expect(start.statusCode).toBe(202);
      const first = await finishedJob(ctx.app, setup.merchant.headers, start.json().id);
      // Stripe: one coupon per Stripe coupon. Elsewhere a discount matching an existing coupon of this
      // connection (the merchant's 20%) reuses it, so only the 10% one is new.
      const couponsCreated = platform === 'stripe' ? 2 : 1;
      expect(first).toMatchObject({ type: 'import_codes', status: 'completed', done: 3, total: 3, result: { created: 3, existing: 0, couponsCreated, cursor: null } });

      const imported = await ctx.db.promotionCode.findMany({ where: { workspaceId: setup.merchant.workspaceId }, include: { coupon: true, syncLinks: true }, orderBy: { normalizedCode: 'asc' } });
      expect(imported.map((c) => [c.normalizedCode, c.source, c.status, c.coupon.percentOffBps, c.syncLinks[0]?.state])).toEqual([
        [codes[0].toUpperCase(), 'imported', 'active', 2000, 'synced'],
        [codes[1].toUpperCase(), 'imported', 'active', 2000, 'synced'],
        [codes[2].toUpperCase(), 'imported', 'disabled', 1000, 'synced'],
      ]);
      expect(imported[0]?.maxRedemptions).toBe(5);
      expect(imported[2]?.disabledReason).toMatch(/^Inactive on \w+ when imported$/);

      const again = await ctx.app.inject({ method: 'POST', url: `/api/connections/${setup.connection.id}/import`, headers: setup.merchant.headers });
      const second = await finishedJob(ctx.app, setup.merchant.headers, again.json().id);
      expect(second).toMatchObject({ status: 'completed', result: { created: 0, linked: 0, existing: 3, couponsCreated: 0 } });
      expect(await ctx.db.promotionCode.count({ where: { workspaceId: setup.merchant.workspaceId } })).toBe(3);
      expect(await ctx.db.coupon.count({ where: { workspaceId: setup.merchant.workspaceId } })).toBe(1 + couponsCreated);
      // Nothing was pushed back to the platform.
      for (const code of codes) expect(fixture.copies(emulator, code)).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  });

  it('reports drift (missing, extra, different) and repairs it', async () => {
    const emulator = await fixture.start();
    try {
      const setup = await setupMerchant(ctx.app, fixture, emulator);
      const suffix = uniqueSuffix();
      const gone = await createCode(ctx.app, setup, fixture.codeFor(`GONE-${suffix}`));
      const off = await createCode(ctx.app, setup, fixture.codeFor(`OFF-${suffix}`));
      await createCode(ctx.app, setup, fixture.codeFor(`FINE-${suffix}`));
      const links = await waitForSettled(ctx, setup.connection.id);
      const platformIdOf = (id: string) => links.find((l) => l.entityId === id)!.platformId!;
      // Behind our back: one code removed, one deactivated, one added.
      fixture.remove(emulator, platformIdOf(gone.id));
      const adapter = fixture.adapter(emulator);
      await adapter.deactivatePromotionCode({ platformId: platformIdOf(off.id) });
      const extraCode = fixture.codeFor(`EXTRA-${suffix}`);
      const extraId = await seedOnPlatform(adapter, extraCode, couponSpec(`cpn_extra_${suffix}`, 1500));

      const start = await ctx.app.inject({ method: 'POST', url: `/api/connections/${setup.connection.id}/reconcile`, headers: setup.merchant.headers });
      expect(start.statusCode).toBe(202);
      const job = await finishedJob(ctx.app, setup.merchant.headers, start.json().id);
      expect(job.result.counts).toMatchObject({ missing: 1, extra: 1, different: 1, ours: 3 });
      expect(job.result.missing).toEqual([expect.objectContaining({ promotionCodeId: gone.id, reason: 'Not found on the platform' })]);
      expect(job.result.different).toEqual([expect.objectContaining({ promotionCodeId: off.id, fields: [{ field: 'active', ours: true, platform: false }] })]);
      expect(job.result.extra).toEqual([{ platformId: extraId, code: fixture.stored(extraCode), active: true }]);

      const repair = await ctx.app.inject({ method: 'POST', url: `/api/connections/${setup.connection.id}/reconcile/${job.id}/repair`, headers: setup.merchant.headers });
      expect(repair.statusCode).toBe(200);
      expect(repair.json()).toMatchObject({ markedPending: 2, importJobId: expect.any(String) });
      await finishedJob(ctx.app, setup.merchant.headers, repair.json().importJobId);
      await waitForSettled(ctx, setup.connection.id);
      expect(fixture.copies(emulator, gone.code).filter((c) => c.active)).toHaveLength(1);
      expect(fixture.copies(emulator, off.code).filter((c) => c.active)).toHaveLength(1);
      expect(await ctx.db.promotionCode.findFirst({ where: { workspaceId: setup.merchant.workspaceId, normalizedCode: extraCode.toUpperCase() } })).toMatchObject({ source: 'imported' });

      const check = await ctx.app.inject({ method: 'POST', url: `/api/connections/${setup.connection.id}/reconcile`, headers: setup.merchant.headers });
      const clean = await finishedJob(ctx.app, setup.merchant.headers, check.json().id);
      expect(clean.result.counts).toMatchObject({ missing: 0, extra: 0, different: 0, ours: 4 });
    } finally {
      await emulator.close();
    }
  });
});
