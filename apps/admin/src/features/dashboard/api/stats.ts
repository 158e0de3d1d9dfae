import type { Commission, ProgramStats, Sale } from '@codetrack/contracts';
import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';

export type DateRange = { from: string; to: string };

function rangeQuery(range: DateRange, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ from: range.from, to: range.to, ...extra }).toString();
}

export const statsQueryOptions = (programId: string, range: DateRange) =>
  queryOptions({
    queryKey: ['stats', programId, range] as const,
    queryFn: ({ signal }) => apiRequest<ProgramStats>(`/api/programs/${programId}/stats?${rangeQuery(range)}`, { signal }),
  });

/** The latest 200 sales and commissions of the range, bucketed per day for the charts. */
export const timelineQueryOptions = (programId: string, range: DateRange) =>
  queryOptions({
    queryKey: ['stats', programId, range, 'timeline'] as const,
    queryFn: async ({ signal }) => {
      const [sales, commissions] = await Promise.all([
        apiRequest<{ items: Sale[]; nextCursor: string | null }>(`/api/programs/${programId}/sales?${rangeQuery(range, { limit: '200' })}`, { signal }),
        apiRequest<{ items: Commission[]; nextCursor: string | null }>(`/api/programs/${programId}/commissions?${rangeQuery(range, { limit: '200' })}`, { signal }),
      ]);
      return { sales: sales.items, commissions: commissions.items, truncated: sales.nextCursor !== null || commissions.nextCursor !== null };
    },
  });
