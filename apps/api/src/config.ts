import { z } from 'zod';
import { DEVELOPMENT_ENCRYPTION_KEYS, EncryptionKeysSetting, parseEncryptionKeys } from '@codetrack/db';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1');

/** Every setting the API reads. Parsed once at start; nothing else reads process.env. */
export const ApiEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z.string().url().optional(),
    PGLITE_DIR: z.string().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z.string().min(1).default('codetrack'),
    COOKIE_SECRET: z.string().min(32).optional(),
    PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
    APP_ORIGINS: z.string().default('http://127.0.0.1:5173,http://localhost:5173,http://127.0.0.1:5174,http://localhost:5174'),
    SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
    LOGIN_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(10),
    LOGIN_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
    SIGNUP_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(20),
    SIGNUP_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(3_600_000),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
    WEBHOOK_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(2 * 1024 * 1024),
    WEBHOOK_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
    TRUST_PROXY: bool.default(false),
    ENCRYPTION_KEYS: EncryptionKeysSetting.optional(),
    SMTP_URL: z.string().url().optional(),
    MAIL_FROM: z.string().min(3).default('Codetrack <no-reply@codetrack.local>'),
    PORTAL_URL: z.string().url().default('http://127.0.0.1:5174'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.COOKIE_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['COOKIE_SECRET'], message: 'is required in production (32+ random characters)' });
    }
    if (env.NODE_ENV === 'production' && !env.ENCRYPTION_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['ENCRYPTION_KEYS'], message: 'is required in production (keyId:base64 of 32 random bytes)' });
    }
  });

export type ApiConfig = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof ApiEnv>) {
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    database: { databaseUrl: env.DATABASE_URL, dataDir: env.PGLITE_DIR, poolSize: env.DATABASE_POOL_SIZE },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    // Development gets a fixed secret so sessions survive restarts; production must set its own.
    cookieSecret: env.COOKIE_SECRET ?? 'development-only-cookie-secret-change-me-0000',
    secureCookies: env.NODE_ENV === 'production',
    publicUrl: env.PUBLIC_URL.replace(/\/$/, ''),
    appOrigins: env.APP_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    sessionTtlMs: env.SESSION_TTL_HOURS * 3600_000,
    loginRateLimit: { max: env.LOGIN_RATE_LIMIT_MAX, windowMs: env.LOGIN_RATE_LIMIT_WINDOW_MS },
    signupRateLimit: { max: env.SIGNUP_RATE_LIMIT_MAX, windowMs: env.SIGNUP_RATE_LIMIT_WINDOW_MS },
    bodyLimit: env.BODY_LIMIT_BYTES,
    // Platforms send order bursts (Shopify bulk edits, Stripe retries after an outage): per connection, per minute.
    webhooks: { bodyLimit: env.WEBHOOK_BODY_LIMIT_BYTES, rateLimitMax: env.WEBHOOK_RATE_LIMIT_MAX },
    trustProxy: env.TRUST_PROXY,
    // Development and tests share a fixed, public key (see DEVELOPMENT_ENCRYPTION_KEYS); production must set its own.
    encryptionKeys: env.ENCRYPTION_KEYS ?? parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEYS),
    // Without SMTP_URL mail goes to the development mailbox (MailMessage rows).
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    // Invitation and password-reset links point here.
    portalUrl: env.PORTAL_URL.replace(/\/$/, ''),
  };
}

/** Parses the environment or throws one error that lists every bad setting. */
export function loadApiConfig(source: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = ApiEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return toConfig(parsed.data);
}
