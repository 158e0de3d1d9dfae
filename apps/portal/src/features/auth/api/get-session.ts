import { ApiError, apiRequest } from '../../../lib/api-client.ts';
import type { PartnerSession } from '../types.ts';

/** The partner signed in through the cookie, or null when nobody is. */
export async function getSession(signal?: AbortSignal): Promise<PartnerSession | null> {
  try {
    return await apiRequest<PartnerSession>('/api/portal/me', { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
