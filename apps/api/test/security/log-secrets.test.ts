import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import {
  paddleTransactionCompleted,
  shopifyOrder,
  signedPaddleWebhook,
  signedShopifyWebhook,
  signedStripeWebhook,
  signedWooCommerceWebhook,
  startPaddleEmulator,
  startShopifyEmulator,
  startStripeEmulator,
  startWooCommerceEmulator,
  stripeCheckoutCompleted,
  wooOrder,
  type PaddleEmulator,
  type ShopifyEmulator,
  type StripeEmulator,
  type WooCommerceEmulator,
} from '@codetrack/testkit';
import { sessionHeaders, signUpMerchant, startTestWorker, useTestApp } from '../helpers.ts';
import { testSyncSettings, waitFor } from '../sync/helpers.ts';
import { postWebhook, waitForInbox } from '../webhooks/fixtures.ts';

/**
 * No secret reaches a log line. The real app logs at `trace` through its production logger
 * (level and redaction from the config) into a captured stream, the real worker likewise; a full
 * flow runs through both, and every captured line is searched for every secret the flow used.
 */

/** Lines written by a logger, kept in memory. */
function createLogCapture() {
  const lines: string[] = [];
  return {
    lines,
    stream: {
      write(chunk: string) {
        for (const line of chunk.split('\n')) if (line.trim()) lines.push(line);
      },
    },
  };
}

type SecretLeak = { secret: string; index: number; line: string };

/**
 * Every line that contains a secret, in any form a logger might write it: as is, JSON-escaped or
 * URL-encoded. Names the secret, never repeats it.
 */
function findSecretLeaks(lines: readonly string[], secrets: Readonly<Record<string, string>>): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (value.length < 8) throw new Error(`secret ${name} is too short to search for without false matches`);
    const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
    lines.forEach((line, index) => {
      if (![...forms].some((form) => line.includes(form))) return;
      const masked = [...forms].reduce((text, form) => text.split(form).join(`<${name}>`), line);
      leaks.push({ secret: name, index, line: masked.slice(0, 400) });
    });
  }
  return leaks;
}

describe('the secret matcher', () => {
  it('finds a secret as is, JSON-escaped and URL-encoded, names it, and passes clean lines', () => {
    const secrets = { password: 'pa"ss word/1234', token: 'tok_abcdefgh' };
    const lines = [
      '{"level":30,"msg":"incoming request","req":{"url":"/x?p=pa%22ss%20word%2F1234"}}',
      '{"level":30,"body":{"password":"pa\\"ss word/1234"}}',
      '{"level":30,"msg":"token tok_abcdefgh"}',
      '{"level":30,"msg":"request completed","res":{"statusCode":200}}',
    ];
    expect(findSecretLeaks(lines, secrets).map((l) => [l.secret, l.index])).toEqual([
      ['password', 0],
      ['password', 1],
      ['token', 2],
    ]);
    expect(findSecretLeaks(lines, secrets)[0]!.line).toBe('{"level":30,"msg":"incoming request","req":{"url":"/x?p=<password>"}}');
    expect(findSecretLeaks([lines[3]!], secrets)).toEqual([]);
    expect(() => findSecretLeaks([], { short: 'abc' })).toThrow(/too short/);
  });
});

const apiLog = createLogCapture();
const workerLog = createLogCapture();
const random = (bytes = 12) => randomBytes(bytes).toString('base64url');
const hex = (bytes = 12) => randomBytes(bytes).toString('hex');
const encryptionKey = randomBytes(32).toString('base64');
const cookieSecret = `cookie-secret-${random(24)}`;
const ctx = useTestApp(
  { LOG_LEVEL: 'trace', ENCRYPTION_KEYS: `logkey:${encryptionKey}`, COOKIE_SECRET: cookieSecret, WEBHOOK_RATE_LIMIT_MAX: '1000' },
  { logStream: apiLog.stream },
);

describe('logs at the most verbose level', () => {
  const credentials = {
    stripeKey: `sk_test_${hex(18)}`,
    paddleKey: `pdl_sdbx_apikey_${hex(18)}`,
    wooKey: `ck_${hex(18)}`,
    wooSecret: `cs_${hex(18)}`,
    shopifyToken: `shpat_${hex(18)}`,
  };
  const webhookSecrets = { stripe: `whsec_${hex(18)}`, paddle: `pdl_ntfset_${hex(18)}`, woocommerce: `woo-${hex(18)}`, shopify: `shopify-${hex(18)}` };
  let stripe: StripeEmulator;
  let paddle: PaddleEmulator;
  let woo: WooCommerceEmulator;
  let shopify: ShopifyEmulator;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    [stripe, paddle, woo, shopify] = await Promise.all([
      startStripeEmulator({ apiKey: credentials.stripeKey }),
      startPaddleEmulator({ apiKey: credentials.paddleKey }),
      startWooCommerceEmulator({ consumerKey: credentials.wooKey, consumerSecret: credentials.wooSecret }),
      startShopifyEmulator({ accessToken: credentials.shopifyToken }),
    ]);
    stopWorker = await startTestWorker(ctx, {
      logger: pino({ level: 'trace', name: 'worker' }, workerLog.stream),
      sync: { ...testSyncSettings, encryptionKeys: ctx.app.config.encryptionKeys },
    });
  });
  afterAll(async () => {
    await stopWorker?.();
    await Promise.all([stripe, paddle, woo, shopify].map((e) => e?.close()));
  });

  it('never contain a password, token, cookie, API key, credential, webhook secret, signature or key', async () => {
    const app = ctx.app;
    const secrets: Record<string, string> = {
      'ENCRYPTION_KEYS': `logkey:${encryptionKey}`,
      'encryption key material': encryptionKey,
      'COOKIE_SECRET': cookieSecret,
      'Stripe secret key': credentials.stripeKey,
      'Paddle API key': credentials.paddleKey,
      'WooCommerce consumer key': credentials.wooKey,
      'WooCommerce consumer secret': credentials.wooSecret,
      'Shopify access token': credentials.shopifyToken,
      'Stripe webhook signing secret': webhookSecrets.stripe,
      'Paddle webhook secret': webhookSecrets.paddle,
      'WooCommerce webhook secret': webhookSecrets.woocommerce,
      'Shopify app secret': webhookSecrets.shopify,
    };
    const cookiesOf = (res: { cookies: { name: string; value: string }[] }, label: string) => {
      for (const c of res.cookies) if (c.value) secrets[`${label} cookie ${c.name}`] = c.value;
    };
    const cookieHeaderValues = (header: string) => header.split('; ').map((pair) => ({ name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1) }));

    // Merchant: sign up, a wrong password, then sign in with the right one.
    const password = `merchant pass ${random()}`;
    const merchant = await signUpMerchant(app, { password });
    secrets['merchant password'] = password;
    secrets['signup CSRF token'] = merchant.me.csrfToken as string;
    cookiesOf({ cookies: cookieHeaderValues(merchant.headers.cookie) }, 'signup');
    const wrongPassword = `wrong pass ${random()}`;
    secrets['mistyped merchant password'] = wrongPassword;
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: merchant.email, password: wrongPassword } })).statusCode).toBe(401);
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: merchant.email, password } });
    expect(login.statusCode).toBe(200);
    const csrfToken = login.json().csrfToken as string;
    secrets['merchant CSRF token'] = csrfToken;
    cookiesOf(login, 'merchant');
    expect(login.cookies.map((c) => c.name)).toContain('ct_session');
    const headers = sessionHeaders(login, csrfToken);
    expect((await app.inject({ method: 'GET', url: '/api/me', headers })).statusCode).toBe(200);
    // An unsafe request without its CSRF token is refused (and is logged as a request like any other).
    expect((await app.inject({ method: 'POST', url: '/api/programs', headers: { cookie: headers.cookie }, payload: {} })).statusCode).toBe(403);

    // API key: created, then used; an unknown key is refused.
    const keyRes = await app.inject({ method: 'POST', url: '/api/api-keys', headers, payload: { name: 'ci', role: 'admin' } });
    expect(keyRes.statusCode).toBe(201);
    const apiKey = keyRes.json().key as string;
    secrets['API key'] = apiKey;
    const bearer = { authorization: `Bearer ${apiKey}` };
    const program = await app.inject({
      method: 'POST',
      url: '/api/programs',
      headers: bearer,
      payload: { name: 'Podcast partners', currency: 'usd', landingUrl: 'https://shop.example.test/', cookieLifetimeDays: 30, commission: { type: 'percent', value: 2000, duration: 'first_order' }, holdPeriodDays: 30 },
    });
    expect(program.statusCode).toBe(201);
    const programId = program.json().id as string;
    expect((await app.inject({ method: 'GET', url: '/api/programs', headers: bearer })).statusCode).toBe(200);
    const forgedKey = `ctk_${random(24)}`;
    secrets['unknown API key'] = forgedKey;
    expect((await app.inject({ method: 'GET', url: '/api/programs', headers: { authorization: `Bearer ${forgedKey}` } })).statusCode).toBe(401);

    // Connections: one whose credential check fails (a wrong key), then one per platform that works.
    const createConnection = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: `/api/programs/${programId}/connections`, headers, payload });
    const wrongStripeKey = `sk_test_${hex(18)}`;
    const unusedWebhookSecret = `whsec_${hex(18)}`;
    secrets['wrong Stripe secret key'] = wrongStripeKey;
    secrets['webhook secret of the failed connection'] = unusedWebhookSecret;
    const failed = await createConnection({ platform: 'stripe', apiBaseUrl: stripe.url, secretKey: wrongStripeKey, webhookSigningSecret: unusedWebhookSecret });
    expect([failed.statusCode, failed.json().status]).toEqual([201, 'error']);
    const payloads = {
      stripe: { platform: 'stripe', apiBaseUrl: stripe.url, secretKey: credentials.stripeKey, webhookSigningSecret: webhookSecrets.stripe },
      paddle: { platform: 'paddle', apiBaseUrl: paddle.url, apiKey: credentials.paddleKey, webhookSecret: webhookSecrets.paddle },
      woocommerce: { platform: 'woocommerce', storeUrl: woo.url, consumerKey: credentials.wooKey, consumerSecret: credentials.wooSecret, webhookSecret: webhookSecrets.woocommerce },
      shopify: { platform: 'shopify', apiBaseUrl: shopify.url, shopDomain: new URL(shopify.url).host, accessToken: credentials.shopifyToken, appSecret: webhookSecrets.shopify },
    };
    const connections = {} as Record<keyof typeof payloads, string>;
    for (const [platform, payload] of Object.entries(payloads) as [keyof typeof payloads, Record<string, unknown>][]) {
      const res = await createConnection(payload);
      expect([res.statusCode, res.json().status, res.json().lastError], platform).toEqual([201, 'connected', null]);
      connections[platform] = res.json().id;
    }
    const connectionIds = Object.values(connections);

    // A coupon and a partner code, synced to every platform by the worker with the decrypted credentials.
    const coupon = await app.inject({ method: 'POST', url: `/api/programs/${programId}/coupons`, headers, payload: { name: 'Partner 20%', discountType: 'percent', percentOffBps: 2000, connectionIds } });
    expect(coupon.statusCode).toBe(201);
    const partnerEmail = `partner-${hex(4)}@example.test`;
    const invited = await app.inject({ method: 'POST', url: `/api/programs/${programId}/partners`, headers, payload: { email: partnerEmail, name: 'Pat Partner' } });
    expect(invited.statusCode).toBe(201);
    const partner = invited.json();
    secrets['invitation token'] = partner.invitation.token;
    // The first push of the code to Stripe meets an outage: the worker's retry path runs too.
    stripe.failNext({ status: 500, times: 1, match: { method: 'POST', path: /^\/v1\/promotion_codes$/ } });
    const code = await app.inject({ method: 'POST', url: `/api/coupons/${coupon.json().id}/promotion-codes`, headers, payload: { code: 'PATLOGS20', partnerId: partner.id, restrictions: {} } });
    expect(code.statusCode).toBe(201);
    const links = await waitFor(async () => {
      const rows = await ctx.db.syncLink.findMany({ where: { connectionId: { in: connectionIds }, entityId: code.json().id } });
      return rows.length === connectionIds.length && rows.every((l) => l.state !== 'pending') ? rows : null;
    }, 'the code to sync to every platform');
    expect(links.map((l) => [l.state, l.lastError])).toEqual(connectionIds.map(() => ['synced', null]));
    expect(links.find((l) => l.connectionId === connections.stripe)?.attempts).toBe(2);

    // The partner accepts the invitation, signs out, and signs in to the portal.
    const partnerPassword = `partner pass ${random()}`;
    secrets['partner password'] = partnerPassword;
    const accepted = await app.inject({ method: 'POST', url: '/api/portal/invitations/accept', payload: { token: partner.invitation.token, password: partnerPassword } });
    expect(accepted.statusCode).toBe(200);
    cookiesOf(accepted, 'portal (invitation)');
    secrets['portal CSRF token (invitation)'] = accepted.json().csrfToken;
    const acceptedHeaders = sessionHeaders(accepted, accepted.json().csrfToken);
    expect((await app.inject({ method: 'POST', url: '/api/portal/logout', headers: acceptedHeaders })).statusCode).toBe(204);
    const portalLogin = await app.inject({ method: 'POST', url: '/api/portal/login', payload: { programId, email: partnerEmail, password: partnerPassword } });
    expect(portalLogin.statusCode).toBe(200);
    cookiesOf(portalLogin, 'portal');
    secrets['portal CSRF token'] = portalLogin.json().csrfToken;
    const portal = sessionHeaders(portalLogin, portalLogin.json().csrfToken);
    expect((await app.inject({ method: 'GET', url: '/api/portal/codes', headers: portal })).json().items.map((c: { code: string }) => c.code)).toEqual(['PATLOGS20']);
    expect((await app.inject({ method: 'PATCH', url: '/api/portal/profile', headers: portal, payload: { payoutEmail: 'payouts@example.test' } })).statusCode).toBe(200);

    // A password reset: the mailed one-time token and the new password.
    expect((await app.inject({ method: 'POST', url: '/api/portal/password-reset/request', payload: { programId, email: partnerEmail } })).statusCode).toBe(202);
    const mail = (await app.inject({ method: 'GET', url: `/api/dev/mailbox?to=${encodeURIComponent(partnerEmail)}` })).json().items.find((m: { subject: string }) => m.subject.startsWith('Reset'));
    const resetToken = decodeURIComponent(/reset-password\?token=(\S+)/.exec(mail.text)![1]!);
    secrets['password reset token'] = resetToken;
    const newPartnerPassword = `new partner pass ${random()}`;
    secrets['new partner password'] = newPartnerPassword;
    const reset = await app.inject({ method: 'POST', url: '/api/portal/password-reset/confirm', payload: { token: resetToken, password: newPartnerPassword } });
    expect(reset.statusCode).toBe(200);
    cookiesOf(reset, 'portal (reset)');
    secrets['portal CSRF token (reset)'] = reset.json().csrfToken;
    const portalAfterReset = sessionHeaders(reset, reset.json().csrfToken);

    // Signed order webhooks on every platform (Stripe's with the partner's code), processed by the worker.
    const now = Math.floor(Date.now() / 1000);
    const deliveries = {
      stripe: signedStripeWebhook({
        secret: webhookSecrets.stripe,
        payload: stripeCheckoutCompleted({ eventId: `evt_${hex(6)}`, paymentIntentId: 'pi_logs_1', amountSubtotal: 10_000, amountTotal: 10_000, promotionCodeId: 'promo_logs_1', promotionCode: 'PATLOGS20', email: 'buyer@buyers.test', created: now - 10 }),
      }),
      paddle: signedPaddleWebhook({ secret: webhookSecrets.paddle, payload: paddleTransactionCompleted({ eventId: `evt_${hex(6)}`, transactionId: 'txn_logs_1', subtotal: 5_000 }) }),
      woocommerce: signedWooCommerceWebhook({ secret: webhookSecrets.woocommerce, topic: 'order.created', payload: wooOrder({ id: 4242, subtotal: 5_000 }) }),
      shopify: signedShopifyWebhook({ secret: webhookSecrets.shopify, topic: 'orders/create', eventId: `logs-${hex(6)}`, payload: shopifyOrder({ lineItemsPrice: 5_000 }) }),
    };
    const signatureHeaders = { stripe: 'stripe-signature', paddle: 'paddle-signature', woocommerce: 'x-wc-webhook-signature', shopify: 'x-shopify-hmac-sha256' } as const;
    for (const platform of Object.keys(deliveries) as (keyof typeof deliveries)[]) {
      const delivery = deliveries[platform];
      secrets[`${platform} signature header`] = delivery.headers[signatureHeaders[platform]]!;
      expect((await postWebhook(app, platform, connections[platform], delivery)).statusCode, platform).toBe(200);
    }
    secrets['Stripe-Signature v1 digest'] = /v1=([0-9a-f]+)/.exec(deliveries.stripe.headers['stripe-signature']!)![1]!;
    // The same bytes under a forged signature are refused.
    const forged = { ...deliveries.stripe, headers: { ...deliveries.stripe.headers, 'stripe-signature': `t=${now},v1=${hex(32)}` } };
    secrets['forged Stripe-Signature header'] = forged.headers['stripe-signature'];
    expect((await postWebhook(app, 'stripe', connections.stripe, forged)).statusCode).toBe(401);
    // A signed delivery the normaliser rejects: the worker logs it (its capture must see lines too).
    const broken = stripeCheckoutCompleted({ eventId: `evt_${hex(6)}`, sessionId: 'cs_broken', amountSubtotal: 10_000, amountTotal: 10_000, created: now - 10 });
    (broken.data as { object: Record<string, unknown> }).object.amount_total = 'a lot';
    const malformed = signedStripeWebhook({ secret: webhookSecrets.stripe, payload: broken });
    secrets['Stripe-Signature header (malformed delivery)'] = malformed.headers['stripe-signature']!;
    expect((await postWebhook(app, 'stripe', connections.stripe, malformed)).statusCode).toBe(200);
    for (const connectionId of connectionIds) await waitForInbox(ctx, connectionId);
    expect(await ctx.db.webhookEvent.count({ where: { status: 'failed' } })).toBe(1);
    const commissions = await app.inject({ method: 'GET', url: '/api/portal/commissions', headers: portalAfterReset });
    expect(commissions.json().items).toHaveLength(1);

    // The captures saw the flow: request logs of the API, the failed check, the worker's rejection.
    const apiText = apiLog.lines.join('\n');
    expect(apiLog.lines.length).toBeGreaterThan(50);
    for (const url of ['/api/auth/login', '/api/api-keys', `/api/programs/${programId}/connections`, '/api/portal/invitations/accept', '/api/portal/login', `/webhooks/stripe/${connections.stripe}`]) {
      expect(apiText, `a request log of ${url}`).toContain(`"url":"${url}"`);
    }
    expect(apiText).toContain('connection check failed');
    expect(workerLog.lines.some((l) => l.includes('webhook payload rejected'))).toBe(true);

    const leaks = findSecretLeaks([...apiLog.lines.map((l) => `api: ${l}`), ...workerLog.lines.map((l) => `worker: ${l}`)], secrets);
    expect(leaks.map((l) => `${l.secret} in ${l.line}`)).toEqual([]);
    expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(35);

    // The same search over the same capture finds a secret the app's logger does write.
    app.log.info({ note: `probe ${apiKey}` }, 'planted line');
    expect(findSecretLeaks(apiLog.lines, secrets).map((l) => l.secret)).toEqual(['API key']);
  });
});
