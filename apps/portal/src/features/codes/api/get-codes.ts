import type { PortalCodes } from '@codetrack/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';

export const codesQueryOptions = queryOptions({
  queryKey: ['codes'],
  queryFn: ({ signal }) => apiRequest<PortalCodes>('/api/portal/codes', { signal }),
});

export function useCodes() {
  return useQuery(codesQueryOptions);
}
