import { Paper, SegmentedControl, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Suspense, lazy, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import type { ProgramStats } from '@codetrack/contracts';
import { currencyDigits, formatMoney } from '@codetrack/web/money';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { partnerPickerQueryOptions, programQueryOptions } from '../../../lib/program-lookups.ts';
import { statsQueryOptions, timelineQueryOptions, type DateRange } from '../api/stats.ts';
import { bucketByDay } from './timeline.ts';

const DashboardCharts = lazy(() => import('./dashboard-charts.tsx'));

const ranges = { '7': 7, '30': 30, '90': 90 } as const;

function rangeOf(days: number): DateRange {
  const to = new Date();
  to.setUTCHours(0, 0, 0, 0);
  to.setUTCDate(to.getUTCDate() + 1);
  const from = new Date(to);
  from.setUTCDate(from.getUTCDate() - days);
  return { from: from.toISOString(), to: to.toISOString() };
}

export function DashboardPage() {
  const { programId = '' } = useParams();
  const [days, setDays] = useState<keyof typeof ranges>('30');
  const range = useMemo(() => rangeOf(ranges[days]), [days]);
  const program = useQuery(programQueryOptions(programId));
  const stats = useQuery(statsQueryOptions(programId, range));
  const timeline = useQuery(timelineQueryOptions(programId, range));
  const partners = useQuery(partnerPickerQueryOptions(programId));
  const partnerNames = new Map((partners.data?.items ?? []).map((p) => [p.id, p.name]));
  const currency = program.data?.currency ?? 'USD';
  const totals = stats.data?.totals.find((t) => t.currency === currency) ?? stats.data?.totals[0];
  const points = timeline.data ? bucketByDay(new Date(range.from), new Date(range.to), timeline.data.sales, timeline.data.commissions, currencyDigits(currency)) : null;

  return (
    <>
      <PageHeader
        title={program.data?.name ?? 'Dashboard'}
        description="How the program performs: orders and revenue from partner codes and links, and what partners earned."
        actions={
          <SegmentedControl
            aria-label="Date range"
            value={days}
            onChange={(v) => setDays(v as keyof typeof ranges)}
            data={[
              { value: '7', label: '7 days' },
              { value: '30', label: '30 days' },
              { value: '90', label: '90 days' },
            ]}
          />
        }
      />
      {stats.isError ? <QueryError error={stats.error} onRetry={() => void stats.refetch()} /> : null}
      <SimpleGrid cols={{ base: 2, md: 4 }} mb="md">
        <Figure label="Revenue" value={totals ? formatMoney(totals.revenue, totals.currency) : null} loading={stats.isPending} />
        <Figure label="Orders" value={totals ? String(totals.orders) : stats.data ? '0' : null} loading={stats.isPending} />
        <Figure
          label="Commissions owed"
          value={totals ? formatMoney(totals.commissions.pending + totals.commissions.approved, totals.currency) : stats.data ? formatMoney(0, currency) : null}
          loading={stats.isPending}
        />
        <Figure label="Commissions paid" value={totals ? formatMoney(totals.commissions.paid, totals.currency) : stats.data ? formatMoney(0, currency) : null} loading={stats.isPending} />
      </SimpleGrid>
      <Stack>
        {points ? (
          <Suspense fallback={<Skeleton height={280} />}>
            <DashboardCharts points={points} currency={currency} />
          </Suspense>
        ) : (
          <Skeleton height={280} />
        )}
        {timeline.data?.truncated ? (
          <Text size="xs" c="dimmed">
            The charts show the latest 200 orders of this range.
          </Text>
        ) : null}
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TopList title="Top partners" rows={stats.data?.partners} name={(row) => (row.partnerId ? (partnerNames.get(row.partnerId) ?? 'Partner') : 'No partner')} />
          <TopList title="Top codes" rows={stats.data?.codes} name={(row) => row.code ?? '—'} mono />
        </SimpleGrid>
      </Stack>
    </>
  );
}

function Figure({ label, value, loading }: { label: string; value: string | null; loading: boolean }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      {loading ? <Skeleton height={28} mt={4} /> : <Text size="xl" fw={700}>{value ?? '—'}</Text>}
    </Paper>
  );
}

type Row = ProgramStats['partners'][number] | ProgramStats['codes'][number];

function TopList<R extends Row>({ title, rows, name, mono }: { title: string; rows: R[] | undefined; name: (row: R) => string; mono?: boolean }) {
  const top = [...(rows ?? [])].sort((a, b) => b.revenue - a.revenue).slice(0, 10);
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h5" mb="sm">
        {title}
      </Title>
      {!rows ? <TableSkeleton rows={3} /> : null}
      {rows && top.length === 0 ? (
        <Text size="sm" c="dimmed">
          No sales in this range yet.
        </Text>
      ) : null}
      {top.length > 0 ? (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Orders</Table.Th>
              <Table.Th>Revenue</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {top.map((row, index) => (
              <Table.Tr key={index}>
                <Table.Td ff={mono ? 'monospace' : undefined}>{name(row)}</Table.Td>
                <Table.Td>{row.orders}</Table.Td>
                <Table.Td>{formatMoney(row.revenue, row.currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Paper>
  );
}
