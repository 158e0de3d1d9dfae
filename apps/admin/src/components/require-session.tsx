import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { sessionQueryOptions } from '../lib/session.ts';
import { QueryError } from './query-error.tsx';

/** Renders its children for a signed-in merchant and sends everyone else to sign-in. */
export function RequireSession({ children }: { children: ReactNode }) {
  const location = useLocation();
  const session = useQuery(sessionQueryOptions);

  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading your workspace" />
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
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}
