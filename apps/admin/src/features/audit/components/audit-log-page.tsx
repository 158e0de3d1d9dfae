import { Button, Code, Group, Select, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyMessage } from '../../../components/empty-message.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { auditLogQueryOptions } from '../api/audit-log.ts';

const entityTypes = ['program', 'partner', 'coupon', 'promotion_code', 'connection', 'commission', 'member', 'api_key', 'workspace'];

export function AuditLogPage() {
  const [entityType, setEntityType] = useState<string | null>(null);
  const log = useInfiniteQuery(auditLogQueryOptions(entityType));
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader title="Audit log" description="Who changed what, newest first." />
      <Select
        label="Kind of record"
        data={entityTypes.map((t) => ({ value: t, label: t.replace('_', ' ') }))}
        value={entityType}
        onChange={setEntityType}
        clearable
        placeholder="Everything"
        maw={260}
        mb="md"
      />
      {log.isPending ? <TableSkeleton /> : null}
      {log.isError ? <QueryError error={log.error} onRetry={() => void log.refetch()} /> : null}
      {log.data && rows.length === 0 ? <EmptyMessage title="Nothing recorded yet" /> : null}
      {rows.length > 0 ? (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-label="Audit log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>What</Table.Th>
                <Table.Th>Record</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td className="nowrap">{formatDateTime(entry.createdAt)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{entry.actorType.replace('_', ' ')}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {entry.actorId ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{entry.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{entry.entityType}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {entry.entityId ?? ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {log.hasNextPage ? (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
            Load more
          </Button>
        </Group>
      ) : null}
    </>
  );
}
