import { Alert, Group, Progress, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { BulkJob } from '@codetrack/contracts';
import { jobQueryOptions } from '../lib/program-lookups.ts';

/** Live progress of a background job, polled until it ends; `onFinished` runs once when it does. */
export function JobProgress({ jobId, label, onFinished }: { jobId: string; label: string; onFinished?: (job: BulkJob) => void }) {
  const job = useQuery(jobQueryOptions(jobId));
  const data = job.data;
  const finished = data?.status === 'completed' || data?.status === 'failed';

  const reported = useRef(false);
  useEffect(() => {
    if (data && finished && !reported.current) {
      reported.current = true;
      onFinished?.(data);
    }
  }, [data, finished, onFinished]);

  if (!data) return <Progress value={0} animated aria-label={`${label}: starting`} />;
  const percent = data.total > 0 ? Math.round((data.done / data.total) * 100) : finished ? 100 : 0;
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text size="sm">{label}</Text>
        <Text size="sm" c="dimmed" role="status">
          {data.status === 'queued' ? 'Waiting to start…' : null}
          {data.status === 'running' ? `${data.done} of ${data.total || '?'} done` : null}
          {data.status === 'completed' ? `Done: ${data.done} of ${data.total}${data.failed ? `, ${data.failed} failed` : ''}` : null}
          {data.status === 'failed' ? 'Stopped' : null}
        </Text>
      </Group>
      <Progress
        value={percent}
        animated={!finished}
        color={data.status === 'failed' ? 'red' : data.failed ? 'yellow' : 'indigo'}
        aria-label={label}
        aria-valuenow={percent}
      />
      {data.status === 'failed' && data.error ? (
        <Alert color="red" role="alert">
          {data.error}
        </Alert>
      ) : null}
    </Stack>
  );
}
