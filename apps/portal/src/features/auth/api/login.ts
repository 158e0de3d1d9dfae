import { apiRequest } from '../../../lib/api-client.ts';
import type { PartnerSession } from '../types.ts';

export type LoginInput = { email: string; password: string; programId: string };

export function login(input: LoginInput): Promise<PartnerSession> {
  return apiRequest<PartnerSession>('/api/portal/login', { method: 'POST', body: input });
}
