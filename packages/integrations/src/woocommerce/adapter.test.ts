import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWooCommerceEmulator } from '@codetrack/testkit';
import type { WooCommerceEmulator, WooCommerceEmulatorState } from '@codetrack/testkit';
import { describeAdapterContract, makeCodeSpec, makeCouponSpec } from '../adapter-contract.ts';
import { PlatformError } from '../types.ts';
import type { PlatformCode } from '../types.ts';
import { createWooCommerceAdapter } from './adapter.ts';
import type { WooCommerceAdapter } from './adapter.ts';

/** The emulator's raw coupons in our vocabulary, written independently of the adapter's mapping. */
function codesFromState(state: WooCommerceEmulatorState): PlatformCode[] {
  const cents = (value: string) => Math.round(Number(value) * 100);
  return state.coupons
    .filter((c) => c.status !== 'trash')
    .map((c) => {
      const percent = c.discount_type === 'percent';
      const minimum = Number(c.minimum_amount) > 0 ? cents(c.minimum_amount) : null;
      return {
        platformId: String(c.id),
        code: c.code,
        active: c.status === 'publish',
        couponPlatformId: null,
        discountType: percent ? 'percent' : 'fixed',
        percentOffBps: percent ? cents(c.amount) : null,
        amountOff: percent ? null : cents(c.amount),
        currency: percent ? null : state.storeCurrency,
        restrictions: {
          firstTimeOnly: false,
          minimumAmount: minimum,
          minimumAmountCurrency: minimum === null ? null : state.storeCurrency,
          expiresAt: c.date_expires_gmt === null ? null : new Date(`${c.date_expires_gmt}Z`),
          maxRedemptions: c.usage_limit,
        },
      };
    });
}

function adapterFor(emulator: WooCommerceEmulator, overrides: { consumerSecret?: string; timeoutMs?: number } = {}): WooCommerceAdapter {
  return createWooCommerceAdapter(
    {
      apiBaseUrl: emulator.url,
      credentials: {
        consumerKey: emulator.state.consumerKey,
        consumerSecret: overrides.consumerSecret ?? emulator.state.consumerSecret,
        storeCurrency: emulator.state.storeCurrency,
      },
    },
    overrides.timeoutMs === undefined ? {} : { timeoutMs: overrides.timeoutMs },
  );
}

async function failureOf(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlatformError);
  return error as PlatformError;
}

describeAdapterContract('woocommerce', async () => {
  const emulator = await startWooCommerceEmulator();
  return {
    adapter: adapterFor(emulator),
    badCredentialsAdapter: adapterFor(emulator, { consumerSecret: 'cs_wrong' }),
    emulator: { failNext: (f) => emulator.failNext(f), codes: () => codesFromState(emulator.state), close: () => emulator.close() },
  };
});

describe('WooCommerce adapter', () => {
  let emulator: WooCommerceEmulator;
  let adapter: WooCommerceAdapter;

  beforeEach(async () => {
    emulator = await startWooCommerceEmulator();
    adapter = adapterFor(emulator);
  });
  afterEach(async () => {
    await emulator.close();
  });

  const postedCoupons = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === '/wp-json/wc/v3/coupons');

  it('creates a coupon with exactly the mapped fields, signed with OAuth 1.0a HMAC-SHA256 over http', async () => {
    const spec = makeCodeSpec({
      code: 'Partner20',
      coupon: makeCouponSpec({ name: 'Spring partners', percentOffBps: 2000 }),
      restrictions: { firstTimeOnly: true, minimumAmount: 4550, minimumAmountCurrency: 'USD', expiresAt: new Date('2031-06-30T22:00:00Z'), maxRedemptions: 25 },
    });
    const { platformId } = await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k1' });

    const [request] = postedCoupons();
    expect(request?.body).toEqual({
      code: 'Partner20',
      status: 'publish',
      description: 'Spring partners',
      discount_type: 'percent',
      amount: '20',
      date_expires_gmt: '2031-06-30T22:00:00',
      usage_limit: 25,
      minimum_amount: '45.50',
      meta_data: [{ key: 'codetrack_id', value: spec.id }],
    });
    expect(request?.query).toMatchObject({ oauth_consumer_key: emulator.state.consumerKey, oauth_signature_method: 'HMAC-SHA256' });
    expect(request?.headers.authorization).toBeUndefined();

    const stored = emulator.findCoupon('partner20');
    expect(stored).toMatchObject({
      id: Number(platformId),
      code: 'partner20',
      status: 'publish',
      discount_type: 'percent',
      amount: '20.00',
      minimum_amount: '45.50',
      usage_limit: 25,
      usage_limit_per_user: null,
      date_expires_gmt: '2031-06-30T22:00:00',
    });
  });

  it('sends fixed amounts in major units, honouring zero-decimal currencies', async () => {
    await emulator.close();
    emulator = await startWooCommerceEmulator({ storeCurrency: 'JPY' });
    adapter = adapterFor(emulator);
    const coupon = makeCouponSpec({ discountType: 'fixed', percentOffBps: null, amountOff: 1500, currency: 'JPY' });
    await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'YEN1500', coupon, restrictions: { minimumAmount: 10000, minimumAmountCurrency: 'JPY' } }), couponPlatformId: null, idempotencyKey: 'k' });

    expect(postedCoupons()[0]?.body).toMatchObject({ discount_type: 'fixed_cart', amount: '1500', minimum_amount: '10000' });
    expect(await adapter.findPromotionCodeByCode({ code: 'yen1500' })).toMatchObject({ amountOff: 1500, currency: 'JPY', restrictions: { minimumAmount: 10000, minimumAmountCurrency: 'JPY' } });
  });

  it('refuses a fixed amount in another currency than the store sells in', async () => {
    const coupon = makeCouponSpec({ discountType: 'fixed', percentOffBps: null, amountOff: 500, currency: 'EUR' });
    const error = await failureOf(adapter.createPromotionCode({ code: makeCodeSpec({ code: 'EURO5', coupon }), couponPlatformId: null, idempotencyKey: 'k' }));
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(postedCoupons()).toHaveLength(0);
  });

  it('updates the coupon in place and clears restrictions that were removed', async () => {
    const spec = makeCodeSpec({ code: 'CHANGE1', restrictions: { maxRedemptions: 5, minimumAmount: 2000, minimumAmountCurrency: 'USD' } });
    const { platformId } = await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k' });
    const changed = makeCodeSpec({ id: spec.id, code: 'CHANGE1', coupon: makeCouponSpec({ percentOffBps: 1250 }), restrictions: { expiresAt: new Date('2030-01-01T00:00:00Z') } });

    await adapter.updatePromotionCode({ code: changed, platformId });

    expect(emulator.state.coupons).toHaveLength(1);
    expect(emulator.findCoupon('change1')).toMatchObject({ amount: '12.50', usage_limit: null, minimum_amount: '0.00', date_expires_gmt: '2030-01-01T00:00:00', status: 'publish' });
  });

  it('deactivates by moving the coupon to draft, finds it by code, and reactivates it', async () => {
    const spec = makeCodeSpec({ code: 'PAUSE1' });
    const { platformId } = await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k' });

    await adapter.deactivatePromotionCode({ platformId });
    expect(emulator.findCoupon('pause1')?.status).toBe('draft');
    // The `code` filter only sees published coupons; the adapter falls back to `search`.
    expect(await adapter.findPromotionCodeByCode({ code: 'PAUSE1' })).toMatchObject({ platformId, active: false });

    await adapter.updatePromotionCode({ code: { ...spec, active: true }, platformId });
    expect(emulator.findCoupon('pause1')?.status).toBe('publish');
  });

  it('maps a duplicate code to code_taken, but recognises its own coupon when a create is retried', async () => {
    const spec = makeCodeSpec({ code: 'DUPE1' });
    const first = await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k' });

    const error = await failureOf(adapter.createPromotionCode({ code: makeCodeSpec({ code: 'dupe1' }), couponPlatformId: null, idempotencyKey: 'other' }));
    expect(error).toMatchObject({ code: 'code_taken', retryable: false, status: 400 });
    expect(error.message).toContain('woocommerce_rest_coupon_code_already_exists');

    const retried = await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k' });
    expect(retried).toEqual(first);
    expect(emulator.state.coupons).toHaveLength(1);
  });

  it('reports a wrong consumer secret (bad OAuth signature) and a wrong key as unauthorized', async () => {
    const wrongSecret = adapterFor(emulator, { consumerSecret: 'cs_other' });
    expect(await failureOf(wrongSecret.verifyCredentials())).toMatchObject({ code: 'unauthorized', retryable: false, status: 401 });
    const wrongKey = createWooCommerceAdapter({ apiBaseUrl: emulator.url, credentials: { consumerKey: 'ck_nope', consumerSecret: 'cs_emulator' } });
    const error = await failureOf(wrongKey.listPromotionCodes({ cursor: null, limit: 10 }));
    expect(error).toMatchObject({ code: 'unauthorized' });
    expect(error.message).toContain('Consumer key is invalid');
    await expect(adapter.verifyCredentials()).resolves.toEqual({ accountName: new URL(emulator.url).host });
  });

  it('maps 429 to rate_limited with Retry-After, and 500 and timeouts to retryable errors', async () => {
    emulator.failNext({ status: 429, retryAfterSeconds: 3 });
    expect(await failureOf(adapter.verifyCredentials())).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 3000 });

    emulator.failNext({ status: 500 });
    expect(await failureOf(adapter.deactivatePromotionCode({ platformId: '1' }))).toMatchObject({ code: 'unavailable', retryable: true, status: 500 });

    const slow = adapterFor(emulator, { timeoutMs: 100 });
    emulator.failNext({ delayMs: 400 });
    expect(await failureOf(slow.verifyCredentials())).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('maps an unreachable store to unavailable', async () => {
    const url = emulator.url;
    await emulator.close();
    const offline = createWooCommerceAdapter({ apiBaseUrl: url, credentials: { consumerKey: 'ck', consumerSecret: 'cs' } });
    expect(await failureOf(offline.verifyCredentials())).toMatchObject({ code: 'unavailable', retryable: true });
    emulator = await startWooCommerceEmulator();
  });

  it('finds codes case-insensitively and returns null for unknown codes', async () => {
    const { platformId } = await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'FindMe9' }), couponPlatformId: null, idempotencyKey: 'k' });
    emulator.seedCoupon({ code: 'findme99', amount: '5.00' });

    expect(await adapter.findPromotionCodeByCode({ code: 'FINDME9' })).toMatchObject({ platformId, code: 'findme9', active: true, percentOffBps: 2050 });
    expect(await adapter.findPromotionCodeByCode({ code: 'findme' })).toBeNull();
  });

  it('lists every coupon across pages in id order, including drafts', async () => {
    for (let i = 1; i <= 5; i += 1) emulator.seedCoupon({ code: `list${i}`, discount_type: 'percent', amount: '10.00', status: i === 3 ? 'draft' : 'publish' });
    emulator.seedCoupon({ code: 'trashed', status: 'trash' });

    const pages: PlatformCode[][] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<WooCommerceAdapter['listPromotionCodes']>> = await adapter.listPromotionCodes({ cursor, limit: 2 });
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);

    expect(pages.map((p) => p.map((c) => c.code))).toEqual([['list1', 'list2'], ['list3', 'list4'], ['list5']]);
    expect(pages[1]?.[0]).toMatchObject({ active: false, percentOffBps: 1000 });
    const listed = emulator.requests.filter((r) => r.method === 'GET');
    expect(listed.map((r) => r.query.page)).toEqual(['1', '2', '3']);
    expect(listed[0]?.query).toMatchObject({ per_page: '2', orderby: 'id', order: 'asc' });
  });

  it('deletes permanently with force=true and treats an already deleted coupon as done', async () => {
    const { platformId } = await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'GONE1' }), couponPlatformId: null, idempotencyKey: 'k' });
    await adapter.deletePromotionCode({ platformId });
    await adapter.deletePromotionCode({ platformId });

    expect(emulator.state.coupons).toHaveLength(0);
    expect(emulator.requests.filter((r) => r.method === 'DELETE').map((r) => r.query.force)).toEqual(['true', 'true']);
  });

  it('has no parent coupon on WooCommerce', async () => {
    await expect(adapter.upsertCoupon({ coupon: makeCouponSpec(), platformId: null, idempotencyKey: 'k' })).resolves.toEqual({ platformId: null });
    expect(emulator.requests).toHaveLength(0);
  });
});
