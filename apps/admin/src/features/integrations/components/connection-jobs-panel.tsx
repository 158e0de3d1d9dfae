import { Alert, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { BulkJob, CodeImportResult, ReconcileResult } from '@codetrack/contracts';
import { JobProgress } from '../../../components/job-progress.tsx';
import { notifyError, notifySuccess } from '../../../lib/notify.ts';
import { repairDrift, startConnectionJob } from '../api/connections.ts';

/** Import of the platform's existing codes, and the drift check with repair. */
export function ConnectionJobsPanel({ connectionId, canEdit }: { connectionId: string; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [importJobId, setImportJobId] = useState<string | null>(null);
  const [importResult, setImportResult] = useState<CodeImportResult | null>(null);
  const [reconcileJobId, setReconcileJobId] = useState<string | null>(null);
  const [drift, setDrift] = useState<ReconcileResult | null>(null);
  const [starting, setStarting] = useState<'import' | 'reconcile' | 'repair' | null>(null);

  async function start(kind: 'import' | 'reconcile') {
    setStarting(kind);
    try {
      const job = await startConnectionJob(connectionId, kind);
      if (kind === 'import') {
        setImportResult(null);
        setImportJobId(job.id);
      } else {
        setDrift(null);
        setReconcileJobId(job.id);
      }
    } catch (error) {
      notifyError(error);
    } finally {
      setStarting(null);
    }
  }

  async function repair() {
    if (!reconcileJobId) return;
    setStarting('repair');
    try {
      const result = await repairDrift(connectionId, reconcileJobId);
      notifySuccess(`${result.markedPending} codes will be pushed again${result.importJobId ? '; extra platform codes are being imported' : ''}.`);
      if (result.importJobId) setImportJobId(result.importJobId);
      setDrift(null);
      await queryClient.invalidateQueries({ queryKey: ['sync-status', connectionId] });
    } catch (error) {
      notifyError(error);
    } finally {
      setStarting(null);
    }
  }

  const driftCount = drift ? drift.counts.missing + drift.counts.extra + drift.counts.different : 0;

  return (
    <Paper withBorder p="md">
      <Stack>
        <div>
          <Title order={2} size="h4" mb={4}>
            Import existing codes
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Brings the coupons and codes that already exist on the platform into Codetrack. Running it again creates nothing twice.
          </Text>
          {canEdit ? (
            <Button size="xs" variant="light" onClick={() => void start('import')} loading={starting === 'import'}>
              Import codes
            </Button>
          ) : null}
          {importJobId ? (
            <Stack mt="sm" gap="xs">
              <JobProgress
                key={importJobId}
                jobId={importJobId}
                label="Import"
                onFinished={(job: BulkJob) => setImportResult((job.result as CodeImportResult | null) ?? null)}
              />
              {importResult ? (
                <Text size="sm" role="status">
                  {importResult.created} created, {importResult.linked} linked to existing codes, {importResult.existing} already linked,{' '}
                  {importResult.skipped.length} skipped.
                </Text>
              ) : null}
              {importResult?.skipped.length ? (
                <List size="xs">
                  {importResult.skipped.slice(0, 20).map((s) => (
                    <List.Item key={s.platformId}>
                      {s.code}: {s.reason}
                    </List.Item>
                  ))}
                </List>
              ) : null}
            </Stack>
          ) : null}
        </div>
        <div>
          <Title order={2} size="h4" mb={4}>
            Drift report
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Compares your codes with what the platform holds: missing there, extra there, or different.
          </Text>
          {canEdit ? (
            <Button size="xs" variant="light" onClick={() => void start('reconcile')} loading={starting === 'reconcile'}>
              Check for drift
            </Button>
          ) : null}
          {reconcileJobId ? (
            <Stack mt="sm" gap="xs">
              <JobProgress
                key={reconcileJobId}
                jobId={reconcileJobId}
                label="Drift check"
                onFinished={(job: BulkJob) => setDrift((job.result as ReconcileResult | null) ?? null)}
              />
              {drift ? (
                driftCount === 0 ? (
                  <Alert color="teal">No drift: the platform matches Codetrack ({drift.counts.ours} codes).</Alert>
                ) : (
                  <Alert color="orange" title={`${driftCount} differences`}>
                    <Text size="sm">
                      {drift.counts.missing} missing on the platform, {drift.counts.extra} only on the platform, {drift.counts.different} different.
                    </Text>
                    <List size="xs" mt="xs">
                      {drift.missing.slice(0, 10).map((m) => (
                        <List.Item key={m.syncLinkId}>
                          {m.code}: missing ({m.reason})
                        </List.Item>
                      ))}
                      {drift.extra.slice(0, 10).map((e) => (
                        <List.Item key={e.platformId}>{e.code}: only on the platform</List.Item>
                      ))}
                      {drift.different.slice(0, 10).map((d) => (
                        <List.Item key={d.syncLinkId}>
                          {d.code}: {d.fields.map((f) => f.field).join(', ')} differ
                        </List.Item>
                      ))}
                    </List>
                    {canEdit ? (
                      <Group mt="sm">
                        <Button size="xs" onClick={() => void repair()} loading={starting === 'repair'}>
                          Repair
                        </Button>
                      </Group>
                    ) : null}
                  </Alert>
                )
              ) : null}
            </Stack>
          ) : null}
        </div>
      </Stack>
    </Paper>
  );
}
