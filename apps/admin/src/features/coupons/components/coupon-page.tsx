import { Anchor, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { connectionsQueryOptions, programQueryOptions } from '../../../lib/program-lookups.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { couponQueryOptions, useArchiveCoupon, useUpdateCoupon } from '../api/coupons.ts';
import { CouponForm } from './coupon-form.tsx';
import { couponToForm } from './coupon-form-values.ts';
import { describeDiscount } from './describe-coupon.ts';

export function CouponPage() {
  const { programId = '', couponId = '' } = useParams();
  const session = useQuery(sessionQueryOptions);
  const program = useQuery(programQueryOptions(programId));
  const coupon = useQuery(couponQueryOptions(couponId));
  const connections = useQuery(connectionsQueryOptions(programId));
  const update = useUpdateCoupon(programId, couponId);
  const archive = useArchiveCoupon(programId, couponId);

  if (coupon.isPending || program.isPending) return <TableSkeleton />;
  if (coupon.isError) return <QueryError error={coupon.error} onRetry={() => void coupon.refetch()} />;
  if (program.isError) return <QueryError error={program.error} onRetry={() => void program.refetch()} />;
  const c = coupon.data;
  const canEdit = hasRole(session.data, 'admin') && c.status === 'active';

  return (
    <Stack>
      <Anchor component={Link} to={`/programs/${programId}/coupons`} size="sm">
        ← Coupons
      </Anchor>
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            {c.name}
          </Title>
          <Text c="dimmed" size="sm">
            {describeDiscount(c)} · {c.codesCount} codes
          </Text>
        </div>
        <Group>
          <Badge color={c.status === 'active' ? 'teal' : 'gray'} variant="light">
            {c.status}
          </Badge>
          <Button component={Link} to={`/programs/${programId}/codes?couponId=${c.id}`} variant="light">
            View codes
          </Button>
        </Group>
      </Group>
      <Paper withBorder p="md">
        <CouponForm
          key={c.updatedAt}
          initial={couponToForm(c, program.data.currency)}
          programCurrency={program.data.currency}
          connections={connections.data?.items ?? []}
          enforcement={c.enforcement}
          submitLabel={canEdit ? 'Save coupon' : 'Read only'}
          onSubmit={async (input) => {
            if (!canEdit) return;
            await update.mutateAsync(input);
            notifySuccess('Coupon saved. Its codes are updated on every platform.');
          }}
        />
      </Paper>
      {canEdit ? (
        <Paper withBorder p="md">
          <Group justify="space-between">
            <Text size="sm">Archiving deactivates every code of this coupon on every platform; the codes stay reserved.</Text>
            <Button
              color="red"
              variant="light"
              loading={archive.isPending}
              onClick={() => {
                if (window.confirm(`Archive ${c.name}? Its codes stop working at checkout.`)) {
                  archive.mutate(undefined, { onSuccess: () => notifySuccess('Coupon archived.'), onError: (e) => notifyError(e) });
                }
              }}
            >
              Archive coupon
            </Button>
          </Group>
        </Paper>
      ) : null}
    </Stack>
  );
}
