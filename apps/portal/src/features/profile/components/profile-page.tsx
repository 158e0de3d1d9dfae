import { Button, Card, Stack, Text, Title } from '@mantine/core';
import type { PortalPartner } from '@codetrack/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { focusFirstInvalid, reportUnexpected, serverFieldErrors, type FieldErrors } from '@codetrack/web/form-errors';
import { FormAlert } from '../../../components/form-alert.tsx';
import { TextField } from '../../../components/text-field.tsx';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { notifySuccess } from '../../../lib/notify.ts';
import { sessionQueryOptions } from '../../../lib/session.ts';
import { compactErrors, validateEmail } from '../../auth/utils/validate-fields.ts';
import { useUpdateProfile } from '../api/update-profile.ts';

const fields = ['name', 'payoutEmail'] as const;
type Field = (typeof fields)[number];

/** The partner's name and where payouts go; the sign-in email is shown but is the program's to change. */
export function ProfilePage() {
  const partner = useQuery(sessionQueryOptions).data?.partner;
  if (!partner) return null;
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Profile
      </Title>
      <Card withBorder padding="md" maw={520}>
        <ProfileForm partner={partner} />
      </Card>
    </Stack>
  );
}

function ProfileForm({ partner }: { partner: PortalPartner }) {
  const [values, setValues] = useState<Record<Field, string>>({ name: partner.name, payoutEmail: partner.payoutEmail ?? '' });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const update = useUpdateProfile();

  function change(field: Field, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setFieldErrors((current) => ({ ...current, [field]: undefined }));
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const payoutEmail = values.payoutEmail.trim();
    const errors = compactErrors({
      name: values.name.trim() === '' ? 'Enter your name.' : undefined,
      payoutEmail: payoutEmail === '' ? undefined : validateEmail(payoutEmail),
    });
    setFieldErrors(errors);
    setFormError(null);
    if (focusFirstInvalid(form, fields, errors)) return;
    update.mutate(
      { name: values.name.trim(), payoutEmail: payoutEmail === '' ? null : payoutEmail },
      {
        onSuccess: () => notifySuccess('Your profile is saved.'),
        onError: (error) => {
          reportUnexpected(error);
          setFormError(describeApiError(error));
          setFieldErrors(serverFieldErrors(error, fields));
        },
      },
    );
  }

  return (
    <form noValidate onSubmit={handleSubmit} aria-busy={update.isPending}>
      <Stack gap="md">
        <FormAlert message={formError} />
        <div>
          <Text size="sm" fw={500}>
            Sign-in email
          </Text>
          <Text size="sm">{partner.email}</Text>
        </div>
        <TextField label="Name" name="name" autoComplete="name" value={values.name} onChange={(e) => change('name', e.target.value)} error={fieldErrors.name} />
        <TextField
          label="Payout email"
          name="payoutEmail"
          type="email"
          autoComplete="email"
          inputMode="email"
          hint="Where the program sends your payouts (for example your PayPal email). Leave empty to use your sign-in email."
          value={values.payoutEmail}
          onChange={(e) => change('payoutEmail', e.target.value)}
          error={fieldErrors.payoutEmail}
        />
        <Button type="submit" loading={update.isPending} style={{ alignSelf: 'flex-start' }}>
          Save profile
        </Button>
        {update.isSuccess && !update.isPending ? (
          <Text size="sm" c="teal" role="status">
            Saved.
          </Text>
        ) : null}
      </Stack>
    </form>
  );
}
