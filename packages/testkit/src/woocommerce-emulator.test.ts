import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signWooCommercePayload, startWooCommerceEmulator } from './woocommerce-emulator.ts';
import type { WooCommerceEmulator } from './woocommerce-emulator.ts';

const rfc3986 = (value: string) => encodeURIComponent(value).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A one-legged OAuth 1.0a signed URL, as RFC 5849 section 3.4 describes it. */
function signedUrl(input: { method: string; url: string; key: string; secret: string; params?: Record<string, string>; timestamp?: number; nonce?: string }): URL {
  const oauth: Record<string, string> = {
    ...input.params,
    oauth_consumer_key: input.key,
    oauth_nonce: input.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(input.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
  };
  const normalized = Object.entries(oauth)
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort()
    .join('&');
  const base = `${input.method}&${rfc3986(input.url)}&${rfc3986(normalized)}`;
  const signature = createHmac('sha256', `${input.secret}&`).update(base).digest('base64');
  const url = new URL(input.url);
  for (const [k, v] of Object.entries({ ...oauth, oauth_signature: signature })) url.searchParams.set(k, v);
  return url;
}

describe('WooCommerce emulator', () => {
  let emulator: WooCommerceEmulator;
  let couponsUrl: string;
  const basic = () => `Basic ${Buffer.from(`${emulator.state.consumerKey}:${emulator.state.consumerSecret}`).toString('base64')}`;
  const post = (body: unknown) =>
    fetch(couponsUrl, { method: 'POST', headers: { authorization: basic(), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeEach(async () => {
    emulator = await startWooCommerceEmulator();
    couponsUrl = `${emulator.url}/wp-json/wc/v3/coupons`;
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('verifies OAuth 1.0a signatures and refuses tampering, replays and stale timestamps', async () => {
    const credentials = { key: emulator.state.consumerKey, secret: emulator.state.consumerSecret };
    const good = signedUrl({ method: 'GET', url: couponsUrl, params: { per_page: '5', search: 'a b' }, ...credentials });
    expect((await fetch(good)).status).toBe(200);

    const replay = await fetch(good);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ code: 'woocommerce_rest_authentication_error', message: 'Invalid nonce - nonce has already been used.' });

    const tampered = signedUrl({ method: 'GET', url: couponsUrl, params: { per_page: '5' }, ...credentials });
    tampered.searchParams.set('per_page', '50');
    const tamperedResponse = await fetch(tampered);
    expect(tamperedResponse.status).toBe(401);
    expect(await tamperedResponse.json()).toEqual({
      code: 'woocommerce_rest_authentication_error',
      message: 'Invalid signature - provided signature does not match.',
      data: { status: 401 },
    });

    const wrongSecret = await fetch(signedUrl({ method: 'GET', url: couponsUrl, key: credentials.key, secret: 'cs_other' }));
    expect(wrongSecret.status).toBe(401);

    const stale = await fetch(signedUrl({ method: 'GET', url: couponsUrl, ...credentials, timestamp: Math.floor(Date.now() / 1000) - 3600 }));
    expect(await stale.json()).toMatchObject({ message: 'Invalid timestamp.' });
  });

  it('answers unauthenticated requests like WooCommerce, but serves the namespace index publicly', async () => {
    const response = await fetch(couponsUrl);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
    expect((await fetch(`${emulator.url}/wp-json/wc/v3`)).status).toBe(200);
    const wrongKey = await fetch(`${couponsUrl}?consumer_key=ck_x&consumer_secret=cs_x`);
    expect(await wrongKey.json()).toMatchObject({ code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.' });
  });

  it('stores codes lower-case and refuses a duplicate of a published coupon with WooCommerce’s error', async () => {
    const created = await post({ code: 'SAVE10', discount_type: 'percent', amount: '10' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ code: 'save10', amount: '10.00', status: 'publish', minimum_amount: '0.00' });

    const duplicate = await post({ code: 'Save10', discount_type: 'percent', amount: '15' });
    expect(duplicate.status).toBe(400);
    expect(await duplicate.json()).toEqual({ code: 'woocommerce_rest_coupon_code_already_exists', message: 'The coupon code already exists', data: { status: 400 } });

    // A draft does not block the code, exactly as get_ids_by_code only looks at published coupons.
    const first = emulator.findCoupon('save10');
    if (first) first.status = 'draft';
    expect((await post({ code: 'save10', amount: '5' })).status).toBe(201);
  });

  it('validates arguments the way WordPress names them', async () => {
    const missing = await post({ amount: '5' });
    expect(await missing.json()).toMatchObject({ code: 'rest_missing_callback_param', data: { status: 400, params: ['code'] } });
    const invalid = await post({ code: 'x1', amount: 5, discount_type: 'bogus' });
    expect(await invalid.json()).toMatchObject({ code: 'rest_invalid_param', message: 'Invalid parameter(s): amount, discount_type' });
  });

  it('paginates with X-WP-Total and X-WP-TotalPages, filters by published code, and trashes without force', async () => {
    for (let i = 1; i <= 5; i += 1) emulator.seedCoupon({ code: `c${i}` });
    emulator.seedCoupon({ code: 'hidden', status: 'draft' });
    const headers = { authorization: basic() };

    const page = await fetch(`${couponsUrl}?per_page=4&page=2&orderby=id&order=asc`, { headers });
    expect(page.headers.get('x-wp-total')).toBe('6');
    expect(page.headers.get('x-wp-totalpages')).toBe('2');
    expect(((await page.json()) as Array<{ code: string }>).map((c) => c.code)).toEqual(['c5', 'hidden']);
    expect((await fetch(`${couponsUrl}?page=3&per_page=4`, { headers })).status).toBe(400);
    expect((await fetch(`${couponsUrl}?per_page=101`, { headers })).status).toBe(400);

    expect(await (await fetch(`${couponsUrl}?code=HIDDEN`, { headers })).json()).toEqual([]);
    expect(((await (await fetch(`${couponsUrl}?search=hid`, { headers })).json()) as unknown[]).length).toBe(1);

    const id = emulator.findCoupon('c1')?.id;
    expect((await fetch(`${couponsUrl}/${id}`, { method: 'DELETE', headers })).status).toBe(200);
    expect(emulator.state.coupons.find((c) => c.id === id)?.status).toBe('trash');
    expect((await fetch(`${couponsUrl}/${id}?force=true`, { method: 'DELETE', headers })).status).toBe(200);
    expect((await fetch(`${couponsUrl}/${id}`, { headers })).status).toBe(404);
  });

  it('signs webhook payloads like WooCommerce (base64 HMAC-SHA256 of the raw body)', () => {
    expect(signWooCommercePayload({ body: '{"id":1,"status":"processing"}', secret: 'wc_secret' })).toBe('Vd3fOI+8OjRb0OwRBSZeU4zig6W68MbWTMlnt/6I82o=');
  });
});
