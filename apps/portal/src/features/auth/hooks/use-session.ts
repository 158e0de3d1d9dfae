import { useCallback, useEffect, useState } from 'react';
import { getSession } from '../api/get-session.ts';
import type { PartnerSession } from '../types.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; restoreError?: unknown }
  | { status: 'signed-in'; session: PartnerSession };

/**
 * Restores the partner session once on mount. A session for another program than the link's
 * counts as signed out: the partner followed a link to sign in to that other program.
 */
export function useSession(programId: string | null) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    getSession(controller.signal).then(
      (session) => {
        const usable = session && (programId === null || session.program.id === programId);
        setState(usable ? { status: 'signed-in', session } : { status: 'signed-out' });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'signed-out', restoreError: error });
      },
    );
    return () => controller.abort();
  }, [programId]);

  const signIn = useCallback((session: PartnerSession) => setState({ status: 'signed-in', session }), []);

  return { state, signIn };
}
