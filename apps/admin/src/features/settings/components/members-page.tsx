import { Button, Group, Paper, Select, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Role } from '@codetrack/contracts';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { membersQueryOptions, useMemberMutations } from '../api/settings.ts';

const roles = [
  { value: 'owner', label: 'Owner — everything, including members' },
  { value: 'admin', label: 'Admin — programs, codes, integrations, commissions' },
  { value: 'viewer', label: 'Viewer — read only' },
];

export function MembersPage() {
  const session = useQuery(sessionQueryOptions);
  const members = useQuery(membersQueryOptions());
  const { add, changeRole, remove } = useMemberMutations();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('admin');
  const [emailError, setEmailError] = useState<string | null>(null);
  const isOwner = hasRole(session.data, 'owner');

  async function handleAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) {
      setEmailError('Enter the email the person signed up with.');
      return;
    }
    setEmailError(null);
    try {
      await add.mutateAsync({ email: email.trim(), role });
      setEmail('');
      notifySuccess('Member added.');
    } catch (error) {
      notifyError(error, 'Could not add the member');
    }
  }

  return (
    <>
      <PageHeader title="Members" description="Who can use this workspace, and what they may do." />
      {isOwner ? (
        <Paper withBorder p="md" mb="md">
          <form onSubmit={handleAdd} noValidate>
            <Group align="flex-end" wrap="wrap">
              <TextInput label="Email" description="They need a Codetrack account first." value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={emailError} style={{ flex: '1 1 16rem' }} />
              <Select label="Role" data={roles} value={role} onChange={(v) => setRole((v as Role | null) ?? 'admin')} allowDeselect={false} style={{ flex: '1 1 14rem' }} />
              <Button type="submit" loading={add.isPending}>
                Add member
              </Button>
            </Group>
          </form>
        </Paper>
      ) : null}
      {members.isPending ? <TableSkeleton rows={3} /> : null}
      {members.isError ? <QueryError error={members.error} onRetry={() => void members.refetch()} /> : null}
      {members.data ? (
        <Table.ScrollContainer minWidth={520}>
          <Table striped aria-label="Members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                {isOwner ? <Table.Th aria-label="Actions" /> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.data.items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{m.name}</Table.Td>
                  <Table.Td>{m.email}</Table.Td>
                  <Table.Td>
                    {isOwner ? (
                      <Select
                        aria-label={`Role of ${m.name}`}
                        data={roles.map((r) => ({ value: r.value, label: r.value }))}
                        value={m.role}
                        allowDeselect={false}
                        onChange={(v) =>
                          v && changeRole.mutate({ memberId: m.id, role: v as Role }, { onSuccess: () => notifySuccess('Role changed.'), onError: (e) => notifyError(e) })
                        }
                        w={130}
                      />
                    ) : (
                      <Text size="sm">{m.role}</Text>
                    )}
                  </Table.Td>
                  {isOwner ? (
                    <Table.Td>
                      {m.userId !== session.data?.user.id ? (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          onClick={() => {
                            if (window.confirm(`Remove ${m.name} from the workspace?`)) {
                              remove.mutate(m.id, { onSuccess: () => notifySuccess('Member removed.'), onError: (e) => notifyError(e) });
                            }
                          }}
                        >
                          Remove
                        </Button>
                      ) : null}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </>
  );
}
