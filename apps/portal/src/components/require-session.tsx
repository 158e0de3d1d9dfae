import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { sessionQueryOptions, signInPath } from '../lib/session.ts';
import { QueryError } from './query-error.tsx';

/** Renders its children for a signed-in partner and sends everyone else to their program's sign-in. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useQuery(sessionQueryOptions);

  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading your partner account" />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh" p="md">
        <QueryError error={session.error} onRetry={() => void session.refetch()} />
      </Center>
    );
  }
  if (!session.data) return <Navigate to={signInPath()} replace />;
  return children;
}
