import type { PortalProgram } from '@codetrack/contracts';
import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';

/** A program's public branding for its sign-in page. */
export const programQueryOptions = (programId: string) =>
  queryOptions({
    queryKey: ['program', programId],
    queryFn: ({ signal }) => apiRequest<PortalProgram>(`/api/portal/program/${encodeURIComponent(programId)}`, { signal }),
    staleTime: 5 * 60_000,
  });
