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

function createPgFactory(databaseUrl: string, poolSize?: number) {
  return new PrismaPg(poolConfigFromUrl(databaseUrl, poolSize));
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
