import { Anchor, Badge, Button, Group, Modal, Select, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { EmptyMessage } from '../../../components/empty-message.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { downloadText } from '../../../lib/download.ts';
import { formatDate } from '../../../lib/format.ts';
import { notifyError } from '../../../lib/notify.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { exportPartners, partnersInfiniteQueryOptions, usePartnerMutations } from '../api/partners.ts';
import { ImportPartnersForm } from './import-partners-form.tsx';
import { InvitePartnerForm } from './invite-partner-form.tsx';

export const partnerStatusColors = { active: 'teal', invited: 'yellow', suspended: 'gray' } as const;

export function PartnersPage() {
  const { programId = '' } = useParams();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [status, setStatus] = useState<string | null>(null);
  const [inviteOpened, inviteModal] = useDisclosure();
  const [importOpened, importModal] = useDisclosure();
  const [exporting, setExporting] = useState(false);
  const session = useQuery(sessionQueryOptions);
  const filters = { q: debouncedQ, status };
  const partners = useInfiniteQuery(partnersInfiniteQueryOptions(programId, filters));
  const { invite, importCsv } = usePartnerMutations(programId);
  const rows = partners.data?.pages.flatMap((p) => p.items) ?? [];
  const canEdit = hasRole(session.data, 'admin');

  async function handleExport() {
    setExporting(true);
    try {
      downloadText(await exportPartners(programId, filters), `partners-${programId}.csv`);
    } catch (error) {
      notifyError(error, 'Export failed');
    } finally {
      setExporting(false);
    }
  }

  const actions = (
    <>
      <Button variant="default" onClick={() => void handleExport()} loading={exporting}>
        Export CSV
      </Button>
      {canEdit ? (
        <>
          <Button variant="default" onClick={importModal.open}>
            Import CSV
          </Button>
          <Button onClick={inviteModal.open}>Invite partner</Button>
        </>
      ) : null}
    </>
  );

  return (
    <>
      <PageHeader title="Partners" description="The people and companies who promote you. Each gets a referral link and their own codes." actions={actions} />
      <SimpleGrid cols={{ base: 1, xs: 2 }} mb="md" maw={640}>
        <TextInput label="Search" placeholder="Name or email" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        <Select
          label="Status"
          data={[
            { value: 'active', label: 'Active' },
            { value: 'invited', label: 'Invited' },
            { value: 'suspended', label: 'Suspended' },
          ]}
          value={status}
          onChange={setStatus}
          clearable
          placeholder="Any status"
        />
      </SimpleGrid>
      {partners.isPending ? <TableSkeleton /> : null}
      {partners.isError ? <QueryError error={partners.error} onRetry={() => void partners.refetch()} /> : null}
      {partners.data && rows.length === 0 ? (
        <EmptyMessage
          title={debouncedQ || status ? 'No partners match' : 'No partners yet'}
          description={debouncedQ || status ? 'Try another search.' : 'Invite partners one by one or import a CSV.'}
        />
      ) : null}
      {rows.length > 0 ? (
        <>
          <Text size="sm" c="dimmed" mb="xs" role="status">
            Showing {rows.length} of {partners.data?.pages[0]?.total ?? rows.length}
          </Text>
          <Table.ScrollContainer minWidth={560}>
            <Table striped highlightOnHover aria-label="Partners">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Email</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Referral key</Table.Th>
                  <Table.Th>Joined</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <Anchor component={Link} to={p.id}>
                        {p.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{p.email}</Table.Td>
                    <Table.Td>
                      <Badge color={partnerStatusColors[p.status]} variant="light">
                        {p.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td ff="monospace">{p.referralKey}</Table.Td>
                    <Table.Td>{formatDate(p.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {partners.hasNextPage ? (
            <Group justify="center" mt="md">
              <Button variant="default" onClick={() => void partners.fetchNextPage()} loading={partners.isFetchingNextPage}>
                Load more
              </Button>
            </Group>
          ) : null}
        </>
      ) : null}
      <Modal opened={inviteOpened} onClose={inviteModal.close} title="Invite a partner">
        <InvitePartnerForm key={String(inviteOpened)} onSubmit={(input) => invite.mutateAsync(input)} />
      </Modal>
      <Modal opened={importOpened} onClose={importModal.close} title="Import partners from CSV" size="lg">
        <ImportPartnersForm key={String(importOpened)} onSubmit={(input) => importCsv.mutateAsync(input)} />
      </Modal>
    </>
  );
}
