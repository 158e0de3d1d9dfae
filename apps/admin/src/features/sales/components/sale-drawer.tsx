import { Alert, Badge, Drawer, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { formatMoney } from '@codetrack/web/money';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { formatDateTime, platformNames } from '../../../lib/format.ts';
import { saleQueryOptions } from '../api/sales.ts';
import { SourceBadge } from './source-badge.tsx';

const signalLabels = { code: 'Promotion code', cookie: 'Referral link click', customer: 'Customer already bound to a partner' } as const;

/** Why a sale went to whom: every signal found on the order, which one won, and the ledger. */
export function SaleDrawer({ saleId, partnerName, onClose }: { saleId: string | null; partnerName: (id: string | null) => string; onClose: () => void }) {
  const sale = useQuery({ ...saleQueryOptions(saleId ?? ''), enabled: saleId !== null });
  const s = sale.data;
  return (
    <Drawer opened={saleId !== null} onClose={onClose} position="right" size="lg" title="Why this sale was attributed">
      {sale.isPending ? <TableSkeleton rows={4} /> : null}
      {sale.isError ? <QueryError error={sale.error} onRetry={() => void sale.refetch()} /> : null}
      {s ? (
        <Stack>
          <Group justify="space-between">
            <div>
              <Text fw={600}>Order {s.platformOrderId}</Text>
              <Text size="sm" c="dimmed">
                {platformNames[s.platform]} · {formatDateTime(s.orderedAt)} · {s.customerEmail ?? 'no email'}
              </Text>
            </div>
            <SourceBadge source={s.source} />
          </Group>
          <Text size="sm">
            Net {formatMoney(s.netAmount, s.currency)} (gross {formatMoney(s.grossAmount, s.currency)}, discount {formatMoney(s.discountAmount, s.currency)})
            {s.refundedAmount ? `, refunded ${formatMoney(s.refundedAmount, s.currency)}` : ''}.
          </Text>
          <Alert color={s.partnerId ? 'indigo' : 'gray'} title={s.partnerId ? `Credited to ${partnerName(s.partnerId)}` : 'Not credited to any partner'}>
            {s.attribution.explanation}
            {s.attribution.noCommissionReason ? (
              <Text size="sm" mt="xs">
                No commission: {s.attribution.noCommissionReason}
              </Text>
            ) : null}
          </Alert>
          <div>
            <Title order={3} size="h5" mb="xs">
              Signals found on the order
            </Title>
            {s.attribution.signals.length === 0 ? (
              <Text size="sm" c="dimmed">
                None: no code, no referral visitor id, no known customer.
              </Text>
            ) : (
              <List spacing="xs">
                {s.attribution.signals.map((signal, index) => (
                  <List.Item key={`${signal.kind}-${signal.value}-${index}`} icon={<Badge color={signal.accepted ? 'teal' : 'gray'} variant="light">{signal.accepted ? 'won' : 'not used'}</Badge>}>
                    <Text size="sm">
                      {signalLabels[signal.kind]}: <Text span ff="monospace">{signal.value}</Text>
                      {signal.partnerId ? ` → ${partnerName(signal.partnerId)}` : ''}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {signal.note}
                    </Text>
                  </List.Item>
                ))}
              </List>
            )}
          </div>
          {s.attribution.flags.length > 0 ? (
            <Group gap="xs">
              {s.attribution.flags.map((flag) => (
                <Badge key={flag} color="orange" variant="light">
                  {flag.replace(/_/g, ' ')}
                </Badge>
              ))}
            </Group>
          ) : null}
          <div>
            <Title order={3} size="h5" mb="xs">
              Commission ledger
            </Title>
            {s.commissions.length === 0 ? (
              <Text size="sm" c="dimmed">
                No commission rows.
              </Text>
            ) : (
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>Amount</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Hold until</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {s.commissions.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>{c.kind}</Table.Td>
                      <Table.Td>{formatMoney(c.amount, c.currency)}</Table.Td>
                      <Table.Td>{c.status}</Table.Td>
                      <Table.Td>{formatDateTime(c.holdUntil)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </div>
        </Stack>
      ) : null}
    </Drawer>
  );
}
