import { afterAll, beforeAll, inject } from 'vitest';
import { Redis } from 'ioredis';
import type { DestinationStream, Logger } from 'pino';
import type { WorkerDeps } from '@codetrack/worker/runtime';
import { createPrismaClient, type Db } from '@codetrack/db';
import { JobProducer } from '@codetrack/db/jobs';
import { createFactories, createTestDatabase, createTestRedisPrefix, testRedisUrl, type Factories } from '@codetrack/db/testing';
import { buildApp, type App } from '../src/app.ts';
import { loadApiConfig } from '../src/config.ts';

export type TestContext = {
  app: App;
  db: Db;
  redis: Redis;
  jobs: JobProducer;
  factories: Factories;
  redisPrefix: string;
};

/**
 * Builds the whole API for one test file on its own Postgres database (cloned from the migrated
 * template) and its own Redis key prefix. Use inside a describe block or at the top of a file.
 * With `logStream` the app keeps its production logger (level from `LOG_LEVEL`, redaction) and
 * writes it there; otherwise it does not log.
 */
export function useTestApp(env: Record<string, string> = {}, options: { logStream?: DestinationStream } = {}): TestContext {
  const ctx = {} as TestContext;
  let dropDatabase: () => Promise<void> = async () => undefined;
  let cleanupRedis: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const database = await createTestDatabase(inject('templateDatabase'));
    dropDatabase = database.drop;
    const redisKeys = createTestRedisPrefix();
    cleanupRedis = redisKeys.cleanup;
    const config = loadApiConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl,
      REDIS_PREFIX: redisKeys.prefix,
      LOG_LEVEL: 'silent',
      DATABASE_POOL_SIZE: '5',
      SIGNUP_RATE_LIMIT_MAX: '1000',
      ...env,
    });
    ctx.db = createPrismaClient({ ...config.database });
    ctx.redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 2 });
    ctx.jobs = new JobProducer({ connection: { url: testRedisUrl } as never, prefix: redisKeys.prefix });
    ctx.redisPrefix = redisKeys.prefix;
    const logging = options.logStream ? { logStream: options.logStream } : { logger: false as const };
    ctx.app = await buildApp({ config, db: ctx.db, redis: ctx.redis, jobs: ctx.jobs, ...logging });
    await ctx.app.ready();
    ctx.factories = createFactories(ctx.db);
  });

  afterAll(async () => {
    await ctx.app?.close();
    await ctx.jobs?.close();
    ctx.redis?.disconnect();
    await ctx.db?.$disconnect();
    await cleanupRedis();
    await dropDatabase();
  });

  return ctx;
}

let counter = 0;

/** A signed-up merchant: cookie header and CSRF token ready for app.inject. */
export async function signUpMerchant(app: App, overrides: Partial<{ email: string; password: string; name: string; workspaceName: string }> = {}) {
  counter += 1;
  const body = {
    email: `merchant-${counter}-${Date.now()}@example.test`,
    password: 'correct horse battery',
    name: 'Mia Merchant',
    workspaceName: `Shop ${counter}`,
    ...overrides,
  };
  const res = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: body });
  if (res.statusCode !== 201) throw new Error(`signup failed: ${res.statusCode} ${res.body}`);
  const me = res.json();
  return { ...body, me, workspaceId: me.workspace.id as string, headers: sessionHeaders(res, me.csrfToken) };
}

/** Cookie + CSRF headers from a sign-in response, for the next requests. */
export function sessionHeaders(res: { cookies: { name: string; value: string }[] }, csrfToken: string) {
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { cookie, 'x-csrf-token': csrfToken };
}

/** Headers of an API key with `role` in the merchant's workspace (the easy way to act as a viewer). */
export async function apiKeyHeaders(app: App, merchant: { headers: Record<string, string> }, role: 'admin' | 'viewer') {
  const res = await app.inject({ method: 'POST', url: '/api/api-keys', headers: merchant.headers, payload: { name: `${role} key`, role } });
  if (res.statusCode !== 201) throw new Error(`api key failed: ${res.statusCode} ${res.body}`);
  return { authorization: `Bearer ${res.json().key as string}` };
}

export const demoProgramInput = {
  name: 'Podcast partners',
  currency: 'usd',
  landingUrl: 'https://shop.example.test/welcome',
  cookieLifetimeDays: 30,
  commission: { type: 'percent', value: 2000, duration: 'first_order' },
  holdPeriodDays: 30,
} as const;

/** Creates a program through the API and returns its id. */
export async function createProgramFor(app: App, merchant: { headers: Record<string, string> }, overrides: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: '/api/programs', headers: merchant.headers, payload: { ...demoProgramInput, ...overrides } });
  if (res.statusCode !== 201) throw new Error(`program failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; currency: string } & Record<string, unknown>;
}

/** Invites a partner through the API and returns the created partner (with its invitation). */
export async function createPartnerFor(app: App, merchant: { headers: Record<string, string> }, programId: string, overrides: Record<string, unknown> = {}) {
  counter += 1;
  const res = await app.inject({
    method: 'POST',
    url: `/api/programs/${programId}/partners`,
    headers: merchant.headers,
    payload: { email: `partner-${counter}-${Date.now()}@example.test`, name: 'John Smith', ...overrides },
  });
  if (res.statusCode !== 201) throw new Error(`partner failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; email: string; referralKey: string; referralUrl: string; status: string; invitation: { token: string; url: string; expiresAt: string } } & Record<string, unknown>;
}

/** Creates a platform connection through the API (point `apiBaseUrl` or `storeUrl` at a testkit emulator). */
export async function createConnectionFor(app: App, merchant: { headers: Record<string, string> }, programId: string, payload: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: `/api/programs/${programId}/connections`, headers: merchant.headers, payload });
  if (res.statusCode !== 201) throw new Error(`connection failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; platform: string; status: string; lastError: string | null } & Record<string, unknown>;
}

/**
 * Runs the real worker (every queue, every handler) against this test file's database and Redis
 * prefix, for tests that go through the API and the worker. Stop it with the returned function.
 * `logger` defaults to a silent one; `sync` overrides the worker's sync settings (keys, limits).
 */
export async function startTestWorker(ctx: TestContext, options: { logger?: Logger; sync?: WorkerDeps['sync'] } = {}) {
  const { startWorkers } = await import('@codetrack/worker/runtime');
  const pino = (await import('pino')).default;
  const running = startWorkers(
    { db: ctx.db, jobs: ctx.jobs, logger: options.logger ?? pino({ level: 'silent' }), sweepOlderThanMs: 0, ...(options.sync ? { sync: options.sync } : {}) },
    { connection: { url: testRedisUrl, maxRetriesPerRequest: null } as never, prefix: ctx.redisPrefix, concurrency: 4 },
  );
  return running.close;
}

/**
 * Signs a partner in to the portal by accepting their invitation: cookie header and CSRF token of
 * the partner's session, ready for app.inject.
 */
export async function acceptPartnerInvitation(app: App, invitationToken: string, password = 'partner password 123') {
  const res = await app.inject({ method: 'POST', url: '/api/portal/invitations/accept', payload: { token: invitationToken, password } });
  if (res.statusCode !== 200) throw new Error(`accept invitation failed: ${res.statusCode} ${res.body}`);
  const me = res.json();
  return { me, password, headers: sessionHeaders(res, me.csrfToken as string) };
}
