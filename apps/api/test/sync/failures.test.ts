import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeEmulator, type StripeEmulator } from '@codetrack/testkit';
import { useTestApp } from '../helpers.ts';
import { createCode, fixtures, setupMerchant, startSyncWorker, uniqueSuffix, waitFor, waitForSettled } from './helpers.ts';

const ctx = useTestApp();
let stripe: StripeEmulator;
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  stripe = await startStripeEmulator();
  // Three tries, so giving up is quick to show.
  stopWorker = await startSyncWorker(ctx, { maxAttempts: 3 });
});
afterAll(async () => {
  await stopWorker?.();
  await stripe?.close();
});

describe('sync failures and bulk drains (Stripe)', () => {
  it('never leaves a link stuck: after the last attempt against a platform that stays down it is failed with the reason', async () => {
    const setup = await setupMerchant(ctx.app, fixtures.stripe, stripe);
    await waitForSettled(ctx, setup.connection.id);
    // Exactly as many failures as the worker will try: none is left over for the next test.
    stripe.failNext({ status: 503, times: 3, match: { method: 'POST', path: '/v1/promotion_codes' } });
    const code = await createCode(ctx.app, setup, `DOWN-${uniqueSuffix()}`);
    const links = await waitForSettled(ctx, setup.connection.id);
    expect(links.find((l) => l.entityId === code.id)).toMatchObject({ state: 'failed', attempts: 3, lastError: expect.stringMatching(/^Gave up after 3 attempts\. Stripe did not answer properly/) });
    expect(fixtures.stripe.copies(stripe, code.code)).toHaveLength(0);
  });

  it('fails with a readable reason, without retrying, when the platform rejects the credentials', async () => {
    const setup = await setupMerchant(ctx.app, fixtures.stripe, stripe);
    await waitForSettled(ctx, setup.connection.id);
    const before = stripe.requests.length;
    stripe.failNext({ status: 401, match: { method: 'POST', path: '/v1/promotion_codes' } });
    const code = await createCode(ctx.app, setup, `KEY-${uniqueSuffix()}`);
    const links = await waitForSettled(ctx, setup.connection.id);
    expect(links.find((l) => l.entityId === code.id)).toMatchObject({ state: 'failed', attempts: 1, lastError: expect.stringMatching(/^Stripe rejected the connection's credentials/) });
    expect(stripe.requests.length - before).toBe(1);

    // Fixed on the platform side: retrying the failed links brings it there.
    const retry = await ctx.app.inject({ method: 'POST', url: `/api/connections/${setup.connection.id}/sync/retry-failed`, headers: setup.merchant.headers });
    expect(retry.json()).toEqual({ retried: 1 });
    const after = await waitForSettled(ctx, setup.connection.id);
    expect(after.find((l) => l.entityId === code.id)?.state).toBe('synced');
    expect(fixtures.stripe.copies(stripe, code.code)).toHaveLength(1);
  });

  it('drains a bulk generation (one drain job for the connection), coupon first, every code once', async () => {
    const setup = await setupMerchant(ctx.app, fixtures.stripe, stripe);
    await waitForSettled(ctx, setup.connection.id);
    const suffix = uniqueSuffix();
    for (let i = 0; i < 60; i += 1) {
      await ctx.factories.partner({ workspaceId: setup.merchant.workspaceId, programId: setup.program.id, firstName: `P${suffix}X${i}`, name: `P${suffix}X${i}` });
    }
    const start = await ctx.app.inject({ method: 'POST', url: `/api/coupons/${setup.coupon.id}/promotion-codes/generate`, headers: setup.merchant.headers, payload: { pattern: '{FIRSTNAME}{AMOUNT}' } });
    expect(start.statusCode).toBe(202);
    await waitFor(async () => (await ctx.db.syncLink.count({ where: { connectionId: setup.connection.id, entityType: 'promotion_code' } })) === 60, '60 links');
    const links = await waitForSettled(ctx, setup.connection.id);
    expect(links.filter((l) => l.state === 'synced')).toHaveLength(61);
    const codes = await ctx.db.promotionCode.findMany({ where: { couponId: setup.coupon.id } });
    for (const code of codes) expect(fixtures.stripe.copies(stripe, code.code)).toHaveLength(1);
    const couponPlatformId = links.find((l) => l.entityType === 'coupon')?.platformId;
    expect(new Set(stripe.state.promotionCodes.filter((p) => codes.some((c) => c.code === p.code)).map((p) => p.promotion.coupon))).toEqual(new Set([couponPlatformId]));
  });
});
