import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapterFactory, poolConfigFromUrl } from './adapters.ts';
import { createPrismaClient } from './client.ts';
import { createTestDatabase } from './testing/databases.ts';

// Connections that die under the Prisma client (a Postgres restart or failover): simulated with
// pg_terminate_backend on this test's own database, which is what `pg_ctl restart -m fast` does
// to every connection.
let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  // Nothing here needs the schema: an empty database will do.
  database = await createTestDatabase('template1');
});
afterAll(async () => {
  await database?.drop();
});

/** Terminates every connection to the test database except the one asking. */
async function terminateConnections() {
  const admin = new pg.Client(poolConfigFromUrl(database.url));
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rows[0]?.n ?? 0;
  } finally {
    await admin.end();
  }
}

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms))]);

describe('the Postgres adapter when connections die', () => {
  it('gives the connections of failed transactions back: later transactions still run', async () => {
    const db = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
    try {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let started = 0;
      // Two transactions hold both connections of the pool, idle in transaction, when they die.
      const doomed = Array.from({ length: 2 }, () =>
        db.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT 1`;
          started += 1;
          await gate;
          await tx.$queryRaw`SELECT 2`;
        }),
      );
      while (started < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await terminateConnections()).toBeGreaterThanOrEqual(2);
      open();
      for (const result of await Promise.allSettled(doomed)) expect(result.status).toBe('rejected');

      const rows = await within(db.$transaction((tx) => tx.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`), 5_000, 'a transaction after the connections died');
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await db.$disconnect();
    }
  });

  it('keeps an error listener on every pooled connection, even between its release and its next user', async () => {
    const adapter = (await createAdapterFactory({ databaseUrl: database.url, poolSize: 1 }).connect()) as unknown as { underlyingDriver(): pg.Pool; dispose(): Promise<void> };
    try {
      const pool = adapter.underlyingDriver();
      const client = await pool.connect();
      try {
        // pg-pool removed its own listener when it handed the client out; the adapter adds its own
        // a microtask later. A connection error emitted in between (a FATAL read in the same chunk
        // as the previous query's end) must not be an unhandled 'error' event: that kills the process.
        expect(() => client.emit('error', new Error('terminating connection due to administrator command'))).not.toThrow();
      } finally {
        client.release(true);
      }
    } finally {
      await adapter.dispose();
    }
  });
});
