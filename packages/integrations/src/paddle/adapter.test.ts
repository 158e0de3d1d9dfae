import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPaddleEmulator } from '@codetrack/testkit';
import type { PaddleEmulator, PaddleEmulatorState } from '@codetrack/testkit';
import { describeAdapterContract, makeCodeSpec, makeCouponSpec } from '../adapter-contract.ts';
import type { PlatformAdapter, PlatformCode } from '../types.ts';
import { createPaddleAdapter } from './adapter.ts';

/** The emulator's raw state in our vocabulary, written independently of the adapter's mapping. */
function codesFromState(state: PaddleEmulatorState): PlatformCode[] {
  return state.discounts
    .filter((d) => d.code !== null)
    .map((d) => ({
      platformId: d.id,
      code: d.code ?? '',
      active: d.status === 'active',
      couponPlatformId: null,
      discountType: d.type === 'percentage' ? 'percent' : 'fixed',
      percentOffBps: d.type === 'percentage' ? Math.round(Number(d.amount) * 100) : null,
      amountOff: d.type === 'percentage' ? null : Number(d.amount),
      currency: d.currency_code,
      restrictions: {
        firstTimeOnly: false,
        minimumAmount: null,
        minimumAmountCurrency: null,
        expiresAt: d.expires_at === null ? null : new Date(d.expires_at),
        maxRedemptions: d.usage_limit,
      },
    }));
}

describeAdapterContract('paddle', async () => {
  const emulator = await startPaddleEmulator();
  return {
    adapter: createPaddleAdapter({ apiBaseUrl: emulator.url, credentials: { apiKey: emulator.state.apiKey } }),
    badCredentialsAdapter: createPaddleAdapter({ apiBaseUrl: emulator.url, credentials: { apiKey: 'pdl_sdbx_apikey_wrong' } }),
    emulator: { failNext: (f) => emulator.failNext(f), codes: () => codesFromState(emulator.state), close: () => emulator.close() },
  };
});

describe('paddle adapter', () => {
  let emulator: PaddleEmulator;
  let adapter: PlatformAdapter;
  beforeEach(async () => {
    emulator = await startPaddleEmulator();
    adapter = createPaddleAdapter({ apiBaseUrl: emulator.url, credentials: { apiKey: emulator.state.apiKey }, timeoutMs: 300 });
  });
  afterEach(async () => {
    await emulator.close();
  });

  const posts = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === '/discounts');

  it('creates one discount per code with Paddle field names and values', async () => {
    const spec = makeCodeSpec({
      code: 'WIRE20',
      // Paddle cannot hold first-time or minimum-amount rules: they must not be sent.
      restrictions: { firstTimeOnly: true, minimumAmount: 5000, minimumAmountCurrency: 'USD', expiresAt: new Date('2031-03-01T12:00:00Z'), maxRedemptions: 100 },
    });
    expect(await adapter.upsertCoupon({ coupon: spec.coupon, platformId: null, idempotencyKey: 'c' })).toEqual({ platformId: null });
    await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k' });

    const [request] = posts();
    expect(request?.headers.authorization).toBe(`bearer ${emulator.state.apiKey}`);
    expect(request?.headers['paddle-version']).toBe('1');
    expect(request?.body).toEqual({
      description: 'Partner launch (WIRE20)',
      type: 'percentage',
      amount: '20.5',
      code: 'WIRE20',
      enabled_for_checkout: true,
      recur: true,
      maximum_recurring_intervals: 3,
      usage_limit: 100,
      expires_at: '2031-03-01T12:00:00Z',
      custom_data: { codetrack_id: spec.id },
    });
  });

  it('maps a flat forever discount and a once-only discount', async () => {
    const flat = makeCouponSpec({ discountType: 'fixed', percentOffBps: null, amountOff: 500, currency: 'eur', duration: 'forever', durationInMonths: null });
    await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'FLAT5', coupon: flat }), couponPlatformId: null, idempotencyKey: 'a' });
    const once = makeCouponSpec({ percentOffBps: 2000, duration: 'once', durationInMonths: null });
    await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'ONCE20', coupon: once }), couponPlatformId: null, idempotencyKey: 'b' });

    expect(posts().map((r) => r.body)).toEqual([
      expect.objectContaining({ type: 'flat', amount: '500', currency_code: 'EUR', recur: true, maximum_recurring_intervals: null }),
      expect.objectContaining({ type: 'percentage', amount: '20', recur: false, maximum_recurring_intervals: null }),
    ]);
    expect(posts()[1]?.body).not.toHaveProperty('currency_code');
  });

  it('refuses a code a merchant discount already uses without sending a create', async () => {
    emulator.state.discounts.push({
      id: 'dsc_01merchant',
      status: 'active',
      description: 'Merchant own',
      enabled_for_checkout: true,
      code: 'SUMMER',
      type: 'percentage',
      mode: 'standard',
      amount: '10',
      currency_code: null,
      recur: false,
      maximum_recurring_intervals: null,
      usage_limit: null,
      restrict_to: null,
      expires_at: null,
      custom_data: null,
      times_used: 0,
      discount_group_id: null,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
      import_meta: null,
    });
    const error = await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'summer' }), couponPlatformId: null, idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'code_taken', retryable: false });
    expect(posts()).toHaveLength(0);
  });

  it('maps the 409 discount_code_conflict to code_taken when an update takes a used code', async () => {
    await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'FIRST' }), couponPlatformId: null, idempotencyKey: 'a' });
    const second = makeCodeSpec({ code: 'SECOND' });
    const { platformId } = await adapter.createPromotionCode({ code: second, couponPlatformId: null, idempotencyKey: 'b' });

    const error = await adapter.updatePromotionCode({ code: { ...second, code: 'first' }, platformId }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'code_taken', retryable: false });
    expect(emulator.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `/discounts/${platformId}` });
  });

  it('archives on deactivate and reactivates and updates through one PATCH', async () => {
    const spec = makeCodeSpec({ code: 'BACKAGAIN', restrictions: { maxRedemptions: 5 } });
    const { platformId } = await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k' });
    await adapter.deactivatePromotionCode({ platformId });
    expect(emulator.state.discounts[0]?.status).toBe('archived');

    const result = await adapter.updatePromotionCode({ code: { ...spec, restrictions: { ...spec.restrictions, maxRedemptions: 9 } }, platformId });
    expect(result).toBeUndefined();
    expect(emulator.state.discounts).toEqual([expect.objectContaining({ id: platformId, status: 'active', usage_limit: 9 })]);
  });

  it('adopts its archived discount instead of creating a second one for the same code', async () => {
    const spec = makeCodeSpec({ code: 'COMEBACK' });
    const { platformId } = await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k1' });
    await adapter.deletePromotionCode({ platformId });
    const again = await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k2' });

    expect(again.platformId).toBe(platformId);
    expect(emulator.state.discounts).toEqual([expect.objectContaining({ id: platformId, status: 'active' })]);
  });

  it('does not ask Paddle about a code Paddle could never hold', async () => {
    expect(await adapter.findPromotionCodeByCode({ code: 'HAS-DASH' })).toBeNull();
    expect(emulator.requests).toHaveLength(0);
  });

  it('reports a slow answer as a retryable timeout (the SDK has no timeout of its own)', async () => {
    emulator.failNext({ delayMs: 1000 });
    const error = await adapter.listPromotionCodes({ cursor: null, limit: 10 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('reports a dropped connection as unavailable', async () => {
    emulator.failNext({ dropConnection: true });
    const error = await adapter.listPromotionCodes({ cursor: null, limit: 10 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('reports a forbidden key as forbidden and a missing header as unauthorized', async () => {
    emulator.failNext({ status: 403 });
    await expect(adapter.verifyCredentials()).rejects.toMatchObject({ code: 'forbidden', retryable: false });
    emulator.failNext({ status: 401 });
    await expect(adapter.verifyCredentials()).rejects.toMatchObject({ code: 'unauthorized', retryable: false });
  });
});
