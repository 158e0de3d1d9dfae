import type {
  BulkJob,
  CodeCheck,
  CreatePromotionCodeInput,
  GenerateCodesInput,
  PromotionCode,
  SyncStatus,
} from '@codetrack/contracts';
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';
import { couponKeys } from '../../../lib/program-lookups.ts';

export type CodeFilters = {
  partnerId?: string | null;
  couponId?: string | null;
  status?: string | null;
  syncState?: string | null;
  prefix?: string;
};

export type GenerationPreview = {
  total: number;
  skipped: number;
  sample: { partnerId: string; partnerName: string; code: string }[];
  collisions: { partnerId: string; wanted: string; resolvedTo: string }[];
  failures: { partnerId: string; reason: string }[];
};

type CodePage = { items: PromotionCode[]; nextCursor: string | null; total: number; totalExact: boolean };

export const codeKeys = {
  ofProgram: (programId: string) => ['promotion-codes', programId] as const,
};

function searchPath(programId: string, filters: CodeFilters, cursor: string | null): string {
  const params = new URLSearchParams({ programId, limit: '50' });
  for (const key of ['partnerId', 'couponId', 'status', 'syncState'] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.prefix?.trim()) params.set('prefix', filters.prefix.trim());
  if (cursor) params.set('cursor', cursor);
  return `/api/promotion-codes?${params.toString()}`;
}

/** Codes of a program, 50 at a time ("load more" follows the keyset cursor). Pending syncs refresh. */
export const codesInfiniteQueryOptions = (programId: string, filters: CodeFilters) =>
  infiniteQueryOptions({
    queryKey: [...codeKeys.ofProgram(programId), filters] as const,
    queryFn: ({ signal, pageParam }) => apiRequest<CodePage>(searchPath(programId, filters, pageParam), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((code) => code.sync.some((s) => s.state === 'pending'))) ? 2000 : false,
  });

export const codeCheckQueryOptions = (couponId: string, code: string) =>
  queryOptions({
    queryKey: ['code-check', couponId, code] as const,
    queryFn: ({ signal }) => apiRequest<CodeCheck>('/api/promotion-codes/validate', { method: 'POST', body: { couponId, code }, signal }),
    staleTime: 5_000,
  });

export function useCodeMutations(programId: string) {
  const queryClient = useQueryClient();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: codeKeys.ofProgram(programId) });
    await queryClient.invalidateQueries({ queryKey: couponKeys.ofProgram(programId) });
  };
  const create = useMutation({
    mutationFn: ({ couponId, input }: { couponId: string; input: CreatePromotionCodeInput }) =>
      apiRequest<PromotionCode>(`/api/coupons/${couponId}/promotion-codes`, { method: 'POST', body: input }),
    onSuccess: refresh,
  });
  const setEnabled = useMutation({
    mutationFn: ({ codeId, enabled }: { codeId: string; enabled: boolean }) =>
      apiRequest<PromotionCode>(`/api/promotion-codes/${codeId}/${enabled ? 'enable' : 'disable'}`, { method: 'POST', ...(enabled ? {} : { body: {} }) }),
    onSuccess: refresh,
  });
  const assign = useMutation({
    mutationFn: ({ codeId, partnerId }: { codeId: string; partnerId: string | null }) =>
      apiRequest<PromotionCode>(`/api/promotion-codes/${codeId}/assign`, { method: 'POST', body: { partnerId } }),
    onSuccess: refresh,
  });
  const retrySync = useMutation({
    mutationFn: async ({ codeId, connectionId }: { codeId: string; connectionId: string }) => {
      // A code's sync entries carry no link id; find the failed link on the connection's status list.
      const status = await apiRequest<SyncStatus>(`/api/connections/${connectionId}/sync?state=failed&limit=200`);
      const link = status.items.find((item) => item.promotionCodeId === codeId);
      if (!link) throw new Error('This code is no longer failing on that platform.');
      return apiRequest<unknown>(`/api/sync-links/${link.id}/retry`, { method: 'POST' });
    },
    onSuccess: refresh,
  });
  return { create, setEnabled, assign, retrySync, refresh };
}

export function previewGeneration(couponId: string, input: GenerateCodesInput): Promise<GenerationPreview> {
  return apiRequest<GenerationPreview>(`/api/coupons/${couponId}/promotion-codes/generate/preview`, { method: 'POST', body: input });
}

export function startGeneration(couponId: string, input: GenerateCodesInput): Promise<BulkJob> {
  return apiRequest<BulkJob>(`/api/coupons/${couponId}/promotion-codes/generate`, { method: 'POST', body: input });
}
