import type { Commission, CommissionBulkInput, CommissionBulkResult, Sale, SaleDetail } from '@codetrack/contracts';
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiDownloadText, apiRequest } from '@codetrack/web/api-client';

type Page<T> = { items: T[]; nextCursor: string | null };

export type SaleFilters = { partnerId?: string | null; source?: string | null; status?: string | null };
export type CommissionFilters = { partnerId?: string | null; status?: string | null; from?: string | null; to?: string | null };

function query(filters: Record<string, string | null | undefined>, cursor: string | null): string {
  const params = new URLSearchParams({ limit: '50' });
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

export const salesInfiniteQueryOptions = (programId: string, filters: SaleFilters) =>
  infiniteQueryOptions({
    queryKey: ['sales', programId, filters] as const,
    queryFn: ({ signal, pageParam }) => apiRequest<Page<Sale>>(`/api/programs/${programId}/sales?${query(filters, pageParam)}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const saleQueryOptions = (saleId: string) =>
  queryOptions({
    queryKey: ['sales', 'detail', saleId] as const,
    queryFn: ({ signal }) => apiRequest<SaleDetail>(`/api/sales/${saleId}`, { signal }),
  });

export const commissionsInfiniteQueryOptions = (programId: string, filters: CommissionFilters) =>
  infiniteQueryOptions({
    queryKey: ['commissions', programId, filters] as const,
    queryFn: ({ signal, pageParam }) =>
      apiRequest<Page<Commission>>(`/api/programs/${programId}/commissions?${query(filters, pageParam)}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export type CommissionAction = 'approve' | 'reject' | 'mark-paid';

export function useCommissionAction(programId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, input }: { action: CommissionAction; input: CommissionBulkInput }) =>
      apiRequest<CommissionBulkResult>(`/api/commissions/${action}`, { method: 'POST', body: input }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['commissions', programId] });
      await queryClient.invalidateQueries({ queryKey: ['sales'] });
    },
  });
}

export function exportCommissions(programId: string, filters: CommissionFilters): Promise<string> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return apiDownloadText(`/api/programs/${programId}/commissions/export?${params.toString()}`);
}
