import { AuthScreen } from './features/auth/components/auth-screen.tsx';
import { SignedInPlaceholder } from './features/auth/components/signed-in-placeholder.tsx';
import { useSession } from './features/auth/hooks/use-session.ts';

export function App() {
  const { state, signIn, signOut } = useSession();

  if (state.status === 'loading') {
    return (
      <main className="auth-card">
        <p role="status">Loading…</p>
      </main>
    );
  }
  if (state.status === 'signed-in') {
    return <SignedInPlaceholder session={state.session} onSignedOut={signOut} />;
  }
  return <AuthScreen onSignedIn={signIn} restoreError={state.restoreError} />;
}
