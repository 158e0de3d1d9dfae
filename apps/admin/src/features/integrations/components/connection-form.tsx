import { Alert, Button, Collapse, Group, PasswordInput, SegmentedControl, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState, type FormEvent } from 'react';
import type { Connection, CreateConnectionInput, Platform } from '@codetrack/contracts';
import { ApiError } from '@codetrack/web/api-client';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { platformNames } from '../../../lib/format.ts';
import { platformFields } from './platform-fields.ts';
import { validateConnectionForm, type ConnectionFormValues } from './validate-connection.ts';

type ConnectionFormProps = {
  onSubmit: (input: CreateConnectionInput) => Promise<Connection>;
  /** Called with a connection the API stored, whether its credential check passed or not. */
  onConnected: (connection: Connection) => void;
};

const platforms: Platform[] = ['stripe', 'paddle', 'woocommerce', 'shopify'];

export function ConnectionForm({ onSubmit, onConnected }: ConnectionFormProps) {
  const [platform, setPlatform] = useState<Platform>('stripe');
  const [values, setValues] = useState<ConnectionFormValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [advanced, { toggle: toggleAdvanced }] = useDisclosure(false);

  function set(field: string, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
    setErrors((current) => {
      const { [field]: _removed, ...rest } = current;
      return rest;
    });
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = validateConnectionForm(platform, values);
    setErrors(result.errors);
    setFormError(null);
    if (!result.input) return;
    setPending(true);
    try {
      onConnected(await onSubmit(result.input));
    } catch (error) {
      setFormError(describeApiError(error));
      if (error instanceof ApiError) {
        setErrors(Object.fromEntries(error.details.map((d) => [d.path.replace(/^body\./, ''), d.message])));
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={handleSubmit} noValidate aria-busy={pending}>
      <Stack>
        <div>
          <Text size="sm" fw={500} id="platform-label" mb={4}>
            Platform
          </Text>
          <SegmentedControl
            aria-labelledby="platform-label"
            fullWidth
            value={platform}
            onChange={(v) => {
              setPlatform(v as Platform);
              setErrors({});
              setFormError(null);
            }}
            data={platforms.map((p) => ({ value: p, label: platformNames[p] }))}
          />
        </div>
        {formError ? (
          <Alert color="red" role="alert">
            {formError}
          </Alert>
        ) : null}
        <TextInput
          label="Name"
          description="Optional; helps when you connect several accounts."
          value={values.name ?? ''}
          onChange={(e) => set('name', e.currentTarget.value)}
          error={errors.name}
        />
        {platformFields[platform].map((field) => {
          const Input = field.secret ? PasswordInput : TextInput;
          return (
            <Input
              key={`${platform}-${field.name}`}
              label={field.label}
              description={field.where}
              placeholder={field.placeholder}
              required={!field.optional}
              autoComplete="off"
              spellCheck={false}
              value={values[field.name] ?? ''}
              onChange={(e) => set(field.name, e.currentTarget.value)}
              error={errors[field.name]}
            />
          );
        })}
        <UnstyledButton onClick={toggleAdvanced} aria-expanded={advanced} fz="sm" c="indigo.7">
          {advanced ? '▾' : '▸'} Advanced
        </UnstyledButton>
        <Collapse expanded={advanced}>
          <TextInput
            label="API address"
            description="Only for a sandbox, a proxy or a test emulator. Leave empty for the platform's own API."
            placeholder="https://"
            value={values.apiBaseUrl ?? ''}
            onChange={(e) => set('apiBaseUrl', e.currentTarget.value)}
            error={errors.apiBaseUrl}
          />
        </Collapse>
        <Group justify="flex-end">
          <Button type="submit" loading={pending}>
            Connect {platformNames[platform]}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
