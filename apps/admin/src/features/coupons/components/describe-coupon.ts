import type { Coupon } from '@codetrack/contracts';
import { formatMoney } from '@codetrack/web/money';
import { formatBps } from '../../../lib/format.ts';

/** "20% off once", "$5.00 off for 3 months". */
export function describeDiscount(coupon: Pick<Coupon, 'discountType' | 'percentOffBps' | 'amountOff' | 'currency' | 'duration' | 'durationInMonths'>): string {
  const amount =
    coupon.discountType === 'percent'
      ? `${formatBps(coupon.percentOffBps ?? 0)} off`
      : `${formatMoney(coupon.amountOff ?? 0, coupon.currency ?? 'USD')} off`;
  if (coupon.duration === 'forever') return `${amount} forever`;
  if (coupon.duration === 'repeating') return `${amount} for ${coupon.durationInMonths} months`;
  return `${amount} once`;
}
