import type { EncryptionKeys } from '@codetrack/db';
import { loadWorkerConfig } from '../config.ts';

/*
 * Sync settings (worker environment; paste into the README's configuration table):
 *
 * | `SYNC_RATE_LIMIT_STRIPE_TEST` | worker | `25` | Requests per second to Stripe for test-mode keys (`sk_test_`, `rk_test_`). |
 * | `SYNC_RATE_LIMIT_STRIPE_LIVE` | worker | `100` | Requests per second to Stripe for live keys. |
 * | `SYNC_RATE_LIMIT_PADDLE` | worker | `4` | Requests per second to Paddle (240 per minute). |
 * | `SYNC_RATE_LIMIT_WOOCOMMERCE` | worker | `10` | Requests per second to a WooCommerce store. |
 * | `SYNC_RATE_LIMIT_SHOPIFY` | worker | `2` | Requests per second to Shopify (the REST-equivalent of the cost bucket; THROTTLED answers pause the connection for as long as Shopify says). |
 * | `SYNC_RATE_LIMIT_HEADROOM` | worker | `0.95` | Fraction of the limit actually used, so our spacing never meets the platform's window edge. |
 * | `SYNC_MAX_ATTEMPTS` | worker | `10` | Tries per change before a link becomes `failed` with the last reason. |
 * | `SYNC_BACKOFF_BASE_MS`, `SYNC_BACKOFF_MAX_MS` | worker | `1000`, `300000` | Exponential backoff (with jitter) between tries; a longer Retry-After wins. |
 * | `SYNC_DRAIN_CONCURRENCY` | worker | `8` | Requests in flight per drain job (the rate limiter still decides the pace). |
 * | `SYNC_REQUEST_TIMEOUT_MS` | worker | `20000` | Per-request timeout towards a platform. |
 *
 * A connection overrides its platform's limit with `settings.rateLimitPerSecond` (a number).
 * The limit is per connection and shared by every worker process (a token bucket in Redis).
 */

export type RateLimitDefaults = { stripeTest: number; stripeLive: number; paddle: number; woocommerce: number; shopify: number };

export type SyncSettings = {
  encryptionKeys: EncryptionKeys;
  rateLimits: RateLimitDefaults;
  headroom: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  drainConcurrency: number;
  requestTimeoutMs: number;
};

let fromEnvironment: SyncSettings | null = null;

/**
 * The settings of this process: the ones the runtime was given, else the worker configuration
 * (parsed once). Tests pass their own (small backoffs) through WorkerDeps.sync.
 */
export function resolveSyncSettings(given: Partial<SyncSettings> | undefined): SyncSettings {
  if (given && isComplete(given)) return given;
  if (!fromEnvironment) {
    const config = loadWorkerConfig();
    fromEnvironment = { encryptionKeys: config.encryptionKeys, ...config.sync };
  }
  return { ...fromEnvironment, ...given };
}

function isComplete(s: Partial<SyncSettings>): s is SyncSettings {
  return s.encryptionKeys !== undefined && s.rateLimits !== undefined && s.headroom !== undefined && s.maxAttempts !== undefined
    && s.backoffBaseMs !== undefined && s.backoffMaxMs !== undefined && s.drainConcurrency !== undefined && s.requestTimeoutMs !== undefined;
}

type ConnectionForLimit = { platform: 'stripe' | 'paddle' | 'woocommerce' | 'shopify'; settings: unknown };

/** Requests per second for one connection: its own setting, else its platform's default. */
export function rateLimitFor(connection: ConnectionForLimit, credentials: Record<string, string>, limits: RateLimitDefaults): number {
  const own = (connection.settings as { rateLimitPerSecond?: unknown } | null)?.rateLimitPerSecond;
  if (typeof own === 'number' && Number.isFinite(own) && own > 0) return own;
  switch (connection.platform) {
    case 'stripe': {
      const key = credentials.secretKey ?? credentials.apiKey ?? '';
      return /^(sk|rk)_test_/.test(key) ? limits.stripeTest : limits.stripeLive;
    }
    case 'paddle':
      return limits.paddle;
    case 'woocommerce':
      return limits.woocommerce;
    case 'shopify':
      return limits.shopify;
  }
}

/**
 * Delay before the next try: exponential from the base, capped, with "equal jitter" (half fixed,
 * half random) so many links failing together do not come back together. A platform's
 * Retry-After is a floor, never shortened by jitter.
 */
export function computeBackoffMs(input: { attempt: number; baseMs: number; maxMs: number; retryAfterMs: number | null; random?: () => number }): number {
  const exponential = Math.min(input.maxMs, input.baseMs * 2 ** Math.max(0, input.attempt - 1));
  const jittered = exponential / 2 + (input.random ?? Math.random)() * (exponential / 2);
  return Math.ceil(Math.max(jittered, input.retryAfterMs ?? 0));
}
