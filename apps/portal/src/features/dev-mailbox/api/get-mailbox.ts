import type { DevMailbox } from '@codetrack/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';

export const mailboxQueryOptions = queryOptions({
  queryKey: ['dev-mailbox'],
  queryFn: ({ signal }) => apiRequest<DevMailbox>('/api/dev/mailbox?limit=50', { signal }),
  staleTime: 0,
});

export function useMailbox() {
  return useQuery(mailboxQueryOptions);
}
