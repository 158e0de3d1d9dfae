import { Text } from '@mantine/core';
import { AuthFrame } from './auth-frame.tsx';

/** Shown instead of the form when the sign-in link does not say which program it is for. */
export function ProgramLinkProblem({ reason }: { reason: 'missing' | 'invalid' | 'unknown' }) {
  return (
    <AuthFrame title="This sign-in link is incomplete">
      <Text>
        {reason === 'missing' ? 'The link does not say which partner program to sign in to.' : 'The program in this link is not one we recognise.'} Open the sign-in
        link from your invitation email again, or ask the program's manager to send you a new one.
      </Text>
    </AuthFrame>
  );
}
