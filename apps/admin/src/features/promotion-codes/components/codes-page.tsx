import { ActionIcon, Alert, Button, CopyButton, Group, Menu, Modal, Select, SimpleGrid, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { PromotionCode } from '@codetrack/contracts';
import { EmptyMessage } from '../../../components/empty-message.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { couponsQueryOptions, partnerPickerQueryOptions, programQueryOptions } from '../../../lib/program-lookups.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { codesInfiniteQueryOptions, previewGeneration, startGeneration, useCodeMutations, type CodeFilters } from '../api/codes.ts';
import { BulkGenerateForm } from './bulk-generate-form.tsx';
import { CreateCodeForm } from './create-code-form.tsx';
import { SyncBadges } from './sync-badges.tsx';
import { CheckIcon, CopyIcon } from '../../../components/icons.tsx';

const filterKeys = ['partnerId', 'couponId', 'status', 'syncState'] as const;

export function CodesPage() {
  const { programId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [prefix, setPrefix] = useState('');
  const [debouncedPrefix] = useDebouncedValue(prefix, 300);
  const [createOpened, createModal] = useDisclosure();
  const [bulkOpened, bulkModal] = useDisclosure();
  const [reassigning, setReassigning] = useState<PromotionCode | null>(null);

  const session = useQuery(sessionQueryOptions);
  const program = useQuery(programQueryOptions(programId));
  const coupons = useQuery(couponsQueryOptions(programId));
  const partners = useQuery(partnerPickerQueryOptions(programId));
  const filters: CodeFilters = { ...Object.fromEntries(filterKeys.map((k) => [k, params.get(k)])), prefix: debouncedPrefix };
  const codes = useInfiniteQuery(codesInfiniteQueryOptions(programId, filters));
  const mutations = useCodeMutations(programId);
  const canEdit = hasRole(session.data, 'admin');

  const couponOptions = (coupons.data?.items ?? []).filter((c) => c.status === 'active').map((c) => ({ value: c.id, label: c.name }));
  const allCouponOptions = (coupons.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }));
  const couponName = new Map(allCouponOptions.map((c) => [c.value, c.label]));
  const partnerOptions = (partners.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.email})` }));
  const rows = codes.data?.pages.flatMap((page) => page.items) ?? [];
  const total = codes.data?.pages[0]?.total ?? 0;
  const totalExact = codes.data?.pages[0]?.totalExact ?? true;

  function setFilter(key: (typeof filterKeys)[number], value: string | null) {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  }

  const noCoupons = coupons.data?.items.length === 0;
  const actions = canEdit ? (
    <>
      <Button variant="default" onClick={createModal.open} disabled={couponOptions.length === 0}>
        New code
      </Button>
      <Button onClick={bulkModal.open} disabled={couponOptions.length === 0}>
        Generate codes
      </Button>
    </>
  ) : null;

  return (
    <>
      <PageHeader title="Promotion codes" description="Every partner's codes, where they are synced, and how often they were used." actions={actions} />
      {noCoupons ? (
        <Alert color="indigo" mb="md">
          Create a coupon first: codes belong to a coupon, which sets the discount.
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} mb="md">
        <TextInput label="Code starts with" value={prefix} onChange={(e) => setPrefix(e.currentTarget.value)} placeholder="e.g. JOHN" />
        <Select label="Partner" data={partnerOptions} value={params.get('partnerId')} onChange={(v) => setFilter('partnerId', v)} clearable searchable placeholder="All partners" />
        <Select label="Coupon" data={allCouponOptions} value={params.get('couponId')} onChange={(v) => setFilter('couponId', v)} clearable placeholder="All coupons" />
        <Select
          label="Status"
          data={[
            { value: 'active', label: 'Active' },
            { value: 'disabled', label: 'Disabled' },
            { value: 'deleted', label: 'Deleted' },
          ]}
          value={params.get('status')}
          onChange={(v) => setFilter('status', v)}
          clearable
          placeholder="Any status"
        />
        <Select
          label="Sync state"
          data={[
            { value: 'synced', label: 'Synced' },
            { value: 'pending', label: 'Pending' },
            { value: 'failed', label: 'Failed' },
          ]}
          value={params.get('syncState')}
          onChange={(v) => setFilter('syncState', v)}
          clearable
          placeholder="Any sync state"
        />
      </SimpleGrid>
      {codes.isPending ? <TableSkeleton /> : null}
      {codes.isError ? <QueryError error={codes.error} onRetry={() => void codes.refetch()} /> : null}
      {codes.data && rows.length === 0 ? (
        <EmptyMessage title="No codes match" description="Generate one code per partner from a pattern, or create a single code." action={actions ? <Group>{actions}</Group> : null} />
      ) : null}
      {rows.length > 0 ? (
        <>
          <Text size="sm" c="dimmed" mb="xs" role="status">
            Showing {rows.length} of {totalExact ? total.toLocaleString('en') : `more than ${total.toLocaleString('en')}`} codes
          </Text>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover aria-label="Promotion codes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Code</Table.Th>
                  <Table.Th>Partner</Table.Th>
                  <Table.Th>Coupon</Table.Th>
                  <Table.Th>Used</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Platforms</Table.Th>
                  <Table.Th aria-label="Actions" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((code) => (
                  <Table.Tr key={code.id} data-code={code.code}>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Text ff="monospace" fw={600} size="sm">
                          {code.code}
                        </Text>
                        <CopyButton value={code.code}>
                          {({ copied, copy }) => (
                            <Tooltip label={copied ? 'Copied' : 'Copy code'}>
                              <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} size="sm" onClick={copy} aria-label={`Copy ${code.code}`}>
                                {copied ? <CheckIcon /> : <CopyIcon />}
                              </ActionIcon>
                            </Tooltip>
                          )}
                        </CopyButton>
                      </Group>
                    </Table.Td>
                    <Table.Td>{code.partner?.name ?? <Text c="dimmed" size="sm">Unassigned</Text>}</Table.Td>
                    <Table.Td>{couponName.get(code.couponId) ?? '—'}</Table.Td>
                    <Table.Td>{code.timesRedeemed}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c={code.status === 'active' ? undefined : 'dimmed'}>
                        {code.status}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <SyncBadges
                        sync={code.sync}
                        onRetry={
                          canEdit
                            ? (connectionId) =>
                                mutations.retrySync.mutate(
                                  { codeId: code.id, connectionId },
                                  { onSuccess: () => notifySuccess(`${code.code} queued again.`), onError: (e) => notifyError(e) },
                                )
                            : undefined
                        }
                      />
                    </Table.Td>
                    <Table.Td>
                      {canEdit && code.status !== 'deleted' ? (
                        <Menu position="bottom-end">
                          <Menu.Target>
                            <ActionIcon variant="subtle" aria-label={`Actions for ${code.code}`}>
                              ⋯
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item onClick={() => setReassigning(code)}>Reassign…</Menu.Item>
                            <Menu.Item
                              color={code.status === 'active' ? 'red' : undefined}
                              onClick={() =>
                                mutations.setEnabled.mutate(
                                  { codeId: code.id, enabled: code.status !== 'active' },
                                  {
                                    onSuccess: (c) => notifySuccess(`${c.code} ${c.status === 'active' ? 'enabled' : 'disabled'}.`),
                                    onError: (e) => notifyError(e),
                                  },
                                )
                              }
                            >
                              {code.status === 'active' ? 'Disable' : 'Enable'}
                            </Menu.Item>
                          </Menu.Dropdown>
                        </Menu>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {codes.hasNextPage ? (
            <Group justify="center" mt="md">
              <Button variant="default" onClick={() => void codes.fetchNextPage()} loading={codes.isFetchingNextPage}>
                Load more
              </Button>
            </Group>
          ) : null}
        </>
      ) : null}
      <Modal opened={createOpened} onClose={createModal.close} title="New promotion code" size="lg">
        <CreateCodeForm
          coupons={couponOptions}
          partners={partnerOptions}
          currency={program.data?.currency ?? 'USD'}
          initialCouponId={params.get('couponId')}
          onSubmit={async (couponId, input) => {
            const code = await mutations.create.mutateAsync({ couponId, input });
            notifySuccess(`Code ${code.code} created.`);
            createModal.close();
            return code;
          }}
        />
      </Modal>
      <Modal opened={bulkOpened} onClose={bulkModal.close} title="Generate codes for partners" size="lg">
        <BulkGenerateForm
          coupons={couponOptions}
          partners={partnerOptions}
          initialCouponId={params.get('couponId')}
          onPreview={previewGeneration}
          onGenerate={startGeneration}
          onFinished={(job) => {
            void mutations.refresh();
            if (job.status === 'completed') notifySuccess(`${job.done - job.failed} codes generated${job.failed ? `, ${job.failed} failed` : ''}.`);
            else notifyError(new Error(job.error ?? 'Generation stopped.'), 'Generation failed');
          }}
        />
      </Modal>
      <Modal opened={reassigning !== null} onClose={() => setReassigning(null)} title={`Reassign ${reassigning?.code ?? ''}`}>
        {reassigning ? (
          <ReassignForm
            code={reassigning}
            partners={partnerOptions}
            onSubmit={async (partnerId) => {
              await mutations.assign.mutateAsync({ codeId: reassigning.id, partnerId });
              notifySuccess(`${reassigning.code} now belongs to ${partnerOptions.find((p) => p.value === partnerId)?.label ?? 'nobody'}.`);
              setReassigning(null);
            }}
          />
        ) : null}
      </Modal>
    </>
  );
}

function ReassignForm({ code, partners, onSubmit }: { code: PromotionCode; partners: { value: string; label: string }[]; onSubmit: (partnerId: string | null) => Promise<void> }) {
  const [partnerId, setPartnerId] = useState<string | null>(code.partner?.id ?? null);
  const [pending, setPending] = useState(false);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setPending(true);
        onSubmit(partnerId)
          .catch((error: unknown) => notifyError(error))
          .finally(() => setPending(false));
      }}
    >
      <Select label="Partner" data={partners} value={partnerId} onChange={setPartnerId} searchable clearable placeholder="Nobody (unassigned)" />
      <Text size="xs" c="dimmed" mt="xs">
        Orders from now on earn the new partner a commission; earlier ones stay with whoever had the code then.
      </Text>
      <Group justify="flex-end" mt="md">
        <Button type="submit" loading={pending}>
          Reassign
        </Button>
      </Group>
    </form>
  );
}
