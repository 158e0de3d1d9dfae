import { Alert, Button, Group, Paper, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { couponsQueryOptions, programQueryOptions } from '../../../lib/program-lookups.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { useSetProgramArchived, useUpdateProgram } from '../api/save-program.ts';
import { ProgramForm } from './program-form.tsx';
import { programToForm } from './program-form-values.ts';

export function ProgramSettingsPage() {
  const { programId = '' } = useParams();
  const program = useQuery(programQueryOptions(programId));
  const coupons = useQuery(couponsQueryOptions(programId));
  const session = useQuery(sessionQueryOptions);
  const update = useUpdateProgram(programId);
  const archive = useSetProgramArchived(programId);

  if (program.isPending) return <TableSkeleton />;
  if (program.isError) return <QueryError error={program.error} onRetry={() => void program.refetch()} />;
  const archived = program.data.status === 'archived';

  return (
    <>
      <PageHeader title="Program settings" description={program.data.name} />
      {archived ? (
        <Alert color="gray" mb="md">
          This program is archived: it keeps its data but accepts no changes.
        </Alert>
      ) : null}
      <Paper withBorder p="md" maw={760}>
        <ProgramForm
          key={program.data.updatedAt}
          initial={programToForm(program.data)}
          submitLabel="Save changes"
          coupons={(coupons.data?.items ?? []).filter((c) => c.status === 'active').map((c) => ({ value: c.id, label: c.name }))}
          onSubmit={async (input) => {
            // Branding is edited elsewhere; sending it here would reset it.
            const { portal: _portal, ...changes } = input;
            await update.mutateAsync(changes);
            notifySuccess('Program saved.');
          }}
        />
      </Paper>
      {hasRole(session.data, 'admin') ? (
        <Paper withBorder p="md" maw={760} mt="lg">
          <Group justify="space-between">
            <Text size="sm">{archived ? 'Make the program active again.' : 'Archive the program: partners keep their history, nothing new is tracked.'}</Text>
            <Button
              variant="light"
              color={archived ? 'indigo' : 'red'}
              loading={archive.isPending}
              onClick={() =>
                archive.mutate(!archived, {
                  onSuccess: () => notifySuccess(archived ? 'Program is active again.' : 'Program archived.'),
                  onError: (error) => notifyError(error),
                })
              }
            >
              {archived ? 'Unarchive' : 'Archive program'}
            </Button>
          </Group>
        </Paper>
      ) : null}
    </>
  );
}
