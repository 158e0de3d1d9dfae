import { Alert, Button, Group, Paper, Select, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CreatedApiKey } from '@codetrack/contracts';
import { CopyValue } from '../../../components/copy-value.tsx';
import { EmptyMessage } from '../../../components/empty-message.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { apiKeysQueryOptions, useApiKeyMutations } from '../api/settings.ts';

export function ApiKeysPage() {
  const keys = useQuery(apiKeysQueryOptions());
  const { create, revoke } = useApiKeyMutations();
  const [name, setName] = useState('');
  const [role, setRole] = useState<'admin' | 'viewer'>('admin');
  const [nameError, setNameError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  async function handleCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (name.trim() === '') {
      setNameError('Name the key after what uses it, e.g. “Zapier”.');
      return;
    }
    setNameError(null);
    try {
      setCreated(await create.mutateAsync({ name: name.trim(), role }));
      setName('');
    } catch (error) {
      notifyError(error, 'Could not create the key');
    }
  }

  return (
    <>
      <PageHeader title="API keys" description="For your own scripts and tools: send the key as Authorization: Bearer <key>." />
      {created ? (
        <Alert color="teal" title={`Key “${created.name}” created`} mb="md" withCloseButton onClose={() => setCreated(null)}>
          <Text size="sm" mb="xs">
            Copy it now: it is shown only once. Codetrack keeps only a hash.
          </Text>
          <CopyValue value={created.key} label="API key" />
        </Alert>
      ) : null}
      <Paper withBorder p="md" mb="md">
        <form onSubmit={handleCreate} noValidate>
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Key name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} style={{ flex: '1 1 16rem' }} />
            <Select
              label="Role"
              data={[
                { value: 'admin', label: 'Admin (read and write)' },
                { value: 'viewer', label: 'Viewer (read only)' },
              ]}
              value={role}
              onChange={(v) => setRole(v === 'viewer' ? 'viewer' : 'admin')}
              allowDeselect={false}
            />
            <Button type="submit" loading={create.isPending}>
              Create key
            </Button>
          </Group>
        </form>
      </Paper>
      {keys.isPending ? <TableSkeleton rows={3} /> : null}
      {keys.isError ? <QueryError error={keys.error} onRetry={() => void keys.refetch()} /> : null}
      {keys.data?.items.length === 0 ? <EmptyMessage title="No API keys" description="Create one for each tool that talks to Codetrack." /> : null}
      {keys.data && keys.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label="API keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.data.items.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>{k.name}</Table.Td>
                  <Table.Td ff="monospace">{k.prefix}…</Table.Td>
                  <Table.Td>{k.role}</Table.Td>
                  <Table.Td>{k.revokedAt ? `revoked ${formatDateTime(k.revokedAt)}` : formatDateTime(k.lastUsedAt)}</Table.Td>
                  <Table.Td>
                    {k.revokedAt ? null : (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red"
                        onClick={() => {
                          if (window.confirm(`Revoke ${k.name}? Tools using it stop working at once.`)) {
                            revoke.mutate(k.id, { onSuccess: () => notifySuccess('Key revoked.'), onError: (e) => notifyError(e) });
                          }
                        }}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </>
  );
}
