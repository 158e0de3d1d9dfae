import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { reportUnexpected } from '@codetrack/web/form-errors';
import { FormAlert } from '../../../components/form-alert.tsx';
import { TextField } from '../../../components/text-field.tsx';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { requestPasswordReset } from '../api/passwords.ts';
import { programQueryOptions } from '../api/program.ts';
import { readProgramId } from '../utils/read-program-id.ts';
import { validateEmail } from '../utils/validate-fields.ts';
import { AuthFrame } from './auth-frame.tsx';
import { ProgramLinkProblem } from './program-link-problem.tsx';

/** Asks for a reset link. The answer is the same whether or not the email is a partner's. */
export function ForgotPasswordPage() {
  const location = useLocation();
  const link = readProgramId(location.search);
  const programId = link.status === 'ok' ? link.programId : null;
  const program = useQuery({ ...programQueryOptions(programId ?? ''), enabled: programId !== null });
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  if (link.status !== 'ok') return <ProgramLinkProblem reason={link.status} />;
  const signInLink = `/?program=${encodeURIComponent(link.programId)}`;

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending || programId === null) return;
    const problem = validateEmail(email);
    setEmailError(problem);
    setFormError(null);
    if (problem) {
      event.currentTarget.querySelector<HTMLInputElement>('input[name="email"]')?.focus();
      return;
    }
    setPending(true);
    try {
      await requestPasswordReset({ programId, email: email.trim() });
      setSentTo(email.trim());
    } catch (error) {
      reportUnexpected(error);
      setFormError(describeApiError(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <AuthFrame title="Reset your password" program={program.data}>
      {sentTo ? (
        <Alert color="teal" role="status" title="Check your email">
          If {sentTo} belongs to a partner of this program, we have sent it a link to choose a new password. The link works for one hour.
        </Alert>
      ) : (
        <form noValidate onSubmit={handleSubmit} aria-busy={pending}>
          <Stack gap="md">
            <Text c="dimmed" size="sm">
              Enter the email you use for this program and we will send you a link to choose a new password.
            </Text>
            <FormAlert message={formError} />
            <TextField
              label="Email"
              name="email"
              type="email"
              autoComplete="email"
              inputMode="email"
              value={email}
              onChange={(event) => {
                setEmail(event.target.value);
                setEmailError(undefined);
              }}
              error={emailError}
            />
            <Button type="submit" loading={pending} fullWidth>
              Send reset link
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to={signInLink} size="sm">
        Back to sign-in
      </Anchor>
    </AuthFrame>
  );
}
