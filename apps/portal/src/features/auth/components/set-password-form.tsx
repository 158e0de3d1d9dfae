import { Button, Stack } from '@mantine/core';
import type { PortalMe } from '@codetrack/contracts';
import { useState, type FormEvent } from 'react';
import { focusFirstInvalid, reportUnexpected, serverFieldErrors, type FieldErrors } from '@codetrack/web/form-errors';
import { FormAlert } from '../../../components/form-alert.tsx';
import { TextField } from '../../../components/text-field.tsx';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { compactErrors, PASSWORD_MIN_LENGTH, validateNewPassword, validatePasswordConfirmation } from '../utils/validate-fields.ts';

const fields = ['password', 'confirmation'] as const;
type Field = (typeof fields)[number];

type SetPasswordFormProps = {
  submitLabel: string;
  /** Sends the new password with the link's token; resolves to the new session. */
  onSubmitPassword: (password: string) => Promise<PortalMe>;
  onDone: (me: PortalMe) => void;
};

/** A new password typed twice, for an invitation or a reset link. */
export function SetPasswordForm({ submitLabel, onSubmitPassword, onDone }: SetPasswordFormProps) {
  const [values, setValues] = useState<Record<Field, string>>({ password: '', confirmation: '' });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function change(field: Field, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setFieldErrors((current) => ({ ...current, [field]: undefined }));
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const form = event.currentTarget;
    const errors = compactErrors({
      password: validateNewPassword(values.password),
      confirmation: validatePasswordConfirmation(values.password, values.confirmation),
    });
    setFieldErrors(errors);
    setFormError(null);
    if (focusFirstInvalid(form, fields, errors)) return;

    setPending(true);
    try {
      onDone(await onSubmitPassword(values.password));
    } catch (error) {
      reportUnexpected(error);
      setFormError(describeApiError(error));
      setFieldErrors(serverFieldErrors(error, fields));
      setPending(false);
    }
  }

  return (
    <form noValidate onSubmit={handleSubmit} aria-busy={pending}>
      <Stack gap="md">
        <FormAlert message={formError} />
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
          value={values.password}
          onChange={(event) => change('password', event.target.value)}
          error={fieldErrors.password}
        />
        <TextField
          label="New password again"
          name="confirmation"
          type="password"
          autoComplete="new-password"
          value={values.confirmation}
          onChange={(event) => change('confirmation', event.target.value)}
          error={fieldErrors.confirmation}
        />
        <Button type="submit" loading={pending} fullWidth>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}
