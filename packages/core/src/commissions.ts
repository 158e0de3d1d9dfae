import { assertInteger, formatAmountWithCode, multiplyRatioHalfEven, normalizeCurrency } from './money.ts';

// Rounding: every commission amount is rounded half to even (banker's rounding) in integer
// arithmetic, so over many sales the rounding errors cancel out instead of favouring one side.

export const BASIS_POINTS_PER_WHOLE = 10_000;
const MS_PER_DAY = 86_400_000;

export type CommissionDuration = 'first_order' | 'months' | 'lifetime';

export interface CommissionRule {
  type: 'percent' | 'fixed';
  /** percent: basis points of the net amount (2000 = 20%); fixed: minor units of the program currency. */
  value: number;
  duration: CommissionDuration;
  /** Only for duration 'months'. */
  durationMonths?: number | null;
}

export interface CommissionOrder {
  netAmount: number;
  currency: string;
  orderedAt: Date;
}

export interface ComputeCommissionInput {
  rule: CommissionRule;
  order: CommissionOrder;
  programCurrency: string;
  /** The customer's first order in this program. */
  isFirstOrder: boolean;
  /** When the customer was bound to the partner; null if this order creates the binding. */
  boundAt: Date | null;
}

export type CommissionResult =
  | { amount: number; currency: string; reason: null }
  | { amount: null; currency: null; reason: string };

/**
 * The commission a sale earns under a rule: percent of the net amount in the order's currency,
 * or a fixed amount in the program currency whatever the order currency. null with a reason when
 * nothing is earned (outside the commission duration, nothing paid, rule worth zero).
 */
export function computeCommission({ rule, order, programCurrency, isFirstOrder, boundAt }: ComputeCommissionInput): CommissionResult {
  assertValidRule(rule);
  assertInteger(order.netAmount, 'order.netAmount');
  if (!isWithinCommissionDuration({ rule, boundAt, orderedAt: order.orderedAt, isFirstOrder })) {
    return noCommission(describeDurationMiss(rule));
  }
  if (order.netAmount <= 0) {
    return noCommission(`nothing was paid (net amount ${formatAmountWithCode(order.netAmount, order.currency)})`);
  }
  if (rule.type === 'fixed') {
    if (rule.value === 0) return noCommission('the commission rule is worth 0');
    return { amount: rule.value, currency: normalizeCurrency(programCurrency), reason: null };
  }
  const amount = multiplyRatioHalfEven(order.netAmount, rule.value, BASIS_POINTS_PER_WHOLE);
  if (amount === 0) {
    return noCommission(`${formatBps(rule.value)} of ${formatAmountWithCode(order.netAmount, order.currency)} rounds to 0`);
  }
  return { amount, currency: normalizeCurrency(order.currency), reason: null };
}

function noCommission(reason: string): CommissionResult {
  return { amount: null, currency: null, reason };
}

function describeDurationMiss(rule: CommissionRule): string {
  if (rule.duration === 'first_order') return "the rule pays on the customer's first order only and this is a repeat order";
  return `the order is outside the ${rule.durationMonths ?? 0}-month commission period`;
}

function formatBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const fraction = bps % 100;
  return fraction === 0 ? `${whole}%` : `${whole}.${String(fraction).padStart(2, '0').replace(/0$/, '')}%`;
}

function assertValidRule(rule: CommissionRule): void {
  assertInteger(rule.value, 'rule.value');
  if (rule.value < 0) throw new RangeError('rule.value must not be negative');
  if (rule.type === 'percent' && rule.value > BASIS_POINTS_PER_WHOLE) {
    throw new RangeError('a percent rule cannot exceed 10000 basis points (100%)');
  }
  if (rule.duration === 'months') {
    const months = rule.durationMonths;
    if (months == null || !Number.isInteger(months) || months < 1) {
      throw new RangeError('a months rule needs durationMonths of at least 1');
    }
  }
}

export interface CommissionDurationInput {
  rule: Pick<CommissionRule, 'duration' | 'durationMonths'>;
  boundAt: Date | null;
  orderedAt: Date;
  isFirstOrder: boolean;
}

/**
 * Whether an order still earns under the rule's duration. 'months' counts calendar months in UTC
 * from the binding (Jan 31 + 1 month = end of February) and ends exclusively at that instant.
 */
export function isWithinCommissionDuration({ rule, boundAt, orderedAt, isFirstOrder }: CommissionDurationInput): boolean {
  switch (rule.duration) {
    case 'lifetime':
      return true;
    case 'first_order':
      return isFirstOrder;
    case 'months': {
      if (boundAt === null) return true;
      const end = addMonthsUtc(boundAt, rule.durationMonths ?? 0);
      return orderedAt.getTime() < end.getTime();
    }
  }
}

/** Adds calendar months in UTC, clamping to the last day of a shorter month. */
export function addMonthsUtc(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(date.getTime());
  result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return result;
}

export interface RefundReversalInput {
  commissionAmount: number;
  saleNetAmount: number;
  /** Refunded before this refund. */
  alreadyRefunded: number;
  refundAmount: number;
  /** Commission already reversed by earlier refunds. */
  alreadyReversed: number;
}

/**
 * How much commission this refund takes back (a positive number of minor units). Proportional to
 * the refunded share of the sale, computed on the running total so partial refunds never drift:
 * after any sequence of refunds the total reversed is round(commission * refunded / net), and a
 * full refund reverses exactly what is left. Never reverses more than was earned.
 */
export function computeRefundReversal(input: RefundReversalInput): number {
  const { commissionAmount, saleNetAmount, alreadyRefunded, refundAmount, alreadyReversed } = input;
  for (const [name, value] of Object.entries(input)) {
    assertInteger(value, name);
    if (value < 0) throw new RangeError(`${name} must not be negative`);
  }
  const remaining = Math.max(0, commissionAmount - alreadyReversed);
  if (remaining === 0 || refundAmount === 0) return 0;
  const refundedTotal = alreadyRefunded + refundAmount;
  if (saleNetAmount === 0 || refundedTotal >= saleNetAmount) return remaining;
  const reversedTotal = multiplyRatioHalfEven(commissionAmount, refundedTotal, saleNetAmount);
  return Math.min(remaining, Math.max(0, reversedTotal - alreadyReversed));
}

/** The instant a commission's hold period ends (holdDays of 24 hours after the order, UTC). */
export function holdUntil(orderedAt: Date, holdDays: number): Date {
  if (!Number.isInteger(holdDays) || holdDays < 0) {
    throw new RangeError(`holdDays must be a non-negative integer, got ${String(holdDays)}`);
  }
  return new Date(orderedAt.getTime() + holdDays * MS_PER_DAY);
}

/** A commission may be approved once the hold period is over (at exactly holdUntil, it is). */
export function isHoldOver(orderedAt: Date, holdDays: number, now: Date): boolean {
  return now.getTime() >= holdUntil(orderedAt, holdDays).getTime();
}
