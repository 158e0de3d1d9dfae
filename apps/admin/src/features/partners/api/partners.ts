import type { CreatePartnerInput, ImportPartnersInput, InvitedPartner, Partner, PartnerDetail, PartnerImportResult, UpdatePartnerInput } from '@codetrack/contracts';
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiDownloadText, apiRequest } from '@codetrack/web/api-client';
import { partnerKeys } from '../../../lib/program-lookups.ts';

export type PartnerFilters = { q?: string; status?: string | null };

function filterParams(filters: PartnerFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q?.trim()) params.set('q', filters.q.trim());
  if (filters.status) params.set('status', filters.status);
  return params;
}

export const partnersInfiniteQueryOptions = (programId: string, filters: PartnerFilters) =>
  infiniteQueryOptions({
    queryKey: [...partnerKeys.ofProgram(programId), 'list', filters] as const,
    queryFn: ({ signal, pageParam }) => {
      const params = filterParams(filters);
      params.set('limit', '50');
      if (pageParam) params.set('cursor', pageParam);
      return apiRequest<{ items: Partner[]; nextCursor: string | null; total: number }>(`/api/programs/${programId}/partners?${params.toString()}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const partnerQueryOptions = (programId: string, partnerId: string) =>
  queryOptions({
    queryKey: [...partnerKeys.ofProgram(programId), 'detail', partnerId] as const,
    queryFn: ({ signal }) => apiRequest<PartnerDetail>(`/api/programs/${programId}/partners/${partnerId}`, { signal }),
  });

export function usePartnerMutations(programId: string) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: partnerKeys.ofProgram(programId) });
  const invite = useMutation({
    mutationFn: (input: CreatePartnerInput) => apiRequest<InvitedPartner>(`/api/programs/${programId}/partners`, { method: 'POST', body: input }),
    onSuccess: refresh,
  });
  const importCsv = useMutation({
    mutationFn: (input: ImportPartnersInput) => apiRequest<PartnerImportResult>(`/api/programs/${programId}/partners/import`, { method: 'POST', body: input }),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: ({ partnerId, input }: { partnerId: string; input: UpdatePartnerInput }) =>
      apiRequest<Partner>(`/api/programs/${programId}/partners/${partnerId}`, { method: 'PATCH', body: input }),
    onSuccess: refresh,
  });
  const lifecycle = useMutation({
    mutationFn: ({ partnerId, action }: { partnerId: string; action: 'suspend' | 'reactivate' | 'invitation' }) =>
      apiRequest<Partner | InvitedPartner>(`/api/programs/${programId}/partners/${partnerId}/${action}`, { method: 'POST' }),
    onSuccess: refresh,
  });
  return { invite, importCsv, update, lifecycle };
}

export function exportPartners(programId: string, filters: PartnerFilters): Promise<string> {
  return apiDownloadText(`/api/programs/${programId}/partners/export?${filterParams(filters).toString()}`);
}
