import type { Coupon, CreateCouponInput } from '@codetrack/contracts';
import { currencyDigits, fromMinorUnits, toMinorUnits } from '@codetrack/web/money';

export type CouponFormValues = {
  name: string;
  discountType: 'percent' | 'fixed';
  /** As typed: 20 = 20 %. */
  percentOff: number | string;
  /** Major units as typed: 5.5 = 5.50. */
  amountOff: number | string;
  currency: string;
  duration: 'once' | 'repeating' | 'forever';
  durationInMonths: number | string;
  firstTimeOnly: boolean;
  minimumAmount: number | string;
  /** yyyy-mm-dd from a date input; the code stops working at the end of that day (UTC). */
  expiresOn: string;
  maxRedemptions: number | string;
  connectionIds: string[];
};

export type CouponFormErrors = Partial<Record<keyof CouponFormValues, string>>;

export function emptyCouponForm(currency: string): CouponFormValues {
  return {
    name: '',
    discountType: 'percent',
    percentOff: 10,
    amountOff: '',
    currency,
    duration: 'once',
    durationInMonths: 3,
    firstTimeOnly: false,
    minimumAmount: '',
    expiresOn: '',
    maxRedemptions: '',
    connectionIds: [],
  };
}

export function couponToForm(coupon: Coupon, programCurrency: string): CouponFormValues {
  const currency = coupon.currency ?? programCurrency;
  const r = coupon.defaultRestrictions;
  return {
    name: coupon.name,
    discountType: coupon.discountType,
    percentOff: coupon.percentOffBps != null ? coupon.percentOffBps / 100 : '',
    amountOff: coupon.amountOff != null ? fromMinorUnits(coupon.amountOff, currency) : '',
    currency,
    duration: coupon.duration,
    durationInMonths: coupon.durationInMonths ?? 3,
    firstTimeOnly: r.firstTimeOnly ?? false,
    minimumAmount: r.minimumAmount != null ? fromMinorUnits(r.minimumAmount, programCurrency) : '',
    expiresOn: r.expiresAt ? r.expiresAt.slice(0, 10) : '',
    maxRedemptions: r.maxRedemptions ?? '',
    connectionIds: coupon.connectionIds,
  };
}

function isEmpty(value: number | string): boolean {
  return value === '' || value === null || value === undefined;
}

function decimalsOk(value: number, digits: number): boolean {
  return Math.abs(value * 10 ** digits - Math.round(value * 10 ** digits)) < 1e-6;
}

/**
 * The coupon rules of the API (percent 0.01–100 %, a fixed amount needs a currency, repeating
 * needs months, restrictions positive) as sentences, and the request body when all hold.
 * `now` decides whether an expiry date is in the past.
 */
export function validateCouponForm(
  values: CouponFormValues,
  programCurrency: string,
  now: Date = new Date(),
): { errors: CouponFormErrors; input: CreateCouponInput | null } {
  const errors: CouponFormErrors = {};
  if (values.name.trim() === '') errors.name = 'Give the coupon a name, e.g. “Partner 10% off”.';
  else if (values.name.trim().length > 120) errors.name = 'Use at most 120 characters.';

  let percentOffBps: number | null = null;
  let amountOff: number | null = null;
  const currency = values.currency.trim().toUpperCase();
  if (values.discountType === 'percent') {
    const percent = Number(values.percentOff);
    if (isEmpty(values.percentOff) || !Number.isFinite(percent)) errors.percentOff = 'Enter the percentage off.';
    else if (percent <= 0 || percent > 100) errors.percentOff = 'Use a percentage above 0 and at most 100.';
    else if (!decimalsOk(percent, 2)) errors.percentOff = 'Use at most two decimals, e.g. 12.5.';
    else percentOffBps = Math.round(percent * 100);
  } else {
    if (!/^[A-Z]{3}$/.test(currency)) errors.currency = 'Use a three-letter currency code such as USD.';
    const amount = Number(values.amountOff);
    if (isEmpty(values.amountOff) || !Number.isFinite(amount)) errors.amountOff = 'Enter the amount off.';
    else if (amount <= 0) errors.amountOff = 'The amount off must be above zero.';
    else if (!errors.currency && !decimalsOk(amount, currencyDigits(currency))) errors.amountOff = `${currency} has ${currencyDigits(currency)} decimals.`;
    else if (!errors.currency) amountOff = toMinorUnits(amount, currency);
  }

  let durationInMonths: number | null = null;
  if (values.duration === 'repeating') {
    const months = Number(values.durationInMonths);
    if (isEmpty(values.durationInMonths) || !Number.isInteger(months) || months < 1 || months > 120) {
      errors.durationInMonths = 'Enter 1 to 120 months.';
    } else durationInMonths = months;
  }

  let minimumAmount: number | null = null;
  if (!isEmpty(values.minimumAmount)) {
    const min = Number(values.minimumAmount);
    if (!Number.isFinite(min) || min <= 0) errors.minimumAmount = 'Leave empty for no minimum, or enter an amount above zero.';
    else if (!decimalsOk(min, currencyDigits(programCurrency))) errors.minimumAmount = `${programCurrency} has ${currencyDigits(programCurrency)} decimals.`;
    else minimumAmount = toMinorUnits(min, programCurrency);
  }

  let expiresAt: string | null = null;
  if (values.expiresOn !== '') {
    const end = new Date(`${values.expiresOn}T23:59:59.000Z`);
    if (Number.isNaN(end.getTime())) errors.expiresOn = 'Enter a date.';
    else if (end.getTime() <= now.getTime()) errors.expiresOn = 'Choose a date in the future.';
    else expiresAt = end.toISOString();
  }

  let maxRedemptions: number | null = null;
  if (!isEmpty(values.maxRedemptions)) {
    const max = Number(values.maxRedemptions);
    if (!Number.isInteger(max) || max < 1) errors.maxRedemptions = 'Enter a whole number of 1 or more, or leave empty for no limit.';
    else maxRedemptions = max;
  }

  if (Object.keys(errors).length > 0) return { errors, input: null };
  return {
    errors,
    input: {
      name: values.name.trim(),
      discountType: values.discountType,
      percentOffBps,
      amountOff,
      currency: values.discountType === 'fixed' ? currency : null,
      duration: values.duration,
      durationInMonths,
      defaultRestrictions: { firstTimeOnly: values.firstTimeOnly, minimumAmount, expiresAt, maxRedemptions },
      connectionIds: values.connectionIds,
    },
  };
}
