import { Alert, Badge, Button, Group, Paper, SegmentedControl, Table, Text, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { isMissingRoute } from '@codetrack/web/api-client';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { QueryError } from '../../../components/query-error.tsx';
import { syncStatusQueryOptions, useRetrySync } from '../api/connections.ts';

const stateColors = { pending: 'yellow', synced: 'teal', failed: 'red', deleted: 'gray' } as const;

/** Counts per sync state and the links in one state, with their last error and a retry. */
export function SyncPanel({ connectionId, canEdit }: { connectionId: string; canEdit: boolean }) {
  const [state, setState] = useState<'failed' | 'pending' | 'synced'>('failed');
  const status = useQuery(syncStatusQueryOptions(connectionId, state));
  const { retryAll, retryOne } = useRetrySync(connectionId);

  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Sync status
        </Title>
        {canEdit && (status.data?.counts.failed ?? 0) > 0 ? (
          <Button
            size="xs"
            variant="light"
            loading={retryAll.isPending}
            onClick={() =>
              retryAll.mutate(undefined, {
                onSuccess: (r) => notifySuccess(`${r.retried} ${r.retried === 1 ? 'item' : 'items'} queued again.`),
                onError: (e) => notifyError(e),
              })
            }
          >
            Retry all failed
          </Button>
        ) : null}
      </Group>
      {status.isPending ? <TableSkeleton rows={2} /> : null}
      {status.isError ? (
        isMissingRoute(status.error) ? (
          <Alert color="gray">Sync status is not available on this server yet.</Alert>
        ) : (
          <QueryError error={status.error} onRetry={() => void status.refetch()} />
        )
      ) : null}
      {status.data ? (
        <>
          <Group gap="xs" mb="sm" aria-label="Sync counts">
            {(['synced', 'pending', 'failed'] as const).map((s) => (
              <Badge key={s} color={stateColors[s]} variant="light">
                {status.data.counts[s]} {s}
              </Badge>
            ))}
          </Group>
          <SegmentedControl
            size="xs"
            value={state}
            onChange={(v) => setState(v as typeof state)}
            data={[
              { value: 'failed', label: 'Failed' },
              { value: 'pending', label: 'Pending' },
              { value: 'synced', label: 'Synced' },
            ]}
            aria-label="Show items in state"
            mb="sm"
          />
          {status.data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nothing {state}.
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={420}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Item</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Updated</Table.Th>
                    {canEdit ? <Table.Th aria-label="Actions" /> : null}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {status.data.items.map((item) => (
                    <Table.Tr key={item.id}>
                      <Table.Td>
                        {item.entityType === 'coupon' ? 'Coupon ' : ''}
                        <Text span ff="monospace" size="sm">
                          {item.label}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Tooltip label={item.lastError ?? `${item.attempts} attempts`} multiline maw={320} disabled={!item.lastError}>
                          <Badge color={stateColors[item.state]} variant="light" tabIndex={item.lastError ? 0 : undefined}>
                            {item.state}
                          </Badge>
                        </Tooltip>
                        {item.lastError ? (
                          <Text size="xs" c="red">
                            {item.lastError}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td className="nowrap">{formatDateTime(item.updatedAt)}</Table.Td>
                      {canEdit ? (
                        <Table.Td>
                          {item.state !== 'synced' ? (
                            <Button
                              size="compact-xs"
                              variant="subtle"
                              loading={retryOne.isPending && retryOne.variables === item.id}
                              onClick={() => retryOne.mutate(item.id, { onSuccess: () => notifySuccess('Queued again.'), onError: (e) => notifyError(e) })}
                            >
                              Retry
                            </Button>
                          ) : null}
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </>
      ) : null}
    </Paper>
  );
}
