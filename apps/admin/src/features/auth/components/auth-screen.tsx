import { useState } from 'react';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import type { Session } from '../types.ts';
import { SignInForm } from './sign-in-form.tsx';
import { SignUpForm } from './sign-up-form.tsx';

type AuthScreenProps = {
  onSignedIn: (session: Session) => void;
  /** Why the saved session could not be checked, if it could not. */
  restoreError?: unknown;
};

export function AuthScreen({ onSignedIn, restoreError }: AuthScreenProps) {
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const signingIn = mode === 'sign-in';

  return (
    <main className="auth-card">
      <h1>{signingIn ? 'Sign in to Codetrack' : 'Create your Codetrack account'}</h1>
      {restoreError ? <p className="notice">{describeApiError(restoreError)}</p> : null}
      {signingIn ? <SignInForm onSignedIn={onSignedIn} /> : <SignUpForm onSignedIn={onSignedIn} />}
      <p className="switch-mode">
        {signingIn ? 'New to Codetrack?' : 'Already have an account?'}{' '}
        <button type="button" className="link-button" onClick={() => setMode(signingIn ? 'sign-up' : 'sign-in')}>
          {signingIn ? 'Create an account' : 'Sign in instead'}
        </button>
      </p>
    </main>
  );
}
