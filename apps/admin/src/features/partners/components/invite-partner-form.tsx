import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { CreatePartnerInput, InvitedPartner } from '@codetrack/contracts';
import { ApiError } from '@codetrack/web/api-client';
import { CopyValue } from '../../../components/copy-value.tsx';
import { describeApiError } from '../../../lib/describe-api-error.ts';

export function InvitePartnerForm({ onSubmit }: { onSubmit: (input: CreatePartnerInput) => Promise<InvitedPartner> }) {
  const [values, setValues] = useState({ name: '', email: '', referralKey: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [invited, setInvited] = useState<InvitedPartner | null>(null);
  const [pending, setPending] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (values.name.trim() === '') next.name = 'Enter the partner’s name.';
    if (!/^[^\s@]+@[^\s@]+$/.test(values.email.trim())) next.email = 'Enter an email address like name@example.com.';
    if (values.referralKey.trim() && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(values.referralKey.trim().toLowerCase())) {
      next.referralKey = 'Use letters, digits and single dashes, 3 to 40 characters.';
    }
    setErrors(next);
    setFormError(null);
    if (Object.keys(next).length > 0) return;
    setPending(true);
    try {
      setInvited(
        await onSubmit({ name: values.name.trim(), email: values.email.trim(), ...(values.referralKey.trim() ? { referralKey: values.referralKey.trim().toLowerCase() } : {}) }),
      );
    } catch (error) {
      setFormError(describeApiError(error));
      if (error instanceof ApiError) setErrors(Object.fromEntries(error.details.map((d) => [d.path.replace(/^body\./, ''), d.message])));
    } finally {
      setPending(false);
    }
  }

  if (invited) {
    return (
      <Stack>
        <Alert color="teal" title={`${invited.name} is invited`}>
          Send them this invitation link; it is shown only now and works until {new Date(invited.invitation.expiresAt).toLocaleDateString()}.
        </Alert>
        <Text size="sm" fw={500}>
          Invitation link
        </Text>
        <CopyValue value={invited.invitation.url} label="invitation link" />
        <Text size="sm" fw={500}>
          Referral link
        </Text>
        <CopyValue value={invited.referralUrl} label="referral link" />
      </Stack>
    );
  }

  return (
    <form onSubmit={handleSubmit} noValidate aria-busy={pending}>
      <Stack>
        {formError ? <Alert color="red" role="alert">{formError}</Alert> : null}
        <TextInput label="Name" required value={values.name} onChange={(e) => setValues({ ...values, name: e.currentTarget.value })} error={errors.name} />
        <TextInput label="Email" type="email" required value={values.email} onChange={(e) => setValues({ ...values, email: e.currentTarget.value })} error={errors.email} />
        <TextInput
          label="Referral key"
          description="The end of their referral link (/r/…). Empty: made from the name."
          value={values.referralKey}
          onChange={(e) => setValues({ ...values, referralKey: e.currentTarget.value })}
          error={errors.referralKey}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={pending}>
            Invite partner
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
