import type { Platform } from './codes.ts';
import { formatAmountWithCode, formatMoney, isSameCurrency } from './money.ts';

export type RestrictionName = 'firstTimeOnly' | 'minimumAmount' | 'expiresAt' | 'maxRedemptions';

export const RESTRICTION_NAMES: readonly RestrictionName[] = ['firstTimeOnly', 'minimumAmount', 'expiresAt', 'maxRedemptions'];

export interface CodeRestrictions {
  firstTimeOnly: boolean;
  /** Minor units; compared with the order total before discounts, as every platform does. */
  minimumAmount: number | null;
  /** null means "in the order's currency". */
  minimumAmountCurrency: string | null;
  /** The code works strictly before this instant. */
  expiresAt: Date | null;
  maxRedemptions: number | null;
}

export interface RestrictionOrder {
  netAmount: number;
  grossAmount: number;
  currency: string;
  orderedAt: Date;
  isFirstOrder: boolean;
}

export interface RestrictionViolation {
  restriction: RestrictionName;
  message: string;
}

export interface CheckRestrictionsInput {
  restrictions: CodeRestrictions;
  order: RestrictionOrder;
  /** Redemptions before this order (this order is not counted). */
  timesRedeemed: number;
}

/** Every restriction the order breaks, in plain English; empty list = the code was used validly. */
export function checkRestrictions({ restrictions, order, timesRedeemed }: CheckRestrictionsInput): RestrictionViolation[] {
  const violations: RestrictionViolation[] = [];
  if (restrictions.firstTimeOnly && !order.isFirstOrder) {
    violations.push({
      restriction: 'firstTimeOnly',
      message: 'the code is for first-time customers only and this customer has ordered before',
    });
  }
  if (restrictions.minimumAmount !== null && restrictions.minimumAmount > 0) {
    const minimumCurrency = restrictions.minimumAmountCurrency ?? order.currency;
    if (!isSameCurrency(minimumCurrency, order.currency)) {
      violations.push({
        restriction: 'minimumAmount',
        message: `the order is in ${order.currency.toUpperCase()} but the minimum amount ${formatAmountWithCode(restrictions.minimumAmount, minimumCurrency)} is set in another currency`,
      });
    } else if (order.grossAmount < restrictions.minimumAmount) {
      violations.push({
        restriction: 'minimumAmount',
        message: `order total ${formatAmountWithCode(order.grossAmount, order.currency)} is below the minimum ${formatAmountWithCode(restrictions.minimumAmount, minimumCurrency)}`,
      });
    }
  }
  if (restrictions.expiresAt !== null && order.orderedAt.getTime() >= restrictions.expiresAt.getTime()) {
    violations.push({
      restriction: 'expiresAt',
      message: `the order was placed at ${order.orderedAt.toISOString()}, after the code expired at ${restrictions.expiresAt.toISOString()}`,
    });
  }
  if (restrictions.maxRedemptions !== null && timesRedeemed >= restrictions.maxRedemptions) {
    violations.push({
      restriction: 'maxRedemptions',
      message: `the code had already been used ${timesRedeemed} ${timesRedeemed === 1 ? 'time' : 'times'}, its limit is ${restrictions.maxRedemptions}`,
    });
  }
  return violations;
}

/** Which restrictions each platform enforces at its own checkout (docs/PLATFORMS.md). */
export const platformRestrictionSupport: Readonly<Record<Platform, Readonly<Record<RestrictionName, boolean>>>> = {
  stripe: { firstTimeOnly: true, minimumAmount: true, expiresAt: true, maxRedemptions: true },
  paddle: { firstTimeOnly: false, minimumAmount: false, expiresAt: true, maxRedemptions: true },
  woocommerce: { firstTimeOnly: false, minimumAmount: true, expiresAt: true, maxRedemptions: true },
  shopify: { firstTimeOnly: false, minimumAmount: true, expiresAt: true, maxRedemptions: true },
};

/** The restrictions set on a code that this platform cannot enforce, so attribution must. */
export function findRestrictionsEnforcedByUs(restrictions: CodeRestrictions, platform: Platform): RestrictionName[] {
  const support = platformRestrictionSupport[platform];
  return activeRestrictions(restrictions).filter((name) => !support[name]);
}

/** Names of the restrictions that are actually set on a code. */
export function activeRestrictions(restrictions: CodeRestrictions): RestrictionName[] {
  const active: RestrictionName[] = [];
  if (restrictions.firstTimeOnly) active.push('firstTimeOnly');
  if (restrictions.minimumAmount !== null && restrictions.minimumAmount > 0) active.push('minimumAmount');
  if (restrictions.expiresAt !== null) active.push('expiresAt');
  if (restrictions.maxRedemptions !== null) active.push('maxRedemptions');
  return active;
}

export interface DescribeDiscountInput {
  discountType: 'percent' | 'fixed';
  percentOffBps?: number | null;
  amountOff?: number | null;
  currency?: string | null;
  duration: 'once' | 'repeating' | 'forever';
  durationInMonths?: number | null;
  restrictions?: CodeRestrictions | null;
  timesRedeemed?: number;
  /** BCP 47 locale for numbers and dates; defaults to en-GB ("31 Dec 2026"). */
  locale?: string;
}

/** One line a merchant or partner can read: "20% off the first order, orders of $50 or more, until 31 Dec 2026, 100 uses left". */
export function describeDiscount(input: DescribeDiscountInput): string {
  const locale = input.locale ?? 'en-GB';
  const restrictions = input.restrictions ?? null;
  let headline = `${describeDiscountValue(input, locale)} off`;
  const firstTimeOnly = restrictions?.firstTimeOnly ?? false;
  if (input.duration === 'once') {
    if (firstTimeOnly) headline += ' the first order';
  } else {
    headline += input.duration === 'forever' ? ' forever' : ` for ${describeMonths(input.durationInMonths ?? 1)}`;
  }
  const parts = [headline];
  if (firstTimeOnly && input.duration !== 'once') parts.push('first-time customers only');
  if (restrictions?.minimumAmount != null && restrictions.minimumAmount > 0) {
    const currency = restrictions.minimumAmountCurrency ?? input.currency;
    if (currency) parts.push(`orders of ${formatMoney(restrictions.minimumAmount, currency, locale)} or more`);
  }
  if (restrictions?.expiresAt) {
    const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    // expiresAt is exclusive: a code expiring at midnight is last usable the day before.
    parts.push(`until ${date.format(new Date(restrictions.expiresAt.getTime() - 1))}`);
  }
  if (restrictions?.maxRedemptions != null) {
    const left = Math.max(0, restrictions.maxRedemptions - (input.timesRedeemed ?? 0));
    parts.push(left === 0 ? 'no uses left' : `${left} ${left === 1 ? 'use' : 'uses'} left`);
  }
  return parts.join(', ');
}

function describeDiscountValue(input: DescribeDiscountInput, locale: string): string {
  if (input.discountType === 'percent') {
    const bps = input.percentOffBps ?? 0;
    // Exact decimal string (bps / 10000) so 12.5% never passes through a binary float.
    const fraction = `${Math.trunc(bps / 10000)}.${String(bps % 10000).padStart(4, '0')}` as `${number}`;
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(fraction);
  }
  if (!input.currency) throw new RangeError('a fixed discount needs a currency');
  return formatMoney(input.amountOff ?? 0, input.currency, locale);
}

function describeMonths(months: number): string {
  return months === 1 ? '1 month' : `${months} months`;
}
