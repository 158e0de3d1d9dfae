import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { processWebhookJob, queues } from '@codetrack/contracts';
import { createPrismaClient } from '@codetrack/db';
import { JobProducer } from '@codetrack/db/jobs';
import { testRedisUrl } from '@codetrack/db/testing';
import { signedShopifyWebhook, signedStripeWebhook, signedWooCommerceWebhook, shopifyOrder, stripeCheckoutCompleted, wooCommercePing, wooOrder } from '@codetrack/testkit';
import { buildApp } from '../../src/app.ts';
import { loadApiConfig } from '../../src/config.ts';
import { useTestApp } from '../helpers.ts';
import { countWebhookRows, createConnection, postWebhook, setUpShop, webhookSecrets, type Shop } from './fixtures.ts';

// No worker here: these tests look at what the ingress stores and enqueues, not at processing.
const ctx = useTestApp({ WEBHOOK_BODY_LIMIT_BYTES: '65536' });
let shop: Shop;

beforeAll(async () => {
  shop = await setUpShop(ctx);
});

const stripeOrder = (eventId: string) =>
  signedStripeWebhook({ secret: webhookSecrets.stripe, payload: stripeCheckoutCompleted({ eventId, amountSubtotal: 5_000, amountTotal: 5_000, created: Math.floor(Date.now() / 1000) }) });

describe('webhook ingress', () => {
  it('stores a signed delivery once with the headers the normaliser needs, and enqueues it once', async () => {
    const delivery = signedShopifyWebhook({ secret: webhookSecrets.shopify, topic: 'orders/create', eventId: 'ingress-event-1', payload: shopifyOrder({ lineItemsPrice: 1_000 }) });
    const first = await postWebhook(ctx.app, 'shopify', shop.connections.shopify.id, delivery);
    const second = await postWebhook(ctx.app, 'shopify', shop.connections.shopify.id, delivery);
    expect([first.statusCode, first.json()]).toEqual([200, { received: true, duplicate: false }]);
    expect([second.statusCode, second.json()]).toEqual([200, { received: true, duplicate: true }]);

    const rows = await ctx.db.webhookEvent.findMany({ where: { connectionId: shop.connections.shopify.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ dedupeKey: 'ingress-event-1', topic: 'orders/create', status: 'received', platform: 'shopify', workspaceId: shop.workspaceId });
    const headers = rows[0]!.headers as Record<string, string>;
    expect(headers['x-shopify-topic']).toBe('orders/create');
    expect(headers['x-shopify-event-id']).toBe('ingress-event-1');
    expect(headers).not.toHaveProperty('x-shopify-hmac-sha256');

    const queued = await ctx.jobs.queue(queues.webhooks).getJobs(['waiting', 'delayed', 'prioritized']);
    expect(queued.filter((j) => j.name === processWebhookJob.name).map((j) => j.data)).toEqual([{ webhookEventId: rows[0]!.id }]);
  });

  it("answers WooCommerce's unsigned ping with 200 and stores nothing", async () => {
    const before = await countWebhookRows(ctx);
    const res = await postWebhook(ctx.app, 'woocommerce', shop.connections.woocommerce.id, wooCommercePing());
    expect(res.statusCode).toBe(200);
    expect(await countWebhookRows(ctx)).toEqual(before);
  });

  it('answers 404 for an unknown connection, another platform in the path, or a disabled connection', async () => {
    const disabled = await createConnection(ctx, { workspaceId: shop.workspaceId, programId: shop.program.id, platform: 'stripe', status: 'disabled' });
    const before = await countWebhookRows(ctx);
    const delivery = stripeOrder('evt_not_found_1');
    for (const [platform, connectionId] of [
      ['stripe', 'con_does_not_exist'],
      ['paddle', shop.connections.stripe.id],
      ['stripe', disabled.id],
    ] as const) {
      const res = await postWebhook(ctx.app, platform, connectionId, delivery);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect(await countWebhookRows(ctx)).toEqual(before);
  });

  it('answers 401 while the connection has no webhook secret, and for a Stripe timestamp outside the tolerance', async () => {
    const noSecret = await createConnection(ctx, { workspaceId: shop.workspaceId, programId: shop.program.id, platform: 'stripe', webhookSecret: null });
    const before = await countWebhookRows(ctx);
    const unsignable = await postWebhook(ctx.app, 'stripe', noSecret.id, stripeOrder('evt_no_secret_1'));
    expect(unsignable.statusCode).toBe(401);
    const stale = signedStripeWebhook({ secret: webhookSecrets.stripe, timestamp: Math.floor(Date.now() / 1000) - 3_600, payload: stripeCheckoutCompleted({ eventId: 'evt_stale_1', amountSubtotal: 5_000, amountTotal: 5_000 }) });
    const old = await postWebhook(ctx.app, 'stripe', shop.connections.stripe.id, stale);
    expect(old.statusCode).toBe(401);
    expect(old.json().error.message).toMatch(/tolerance/);
    expect(await countWebhookRows(ctx)).toEqual(before);
  });

  it('refuses a body over the webhook limit with 413 and leaves the other routes parsing JSON as before', async () => {
    const payload = wooOrder({ id: 77, subtotal: 1_000 });
    (payload as Record<string, unknown>).padding = 'x'.repeat(70_000);
    const big = signedWooCommerceWebhook({ secret: webhookSecrets.woocommerce, topic: 'order.created', payload });
    const res = await postWebhook(ctx.app, 'woocommerce', shop.connections.woocommerce.id, big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');

    const login = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email": "nobody@example.test", "password": "wrong password"}' });
    expect(login.statusCode).toBe(401);
  });

  it('answers 503 in the error format when the database is unreachable, so the platform retries', async () => {
    const config = loadApiConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x', REDIS_URL: testRedisUrl, REDIS_PREFIX: ctx.redisPrefix, LOG_LEVEL: 'silent' });
    const db = createPrismaClient({ ...config.database });
    const down = await buildApp({ config, db, redis: ctx.redis, jobs: ctx.jobs, logger: false });
    try {
      const res = await postWebhook(down, 'stripe', shop.connections.stripe.id, stripeOrder('evt_db_down_1'));
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('unavailable');
    } finally {
      await down.close();
      await db.$disconnect();
    }
  });

  it('stores and accepts a delivery while Redis is down (the rate limiter lets it through; the sweeper enqueues it later)', async () => {
    // Nothing listens on port 1: every Redis command fails at once, as during a Redis restart.
    const unreachable = { host: '127.0.0.1', port: 1, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null };
    const redis = new Redis({ ...unreachable, lazyConnect: true });
    redis.on('error', () => undefined);
    const jobs = new JobProducer({ connection: unreachable as never, prefix: ctx.redisPrefix });
    const down = await buildApp({ config: ctx.app.config, db: ctx.db, redis, jobs, logger: false });
    try {
      const res = await postWebhook(down, 'stripe', shop.connections.stripe.id, stripeOrder('evt_redis_down_1'));
      expect([res.statusCode, res.json()]).toEqual([200, { received: true, duplicate: false }]);
      expect(await ctx.db.webhookEvent.findMany({ where: { dedupeKey: 'evt_redis_down_1' }, select: { status: true } })).toEqual([{ status: 'received' }]);
    } finally {
      await down.close();
      await jobs.close().catch(() => undefined);
      redis.disconnect();
    }
  });
});
