import { NumberInput, SegmentedControl, Select, Text } from '@mantine/core';

export type CommissionRuleValues = {
  commissionType: 'percent' | 'fixed';
  commissionValue: number | string;
  commissionDuration: 'first_order' | 'months' | 'lifetime';
  commissionMonths: number | string;
};

type Props<V extends CommissionRuleValues> = {
  /** Prefix for the type label's id, unique on the page. */
  id: string;
  values: V;
  errors: { commissionValue?: string | undefined; commissionMonths?: string | undefined };
  /** Shown in the amount's label for fixed commissions (USD, EUR ...). */
  currency: string;
  /** The form's own setter: the fields are a part of its values. */
  onChange: <K extends keyof CommissionRuleValues>(field: K, value: V[K]) => void;
};

/** A commission rule (percent or fixed, for the first order, N months or the lifetime): the program's rule and a partner's own. */
export function CommissionRuleFields<V extends CommissionRuleValues>({ id, values, errors, currency, onChange: setField }: Props<V>) {
  // V's rule fields are exactly CommissionRuleValues' (the constraint), so these values fit them.
  const onChange = setField as <K extends keyof CommissionRuleValues>(field: K, value: CommissionRuleValues[K]) => void;
  const percent = values.commissionType === 'percent';
  return (
    <>
      <div>
        <Text size="sm" fw={500} id={`${id}-type-label`} mb={4}>
          Commission type
        </Text>
        <SegmentedControl
          aria-labelledby={`${id}-type-label`}
          value={values.commissionType}
          onChange={(v) => onChange('commissionType', v === 'fixed' ? 'fixed' : 'percent')}
          data={[
            { value: 'percent', label: 'Percent of the sale' },
            { value: 'fixed', label: 'Fixed amount' },
          ]}
        />
      </div>
      <NumberInput
        clampBehavior="none"
        label={percent ? 'Commission (%)' : `Commission (${currency})`}
        name="commissionValue"
        min={0}
        decimalScale={2}
        value={values.commissionValue}
        onChange={(v) => onChange('commissionValue', v)}
        error={errors.commissionValue}
        suffix={percent ? '%' : undefined}
      />
      <Select
        label="Paid on"
        allowDeselect={false}
        value={values.commissionDuration}
        onChange={(v) => onChange('commissionDuration', v === 'months' || v === 'lifetime' ? v : 'first_order')}
        data={[
          { value: 'first_order', label: 'The first order only' },
          { value: 'months', label: 'Orders during a number of months' },
          { value: 'lifetime', label: 'Every order, for the customer’s lifetime' },
        ]}
      />
      {values.commissionDuration === 'months' ? (
        <NumberInput
          clampBehavior="none"
          label="Months"
          name="commissionMonths"
          min={1}
          max={120}
          allowDecimal={false}
          value={values.commissionMonths}
          onChange={(v) => onChange('commissionMonths', v)}
          error={errors.commissionMonths}
        />
      ) : null}
    </>
  );
}
