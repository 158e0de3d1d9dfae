/**
 * The contract every PlatformAdapter must meet, as one shared Vitest suite.
 *
 * Usage (in `src/<platform>/adapter.test.ts`):
 *
 *   describeAdapterContract('stripe', async () => {
 *     const emulator = await startStripeEmulator();
 *     return {
 *       adapter: createStripeAdapter({ apiBaseUrl: emulator.url, credentials: { secretKey: emulator.state.apiKey } }),
 *       badCredentialsAdapter: createStripeAdapter({ apiBaseUrl: emulator.url, credentials: { secretKey: 'sk_test_wrong' } }),
 *       emulator: { failNext: (f) => emulator.failNext(f), codes: () => codesFromState(emulator.state), close: () => emulator.close() },
 *     };
 *   });
 *
 * `setup` runs before every test and must return a fresh, empty emulator:
 * - `adapter`: the adapter under test, pointed at the emulator with valid credentials.
 * - `badCredentialsAdapter`: the same adapter built with a wrong key (expects `unauthorized`).
 * - `emulator.failNext({ status, retryAfterSeconds?, times? })`: the next request(s) answer with
 *   `status` in the platform's error shape (and `Retry-After` when given).
 * - `emulator.codes()`: every code that exists on the emulator, as PlatformCode. Convert the raw
 *   emulator state in the test file itself; do not reuse the adapter's mapping, or a mapping bug
 *   would agree with itself.
 * - `emulator.close()`: stops the server (called after each test).
 *
 * Restrictions the platform cannot hold (capabilities[r] === false) must not appear on the
 * platform: the expected value is then the "none" value (false / null).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlatformError } from './types.ts';
import type { CodeRestrictions, CouponSpec, PlatformAdapter, PlatformCode, PromotionCodeSpec } from './types.ts';

export type ContractFailure = { status: number; retryAfterSeconds?: number; times?: number };

export type ContractEmulator = {
  failNext(failure: ContractFailure): void;
  codes(): PlatformCode[] | Promise<PlatformCode[]>;
  close(): Promise<void>;
};

export type ContractContext = {
  adapter: PlatformAdapter;
  badCredentialsAdapter: PlatformAdapter;
  emulator: ContractEmulator;
};

export type ContractSetup = () => Promise<ContractContext>;

let sequence = 0;
const nextId = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(sequence += 1)}`;

/** A percent coupon (20.5 %, 3 months) unless overridden. */
export function makeCouponSpec(overrides: Partial<CouponSpec> = {}): CouponSpec {
  return {
    id: nextId('cpn'),
    name: 'Partner launch',
    discountType: 'percent',
    percentOffBps: 2050,
    amountOff: null,
    currency: null,
    duration: 'repeating',
    durationInMonths: 3,
    ...overrides,
  };
}

export function makeRestrictions(overrides: Partial<CodeRestrictions> = {}): CodeRestrictions {
  return {
    firstTimeOnly: false,
    minimumAmount: null,
    minimumAmountCurrency: null,
    expiresAt: null,
    maxRedemptions: null,
    ...overrides,
  };
}

export function makeCodeSpec(input: { code: string; coupon?: CouponSpec; restrictions?: Partial<CodeRestrictions>; active?: boolean; id?: string }): PromotionCodeSpec {
  return {
    id: input.id ?? nextId('pc'),
    code: input.code,
    active: input.active ?? true,
    restrictions: makeRestrictions(input.restrictions),
    coupon: input.coupon ?? makeCouponSpec(),
  };
}

/** What the platform should hold for these restrictions, given what it can enforce. */
function expectedRestrictions(adapter: PlatformAdapter, r: CodeRestrictions): CodeRestrictions {
  const caps = adapter.capabilities;
  return {
    firstTimeOnly: caps.firstTimeOnly ? r.firstTimeOnly : false,
    minimumAmount: caps.minimumAmount ? r.minimumAmount : null,
    minimumAmountCurrency: caps.minimumAmount && r.minimumAmount !== null ? r.minimumAmountCurrency : null,
    expiresAt: caps.expiresAt ? r.expiresAt : null,
    maxRedemptions: caps.maxRedemptions ? r.maxRedemptions : null,
  };
}

/** The code as the platform stores it: WooCommerce lower-cases codes (PLATFORMS.md); the others keep the case. */
function storedCode(adapter: PlatformAdapter, code: string): string {
  return adapter.platform === 'woocommerce' ? code.toLowerCase() : code;
}

async function expectPlatformError(promise: Promise<unknown>, expected: Partial<Pick<PlatformError, 'code' | 'retryable' | 'retryAfterMs'>>): Promise<PlatformError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail with a PlatformError').toBeInstanceOf(PlatformError);
  expect(error).toMatchObject(expected);
  return error as PlatformError;
}

/** Registers the shared adapter suite under `describe('<name> adapter contract')`. */
export function describeAdapterContract(name: string, setup: ContractSetup): void {
  describe(`${name} adapter contract`, () => {
    let ctx: ContractContext;
    beforeEach(async () => {
      ctx = await setup();
    });
    afterEach(async () => {
      await ctx.emulator.close();
    });

    /** Creates the coupon (where the platform has one) and the code; returns both platform ids. */
    async function createCode(spec: PromotionCodeSpec, idempotencyKey = `create-${spec.id}`) {
      const coupon = await ctx.adapter.upsertCoupon({ coupon: spec.coupon, platformId: null, idempotencyKey: `coupon-${spec.coupon.id}` });
      const created = await ctx.adapter.createPromotionCode({ code: spec, couponPlatformId: coupon.platformId, idempotencyKey });
      return { couponPlatformId: coupon.platformId, platformId: created.platformId };
    }

    async function codesNamed(code: string): Promise<PlatformCode[]> {
      return (await ctx.emulator.codes()).filter((c) => c.code.toLowerCase() === code.toLowerCase());
    }

    it('creates a percent code with every restriction, mapped onto the platform', async () => {
      const expiresAt = new Date('2031-03-01T12:00:00Z');
      const spec = makeCodeSpec({
        code: 'LAUNCH20',
        restrictions: { firstTimeOnly: true, minimumAmount: 5000, minimumAmountCurrency: 'USD', expiresAt, maxRedemptions: 100 },
      });
      const { couponPlatformId, platformId } = await createCode(spec);

      expect(couponPlatformId === null).toBe(!ctx.adapter.capabilities.couponHoldsCodes);
      const codes = await ctx.emulator.codes();
      expect(codes).toHaveLength(1);
      expect(codes[0]).toEqual({
        platformId,
        code: storedCode(ctx.adapter, 'LAUNCH20'),
        active: true,
        couponPlatformId,
        discountType: 'percent',
        percentOffBps: 2050,
        amountOff: null,
        currency: null,
        restrictions: expectedRestrictions(ctx.adapter, spec.restrictions),
      });
    });

    it('creates a fixed-amount code with amount in minor units and currency', async () => {
      const coupon = makeCouponSpec({ discountType: 'fixed', percentOffBps: null, amountOff: 500, currency: 'USD', duration: 'once', durationInMonths: null });
      const spec = makeCodeSpec({ code: 'FIVEOFF', coupon });
      const { platformId } = await createCode(spec);

      const [code] = await ctx.emulator.codes();
      expect(code).toMatchObject({ platformId, code: storedCode(ctx.adapter, 'FIVEOFF'), discountType: 'fixed', amountOff: 500, currency: 'USD', percentOffBps: null });
    });

    it('propagates an update of restrictions to the platform', async () => {
      const spec = makeCodeSpec({ code: 'UPDATEME', restrictions: { maxRedemptions: 10 } });
      const created = await createCode(spec);
      const changed: PromotionCodeSpec = {
        ...spec,
        restrictions: makeRestrictions({ maxRedemptions: 50, expiresAt: new Date('2032-01-01T00:00:00Z') }),
      };
      const result = await ctx.adapter.updatePromotionCode({ code: changed, platformId: created.platformId, couponPlatformId: created.couponPlatformId });
      const platformId = result?.platformId ?? created.platformId;

      const active = (await codesNamed('UPDATEME')).filter((c) => c.active);
      expect(active).toHaveLength(1);
      expect(active[0]?.platformId).toBe(platformId);
      expect(active[0]?.restrictions).toEqual(expectedRestrictions(ctx.adapter, changed.restrictions));
      const found = await ctx.adapter.findPromotionCodeByCode({ code: 'UPDATEME' });
      expect(found).toMatchObject({ platformId, active: true });
    });

    it('deactivates a code without deleting its record', async () => {
      const spec = makeCodeSpec({ code: 'STOPME' });
      const { platformId } = await createCode(spec);
      await ctx.adapter.deactivatePromotionCode({ platformId });

      expect(await codesNamed('STOPME')).toEqual([expect.objectContaining({ platformId, active: false })]);
      expect(await ctx.adapter.findPromotionCodeByCode({ code: 'STOPME' })).toMatchObject({ platformId, active: false });
    });

    it('rejects a code another object already holds (any case) as code_taken, not retryable', async () => {
      await createCode(makeCodeSpec({ code: 'TAKEN1' }));
      const other = makeCodeSpec({ code: 'taken1' });

      await expectPlatformError(createCode(other), { code: 'code_taken', retryable: false });
      expect((await codesNamed('TAKEN1')).filter((c) => c.active)).toHaveLength(1);
    });

    it('reports bad credentials as unauthorized, not retryable', async () => {
      await expect(ctx.adapter.verifyCredentials()).resolves.toHaveProperty('accountName');
      await expectPlatformError(ctx.badCredentialsAdapter.verifyCredentials(), { code: 'unauthorized', retryable: false });
    });

    it('reports 429 as rate_limited with the Retry-After delay', async () => {
      ctx.emulator.failNext({ status: 429, retryAfterSeconds: 7 });
      await expectPlatformError(ctx.adapter.listPromotionCodes({ cursor: null, limit: 10 }), { code: 'rate_limited', retryable: true, retryAfterMs: 7000 });
      await expect(ctx.adapter.listPromotionCodes({ cursor: null, limit: 10 })).resolves.toEqual({ items: [], nextCursor: null });
    });

    it('reports a 500 as retryable and does not retry by itself', async () => {
      ctx.emulator.failNext({ status: 500 });
      await expectPlatformError(ctx.adapter.findPromotionCodeByCode({ code: 'ANYCODE' }), { code: 'unavailable', retryable: true });
      ctx.emulator.failNext({ status: 503 });
      await expectPlatformError(ctx.adapter.listPromotionCodes({ cursor: null, limit: 10 }), { retryable: true });
    });

    it('finds a code case-insensitively and returns null for an unknown code', async () => {
      const { platformId } = await createCode(makeCodeSpec({ code: 'MixedCase7' }));

      expect(await ctx.adapter.findPromotionCodeByCode({ code: 'mixedcase7' })).toMatchObject({ platformId, code: storedCode(ctx.adapter, 'MixedCase7'), active: true });
      expect(await ctx.adapter.findPromotionCodeByCode({ code: 'NOSUCHCODE' })).toBeNull();
    });

    it('lists every code across several pages', async () => {
      const coupon = makeCouponSpec();
      const created: string[] = [];
      for (let i = 1; i <= 5; i += 1) {
        const { platformId } = await createCode(makeCodeSpec({ code: `PAGE${i}`, coupon }));
        created.push(platformId);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<PlatformAdapter['listPromotionCodes']>> = await ctx.adapter.listPromotionCodes({ cursor, limit: 2 });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((c) => c.platformId));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 10);

      expect(pages).toBe(3);
      expect(seen.sort()).toEqual([...created].sort());
    });

    it('creates one platform object when the same create is sent twice with one idempotency key', async () => {
      const spec = makeCodeSpec({ code: 'ONCEONLY' });
      const first = await createCode(spec, 'same-key');
      const second = await createCode(spec, 'same-key');

      expect(second).toEqual(first);
      expect(await codesNamed('ONCEONLY')).toHaveLength(1);
    });
  });
}
