import type { BulkJob, Connection, Coupon, Partner, Program } from '@codetrack/contracts';
import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';

// Lists several features read (pickers, filters, names). Each feature owns its own screens and
// writes; these shared reads live here so features do not import each other.

type Page<T> = { items: T[]; nextCursor: string | null };

export const programKeys = {
  all: ['programs'] as const,
  list: () => [...programKeys.all, 'list'] as const,
  one: (programId: string) => [...programKeys.all, programId] as const,
};

export const programsQueryOptions = () =>
  queryOptions({
    queryKey: programKeys.list(),
    queryFn: ({ signal }) => apiRequest<Page<Program>>('/api/programs?limit=200', { signal }),
  });

export const programQueryOptions = (programId: string) =>
  queryOptions({
    queryKey: programKeys.one(programId),
    queryFn: ({ signal }) => apiRequest<Program>(`/api/programs/${programId}`, { signal }),
  });

export const couponKeys = {
  ofProgram: (programId: string) => ['coupons', 'program', programId] as const,
  one: (couponId: string) => ['coupons', couponId] as const,
};

export const couponsQueryOptions = (programId: string) =>
  queryOptions({
    queryKey: couponKeys.ofProgram(programId),
    queryFn: ({ signal }) => apiRequest<{ items: Coupon[] }>(`/api/programs/${programId}/coupons`, { signal }),
  });

export const connectionKeys = {
  ofProgram: (programId: string) => ['connections', 'program', programId] as const,
};

export const connectionsQueryOptions = (programId: string) =>
  queryOptions({
    queryKey: connectionKeys.ofProgram(programId),
    queryFn: ({ signal }) => apiRequest<Page<Connection>>(`/api/programs/${programId}/connections?limit=200`, { signal }),
  });

export const partnerKeys = {
  ofProgram: (programId: string) => ['partners', 'program', programId] as const,
};

/** Up to 200 partners for pickers; the partners screen pages through all of them. */
export const partnerPickerQueryOptions = (programId: string) =>
  queryOptions({
    queryKey: [...partnerKeys.ofProgram(programId), 'picker'] as const,
    queryFn: ({ signal }) =>
      apiRequest<Page<Partner> & { total: number }>(`/api/programs/${programId}/partners?limit=200`, { signal }),
  });

/** A background job, polled every second until it finishes. */
export const jobQueryOptions = (jobId: string) =>
  queryOptions({
    queryKey: ['jobs', jobId] as const,
    queryFn: ({ signal }) => apiRequest<BulkJob>(`/api/jobs/${jobId}`, { signal }),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'completed' || status === 'failed' ? false : 1000;
    },
  });
