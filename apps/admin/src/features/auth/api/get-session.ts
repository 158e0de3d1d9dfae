import { ApiError, apiRequest } from '../../../lib/api-client.ts';
import type { Session } from '../types.ts';

/** The current session from the cookie, or null when nobody is signed in. */
export async function getSession(signal?: AbortSignal): Promise<Session | null> {
  try {
    return await apiRequest<Session>('/api/me', { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
