import { Button, Group, Select, SimpleGrid, Table, Text, UnstyledButton } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { formatMoney } from '@codetrack/web/money';
import { EmptyMessage } from '../../../components/empty-message.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { partnerPickerQueryOptions } from '../../../lib/program-lookups.ts';
import { salesInfiniteQueryOptions, type SaleFilters } from '../api/sales.ts';
import { SaleDrawer } from './sale-drawer.tsx';
import { SourceBadge } from './source-badge.tsx';

export function SalesPage() {
  const { programId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [openSale, setOpenSale] = useState<string | null>(null);
  const filters: SaleFilters = { partnerId: params.get('partnerId'), source: params.get('source'), status: params.get('status') };
  const sales = useInfiniteQuery({ ...salesInfiniteQueryOptions(programId, filters), refetchInterval: 5000 });
  const partners = useQuery(partnerPickerQueryOptions(programId));
  const partnerNames = new Map((partners.data?.items ?? []).map((p) => [p.id, p.name]));
  const partnerName = (id: string | null) => (id ? (partnerNames.get(id) ?? 'a partner') : '—');
  const rows = sales.data?.pages.flatMap((p) => p.items) ?? [];

  function setFilter(key: keyof SaleFilters, value: string | null) {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  }

  return (
    <>
      <PageHeader title="Sales" description="Orders from your platforms' webhooks and who they were attributed to. Open a sale to see why." />
      <SimpleGrid cols={{ base: 1, xs: 3 }} mb="md">
        <Select
          label="Partner"
          data={(partners.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          value={filters.partnerId ?? null}
          onChange={(v) => setFilter('partnerId', v)}
          clearable
          searchable
          placeholder="All partners"
        />
        <Select
          label="Attribution source"
          data={[
            { value: 'code', label: 'Promotion code' },
            { value: 'cookie', label: 'Referral link' },
            { value: 'customer', label: 'Returning customer' },
            { value: 'none', label: 'Unattributed' },
          ]}
          value={filters.source ?? null}
          onChange={(v) => setFilter('source', v)}
          clearable
          placeholder="Any source"
        />
        <Select
          label="Status"
          data={[
            { value: 'paid', label: 'Paid' },
            { value: 'partially_refunded', label: 'Partially refunded' },
            { value: 'refunded', label: 'Refunded' },
            { value: 'cancelled', label: 'Cancelled' },
          ]}
          value={filters.status ?? null}
          onChange={(v) => setFilter('status', v)}
          clearable
          placeholder="Any status"
        />
      </SimpleGrid>
      {sales.isPending ? <TableSkeleton /> : null}
      {sales.isError ? <QueryError error={sales.error} onRetry={() => void sales.refetch()} /> : null}
      {sales.data && rows.length === 0 ? (
        <EmptyMessage title="No sales yet" description="Sales appear here as soon as a connected platform reports a paid order." />
      ) : null}
      {rows.length > 0 ? (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover aria-label="Sales">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Order</Table.Th>
                <Table.Th>Date</Table.Th>
                <Table.Th>Net</Table.Th>
                <Table.Th>Source</Table.Th>
                <Table.Th>Partner</Table.Th>
                <Table.Th>Commission</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((sale) => (
                <Table.Tr key={sale.id}>
                  <Table.Td>
                    <UnstyledButton onClick={() => setOpenSale(sale.id)} c="indigo.7" fz="sm" aria-label={`Explain order ${sale.platformOrderId}`}>
                      {sale.platformOrderId}
                    </UnstyledButton>
                    {sale.codesSeen.length > 0 ? (
                      <Text size="xs" c="dimmed" ff="monospace">
                        {sale.codesSeen.join(', ')}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td className="nowrap">{formatDateTime(sale.orderedAt)}</Table.Td>
                  <Table.Td>{formatMoney(sale.netAmount, sale.currency)}</Table.Td>
                  <Table.Td>
                    <SourceBadge source={sale.source} />
                  </Table.Td>
                  <Table.Td>{partnerName(sale.partnerId)}</Table.Td>
                  <Table.Td>{formatMoney(sale.commissionBalance, sale.currency)}</Table.Td>
                  <Table.Td>{sale.status.replace('_', ' ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {sales.hasNextPage ? (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => void sales.fetchNextPage()} loading={sales.isFetchingNextPage}>
            Load more
          </Button>
        </Group>
      ) : null}
      <SaleDrawer saleId={openSale} partnerName={partnerName} onClose={() => setOpenSale(null)} />
    </>
  );
}
