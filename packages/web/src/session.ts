import type { QueryClient } from '@tanstack/react-query';
import { ApiError, apiRequest, setCsrfToken } from './api-client.ts';

/** The query that holds the signed-in user; every other cached answer belongs to that session. */
export const sessionQueryKey = ['session'] as const;

// null when the API has no CSRF token for the caller (see the Me contract).
type SessionWithCsrf = { csrfToken: string | null };

/** The session behind the cookie, read from `path`, or null when nobody is signed in (401). */
export async function fetchSessionFrom<T extends SessionWithCsrf>(path: string, signal?: AbortSignal): Promise<T | null> {
  try {
    const me = await apiRequest<T>(path, { signal });
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

/** Stores a session that a sign-in (or another call that signs in) just returned. */
export function storeSession<T extends SessionWithCsrf>(queryClient: QueryClient, me: T): void {
  setCsrfToken(me.csrfToken);
  queryClient.setQueryData(sessionQueryKey, me);
}

/** Forgets the session and every cached answer that belonged to it. */
export function forgetSession(queryClient: QueryClient): void {
  setCsrfToken(null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQueryKey[0] });
  queryClient.setQueryData(sessionQueryKey, null);
}

/** Ends the session on the server at `logoutPath`; a 401 means it had already ended, which is what was asked. */
export async function endSession(queryClient: QueryClient, logoutPath: string): Promise<void> {
  try {
    await apiRequest<unknown>(logoutPath, { method: 'POST' });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  forgetSession(queryClient);
}
