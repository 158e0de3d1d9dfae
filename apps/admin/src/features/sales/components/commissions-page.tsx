import { Badge, Button, Checkbox, Group, Paper, Select, SimpleGrid, Switch, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { Commission } from '@codetrack/contracts';
import { formatMoney } from '@codetrack/web/money';
import { EmptyMessage } from '../../../components/empty-message.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { downloadText } from '../../../lib/download.ts';
import { formatDate } from '../../../lib/format.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { partnerPickerQueryOptions } from '../../../lib/program-lookups.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { commissionsInfiniteQueryOptions, exportCommissions, useCommissionAction, type CommissionAction, type CommissionFilters } from '../api/sales.ts';

const statusColors = { pending: 'yellow', approved: 'teal', paid: 'indigo', reversed: 'gray', rejected: 'red' } as const;
const actionLabels: Record<CommissionAction, string> = { approve: 'approved', reject: 'rejected', 'mark-paid': 'marked paid' };

/** A date input's yyyy-mm-dd as the start of that day in UTC. */
function dayStart(value: string | null, plusDays = 0): string | null {
  if (!value) return null;
  const date = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime())) return null;
  date.setUTCDate(date.getUTCDate() + plusDays);
  return date.toISOString();
}

export function CommissionsPage() {
  const { programId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [selected, setSelected] = useState<string[]>([]);
  const [force, setForce] = useState(false);
  const [exporting, setExporting] = useState(false);
  const session = useQuery(sessionQueryOptions);
  const canEdit = hasRole(session.data, 'admin');
  const filters: CommissionFilters = {
    status: params.get('status'),
    partnerId: params.get('partnerId'),
    from: dayStart(params.get('from')),
    to: dayStart(params.get('to'), 1),
  };
  const commissions = useInfiniteQuery({ ...commissionsInfiniteQueryOptions(programId, filters), refetchInterval: 5000 });
  const partners = useQuery(partnerPickerQueryOptions(programId));
  const partnerNames = new Map((partners.data?.items ?? []).map((p) => [p.id, p.name]));
  const action = useCommissionAction(programId);
  const rows = commissions.data?.pages.flatMap((p) => p.items) ?? [];
  const selectable = (c: Commission) => c.kind === 'earning' && (c.status === 'pending' || c.status === 'approved');
  const selectableIds = rows.filter(selectable).map((c) => c.id);
  const allSelected = selectableIds.length > 0 && selectableIds.every((id) => selected.includes(id));

  function setFilter(key: string, value: string | null) {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setSelected([]);
  }

  function run(kind: CommissionAction) {
    action.mutate(
      { action: kind, input: { ids: selected, ...(kind === 'approve' && force ? { force: true } : {}) } },
      {
        onSuccess: (result) => {
          setSelected([]);
          const skipped = result.skipped.length
            ? ` ${result.skipped.length} skipped: ${[...new Set(result.skipped.map((s) => s.reason))].join('; ')}`
            : '';
          notifySuccess(`${result.changed.length} ${result.changed.length === 1 ? 'commission' : 'commissions'} ${actionLabels[kind]}.${skipped}`);
        },
        onError: (error) => notifyError(error),
      },
    );
  }

  async function handleExport() {
    setExporting(true);
    try {
      downloadText(await exportCommissions(programId, filters), `commissions-${programId}.csv`);
    } catch (error) {
      notifyError(error, 'Export failed');
    } finally {
      setExporting(false);
    }
  }

  return (
    <>
      <PageHeader
        title="Commissions"
        description="The ledger: what partners earned, approved after the hold period, then paid. Refunds add reversal rows."
        actions={
          <Button variant="default" onClick={() => void handleExport()} loading={exporting}>
            Export CSV
          </Button>
        }
      />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} mb="md">
        <Select
          label="Status"
          data={['pending', 'approved', 'paid', 'reversed', 'rejected'].map((s) => ({ value: s, label: s }))}
          value={filters.status ?? null}
          onChange={(v) => setFilter('status', v)}
          clearable
          placeholder="Any status"
        />
        <Select
          label="Partner"
          data={(partners.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          value={filters.partnerId ?? null}
          onChange={(v) => setFilter('partnerId', v)}
          clearable
          searchable
          placeholder="All partners"
        />
        <TextInput label="From" type="date" value={params.get('from') ?? ''} onChange={(e) => setFilter('from', e.currentTarget.value || null)} />
        <TextInput label="To" type="date" value={params.get('to') ?? ''} onChange={(e) => setFilter('to', e.currentTarget.value || null)} />
      </SimpleGrid>
      {canEdit && selected.length > 0 ? (
        <Paper withBorder p="sm" mb="sm" role="region" aria-label="Bulk actions">
          <Group justify="space-between" wrap="wrap">
            <Text size="sm">{selected.length} selected</Text>
            <Group gap="xs" wrap="wrap">
              <Switch label="Approve before the hold period ends" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} />
              <Button size="xs" onClick={() => run('approve')} loading={action.isPending && action.variables?.action === 'approve'}>
                Approve
              </Button>
              <Button size="xs" variant="light" color="red" onClick={() => run('reject')} loading={action.isPending && action.variables?.action === 'reject'}>
                Reject
              </Button>
              <Button size="xs" variant="light" onClick={() => run('mark-paid')} loading={action.isPending && action.variables?.action === 'mark-paid'}>
                Mark paid
              </Button>
            </Group>
          </Group>
        </Paper>
      ) : null}
      {commissions.isPending ? <TableSkeleton /> : null}
      {commissions.isError ? <QueryError error={commissions.error} onRetry={() => void commissions.refetch()} /> : null}
      {commissions.data && rows.length === 0 ? (
        <EmptyMessage title="No commissions" description="Commissions are booked when an attributed sale comes in." />
      ) : null}
      {rows.length > 0 ? (
        <Table.ScrollContainer minWidth={680}>
          <Table striped highlightOnHover aria-label="Commissions">
            <Table.Thead>
              <Table.Tr>
                {canEdit ? (
                  <Table.Th w={40}>
                    <Checkbox
                      aria-label="Select all commissions that can change"
                      checked={allSelected}
                      indeterminate={!allSelected && selected.length > 0}
                      onChange={() => setSelected(allSelected ? [] : selectableIds)}
                    />
                  </Table.Th>
                ) : null}
                <Table.Th>Partner</Table.Th>
                <Table.Th>Amount</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Hold until</Table.Th>
                <Table.Th>Booked</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr key={c.id} data-commission-status={c.status}>
                  {canEdit ? (
                    <Table.Td>
                      {selectable(c) ? (
                        <Checkbox
                          aria-label={`Select commission of ${formatMoney(c.amount, c.currency)} for ${partnerNames.get(c.partnerId) ?? 'partner'}`}
                          checked={selected.includes(c.id)}
                          onChange={(e) => {
                            const checked = e.currentTarget.checked;
                            setSelected((current) => (checked ? [...current, c.id] : current.filter((id) => id !== c.id)));
                          }}
                        />
                      ) : null}
                    </Table.Td>
                  ) : null}
                  <Table.Td>{partnerNames.get(c.partnerId) ?? c.partnerId}</Table.Td>
                  <Table.Td>{formatMoney(c.amount, c.currency)}</Table.Td>
                  <Table.Td>{c.kind}</Table.Td>
                  <Table.Td>
                    <Badge color={statusColors[c.status]} variant="light">
                      {c.status}
                    </Badge>
                    {c.reason ? (
                      <Text size="xs" c="dimmed">
                        {c.reason}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{formatDate(c.holdUntil)}</Table.Td>
                  <Table.Td>{formatDate(c.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {commissions.hasNextPage ? (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => void commissions.fetchNextPage()} loading={commissions.isFetchingNextPage}>
            Load more
          </Button>
        </Group>
      ) : null}
    </>
  );
}
