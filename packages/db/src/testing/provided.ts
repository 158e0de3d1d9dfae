import type {} from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Name of the migrated template database the global setup made for this run. */
    templateDatabase: string;
  }
}
