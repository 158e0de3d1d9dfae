import { Button, Card, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { EmptyMessage } from '../../../components/empty-message.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { connectionLabel, formatDateTime, platformNames } from '../../../lib/format.ts';
import { notifySuccess } from '../../../lib/notify.ts';
import { connectionsQueryOptions } from '../../../lib/program-lookups.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { useCreateConnection } from '../api/connections.ts';
import { ConnectionForm } from './connection-form.tsx';
import { ConnectionStatusBadge } from './connection-status-badge.tsx';

export function IntegrationsPage() {
  const { programId = '' } = useParams();
  const navigate = useNavigate();
  const [opened, { open, close }] = useDisclosure();
  const session = useQuery(sessionQueryOptions);
  const connections = useQuery(connectionsQueryOptions(programId));
  const create = useCreateConnection(programId);
  const connectButton = hasRole(session.data, 'admin') ? <Button onClick={open}>Connect a platform</Button> : null;

  return (
    <>
      <PageHeader
        title="Integrations"
        description="Connect the payment platforms where customers pay. Codetrack creates your codes there and reads orders from their webhooks."
        actions={connectButton}
      />
      {connections.isPending ? <TableSkeleton rows={2} /> : null}
      {connections.isError ? <QueryError error={connections.error} onRetry={() => void connections.refetch()} /> : null}
      {connections.data?.items.length === 0 ? (
        <EmptyMessage title="No platform connected" description="Connect Stripe, Paddle, WooCommerce or Shopify to sync codes and track orders." action={connectButton} />
      ) : null}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {connections.data?.items.map((connection) => (
          <Card key={connection.id} withBorder>
            <Group justify="space-between" mb="xs">
              <Text fw={600}>
                {connectionLabel(connection)}
              </Text>
              <ConnectionStatusBadge connection={connection} />
            </Group>
            <Stack gap={2}>
              <Text size="sm" c="dimmed">
                {connection.account.name ?? connection.account.shopDomain ?? connection.account.storeUrl ?? 'Account not identified yet'}
              </Text>
              {connection.lastError ? (
                <Text size="sm" c="red">
                  {connection.lastError}
                </Text>
              ) : null}
              <Text size="xs" c="dimmed">
                Last checked {formatDateTime(connection.lastCheckedAt)} · webhook secret {connection.webhook.secretConfigured ? 'saved' : 'missing'}
              </Text>
            </Stack>
            <Button component={Link} to={connection.id} variant="light" mt="sm" aria-label={`Manage ${connection.name}`}>
              Manage
            </Button>
          </Card>
        ))}
      </SimpleGrid>
      <Modal opened={opened} onClose={close} title="Connect a payment platform" size="lg">
        <ConnectionForm
          onSubmit={(input) => create.mutateAsync(input)}
          onConnected={(connection) => {
            close();
            notifySuccess(
              connection.status === 'connected'
                ? `${platformNames[connection.platform]} connected. Now add the webhook.`
                : `${platformNames[connection.platform]} saved, but the credential check failed: ${connection.lastError ?? 'see details'}.`,
            );
            navigate(connection.id);
          }}
        />
      </Modal>
    </>
  );
}
