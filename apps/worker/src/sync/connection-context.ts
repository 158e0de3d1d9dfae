import { queues } from '@codetrack/contracts';
import { decryptConnectionTarget, scopeToWorkspace, type Connection, type Db, type TenantDb } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import { createAdapter, PlatformError, type PlatformAdapter } from '@codetrack/integrations';
import type { Logger } from 'pino';
import { RedisRateLimiter, type RedisLike } from './rate-limiter.ts';
import { rateLimitFor, type SyncSettings } from './settings.ts';

/** Everything the sync code needs for one connection, built once per job. */
export type SyncContext = {
  db: Db;
  tenant: TenantDb;
  logger: Logger;
  settings: SyncSettings;
  connection: Connection;
  /** The platform adapter, every call paced by the connection's shared rate limit. */
  adapter: PlatformAdapter;
  /** Requests per second this connection is paced at. */
  ratePerSecond: number;
  /** Facts shared by many codes of one drain (is the coupon live here, its platform id), kept a moment. */
  memo: Map<string, { value: unknown; until: number }>;
};

/** How long a memoised fact may be reused: long enough for a burst of codes, short enough that an edit is seen at once by the next pass. */
const memoMs = 1000;

/** Returns the memoised value for `key`, computing it (and keeping it briefly) when absent or stale. */
export async function remember<T>(ctx: Pick<SyncContext, 'memo'>, key: string, compute: () => Promise<T>): Promise<T> {
  const hit = ctx.memo.get(key);
  if (hit && hit.until > Date.now()) return hit.value as T;
  const value = await compute();
  ctx.memo.set(key, { value, until: Date.now() + memoMs });
  return value;
}

/** The limiter keeps its counters next to the queues (same Redis, same prefix). */
export function createLimiter(jobs: JobProducer): RedisRateLimiter {
  const queue = () => jobs.queue(queues.sync);
  // BullMQ types its client as a narrow interface; it is an ioredis instance, which has eval.
  return new RedisRateLimiter(() => queue().client as unknown as Promise<RedisLike>, queue().opts.prefix ?? 'bull');
}

/** Requests an adapter method makes (Stripe updates read the code first; Paddle creates look the code up first). */
const callCost: Partial<Record<PlatformAdapter['platform'], Partial<Record<keyof PlatformAdapter, number>>>> = {
  stripe: { updatePromotionCode: 2 },
  paddle: { createPromotionCode: 2 },
};

/**
 * Wraps an adapter so every call waits for the connection's rate limit, and a 429 or THROTTLED
 * answer pauses the connection for every worker for as long as the platform asked.
 */
export function limitAdapter(adapter: PlatformAdapter, input: { limiter: RedisRateLimiter; key: string; perSecond: number; burst: number }): PlatformAdapter {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'constructor') return value;
      const cost = callCost[target.platform]?.[property as keyof PlatformAdapter] ?? 1;
      return async (...args: unknown[]) => {
        await input.limiter.acquire(input.key, input.perSecond, cost, input.burst);
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          if (error instanceof PlatformError && error.code === 'rate_limited') {
            await input.limiter.pause(input.key, error.retryAfterMs ?? 1000).catch(() => undefined);
          }
          throw error;
        }
      };
    },
  });
}

/**
 * Loads a connection by id (any workspace: jobs carry ids only) and builds its adapter, paced by
 * the shared limiter (which lives next to the queues, so it needs the job producer); null when gone.
 */
export async function loadSyncContext(input: { db: Db; jobs: JobProducer | null; logger: Logger; settings: SyncSettings; connectionId: string }): Promise<SyncContext | null> {
  const connection = await input.db.connection.findUnique({ where: { id: input.connectionId } });
  if (!connection) return null;
  const target = decryptConnectionTarget(input.settings.encryptionKeys, connection);
  const limit = rateLimitFor(connection, target.credentials, input.settings.rateLimits);
  const ratePerSecond = limit * input.settings.headroom;
  // The headroom is spent as burst: a lane that was late may catch up, and still no one-second
  // window sees more than the limit (GCRA allows at most burst + rate x window).
  const burst = Math.max(1, Math.floor(limit - ratePerSecond));
  const raw = createAdapter({ ...target, timeoutMs: input.settings.requestTimeoutMs });
  return {
    db: input.db,
    tenant: scopeToWorkspace(input.db, connection.workspaceId),
    logger: input.logger,
    settings: input.settings,
    connection,
    adapter: input.jobs ? limitAdapter(raw, { limiter: createLimiter(input.jobs), key: `connection:${connection.id}`, perSecond: ratePerSecond, burst }) : raw,
    ratePerSecond,
    memo: new Map(),
  };
}
