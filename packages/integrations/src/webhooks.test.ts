import {
  paddleTransactionCompleted,
  shopifyOrder,
  signedPaddleWebhook,
  signedShopifyWebhook,
  signedStripeWebhook,
  signedWooCommerceWebhook,
  stripeCheckoutCompleted,
  wooCommercePing,
  wooOrder,
} from '@codetrack/testkit';
import type { Platform } from '@codetrack/contracts';
import { describe, expect, it } from 'vitest';
import { identifyWebhook, isWebhookPing, normalizeWebhook, verifyWebhook } from './webhooks.ts';

const SECRET = 'dispatch_secret';

const deliveries: Record<Platform, { rawBody: string; headers: Record<string, string> }> = {
  stripe: signedStripeWebhook({ payload: stripeCheckoutCompleted({ amountSubtotal: 1_000, amountTotal: 1_000, promotionCodeId: 'promo_1' }), secret: SECRET }),
  paddle: signedPaddleWebhook({ payload: paddleTransactionCompleted({ subtotal: 1_000, discountId: 'dsc_1' }), secret: SECRET }),
  woocommerce: signedWooCommerceWebhook({ payload: wooOrder({ subtotal: 1_000, couponCodes: ['ada'] }), secret: SECRET, topic: 'order.created' }),
  shopify: signedShopifyWebhook({ payload: shopifyOrder({ lineItemsPrice: 1_000, discountCodes: ['ada'] }), secret: SECRET, topic: 'orders/create' }),
};

describe('webhook dispatch', () => {
  for (const platform of ['stripe', 'paddle', 'woocommerce', 'shopify'] as const) {
    it(`verifies and normalises a ${platform} delivery`, () => {
      const delivery = deliveries[platform];
      expect(verifyWebhook(platform, { ...delivery, secret: SECRET })).toEqual({ ok: true });
      expect(verifyWebhook(platform, { ...delivery, secret: 'wrong' }).ok).toBe(false);
      const result = normalizeWebhook(platform, delivery);
      expect(result.events).toEqual([expect.objectContaining({ kind: 'order', netAmount: 1_000 })]);
      expect(identifyWebhook(platform, delivery)).toEqual({ dedupeKey: result.dedupeKey, topic: result.topic });
    });
  }

  it('checks each platform with its own scheme', () => {
    expect(verifyWebhook('shopify', { ...deliveries.woocommerce, secret: SECRET }).ok).toBe(false);
    expect(verifyWebhook('paddle', { ...deliveries.stripe, secret: SECRET }).ok).toBe(false);
  });

  it('recognises only the WooCommerce ping', () => {
    expect(isWebhookPing('woocommerce', wooCommercePing())).toBe(true);
    expect(isWebhookPing('shopify', wooCommercePing())).toBe(false);
    expect(isWebhookPing('woocommerce', deliveries.woocommerce)).toBe(false);
  });
});
