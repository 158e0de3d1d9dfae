import type { ApiKey, CreatedApiKey, Member, Role } from '@codetrack/contracts';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';
import { sessionQueryKey } from '@codetrack/web/session';

export type Workspace = { id: string; name: string; reservedWords: string[] };

export const workspaceQueryOptions = () =>
  queryOptions({ queryKey: ['workspace'] as const, queryFn: ({ signal }) => apiRequest<Workspace>('/api/workspace', { signal }) });

export const membersQueryOptions = () =>
  queryOptions({ queryKey: ['members'] as const, queryFn: ({ signal }) => apiRequest<{ items: Member[] }>('/api/members', { signal }) });

export const apiKeysQueryOptions = () =>
  queryOptions({ queryKey: ['api-keys'] as const, queryFn: ({ signal }) => apiRequest<{ items: ApiKey[] }>('/api/api-keys', { signal }) });

export function useUpdateWorkspace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name?: string; reservedWords?: string[] }) => apiRequest<Workspace>('/api/workspace', { method: 'PATCH', body: input }),
    onSuccess: async (workspace) => {
      queryClient.setQueryData(['workspace'], workspace);
      await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
    },
  });
}

export function useMemberMutations() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['members'] });
  const add = useMutation({
    mutationFn: (input: { email: string; role: Role }) => apiRequest<Member>('/api/members', { method: 'POST', body: input }),
    onSuccess: refresh,
  });
  const changeRole = useMutation({
    mutationFn: ({ memberId, role }: { memberId: string; role: Role }) => apiRequest<Member>(`/api/members/${memberId}`, { method: 'PATCH', body: { role } }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (memberId: string) => apiRequest<unknown>(`/api/members/${memberId}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  return { add, changeRole, remove };
}

export function useApiKeyMutations() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['api-keys'] });
  const create = useMutation({
    mutationFn: (input: { name: string; role: 'admin' | 'viewer' }) => apiRequest<CreatedApiKey>('/api/api-keys', { method: 'POST', body: input }),
    onSuccess: refresh,
  });
  const revoke = useMutation({
    mutationFn: (apiKeyId: string) => apiRequest<ApiKey>(`/api/api-keys/${apiKeyId}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  return { create, revoke };
}
