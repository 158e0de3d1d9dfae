import type { Me } from '@codetrack/contracts';

export type Session = Me;
