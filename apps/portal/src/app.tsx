import { PartnerHomePlaceholder } from './features/auth/components/partner-home-placeholder.tsx';
import { ProgramLinkProblem } from './features/auth/components/program-link-problem.tsx';
import { SignInForm } from './features/auth/components/sign-in-form.tsx';
import { useSession } from './features/auth/hooks/use-session.ts';
import type { ProgramIdResult } from './features/auth/utils/read-program-id.ts';
import { describeApiError } from './lib/describe-api-error.ts';

export function App({ program }: { program: ProgramIdResult }) {
  const programId = program.status === 'ok' ? program.programId : null;
  const { state, signIn } = useSession(programId);

  if (state.status === 'loading') {
    return (
      <main className="auth-card">
        <p role="status">Loading…</p>
      </main>
    );
  }
  if (state.status === 'signed-in') return <PartnerHomePlaceholder session={state.session} />;
  if (program.status !== 'ok') return <ProgramLinkProblem reason={program.status} />;

  return (
    <main className="auth-card">
      <h1>Partner sign-in</h1>
      {state.restoreError ? <p className="notice">{describeApiError(state.restoreError)}</p> : null}
      <SignInForm programId={program.programId} onSignedIn={signIn} />
    </main>
  );
}
