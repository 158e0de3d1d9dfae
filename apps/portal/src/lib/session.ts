import type { PortalMe } from '@codetrack/contracts';
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { ApiError, apiRequest, setCsrfToken } from './api-client.ts';

export const sessionQueryKey = ['session'] as const;

const PROGRAM_KEY = 'codetrack.portal.program';

/** The signed-in partner from the portal cookie, or null when nobody is signed in. */
export async function fetchSession(signal?: AbortSignal): Promise<PortalMe | null> {
  try {
    const me = await apiRequest<PortalMe>('/api/portal/me', { signal });
    rememberProgram(me.program.id);
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export const sessionQueryOptions = queryOptions({
  queryKey: sessionQueryKey,
  queryFn: ({ signal }) => fetchSession(signal),
  staleTime: Infinity,
  retry: false,
});

/** Stores a session that sign-in, an accepted invitation or a password reset just returned. */
export function rememberSession(queryClient: QueryClient, me: PortalMe): void {
  setCsrfToken(me.csrfToken);
  rememberProgram(me.program.id);
  queryClient.setQueryData(sessionQueryKey, me);
}

/** Forgets the session and every cached answer that belonged to it. */
export function forgetSession(queryClient: QueryClient): void {
  setCsrfToken(null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
  queryClient.setQueryData(sessionQueryKey, null);
}

/** Ends the session on the server; a 401 means it had already ended, which is what was asked. */
export async function signOut(queryClient: QueryClient): Promise<void> {
  try {
    await apiRequest<unknown>('/api/portal/logout', { method: 'POST' });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  forgetSession(queryClient);
}

// The program of the last session, so "sign in again" after a sign-out or an expired session
// opens that program's branded sign-in page instead of an incomplete link.
function rememberProgram(programId: string): void {
  try {
    window.localStorage.setItem(PROGRAM_KEY, programId);
  } catch {
    // Storage can be disabled (private windows); the sign-in link then needs its ?program= again.
  }
}

export function readRememberedProgram(): string | null {
  try {
    return window.localStorage.getItem(PROGRAM_KEY);
  } catch {
    return null;
  }
}

/** Where to sign in again: the remembered program's sign-in page, else the bare one. */
export function signInPath(programId: string | null = readRememberedProgram()): string {
  return programId ? `/?program=${encodeURIComponent(programId)}` : '/';
}
