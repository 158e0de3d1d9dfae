import { Anchor, Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { InvitedPartner, Partner } from '@codetrack/contracts';
import { formatMoney } from '@codetrack/web/money';
import { CopyValue } from '../../../components/copy-value.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { formatBps, formatDate } from '../../../lib/format.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { programQueryOptions } from '../../../lib/program-lookups.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { partnerQueryOptions, usePartnerMutations } from '../api/partners.ts';
import { EditPartnerForm } from './edit-partner-form.tsx';
import { partnerStatusColors } from './partners-page.tsx';

const durationWords = { first_order: 'on the first order', months: 'on orders for {n} months', lifetime: 'on every order' } as const;

/** "20% on the first order", or "$25.00 on orders for 6 months". */
function describeCommission(rule: NonNullable<Partner['commissionOverride']>, currency: string): string {
  const amount = rule.type === 'percent' ? formatBps(rule.value) : formatMoney(rule.value, currency);
  return `${amount} ${durationWords[rule.duration].replace('{n}', String(rule.durationMonths ?? ''))}`;
}

export function PartnerDetailPage() {
  const { programId = '', partnerId = '' } = useParams();
  const session = useQuery(sessionQueryOptions);
  const partner = useQuery(partnerQueryOptions(programId, partnerId));
  const program = useQuery(programQueryOptions(programId));
  const { lifecycle, update } = usePartnerMutations(programId);
  const [invitationUrl, setInvitationUrl] = useState<string | null>(null);
  const [editOpened, editModal] = useDisclosure();
  const canEdit = hasRole(session.data, 'admin');
  const currency = program.data?.currency ?? 'USD';

  if (partner.isPending) return <TableSkeleton />;
  if (partner.isError) return <QueryError error={partner.error} onRetry={() => void partner.refetch()} />;
  const p = partner.data;

  function act(action: 'suspend' | 'reactivate' | 'invitation') {
    lifecycle.mutate(
      { partnerId, action },
      {
        onSuccess: (result) => {
          if (action === 'invitation' && 'invitation' in result) setInvitationUrl((result as InvitedPartner).invitation.url);
          notifySuccess(action === 'suspend' ? 'Partner suspended.' : action === 'reactivate' ? 'Partner reactivated.' : 'New invitation link created.');
        },
        onError: (error) => notifyError(error),
      },
    );
  }

  return (
    <Stack>
      <Anchor component={Link} to={`/programs/${programId}/partners`} size="sm">
        ← Partners
      </Anchor>
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            {p.name}
          </Title>
          <Text c="dimmed" size="sm">
            {p.email} · joined {formatDate(p.createdAt)}
          </Text>
        </div>
        <Group>
          <Badge color={partnerStatusColors[p.status]} variant="light">
            {p.status}
          </Badge>
          {canEdit ? (
            <Button variant="default" size="xs" onClick={editModal.open} disabled={!program.data}>
              Edit
            </Button>
          ) : null}
          {canEdit && p.status !== 'suspended' ? (
            <Button variant="light" color="red" size="xs" onClick={() => act('suspend')} loading={lifecycle.isPending}>
              Suspend
            </Button>
          ) : null}
          {canEdit && p.status === 'suspended' ? (
            <Button variant="light" size="xs" onClick={() => act('reactivate')} loading={lifecycle.isPending}>
              Reactivate
            </Button>
          ) : null}
          {canEdit && p.status === 'invited' ? (
            <Button variant="default" size="xs" onClick={() => act('invitation')} loading={lifecycle.isPending}>
              New invitation link
            </Button>
          ) : null}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md">
          <Title order={2} size="h5" mb="xs">
            Referral link
          </Title>
          <CopyValue value={p.referralUrl} label="referral link" />
          <Text size="sm" mt="md">
            Commission: {p.commissionOverride ? `${describeCommission(p.commissionOverride, currency)} (own rule)` : 'the program’s rule'}
          </Text>
          <Text size="sm">Payout email: {p.payoutEmail ?? `${p.email} (sign-in email)`}</Text>
          {invitationUrl ? (
            <>
              <Title order={2} size="h5" mt="md" mb="xs">
                Invitation link (shown once)
              </Title>
              <CopyValue value={invitationUrl} label="invitation link" />
            </>
          ) : null}
          <Group mt="md" gap="xs">
            <Anchor component={Link} to={`/programs/${programId}/sales?partnerId=${p.id}`} size="sm">
              Sales
            </Anchor>
            ·
            <Anchor component={Link} to={`/programs/${programId}/commissions?partnerId=${p.id}`} size="sm">
              Commissions
            </Anchor>
          </Group>
        </Paper>
        <Paper withBorder p="md">
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h5">
              Codes
            </Title>
            <Anchor component={Link} to={`/programs/${programId}/codes?partnerId=${p.id}`} size="sm">
              Manage codes
            </Anchor>
          </Group>
          {p.codes.length === 0 ? (
            <Text size="sm" c="dimmed">
              No codes yet.
            </Text>
          ) : (
            <Table>
              <Table.Tbody>
                {p.codes.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <CopyValue value={c.code} label={`code ${c.code}`} />
                    </Table.Td>
                    <Table.Td>{c.status}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      </SimpleGrid>
      <Modal opened={editOpened} onClose={editModal.close} title={`Edit ${p.name}`} size="lg">
        <EditPartnerForm
          key={String(editOpened)}
          partner={p}
          currency={currency}
          onCancel={editModal.close}
          onSubmit={async (input) => {
            const saved = await update.mutateAsync({ partnerId, input });
            notifySuccess(`${saved.name} saved.`);
            editModal.close();
            return saved;
          }}
        />
      </Modal>
    </Stack>
  );
}
