import type { Session } from '../features/auth/types.ts';

export const session: Session = {
  user: { id: 'usr_1', email: 'ada@example.com', name: 'Ada Lovelace' },
  workspace: { id: 'wsp_1', name: 'Analytical Engines' },
  role: 'owner',
  csrfToken: 'csrf-token-1',
};
