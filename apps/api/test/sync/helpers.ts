import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { DEVELOPMENT_ENCRYPTION_KEYS, parseEncryptionKeys } from '@codetrack/db';
import { testRedisUrl } from '@codetrack/db/testing';
import { createAdapter, type PlatformAdapter } from '@codetrack/integrations';
import {
  startPaddleEmulator,
  startShopifyEmulator,
  startStripeEmulator,
  startWooCommerceEmulator,
  type PaddleEmulator,
  type ShopifyEmulator,
  type StripeEmulator,
  type WooCommerceEmulator,
} from '@codetrack/testkit';
import type { WorkerDeps } from '@codetrack/worker/runtime';
import type { App } from '../../src/app.ts';
import type { TestContext } from '../helpers.ts';
import { createConnectionFor, createPartnerFor, createProgramFor, signUpMerchant } from '../helpers.ts';

export type Platform = 'stripe' | 'paddle' | 'woocommerce' | 'shopify';
export const platforms: Platform[] = ['stripe', 'paddle', 'woocommerce', 'shopify'];

/** Small backoffs and generous limits: tests prove behaviour, the bench measures pace. */
export const testSyncSettings: NonNullable<WorkerDeps['sync']> = {
  encryptionKeys: parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEYS),
  rateLimits: { stripeTest: 200, stripeLive: 200, paddle: 200, woocommerce: 200, shopify: 200 },
  headroom: 1,
  maxAttempts: 12,
  backoffBaseMs: 20,
  backoffMaxMs: 200,
  drainConcurrency: 4,
  requestTimeoutMs: 1000,
};

/** The real worker (every queue, every handler) on this test file's database and Redis prefix, with test sync settings. */
export async function startSyncWorker(ctx: TestContext, sync: Partial<NonNullable<WorkerDeps['sync']>> = {}) {
  const { startWorkers } = await import('@codetrack/worker/runtime');
  const running = startWorkers(
    { db: ctx.db, jobs: ctx.jobs, logger: pino({ level: 'silent' }), sweepOlderThanMs: 0, sync: { ...testSyncSettings, ...sync } },
    { connection: { url: testRedisUrl, maxRetriesPerRequest: null } as never, prefix: ctx.redisPrefix, concurrency: 4 },
  );
  return running.close;
}

/** Deletes every Redis key of this test file (what a Redis restart without persistence loses), never anything else. */
export async function flushTestPrefix(prefix: string) {
  const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls until `check` returns a truthy value (no timing is asserted: the timeout only stops a hung test). */
export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until no link of the connection is pending; returns the links. */
export async function waitForSettled(ctx: TestContext, connectionId: string) {
  return waitFor(async () => {
    const links = await ctx.db.syncLink.findMany({ where: { connectionId } });
    return links.length > 0 && links.every((l) => l.state !== 'pending') ? links : null;
  }, `sync of ${connectionId} to settle`);
}

export type Emulator = StripeEmulator | PaddleEmulator | WooCommerceEmulator | ShopifyEmulator;

/** A code as the platform holds it, in a comparable shape per platform (what the mapping must produce). */
export type PlatformCopy = Record<string, unknown> & { active: boolean; id: string };

export type Fixture = {
  platform: Platform;
  start(): Promise<Emulator>;
  connectionPayload(e: Emulator): Record<string, unknown>;
  adapter(e: Emulator): PlatformAdapter;
  /** Every object on the platform with this code (any case). */
  copies(e: Emulator, code: string): PlatformCopy[];
  /** Where creates go, for injected failures. */
  createMatch: { method: string; path: RegExp };
  /** The mapped fields of a 20% code with firstTimeOnly, minimum 50.00 USD, 50 uses, expiring 2030-01-01. */
  expected: Record<string, unknown>;
  /** Codes the platform accepts (Paddle: letters and digits only). */
  codeFor(base: string): string;
  /** The code as the platform stores it (WooCommerce: lower-case). */
  stored(code: string): string;
  /** Removes a code from the platform behind our back. */
  remove(e: Emulator, platformId: string): void;
};

const lower = (s: string) => s.toLowerCase();

export const fixtures: Record<Platform, Fixture> = {
  stripe: {
    platform: 'stripe',
    start: () => startStripeEmulator(),
    connectionPayload: (e) => ({ platform: 'stripe', apiBaseUrl: e.url, secretKey: (e as StripeEmulator).state.apiKey, webhookSigningSecret: 'whsec_sync_test' }),
    adapter: (e) => createAdapter({ platform: 'stripe', apiBaseUrl: e.url, credentials: { secretKey: (e as StripeEmulator).state.apiKey } }),
    copies: (e, code) => {
      const s = (e as StripeEmulator).state;
      return s.promotionCodes
        .filter((p) => lower(p.code) === lower(code))
        .map((p) => ({
          id: p.id,
          active: p.active,
          code: p.code,
          percentOff: s.coupons.find((c) => c.id === p.promotion.coupon)?.percent_off ?? null,
          firstTimeTransaction: p.restrictions.first_time_transaction,
          minimumAmount: p.restrictions.minimum_amount,
          minimumAmountCurrency: p.restrictions.minimum_amount_currency,
          maxRedemptions: p.max_redemptions,
          expiresAt: p.expires_at,
        }));
    },
    createMatch: { method: 'POST', path: /^\/v1\/promotion_codes$/ },
    expected: { active: true, percentOff: 20, firstTimeTransaction: true, minimumAmount: 5000, minimumAmountCurrency: 'usd', maxRedemptions: 50, expiresAt: 1893456000 },
    codeFor: (base) => base,
    stored: (code) => code,
    remove: (e, id) => {
      const s = (e as StripeEmulator).state;
      s.promotionCodes.splice(s.promotionCodes.findIndex((p) => p.id === id), 1);
    },
  },
  paddle: {
    platform: 'paddle',
    start: () => startPaddleEmulator(),
    connectionPayload: (e) => ({ platform: 'paddle', apiBaseUrl: e.url, apiKey: (e as PaddleEmulator).state.apiKey, webhookSecret: 'pdl_ntfset_sync_test' }),
    adapter: (e) => createAdapter({ platform: 'paddle', apiBaseUrl: e.url, credentials: { apiKey: (e as PaddleEmulator).state.apiKey } }),
    copies: (e, code) =>
      (e as PaddleEmulator).state.discounts
        .filter((d) => d.code !== null && lower(d.code) === lower(code))
        .map((d) => ({ id: d.id, active: d.status === 'active', code: d.code, type: d.type, amount: d.amount, usageLimit: d.usage_limit, expiresAt: d.expires_at })),
    createMatch: { method: 'POST', path: /^\/discounts$/ },
    expected: { active: true, type: 'percentage', amount: '20', usageLimit: 50, expiresAt: '2030-01-01T00:00:00Z' },
    codeFor: (base) => base.replace(/[^A-Za-z0-9]/g, ''),
    stored: (code) => code,
    remove: (e, id) => {
      const s = (e as PaddleEmulator).state;
      s.discounts.splice(s.discounts.findIndex((d) => d.id === id), 1);
    },
  },
  woocommerce: {
    platform: 'woocommerce',
    start: () => startWooCommerceEmulator(),
    connectionPayload: (e) => {
      const s = (e as WooCommerceEmulator).state;
      return { platform: 'woocommerce', storeUrl: e.url, consumerKey: s.consumerKey, consumerSecret: s.consumerSecret, webhookSecret: 'woo-sync-test' };
    },
    adapter: (e) => {
      const s = (e as WooCommerceEmulator).state;
      return createAdapter({ platform: 'woocommerce', apiBaseUrl: e.url, credentials: { consumerKey: s.consumerKey, consumerSecret: s.consumerSecret, storeCurrency: s.storeCurrency } });
    },
    copies: (e, code) =>
      (e as WooCommerceEmulator).state.coupons
        .filter((c) => lower(c.code) === lower(code) && c.status !== 'trash')
        .map((c) => ({ id: String(c.id), active: c.status === 'publish', code: c.code, discountType: c.discount_type, amount: c.amount, minimumAmount: c.minimum_amount, usageLimit: c.usage_limit, expiresAt: c.date_expires_gmt })),
    createMatch: { method: 'POST', path: /\/wc\/v3\/coupons$/ },
    expected: { active: true, discountType: 'percent', amount: '20.00', minimumAmount: '50.00', usageLimit: 50, expiresAt: '2030-01-01T00:00:00' },
    codeFor: (base) => base,
    stored: (code) => code.toLowerCase(),
    remove: (e, id) => {
      const s = (e as WooCommerceEmulator).state;
      s.coupons.splice(s.coupons.findIndex((c) => String(c.id) === id), 1);
    },
  },
  shopify: {
    platform: 'shopify',
    start: () => startShopifyEmulator(),
    connectionPayload: (e) => ({ platform: 'shopify', apiBaseUrl: e.url, shopDomain: new URL(e.url).host, accessToken: (e as ShopifyEmulator).state.accessToken, appSecret: 'shopify-sync-test' }),
    adapter: (e) => createAdapter({ platform: 'shopify', apiBaseUrl: e.url, credentials: { accessToken: (e as ShopifyEmulator).state.accessToken } }),
    copies: (e, code) =>
      (e as ShopifyEmulator).state.discounts
        .filter((d) => lower(d.code) === lower(code))
        .map((d) => ({
          id: d.id,
          active: d.endsAt === null || new Date(d.endsAt) > new Date(),
          code: d.code,
          value: d.value,
          minimumSubtotal: d.minimumSubtotal,
          usageLimit: d.usageLimit,
          endsAt: d.endsAt,
        })),
    createMatch: { method: 'POST', path: /graphql\.json$/ },
    expected: { active: true, value: { percentage: 0.2 }, minimumSubtotal: '50.00', usageLimit: 50, endsAt: '2030-01-01T00:00:00Z' },
    codeFor: (base) => base,
    stored: (code) => code,
    remove: (e, id) => {
      const s = (e as ShopifyEmulator).state;
      s.discounts.splice(s.discounts.findIndex((d) => d.id === id), 1);
    },
  },
};

export const restrictions = { firstTimeOnly: true, minimumAmount: 5000, maxRedemptions: 50, expiresAt: '2030-01-01T00:00:00.000Z' };

export const uniqueSuffix = () => randomBytes(3).toString('hex').toUpperCase().replace(/[^A-Z0-9]/g, '');

/** A merchant with a program, a connection to the emulator, and a 20% coupon syncing to it. */
export async function setupMerchant(app: App, fixture: Fixture, emulator: Emulator) {
  const merchant = await signUpMerchant(app);
  const program = await createProgramFor(app, merchant);
  const connection = await createConnectionFor(app, merchant, program.id, fixture.connectionPayload(emulator));
  if (connection.status !== 'connected') throw new Error(`connection not connected: ${connection.lastError}`);
  const couponRes = await app.inject({
    method: 'POST',
    url: `/api/programs/${program.id}/coupons`,
    headers: merchant.headers,
    payload: { name: 'Partner 20%', discountType: 'percent', percentOffBps: 2000, connectionIds: [connection.id] },
  });
  if (couponRes.statusCode !== 201) throw new Error(`coupon failed: ${couponRes.body}`);
  return { merchant, program, connection, coupon: couponRes.json() as { id: string } };
}

/** Creates a code through the API (for a new partner when `withPartner`). */
export async function createCode(app: App, setup: Awaited<ReturnType<typeof setupMerchant>>, code: string, opts: { restrictions?: Record<string, unknown>; withPartner?: boolean } = {}) {
  const partnerId = opts.withPartner ? (await createPartnerFor(app, setup.merchant, setup.program.id)).id : undefined;
  const res = await app.inject({
    method: 'POST',
    url: `/api/coupons/${setup.coupon.id}/promotion-codes`,
    headers: setup.merchant.headers,
    payload: { code, ...(partnerId ? { partnerId } : {}), restrictions: opts.restrictions ?? {} },
  });
  if (res.statusCode !== 201) throw new Error(`code failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; code: string };
}
