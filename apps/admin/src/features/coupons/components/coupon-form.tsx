import { Alert, Button, Checkbox, Fieldset, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { Connection, Coupon, CreateCouponInput } from '@codetrack/contracts';
import { ApiError } from '@codetrack/web/api-client';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { connectionLabel } from '../../../lib/format.ts';
import { validateCouponForm, type CouponFormErrors, type CouponFormValues } from './coupon-form-values.ts';
import { EnforcementMatrix, enforcementFromCapabilities } from './enforcement-matrix.tsx';

const serverFields: [string, keyof CouponFormValues][] = [
  ['name', 'name'],
  ['percentOffBps', 'percentOff'],
  ['amountOff', 'amountOff'],
  ['currency', 'currency'],
  ['durationInMonths', 'durationInMonths'],
  ['defaultRestrictions.minimumAmount', 'minimumAmount'],
  ['defaultRestrictions.expiresAt', 'expiresOn'],
  ['defaultRestrictions.maxRedemptions', 'maxRedemptions'],
  ['connectionIds', 'connectionIds'],
];

type CouponFormProps = {
  initial: CouponFormValues;
  programCurrency: string;
  connections: Connection[];
  submitLabel: string;
  /** The saved coupon's own matrix; without it the matrix is derived from the chosen connections. */
  enforcement?: Coupon['enforcement'];
  onSubmit: (input: CreateCouponInput) => Promise<unknown>;
};

export function CouponForm({ initial, programCurrency, connections, submitLabel, enforcement, onSubmit }: CouponFormProps) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<CouponFormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function set<K extends keyof CouponFormValues>(field: K, value: CouponFormValues[K]) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = validateCouponForm(values, programCurrency);
    setErrors(result.errors);
    setFormError(null);
    if (!result.input) {
      setFormError('Some details need attention; see the highlighted fields.');
      return;
    }
    setPending(true);
    try {
      await onSubmit(result.input);
    } catch (error) {
      setFormError(describeApiError(error));
      if (error instanceof ApiError) {
        const fromServer: CouponFormErrors = {};
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

  const usable = connections.filter((c) => c.status !== 'disabled');
  const chosen = usable.filter((c) => values.connectionIds.includes(c.id));
  const names = Object.fromEntries(connections.map((c) => [c.id, connectionLabel(c)]));
  const matrix = enforcement && sameSet(enforcement.map((e) => e.connectionId), values.connectionIds) ? enforcement : enforcementFromCapabilities(chosen);

  return (
    <form onSubmit={handleSubmit} noValidate aria-busy={pending}>
      <Stack>
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        <TextInput label="Coupon name" required value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} />
        <div>
          <Text size="sm" fw={500} id="discount-type-label" mb={4}>
            Discount type
          </Text>
          <SegmentedControl
            aria-labelledby="discount-type-label"
            value={values.discountType}
            onChange={(v) => set('discountType', v === 'fixed' ? 'fixed' : 'percent')}
            data={[
              { value: 'percent', label: 'Percentage off' },
              { value: 'fixed', label: 'Fixed amount off' },
            ]}
          />
        </div>
        {values.discountType === 'percent' ? (
          <NumberInput
            clampBehavior="none"
            label="Discount (%)"
            suffix="%"
            min={0}
            max={100}
            decimalScale={2}
            value={values.percentOff}
            onChange={(v) => set('percentOff', v)}
            error={errors.percentOff}
          />
        ) : (
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <NumberInput label="Amount off" min={0} decimalScale={4} value={values.amountOff} onChange={(v) => set('amountOff', v)} error={errors.amountOff} />
            <TextInput
              label="Currency"
              maxLength={3}
              value={values.currency}
              onChange={(e) => set('currency', e.currentTarget.value.toUpperCase())}
              error={errors.currency}
            />
          </SimpleGrid>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <Select
            label="Applies to subscription payments"
            allowDeselect={false}
            value={values.duration}
            onChange={(v) => set('duration', v === 'repeating' || v === 'forever' ? v : 'once')}
            data={[
              { value: 'once', label: 'Once (first payment)' },
              { value: 'repeating', label: 'For a number of months' },
              { value: 'forever', label: 'Forever' },
            ]}
          />
          {values.duration === 'repeating' ? (
            <NumberInput
              clampBehavior="none"
              label="Months"
              min={1}
              max={120}
              allowDecimal={false}
              value={values.durationInMonths}
              onChange={(v) => set('durationInMonths', v)}
              error={errors.durationInMonths}
            />
          ) : null}
        </SimpleGrid>
        <Fieldset legend="Default restrictions for new codes">
          <Stack>
            <Checkbox label="First-time customers only" checked={values.firstTimeOnly} onChange={(e) => set('firstTimeOnly', e.currentTarget.checked)} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <NumberInput
                clampBehavior="none"
                label={`Minimum order (${programCurrency})`}
                description="Empty: no minimum"
                min={0}
                decimalScale={4}
                value={values.minimumAmount}
                onChange={(v) => set('minimumAmount', v)}
                error={errors.minimumAmount}
              />
              <TextInput
                label="Expires on"
                description="Empty: never (UTC end of day)"
                type="date"
                value={values.expiresOn}
                onChange={(e) => set('expiresOn', e.currentTarget.value)}
                error={errors.expiresOn}
              />
              <NumberInput
                clampBehavior="none"
                label="Maximum redemptions per code"
                description="Empty: no limit"
                min={1}
                allowDecimal={false}
                value={values.maxRedemptions}
                onChange={(v) => set('maxRedemptions', v)}
                error={errors.maxRedemptions}
              />
            </SimpleGrid>
          </Stack>
        </Fieldset>
        <Fieldset legend="Sync to platforms">
          {usable.length === 0 ? (
            <Text size="sm" c="dimmed">
              No platform connected yet. Connect one under Integrations to create these codes at checkout.
            </Text>
          ) : (
            <Checkbox.Group value={values.connectionIds} onChange={(ids) => set('connectionIds', ids)} error={errors.connectionIds} aria-label="Connections">
              <Stack gap="xs">
                {usable.map((c) => (
                  <Checkbox key={c.id} value={c.id} label={`${names[c.id]}${c.status === 'connected' ? '' : ` (${c.status})`}`} />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
        </Fieldset>
        <div>
          <Title order={3} size="h5" mb="xs">
            Where restrictions are enforced
          </Title>
          <EnforcementMatrix enforcement={matrix} names={names} />
        </div>
        <Group justify="flex-end">
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
