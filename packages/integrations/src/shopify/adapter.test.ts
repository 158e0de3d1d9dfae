import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShopifyEmulator } from '@codetrack/testkit';
import type { ShopifyEmulator, ShopifyEmulatorState } from '@codetrack/testkit';
import { describeAdapterContract, makeCodeSpec, makeCouponSpec } from '../adapter-contract.ts';
import { PlatformError } from '../types.ts';
import type { PlatformCode } from '../types.ts';
import { SHOPIFY_API_VERSION, createShopifyAdapter } from './adapter.ts';
import type { ShopifyAdapter } from './adapter.ts';

/** The emulator's raw discounts in our vocabulary, written independently of the adapter's mapping. */
function codesFromState(state: ShopifyEmulatorState): PlatformCode[] {
  const cents = (value: string) => Math.round(Number(value) * 100);
  return state.discounts.map((d) => {
    const percent = 'percentage' in d.value;
    return {
      platformId: d.id,
      code: d.code,
      active: d.endsAt === null || Date.parse(d.endsAt) > Date.now(),
      couponPlatformId: null,
      discountType: percent ? 'percent' : 'fixed',
      percentOffBps: 'percentage' in d.value ? Math.round(d.value.percentage * 10_000) : null,
      amountOff: 'amount' in d.value ? cents(d.value.amount) : null,
      currency: percent ? null : state.currencyCode,
      restrictions: {
        firstTimeOnly: false,
        minimumAmount: d.minimumSubtotal === null ? null : cents(d.minimumSubtotal),
        minimumAmountCurrency: d.minimumSubtotal === null ? null : state.currencyCode,
        expiresAt: d.endsAt === null ? null : new Date(d.endsAt),
        maxRedemptions: d.usageLimit,
      },
    };
  });
}

function adapterFor(emulator: ShopifyEmulator, overrides: { accessToken?: string; timeoutMs?: number } = {}): ShopifyAdapter {
  return createShopifyAdapter(
    { apiBaseUrl: emulator.url, credentials: { accessToken: overrides.accessToken ?? emulator.state.accessToken } },
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

describeAdapterContract('shopify', async () => {
  const emulator = await startShopifyEmulator();
  return {
    adapter: adapterFor(emulator),
    badCredentialsAdapter: adapterFor(emulator, { accessToken: 'shpat_wrong' }),
    emulator: { failNext: (f) => emulator.failNext(f), codes: () => codesFromState(emulator.state), close: () => emulator.close() },
  };
});

describe('Shopify adapter', () => {
  let emulator: ShopifyEmulator;
  let adapter: ShopifyAdapter;

  beforeEach(async () => {
    emulator = await startShopifyEmulator();
    adapter = adapterFor(emulator);
  });
  afterEach(async () => {
    await emulator.close();
  });

  const variablesOf = (index: number) => (emulator.requests[index]?.body as { variables?: Record<string, unknown> } | undefined)?.variables;

  it('creates one basic code discount with exactly the mapped input, on the SDK API version', async () => {
    const spec = makeCodeSpec({
      code: 'Partner20',
      coupon: makeCouponSpec({ name: 'Spring partners', percentOffBps: 2050 }),
      restrictions: { firstTimeOnly: true, minimumAmount: 4550, minimumAmountCurrency: 'USD', expiresAt: new Date('2031-06-30T22:00:00Z'), maxRedemptions: 25 },
    });
    const before = Date.now();
    const { platformId } = await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k' });

    expect(emulator.requests).toHaveLength(1);
    const request = emulator.requests[0];
    expect(request?.path).toBe(`/admin/api/${SHOPIFY_API_VERSION}/graphql.json`);
    expect(request?.headers['x-shopify-access-token']).toBe(emulator.state.accessToken);
    const input = variablesOf(0)?.basicCodeDiscount as Record<string, unknown>;
    expect(input).toEqual({
      title: 'Spring partners - Partner20 (Codetrack)',
      code: 'Partner20',
      startsAt: expect.any(String),
      endsAt: '2031-06-30T22:00:00.000Z',
      context: { all: 'ALL' },
      customerGets: { value: { percentage: 0.205 }, items: { all: true } },
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: '45.50' } },
      usageLimit: 25,
      appliesOncePerCustomer: false,
    });
    expect(Date.parse(input.startsAt as string)).toBeGreaterThanOrEqual(before);
    expect(emulator.findDiscount('partner20')).toMatchObject({ id: platformId, code: 'Partner20', buyerSelection: { via: 'context', all: true } });
  });

  it('sends a fixed amount once per order in major units', async () => {
    const coupon = makeCouponSpec({ discountType: 'fixed', percentOffBps: null, amountOff: 1999, currency: 'USD' });
    await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'TWENTY', coupon }), couponPlatformId: null, idempotencyKey: 'k' });

    expect((variablesOf(0)?.basicCodeDiscount as { customerGets: unknown }).customerGets).toEqual({
      value: { discountAmount: { amount: '19.99', appliesOnEachItem: false } },
      items: { all: true },
    });
    expect(await adapter.findPromotionCodeByCode({ code: 'twenty' })).toMatchObject({ discountType: 'fixed', amountOff: 1999, currency: 'USD' });
  });

  it('updates in place, clearing a removed minimum and limit', async () => {
    const spec = makeCodeSpec({ code: 'CHANGE1', restrictions: { maxRedemptions: 5, minimumAmount: 2000, minimumAmountCurrency: 'USD' } });
    const { platformId } = await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k' });
    const changed = makeCodeSpec({ id: spec.id, code: 'CHANGE1', coupon: makeCouponSpec({ percentOffBps: 1250 }), restrictions: { expiresAt: new Date('2030-01-01T00:00:00Z') } });

    await adapter.updatePromotionCode({ code: changed, platformId });

    expect(emulator.state.discounts).toHaveLength(1);
    expect(emulator.findDiscount('CHANGE1')).toMatchObject({ value: { percentage: 0.125 }, usageLimit: null, minimumSubtotal: null, endsAt: '2030-01-01T00:00:00Z' });
  });

  it('deactivates with discountCodeDeactivate (the discount ends now) and creates inactive codes ended', async () => {
    const { platformId } = await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'PAUSE1' }), couponPlatformId: null, idempotencyKey: 'k' });
    await adapter.deactivatePromotionCode({ platformId });

    expect((emulator.requests[1]?.body as { query: string }).query).toContain('discountCodeDeactivate(id: $id)');
    expect(await adapter.findPromotionCodeByCode({ code: 'pause1' })).toMatchObject({ platformId, active: false });

    const inactive = await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'LATER1', active: false }), couponPlatformId: null, idempotencyKey: 'k2' });
    expect(await adapter.findPromotionCodeByCode({ code: 'LATER1' })).toMatchObject({ platformId: inactive.platformId, active: false });

    const missing = await failureOf(adapter.deactivatePromotionCode({ platformId: 'gid://shopify/DiscountCodeNode/999' }));
    expect(missing).toMatchObject({ code: 'not_found', retryable: false });
  });

  it('maps userErrors TAKEN to code_taken, and adopts its own discount when a create is retried', async () => {
    const spec = makeCodeSpec({ code: 'DUPE1' });
    const first = await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k' });

    const error = await failureOf(adapter.createPromotionCode({ code: makeCodeSpec({ code: 'dupe1', coupon: makeCouponSpec({ name: 'Other' }) }), couponPlatformId: null, idempotencyKey: 'k2' }));
    expect(error).toMatchObject({ code: 'code_taken', retryable: false });
    expect(error.message).toContain('basicCodeDiscount.code');

    expect(await adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k' })).toEqual(first);
    expect(emulator.state.discounts).toHaveLength(1);
  });

  it('maps other userErrors to invalid_request with Shopify’s message', async () => {
    const spec = makeCodeSpec({ code: 'BADLIMIT', restrictions: { maxRedemptions: 0 } });
    const error = await failureOf(adapter.createPromotionCode({ code: spec, couponPlatformId: null, idempotencyKey: 'k' }));
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(error.message).toContain('Usage limit must be greater than 0');
  });

  it('reports a wrong access token as unauthorized and returns the shop name for a good one', async () => {
    expect(await failureOf(adapterFor(emulator, { accessToken: 'shpat_wrong' }).verifyCredentials())).toMatchObject({ code: 'unauthorized', retryable: false, status: 401 });
    await expect(adapter.verifyCredentials()).resolves.toEqual({ accountName: emulator.state.shopName });
  });

  it('maps HTTP 429 to rate_limited with Retry-After, 500 to unavailable, and a slow shop to timeout', async () => {
    emulator.failNext({ status: 429, retryAfterSeconds: 2 });
    expect(await failureOf(adapter.verifyCredentials())).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 2000 });
    emulator.failNext({ status: 500 });
    expect(await failureOf(adapter.verifyCredentials())).toMatchObject({ code: 'unavailable', retryable: true, status: 500 });
    expect(emulator.requests).toHaveLength(2);

    emulator.failNext({ delayMs: 400 });
    expect(await failureOf(adapterFor(emulator, { timeoutMs: 100 }).verifyCredentials())).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('maps THROTTLED (HTTP 200) to rate_limited, waiting until the bucket holds the query cost', async () => {
    await emulator.close();
    emulator = await startShopifyEmulator({ throttle: { maximumAvailable: 100, restoreRate: 10 } });
    adapter = adapterFor(emulator);
    emulator.setAvailablePoints(4);

    const error = await failureOf(adapter.createPromotionCode({ code: makeCodeSpec({ code: 'SLOWDOWN' }), couponPlatformId: null, idempotencyKey: 'k' }));
    // A mutation costs 10 points; 4 are left and 10 come back per second: about 0.6 s.
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, status: 200 });
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(500);
    expect(error.retryAfterMs).toBeLessThanOrEqual(600);
    expect(emulator.state.discounts).toHaveLength(0);

    emulator.throttleNext();
    expect(await failureOf(adapter.listPromotionCodes({ cursor: null, limit: 5 }))).toMatchObject({ code: 'rate_limited' });
  });

  it('finds codes case-insensitively, returns null for unknown codes, and deletes idempotently', async () => {
    const { platformId } = await adapter.createPromotionCode({ code: makeCodeSpec({ code: 'FindMe9' }), couponPlatformId: null, idempotencyKey: 'k' });

    expect(await adapter.findPromotionCodeByCode({ code: 'FINDME9' })).toMatchObject({ platformId, code: 'FindMe9', active: true, percentOffBps: 2050 });
    expect(await adapter.findPromotionCodeByCode({ code: 'findme' })).toBeNull();

    await adapter.deletePromotionCode({ platformId });
    await adapter.deletePromotionCode({ platformId });
    expect(emulator.state.discounts).toHaveLength(0);
  });

  it('lists every discount across pages with the GraphQL cursor', async () => {
    const coupon = makeCouponSpec();
    for (let i = 1; i <= 5; i += 1) await adapter.createPromotionCode({ code: makeCodeSpec({ code: `LIST${i}`, coupon }), couponPlatformId: null, idempotencyKey: `k${i}` });

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ShopifyAdapter['listPromotionCodes']>> = await adapter.listPromotionCodes({ cursor, limit: 2 });
      pages.push(page.items.map((c) => c.code));
      cursor = page.nextCursor;
    } while (cursor !== null);

    expect(pages).toEqual([['LIST1', 'LIST2'], ['LIST3', 'LIST4'], ['LIST5']]);
    const listVariables = emulator.requests.slice(5).map((r) => (r.body as { variables: unknown }).variables);
    expect(listVariables[0]).toEqual({ first: 2, after: null });
  });

  it('refuses plain http for a shop that is not on the loopback interface', () => {
    expect(() => createShopifyAdapter({ apiBaseUrl: 'http://example.myshopify.com', credentials: { accessToken: 'shpat_x' } })).toThrow(PlatformError);
    expect(() => createShopifyAdapter({ apiBaseUrl: 'example.myshopify.com', credentials: { accessToken: 'shpat_x' } })).not.toThrow();
  });
});
