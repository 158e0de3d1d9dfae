import type { PortalCodeStatus } from '@codetrack/contracts';

/** A status a partner understands, and whether the code can be shared now. */
export function describeCodeStatus(status: PortalCodeStatus): { label: string; color: string; hint: string | null } {
  switch (status) {
    case 'active':
      return { label: 'Active', color: 'teal', hint: null };
    case 'disabled':
      return { label: 'Paused', color: 'gray', hint: 'The program has paused this code; customers cannot use it right now.' };
    case 'expired':
      return { label: 'Expired', color: 'orange', hint: 'This code has expired; customers cannot use it any more.' };
    case 'used_up':
      return { label: 'Used up', color: 'orange', hint: 'This code has reached its usage limit.' };
  }
}
