import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStripeEmulator } from './stripe-emulator.ts';
import type { StripeEmulator } from './stripe-emulator.ts';

// The tests read arbitrary wire JSON; typing every Stripe response shape here would add nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = Record<string, any>;

describe('stripe emulator', () => {
  let emulator: StripeEmulator;
  beforeEach(async () => {
    emulator = await startStripeEmulator({ apiKey: 'sk_test_key' });
  });
  afterEach(async () => {
    await emulator.close();
  });

  async function stripe(method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = {}) {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: 'Bearer sk_test_key', 'content-type': 'application/x-www-form-urlencoded', ...headers },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Wire };
  }

  const createCoupon = () => stripe('POST', '/v1/coupons', { percent_off: '20', duration: 'once' });

  it('rejects a missing or wrong key with Stripe\'s 401 error shape', async () => {
    const wrong = await stripe('GET', '/v1/balance', undefined, { authorization: 'Bearer sk_test_nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('Invalid API Key provided') });
    const missing = await fetch(`${emulator.url}/v1/account`);
    expect(missing.status).toBe(401);
    expect((await stripe('GET', '/v1/account')).body).toMatchObject({ object: 'account' });
  });

  it('creates coupons and refuses to change their discount afterwards', async () => {
    const coupon = await createCoupon();
    expect(coupon.body).toMatchObject({ object: 'coupon', percent_off: 20, duration: 'once', valid: true });
    const renamed = await stripe('POST', `/v1/coupons/${coupon.body.id}`, { name: 'New', 'metadata[a]': '1' });
    expect(renamed.body).toMatchObject({ name: 'New', metadata: { a: '1' } });
    const changed = await stripe('POST', `/v1/coupons/${coupon.body.id}`, { percent_off: '30' });
    expect(changed.status).toBe(400);
    expect(changed.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_unknown', param: 'percent_off' });
    expect(emulator.state.coupons[0]?.percent_off).toBe(20);
    expect((await stripe('POST', '/v1/coupons', { duration: 'once' })).status).toBe(400);
    expect((await stripe('POST', '/v1/coupons', { amount_off: '100', duration: 'once' })).body.error.param).toBe('currency');
  });

  it('creates promotion codes with the promotion shape or the older top-level coupon', async () => {
    const coupon = await createCoupon();
    const current = await stripe('POST', '/v1/promotion_codes', {
      'promotion[type]': 'coupon',
      'promotion[coupon]': coupon.body.id,
      code: 'NEW-1',
      'restrictions[first_time_transaction]': 'true',
      'restrictions[minimum_amount]': '5000',
      'restrictions[minimum_amount_currency]': 'USD',
      expires_at: '1900000000',
      max_redemptions: '3',
    });
    expect(current.body).toMatchObject({
      object: 'promotion_code',
      code: 'NEW-1',
      active: true,
      promotion: { type: 'coupon', coupon: coupon.body.id },
      restrictions: { first_time_transaction: true, minimum_amount: 5000, minimum_amount_currency: 'usd' },
      expires_at: 1_900_000_000,
      max_redemptions: 3,
    });
    const legacy = await stripe('POST', '/v1/promotion_codes', { coupon: coupon.body.id, code: 'OLD-1' }, { 'stripe-version': '2024-06-20' });
    expect(legacy.body).toMatchObject({ code: 'OLD-1', coupon: { id: coupon.body.id, object: 'coupon' } });
    expect(legacy.body).not.toHaveProperty('promotion');
    expect((await stripe('POST', '/v1/promotion_codes', { code: 'NOCOUPON' })).body.error.param).toBe('promotion');
    expect((await stripe('POST', '/v1/promotion_codes', { coupon: coupon.body.id, code: 'bad code!' })).status).toBe(400);
  });

  it('rejects a second active code in any case with Stripe\'s message, but allows it once the first is inactive', async () => {
    const coupon = await createCoupon();
    const first = await stripe('POST', '/v1/promotion_codes', { 'promotion[type]': 'coupon', 'promotion[coupon]': coupon.body.id, code: 'DUP' });
    const second = await stripe('POST', '/v1/promotion_codes', { 'promotion[type]': 'coupon', 'promotion[coupon]': coupon.body.id, code: 'dup' });
    expect(second.status).toBe(400);
    expect(second.body.error).toMatchObject({ type: 'invalid_request_error', message: 'An active promotion code with `code: dup` already exists.' });

    const edit = await stripe('POST', `/v1/promotion_codes/${first.body.id}`, { expires_at: '1900000000' });
    expect(edit.body.error).toMatchObject({ code: 'parameter_unknown', param: 'expires_at' });
    await stripe('POST', `/v1/promotion_codes/${first.body.id}`, { active: 'false' });
    const third = await stripe('POST', '/v1/promotion_codes', { 'promotion[type]': 'coupon', 'promotion[coupon]': coupon.body.id, code: 'dup' });
    expect(third.status).toBe(200);
    const reactivate = await stripe('POST', `/v1/promotion_codes/${first.body.id}`, { active: 'true' });
    expect(reactivate.status).toBe(400);
  });

  it('replays an idempotent request and refuses the key for different parameters', async () => {
    const first = await stripe('POST', '/v1/coupons', { percent_off: '10', duration: 'forever' }, { 'idempotency-key': 'k1' });
    const again = await stripe('POST', '/v1/coupons', { percent_off: '10', duration: 'forever' }, { 'idempotency-key': 'k1' });
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(emulator.state.coupons).toHaveLength(1);
    const misuse = await stripe('POST', '/v1/coupons', { percent_off: '11', duration: 'forever' }, { 'idempotency-key': 'k1' });
    expect(misuse.status).toBe(400);
    expect(misuse.body.error.type).toBe('idempotency_error');
  });

  it('lists promotion codes newest first with filters, expand and starting_after pagination', async () => {
    const coupon = await createCoupon();
    const ids: string[] = [];
    for (const code of ['A1', 'B2', 'C3']) {
      ids.push((await stripe('POST', '/v1/promotion_codes', { 'promotion[type]': 'coupon', 'promotion[coupon]': coupon.body.id, code })).body.id);
    }
    const page1 = await stripe('GET', '/v1/promotion_codes?limit=2&expand[0]=data.promotion.coupon');
    expect(page1.body).toMatchObject({ object: 'list', has_more: true, url: '/v1/promotion_codes' });
    expect(page1.body.data.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1]]);
    expect(page1.body.data[0].promotion.coupon).toMatchObject({ id: coupon.body.id, percent_off: 20 });
    const page2 = await stripe('GET', `/v1/promotion_codes?limit=2&starting_after=${ids[1]}`);
    expect(page2.body).toMatchObject({ has_more: false, data: [{ id: ids[0], promotion: { coupon: coupon.body.id } }] });

    expect((await stripe('GET', '/v1/promotion_codes?code=b2')).body.data.map((p: { code: string }) => p.code)).toEqual(['B2']);
    await stripe('POST', `/v1/promotion_codes/${ids[0]}`, { active: 'false' });
    expect((await stripe('GET', '/v1/promotion_codes?active=false')).body.data).toHaveLength(1);
    expect((await stripe('GET', `/v1/promotion_codes?coupon=${coupon.body.id}`)).body.data).toHaveLength(3);
  });

  it('deletes coupons', async () => {
    const coupon = await createCoupon();
    expect((await stripe('DELETE', `/v1/coupons/${coupon.body.id}`)).body).toEqual({ id: coupon.body.id, object: 'coupon', deleted: true });
    expect((await stripe('DELETE', `/v1/coupons/${coupon.body.id}`)).status).toBe(404);
    expect((await stripe('GET', `/v1/coupons/${coupon.body.id}`)).body.error.code).toBe('resource_missing');
  });

  it('serves a seeded invoice with its discounts as ids, expanded down to the promotion code on request', async () => {
    const coupon = await createCoupon();
    const code = await stripe('POST', '/v1/promotion_codes', { 'promotion[type]': 'coupon', 'promotion[coupon]': coupon.body.id, code: 'SUB20' });
    const invoice = emulator.addInvoice({
      subtotal: 10_000,
      discounts: [
        { id: 'di_code', promotionCode: code.body.id, amount: 2_000 },
        { id: 'di_line', coupon: coupon.body.id, amount: 500, on: 'line' },
      ],
    });
    expect(invoice).toMatchObject({ id: expect.stringMatching(/^in_/), total: 7_500, discounts: ['di_code'] });

    const plain = await stripe('GET', `/v1/invoices/${invoice.id}`);
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({
      object: 'invoice',
      discounts: ['di_code'],
      total_discount_amounts: [
        { amount: 2_000, discount: 'di_code' },
        { amount: 500, discount: 'di_line' },
      ],
      lines: { data: [{ discounts: ['di_line'], discount_amounts: [{ amount: 500, discount: 'di_line' }] }] },
    });

    // The query string the SDK sends: expand[0]=...&expand[1]=...
    const query = ['discounts.promotion_code', 'total_discount_amounts.discount', 'lines.data.discounts'].map((p, i) => `expand[${i}]=${p}`).join('&');
    const expanded = await stripe('GET', `/v1/invoices/${invoice.id}?${query}`);
    expect(expanded.status).toBe(200);
    expect(expanded.body.discounts).toEqual([
      expect.objectContaining({ id: 'di_code', object: 'discount', promotion_code: expect.objectContaining({ id: code.body.id, code: 'SUB20', object: 'promotion_code' }) }),
    ]);
    expect(expanded.body.total_discount_amounts[0].discount).toMatchObject({ id: 'di_code', promotion_code: code.body.id });
    expect(expanded.body.total_discount_amounts[1].discount).toMatchObject({ id: 'di_line', promotion_code: null, source: { coupon: coupon.body.id } });
    expect(expanded.body.lines.data[0].discounts).toEqual([expect.objectContaining({ id: 'di_line', object: 'discount' })]);
    // Reading never changes what the emulator holds.
    expect(emulator.state.invoices[0]?.discounts).toEqual(['di_code']);
  });

  it('refuses expansions Stripe refuses and answers 404 for an unknown invoice', async () => {
    const invoice = emulator.addInvoice({});
    const tooDeep = await stripe('GET', `/v1/invoices/${invoice.id}?expand[]=lines.data.discounts.promotion_code.promotion`);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('more than 4 levels') });
    expect((await stripe('GET', `/v1/invoices/${invoice.id}?expand[]=nothing_here`)).status).toBe(400);
    const missing = await stripe('GET', '/v1/invoices/in_missing');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'resource_missing', message: "No such invoice: 'in_missing'" });
    expect(() => emulator.addInvoice({ discounts: [{ promotionCode: 'promo_nope' }] })).toThrow(/no promotion code/);
  });

  it('answers injected failures in Stripe\'s error shape', async () => {
    emulator.failNext({ status: 429, retryAfterSeconds: 2 });
    emulator.failNext({ status: 500 });
    const limited = await stripe('GET', '/v1/balance');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.body.error).toMatchObject({ code: 'rate_limit' });
    const broken = await stripe('GET', '/v1/balance');
    expect(broken).toMatchObject({ status: 500, body: { error: { type: 'api_error' } } });
    expect((await stripe('GET', '/v1/balance')).status).toBe(200);
  });
});
