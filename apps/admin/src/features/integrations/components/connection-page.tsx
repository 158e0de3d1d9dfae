import { Alert, Anchor, Button, Group, List, Paper, PasswordInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import type { Connection, Platform, UpdateConnectionInput } from '@codetrack/contracts';
import { CopyValue } from '../../../components/copy-value.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { connectionLabel, formatDateTime } from '../../../lib/format.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { connectionQueryOptions, useConnectionAction, useUpdateConnection } from '../api/connections.ts';
import { ConnectionStatusBadge } from './connection-status-badge.tsx';
import { platformFields } from './platform-fields.ts';
import { SyncPanel } from './sync-panel.tsx';
import { ConnectionJobsPanel } from './connection-jobs-panel.tsx';

const secretFieldOf = { stripe: 'webhookSigningSecret', paddle: 'webhookSecret', woocommerce: 'webhookSecret', shopify: 'appSecret' } as const;

function secretUpdate(platform: Platform, secret: string): UpdateConnectionInput {
  switch (platform) {
    case 'stripe':
      return { platform, webhookSigningSecret: secret };
    case 'paddle':
      return { platform, webhookSecret: secret };
    case 'woocommerce':
      return { platform, webhookSecret: secret };
    case 'shopify':
      return { platform, appSecret: secret };
  }
}

export function ConnectionPage() {
  const { programId = '', connectionId = '' } = useParams();
  const session = useQuery(sessionQueryOptions);
  const connection = useQuery(connectionQueryOptions(programId, connectionId));
  const action = useConnectionAction(programId, connectionId);
  const canEdit = hasRole(session.data, 'admin');

  if (connection.isPending) return <TableSkeleton />;
  if (connection.isError) return <QueryError error={connection.error} onRetry={() => void connection.refetch()} />;
  const c = connection.data;
  const disabled = c.status === 'disabled';

  return (
    <Stack>
      <Anchor component={Link} to={`/programs/${programId}/integrations`} size="sm">
        ← Integrations
      </Anchor>
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2">
          {connectionLabel(c)}
        </Title>
        <ConnectionStatusBadge connection={c} />
      </Group>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          Credential check
        </Title>
        {c.status === 'connected' ? (
          <Text size="sm">
            Connected to {c.account.name ?? c.account.shopDomain ?? c.account.storeUrl ?? 'the account'}; last checked {formatDateTime(c.lastCheckedAt)}.
          </Text>
        ) : null}
        {c.lastError ? (
          <Alert color="red" mt="xs" role="alert" title="The last check failed">
            {c.lastError}
          </Alert>
        ) : null}
        {canEdit && !disabled ? (
          <Group mt="sm">
            <Button
              variant="light"
              loading={action.isPending && action.variables === 'verify'}
              onClick={() =>
                action.mutate('verify', {
                  onSuccess: (result) =>
                    result.status === 'connected' ? notifySuccess('Credentials work.') : notifyError(new Error(result.lastError ?? 'check failed')),
                  onError: (error) => notifyError(error),
                })
              }
            >
              Check again
            </Button>
            <Button
              variant="subtle"
              color="red"
              loading={action.isPending && action.variables === 'disable'}
              onClick={() => {
                if (window.confirm('Disable this connection? Syncing stops and its webhooks are refused.')) {
                  action.mutate('disable', { onSuccess: () => notifySuccess('Connection disabled.'), onError: (error) => notifyError(error) });
                }
              }}
            >
              Disable
            </Button>
          </Group>
        ) : null}
      </Paper>
      <WebhookSetup connection={c} programId={programId} canEdit={canEdit && !disabled} />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <SyncPanel connectionId={c.id} canEdit={canEdit && !disabled} />
        <ConnectionJobsPanel connectionId={c.id} canEdit={canEdit && !disabled} />
      </SimpleGrid>
    </Stack>
  );
}

function WebhookSetup({ connection, programId, canEdit }: { connection: Connection; programId: string; canEdit: boolean }) {
  const update = useUpdateConnection(programId, connection.id);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const field = platformFields[connection.platform].find((f) => f.name === secretFieldOf[connection.platform]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (secret.trim() === '') {
      setError(`Paste the ${field?.label.toLowerCase() ?? 'secret'} first.`);
      return;
    }
    setError(null);
    try {
      await update.mutateAsync(secretUpdate(connection.platform, secret.trim()));
      setSecret('');
      notifySuccess('Webhook secret saved.');
    } catch (caught) {
      setError(describeApiError(caught));
    }
  }

  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Webhook
      </Title>
      <Text size="sm" mb="sm">
        {connection.webhook.instructions}
      </Text>
      <Stack gap="xs">
        <Text size="sm" fw={500}>
          Endpoint URL
        </Text>
        <CopyValue value={connection.webhook.url} label="webhook URL" />
        <Text size="sm" fw={500} mt="xs">
          Events to enable
        </Text>
        <List size="sm" spacing={4}>
          {connection.webhook.events.map((event) => (
            <List.Item key={event}>
              <CopyValue value={event} label={`event ${event}`} />
            </List.Item>
          ))}
        </List>
        <Text size="sm" mt="xs" c={connection.webhook.secretConfigured ? 'teal.8' : 'orange.8'} role="status">
          {connection.webhook.secretConfigured
            ? 'Signing secret saved: deliveries are verified.'
            : 'No signing secret yet: deliveries are refused until you save it.'}
        </Text>
        {canEdit && field ? (
          <form onSubmit={handleSubmit} noValidate>
            <Group align="flex-end" wrap="wrap">
              <PasswordInput
                label={connection.webhook.secretConfigured ? `Replace ${field.label.toLowerCase()}` : field.label}
                description={field.where}
                placeholder={field.placeholder}
                value={secret}
                onChange={(e) => setSecret(e.currentTarget.value)}
                error={error}
                style={{ flex: '1 1 20rem' }}
                autoComplete="off"
              />
              <Button type="submit" loading={update.isPending}>
                Save secret
              </Button>
            </Group>
          </form>
        ) : null}
      </Stack>
    </Paper>
  );
}
