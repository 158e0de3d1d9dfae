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
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).default(30_000),
  SWEEP_OLDER_THAN_MS: z.coerce.number().int().min(0).default(30_000),
  ENCRYPTION_KEYS: EncryptionKeysSetting.optional(),
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
    sweep: { intervalMs: env.SWEEP_INTERVAL_MS, olderThanMs: env.SWEEP_OLDER_THAN_MS },
    // Development and tests share a fixed, public key (see DEVELOPMENT_ENCRYPTION_KEYS); production must set its own.
    encryptionKeys: env.ENCRYPTION_KEYS ?? parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEYS),
  };
}
