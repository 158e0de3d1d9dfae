import { Alert, Button, Checkbox, Fieldset, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { Partner, UpdatePartnerInput } from '@codetrack/contracts';
import { ApiError } from '@codetrack/web/api-client';
import { focusFirstInvalid, reportUnexpected, serverFieldErrors } from '@codetrack/web/form-errors';
import { CommissionRuleFields } from '../../../components/commission-rule-fields.tsx';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { partnerFormFields, partnerToForm, validatePartnerForm, type PartnerFormErrors, type PartnerFormValues } from './partner-form-values.ts';

type EditPartnerFormProps = {
  partner: Partner;
  /** The program's currency, for a fixed-amount commission. */
  currency: string;
  onSubmit: (input: UpdatePartnerInput) => Promise<Partner>;
  onCancel?: () => void;
};

/** The API's messages for the form's fields; the commission ones sit under commissionOverride. */
function errorsFromServer(error: unknown): PartnerFormErrors {
  const errors: PartnerFormErrors = serverFieldErrors(error, ['name', 'firstName', 'lastName', 'payoutEmail', 'referralKey'] as const);
  if (!(error instanceof ApiError)) return errors;
  const value = error.fieldMessage('commissionOverride.value');
  const months = error.fieldMessage('commissionOverride.durationMonths');
  if (value) errors.commissionValue = value;
  if (months) errors.commissionMonths = months;
  if (error.code === 'referral_key_taken') errors.referralKey = describeApiError(error);
  return errors;
}

/** Names, payout email, referral key (old links keep working) and the partner's own commission rule. */
export function EditPartnerForm({ partner, currency, onSubmit, onCancel }: EditPartnerFormProps) {
  const [values, setValues] = useState(() => partnerToForm(partner, currency));
  const [errors, setErrors] = useState<PartnerFormErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function set<K extends keyof PartnerFormValues>(field: K, value: PartnerFormValues[K]) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const form = event.currentTarget;
    const result = validatePartnerForm(partner, values, currency);
    setErrors(result.errors);
    setFormError(null);
    if (!result.input) {
      focusFirstInvalid(form, partnerFormFields, result.errors);
      return;
    }
    if (Object.keys(result.input).length === 0) {
      setFormError('Nothing has changed yet.');
      return;
    }
    setPending(true);
    try {
      await onSubmit(result.input);
    } catch (error) {
      reportUnexpected(error);
      const fromServer = errorsFromServer(error);
      setErrors(fromServer);
      setFormError(describeApiError(error));
      focusFirstInvalid(form, partnerFormFields, fromServer);
    } finally {
      setPending(false);
    }
  }

  const keyChanged = values.referralKey.trim().toLowerCase() !== partner.referralKey;

  return (
    <form onSubmit={handleSubmit} noValidate aria-busy={pending}>
      <Stack>
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        <TextInput label="Name" name="name" required value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="First name"
            name="firstName"
            description="Used in auto-code patterns such as {FIRSTNAME}."
            value={values.firstName}
            onChange={(e) => set('firstName', e.currentTarget.value)}
            error={errors.firstName}
          />
          <TextInput label="Last name" name="lastName" value={values.lastName} onChange={(e) => set('lastName', e.currentTarget.value)} error={errors.lastName} />
        </SimpleGrid>
        <TextInput
          label="Payout email"
          name="payoutEmail"
          type="email"
          description={`Where payouts are sent (for example a PayPal email). Empty: the sign-in email, ${partner.email}.`}
          value={values.payoutEmail}
          onChange={(e) => set('payoutEmail', e.currentTarget.value)}
          error={errors.payoutEmail}
        />
        <TextInput
          label="Referral key"
          name="referralKey"
          required
          description={keyChanged ? `Links with /r/${partner.referralKey} keep working and still count for this partner.` : 'The end of their referral link (/r/…).'}
          value={values.referralKey}
          onChange={(e) => set('referralKey', e.currentTarget.value)}
          error={errors.referralKey}
          spellCheck={false}
          autoCapitalize="none"
        />
        <Fieldset legend="Commission">
          <Stack>
            <Checkbox
              label="Own commission rule for this partner"
              description="Off: the program's rule applies."
              checked={values.ownCommission}
              onChange={(e) => set('ownCommission', e.currentTarget.checked)}
            />
            {values.ownCommission ? (
              <CommissionRuleFields id="partner-commission" values={values} errors={errors} currency={currency} onChange={set} />
            ) : null}
          </Stack>
        </Fieldset>
        <Group justify="flex-end">
          {onCancel ? (
            <Button variant="default" onClick={onCancel} disabled={pending}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" loading={pending}>
            Save partner
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
