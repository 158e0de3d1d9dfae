import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import { formatBasisPoints, parsePercentToBasisPoints, parseRetryAfterMs, splitBaseUrl } from '../adapter-helpers.ts';
import { PlatformError } from '../types.ts';
import type { Capabilities, CouponSpec, InvoiceDiscount, Page, PlatformAdapter, PlatformCode, PromotionCodeSpec } from '../types.ts';

/**
 * Stripe: a coupon holds the discount, promotion codes point at it. Promotion codes cannot be
 * deleted and only `active`/`metadata` are editable, so changed restrictions replace the code.
 */

/**
 * Pinned so an SDK upgrade that moves the default version fails typecheck here and is reviewed.
 * Promotion codes take `promotion: {type, coupon}` from 2025-09-30 on.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive';

export const stripeCapabilities: Capabilities = {
  firstTimeOnly: true,
  minimumAmount: true,
  expiresAt: true,
  maxRedemptions: true,
  couponHoldsCodes: true,
  codePattern: /^[A-Za-z0-9-]+$/,
  // Stripe documents no maximum for `code`; 200 is a conservative guess (unverified).
  codeMaxLength: 200,
};

export type StripeAdapterOptions = {
  /** Override of https://api.stripe.com (an emulator in tests). */
  apiBaseUrl: string | null;
  credentials: Record<string, string>;
  timeoutMs?: number;
};

/** Coupon names are limited to 40 characters on Stripe. */
const COUPON_NAME_MAX = 40;
const LIST_EXPAND = ['data.promotion.coupon'];
/**
 * Every place an invoice names a discount, expanded down to the promotion code (Stripe expands at
 * most four levels deep). `total_discount_amounts` aggregates the line items' discounts too, so
 * it also covers lines beyond the first page of `lines`.
 */
const INVOICE_DISCOUNT_EXPAND = ['discounts.promotion_code', 'total_discount_amounts.discount.promotion_code', 'lines.data.discounts.promotion_code'];

/** The Stripe adapter has the Stripe-only methods for sure. */
export type StripeAdapter = PlatformAdapter & { resolveInvoiceDiscounts: NonNullable<PlatformAdapter['resolveInvoiceDiscounts']> };

type CouponDiscount = Pick<Stripe.CouponCreateParams, 'percent_off' | 'amount_off' | 'currency' | 'duration' | 'duration_in_months'>;

function couponDiscount(coupon: CouponSpec): CouponDiscount {
  const base: CouponDiscount = { duration: coupon.duration };
  if (coupon.duration === 'repeating') {
    if (!coupon.durationInMonths) throw new PlatformError({ code: 'invalid_request', message: 'repeating coupon without durationInMonths' });
    base.duration_in_months = coupon.durationInMonths;
  }
  if (coupon.discountType === 'percent') {
    if (coupon.percentOffBps === null) throw new PlatformError({ code: 'invalid_request', message: 'percent coupon without percentOffBps' });
    return { ...base, percent_off: Number(formatBasisPoints(coupon.percentOffBps)) };
  }
  if (coupon.amountOff === null || !coupon.currency) throw new PlatformError({ code: 'invalid_request', message: 'fixed coupon without amount or currency' });
  return { ...base, amount_off: coupon.amountOff, currency: coupon.currency.toLowerCase() };
}

function sameDiscount(existing: Stripe.Coupon, desired: CouponDiscount): boolean {
  return (
    (existing.percent_off ?? undefined) === desired.percent_off &&
    (existing.amount_off ?? undefined) === desired.amount_off &&
    (existing.currency ?? undefined) === desired.currency &&
    existing.duration === desired.duration &&
    (existing.duration === 'repeating' ? existing.duration_in_months === desired.duration_in_months : true)
  );
}

/** The fields Stripe fixes at creation: changing any of them means a new promotion code. */
function immutableFields(spec: PromotionCodeSpec, couponId: string) {
  const r = spec.restrictions;
  return {
    code: spec.code,
    coupon: couponId,
    expires_at: r.expiresAt ? Math.floor(r.expiresAt.getTime() / 1000) : null,
    max_redemptions: r.maxRedemptions,
    first_time_transaction: r.firstTimeOnly,
    minimum_amount: r.minimumAmount,
    minimum_amount_currency: r.minimumAmount === null ? null : (r.minimumAmountCurrency ?? spec.coupon.currency)?.toLowerCase() ?? null,
  };
}

function createParams(spec: PromotionCodeSpec, couponId: string): Stripe.PromotionCodeCreateParams {
  const fields = immutableFields(spec, couponId);
  if (fields.minimum_amount !== null && !fields.minimum_amount_currency) {
    throw new PlatformError({ code: 'invalid_request', message: 'minimum amount needs a currency' });
  }
  const restrictions: Stripe.PromotionCodeCreateParams.Restrictions = { first_time_transaction: fields.first_time_transaction };
  if (fields.minimum_amount !== null) {
    restrictions.minimum_amount = fields.minimum_amount;
    restrictions.minimum_amount_currency = fields.minimum_amount_currency ?? undefined;
  }
  const params: Stripe.PromotionCodeCreateParams = {
    promotion: { type: 'coupon', coupon: couponId },
    code: spec.code,
    active: spec.active,
    restrictions,
    metadata: { codetrack_id: spec.id },
  };
  if (fields.expires_at !== null) params.expires_at = fields.expires_at;
  if (fields.max_redemptions !== null) params.max_redemptions = fields.max_redemptions;
  return params;
}

function couponIdOf(code: Stripe.PromotionCode): string | null {
  // Older API versions put the coupon at the top level; tolerate both shapes.
  const ref = code.promotion?.coupon ?? (code as unknown as { coupon?: string | Stripe.Coupon | null }).coupon ?? null;
  if (ref === null) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

function couponOf(code: Stripe.PromotionCode): Stripe.Coupon | null {
  const ref = code.promotion?.coupon ?? (code as unknown as { coupon?: string | Stripe.Coupon | null }).coupon ?? null;
  return ref !== null && typeof ref === 'object' ? ref : null;
}

function immutableFieldsOf(code: Stripe.PromotionCode) {
  return {
    code: code.code,
    coupon: couponIdOf(code),
    expires_at: code.expires_at,
    max_redemptions: code.max_redemptions,
    first_time_transaction: code.restrictions.first_time_transaction,
    minimum_amount: code.restrictions.minimum_amount,
    minimum_amount_currency: code.restrictions.minimum_amount === null ? null : (code.restrictions.minimum_amount_currency?.toLowerCase() ?? null),
  };
}

function toPlatformCode(code: Stripe.PromotionCode): PlatformCode {
  const coupon = couponOf(code);
  const percent = coupon?.percent_off ?? null;
  return {
    platformId: code.id,
    code: code.code,
    active: code.active,
    couponPlatformId: couponIdOf(code),
    discountType: percent !== null ? 'percent' : 'fixed',
    percentOffBps: percent !== null ? parsePercentToBasisPoints(percent) : null,
    amountOff: coupon?.amount_off ?? null,
    currency: coupon?.currency ? coupon.currency.toUpperCase() : null,
    restrictions: {
      firstTimeOnly: code.restrictions.first_time_transaction,
      minimumAmount: code.restrictions.minimum_amount,
      minimumAmountCurrency: code.restrictions.minimum_amount_currency ? code.restrictions.minimum_amount_currency.toUpperCase() : null,
      expiresAt: code.expires_at === null ? null : new Date(code.expires_at * 1000),
      maxRedemptions: code.max_redemptions,
    },
  };
}

type DiscountRef = string | Stripe.Discount | Stripe.DeletedDiscount | null | undefined;

/** The discounts an expanded invoice names, by id; ids that came back unexpanded are left out. */
function invoiceDiscounts(invoice: Stripe.Invoice): InvoiceDiscount[] {
  const found = new Map<string, InvoiceDiscount>();
  const add = (ref: DiscountRef) => {
    if (ref === null || ref === undefined || typeof ref === 'string') return;
    const promotion = ref.promotion_code;
    const entry: InvoiceDiscount = {
      discountId: ref.id,
      promotionCodeId: promotion === null ? null : typeof promotion === 'string' ? promotion : promotion.id,
      code: promotion !== null && typeof promotion === 'object' ? promotion.code : null,
    };
    const known = found.get(ref.id);
    if (!known || (known.code === null && entry.code !== null)) found.set(ref.id, entry);
  };
  for (const ref of invoice.discounts ?? []) add(ref);
  for (const amount of invoice.total_discount_amounts ?? []) add(amount.discount);
  for (const line of invoice.lines?.data ?? []) {
    for (const ref of line.discounts ?? []) add(ref);
    for (const amount of line.discount_amounts ?? []) add(amount.discount);
  }
  return [...found.values()];
}

const DUPLICATE_CODE = /active promotion code with .*already exists/i;

/** Translates whatever the SDK threw into a PlatformError. */
export function toStripePlatformError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new PlatformError({ code: 'unknown', message: error instanceof Error ? error.message : String(error), cause: error });
  }
  const status = error.statusCode ?? null;
  const message = error.message || 'Stripe request failed';
  const base = { message, status, cause: error };
  if (error instanceof Stripe.errors.StripeConnectionError) {
    const detailCode = error.detail && typeof error.detail === 'object' ? (error.detail as { code?: unknown }).code : undefined;
    return new PlatformError({ ...base, code: detailCode === 'ETIMEDOUT' ? 'timeout' : 'unavailable' });
  }
  if (status === 429 || error instanceof Stripe.errors.StripeRateLimitError) {
    const header = error.headers?.['retry-after'] ?? error.headers?.['Retry-After'];
    return new PlatformError({ ...base, code: 'rate_limited', retryAfterMs: parseRetryAfterMs(header) });
  }
  if (status === 401) return new PlatformError({ ...base, code: 'unauthorized' });
  if (status === 403) return new PlatformError({ ...base, code: 'forbidden' });
  if (status === 404) return new PlatformError({ ...base, code: 'not_found' });
  // 409: another request with the same idempotency key is still in flight.
  if (status === 409) return new PlatformError({ ...base, code: 'unavailable' });
  if (status !== null && status >= 500) return new PlatformError({ ...base, code: 'unavailable' });
  if (error.code === 'resource_already_exists' || DUPLICATE_CODE.test(message)) return new PlatformError({ ...base, code: 'code_taken' });
  if (error.code === 'resource_missing') return new PlatformError({ ...base, code: 'not_found' });
  return new PlatformError({ ...base, code: 'invalid_request' });
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw toStripePlatformError(error);
  }
}

async function ignoreNotFound(request: () => Promise<unknown>): Promise<void> {
  try {
    await call(request);
  } catch (error) {
    if (!(error instanceof PlatformError && error.code === 'not_found')) throw error;
  }
}

/** Idempotency key for a replacement object: stable for the same target, new when the target changes. */
function replaceKey(prefix: string, replacedId: string, params: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 24);
  return `${prefix}:replace:${replacedId}:${digest}`;
}

/** Builds the Stripe adapter; credentials: `{ secretKey }` (`apiKey` accepted as an alias). */
export function createStripeAdapter(options: StripeAdapterOptions): StripeAdapter {
  const key = options.credentials.secretKey ?? options.credentials.apiKey;
  if (!key) throw new PlatformError({ code: 'unauthorized', message: 'Stripe connection has no secretKey' });
  const target = options.apiBaseUrl ? splitBaseUrl(options.apiBaseUrl) : null;
  const stripe = new Stripe(key, {
    apiVersion: STRIPE_API_VERSION,
    // The worker owns retries (with backoff and our idempotency keys), so the SDK must not retry.
    maxNetworkRetries: 0,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    ...(target ? { host: target.host, port: target.port, protocol: target.protocol } : {}),
  });

  const retrieveCode = (id: string) => call(() => stripe.promotionCodes.retrieve(id, { expand: ['promotion.coupon'] }));

  async function findByCode(code: string): Promise<Stripe.PromotionCode | null> {
    const page = await call(() => stripe.promotionCodes.list({ code, limit: 100, expand: LIST_EXPAND }));
    return page.data.find((c) => c.active) ?? page.data[0] ?? null;
  }

  return {
    platform: 'stripe',
    capabilities: stripeCapabilities,

    async verifyCredentials() {
      try {
        const account = await call(() => stripe.accounts.retrieveCurrent());
        return { accountName: account.settings?.dashboard?.display_name ?? account.business_profile?.name ?? null };
      } catch (error) {
        // Restricted keys may lack account access; a balance read still proves the key works.
        if (!(error instanceof PlatformError && error.code === 'forbidden')) throw error;
        await call(() => stripe.balance.retrieve());
        return { accountName: null };
      }
    },

    async upsertCoupon({ coupon, platformId, idempotencyKey }) {
      const discount = couponDiscount(coupon);
      const name = coupon.name.slice(0, COUPON_NAME_MAX);
      if (platformId) {
        let existing: Stripe.Coupon | null = null;
        try {
          existing = await call(() => stripe.coupons.retrieve(platformId));
        } catch (error) {
          if (!(error instanceof PlatformError && error.code === 'not_found')) throw error;
        }
        if (existing && sameDiscount(existing, discount)) {
          if (existing.name !== name || existing.metadata?.codetrack_id !== coupon.id) {
            await call(() => stripe.coupons.update(platformId, { name, metadata: { codetrack_id: coupon.id } }));
          }
          return { platformId };
        }
        // Stripe cannot change a coupon's discount: a new coupon replaces it; its codes must move.
        const params = { ...discount, name, metadata: { codetrack_id: coupon.id } };
        const created = await call(() => stripe.coupons.create(params, { idempotencyKey: replaceKey(idempotencyKey, platformId, params) }));
        return { platformId: created.id };
      }
      const created = await call(() => stripe.coupons.create({ ...discount, name, metadata: { codetrack_id: coupon.id } }, { idempotencyKey }));
      return { platformId: created.id };
    },

    async deleteCoupon({ platformId }) {
      await ignoreNotFound(() => stripe.coupons.del(platformId));
    },

    async createPromotionCode({ code, couponPlatformId, idempotencyKey }) {
      if (!couponPlatformId) throw new PlatformError({ code: 'invalid_request', message: 'Stripe promotion codes need a coupon platform id' });
      const params = createParams(code, couponPlatformId);
      try {
        const created = await call(() => stripe.promotionCodes.create(params, { idempotencyKey }));
        return { platformId: created.id };
      } catch (error) {
        if (!(error instanceof PlatformError && error.code === 'code_taken')) throw error;
        // Ours already (an earlier attempt under another key)? Adopt it instead of failing.
        const existing = await findByCode(code.code);
        if (existing?.active && existing.metadata?.codetrack_id === code.id) return { platformId: existing.id };
        throw error;
      }
    },

    async updatePromotionCode({ code, platformId, couponPlatformId, idempotencyKey }) {
      const existing = await retrieveCode(platformId);
      const couponId = couponPlatformId ?? couponIdOf(existing);
      if (!couponId) throw new PlatformError({ code: 'invalid_request', message: `promotion code ${platformId} has no coupon` });
      const desired = immutableFields(code, couponId);
      const unchanged = JSON.stringify(desired) === JSON.stringify(immutableFieldsOf(existing));
      if (unchanged || !code.active) {
        // An inactive code cannot be redeemed, so stale restrictions on it do no harm.
        if (existing.active !== code.active || existing.metadata?.codetrack_id !== code.id) {
          await call(() => stripe.promotionCodes.update(platformId, { active: code.active, metadata: { codetrack_id: code.id } }));
        }
        return;
      }
      const params = createParams(code, couponId);
      if (existing.active) await call(() => stripe.promotionCodes.update(platformId, { active: false }));
      try {
        const key = replaceKey(idempotencyKey ?? 'codetrack', platformId, params);
        const created = await call(() => stripe.promotionCodes.create(params, { idempotencyKey: key }));
        return { platformId: created.id };
      } catch (error) {
        if (existing.active) await call(() => stripe.promotionCodes.update(platformId, { active: true })).catch(() => undefined);
        throw error;
      }
    },

    async deactivatePromotionCode({ platformId }) {
      await call(() => stripe.promotionCodes.update(platformId, { active: false }));
    },

    async deletePromotionCode({ platformId }) {
      // Stripe has no delete for promotion codes: deactivating is the closest.
      await ignoreNotFound(() => stripe.promotionCodes.update(platformId, { active: false }));
    },

    async findPromotionCodeByCode({ code }) {
      const found = await findByCode(code);
      return found ? toPlatformCode(found) : null;
    },

    async listPromotionCodes({ cursor, limit }): Promise<Page<PlatformCode>> {
      const page = await call(() =>
        stripe.promotionCodes.list({
          limit: Math.min(Math.max(limit, 1), 100),
          expand: LIST_EXPAND,
          ...(cursor ? { starting_after: cursor } : {}),
        }),
      );
      const last = page.data[page.data.length - 1];
      return { items: page.data.map(toPlatformCode), nextCursor: page.has_more && last ? last.id : null };
    },

    async resolveInvoiceDiscounts({ invoiceId }) {
      // Only invoices (in_…) can be read back; a checkout session's or payment's id names nothing here.
      if (!invoiceId.startsWith('in_')) return [];
      const invoice = await call(() => stripe.invoices.retrieve(invoiceId, { expand: INVOICE_DISCOUNT_EXPAND }));
      return invoiceDiscounts(invoice);
    },
  };
}
