import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_ENCRYPTION_KEYS, decryptConnectionCredentials, decryptWebhookSecret, parseEncryptionKeys, reencryptConnection } from '@codetrack/db';
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
import { buildApp } from '../../app.ts';
import { apiKeyHeaders, createConnectionFor, createProgramFor, signUpMerchant, useTestApp } from '../../../test/helpers.ts';

const ctx = useTestApp();

let stripe: StripeEmulator;
let paddle: PaddleEmulator;
let woo: WooCommerceEmulator;
let shopify: ShopifyEmulator;

beforeAll(async () => {
  [stripe, paddle, woo, shopify] = await Promise.all([startStripeEmulator(), startPaddleEmulator(), startWooCommerceEmulator(), startShopifyEmulator()]);
});

afterAll(async () => {
  await Promise.all([stripe, paddle, woo, shopify].map((e) => e?.close()));
});

type Platform = 'stripe' | 'paddle' | 'woocommerce' | 'shopify';

/** Per platform: a body the emulator accepts, the same with a bad key, and what must never leak. */
const platforms: Record<
  Platform,
  {
    valid: () => Record<string, unknown>;
    badKey: () => Record<string, unknown>;
    secrets: () => string[];
    /** What the encrypted columns must hold for a valid() body. */
    stored: () => { credentials: Record<string, string>; webhookSecret: string };
    rejected: RegExp;
    events: string[];
    enforcedAtAttribution: string[];
  }
> = {
  stripe: {
    valid: () => ({ platform: 'stripe', apiBaseUrl: stripe.url, secretKey: stripe.state.apiKey, webhookSigningSecret: 'whsec_stripe_signing_secret_1' }),
    badKey: () => ({ platform: 'stripe', apiBaseUrl: stripe.url, secretKey: 'sk_test_not_the_right_key_42', webhookSigningSecret: 'whsec_stripe_signing_secret_2' }),
    secrets: () => [stripe.state.apiKey, 'whsec_stripe_signing_secret_1', 'sk_test_not_the_right_key_42', 'whsec_stripe_signing_secret_2'],
    stored: () => ({ credentials: { secretKey: stripe.state.apiKey }, webhookSecret: 'whsec_stripe_signing_secret_1' }),
    rejected: /^The API key was rejected by Stripe\. Check that you copied the secret key of the right account \(test or live\)\.$/,
    events: ['checkout.session.completed', 'invoice.paid', 'charge.refunded', 'coupon.created', 'coupon.updated', 'coupon.deleted', 'promotion_code.created', 'promotion_code.updated'],
    enforcedAtAttribution: [],
  },
  paddle: {
    valid: () => ({ platform: 'paddle', apiBaseUrl: paddle.url, apiKey: paddle.state.apiKey, webhookSecret: 'pdl_ntfset_paddle_secret_1' }),
    badKey: () => ({ platform: 'paddle', apiBaseUrl: paddle.url, apiKey: 'pdl_sdbx_apikey_wrong_key_42', webhookSecret: 'pdl_ntfset_paddle_secret_2' }),
    secrets: () => [paddle.state.apiKey, 'pdl_ntfset_paddle_secret_1', 'pdl_sdbx_apikey_wrong_key_42', 'pdl_ntfset_paddle_secret_2'],
    stored: () => ({ credentials: { apiKey: paddle.state.apiKey }, webhookSecret: 'pdl_ntfset_paddle_secret_1' }),
    rejected: /^The API key was rejected by Paddle\. .*sandbox or live/,
    events: ['transaction.completed', 'adjustment.created', 'adjustment.updated', 'discount.created', 'discount.updated', 'discount.imported'],
    enforcedAtAttribution: ['firstTimeOnly', 'minimumAmount'],
  },
  woocommerce: {
    valid: () => ({ platform: 'woocommerce', storeUrl: woo.url, consumerKey: woo.state.consumerKey, consumerSecret: woo.state.consumerSecret, webhookSecret: 'woo-webhook-secret-1' }),
    badKey: () => ({ platform: 'woocommerce', storeUrl: woo.url, consumerKey: woo.state.consumerKey, consumerSecret: 'cs_wrongsecret42', webhookSecret: 'woo-webhook-secret-2' }),
    secrets: () => [woo.state.consumerSecret, 'woo-webhook-secret-1', 'cs_wrongsecret42', 'woo-webhook-secret-2'],
    // The store currency defaults to the program's.
    stored: () => ({
      credentials: { storeUrl: woo.url, consumerKey: woo.state.consumerKey, consumerSecret: woo.state.consumerSecret, storeCurrency: 'USD' },
      webhookSecret: 'woo-webhook-secret-1',
    }),
    rejected: /^The consumer key and secret were rejected by the store\. .*Read\/Write/,
    events: ['order.created', 'order.updated', 'coupon.created', 'coupon.updated', 'coupon.deleted'],
    enforcedAtAttribution: ['firstTimeOnly'],
  },
  shopify: {
    valid: () => ({ platform: 'shopify', apiBaseUrl: shopify.url, shopDomain: new URL(shopify.url).host, accessToken: shopify.state.accessToken, appSecret: 'shopify-app-secret-1' }),
    badKey: () => ({ platform: 'shopify', apiBaseUrl: shopify.url, shopDomain: new URL(shopify.url).host, accessToken: 'shpat_wrong_token_42', appSecret: 'shopify-app-secret-2' }),
    secrets: () => [shopify.state.accessToken, 'shopify-app-secret-1', 'shpat_wrong_token_42', 'shopify-app-secret-2'],
    stored: () => ({ credentials: { shop: new URL(shopify.url).host, accessToken: shopify.state.accessToken }, webhookSecret: 'shopify-app-secret-1' }),
    rejected: /^The access token was rejected by Shopify\. /,
    events: ['orders/create', 'orders/paid', 'orders/cancelled', 'refunds/create', 'discounts/create', 'discounts/update', 'discounts/delete'],
    enforcedAtAttribution: ['firstTimeOnly'],
  },
};

const allRestrictions = ['firstTimeOnly', 'minimumAmount', 'expiresAt', 'maxRedemptions'];

function expectNoSecrets(text: string, secrets: string[]) {
  for (const secret of secrets) expect(text, `leaks ${secret.slice(0, 6)}...`).not.toContain(secret);
}

async function setUp() {
  const m = await signUpMerchant(ctx.app);
  const program = await createProgramFor(ctx.app, m);
  return { m, program, base: `/api/programs/${program.id}/connections` };
}

describe.each(Object.keys(platforms) as Platform[])('%s connections', (platform) => {
  const spec = platforms[platform];

  it('connects with valid credentials, answers the webhook setup, and stores only ciphertext', async () => {
    const { m, program, base } = await setUp();
    const res = await ctx.app.inject({ method: 'POST', url: base, headers: m.headers, payload: spec.valid() });
    expect(res.statusCode).toBe(201);
    const connection = res.json();
    expect(connection).toMatchObject({ programId: program.id, platform, status: 'connected', lastError: null });
    expect(Date.parse(connection.lastCheckedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(connection.webhook.url).toBe(`${ctx.app.config.publicUrl}/webhooks/${platform}/${connection.id}`);
    expect(connection.webhook.events).toEqual(spec.events);
    expect(connection.webhook.secretConfigured).toBe(true);
    expect(connection.webhook.instructions.length).toBeGreaterThan(40);
    expect(connection.capabilities.enforcedAtAttribution).toEqual(spec.enforcedAtAttribution);
    expect(connection.capabilities.enforcedByPlatform).toEqual(allRestrictions.filter((r) => !spec.enforcedAtAttribution.includes(r)));
    expectNoSecrets(res.body, spec.secrets());

    const read = await ctx.app.inject({ method: 'GET', url: `${base}/${connection.id}`, headers: m.headers });
    expect(read.json()).toEqual(connection);
    const list = await ctx.app.inject({ method: 'GET', url: base, headers: m.headers });
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([connection.id]);
    expectNoSecrets(read.body + list.body, spec.secrets());

    const row = await ctx.db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expectNoSecrets(JSON.stringify(row), spec.secrets());
    expect(row.credentialsEncrypted).toMatch(/^v1\./);
    expect(row.encryptionKeyId).toBe(ctx.app.config.encryptionKeys.current.id);
    // The ciphertext holds what the merchant entered, under the names the adapters read.
    expect(decryptConnectionCredentials(ctx.app.config.encryptionKeys, row)).toEqual(spec.stored().credentials);
    expect(decryptWebhookSecret(ctx.app.config.encryptionKeys, row)).toBe(spec.stored().webhookSecret);

    const audit = await ctx.db.auditLog.findMany({ where: { entityId: connection.id } });
    expect(audit.map((a) => a.action)).toEqual(['connection.created']);
    expectNoSecrets(JSON.stringify(audit), spec.secrets());
  });

  it('keeps a connection with a rejected key as error, with a reason the merchant understands', async () => {
    const { m, base } = await setUp();
    const res = await ctx.app.inject({ method: 'POST', url: base, headers: m.headers, payload: spec.badKey() });
    expect(res.statusCode).toBe(201);
    const connection = res.json();
    expect(connection.status).toBe('error');
    expect(connection.lastError).toMatch(spec.rejected);
    expectNoSecrets(res.body, spec.secrets());
    const row = await ctx.db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(row.status).toBe('error');
    expectNoSecrets(JSON.stringify(row), spec.secrets());
  });
});

describe('connections', () => {
  it('explains an unreachable platform and recovers on verify', async () => {
    const { m, base } = await setUp();
    stripe.failNext({ status: 503 });
    const created = await createConnectionFor(ctx.app, m, base.split('/')[3]!, platforms.stripe.valid());
    expect(created.status).toBe('error');
    expect(created.lastError).toMatch(/^Could not reach Stripe at 127\.0\.0\.1:\d+ .*try again/);

    const verified = await ctx.app.inject({ method: 'POST', url: `${base}/${created.id}/verify`, headers: m.headers });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ status: 'connected', lastError: null });
    const audit = await ctx.db.auditLog.findFirst({ where: { entityId: created.id, action: 'connection.verified' } });
    expect(audit?.data).toMatchObject({ status: 'connected' });
  });

  it('explains a store that cannot be reached', async () => {
    const { m, base } = await setUp();
    woo.failNext({ dropConnection: true });
    const res = await ctx.app.inject({ method: 'POST', url: base, headers: m.headers, payload: platforms.woocommerce.valid() });
    expect(res.json().lastError).toMatch(/^Could not reach the store at 127\.0\.0\.1:\d+ .*Check the store URL/);
  });

  it('verify notices a key revoked on the platform', async () => {
    const { m, base } = await setUp();
    const apiKey = 'pdl_sdbx_apikey_soon_revoked';
    const own = await startPaddleEmulator({ apiKey });
    try {
      const created = await createConnectionFor(ctx.app, m, base.split('/')[3]!, { platform: 'paddle', apiBaseUrl: own.url, apiKey });
      expect(created.status).toBe('connected');
      own.state.apiKey = 'pdl_sdbx_apikey_replacement';
      const res = await ctx.app.inject({ method: 'POST', url: `${base}/${created.id}/verify`, headers: m.headers });
      expect(res.json()).toMatchObject({ status: 'error', lastError: expect.stringMatching(/rejected by Paddle/) });
    } finally {
      await own.close();
    }
  });

  it('rotates credentials and the webhook secret through PATCH, re-checking them', async () => {
    const { m, base } = await setUp();
    const created = await createConnectionFor(ctx.app, m, base.split('/')[3]!, { ...platforms.stripe.badKey(), webhookSigningSecret: undefined, name: 'Live account' });
    expect(created).toMatchObject({ status: 'error', name: 'Live account', webhook: expect.objectContaining({ secretConfigured: false }) });
    expect((created.webhook as { instructions: string }).instructions).toMatch(/deliveries are refused/);

    const fixed = await ctx.app.inject({ method: 'PATCH', url: `${base}/${created.id}`, headers: m.headers, payload: { platform: 'stripe', secretKey: `  ${stripe.state.apiKey}\n` } });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json()).toMatchObject({ status: 'connected', lastError: null, name: 'Live account', webhook: expect.objectContaining({ secretConfigured: false }) });

    const withSecret = await ctx.app.inject({ method: 'PATCH', url: `${base}/${created.id}`, headers: m.headers, payload: { platform: 'stripe', webhookSigningSecret: 'whsec_added_later' } });
    expect(withSecret.json().webhook.secretConfigured).toBe(true);
    expectNoSecrets(fixed.body + withSecret.body, [stripe.state.apiKey, 'whsec_added_later']);
    const row = await ctx.db.connection.findUniqueOrThrow({ where: { id: created.id } });
    expect(decryptConnectionCredentials(ctx.app.config.encryptionKeys, row)).toEqual({ secretKey: stripe.state.apiKey });
    expect(decryptWebhookSecret(ctx.app.config.encryptionKeys, row)).toBe('whsec_added_later');

    const before = stripe.requests.length;
    const renamed = await ctx.app.inject({ method: 'PATCH', url: `${base}/${created.id}`, headers: m.headers, payload: { platform: 'stripe', name: 'Main Stripe' } });
    expect(renamed.json()).toMatchObject({ name: 'Main Stripe', status: 'connected' });
    expect(stripe.requests.length).toBe(before);

    const moved = await ctx.app.inject({ method: 'PATCH', url: `${base}/${created.id}`, headers: m.headers, payload: { platform: 'stripe', apiBaseUrl: paddle.url } });
    expect(moved.json()).toMatchObject({ apiBaseUrl: paddle.url, status: 'error' });

    const audit = await ctx.db.auditLog.findMany({ where: { entityId: created.id, action: 'connection.updated' }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => (a.data as { changed: string[] }).changed)).toEqual([['credentials.secretKey'], ['webhookSecret'], ['name'], ['apiBaseUrl']]);
    expectNoSecrets(JSON.stringify(audit), [stripe.state.apiKey, 'whsec_added_later']);
  });

  it('refuses a PATCH for another platform, naming the field', async () => {
    const { m, base } = await setUp();
    const created = await createConnectionFor(ctx.app, m, base.split('/')[3]!, platforms.stripe.valid());
    const res = await ctx.app.inject({ method: 'PATCH', url: `${base}/${created.id}`, headers: m.headers, payload: { platform: 'paddle', apiKey: 'pdl_x_key' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'platform_mismatch', details: [{ path: 'body.platform', message: 'must be stripe' }] });
  });

  it('disables instead of deleting, keeps the row, and refuses later changes', async () => {
    const { m, base } = await setUp();
    const created = await createConnectionFor(ctx.app, m, base.split('/')[3]!, platforms.shopify.valid());
    const res = await ctx.app.inject({ method: 'DELETE', url: `${base}/${created.id}`, headers: m.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('disabled');
    expect((await ctx.db.connection.findUniqueOrThrow({ where: { id: created.id } })).status).toBe('disabled');
    expect((await ctx.app.inject({ method: 'DELETE', url: `${base}/${created.id}`, headers: m.headers })).json().status).toBe('disabled');

    const patch = await ctx.app.inject({ method: 'PATCH', url: `${base}/${created.id}`, headers: m.headers, payload: { platform: 'shopify', name: 'again' } });
    expect(patch.statusCode).toBe(409);
    expect(patch.json().error.code).toBe('connection_disabled');
    expect((await ctx.app.inject({ method: 'POST', url: `${base}/${created.id}/verify`, headers: m.headers })).statusCode).toBe(409);

    const disabled = await ctx.app.inject({ method: 'GET', url: `${base}?status=disabled`, headers: m.headers });
    expect(disabled.json().items.map((c: { id: string }) => c.id)).toEqual([created.id]);
    const connected = await ctx.app.inject({ method: 'GET', url: `${base}?status=connected`, headers: m.headers });
    expect(connected.json().items).toEqual([]);
    const actions = (await ctx.db.auditLog.findMany({ where: { entityId: created.id } })).map((a) => a.action);
    expect(actions.filter((a) => a === 'connection.disabled')).toHaveLength(1);
  });

  it('refuses new connections on an archived program', async () => {
    const { m, program, base } = await setUp();
    await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/archive`, headers: m.headers });
    const res = await ctx.app.inject({ method: 'POST', url: base, headers: m.headers, payload: platforms.stripe.valid() });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('program_archived');
  });

  it('names every invalid field per platform and stores nothing', async () => {
    const { m, program, base } = await setUp();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ platform: 'stripe' }, ['body.secretKey']],
      [{ platform: 'stripe', secretKey: 'pk_test_publishable_leak', webhookSigningSecret: 'sec_nope_leak' }, ['body.secretKey', 'body.webhookSigningSecret']],
      [{ platform: 'stripe', secretKey: 'sk_test_ok', apiBaseUrl: 'ftp://127.0.0.1/' }, ['body.apiBaseUrl']],
      [{ platform: 'paddle' }, ['body.apiKey']],
      [{ platform: 'paddle', apiKey: 'has spaces in it_leak' }, ['body.apiKey']],
      [{ platform: 'woocommerce' }, ['body.storeUrl', 'body.consumerKey', 'body.consumerSecret']],
      [{ platform: 'woocommerce', storeUrl: 'shop.example.test', consumerKey: 'key_leak', consumerSecret: 'secret_leak' }, ['body.storeUrl', 'body.consumerKey', 'body.consumerSecret']],
      [{ platform: 'shopify' }, ['body.shopDomain', 'body.accessToken']],
      [{ platform: 'shopify', shopDomain: 'my-shop.myshopify.com', accessToken: 'token_leak' }, ['body.accessToken']],
      [{ platform: 'shopify', shopDomain: 'www.my-shop.test', accessToken: 'shpat_fine' }, ['body.shopDomain']],
      [{ platform: 'square', secretKey: 'sk_test_x' }, ['body.platform']],
    ];
    for (const [payload, paths] of cases) {
      const res = await ctx.app.inject({ method: 'POST', url: base, headers: m.headers, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.details.map((d: { path: string }) => d.path).sort(), JSON.stringify(payload)).toEqual([...paths].sort());
      expect(res.body).not.toMatch(/_leak/);
    }
    expect(await ctx.db.connection.count({ where: { programId: program.id } })).toBe(0);
  });

  it('accepts a myshopify domain pasted as an admin URL', async () => {
    const { m, base } = await setUp();
    const res = await ctx.app.inject({
      method: 'POST',
      url: base,
      headers: m.headers,
      // No emulator behind it: the check fails, but the input is valid and normalised.
      payload: { platform: 'shopify', shopDomain: 'https://My-Shop.myshopify.com/admin', accessToken: 'shpat_x', apiBaseUrl: 'http://127.0.0.1:1' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().account.shopDomain).toBe('my-shop.myshopify.com');
    expect(res.json().name).toBe('Shopify my-shop.myshopify.com');
  });

  it('keeps working across a key rotation, and reencrypt moves a row to the new key', async () => {
    const { m, program, base } = await setUp();
    const created = await createConnectionFor(ctx.app, m, program.id, platforms.paddle.valid());
    const oldKeyId = ctx.app.config.encryptionKeys.current.id;
    const keys = parseEncryptionKeys(`k2026:${randomBytes(32).toString('base64')},${DEVELOPMENT_ENCRYPTION_KEYS}`);
    const rotated = await buildApp({ config: { ...ctx.app.config, encryptionKeys: keys }, db: ctx.db, redis: ctx.redis, jobs: ctx.jobs, logger: false });
    try {
      await rotated.ready();
      const verify = () => rotated.inject({ method: 'POST', url: `${base}/${created.id}/verify`, headers: m.headers });
      expect((await verify()).json().status).toBe('connected');
      expect((await ctx.db.connection.findUniqueOrThrow({ where: { id: created.id } })).encryptionKeyId).toBe(oldKeyId);

      expect(await reencryptConnection(ctx.db, keys, created.id)).toBe(true);
      expect(await reencryptConnection(ctx.db, keys, created.id)).toBe(false);
      const row = await ctx.db.connection.findUniqueOrThrow({ where: { id: created.id } });
      expect(row.encryptionKeyId).toBe('k2026');
      expect(decryptWebhookSecret(keys, row)).toBe(platforms.paddle.stored().webhookSecret);
      expect((await verify()).json().status).toBe('connected');
      // The old key alone can no longer read the row: the merchant is told to enter the key again.
      const stale = await ctx.app.inject({ method: 'POST', url: `${base}/${created.id}/verify`, headers: m.headers });
      expect(stale.json()).toMatchObject({ status: 'error', lastError: expect.stringMatching(/can no longer be decrypted/) });
    } finally {
      await rotated.close();
    }
  });

  it('never writes a secret to the log', async () => {
    const lines: string[] = [];
    const app = await buildApp({
      config: ctx.app.config,
      db: ctx.db,
      redis: ctx.redis,
      jobs: ctx.jobs,
      logger: { level: 'trace', stream: { write: (line: string) => lines.push(line) } },
    });
    try {
      await app.ready();
      const m = await signUpMerchant(app);
      const program = await createProgramFor(app, m);
      for (const spec of Object.values(platforms)) {
        await createConnectionFor(app, m, program.id, spec.valid());
        await createConnectionFor(app, m, program.id, spec.badKey());
        expectNoSecrets(lines.join('\n'), spec.secrets());
      }
      expect(lines.join('\n')).toContain('connection check failed');
    } finally {
      await app.close();
    }
  });

  it('documents every route and response in OpenAPI', async () => {
    const spec = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const list = spec.paths['/api/programs/{programId}/connections'];
    const one = spec.paths['/api/programs/{programId}/connections/{connectionId}'];
    expect(Object.keys(list.post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409']));
    expect(JSON.stringify(list.post.requestBody)).toContain('webhookSigningSecret');
    expect(Object.keys(one)).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(spec.paths['/api/programs/{programId}/connections/{connectionId}/verify'].post.responses['200']).toBeDefined();
  });

  it('gives another workspace 404 on every route and a viewer 403 on writes', async () => {
    const a = await setUp();
    const b = await signUpMerchant(ctx.app);
    const created = await createConnectionFor(ctx.app, a.m, a.program.id, platforms.stripe.valid());
    const one = `${a.base}/${created.id}`;
    const routes = [
      ['GET', a.base, undefined],
      ['POST', a.base, platforms.stripe.valid()],
      ['GET', one, undefined],
      ['PATCH', one, { platform: 'stripe', name: 'stolen' }],
      ['POST', `${one}/verify`, undefined],
      ['DELETE', one, undefined],
    ] as const;
    for (const [method, url, payload] of routes) {
      const res = await ctx.app.inject({ method, url, headers: b.headers, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    // A connection is also not found through another program of the same workspace.
    const other = await createProgramFor(ctx.app, a.m);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/programs/${other.id}/connections/${created.id}`, headers: a.m.headers })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/programs/${other.id}/connections/${created.id}`, headers: a.m.headers })).statusCode).toBe(404);
    expect((await ctx.db.connection.findUniqueOrThrow({ where: { id: created.id } })).status).toBe('connected');
    expect(await ctx.db.connection.count({ where: { workspaceId: b.workspaceId } })).toBe(0);

    const viewer = await apiKeyHeaders(ctx.app, a.m, 'viewer');
    for (const [method, url, payload] of routes) {
      const res = await ctx.app.inject({ method, url, headers: viewer, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `viewer ${method} ${url}`).toBe(method === 'GET' ? 200 : 403);
    }
    expect((await ctx.db.connection.findUniqueOrThrow({ where: { id: created.id } })).status).toBe('connected');
  });
});
