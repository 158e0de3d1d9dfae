import { Badge, Button, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import type { PortalCommission } from '@codetrack/contracts';
import { formatMoney } from '@codetrack/web/money';
import { QueryError } from '../../../components/query-error.tsx';
import { formatDate } from '../../../lib/format.ts';
import { useCommissions } from '../api/get-commissions.ts';

const statusColors: Record<PortalCommission['status'], string> = { pending: 'yellow', approved: 'blue', paid: 'teal', reversed: 'gray', rejected: 'red' };
const statusLabels: Record<PortalCommission['status'], string> = { pending: 'Pending', approved: 'Approved', paid: 'Paid', reversed: 'Reversed', rejected: 'Rejected' };

/** The commission ledger, newest first, a page at a time. */
export function CommissionList() {
  const commissions = useCommissions();
  const items = commissions.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="sm" component="section" aria-labelledby="commissions-title">
      <Title order={2} size="h3" id="commissions-title">
        Commissions
      </Title>
      {commissions.isPending ? (
        <Skeleton h={120} aria-label="Loading commissions" />
      ) : commissions.isError ? (
        <QueryError error={commissions.error} onRetry={() => void commissions.refetch()} />
      ) : items.length === 0 ? (
        <Text>No commissions yet. When an order comes in with your code or through your link, it appears here.</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={520}>
            <Table striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Order date</Table.Th>
                  <Table.Th>Order</Table.Th>
                  <Table.Th>Code</Table.Th>
                  <Table.Th ta="right">Order amount</Table.Th>
                  <Table.Th ta="right">Commission</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>{formatDate(c.order.orderedAt)}</Table.Td>
                    <Table.Td className="break-anywhere">{c.order.platformOrderId}</Table.Td>
                    <Table.Td>{c.order.code ?? 'Referral link'}</Table.Td>
                    <Table.Td ta="right">{formatMoney(c.order.netAmount, c.order.currency)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(c.amount, c.currency)}</Table.Td>
                    <Table.Td>
                      <Badge color={statusColors[c.status]} variant="light">
                        {c.kind === 'reversal' ? `Refund · ${statusLabels[c.status]}` : statusLabels[c.status]}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {commissions.hasNextPage ? (
            <Button variant="light" onClick={() => void commissions.fetchNextPage()} loading={commissions.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
              Show more
            </Button>
          ) : null}
        </>
      )}
    </Stack>
  );
}
