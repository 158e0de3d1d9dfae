import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '@codetrack/contracts';
import {
  paddleAdjustment,
  paddleTransactionCompleted,
  shopifyOrder,
  shopifyRefund,
  signedPaddleWebhook,
  signedShopifyWebhook,
  signedStripeWebhook,
  signedWooCommerceWebhook,
  stripeChargeRefunded,
  stripeCheckoutCompleted,
  wooOrder,
  type SignedDelivery,
} from '@codetrack/testkit';
import { startTestWorker, useTestApp } from '../helpers.ts';
import { addCode, countWebhookRows, postWebhook, setUpShop, waitForInbox, webhookSecrets, type Shop } from './fixtures.ts';

const ctx = useTestApp({ WEBHOOK_RATE_LIMIT_MAX: '10000' });
let stopWorker: () => Promise<void>;
let shop: Shop;

beforeAll(async () => {
  stopWorker = await startTestWorker(ctx);
  shop = await setUpShop(ctx);
});
afterAll(async () => stopWorker?.());

// Every scenario: goods 100.00, a 20.00 discount with the partner's code, so a net of 80.00 and a
// 20% commission of 16.00; tax and shipping where the platform has them must not count. Then a
// refund worth 20.00 of the net, which takes back a quarter of the commission (4.00).
type Scenario = {
  platform: Platform;
  code: string;
  orderId: string;
  order: (code: string) => SignedDelivery;
  refund: () => SignedDelivery;
  /** The code's platform id, for platforms whose orders name the discount rather than the code. */
  platformDiscountId?: string;
};

const scenarios: Scenario[] = [
  {
    platform: 'stripe',
    code: 'STRIPE20',
    orderId: 'pi_platform_test_1',
    order: (code) =>
      signedStripeWebhook({
        secret: webhookSecrets.stripe,
        payload: stripeCheckoutCompleted({
          eventId: 'evt_stripe_order_1',
          paymentIntentId: 'pi_platform_test_1',
          amountSubtotal: 10_000,
          amountDiscount: 2_000,
          amountTotal: 8_000,
          promotionCodeId: 'promo_1',
          promotionCode: code,
          email: 'buyer@stripe.test',
          created: Math.floor(Date.now() / 1000) - 60,
        }),
      }),
    refund: () =>
      signedStripeWebhook({
        secret: webhookSecrets.stripe,
        payload: stripeChargeRefunded({ paymentIntentId: 'pi_platform_test_1', amount: 8_000, amountRefunded: 2_000, previousAmountRefunded: 0 }),
      }),
  },
  {
    platform: 'paddle',
    code: 'PADDLE20',
    orderId: 'txn_platform_test_1',
    platformDiscountId: 'dsc_platform_test_1',
    order: () =>
      signedPaddleWebhook({
        secret: webhookSecrets.paddle,
        payload: paddleTransactionCompleted({ transactionId: 'txn_platform_test_1', subtotal: 10_000, discount: 2_000, tax: 1_600, discountId: 'dsc_platform_test_1', occurredAt: new Date().toISOString() }),
      }),
    refund: () =>
      signedPaddleWebhook({
        secret: webhookSecrets.paddle,
        payload: paddleAdjustment({ transactionId: 'txn_platform_test_1', adjustmentId: 'adj_platform_test_1', subtotal: 2_000, tax: 400 }),
      }),
  },
  {
    platform: 'woocommerce',
    code: 'WOO20',
    orderId: '9001',
    order: (code) =>
      signedWooCommerceWebhook({
        secret: webhookSecrets.woocommerce,
        topic: 'order.created',
        payload: wooOrder({ id: 9001, subtotal: 10_000, discount: 2_000, tax: 800, shipping: 500, couponCodes: [code.toLowerCase()], email: 'buyer@woo.test', dateCreated: Math.floor(Date.now() / 1000) - 120 }),
      }),
    // WooCommerce reports refunds inside order.updated, as money returned (tax and shipping
    // included): 23.25 of a 93.00 total is 20.00 of the 80.00 net.
    refund: () =>
      signedWooCommerceWebhook({
        secret: webhookSecrets.woocommerce,
        topic: 'order.updated',
        payload: wooOrder({
          id: 9001,
          subtotal: 10_000,
          discount: 2_000,
          tax: 800,
          shipping: 500,
          couponCodes: ['woo20'],
          email: 'buyer@woo.test',
          refunds: [{ id: 9101, amount: 2_325 }],
          dateCreated: Math.floor(Date.now() / 1000) - 120,
          dateModified: Math.floor(Date.now() / 1000),
        }),
      }),
  },
  {
    platform: 'shopify',
    code: 'SHOP20',
    orderId: '5807389274221',
    order: (code) =>
      signedShopifyWebhook({
        secret: webhookSecrets.shopify,
        topic: 'orders/paid',
        eventId: 'shopify-event-order-1',
        payload: shopifyOrder({ lineItemsPrice: 10_000, totalDiscounts: 2_000, shipping: 700, discountCodes: [code], email: 'buyer@shopify.test', createdAt: new Date().toISOString() }),
      }),
    refund: () =>
      signedShopifyWebhook({
        secret: webhookSecrets.shopify,
        topic: 'refunds/create',
        eventId: 'shopify-event-refund-1',
        payload: shopifyRefund({ lineItems: [{ subtotal: 2_000, totalTax: 0 }] }),
      }),
  },
];

describe.each(scenarios)('$platform order webhooks', (scenario) => {
  const connectionId = () => shop.connections[scenario.platform].id;

  it('turns a signed order with the partner code into one sale and one pending commission, even posted five times at once', async () => {
    const code = await addCode(ctx, shop, { code: scenario.code, partnerId: shop.partner.id });
    if (scenario.platformDiscountId) {
      await ctx.factories.syncLink({ workspaceId: shop.workspaceId, connectionId: connectionId(), entityId: code.id, promotionCodeId: code.id, platformId: scenario.platformDiscountId, state: 'synced' });
    }
    const delivery = scenario.order(scenario.code);
    const responses = await Promise.all(Array.from({ length: 5 }, () => postWebhook(ctx.app, scenario.platform, connectionId(), delivery)));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.filter((r) => r.json().duplicate === false)).toHaveLength(1);
    await waitForInbox(ctx, connectionId());

    const sales = await ctx.db.sale.findMany({ where: { connectionId: connectionId() } });
    expect(sales).toHaveLength(1);
    const sale = sales[0]!;
    expect(sale).toMatchObject({ platformOrderId: scenario.orderId, attributionSource: 'code', partnerId: shop.partner.id, promotionCodeId: code.id, netAmount: 8_000, discountAmount: 2_000, status: 'paid' });
    const commissions = await ctx.db.commission.findMany({ where: { saleId: sale.id } });
    expect(commissions).toHaveLength(1);
    expect(commissions[0]).toMatchObject({ kind: 'earning', amount: 1_600, currency: 'USD', status: 'pending', partnerId: shop.partner.id, sourceKey: `order:${scenario.orderId}` });
    expect(commissions[0]!.holdUntil.getTime()).toBe(sale.orderedAt.getTime() + 30 * 86_400_000);
    expect((await ctx.db.promotionCode.findUniqueOrThrow({ where: { id: code.id } })).timesRedeemed).toBe(1);
  });

  it('reverses the commission in proportion to a refund, once however often the refund arrives', async () => {
    const delivery = scenario.refund();
    const responses = await Promise.all(Array.from({ length: 3 }, () => postWebhook(ctx.app, scenario.platform, connectionId(), delivery)));
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    await waitForInbox(ctx, connectionId());

    const sale = await ctx.db.sale.findUniqueOrThrow({ where: { connectionId_platformOrderId: { connectionId: connectionId(), platformOrderId: scenario.orderId } } });
    expect(sale).toMatchObject({ refundedAmount: 2_000, status: 'partially_refunded' });
    const rows = await ctx.db.commission.findMany({ where: { saleId: sale.id }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.kind, r.amount])).toEqual([
      ['earning', 1_600],
      ['reversal', -400],
    ]);
  });

  it('answers 401 to a wrong signature and stores nothing anywhere', async () => {
    const before = await countWebhookRows(ctx);
    const genuine = scenario.order(scenario.code);
    // Still valid JSON, but not the bytes that were signed.
    const tampered = { ...genuine, rawBody: `${genuine.rawBody} ` };
    const forged = { ...genuine, headers: Object.fromEntries(Object.entries(genuine.headers).filter(([k]) => !/signature|hmac/i.test(k))) };
    for (const delivery of [tampered, forged]) {
      const res = await postWebhook(ctx.app, scenario.platform, connectionId(), delivery);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('invalid_signature');
    }
    expect(await countWebhookRows(ctx)).toEqual(before);
  });
});
