import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStripeEmulator } from '@codetrack/testkit';
import type { StripeEmulator, StripeEmulatorState } from '@codetrack/testkit';
import { describeAdapterContract, makeCodeSpec, makeCouponSpec } from '../adapter-contract.ts';
import { PlatformError } from '../types.ts';
import type { PlatformCode } from '../types.ts';
import { STRIPE_API_VERSION, createStripeAdapter, type StripeAdapter } from './adapter.ts';

/** The emulator's raw state in our vocabulary, written independently of the adapter's mapping. */
function codesFromState(state: StripeEmulatorState): PlatformCode[] {
  return state.promotionCodes.map((p) => {
    const coupon = state.coupons.find((c) => c.id === p.promotion.coupon);
    return {
      platformId: p.id,
      code: p.code,
      active: p.active,
      couponPlatformId: p.promotion.coupon,
      discountType: coupon?.percent_off != null ? 'percent' : 'fixed',
      percentOffBps: coupon?.percent_off != null ? Math.round(coupon.percent_off * 100) : null,
      amountOff: coupon?.amount_off ?? null,
      currency: coupon?.currency?.toUpperCase() ?? null,
      restrictions: {
        firstTimeOnly: p.restrictions.first_time_transaction,
        minimumAmount: p.restrictions.minimum_amount,
        minimumAmountCurrency: p.restrictions.minimum_amount_currency?.toUpperCase() ?? null,
        expiresAt: p.expires_at === null ? null : new Date(p.expires_at * 1000),
        maxRedemptions: p.max_redemptions,
      },
    };
  });
}

describeAdapterContract('stripe', async () => {
  const emulator = await startStripeEmulator();
  return {
    adapter: createStripeAdapter({ apiBaseUrl: emulator.url, credentials: { secretKey: emulator.state.apiKey } }),
    badCredentialsAdapter: createStripeAdapter({ apiBaseUrl: emulator.url, credentials: { secretKey: 'sk_test_wrong' } }),
    emulator: { failNext: (f) => emulator.failNext(f), codes: () => codesFromState(emulator.state), close: () => emulator.close() },
  };
});

describe('stripe adapter', () => {
  let emulator: StripeEmulator;
  let adapter: StripeAdapter;
  beforeEach(async () => {
    emulator = await startStripeEmulator();
    adapter = createStripeAdapter({ apiBaseUrl: emulator.url, credentials: { secretKey: emulator.state.apiKey }, timeoutMs: 300 });
  });
  afterEach(async () => {
    await emulator.close();
  });

  const posts = (path: string) => emulator.requests.filter((r) => r.method === 'POST' && r.path === path);

  it('sends the coupon and promotion code in Stripe form encoding with our idempotency keys', async () => {
    const spec = makeCodeSpec({
      code: 'WIRE20',
      restrictions: { firstTimeOnly: true, minimumAmount: 5000, minimumAmountCurrency: 'USD', expiresAt: new Date('2031-03-01T12:00:00Z'), maxRedemptions: 100 },
    });
    const coupon = await adapter.upsertCoupon({ coupon: spec.coupon, platformId: null, idempotencyKey: 'coupon-key' });
    await adapter.createPromotionCode({ code: spec, couponPlatformId: coupon.platformId, idempotencyKey: 'code-key' });

    const [couponRequest] = posts('/v1/coupons');
    expect(couponRequest?.headers['idempotency-key']).toBe('coupon-key');
    expect(couponRequest?.headers.authorization).toBe(`Bearer ${emulator.state.apiKey}`);
    expect(couponRequest?.headers['stripe-version']).toBe(STRIPE_API_VERSION);
    expect(couponRequest?.body).toEqual({
      percent_off: '20.5',
      duration: 'repeating',
      duration_in_months: '3',
      name: 'Partner launch',
      metadata: { codetrack_id: spec.coupon.id },
    });
    const [codeRequest] = posts('/v1/promotion_codes');
    expect(codeRequest?.headers['idempotency-key']).toBe('code-key');
    expect(codeRequest?.body).toEqual({
      promotion: { type: 'coupon', coupon: coupon.platformId },
      code: 'WIRE20',
      active: 'true',
      restrictions: { first_time_transaction: 'true', minimum_amount: '5000', minimum_amount_currency: 'usd' },
      metadata: { codetrack_id: spec.id },
      expires_at: String(Date.parse('2031-03-01T12:00:00Z') / 1000),
      max_redemptions: '100',
    });
  });

  it('updates a coupon name in place and replaces a coupon whose discount changed', async () => {
    const spec = makeCouponSpec({ discountType: 'fixed', percentOffBps: null, amountOff: 1000, currency: 'EUR', duration: 'forever', durationInMonths: null });
    const { platformId } = await adapter.upsertCoupon({ coupon: spec, platformId: null, idempotencyKey: 'k1' });

    const renamed = await adapter.upsertCoupon({ coupon: { ...spec, name: 'Renamed' }, platformId, idempotencyKey: 'k2' });
    expect(renamed.platformId).toBe(platformId);
    expect(emulator.state.coupons).toEqual([expect.objectContaining({ id: platformId, name: 'Renamed', amount_off: 1000, currency: 'eur', duration: 'forever' })]);

    const cheaper = await adapter.upsertCoupon({ coupon: { ...spec, amountOff: 700 }, platformId, idempotencyKey: 'k3' });
    expect(cheaper.platformId).not.toBe(platformId);
    expect(emulator.state.coupons.find((c) => c.id === cheaper.platformId)).toMatchObject({ amount_off: 700 });
    // The SDK never tries to edit amount_off in place (Stripe would reject it).
    expect(emulator.requests.filter((r) => r.path === `/v1/coupons/${platformId}` && r.method === 'POST').map((r) => r.body)).toEqual([
      { name: 'Renamed', metadata: { codetrack_id: spec.id } },
    ]);
  });

  it('deletes a coupon and treats a second delete as done', async () => {
    const { platformId } = await adapter.upsertCoupon({ coupon: makeCouponSpec(), platformId: null, idempotencyKey: 'k' });
    await adapter.deleteCoupon({ platformId: platformId ?? '' });
    await adapter.deleteCoupon({ platformId: platformId ?? '' });
    expect(emulator.state.coupons).toEqual([]);
  });

  it('moves a code to a new coupon by replacing it, leaving the old one inactive', async () => {
    const spec = makeCodeSpec({ code: 'MOVEME' });
    const first = await adapter.upsertCoupon({ coupon: spec.coupon, platformId: null, idempotencyKey: 'c1' });
    const { platformId } = await adapter.createPromotionCode({ code: spec, couponPlatformId: first.platformId, idempotencyKey: 'p1' });
    const second = await adapter.upsertCoupon({ coupon: { ...spec.coupon, percentOffBps: 3000 }, platformId: first.platformId, idempotencyKey: 'c2' });

    const result = await adapter.updatePromotionCode({ code: spec, platformId, couponPlatformId: second.platformId, idempotencyKey: 'u1' });
    expect(result?.platformId).toBeDefined();
    expect(emulator.state.promotionCodes.map((p) => [p.id, p.active, p.promotion.coupon])).toEqual([
      [platformId, false, first.platformId],
      [result?.platformId, true, second.platformId],
    ]);
    // Same update again: nothing left to change, no third object.
    await adapter.updatePromotionCode({ code: spec, platformId: result?.platformId ?? '', couponPlatformId: second.platformId, idempotencyKey: 'u1' });
    expect(emulator.state.promotionCodes).toHaveLength(2);
  });

  it('only toggles active and metadata when nothing immutable changed', async () => {
    const spec = makeCodeSpec({ code: 'TOGGLE' });
    const coupon = await adapter.upsertCoupon({ coupon: spec.coupon, platformId: null, idempotencyKey: 'c' });
    const { platformId } = await adapter.createPromotionCode({ code: spec, couponPlatformId: coupon.platformId, idempotencyKey: 'p' });

    expect(await adapter.updatePromotionCode({ code: { ...spec, active: false }, platformId })).toBeUndefined();
    expect(await adapter.updatePromotionCode({ code: spec, platformId })).toBeUndefined();
    expect(emulator.state.promotionCodes).toEqual([expect.objectContaining({ id: platformId, active: true })]);
    expect(posts(`/v1/promotion_codes/${platformId}`).map((r) => r.body)).toEqual([
      { active: 'false', metadata: { codetrack_id: spec.id } },
      { active: 'true', metadata: { codetrack_id: spec.id } },
    ]);
  });

  it('adopts its own code when a create is retried under a different idempotency key', async () => {
    const spec = makeCodeSpec({ code: 'RETRIED' });
    const coupon = await adapter.upsertCoupon({ coupon: spec.coupon, platformId: null, idempotencyKey: 'c' });
    const first = await adapter.createPromotionCode({ code: spec, couponPlatformId: coupon.platformId, idempotencyKey: 'attempt-1' });
    const second = await adapter.createPromotionCode({ code: spec, couponPlatformId: coupon.platformId, idempotencyKey: 'attempt-2' });
    expect(second.platformId).toBe(first.platformId);
    expect(emulator.state.promotionCodes).toHaveLength(1);
  });

  it('reports a slow answer as a retryable timeout', async () => {
    emulator.failNext({ delayMs: 1000 });
    const error = await adapter.listPromotionCodes({ cursor: null, limit: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('reports a dropped connection as unavailable (the SDK retries a closed connection once)', async () => {
    emulator.failNext({ dropConnection: true, times: 2 });
    const error = await adapter.listPromotionCodes({ cursor: null, limit: 10 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
    // stripe-node retries closed connections once even with maxNetworkRetries: 0.
    expect(emulator.requests).toHaveLength(2);
  });

  it('reports the emulator rate limit as rate_limited', async () => {
    emulator.setRateLimit(2);
    const results = await Promise.allSettled([1, 2, 3].map(() => adapter.listPromotionCodes({ cursor: null, limit: 1 })));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
  });

  it('refuses to create a code without a coupon', async () => {
    const error = await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'NOCOUPON' }), couponPlatformId: null, idempotencyKey: 'k' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(emulator.requests).toHaveLength(0);
  });

  describe('resolveInvoiceDiscounts', () => {
    async function createCode(code: string) {
      const spec = makeCodeSpec({ code });
      const coupon = await adapter.upsertCoupon({ coupon: spec.coupon, platformId: null, idempotencyKey: `c-${code}` });
      const created = await adapter.createPromotionCode({ code: spec, couponPlatformId: coupon.platformId, idempotencyKey: `p-${code}` });
      return { platformId: created.platformId, couponPlatformId: coupon.platformId ?? '' };
    }

    it('maps every discount of the invoice (invoice-level and line-level) to its promotion code and code text', async () => {
      const onInvoice = await createCode('SUB20');
      const onLine = await createCode('LINE5');
      const invoice = emulator.addInvoice({
        discounts: [
          { id: 'di_invoice', promotionCode: onInvoice.platformId, amount: 2_000 },
          { id: 'di_line', promotionCode: onLine.platformId, amount: 500, on: 'line' },
          { id: 'di_coupon_only', coupon: onInvoice.couponPlatformId, amount: 100 },
        ],
      });

      const resolved = await adapter.resolveInvoiceDiscounts({ invoiceId: invoice.id });
      expect(resolved.sort((a, b) => a.discountId.localeCompare(b.discountId))).toEqual([
        { discountId: 'di_coupon_only', promotionCodeId: null, code: null },
        { discountId: 'di_invoice', promotionCodeId: onInvoice.platformId, code: 'SUB20' },
        { discountId: 'di_line', promotionCodeId: onLine.platformId, code: 'LINE5' },
      ]);
      const [request] = emulator.requests.filter((r) => r.method === 'GET' && r.path === `/v1/invoices/${invoice.id}`);
      expect(request?.query.expand).toEqual(['discounts.promotion_code', 'total_discount_amounts.discount.promotion_code', 'lines.data.discounts.promotion_code']);
    });

    it('maps an invoice that is gone to a permanent not_found and a 500 to a retryable error', async () => {
      await expect(adapter.resolveInvoiceDiscounts({ invoiceId: 'in_gone' })).rejects.toMatchObject({ code: 'not_found', retryable: false });
      const invoice = emulator.addInvoice({});
      emulator.failNext({ status: 500 });
      await expect(adapter.resolveInvoiceDiscounts({ invoiceId: invoice.id })).rejects.toMatchObject({ code: 'unavailable', retryable: true });
      expect(await adapter.resolveInvoiceDiscounts({ invoiceId: invoice.id })).toEqual([]);
    });

    it('resolves an order id that is not an invoice to nothing, without asking Stripe', async () => {
      const before = emulator.requests.length;
      expect(await adapter.resolveInvoiceDiscounts({ invoiceId: 'cs_test_a1' })).toEqual([]);
      expect(await adapter.resolveInvoiceDiscounts({ invoiceId: 'pi_123' })).toEqual([]);
      expect(emulator.requests.length).toBe(before);
    });
  });
});
