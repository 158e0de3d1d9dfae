import type { Coupon, PromotionCode } from '@codetrack/db';
import type { CouponSpec, PlatformCode, PromotionCodeSpec } from '@codetrack/integrations';

type CouponFields = Pick<Coupon, 'id' | 'name' | 'discountType' | 'percentOffBps' | 'amountOff' | 'currency' | 'duration' | 'durationInMonths'>;
type CodeFields = Pick<PromotionCode, 'id' | 'code' | 'firstTimeOnly' | 'minimumAmount' | 'minimumAmountCurrency' | 'expiresAt' | 'maxRedemptions'>;

/** Our coupon in the adapters' vocabulary. */
export function toCouponSpec(coupon: CouponFields): CouponSpec {
  return {
    id: coupon.id,
    name: coupon.name,
    discountType: coupon.discountType,
    percentOffBps: coupon.percentOffBps,
    amountOff: coupon.amountOff,
    currency: coupon.currency,
    duration: coupon.duration,
    durationInMonths: coupon.durationInMonths,
  };
}

/** Our code as it should exist on the platform; `active` is the desired state, decided by the caller. */
export function toPromotionCodeSpec(code: CodeFields, coupon: CouponFields, active: boolean): PromotionCodeSpec {
  return {
    id: code.id,
    code: code.code,
    active,
    restrictions: {
      firstTimeOnly: code.firstTimeOnly,
      minimumAmount: code.minimumAmount,
      minimumAmountCurrency: code.minimumAmountCurrency,
      expiresAt: code.expiresAt,
      maxRedemptions: code.maxRedemptions,
    },
    coupon: toCouponSpec(coupon),
  };
}

/** Whether a platform code gives the same discount as our coupon (what adoption and import match on). */
export function hasSameDiscount(platform: Pick<PlatformCode, 'discountType' | 'percentOffBps' | 'amountOff' | 'currency'>, coupon: Pick<Coupon, 'discountType' | 'percentOffBps' | 'amountOff' | 'currency'>): boolean {
  if (platform.discountType !== coupon.discountType) return false;
  if (coupon.discountType === 'percent') return platform.percentOffBps === coupon.percentOffBps;
  // A platform that carries no currency on fixed discounts (WooCommerce without a store currency) matches on the amount.
  const sameCurrency = platform.currency === null || coupon.currency === null || platform.currency.toUpperCase() === coupon.currency.toUpperCase();
  return platform.amountOff === coupon.amountOff && sameCurrency;
}

const platformNames = { stripe: 'Stripe', paddle: 'Paddle', woocommerce: 'WooCommerce', shopify: 'Shopify' } as const;

export function platformName(platform: keyof typeof platformNames): string {
  return platformNames[platform];
}
