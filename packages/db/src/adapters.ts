import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { parse as parseConnectionString } from 'pg-connection-string';
import { PrismaPGlite } from 'pglite-prisma-adapter';

export type DatabaseTarget = {
  /** Postgres URL; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database (default `.data/pglite` at the repository root). */
  dataDir?: string | undefined;
  /** Pool size for Postgres. */
  poolSize?: number | undefined;
};

export const defaultPgliteDir = resolve(import.meta.dirname, '../../../.data/pglite');

// Postgres' catalog uses the one-byte `"char"` type, which the pg adapter cannot deserialise while
// the migration engine introspects: parse it (OID 18) as text.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 18) return (value: string) => value;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Pool settings from a URL, as separate fields: the adapter opens its shadow database with
 * `{...config, database}` and a `connectionString` would silently override that database. */
export function poolConfigFromUrl(databaseUrl: string, poolSize = 10): pg.PoolConfig {
  const parsed = parseConnectionString(databaseUrl);
  return {
    host: parsed.host ?? '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 5432,
    user: parsed.user ?? 'postgres',
    password: parsed.password ?? undefined,
    database: parsed.database ?? 'postgres',
    ssl: parsed.ssl ? (parsed.ssl as pg.PoolConfig['ssl']) : undefined,
    max: poolSize,
    types: types as pg.CustomTypesConfig,
  };
}

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;
type PgTransaction = Awaited<ReturnType<PgAdapter['startTransaction']>>;

/**
 * The pg adapter, made to survive connections that die under it (a Postgres restart or failover,
 * pg_terminate_backend), which otherwise crashed or hung our processes (found by `pnpm faults`):
 * - Every pooled client always has an 'error' listener. pg-pool hands a released client to a
 *   waiting pool.connect() while still processing the ReadyForQuery of its previous query, and the
 *   adapter attaches its own listener one microtask later: a FATAL that came in the same network
 *   chunk is emitted in between, to no listener, and kills the process. Nothing is lost by
 *   listening: the client is no longer queryable, so its next query fails and the caller sees it.
 * - A transaction whose COMMIT or ROLLBACK statement fails still gives its client back. Prisma
 *   sends those statements itself and calls commit()/rollback(), which release the client, only
 *   when they succeed; on a dead connection the client was never released, and after `poolSize`
 *   such transactions every later one waited for a client forever.
 */
class ResilientPgFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName: string;

  constructor(private readonly inner: PrismaPg) {
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<PgAdapter> {
    const adapter = await this.inner.connect();
    adapter.underlyingDriver().on('connect', (client) => client.on('error', () => undefined));
    return Object.assign(Object.create(adapter) as PgAdapter, {
      startTransaction: async (isolationLevel?: Parameters<PgAdapter['startTransaction']>[0]) => releaseOnFailedEnd(await adapter.startTransaction(isolationLevel)),
    });
  }

  connectToShadowDb() {
    return this.inner.connectToShadowDb();
  }
}

function releaseOnFailedEnd(tx: PgTransaction): PgTransaction {
  let open = true;
  const end = (finish: () => Promise<void>) => async () => {
    if (!open) return;
    open = false;
    await finish();
  };
  return Object.assign(Object.create(tx) as PgTransaction, {
    commit: end(() => tx.commit()),
    rollback: end(() => tx.rollback()),
    async executeRaw(query: Parameters<PgTransaction['executeRaw']>[0]) {
      try {
        return await tx.executeRaw(query);
      } catch (error) {
        if (open && /^(COMMIT|ROLLBACK)$/i.test(query.sql.trim())) {
          open = false;
          // Releases the client; the pool drops it when its connection is gone.
          await tx.rollback();
        }
        throw error;
      }
    },
  });
}

function createPgFactory(databaseUrl: string, poolSize?: number) {
  return new ResilientPgFactory(new PrismaPg(poolConfigFromUrl(databaseUrl, poolSize)));
}

type Adapter = Awaited<ReturnType<PrismaPGlite['connect']>>;

/**
 * The PGlite adapter as we need it. pglite-prisma-adapter 0.7 sends a whole migration file as
 * one prepared statement (Postgres refuses several commands in one) and neither awaits nor
 * closes PGlite; we route argument-less statements to `exec`, await scripts, open PGlite lazily
 * and close it on dispose, so the data folder is released for the next process.
 */
class EmbeddedPgliteFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = 'pglite-prisma-adapter';
  private client: PGlite | undefined;

  constructor(private readonly dataDir: string) {}

  private async open(): Promise<PGlite> {
    if (!this.client || this.client.closed) {
      mkdirSync(dirname(this.dataDir), { recursive: true });
      this.client = await PGlite.create({ dataDir: this.dataDir });
    }
    return this.client;
  }

  private wrap(inner: Adapter, client: PGlite, closeOnDispose: boolean): Adapter {
    const executeRaw = inner.executeRaw.bind(inner);
    return Object.assign(Object.create(inner) as Adapter, {
      async executeScript(script: string) {
        await client.exec(script);
      },
      async executeRaw(query: Parameters<Adapter['executeRaw']>[0]) {
        if (query.args.length === 0) {
          const results = await client.exec(query.sql);
          return results.reduce((n, r) => n + (r.affectedRows ?? 0), 0);
        }
        return executeRaw(query);
      },
      async dispose() {
        if (closeOnDispose && !client.closed) await client.close();
      },
    });
  }

  async connect(): Promise<Adapter> {
    const client = await this.open();
    return this.wrap(await new PrismaPGlite(client).connect(), client, true);
  }

  async connectToShadowDb(): Promise<Adapter> {
    const client = await PGlite.create();
    return this.wrap(await new PrismaPGlite(client).connect(), client, true);
  }
}

/** The driver adapter factory for a target: Postgres when a URL is given, else embedded PGlite. */
export function createAdapterFactory(target: DatabaseTarget) {
  if (target.databaseUrl) return createPgFactory(target.databaseUrl, target.poolSize);
  return new EmbeddedPgliteFactory(target.dataDir ?? defaultPgliteDir);
}
