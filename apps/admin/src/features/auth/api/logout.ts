import { apiRequest } from '../../../lib/api-client.ts';

export async function logout(csrfToken: string): Promise<void> {
  await apiRequest<unknown>('/api/auth/logout', { method: 'POST', csrfToken });
}
