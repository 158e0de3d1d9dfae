import { Alert, Button, Checkbox, Fieldset, Group, NumberInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { CreateProgramInput } from '@codetrack/contracts';
import { ApiError } from '@codetrack/web/api-client';
import { CommissionRuleFields } from '../../../components/commission-rule-fields.tsx';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import {
  validateProgramForm,
  type ProgramFormErrors,
  type ProgramFormValues,
} from './program-form-values.ts';

const serverFields: [string, keyof ProgramFormValues][] = [
  ['name', 'name'],
  ['currency', 'currency'],
  ['landingUrl', 'landingUrl'],
  ['cookieLifetimeDays', 'cookieLifetimeDays'],
  ['holdPeriodDays', 'holdPeriodDays'],
  ['commission.value', 'commissionValue'],
  ['commission.durationMonths', 'commissionMonths'],
  ['autoCode.couponId', 'autoCodeCouponId'],
  ['autoCode.pattern', 'autoCodePattern'],
  ['autoCode.enabled', 'autoCodeEnabled'],
];

type ProgramFormProps = {
  initial: ProgramFormValues;
  submitLabel: string;
  /** Coupons for the auto-code setting; absent while creating (a new program has none). */
  coupons?: { value: string; label: string }[];
  onSubmit: (input: CreateProgramInput) => Promise<unknown>;
};

export function ProgramForm({ initial, submitLabel, coupons, onSubmit }: ProgramFormProps) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<ProgramFormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function set<K extends keyof ProgramFormValues>(field: K, value: ProgramFormValues[K]) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = validateProgramForm(values);
    setErrors(result.errors);
    setFormError(null);
    if (!result.input) return;
    setPending(true);
    try {
      await onSubmit(result.input);
    } catch (error) {
      setFormError(describeApiError(error));
      if (error instanceof ApiError) {
        const fromServer: ProgramFormErrors = {};
        for (const [path, field] of serverFields) {
          const detail = error.details.find((d) => d.path === `body.${path}`);
          if (detail) fromServer[field] = detail.message;
        }
        setErrors(fromServer);
      }
    } finally {
      setPending(false);
    }
  }


  return (
    <form onSubmit={handleSubmit} noValidate aria-busy={pending}>
      <Stack>
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        <TextInput label="Program name" required value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Currency"
            description="Three letters, e.g. USD. Commissions are paid in it."
            required
            maxLength={3}
            value={values.currency}
            onChange={(e) => set('currency', e.currentTarget.value.toUpperCase())}
            error={errors.currency}
          />
          <TextInput
            label="Landing page URL"
            description="Where referral links send visitors."
            required
            type="url"
            placeholder="https://shop.example.com"
            value={values.landingUrl}
            onChange={(e) => set('landingUrl', e.currentTarget.value)}
            error={errors.landingUrl}
          />
          <NumberInput
            clampBehavior="none"
            label="Cookie lifetime (days)"
            description="How long a referral click counts."
            min={1}
            max={365}
            allowDecimal={false}
            value={values.cookieLifetimeDays}
            onChange={(v) => set('cookieLifetimeDays', v)}
            error={errors.cookieLifetimeDays}
          />
          <NumberInput
            clampBehavior="none"
            label="Hold period (days)"
            description="Commissions can be approved after this many days (refund window). 0 = at once."
            min={0}
            max={365}
            allowDecimal={false}
            value={values.holdPeriodDays}
            onChange={(v) => set('holdPeriodDays', v)}
            error={errors.holdPeriodDays}
          />
        </SimpleGrid>
        <Fieldset legend="Commission rule">
          <Stack>
            <CommissionRuleFields id="commission" values={values} errors={errors} currency={values.currency || 'amount'} onChange={set} />
          </Stack>
        </Fieldset>
        <Fieldset legend="Automatic code when a partner joins">
          <Stack>
            <Checkbox
              label="Give every new partner a promotion code"
              checked={values.autoCodeEnabled}
              onChange={(e) => set('autoCodeEnabled', e.currentTarget.checked)}
              disabled={!coupons}
              description={coupons ? undefined : 'Create the program and a coupon first.'}
              error={errors.autoCodeEnabled}
            />
            {values.autoCodeEnabled ? (
              <>
                <Select
                  label="Coupon"
                  data={coupons ?? []}
                  value={values.autoCodeCouponId}
                  onChange={(v) => set('autoCodeCouponId', v)}
                  error={errors.autoCodeCouponId}
                />
                <TextInput
                  label="Code pattern"
                  description="Tokens: {FIRSTNAME}, {LASTNAME}, {NAME}, {PARTNERKEY}, {AMOUNT} (the discount), {RANDOM4} (2 to 12 random characters)."
                  value={values.autoCodePattern}
                  onChange={(e) => set('autoCodePattern', e.currentTarget.value)}
                  error={errors.autoCodePattern}
                />
              </>
            ) : null}
          </Stack>
        </Fieldset>
        <Group justify="flex-end">
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
