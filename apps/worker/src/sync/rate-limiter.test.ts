import { describe, expect, it } from 'vitest';
import { useWorkerTestContext } from '../../test/helpers.ts';
import { createLimiter } from './connection-context.ts';
import { computeBackoffMs, rateLimitFor } from './settings.ts';

const ctx = useWorkerTestContext();

describe('per-connection rate limiter (Redis, shared by processes)', () => {
  it('hands out slots spaced at the rate, to every limiter on the same Redis prefix', async () => {
    // Two limiters stand for two worker processes.
    const a = createLimiter(ctx.jobs);
    const b = createLimiter(ctx.jobs);
    const waits = [];
    for (let i = 0; i < 6; i += 1) waits.push(await (i % 2 === 0 ? a : b).reserve('connection:con_shared', 10));
    // 10/s is a slot every 100 ms: the n-th caller is told to wait about n * 100 ms (less the time the calls took).
    expect(waits[0]).toBe(0);
    for (let i = 1; i < waits.length; i += 1) {
      expect(waits[i]!).toBeLessThanOrEqual(i * 100);
      expect(waits[i]!).toBeGreaterThan(i * 100 - 60);
    }
    // Another connection has its own bucket.
    expect(await a.reserve('connection:con_other', 10)).toBe(0);
  });

  it('pauses a connection for everyone after a 429 (Retry-After)', async () => {
    const limiter = createLimiter(ctx.jobs);
    await limiter.pause('connection:con_paused', 2000);
    const wait = await createLimiter(ctx.jobs).reserve('connection:con_paused', 100);
    expect(wait).toBeGreaterThan(1900);
    expect(wait).toBeLessThanOrEqual(2000);
  });
});

describe('rate limit defaults and backoff', () => {
  const limits = { stripeTest: 25, stripeLive: 100, paddle: 4, woocommerce: 10, shopify: 2 };

  it('picks Stripe test or live by the key, the platform default otherwise, and the connection setting over both', () => {
    expect(rateLimitFor({ platform: 'stripe', settings: {} }, { secretKey: 'sk_test_abc' }, limits)).toBe(25);
    expect(rateLimitFor({ platform: 'stripe', settings: {} }, { secretKey: 'rk_test_abc' }, limits)).toBe(25);
    expect(rateLimitFor({ platform: 'stripe', settings: {} }, { secretKey: 'sk_live_abc' }, limits)).toBe(100);
    expect(rateLimitFor({ platform: 'paddle', settings: {} }, {}, limits)).toBe(4);
    expect(rateLimitFor({ platform: 'woocommerce', settings: null }, {}, limits)).toBe(10);
    expect(rateLimitFor({ platform: 'shopify', settings: {} }, {}, limits)).toBe(2);
    expect(rateLimitFor({ platform: 'stripe', settings: { rateLimitPerSecond: 7 } }, { secretKey: 'sk_live_abc' }, limits)).toBe(7);
  });

  it('backs off exponentially with jitter, capped, and never shorter than Retry-After', () => {
    const base = { baseMs: 1000, maxMs: 60_000, retryAfterMs: null };
    expect(computeBackoffMs({ ...base, attempt: 1, random: () => 0 })).toBe(500);
    expect(computeBackoffMs({ ...base, attempt: 1, random: () => 1 })).toBe(1000);
    expect(computeBackoffMs({ ...base, attempt: 4, random: () => 1 })).toBe(8000);
    expect(computeBackoffMs({ ...base, attempt: 20, random: () => 1 })).toBe(60_000);
    expect(computeBackoffMs({ ...base, attempt: 1, random: () => 0, retryAfterMs: 30_000 })).toBe(30_000);
  });
});
