import type { Me } from '@codetrack/contracts';
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { ApiError, apiRequest, setCsrfToken } from './api-client.ts';

export const sessionQueryKey = ['session'] as const;

/** The signed-in merchant from the session cookie, or null when nobody is signed in. */
export async function fetchSession(signal?: AbortSignal): Promise<Me | null> {
  try {
    const me = await apiRequest<Me>('/api/me', { signal });
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

/** Stores a session that sign-in or sign-up just returned. */
export function rememberSession(queryClient: QueryClient, me: Me): void {
  setCsrfToken(me.csrfToken);
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
    await apiRequest<unknown>('/api/auth/logout', { method: 'POST' });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  forgetSession(queryClient);
}

const roleRank = { viewer: 0, admin: 1, owner: 2 } as const;

/** Whether the merchant's role is at least `needed` (owner > admin > viewer). */
export function hasRole(me: Pick<Me, 'role'> | null | undefined, needed: keyof typeof roleRank): boolean {
  return me ? roleRank[me.role] >= roleRank[needed] : false;
}
