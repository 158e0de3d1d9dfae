import { useState, type FormEvent } from 'react';
import { focusFirstInvalid, reportUnexpected, serverFieldErrors, type FieldErrors } from '@codetrack/web/form-errors';
import { FormAlert } from '../../../components/form-alert.tsx';
import { TextField } from '../../../components/text-field.tsx';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { login } from '../api/login.ts';
import type { Session } from '../types.ts';
import { compactErrors, validateCurrentPassword, validateEmail } from '../utils/validate-fields.ts';

const fields = ['email', 'password'] as const;
type Field = (typeof fields)[number];

export function SignInForm({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [values, setValues] = useState<Record<Field, string>>({ email: '', password: '' });
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
      email: validateEmail(values.email),
      password: validateCurrentPassword(values.password),
    });
    setFieldErrors(errors);
    setFormError(null);
    if (focusFirstInvalid(form, fields, errors)) return;

    setPending(true);
    try {
      onSignedIn(await login({ email: values.email.trim(), password: values.password }));
    } catch (error) {
      reportUnexpected(error);
      setFormError(describeApiError(error));
      setFieldErrors(serverFieldErrors(error, fields));
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={handleSubmit} aria-busy={pending}>
      <FormAlert message={formError} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        value={values.email}
        onChange={(event) => change('email', event.target.value)}
        error={fieldErrors.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={values.password}
        onChange={(event) => change('password', event.target.value)}
        error={fieldErrors.password}
      />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
