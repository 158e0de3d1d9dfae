import type { PortalLoginInput, PortalMe } from '@codetrack/contracts';
import { apiRequest } from '../../../lib/api-client.ts';

export function login(input: PortalLoginInput): Promise<PortalMe> {
  return apiRequest<PortalMe>('/api/portal/login', { method: 'POST', body: input });
}
