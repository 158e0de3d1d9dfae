import { createHmac } from 'node:crypto';
import { shopifyDiscountPayload, shopifyOrder, shopifyRefund, signedShopifyWebhook } from '@codetrack/testkit';
import { describe, expect, it } from 'vitest';
import { WebhookPayloadError } from '../webhook-helpers.ts';
import { identifyShopifyWebhook, normalizeShopifyWebhook, verifyShopifyWebhook } from './webhooks.ts';

const SECRET = 'shpss_app_secret';
const headersFor = (topic: string, eventId = 'evt-uuid-1') => ({ 'x-shopify-topic': topic, 'x-shopify-event-id': eventId });

describe('verifyShopifyWebhook', () => {
  const delivery = signedShopifyWebhook({ payload: shopifyOrder({ lineItemsPrice: 1_000 }), secret: SECRET, topic: 'orders/create' });

  it('accepts the base64 HMAC of the raw body', () => {
    expect(verifyShopifyWebhook({ ...delivery, secret: SECRET })).toEqual({ ok: true });
    const manual = createHmac('sha256', SECRET).update(delivery.rawBody).digest('base64');
    expect(verifyShopifyWebhook({ rawBody: Buffer.from(delivery.rawBody), headers: { 'X-Shopify-Hmac-Sha256': [manual] }, secret: SECRET }).ok).toBe(true);
  });

  it('rejects a wrong secret, a tampered body and a missing header', () => {
    expect(verifyShopifyWebhook({ ...delivery, secret: 'other' })).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verifyShopifyWebhook({ ...delivery, rawBody: delivery.rawBody.replace('"paid"', '"pending"'), secret: SECRET }).ok).toBe(false);
    expect(verifyShopifyWebhook({ rawBody: delivery.rawBody, headers: {}, secret: SECRET })).toEqual({ ok: false, reason: 'missing X-Shopify-Hmac-Sha256 header' });
  });
});

describe('normalizeShopifyWebhook: orders', () => {
  it('normalises orders/paid: subtotal after discounts, tax and shipping excluded, codes upper-cased', () => {
    const order = shopifyOrder({
      id: 5_807_389_274_221,
      currency: 'CAD',
      lineItemsPrice: 10_000,
      totalDiscounts: 2_000,
      totalTax: 1_040,
      shipping: 500,
      discountCodes: ['ada20'],
      financialStatus: 'paid',
      email: 'Ada@Example.com',
      customerId: 7_012_345_678_901,
      visitorId: 'vis_1',
      processedAt: '2026-01-01T01:00:00+01:00',
    });
    const delivery = signedShopifyWebhook({ payload: order, secret: SECRET, topic: 'orders/paid', eventId: 'evt-uuid-7' });
    const result = normalizeShopifyWebhook({ rawBody: delivery.rawBody, headers: delivery.headers });
    expect(result.dedupeKey).toBe('evt-uuid-7');
    expect(result.topic).toBe('orders/paid');
    expect(result.events).toEqual([
      {
        kind: 'order',
        platform: 'shopify',
        platformOrderId: '5807389274221',
        platformEventId: 'evt-uuid-7',
        occurredAt: '2026-01-01T00:00:00.000Z',
        currency: 'CAD',
        grossAmount: 10_000,
        discountAmount: 2_000,
        netAmount: 8_000,
        totalAmount: 9_540,
        codes: ['ADA20'],
        platformDiscountIds: [],
        unresolvedDiscountIds: [],
        customer: { platformCustomerId: '7012345678901', email: 'ada@example.com' },
        referralVisitorId: 'vis_1',
        status: 'paid',
      },
    ]);
  });

  it('removes the goods’ tax when prices include tax, leaving shipping tax out of it', () => {
    // 120.00 incl. 20.00 VAT on goods; shipping 6.00 incl. 1.00 VAT.
    const order = shopifyOrder({ lineItemsPrice: 12_000, totalTax: 2_100, shipping: 600, shippingTax: 100, taxesIncluded: true });
    expect(normalizeShopifyWebhook({ payload: order, headers: headersFor('orders/create') }).events[0]).toMatchObject({ netAmount: 10_000, totalAmount: 12_600 });
  });

  it('reads the visitor id from the landing page when there is no cart attribute', () => {
    const order = shopifyOrder({ lineItemsPrice: 1_000, visitorId: 'vis landing', visitorVia: 'landing_site' });
    expect(normalizeShopifyWebhook({ payload: order, headers: headersFor('orders/create') }).events[0]).toMatchObject({ referralVisitorId: 'vis landing' });
    const none = shopifyOrder({ lineItemsPrice: 1_000 });
    expect(normalizeShopifyWebhook({ payload: none, headers: headersFor('orders/create') }).events[0]).toMatchObject({ referralVisitorId: null });
  });

  it('maps financial statuses to paid / pending / ignored', () => {
    const status = (financialStatus: string) =>
      normalizeShopifyWebhook({ payload: shopifyOrder({ lineItemsPrice: 1_000, financialStatus }), headers: headersFor('orders/create') }).events[0];
    expect(status('pending')).toMatchObject({ kind: 'order', status: 'pending' });
    expect(status('authorized')).toMatchObject({ kind: 'order', status: 'pending' });
    expect(status('partially_refunded')).toMatchObject({ kind: 'order', status: 'paid' });
    expect(status('voided')).toEqual({ kind: 'ignored', reason: 'order financial status voided is not handled' });
  });

  it('turns orders/cancelled into a cancellation', () => {
    const order = shopifyOrder({ id: 77, lineItemsPrice: 1_000, cancelledAt: '2026-01-02T10:00:00-05:00' });
    expect(normalizeShopifyWebhook({ payload: order, headers: headersFor('orders/cancelled') }).events).toEqual([
      { kind: 'cancel', platformOrderId: '77', occurredAt: '2026-01-02T15:00:00.000Z' },
    ]);
  });
});

describe('normalizeShopifyWebhook: refunds', () => {
  it('sums refund line item subtotals (pre-tax) on the order id', () => {
    const refund = shopifyRefund({
      id: 929_361_462,
      orderId: 5_807_389_274_221,
      lineItems: [
        { subtotal: 1_999, totalTax: 200 },
        { subtotal: 1_001, totalTax: 100 },
      ],
    });
    expect(normalizeShopifyWebhook({ payload: refund, headers: headersFor('refunds/create') }).events).toEqual([
      {
        kind: 'refund',
        platformOrderId: '5807389274221',
        platformRefundId: '929361462',
        amount: 3_000,
        basis: 'net',
        orderTotalAmount: null,
        currency: 'USD',
        occurredAt: '2026-01-05T15:00:00.000Z',
        full: false,
      },
    ]);
  });

  it('falls back to successful refund transactions (basis total) when no line items are refunded', () => {
    const refund = shopifyRefund({ transactions: [{ amount: 1_500 }, { amount: 700, status: 'failure' }, { amount: 50, kind: 'sale' }] });
    expect(normalizeShopifyWebhook({ payload: refund, headers: headersFor('refunds/create') }).events[0]).toMatchObject({ amount: 1_500, basis: 'total' });
    const empty = shopifyRefund({ transactions: [] });
    expect(normalizeShopifyWebhook({ payload: empty, headers: headersFor('refunds/create') }).events).toEqual([{ kind: 'ignored', reason: 'refund returns no money' }]);
  });
});

describe('normalizeShopifyWebhook: discounts, unknown, dedupe and malformed', () => {
  it('maps code discount topics and ignores automatic discounts', () => {
    const n = (topic: string, payload: unknown) => normalizeShopifyWebhook({ payload, headers: headersFor(topic) }).events[0];
    expect(n('discounts/create', shopifyDiscountPayload({ id: 1 }))).toEqual({ kind: 'code', action: 'created', platformId: 'gid://shopify/DiscountCodeNode/1', code: null, active: true });
    expect(n('discounts/update', shopifyDiscountPayload({ id: 1, status: 'EXPIRED' }))).toMatchObject({ action: 'deactivated', active: false });
    expect(n('discounts/delete', shopifyDiscountPayload({ id: 1, deleted: true }))).toMatchObject({ action: 'deleted', active: false });
    expect(n('discounts/create', shopifyDiscountPayload({ id: 2, automatic: true }))).toEqual({ kind: 'ignored', reason: 'not a code discount' });
  });

  it('ignores unknown topics', () => {
    expect(normalizeShopifyWebhook({ payload: { id: 1 }, headers: headersFor('products/update') }).events).toEqual([
      { kind: 'ignored', reason: 'Shopify topic products/update is not handled' },
    ]);
  });

  it('dedupes on X-Shopify-Event-Id, falling back to X-Shopify-Webhook-Id', () => {
    const payload = shopifyOrder({ lineItemsPrice: 1_000 });
    const withEvent = signedShopifyWebhook({ payload, secret: SECRET, topic: 'orders/create', eventId: 'e-1', webhookId: 'w-1' });
    const withoutEvent = signedShopifyWebhook({ payload, secret: SECRET, topic: 'orders/create', eventId: null, webhookId: 'w-2' });
    expect(identifyShopifyWebhook(withEvent)).toEqual({ dedupeKey: 'e-1', topic: 'orders/create' });
    expect(identifyShopifyWebhook(withoutEvent)).toEqual({ dedupeKey: 'w-2', topic: 'orders/create' });
    expect(() => identifyShopifyWebhook({ headers: { 'x-shopify-topic': 'orders/create' } })).toThrow(WebhookPayloadError);
  });

  it('throws WebhookPayloadError for malformed payloads', () => {
    const order = shopifyOrder({ lineItemsPrice: 1_000 });
    expect(() => normalizeShopifyWebhook({ payload: { ...order, currency: 'dollars' }, headers: headersFor('orders/create') })).toThrow(WebhookPayloadError);
    expect(() => normalizeShopifyWebhook({ payload: { ...order, subtotal_price: '1,000.00' }, headers: headersFor('orders/create') })).toThrow(WebhookPayloadError);
    expect(() => normalizeShopifyWebhook({ payload: { ...order, id: 1.5 }, headers: headersFor('orders/create') })).toThrow(WebhookPayloadError);
    expect(() => normalizeShopifyWebhook({ payload: { ...order, created_at: 'yesterday', processed_at: null }, headers: headersFor('orders/create') })).toThrow(WebhookPayloadError);
    expect(() => normalizeShopifyWebhook({ payload: shopifyOrder({ lineItemsPrice: 1 }), headers: { 'x-shopify-event-id': 'e' } })).toThrow(/X-Shopify-Topic/);
  });
});
