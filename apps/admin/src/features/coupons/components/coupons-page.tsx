import { Anchor, Badge, Button, Modal, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { EmptyMessage } from '../../../components/empty-message.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { platformNames } from '../../../lib/format.ts';
import { notifySuccess } from '../../../lib/notify.ts';
import { connectionsQueryOptions, couponsQueryOptions, programQueryOptions } from '../../../lib/program-lookups.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { useCreateCoupon } from '../api/coupons.ts';
import { CouponForm } from './coupon-form.tsx';
import { emptyCouponForm } from './coupon-form-values.ts';
import { describeDiscount } from './describe-coupon.ts';

export function CouponsPage() {
  const { programId = '' } = useParams();
  const [opened, { open, close }] = useDisclosure();
  const session = useQuery(sessionQueryOptions);
  const program = useQuery(programQueryOptions(programId));
  const coupons = useQuery(couponsQueryOptions(programId));
  const connections = useQuery(connectionsQueryOptions(programId));
  const create = useCreateCoupon(programId);
  const connectionList = connections.data?.items ?? [];
  const platformOf = new Map(connectionList.map((c) => [c.id, platformNames[c.platform]]));
  const createButton = hasRole(session.data, 'admin') ? (
    <Button onClick={open} disabled={!program.data}>
      New coupon
    </Button>
  ) : null;

  return (
    <>
      <PageHeader title="Coupons" description="A coupon is the discount; promotion codes are what customers type. Each partner gets their own code." actions={createButton} />
      {coupons.isPending ? <TableSkeleton /> : null}
      {coupons.isError ? <QueryError error={coupons.error} onRetry={() => void coupons.refetch()} /> : null}
      {coupons.data?.items.length === 0 ? (
        <EmptyMessage title="No coupons yet" description="Create the discount your partners' codes will give customers." action={createButton} />
      ) : null}
      {coupons.data && coupons.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Discount</Table.Th>
                <Table.Th>Codes</Table.Th>
                <Table.Th>Syncs to</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {coupons.data.items.map((coupon) => (
                <Table.Tr key={coupon.id}>
                  <Table.Td>
                    <Anchor component={Link} to={coupon.id}>
                      {coupon.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{describeDiscount(coupon)}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`../codes?couponId=${coupon.id}`} relative="path">
                      {coupon.codesCount}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{coupon.connectionIds.map((id) => platformOf.get(id) ?? 'Connection').join(', ') || '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={coupon.status === 'active' ? 'teal' : 'gray'} variant="light">
                      {coupon.status}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <Modal opened={opened} onClose={close} title="New coupon" size="xl">
        {program.data ? (
          <CouponForm
            initial={{ ...emptyCouponForm(program.data.currency), connectionIds: connectionList.filter((c) => c.status === 'connected').map((c) => c.id) }}
            programCurrency={program.data.currency}
            connections={connectionList}
            submitLabel="Create coupon"
            onSubmit={async (input) => {
              const coupon = await create.mutateAsync(input);
              notifySuccess(`Coupon ${coupon.name} created.`);
              close();
            }}
          />
        ) : null}
      </Modal>
    </>
  );
}
