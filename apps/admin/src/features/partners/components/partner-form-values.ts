import type { Partner, UpdatePartnerInput } from '@codetrack/contracts';
import { currencyDigits, fromMinorUnits, toMinorUnits } from '@codetrack/web/money';

export type PartnerFormValues = {
  name: string;
  firstName: string;
  lastName: string;
  payoutEmail: string;
  referralKey: string;
  /** Off: the partner earns under the program's commission rule. */
  ownCommission: boolean;
  commissionType: 'percent' | 'fixed';
  /** Percent (20 = 20%) or money in major units (5.5 = $5.50), as typed. */
  commissionValue: number | string;
  commissionDuration: 'first_order' | 'months' | 'lifetime';
  commissionMonths: number | string;
};

/** The form's fields in screen order, named like the API's fields where they have one. */
export const partnerFormFields = ['name', 'firstName', 'lastName', 'payoutEmail', 'referralKey', 'commissionValue', 'commissionMonths'] as const;
export type PartnerFormField = (typeof partnerFormFields)[number];
export type PartnerFormErrors = Partial<Record<PartnerFormField, string>>;

export function partnerToForm(partner: Partner, currency: string): PartnerFormValues {
  const override = partner.commissionOverride;
  return {
    name: partner.name,
    firstName: partner.firstName ?? '',
    lastName: partner.lastName ?? '',
    payoutEmail: partner.payoutEmail ?? '',
    referralKey: partner.referralKey,
    ownCommission: override !== null,
    commissionType: override?.type ?? 'percent',
    commissionValue: override ? (override.type === 'percent' ? override.value / 100 : fromMinorUnits(override.value, currency)) : 20,
    commissionDuration: override?.duration ?? 'first_order',
    commissionMonths: override?.durationMonths ?? 12,
  };
}

// The API's rules (UpdatePartnerInput), checked here so most mistakes never leave the browser.
const referralKeyPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const emailPattern = /^[^\s@]+@[^\s@]+$/;

type CommissionOverride = NonNullable<UpdatePartnerInput['commissionOverride']>;

function readCommission(values: PartnerFormValues, currency: string, errors: PartnerFormErrors): CommissionOverride | null {
  if (!values.ownCommission) return null;
  const amount = Number(values.commissionValue);
  let value = 0;
  if (values.commissionValue === '' || !Number.isFinite(amount) || amount <= 0) {
    errors.commissionValue = 'Enter a commission above zero.';
  } else if (values.commissionType === 'percent') {
    value = Math.round(amount * 100);
    if (amount > 100) errors.commissionValue = 'A percentage commission is at most 100%.';
    else if (Math.abs(amount * 100 - value) > 1e-6) errors.commissionValue = 'Use at most two decimals.';
  } else {
    value = toMinorUnits(amount, currency);
    if (Math.abs(amount * 10 ** currencyDigits(currency) - value) > 1e-6) errors.commissionValue = `${currency} has ${currencyDigits(currency)} decimals.`;
  }
  let durationMonths: number | null = null;
  if (values.commissionDuration === 'months') {
    const months = Number(values.commissionMonths);
    if (values.commissionMonths === '' || !Number.isInteger(months) || months < 1 || months > 120) errors.commissionMonths = 'Use 1 to 120 months.';
    else durationMonths = months;
  }
  return { type: values.commissionType, value, duration: values.commissionDuration, durationMonths };
}

function sameCommission(a: Partner['commissionOverride'], b: CommissionOverride | null): boolean {
  if (a === null || b === null) return a === b;
  return a.type === b.type && a.value === b.value && a.duration === b.duration && (a.durationMonths ?? null) === (b.durationMonths ?? null);
}

/**
 * Checks the form with the API's rules and builds a PATCH body of the fields that changed, so the
 * audit log names what the merchant actually edited. `input` is null while there are errors.
 */
export function validatePartnerForm(partner: Partner, values: PartnerFormValues, currency: string): { errors: PartnerFormErrors; input: UpdatePartnerInput | null } {
  const errors: PartnerFormErrors = {};
  const name = values.name.trim();
  const firstName = values.firstName.trim() || null;
  const lastName = values.lastName.trim() || null;
  const payoutEmail = values.payoutEmail.trim().toLowerCase() || null;
  const referralKey = values.referralKey.trim().toLowerCase();

  if (name === '') errors.name = 'Enter the partner’s name.';
  else if (name.length > 120) errors.name = 'Use at most 120 characters.';
  if (firstName && firstName.length > 120) errors.firstName = 'Use at most 120 characters.';
  if (lastName && lastName.length > 120) errors.lastName = 'Use at most 120 characters.';
  if (payoutEmail && !emailPattern.test(payoutEmail)) errors.payoutEmail = 'Enter an email address like name@example.com, or leave it empty.';
  if (referralKey.length < 3 || referralKey.length > 40 || !referralKeyPattern.test(referralKey)) {
    errors.referralKey = 'Use 3 to 40 letters, digits and single dashes between them.';
  }
  const commissionOverride = readCommission(values, currency, errors);
  if (Object.keys(errors).length > 0) return { errors, input: null };

  const input: UpdatePartnerInput = {};
  if (name !== partner.name) input.name = name;
  if (firstName !== partner.firstName) input.firstName = firstName;
  if (lastName !== partner.lastName) input.lastName = lastName;
  if (payoutEmail !== partner.payoutEmail) input.payoutEmail = payoutEmail;
  if (referralKey !== partner.referralKey) input.referralKey = referralKey;
  if (!sameCommission(partner.commissionOverride, commissionOverride)) input.commissionOverride = commissionOverride;
  return { errors, input };
}
