import type { PortalMe, PortalPartner, UpdatePortalProfileInput } from '@codetrack/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@codetrack/web/api-client';
import { sessionQueryKey } from '@codetrack/web/session';

export function updateProfile(input: UpdatePortalProfileInput): Promise<PortalPartner> {
  return apiRequest<PortalPartner>('/api/portal/profile', { method: 'PATCH', body: input });
}

/** Saves the profile and puts the new name into the signed-in session at once. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateProfile,
    onSuccess: (partner) => {
      queryClient.setQueryData<PortalMe | null>(sessionQueryKey, (me) => (me ? { ...me, partner } : me));
    },
  });
}
