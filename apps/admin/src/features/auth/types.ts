import type { Role } from '@codetrack/contracts';

// Mirrors the API's auth responses; move to @codetrack/contracts once the API publishes them there.
export type Session = {
  user: { id: string; email: string; name: string };
  workspace: { id: string; name: string };
  role: Role;
  csrfToken: string;
};
