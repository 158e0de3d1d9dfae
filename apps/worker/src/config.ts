import { z } from 'zod';
import { DEVELOPMENT_ENCRYPTION_KEYS, EncryptionKeysSetting, parseEncryptionKeys } from '@codetrack/db';

/** Every setting the worker reads. Parsed once at start; nothing else reads process.env. */
export const WorkerEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().min(1).default('codetrack'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(10),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(100),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).default(30_000),
  SWEEP_OLDER_THAN_MS: z.coerce.number().int().min(0).default(30_000),
  ENCRYPTION_KEYS: EncryptionKeysSetting.optional(),
  SYNC_RATE_LIMIT_STRIPE_TEST: z.coerce.number().positive().default(25),
  SYNC_RATE_LIMIT_STRIPE_LIVE: z.coerce.number().positive().default(100),
  SYNC_RATE_LIMIT_PADDLE: z.coerce.number().positive().default(4),
  SYNC_RATE_LIMIT_WOOCOMMERCE: z.coerce.number().positive().default(10),
  SYNC_RATE_LIMIT_SHOPIFY: z.coerce.number().positive().default(2),
  SYNC_RATE_LIMIT_HEADROOM: z.coerce.number().min(0.5).max(1).default(0.95),
  SYNC_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  SYNC_BACKOFF_BASE_MS: z.coerce.number().int().min(1).default(1000),
  SYNC_BACKOFF_MAX_MS: z.coerce.number().int().min(1).default(300_000),
  SYNC_DRAIN_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  SYNC_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
}).superRefine((env, ctx) => {
  if (env.NODE_ENV === 'production' && !env.ENCRYPTION_KEYS) {
    ctx.addIssue({ code: 'custom', path: ['ENCRYPTION_KEYS'], message: 'is required in production (the same keys as the API)' });
  }
});

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;

export function loadWorkerConfig(source: NodeJS.ProcessEnv = process.env) {
  const parsed = WorkerEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    database: { databaseUrl: env.DATABASE_URL, dataDir: env.PGLITE_DIR, poolSize: env.DATABASE_POOL_SIZE },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    concurrency: env.WORKER_CONCURRENCY,
    webhookConcurrency: env.WEBHOOK_CONCURRENCY,
    sweep: { intervalMs: env.SWEEP_INTERVAL_MS, olderThanMs: env.SWEEP_OLDER_THAN_MS },
    // Development and tests share a fixed, public key (see DEVELOPMENT_ENCRYPTION_KEYS); production must set its own.
    encryptionKeys: env.ENCRYPTION_KEYS ?? parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEYS),
    sync: {
      rateLimits: { stripeTest: env.SYNC_RATE_LIMIT_STRIPE_TEST, stripeLive: env.SYNC_RATE_LIMIT_STRIPE_LIVE, paddle: env.SYNC_RATE_LIMIT_PADDLE, woocommerce: env.SYNC_RATE_LIMIT_WOOCOMMERCE, shopify: env.SYNC_RATE_LIMIT_SHOPIFY },
      headroom: env.SYNC_RATE_LIMIT_HEADROOM,
      maxAttempts: env.SYNC_MAX_ATTEMPTS,
      backoffBaseMs: env.SYNC_BACKOFF_BASE_MS,
      backoffMaxMs: env.SYNC_BACKOFF_MAX_MS,
      drainConcurrency: env.SYNC_DRAIN_CONCURRENCY,
      requestTimeoutMs: env.SYNC_REQUEST_TIMEOUT_MS,
    },
  };
}
