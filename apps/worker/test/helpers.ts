import { afterAll, beforeAll, inject } from 'vitest';
import pino from 'pino';
import { createPrismaClient, type Db } from '@codetrack/db';
import { JobProducer } from '@codetrack/db/jobs';
import { createFactories, createTestDatabase, createTestRedisPrefix, testRedisUrl, type Factories } from '@codetrack/db/testing';

export type WorkerTestContext = {
  db: Db;
  databaseUrl: string;
  jobs: JobProducer;
  prefix: string;
  connection: { url: string; maxRetriesPerRequest: null };
  factories: Factories;
  logger: pino.Logger;
};

/** A database of its own (cloned from the migrated template) and a Redis prefix of its own. */
export function useWorkerTestContext(): WorkerTestContext {
  const ctx = {} as WorkerTestContext;
  let drop = async () => undefined as void;
  let cleanup = async () => undefined as void;
  beforeAll(async () => {
    const database = await createTestDatabase(inject('templateDatabase'));
    drop = database.drop;
    const keys = createTestRedisPrefix();
    cleanup = keys.cleanup;
    ctx.databaseUrl = database.url;
    ctx.db = createPrismaClient({ databaseUrl: database.url, poolSize: 5 });
    ctx.prefix = keys.prefix;
    ctx.connection = { url: testRedisUrl, maxRetriesPerRequest: null };
    ctx.jobs = new JobProducer({ connection: ctx.connection as never, prefix: keys.prefix });
    ctx.factories = createFactories(ctx.db);
    ctx.logger = pino({ level: 'silent' });
  });
  afterAll(async () => {
    await ctx.jobs?.close();
    await ctx.db?.$disconnect();
    await cleanup();
    await drop();
  });
  return ctx;
}
