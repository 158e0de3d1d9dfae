import { Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import { rememberSession } from '../../../lib/session.ts';
import { acceptInvitation } from '../api/passwords.ts';
import { readToken } from '../utils/read-token.ts';
import { AuthFrame } from './auth-frame.tsx';
import { SetPasswordForm } from './set-password-form.tsx';

/** Where the invitation email's link lands: choose a password and go straight to the codes. */
export function AcceptInvitationPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const token = readToken(location.search);

  if (!token) {
    return (
      <AuthFrame title="This invitation link is incomplete">
        <Text>Open the link from your invitation email again. If it still does not work, ask the program's manager to send you a new invitation.</Text>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title="Welcome! Choose your password">
      <Text c="dimmed" size="sm">
        You have been invited to a partner program. Choose a password to see your codes and what you earn.
      </Text>
      <SetPasswordForm
        submitLabel="Set password and continue"
        onSubmitPassword={(password) => acceptInvitation({ token, password })}
        onDone={(me) => {
          rememberSession(queryClient, me);
          void navigate('/codes', { replace: true });
        }}
      />
    </AuthFrame>
  );
}
