import { createAdapterFactory, type DatabaseTarget } from './adapters.ts';
import { PrismaClient } from './generated/prisma/client.ts';

/** A Prisma client on Postgres (DATABASE_URL) or on the embedded PGlite folder. */
export function createPrismaClient(target: DatabaseTarget & { log?: boolean }) {
  return new PrismaClient({
    adapter: createAdapterFactory(target),
    log: target.log ? ['query', 'warn', 'error'] : ['warn', 'error'],
  });
}

export type Db = ReturnType<typeof createPrismaClient>;
