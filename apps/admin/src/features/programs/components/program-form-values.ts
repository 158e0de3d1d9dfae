import type { CreateProgramInput, Program } from '@codetrack/contracts';
import { currencyDigits, fromMinorUnits, toMinorUnits } from '@codetrack/web/money';

export type ProgramFormValues = {
  name: string;
  currency: string;
  landingUrl: string;
  cookieLifetimeDays: number | string;
  commissionType: 'percent' | 'fixed';
  /** Percent (20 = 20%) or money in major units (5.5 = $5.50), as typed. */
  commissionValue: number | string;
  commissionDuration: 'first_order' | 'months' | 'lifetime';
  commissionMonths: number | string;
  holdPeriodDays: number | string;
  autoCodeEnabled: boolean;
  autoCodeCouponId: string | null;
  autoCodePattern: string;
};

export type ProgramFormErrors = Partial<Record<keyof ProgramFormValues, string>>;

export const emptyProgramForm: ProgramFormValues = {
  name: '',
  currency: 'USD',
  landingUrl: '',
  cookieLifetimeDays: 30,
  commissionType: 'percent',
  commissionValue: 20,
  commissionDuration: 'first_order',
  commissionMonths: 12,
  holdPeriodDays: 30,
  autoCodeEnabled: false,
  autoCodeCouponId: null,
  autoCodePattern: '{FIRSTNAME}{AMOUNT}',
};

export function programToForm(program: Program): ProgramFormValues {
  const { commission } = program;
  return {
    name: program.name,
    currency: program.currency,
    landingUrl: program.landingUrl,
    cookieLifetimeDays: program.cookieLifetimeDays,
    commissionType: commission.type,
    commissionValue: commission.type === 'percent' ? commission.value / 100 : fromMinorUnits(commission.value, program.currency),
    commissionDuration: commission.duration,
    commissionMonths: commission.durationMonths ?? 12,
    holdPeriodDays: program.holdPeriodDays,
    autoCodeEnabled: program.autoCode.enabled,
    autoCodeCouponId: program.autoCode.couponId,
    autoCodePattern: program.autoCode.pattern ?? '{FIRSTNAME}{AMOUNT}',
  };
}

function wholeNumber(value: number | string, min: number, max: number, what: string): string | undefined {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === '' || !Number.isInteger(n)) return `Enter ${what} as a whole number.`;
  if (n < min || n > max) return `Use ${min} to ${max}.`;
  return undefined;
}

/** Checks the form with the API's rules and builds the request body when it is valid. */
export function validateProgramForm(values: ProgramFormValues): { errors: ProgramFormErrors; input: CreateProgramInput | null } {
  const errors: ProgramFormErrors = {};
  if (values.name.trim() === '') errors.name = 'Give the program a name.';
  const currency = values.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) errors.currency = 'Use a three-letter currency code such as USD or EUR.';
  try {
    const url = new URL(values.landingUrl.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') errors.landingUrl = 'Use an http(s) address.';
  } catch {
    errors.landingUrl = 'Enter the full address of your landing page, like https://shop.example.com.';
  }
  const cookie = wholeNumber(values.cookieLifetimeDays, 1, 365, 'the cookie lifetime');
  if (cookie) errors.cookieLifetimeDays = cookie;
  const hold = wholeNumber(values.holdPeriodDays, 0, 365, 'the hold period');
  if (hold) errors.holdPeriodDays = hold;

  const commission = Number(values.commissionValue);
  let commissionMinor = 0;
  if (values.commissionValue === '' || !Number.isFinite(commission) || commission <= 0) {
    errors.commissionValue = 'Enter a commission above zero.';
  } else if (values.commissionType === 'percent') {
    commissionMinor = Math.round(commission * 100);
    if (commission > 100) errors.commissionValue = 'A percentage commission is at most 100%.';
    else if (Math.abs(commission * 100 - commissionMinor) > 1e-6) errors.commissionValue = 'Use at most two decimals.';
  } else if (!errors.currency) {
    commissionMinor = toMinorUnits(commission, currency);
    if (Math.abs(commission * 10 ** currencyDigits(currency) - commissionMinor) > 1e-6) {
      errors.commissionValue = `${currency} has ${currencyDigits(currency)} decimals.`;
    }
  }
  if (values.commissionDuration === 'months') {
    const months = wholeNumber(values.commissionMonths, 1, 120, 'the number of months');
    if (months) errors.commissionMonths = months;
  }
  if (values.autoCodeEnabled) {
    if (!values.autoCodeCouponId) errors.autoCodeCouponId = 'Choose the coupon new partners get a code for.';
    if (values.autoCodePattern.trim() === '') errors.autoCodePattern = 'Enter a pattern such as {FIRSTNAME}{AMOUNT}.';
  }
  if (Object.keys(errors).length > 0) return { errors, input: null };

  return {
    errors,
    input: {
      name: values.name.trim(),
      currency,
      landingUrl: values.landingUrl.trim(),
      cookieLifetimeDays: Number(values.cookieLifetimeDays),
      holdPeriodDays: Number(values.holdPeriodDays),
      commission: {
        type: values.commissionType,
        value: commissionMinor,
        duration: values.commissionDuration,
        durationMonths: values.commissionDuration === 'months' ? Number(values.commissionMonths) : null,
      },
      autoCode: {
        enabled: values.autoCodeEnabled,
        couponId: values.autoCodeCouponId,
        pattern: values.autoCodePattern.trim() || null,
      },
      portal: { logoUrl: null, accentColor: null },
    },
  };
}
