import { Alert, Button, Card, Group, Loader, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { PortalStats } from '@codetrack/contracts';
import { lazy, Suspense, useState } from 'react';
import { useSearchParams } from 'react-router';
import { formatMoney } from '@codetrack/web/money';
import { QueryError } from '../../../components/query-error.tsx';
import { formatCount, formatDate } from '../../../lib/format.ts';
import { useStats } from '../api/get-stats.ts';
import { checkRange, lastDays, type DayRange } from '../utils/date-range.ts';
import { CommissionList } from './commission-list.tsx';

// recharts is most of this page's weight: it loads only when a chart is drawn.
const ResultsChart = lazy(() => import('./results-chart.tsx').then((m) => ({ default: m.ResultsChart })));

const presets = [7, 30, 90] as const;

/** The range in the address (so a reload or a shared link keeps it), else the last 30 days. */
function readRange(params: URLSearchParams): DayRange {
  const range = { from: params.get('from') ?? '', to: params.get('to') ?? '' };
  return checkRange(range) === null ? range : lastDays(30);
}

/** Clicks, orders, revenue and commissions in a date range, per code and per day, then the commission list. */
export function ResultsPage() {
  const [params, setParams] = useSearchParams();
  const range = readRange(params);
  const stats = useStats(range);

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        Results
      </Title>
      <RangePicker range={range} onChange={(next) => setParams({ from: next.from, to: next.to }, { replace: true })} />
      {stats.isPending ? (
        <Skeleton h={200} aria-label="Loading your results" />
      ) : stats.isError ? (
        <QueryError error={stats.error} onRetry={() => void stats.refetch()} />
      ) : (
        <div aria-busy={stats.isFetching} className={stats.isPlaceholderData ? 'is-stale' : undefined}>
          <StatsSummary stats={stats.data} />
        </div>
      )}
      <CommissionList />
    </Stack>
  );
}

function RangePicker({ range, onChange }: { range: DayRange; onChange: (range: DayRange) => void }) {
  const [draft, setDraft] = useState(range);
  const [problem, setProblem] = useState<string | null>(null);
  const [shown, setShown] = useState(range);
  // The address changed (a preset, back/forward): show that range in the inputs.
  if (shown.from !== range.from || shown.to !== range.to) {
    setShown(range);
    setDraft(range);
    setProblem(null);
  }

  function apply(next: DayRange) {
    const message = checkRange(next);
    setProblem(message);
    if (!message) onChange(next);
  }

  return (
    <Card withBorder padding="md" component="section" aria-label="Date range">
      <Stack gap="sm">
        <Group gap="xs" role="group" aria-label="Quick ranges">
          {presets.map((days) => {
            const preset = lastDays(days);
            const active = preset.from === range.from && preset.to === range.to;
            return (
              <Button key={days} size="compact-sm" variant={active ? 'filled' : 'default'} aria-pressed={active} onClick={() => apply(preset)}>
                Last {days} days
              </Button>
            );
          })}
        </Group>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            apply(draft);
          }}
        >
          <Group gap="sm" align="flex-end" wrap="wrap">
            <TextInput type="date" label="From" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} w={170} />
            <TextInput type="date" label="To" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} w={170} />
            <Button type="submit" variant="light">
              Show
            </Button>
          </Group>
        </form>
        {problem ? (
          <Text c="red" size="sm" role="alert">
            {problem}
          </Text>
        ) : null}
      </Stack>
    </Card>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Card>
  );
}

function StatsSummary({ stats }: { stats: PortalStats }) {
  const money = (minor: number) => formatMoney(minor, stats.currency);
  const { totals } = stats;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {formatDate(stats.from)} to {formatDate(stats.to)}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" aria-label="Totals" role="group">
        <Stat label="Clicks" value={formatCount(totals.clicks)} />
        <Stat label="Orders" value={formatCount(totals.orders)} />
        <Stat label="Revenue" value={money(totals.revenue)} />
        <Stat label="Pending commission" value={money(totals.commissions.pending)} />
        <Stat label="Approved commission" value={money(totals.commissions.approved)} />
        <Stat label="Paid commission" value={money(totals.commissions.paid)} />
      </SimpleGrid>
      {totals.otherCurrencyOrders > 0 ? (
        <Alert color="gray">
          {totals.otherCurrencyOrders === 1 ? '1 order was' : `${totals.otherCurrencyOrders} orders were`} paid in another currency: counted in orders, not in
          the amounts.
        </Alert>
      ) : null}
      <Card withBorder padding="sm" component="figure" m={0} aria-label="Clicks, orders and commission per day">
        <Suspense fallback={<Loader size="sm" aria-label="Loading the chart" />}>
          <ResultsChart stats={stats} />
        </Suspense>
      </Card>
      <Stack gap="xs" component="section" aria-labelledby="per-code-title">
        <Title order={2} size="h3" id="per-code-title">
          Per code
        </Title>
        {stats.perCode.length === 0 ? (
          <Text>You have no codes yet.</Text>
        ) : (
          <Table.ScrollContainer minWidth={360}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Code</Table.Th>
                  <Table.Th ta="right">Orders</Table.Th>
                  <Table.Th ta="right">Revenue</Table.Th>
                  <Table.Th ta="right">Commission</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {stats.perCode.map((row) => (
                  <Table.Tr key={row.codeId}>
                    <Table.Td ff="monospace">{row.code}</Table.Td>
                    <Table.Td ta="right">{formatCount(row.orders)}</Table.Td>
                    <Table.Td ta="right">{money(row.revenue)}</Table.Td>
                    <Table.Td ta="right">{money(row.commission)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Stack>
  );
}
