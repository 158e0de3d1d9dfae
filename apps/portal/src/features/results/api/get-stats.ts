import type { PortalStats } from '@codetrack/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';
import type { DayRange } from '../utils/date-range.ts';

export const statsQueryOptions = (range: DayRange) =>
  queryOptions({
    queryKey: ['stats', range.from, range.to],
    queryFn: ({ signal }) => apiRequest<PortalStats>(`/api/portal/stats?from=${range.from}&to=${range.to}`, { signal }),
  });

/** Results for a day range; the previous range stays on screen while the next one loads. */
export function useStats(range: DayRange) {
  return useQuery({ ...statsQueryOptions(range), placeholderData: keepPreviousData });
}
