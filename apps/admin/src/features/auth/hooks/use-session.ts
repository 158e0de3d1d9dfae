import { useCallback, useEffect, useState } from 'react';
import { getSession } from '../api/get-session.ts';
import type { Session } from '../types.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; restoreError?: unknown }
  | { status: 'signed-in'; session: Session };

/** Restores the session once on mount and lets the auth screens replace it. */
export function useSession() {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    getSession(controller.signal).then(
      (session) => setState(session ? { status: 'signed-in', session } : { status: 'signed-out' }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'signed-out', restoreError: error });
      },
    );
    return () => controller.abort();
  }, []);

  const signIn = useCallback((session: Session) => setState({ status: 'signed-in', session }), []);
  const signOut = useCallback(() => setState({ status: 'signed-out' }), []);

  return { state, signIn, signOut };
}
