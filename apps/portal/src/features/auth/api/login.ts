import type { PortalLoginInput, PortalMe } from '@codetrack/contracts';
import { apiRequest } from '@codetrack/web/api-client';

export function login(input: PortalLoginInput): Promise<PortalMe> {
  return apiRequest<PortalMe>('/api/portal/login', { method: 'POST', body: input });
}
