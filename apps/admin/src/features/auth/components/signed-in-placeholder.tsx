import { useState } from 'react';
import { FormAlert } from '../../../components/form-alert.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { reportUnexpected } from '../../../lib/form-errors.ts';
import { logout } from '../api/logout.ts';
import type { Session } from '../types.ts';

type SignedInPlaceholderProps = { session: Session; onSignedOut: () => void };

export function SignedInPlaceholder({ session, onSignedOut }: SignedInPlaceholderProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handleSignOut() {
    setPending(true);
    setError(null);
    try {
      await logout(session.csrfToken);
      onSignedOut();
    } catch (caught) {
      // A 401 means the session is already gone, which is what the user asked for.
      if (caught instanceof ApiError && caught.status === 401) {
        onSignedOut();
        return;
      }
      reportUnexpected(caught);
      setError(describeApiError(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <main className="auth-card">
      <h1>Codetrack</h1>
      <p>
        Signed in as {session.user.name} ({session.user.email}), workspace {session.workspace.name}.
      </p>
      <FormAlert message={error} />
      <button type="button" className="button" onClick={handleSignOut} disabled={pending}>
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
    </main>
  );
}
