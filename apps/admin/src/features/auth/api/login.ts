import { apiRequest } from '@codetrack/web/api-client';
import type { Session } from '../types.ts';

export type LoginInput = { email: string; password: string };

export function login(input: LoginInput): Promise<Session> {
  return apiRequest<Session>('/api/auth/login', { method: 'POST', body: input });
}
