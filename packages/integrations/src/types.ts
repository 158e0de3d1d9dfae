import type { Platform, RestrictionName } from '@codetrack/contracts';

/** What a platform's checkout enforces itself. Anything false is enforced by us at attribution. */
export type Capabilities = Record<RestrictionName, boolean> & {
  /** Whether a platform object is a coupon with many codes (Stripe) or one object per code. */
  couponHoldsCodes: boolean;
  /** Code characters the platform accepts. */
  codePattern: RegExp;
  codeMaxLength: number;
};

/** The parent discount as we hold it (money in minor units, percent in basis points). */
export type CouponSpec = {
  id: string;
  name: string;
  discountType: 'percent' | 'fixed';
  percentOffBps: number | null;
  amountOff: number | null;
  currency: string | null;
  duration: 'once' | 'repeating' | 'forever';
  durationInMonths: number | null;
};

export type CodeRestrictions = {
  firstTimeOnly: boolean;
  minimumAmount: number | null;
  minimumAmountCurrency: string | null;
  expiresAt: Date | null;
  maxRedemptions: number | null;
};

export type PromotionCodeSpec = {
  id: string;
  code: string;
  active: boolean;
  restrictions: CodeRestrictions;
  coupon: CouponSpec;
};

/** A code as it exists on the platform, in our vocabulary. */
export type PlatformCode = {
  platformId: string;
  code: string;
  active: boolean;
  couponPlatformId: string | null;
  discountType: 'percent' | 'fixed';
  percentOffBps: number | null;
  amountOff: number | null;
  currency: string | null;
  restrictions: CodeRestrictions;
};

export type Page<T> = { items: T[]; nextCursor: string | null };

/** One discount application on a Stripe invoice (`di_...`) and the promotion code it came from. */
export type InvoiceDiscount = {
  discountId: string;
  /** `promo_...`; null when a coupon was applied without a code (nothing to attribute). */
  promotionCodeId: string | null;
  /** The code text when the platform returned it with the discount. */
  code: string | null;
};

/** One object per platform with the same shape; every method takes a single object. */
export interface PlatformAdapter {
  readonly platform: Platform;
  readonly capabilities: Capabilities;
  /** One cheap authenticated call; throws PlatformError (code `unauthorized`) on bad credentials. */
  verifyCredentials(): Promise<{ accountName: string | null }>;
  /** Creates or updates the parent coupon where the platform has one (Stripe); others return null. */
  upsertCoupon(input: { coupon: CouponSpec; platformId: string | null; idempotencyKey: string }): Promise<{ platformId: string | null }>;
  /** Archives/deletes the parent coupon where the platform has one. */
  deleteCoupon(input: { platformId: string }): Promise<void>;
  createPromotionCode(input: { code: PromotionCodeSpec; couponPlatformId: string | null; idempotencyKey: string }): Promise<{ platformId: string }>;
  /**
   * Brings the platform object in line with the spec. Where the platform cannot edit a field in
   * place (Stripe promotion codes: restrictions, expiry, limit, coupon), the adapter replaces the
   * object and returns the new platform id; otherwise it may return nothing (same id).
   * `couponPlatformId` (optional) is the coupon the code should now point to, where coupons exist.
   */
  updatePromotionCode(input: {
    code: PromotionCodeSpec;
    platformId: string;
    couponPlatformId?: string | null;
    idempotencyKey?: string;
  }): Promise<{ platformId: string } | void>;
  deactivatePromotionCode(input: { platformId: string }): Promise<void>;
  deletePromotionCode(input: { platformId: string }): Promise<void>;
  findPromotionCodeByCode(input: { code: string }): Promise<PlatformCode | null>;
  listPromotionCodes(input: { cursor: string | null; limit: number }): Promise<Page<PlatformCode>>;
  /**
   * Stripe only (other platforms name the code or discount in the order itself): the promotion
   * codes behind an invoice's discount applications, which invoice webhooks carry only as `di_`
   * ids. Discounts the platform did not expand are left out, so the caller keeps them unresolved.
   * Takes any order id: one that is not an invoice resolves to nothing, without a request.
   */
  resolveInvoiceDiscounts?(input: { invoiceId: string }): Promise<InvoiceDiscount[]>;
}

export type PlatformErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'code_taken'
  | 'invalid_request'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'unknown';

/** A platform failure in our words: `retryable` says whether trying again can help. */
export class PlatformError extends Error {
  readonly code: PlatformErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  readonly status: number | null;

  constructor(input: { code: PlatformErrorCode; message: string; retryable?: boolean; retryAfterMs?: number | null; status?: number | null; cause?: unknown }) {
    super(input.message, { cause: input.cause });
    this.name = 'PlatformError';
    this.code = input.code;
    this.retryable = input.retryable ?? ['rate_limited', 'unavailable', 'timeout'].includes(input.code);
    this.retryAfterMs = input.retryAfterMs ?? null;
    this.status = input.status ?? null;
  }
}

export type ConnectionTarget = {
  /** Base URL override (store URL for WooCommerce, shop domain for Shopify, emulator in tests). */
  apiBaseUrl: string | null;
  credentials: Record<string, string>;
};
