import type { AuditEntry } from '@codetrack/contracts';
import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';

export const auditLogQueryOptions = (entityType: string | null) =>
  infiniteQueryOptions({
    queryKey: ['audit-log', entityType] as const,
    queryFn: ({ signal, pageParam }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (entityType) params.set('entityType', entityType);
      if (pageParam) params.set('cursor', pageParam);
      return apiRequest<{ items: AuditEntry[]; nextCursor: string | null }>(`/api/audit-log?${params.toString()}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
