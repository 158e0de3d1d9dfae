import { useState, type FormEvent } from 'react';
import { focusFirstInvalid, reportUnexpected, serverFieldErrors, type FieldErrors } from '@codetrack/web/form-errors';
import { FormAlert } from '../../../components/form-alert.tsx';
import { TextField } from '../../../components/text-field.tsx';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { signup } from '../api/signup.ts';
import type { Session } from '../types.ts';
import {
  PASSWORD_MIN_LENGTH,
  compactErrors,
  validateEmail,
  validateNewPassword,
  validateRequired,
} from '../utils/validate-fields.ts';

const fields = ['name', 'email', 'password', 'workspaceName'] as const;
type Field = (typeof fields)[number];

export function SignUpForm({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [values, setValues] = useState<Record<Field, string>>({
    name: '',
    email: '',
    password: '',
    workspaceName: '',
  });
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
      name: validateRequired(values.name, 'Enter your name.'),
      email: validateEmail(values.email),
      password: validateNewPassword(values.password),
      workspaceName: validateRequired(values.workspaceName, 'Enter a name for your workspace.'),
    });
    setFieldErrors(errors);
    setFormError(null);
    if (focusFirstInvalid(form, fields, errors)) return;

    setPending(true);
    try {
      onSignedIn(
        await signup({
          name: values.name.trim(),
          email: values.email.trim(),
          password: values.password,
          workspaceName: values.workspaceName.trim(),
        }),
      );
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
        label="Your name"
        name="name"
        autoComplete="name"
        value={values.name}
        onChange={(event) => change('name', event.target.value)}
        error={fieldErrors.name}
      />
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
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        value={values.password}
        onChange={(event) => change('password', event.target.value)}
        error={fieldErrors.password}
      />
      <TextField
        label="Workspace name"
        name="workspaceName"
        autoComplete="organization"
        hint="Usually your company or shop name."
        value={values.workspaceName}
        onChange={(event) => change('workspaceName', event.target.value)}
        error={fieldErrors.workspaceName}
      />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  );
}
