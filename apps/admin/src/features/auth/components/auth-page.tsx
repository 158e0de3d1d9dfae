import { Anchor, Center, Paper, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { describeApiError } from '../../../lib/describe-api-error.ts';
import { rememberSession, sessionQueryOptions } from '../../../lib/session.ts';
import type { Session } from '../types.ts';
import { SignInForm } from './sign-in-form.tsx';
import { SignUpForm } from './sign-up-form.tsx';

/** Only same-app paths, so a crafted link cannot send the merchant elsewhere after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/programs';
}

export function AuthPage({ mode }: { mode: 'sign-in' | 'sign-up' }) {
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const session = useQuery(sessionQueryOptions);
  const signingIn = mode === 'sign-in';
  // A new account lands on the programs screen with a first-steps note; a sign-in where it was headed.
  const [target, setTarget] = useState(next);

  if (session.data) return <Navigate to={target} replace />;

  function handleSignedIn(me: Session) {
    setTarget(signingIn ? next : '/programs?welcome=1');
    rememberSession(queryClient, me);
  }

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420}>
        <Title order={1} size="h2" mb="md">
          {signingIn ? 'Sign in to Codetrack' : 'Create your Codetrack account'}
        </Title>
        {session.isError ? (
          <Text c="dimmed" size="sm" mb="sm" role="status">
            {describeApiError(session.error)}
          </Text>
        ) : null}
        {signingIn ? <SignInForm onSignedIn={handleSignedIn} /> : <SignUpForm onSignedIn={handleSignedIn} />}
        <Text size="sm" mt="md">
          {signingIn ? 'New to Codetrack?' : 'Already have an account?'}{' '}
          <Anchor component={Link} to={signingIn ? '/sign-up' : '/sign-in'}>
            {signingIn ? 'Create an account' : 'Sign in instead'}
          </Anchor>
        </Text>
      </Paper>
    </Center>
  );
}

export function SignInPage() {
  return <AuthPage mode="sign-in" />;
}

export function SignUpPage() {
  return <AuthPage mode="sign-up" />;
}
