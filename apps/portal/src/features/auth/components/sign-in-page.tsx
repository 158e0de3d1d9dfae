import { Anchor, Center, Loader, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '@codetrack/web/api-client';
import { QueryError } from '../../../components/query-error.tsx';
import { rememberSession, sessionQueryOptions } from '../../../lib/session.ts';
import { programQueryOptions } from '../api/program.ts';
import { readProgramId } from '../utils/read-program-id.ts';
import { AuthFrame } from './auth-frame.tsx';
import { ProgramLinkProblem } from './program-link-problem.tsx';
import { SignInForm } from './sign-in-form.tsx';

/** Sign-in for one program (`/?program=prg_...`), in that program's name, logo and colour. */
export function SignInPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const link = readProgramId(location.search);
  const programId = link.status === 'ok' ? link.programId : null;
  const session = useQuery(sessionQueryOptions);
  const program = useQuery({ ...programQueryOptions(programId ?? ''), enabled: programId !== null });

  if (session.isPending || (programId !== null && program.isPending)) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  // A session for another program counts as signed out: the partner followed a link to sign in there.
  if (session.data && (programId === null || session.data.program.id === programId)) return <Navigate to="/codes" replace />;
  if (link.status !== 'ok') return <ProgramLinkProblem reason={link.status} />;
  if (program.isError) {
    if (program.error instanceof ApiError && program.error.status === 404) return <ProgramLinkProblem reason="unknown" />;
    return (
      <AuthFrame title="Partner sign-in">
        <QueryError error={program.error} onRetry={() => void program.refetch()} />
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title="Partner sign-in" program={program.data}>
      <Text c="dimmed" size="sm">
        Sign in to copy your codes and see what you have earned.
      </Text>
      <SignInForm
        programId={link.programId}
        onSignedIn={(me) => {
          rememberSession(queryClient, me);
          void navigate('/codes', { replace: true });
        }}
      />
      <Anchor component={Link} to={`/forgot-password?program=${encodeURIComponent(link.programId)}`} size="sm">
        Forgot your password?
      </Anchor>
    </AuthFrame>
  );
}
