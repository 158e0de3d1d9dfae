import { Alert, Badge, Button, Card, Group, Modal, SimpleGrid, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { formatMoney } from '@codetrack/web/money';
import { EmptyMessage } from '../../../components/empty-message.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { TableSkeleton } from '../../../components/table-skeleton.tsx';
import { formatBps } from '../../../lib/format.ts';
import { notifySuccess } from '../../../lib/notify.ts';
import { programsQueryOptions } from '../../../lib/program-lookups.ts';
import { hasRole, sessionQueryOptions } from '../../../lib/session.ts';
import { useCreateProgram } from '../api/save-program.ts';
import { ProgramForm } from './program-form.tsx';
import { emptyProgramForm } from './program-form-values.ts';

export function ProgramsPage() {
  const [opened, { open, close }] = useDisclosure();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useQuery(sessionQueryOptions);
  const programs = useQuery(programsQueryOptions());
  const createProgram = useCreateProgram();
  const canEdit = hasRole(session.data, 'admin');

  const createButton = canEdit ? <Button onClick={open}>New program</Button> : null;

  return (
    <>
      <PageHeader title="Programs" description="Each program has its own partners, coupons, platform connections and commission rule." actions={createButton} />
      {params.get('welcome') ? (
        <Alert color="indigo" mb="md" title="Welcome to Codetrack">
          Start with a program: it sets the currency and the commission partners earn. Then connect your payment platform and create a coupon.
        </Alert>
      ) : null}
      {programs.isPending ? <TableSkeleton rows={3} /> : null}
      {programs.isError ? <QueryError error={programs.error} onRetry={() => void programs.refetch()} /> : null}
      {programs.data?.items.length === 0 ? (
        <EmptyMessage title="No programs yet" description="Create your first partner program to start giving partners codes." action={createButton} />
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {programs.data?.items.map((program) => (
          <Card key={program.id} withBorder component={Link} to={`/programs/${program.id}`} aria-label={`Open ${program.name}`}>
            <Group justify="space-between" mb="xs">
              <Text fw={600}>{program.name}</Text>
              <Badge color={program.status === 'active' ? 'teal' : 'gray'} variant="light">
                {program.status}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {program.commission.type === 'percent'
                ? `${formatBps(program.commission.value)} commission`
                : `${formatMoney(program.commission.value, program.currency)} per sale`}{' '}
              · {program.currency} · hold {program.holdPeriodDays} days
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <Modal opened={opened} onClose={close} title="New program" size="lg">
        <ProgramForm
          initial={emptyProgramForm}
          submitLabel="Create program"
          onSubmit={async (input) => {
            const program = await createProgram.mutateAsync(input);
            notifySuccess(`Program ${program.name} created.`);
            close();
            navigate(`/programs/${program.id}/integrations`);
          }}
        />
      </Modal>
    </>
  );
}
