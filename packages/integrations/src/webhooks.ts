import type { NormalizedWebhook, Platform } from '@codetrack/contracts';
import { identifyPaddleWebhook, normalizePaddleWebhook, verifyPaddleWebhook } from './paddle/webhooks.ts';
import { identifyShopifyWebhook, normalizeShopifyWebhook, verifyShopifyWebhook } from './shopify/webhooks.ts';
import { identifyStripeWebhook, normalizeStripeWebhook, verifyStripeWebhook } from './stripe/webhooks.ts';
import type { NormalizeWebhookInput, VerifyResult, VerifyWebhookInput, WebhookHeaders } from './webhook-helpers.ts';
import {
  identifyWooCommerceWebhook,
  isWooCommercePing,
  normalizeWooCommerceWebhook,
  verifyWooCommerceWebhook,
} from './woocommerce/webhooks.ts';

// One entry point per step of webhook handling, so the API ingress and the worker switch on the
// connection's platform in one place. Everything here is pure: no database, no network.

/** Checks the delivery's signature with the connection's secret; never throws. */
export function verifyWebhook(platform: Platform, input: VerifyWebhookInput): VerifyResult {
  switch (platform) {
    case 'stripe':
      return verifyStripeWebhook(input);
    case 'paddle':
      return verifyPaddleWebhook(input);
    case 'woocommerce':
      return verifyWooCommerceWebhook(input);
    case 'shopify':
      return verifyShopifyWebhook(input);
  }
}

/**
 * A delivery that is answered 200 and not stored (WooCommerce's unsigned `webhook_id=` ping when
 * a webhook is created). Check it before the signature.
 */
export function isWebhookPing(platform: Platform, input: { rawBody: Buffer | string; headers: WebhookHeaders }): boolean {
  return platform === 'woocommerce' && isWooCommercePing(input);
}

/**
 * The inbox key and topic, cheap enough for the ingress. Throws WebhookPayloadError when even
 * these cannot be read.
 */
export function identifyWebhook(platform: Platform, input: NormalizeWebhookInput): { dedupeKey: string; topic: string } {
  switch (platform) {
    case 'stripe':
      return identifyStripeWebhook(input);
    case 'paddle':
      return identifyPaddleWebhook(input);
    case 'woocommerce':
      return identifyWooCommerceWebhook(input);
    case 'shopify':
      return identifyShopifyWebhook(input);
  }
}

/**
 * Platform-neutral events of one delivery. Unknown topics give an `ignored` event; a payload
 * that contradicts the platform's documented shape throws WebhookPayloadError.
 */
export function normalizeWebhook(platform: Platform, input: NormalizeWebhookInput): NormalizedWebhook {
  switch (platform) {
    case 'stripe':
      return normalizeStripeWebhook(input);
    case 'paddle':
      return normalizePaddleWebhook(input);
    case 'woocommerce':
      return normalizeWooCommerceWebhook(input);
    case 'shopify':
      return normalizeShopifyWebhook(input);
  }
}
