import { Checkbox, NumberInput, SimpleGrid, TextInput } from '@mantine/core';
import type { CodeRestrictionsInput } from '@codetrack/contracts';
import { currencyDigits, toMinorUnits } from '@codetrack/web/money';

export type RestrictionValues = {
  firstTimeOnly: boolean | null;
  minimumAmount: number | string;
  expiresOn: string;
  maxRedemptions: number | string;
};

export const emptyRestrictions: RestrictionValues = { firstTimeOnly: null, minimumAmount: '', expiresOn: '', maxRedemptions: '' };

export type RestrictionErrors = Partial<Record<keyof RestrictionValues, string>>;

/** Overrides of the coupon's default restrictions; an empty field keeps the coupon's default. */
export function validateRestrictions(
  values: RestrictionValues,
  currency: string,
  now: Date = new Date(),
): { errors: RestrictionErrors; input: CodeRestrictionsInput } {
  const errors: RestrictionErrors = {};
  const input: CodeRestrictionsInput = {};
  if (values.firstTimeOnly !== null) input.firstTimeOnly = values.firstTimeOnly;
  if (values.minimumAmount !== '') {
    const min = Number(values.minimumAmount);
    const digits = currencyDigits(currency);
    if (!Number.isFinite(min) || min <= 0) errors.minimumAmount = 'Enter an amount above zero, or leave empty.';
    else if (Math.abs(min * 10 ** digits - Math.round(min * 10 ** digits)) > 1e-6) errors.minimumAmount = `${currency} has ${digits} decimals.`;
    else input.minimumAmount = toMinorUnits(min, currency);
  }
  if (values.expiresOn !== '') {
    const end = new Date(`${values.expiresOn}T23:59:59.000Z`);
    if (Number.isNaN(end.getTime())) errors.expiresOn = 'Enter a date.';
    else if (end.getTime() <= now.getTime()) errors.expiresOn = 'Choose a date in the future.';
    else input.expiresAt = end.toISOString();
  }
  if (values.maxRedemptions !== '') {
    const max = Number(values.maxRedemptions);
    if (!Number.isInteger(max) || max < 1) errors.maxRedemptions = 'Enter a whole number of 1 or more, or leave empty.';
    else input.maxRedemptions = max;
  }
  return { errors, input };
}

type RestrictionFieldsProps = {
  values: RestrictionValues;
  errors: RestrictionErrors;
  currency: string;
  onChange: (values: RestrictionValues) => void;
};

export function RestrictionFields({ values, errors, currency, onChange }: RestrictionFieldsProps) {
  return (
    <>
      <Checkbox
        label="First-time customers only"
        description="Unchecked and untouched: the coupon's default applies."
        checked={values.firstTimeOnly ?? false}
        indeterminate={values.firstTimeOnly === null}
        onChange={(e) => onChange({ ...values, firstTimeOnly: e.currentTarget.checked })}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <NumberInput
          clampBehavior="none"
          label={`Minimum order (${currency})`}
          description="Empty: coupon default"
          min={0}
          decimalScale={4}
          value={values.minimumAmount}
          onChange={(v) => onChange({ ...values, minimumAmount: v })}
          error={errors.minimumAmount}
        />
        <TextInput
          label="Expires on"
          description="Empty: coupon default"
          type="date"
          value={values.expiresOn}
          onChange={(e) => onChange({ ...values, expiresOn: e.currentTarget.value })}
          error={errors.expiresOn}
        />
        <NumberInput
          clampBehavior="none"
          label="Maximum redemptions"
          description="Empty: coupon default"
          min={1}
          allowDecimal={false}
          value={values.maxRedemptions}
          onChange={(v) => onChange({ ...values, maxRedemptions: v })}
          error={errors.maxRedemptions}
        />
      </SimpleGrid>
    </>
  );
}
