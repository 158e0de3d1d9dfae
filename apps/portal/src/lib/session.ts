import type { PortalMe } from '@codetrack/contracts';
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { endSession, fetchSessionFrom, sessionQueryKey, storeSession } from '@codetrack/web/session';

const PROGRAM_KEY = 'codetrack.portal.program';

/** The signed-in partner from the portal cookie, or null when nobody is signed in. */
async function fetchSession(signal?: AbortSignal): Promise<PortalMe | null> {
  const me = await fetchSessionFrom<PortalMe>('/api/portal/me', signal);
  if (me) rememberProgram(me.program.id);
  return me;
}

export const sessionQueryOptions = queryOptions({
  queryKey: sessionQueryKey,
  queryFn: ({ signal }) => fetchSession(signal),
  staleTime: Infinity,
  retry: false,
});

/** Stores a session that sign-in, an accepted invitation or a password reset just returned. */
export function rememberSession(queryClient: QueryClient, me: PortalMe): void {
  storeSession(queryClient, me);
  rememberProgram(me.program.id);
}

/** Signs the partner out; an already ended session counts as signed out. */
export function signOut(queryClient: QueryClient): Promise<void> {
  return endSession(queryClient, '/api/portal/logout');
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
