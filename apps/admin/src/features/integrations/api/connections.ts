import type {
  BulkJob,
  Connection,
  CreateConnectionInput,
  RepairResult,
  RetryFailedResult,
  SyncLinkStatus,
  SyncStatus,
  UpdateConnectionInput,
} from '@codetrack/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';
import { connectionKeys } from '../../../lib/program-lookups.ts';

export const connectionQueryOptions = (programId: string, connectionId: string) =>
  queryOptions({
    queryKey: [...connectionKeys.ofProgram(programId), connectionId] as const,
    queryFn: ({ signal }) => apiRequest<Connection>(`/api/programs/${programId}/connections/${connectionId}`, { signal }),
  });

export const syncStatusQueryOptions = (connectionId: string, state: 'failed' | 'pending' | 'synced') =>
  queryOptions({
    queryKey: ['sync-status', connectionId, state] as const,
    queryFn: ({ signal }) => apiRequest<SyncStatus>(`/api/connections/${connectionId}/sync?state=${state}&limit=50`, { signal }),
    // Pending work finishes in the background; keep the counts fresh while there is some.
    refetchInterval: (query) => ((query.state.data?.counts.pending ?? 0) > 0 ? 2000 : false),
  });

export function useCreateConnection(programId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateConnectionInput) =>
      apiRequest<Connection>(`/api/programs/${programId}/connections`, { method: 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: connectionKeys.ofProgram(programId) }),
  });
}

export function useUpdateConnection(programId: string, connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateConnectionInput) =>
      apiRequest<Connection>(`/api/programs/${programId}/connections/${connectionId}`, { method: 'PATCH', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: connectionKeys.ofProgram(programId) }),
  });
}

export function useConnectionAction(programId: string, connectionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: 'verify' | 'disable') =>
      apiRequest<Connection>(
        `/api/programs/${programId}/connections/${connectionId}${action === 'verify' ? '/verify' : ''}`,
        { method: action === 'verify' ? 'POST' : 'DELETE' },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: connectionKeys.ofProgram(programId) }),
  });
}

export function useRetrySync(connectionId: string) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['sync-status', connectionId] });
  const retryAll = useMutation({
    mutationFn: () => apiRequest<RetryFailedResult>(`/api/connections/${connectionId}/sync/retry-failed`, { method: 'POST' }),
    onSuccess: refresh,
  });
  const retryOne = useMutation({
    mutationFn: (syncLinkId: string) => apiRequest<SyncLinkStatus>(`/api/sync-links/${syncLinkId}/retry`, { method: 'POST' }),
    onSuccess: refresh,
  });
  return { retryAll, retryOne };
}

export function startConnectionJob(connectionId: string, kind: 'import' | 'reconcile'): Promise<BulkJob> {
  return apiRequest<BulkJob>(`/api/connections/${connectionId}/${kind}`, { method: 'POST' });
}

export function repairDrift(connectionId: string, jobId: string): Promise<RepairResult> {
  return apiRequest<RepairResult>(`/api/connections/${connectionId}/reconcile/${jobId}/repair`, { method: 'POST' });
}
