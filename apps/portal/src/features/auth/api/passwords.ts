import type { AcceptInvitationInput, PasswordResetConfirmInput, PasswordResetRequestInput, PortalMe } from '@codetrack/contracts';
import { apiRequest } from '@codetrack/web/api-client';

export function acceptInvitation(input: AcceptInvitationInput): Promise<PortalMe> {
  return apiRequest<PortalMe>('/api/portal/invitations/accept', { method: 'POST', body: input });
}

export function requestPasswordReset(input: PasswordResetRequestInput): Promise<void> {
  return apiRequest<void>('/api/portal/password-reset/request', { method: 'POST', body: input });
}

export function confirmPasswordReset(input: PasswordResetConfirmInput): Promise<PortalMe> {
  return apiRequest<PortalMe>('/api/portal/password-reset/confirm', { method: 'POST', body: input });
}
