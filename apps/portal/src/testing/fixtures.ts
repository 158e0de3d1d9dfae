import type { PartnerSession } from '../features/auth/types.ts';

export const partnerSession: PartnerSession = {
  partner: { id: 'ptn_1', name: 'Grace Hopper', email: 'grace@example.com' },
  program: { id: 'prg_1', name: 'Cobol Club', logoUrl: 'https://cdn.example.com/logo.png', accentColor: '#0a7d4f' },
  csrfToken: 'csrf-token-1',
};
