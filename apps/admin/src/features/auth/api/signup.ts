import { apiRequest } from '@codetrack/web/api-client';
import type { Session } from '../types.ts';

export type SignupInput = { email: string; password: string; name: string; workspaceName: string };

export function signup(input: SignupInput): Promise<Session> {
  return apiRequest<Session>('/api/auth/signup', { method: 'POST', body: input });
}
