import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  formatDecimal,
  paddleTransactionCompleted,
  shopifyOrder,
  shopifyRefund,
  signedPaddleWebhook,
  signedShopifyWebhook,
  signedStripeWebhook,
  signedWooCommerceWebhook,
  stripeCheckoutCompleted,
  wooCommercePing,
  wooOrder,
} from './webhook-payloads.ts';

const SECRET = 'secret_for_tests';

describe('formatDecimal', () => {
  it('renders minor units in the currency precision', () => {
    expect(formatDecimal(1999, 'USD')).toBe('19.99');
    expect(formatDecimal(5, 'eur')).toBe('0.05');
    expect(formatDecimal(-1000, 'USD')).toBe('-10.00');
    expect(formatDecimal(1500, 'JPY')).toBe('1500');
    expect(formatDecimal(1234, 'BHD')).toBe('1.234');
    expect(() => formatDecimal(1.5, 'USD')).toThrow(RangeError);
  });
});

describe('signed deliveries', () => {
  it('Stripe: the official SDK accepts the signature and reads the event back', () => {
    const payload = stripeCheckoutCompleted({ eventId: 'evt_42', amountSubtotal: 1000, amountTotal: 1000 });
    const delivery = signedStripeWebhook({ payload, secret: SECRET });
    const event = new Stripe('sk_test_x').webhooks.constructEvent(delivery.rawBody, delivery.headers['stripe-signature'] ?? '', SECRET);
    expect(event.id).toBe('evt_42');
    expect(event.type).toBe('checkout.session.completed');
  });

  it('Paddle: ts;h1 over "<ts>:<body>"', () => {
    const delivery = signedPaddleWebhook({ payload: paddleTransactionCompleted({ subtotal: 100 }), secret: SECRET, ts: 1_700_000_000 });
    const expected = createHmac('sha256', SECRET).update(`1700000000:${delivery.rawBody}`).digest('hex');
    expect(delivery.headers['paddle-signature']).toBe(`ts=1700000000;h1=${expected}`);
  });

  it('WooCommerce and Shopify: base64 HMAC of the raw body, with the platform headers', () => {
    const woo = signedWooCommerceWebhook({ payload: wooOrder({ subtotal: 100 }), secret: SECRET, topic: 'order.updated', webhookId: 7 });
    expect(woo.headers['x-wc-webhook-signature']).toBe(createHmac('sha256', SECRET).update(woo.rawBody).digest('base64'));
    expect(woo.headers).toMatchObject({ 'x-wc-webhook-topic': 'order.updated', 'x-wc-webhook-resource': 'order', 'x-wc-webhook-event': 'updated', 'x-wc-webhook-id': '7' });
    const shop = signedShopifyWebhook({ payload: shopifyOrder({ lineItemsPrice: 100 }), secret: SECRET, topic: 'orders/paid', eventId: 'e-1' });
    expect(shop.headers['x-shopify-hmac-sha256']).toBe(createHmac('sha256', SECRET).update(shop.rawBody).digest('base64'));
    expect(shop.headers).toMatchObject({ 'x-shopify-topic': 'orders/paid', 'x-shopify-event-id': 'e-1' });
    expect(wooCommercePing({ webhookId: 3 })).toEqual({ rawBody: 'webhook_id=3', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  });
});

describe('payload shapes', () => {
  it('WooCommerce orders carry decimal strings, lower-case coupon codes and negative refund totals', () => {
    const order = wooOrder({ subtotal: 10_000, discount: 2_000, tax: 1_600, shipping: 500, couponCodes: ['ada20'], refunds: [{ id: 9, amount: 1_050 }] });
    expect(order).toMatchObject({ total: '101.00', total_tax: '16.00', shipping_total: '5.00', discount_total: '20.00' });
    expect(order.coupon_lines).toEqual([expect.objectContaining({ code: 'ada20', discount: '20.00' })]);
    expect(order.refunds).toEqual([{ id: 9, reason: '', total: '-10.50' }]);
  });

  it('Shopify orders keep subtotal after discounts and totals consistent', () => {
    const order = shopifyOrder({ lineItemsPrice: 10_000, totalDiscounts: 1_000, totalTax: 900, shipping: 500 });
    expect(order).toMatchObject({ subtotal_price: '90.00', total_price: '104.00', total_discounts: '10.00' });
    const refund = shopifyRefund({ lineItems: [{ subtotal: 4_500, totalTax: 450 }] });
    expect(refund.transactions).toEqual([expect.objectContaining({ kind: 'refund', amount: '49.50', status: 'success' })]);
  });

  it('Paddle totals are minor-unit strings that add up', () => {
    const event = paddleTransactionCompleted({ subtotal: 10_000, discount: 1_000, tax: 1_800 });
    const totals = ((event.data as Record<string, unknown>).details as Record<string, unknown>).totals;
    expect(totals).toMatchObject({ subtotal: '10000', discount: '1000', tax: '1800', total: '10800', grand_total: '10800' });
  });
});
