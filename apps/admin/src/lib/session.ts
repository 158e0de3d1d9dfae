import type { Me } from '@codetrack/contracts';
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { endSession, fetchSessionFrom, sessionQueryKey, storeSession } from '@codetrack/web/session';

/** The signed-in merchant from the session cookie, or null when nobody is signed in. */
export const sessionQueryOptions = queryOptions({
  queryKey: sessionQueryKey,
  queryFn: ({ signal }) => fetchSessionFrom<Me>('/api/me', signal),
  staleTime: Infinity,
  retry: false,
});

/** Stores a session that sign-in or sign-up just returned. */
export function rememberSession(queryClient: QueryClient, me: Me): void {
  storeSession(queryClient, me);
}

/** Signs the merchant out; an already ended session counts as signed out. */
export function signOut(queryClient: QueryClient): Promise<void> {
  return endSession(queryClient, '/api/auth/logout');
}

const roleRank = { viewer: 0, admin: 1, owner: 2 } as const;

/** Whether the merchant's role is at least `needed` (owner > admin > viewer). */
export function hasRole(me: Pick<Me, 'role'> | null | undefined, needed: keyof typeof roleRank): boolean {
  return me ? roleRank[me.role] >= roleRank[needed] : false;
}
