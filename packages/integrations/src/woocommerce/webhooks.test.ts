import { createHmac } from 'node:crypto';
import { signedWooCommerceWebhook, wooCommercePing, wooCoupon, wooOrder } from '@codetrack/testkit';
import { describe, expect, it } from 'vitest';
import { WebhookPayloadError } from '../webhook-helpers.ts';
import { identifyWooCommerceWebhook, isWooCommercePing, normalizeWooCommerceWebhook, verifyWooCommerceWebhook } from './webhooks.ts';

const SECRET = 'woo_webhook_secret';
const headersFor = (topic: string, webhookId = 12) => ({ 'x-wc-webhook-topic': topic, 'x-wc-webhook-id': String(webhookId) });

describe('verifyWooCommerceWebhook', () => {
  const delivery = signedWooCommerceWebhook({ payload: wooOrder({ subtotal: 1_000 }), secret: SECRET, topic: 'order.created' });

  it('accepts the base64 HMAC of the raw body', () => {
    expect(verifyWooCommerceWebhook({ ...delivery, secret: SECRET })).toEqual({ ok: true });
    const manual = createHmac('sha256', SECRET).update(delivery.rawBody).digest('base64');
    expect(verifyWooCommerceWebhook({ rawBody: Buffer.from(delivery.rawBody), headers: { 'X-WC-Webhook-Signature': manual }, secret: SECRET }).ok).toBe(true);
  });

  it('rejects a wrong secret, a tampered body and a missing header', () => {
    expect(verifyWooCommerceWebhook({ ...delivery, secret: 'other' })).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verifyWooCommerceWebhook({ ...delivery, rawBody: delivery.rawBody.replace('727', '728'), secret: SECRET }).ok).toBe(false);
    expect(verifyWooCommerceWebhook({ rawBody: delivery.rawBody, headers: {}, secret: SECRET })).toEqual({ ok: false, reason: 'missing X-WC-Webhook-Signature header' });
    expect(verifyWooCommerceWebhook({ rawBody: delivery.rawBody, headers: { 'x-wc-webhook-signature': 'not base64!' }, secret: SECRET }).ok).toBe(false);
  });
});

describe('isWooCommercePing', () => {
  it('detects the unsigned form-encoded ping and nothing else', () => {
    expect(isWooCommercePing(wooCommercePing({ webhookId: 42 }))).toBe(true);
    const delivery = signedWooCommerceWebhook({ payload: wooOrder({ subtotal: 1_000 }), secret: SECRET, topic: 'order.created' });
    expect(isWooCommercePing(delivery)).toBe(false);
    expect(isWooCommercePing({ rawBody: 'webhook_id=42&x=1', headers: {} })).toBe(false);
  });
});

describe('normalizeWooCommerceWebhook: orders', () => {
  const order = wooOrder({
    id: 727,
    status: 'processing',
    currency: 'EUR',
    subtotal: 10_000,
    discount: 2_000,
    shipping: 500,
    tax: 1_700,
    shippingTax: 100,
    couponCodes: ['ada20'],
    email: 'Ada@Example.com',
    customerId: 5,
    visitorId: 'vis_1',
  });

  it('normalises a paid order: net without tax and shipping, code upper-cased', () => {
    const delivery = signedWooCommerceWebhook({ payload: order, secret: SECRET, topic: 'order.updated', webhookId: 12 });
    const result = normalizeWooCommerceWebhook({ rawBody: delivery.rawBody, headers: delivery.headers });
    expect(result.topic).toBe('order.updated');
    expect(result.dedupeKey).toBe('12:727:2026-01-01T00:01:00:processing');
    expect(result.events).toEqual([
      {
        kind: 'order',
        platform: 'woocommerce',
        platformOrderId: '727',
        platformEventId: '12:727:2026-01-01T00:01:00:processing',
        occurredAt: '2026-01-01T00:00:30.000Z',
        currency: 'EUR',
        grossAmount: 10_000,
        discountAmount: 2_000,
        netAmount: 8_000,
        totalAmount: 10_200,
        codes: ['ADA20'],
        platformDiscountIds: [],
        unresolvedDiscountIds: [],
        customer: { platformCustomerId: '5', email: 'ada@example.com' },
        referralVisitorId: 'vis_1',
        status: 'paid',
      },
    ]);
  });

  it('keys deliveries on webhook, order, modification time and status, not the delivery id', () => {
    const a = signedWooCommerceWebhook({ payload: order, secret: SECRET, topic: 'order.updated', deliveryId: 'd1' });
    const b = signedWooCommerceWebhook({ payload: order, secret: SECRET, topic: 'order.updated', deliveryId: 'd2' });
    expect(identifyWooCommerceWebhook({ rawBody: a.rawBody, headers: a.headers }).dedupeKey).toBe(identifyWooCommerceWebhook({ rawBody: b.rawBody, headers: b.headers }).dedupeKey);
    const completed = wooOrder({ id: 727, status: 'completed', subtotal: 10_000, dateModified: 1_767_226_000 });
    expect(identifyWooCommerceWebhook({ payload: completed, headers: headersFor('order.updated') }).dedupeKey).toBe('12:727:2026-01-01T00:06:40:completed');
  });

  it('reads the visitor id from ct_vid meta too, and guests have no customer id', () => {
    const guest = wooOrder({ subtotal: 1_000, visitorId: 'vis_2', visitorMetaKey: 'ct_vid' });
    expect(normalizeWooCommerceWebhook({ payload: guest, headers: headersFor('order.created') }).events[0]).toMatchObject({
      referralVisitorId: 'vis_2',
      customer: { platformCustomerId: null, email: null },
    });
  });

  it('emits one net refund per refunds[] entry, pro-rated over tax and shipping', () => {
    const refunded = wooOrder({ id: 9, status: 'processing', subtotal: 10_000, tax: 2_000, couponCodes: [], refunds: [{ id: 801, amount: 6_000 }, { id: 802, amount: 1_200 }] });
    const events = normalizeWooCommerceWebhook({ payload: refunded, headers: headersFor('order.updated') }).events;
    expect(events.map((e) => e.kind)).toEqual(['order', 'refund', 'refund']);
    expect(events[1]).toEqual({
      kind: 'refund',
      platformOrderId: '9',
      platformRefundId: '801',
      amount: 5_000,
      basis: 'net',
      orderTotalAmount: 12_000,
      currency: 'USD',
      occurredAt: '2026-01-01T00:01:00.000Z',
      full: false,
    });
    expect(events[2]).toMatchObject({ platformRefundId: '802', amount: 1_000 });
    const full = wooOrder({ id: 9, status: 'refunded', subtotal: 10_000, refunds: [{ id: 803, amount: 10_000 }] });
    expect(normalizeWooCommerceWebhook({ payload: full, headers: headersFor('order.updated') }).events[1]).toMatchObject({ amount: 10_000, full: true });
  });

  it('maps statuses: on-hold pending, cancelled cancel, pending/failed ignored', () => {
    const onHold = wooOrder({ status: 'on-hold', subtotal: 1_000, datePaid: null });
    expect(normalizeWooCommerceWebhook({ payload: onHold, headers: headersFor('order.created') }).events).toEqual([
      expect.objectContaining({ kind: 'order', status: 'pending', occurredAt: '2026-01-01T00:00:00.000Z' }),
    ]);
    const cancelled = wooOrder({ id: 44, status: 'cancelled', subtotal: 1_000 });
    expect(normalizeWooCommerceWebhook({ payload: cancelled, headers: headersFor('order.updated') }).events).toEqual([
      { kind: 'cancel', platformOrderId: '44', occurredAt: '2026-01-01T00:01:00.000Z' },
    ]);
    for (const status of ['pending', 'failed', 'checkout-draft', 'wc-custom']) {
      expect(normalizeWooCommerceWebhook({ payload: wooOrder({ status, subtotal: 1 }), headers: headersFor('order.updated') }).events[0]?.kind).toBe('ignored');
    }
  });

  it('parses decimal strings exactly, including zero-decimal currencies', () => {
    const yen = wooOrder({ currency: 'JPY', subtotal: 12_345, discount: 345, tax: 1_200 });
    expect(normalizeWooCommerceWebhook({ payload: yen, headers: headersFor('order.created') }).events[0]).toMatchObject({ netAmount: 12_000, grossAmount: 12_345, totalAmount: 13_200 });
    const cents = wooOrder({ subtotal: 1_999 });
    (cents as Record<string, unknown>).total = '0.30';
    (cents as Record<string, unknown>).total_tax = '0.10';
    (cents as Record<string, unknown>).shipping_total = '0.00';
    expect(normalizeWooCommerceWebhook({ payload: cents, headers: headersFor('order.created') }).events[0]).toMatchObject({ netAmount: 20 });
  });
});

describe('normalizeWooCommerceWebhook: coupons, unknown and malformed', () => {
  it('maps coupon topics', () => {
    const n = (topic: string, payload: unknown) => normalizeWooCommerceWebhook({ payload, headers: headersFor(topic) }).events[0];
    expect(n('coupon.created', wooCoupon({ id: 5, code: 'ADA20' }))).toEqual({ kind: 'code', action: 'created', platformId: '5', code: 'ada20', active: true });
    expect(n('coupon.updated', wooCoupon({ id: 5, code: 'ada20', status: 'draft' }))).toEqual({ kind: 'code', action: 'deactivated', platformId: '5', code: 'ada20', active: false });
    expect(n('coupon.deleted', { id: 5 })).toEqual({ kind: 'code', action: 'deleted', platformId: '5', code: null, active: false });
  });

  it('ignores unknown topics', () => {
    expect(normalizeWooCommerceWebhook({ payload: { id: 3 }, headers: headersFor('product.updated') }).events).toEqual([
      { kind: 'ignored', reason: 'WooCommerce topic product.updated is not handled' },
    ]);
  });

  it('throws WebhookPayloadError for malformed payloads or missing headers', () => {
    const order = wooOrder({ subtotal: 1_000 });
    expect(() => normalizeWooCommerceWebhook({ payload: order, headers: { 'x-wc-webhook-topic': 'order.created' } })).toThrow(/X-WC-Webhook-ID/);
    expect(() => normalizeWooCommerceWebhook({ payload: order, headers: { 'x-wc-webhook-id': '1' } })).toThrow(/X-WC-Webhook-Topic/);
    expect(() => normalizeWooCommerceWebhook({ payload: { ...order, total: 'twelve' }, headers: headersFor('order.created') })).toThrow(WebhookPayloadError);
    expect(() => normalizeWooCommerceWebhook({ payload: { ...order, id: undefined }, headers: headersFor('order.created') })).toThrow(WebhookPayloadError);
    expect(() => normalizeWooCommerceWebhook({ rawBody: 'webhook_id=12', headers: headersFor('order.created') })).toThrow(WebhookPayloadError);
  });
});
