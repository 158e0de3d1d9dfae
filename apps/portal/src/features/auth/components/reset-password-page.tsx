import { Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router';
import { notifySuccess } from '../../../lib/notify.ts';
import { rememberSession } from '../../../lib/session.ts';
import { confirmPasswordReset } from '../api/passwords.ts';
import { readToken } from '../utils/read-token.ts';
import { AuthFrame } from './auth-frame.tsx';
import { SetPasswordForm } from './set-password-form.tsx';

/** Where the reset email's link lands: a new password, then straight back in. */
export function ResetPasswordPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const token = readToken(location.search);

  if (!token) {
    return (
      <AuthFrame title="This reset link is incomplete">
        <Text>Open the link from the password reset email again, or ask for a new one from the sign-in page.</Text>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title="Choose a new password">
      <SetPasswordForm
        submitLabel="Save new password"
        onSubmitPassword={(password) => confirmPasswordReset({ token, password })}
        onDone={(me) => {
          rememberSession(queryClient, me);
          notifySuccess('Your new password is saved.');
          void navigate('/codes', { replace: true });
        }}
      />
    </AuthFrame>
  );
}
