import type { PortalCommissionPage } from '@codetrack/contracts';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';

const PAGE_SIZE = 20;

export const commissionsQueryOptions = infiniteQueryOptions({
  queryKey: ['commissions'],
  queryFn: ({ pageParam, signal }) =>
    apiRequest<PortalCommissionPage>(`/api/portal/commissions?limit=${PAGE_SIZE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`, { signal }),
  initialPageParam: null as string | null,
  getNextPageParam: (last) => last.nextCursor,
});

export function useCommissions() {
  return useInfiniteQuery(commissionsQueryOptions);
}
