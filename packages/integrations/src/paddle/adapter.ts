import { ApiError, Paddle } from '@paddle/paddle-node-sdk';
import type { CreateDiscountRequestBody, CurrencyCode, Discount, Environment, UpdateDiscountRequestBody } from '@paddle/paddle-node-sdk';
import { formatBasisPoints, parsePercentToBasisPoints } from '../adapter-helpers.ts';
import { PlatformError } from '../types.ts';
import type { Capabilities, Page, PlatformAdapter, PlatformCode, PromotionCodeSpec } from '../types.ts';

/**
 * Paddle Billing: one discount per code (no parent coupon), no idempotency keys, no delete (archive).
 * Creation looks the code up first and adopts a discount that already carries our id, so a retried
 * create never makes a second discount.
 */

export const paddleCapabilities: Capabilities = {
  firstTimeOnly: false,
  minimumAmount: false,
  expiresAt: true,
  maxRedemptions: true,
  couponHoldsCodes: false,
  codePattern: /^[A-Za-z0-9]+$/,
  codeMaxLength: 32,
};

export type PaddleAdapterOptions = {
  /** Override of https://api.paddle.com (sandbox URL, or an emulator in tests). */
  apiBaseUrl: string | null;
  credentials: Record<string, string>;
  timeoutMs?: number;
};

const DESCRIPTION_MAX = 500;

function discountBody(spec: PromotionCodeSpec): CreateDiscountRequestBody {
  const coupon = spec.coupon;
  const body: CreateDiscountRequestBody = {
    description: `${coupon.name} (${spec.code})`.slice(0, DESCRIPTION_MAX),
    type: coupon.discountType === 'percent' ? 'percentage' : 'flat',
    amount: '',
    code: spec.code,
    enabledForCheckout: true,
    // Paddle counts billing intervals, not months: equal for monthly plans (the common case).
    recur: coupon.duration !== 'once',
    maximumRecurringIntervals: coupon.duration === 'repeating' ? coupon.durationInMonths : null,
    usageLimit: spec.restrictions.maxRedemptions,
    expiresAt: spec.restrictions.expiresAt ? spec.restrictions.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
    customData: { codetrack_id: spec.id },
  };
  if (coupon.duration === 'repeating' && !coupon.durationInMonths) {
    throw new PlatformError({ code: 'invalid_request', message: 'repeating coupon without durationInMonths' });
  }
  if (coupon.discountType === 'percent') {
    if (coupon.percentOffBps === null) throw new PlatformError({ code: 'invalid_request', message: 'percent coupon without percentOffBps' });
    body.amount = formatBasisPoints(coupon.percentOffBps);
  } else {
    if (coupon.amountOff === null || !coupon.currency) throw new PlatformError({ code: 'invalid_request', message: 'fixed coupon without amount or currency' });
    body.amount = String(coupon.amountOff);
    body.currencyCode = coupon.currency.toUpperCase() as CurrencyCode;
  }
  return body;
}

function codetrackIdOf(discount: Discount): string | null {
  const value = (discount.customData as Record<string, unknown> | null)?.codetrack_id;
  return typeof value === 'string' ? value : null;
}

function toPlatformCode(discount: Discount): PlatformCode | null {
  if (!discount.code) return null;
  const percent = discount.type === 'percentage';
  return {
    platformId: discount.id,
    code: discount.code,
    active: discount.status === 'active',
    couponPlatformId: null,
    discountType: percent ? 'percent' : 'fixed',
    percentOffBps: percent ? parsePercentToBasisPoints(discount.amount) : null,
    amountOff: percent ? null : Number.parseInt(discount.amount, 10),
    currency: percent ? null : discount.currencyCode,
    restrictions: {
      firstTimeOnly: false,
      minimumAmount: null,
      minimumAmountCurrency: null,
      expiresAt: discount.expiresAt ? new Date(discount.expiresAt) : null,
      maxRedemptions: discount.usageLimit,
    },
  };
}

const UNAUTHORIZED_CODES = ['authentication_missing', 'authentication_malformed', 'invalid_token', 'unauthorized'];

/** Translates whatever the SDK threw into a PlatformError. */
export function toPaddlePlatformError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  if (error instanceof ApiError) {
    // The SDK's ApiError carries no HTTP status: classify on Paddle's error code and type.
    const base = { message: error.detail || error.message || 'Paddle request failed', cause: error };
    if (UNAUTHORIZED_CODES.includes(error.code)) return new PlatformError({ ...base, code: 'unauthorized' });
    if (error.code === 'forbidden') return new PlatformError({ ...base, code: 'forbidden' });
    if (error.code === 'too_many_requests') {
      const seconds = error.retryAfter;
      return new PlatformError({ ...base, code: 'rate_limited', retryAfterMs: seconds !== null && Number.isFinite(seconds) ? seconds * 1000 : null });
    }
    if (error.code === 'discount_code_conflict') return new PlatformError({ ...base, code: 'code_taken' });
    if (error.code === 'not_found' || error.code === 'entity_not_found') return new PlatformError({ ...base, code: 'not_found' });
    if (error.type === 'api_error') return new PlatformError({ ...base, code: 'unavailable' });
    return new PlatformError({ ...base, code: 'invalid_request' });
  }
  // fetch() network failures are TypeErrors; a non-JSON answer (a proxy's HTML 502) is a SyntaxError.
  if (error instanceof TypeError || error instanceof SyntaxError) {
    return new PlatformError({ code: 'unavailable', message: `Paddle unreachable: ${error.message}`, cause: error });
  }
  return new PlatformError({ code: 'unknown', message: error instanceof Error ? error.message : String(error), cause: error });
}

/** Builds the Paddle adapter; credentials: `{ apiKey }`. */
export function createPaddleAdapter(options: PaddleAdapterOptions): PlatformAdapter {
  const key = options.credentials.apiKey;
  if (!key) throw new PlatformError({ code: 'unauthorized', message: 'Paddle connection has no apiKey' });
  const timeoutMs = options.timeoutMs ?? 20_000;
  const paddle = new Paddle(key, {
    // The SDK uses an unknown environment value as the base URL (internal/api/client.js getBaseUrl).
    ...(options.apiBaseUrl ? { environment: options.apiBaseUrl.replace(/\/+$/, '') as Environment } : {}),
    customHeaders: { 'Paddle-Version': '1' },
  });

  /** The SDK's fetch has no timeout or abort signal, so we stop waiting ourselves. */
  async function call<T>(request: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PlatformError({ code: 'timeout', message: `Paddle did not answer within ${timeoutMs} ms` })), timeoutMs);
    });
    try {
      return await Promise.race([request(), timeout]);
    } catch (error) {
      throw toPaddlePlatformError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  async function findDiscount(code: string): Promise<Discount | null> {
    if (!paddleCapabilities.codePattern.test(code) || code.length > paddleCapabilities.codeMaxLength) return null;
    const found = await call(() => paddle.discounts.list({ code: [code], perPage: 50 }).next());
    const matching = found.filter((d) => d.code?.toLowerCase() === code.toLowerCase());
    return matching.find((d) => d.status === 'active') ?? matching[0] ?? null;
  }

  async function patch(platformId: string, body: UpdateDiscountRequestBody): Promise<Discount> {
    return call(() => paddle.discounts.update(platformId, body));
  }

  async function archive(platformId: string): Promise<void> {
    await patch(platformId, { status: 'archived' });
  }

  async function createOrAdopt(spec: PromotionCodeSpec): Promise<{ platformId: string }> {
    const existing = await findDiscount(spec.code);
    if (existing && codetrackIdOf(existing) === spec.id) {
      await patch(existing.id, { ...discountBody(spec), status: spec.active ? 'active' : 'archived' });
      return { platformId: existing.id };
    }
    if (existing && existing.status === 'active') {
      throw new PlatformError({ code: 'code_taken', message: `Paddle already has an active discount with code ${existing.code ?? spec.code} (${existing.id})` });
    }
    const created = await call(() => paddle.discounts.create(discountBody(spec)));
    if (!spec.active) await archive(created.id);
    return { platformId: created.id };
  }

  return {
    platform: 'paddle',
    capabilities: paddleCapabilities,

    async verifyCredentials() {
      // Paddle has no account endpoint; listing discounts also proves the key may read them.
      await call(() => paddle.discounts.list({ perPage: 1 }).next());
      return { accountName: null };
    },

    async upsertCoupon() {
      return { platformId: null };
    },

    async deleteCoupon() {
      // No parent object on Paddle.
    },

    async createPromotionCode({ code }) {
      try {
        return await createOrAdopt(code);
      } catch (error) {
        if (!(error instanceof PlatformError && error.code === 'code_taken')) throw error;
        // A concurrent attempt for the same code may have won the race: adopt it if it is ours.
        const existing = await findDiscount(code.code);
        if (existing && codetrackIdOf(existing) === code.id) return { platformId: existing.id };
        throw error;
      }
    },

    async updatePromotionCode({ code, platformId }) {
      await patch(platformId, { ...discountBody(code), status: code.active ? 'active' : 'archived' });
    },

    async deactivatePromotionCode({ platformId }) {
      await archive(platformId);
    },

    async deletePromotionCode({ platformId }) {
      try {
        await archive(platformId);
      } catch (error) {
        if (!(error instanceof PlatformError && error.code === 'not_found')) throw error;
      }
    },

    async findPromotionCodeByCode({ code }) {
      const found = await findDiscount(code);
      return found ? toPlatformCode(found) : null;
    },

    async listPromotionCodes({ cursor, limit }): Promise<Page<PlatformCode>> {
      const collection = paddle.discounts.list({ perPage: Math.min(Math.max(limit, 1), 200), ...(cursor ? { after: cursor } : {}) });
      const discounts = await call(() => collection.next());
      const last = discounts[discounts.length - 1];
      const items = discounts.map(toPlatformCode).filter((c): c is PlatformCode => c !== null);
      return { items, nextCursor: collection.hasMore && last ? last.id : null };
    },
  };
}
