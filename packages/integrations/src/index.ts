import type { Platform } from '@codetrack/contracts';
import { createPaddleAdapter } from './paddle/adapter.ts';
import { createShopifyAdapter } from './shopify/adapter.ts';
import { createStripeAdapter } from './stripe/adapter.ts';
import { createWooCommerceAdapter } from './woocommerce/adapter.ts';
import type { ConnectionTarget, PlatformAdapter } from './types.ts';

export * from './types.ts';
export { createStripeAdapter, stripeCapabilities, toStripePlatformError, STRIPE_API_VERSION } from './stripe/adapter.ts';
export type { StripeAdapter } from './stripe/adapter.ts';
export { createPaddleAdapter, paddleCapabilities, toPaddlePlatformError } from './paddle/adapter.ts';
export { createWooCommerceAdapter, woocommerceCapabilities, toWooCommercePlatformError, CODETRACK_META_KEY } from './woocommerce/adapter.ts';
export { createShopifyAdapter, shopifyCapabilities, toShopifyPlatformError, SHOPIFY_API_VERSION } from './shopify/adapter.ts';

export type CreateAdapterInput = ConnectionTarget & {
  platform: Platform;
  /** Per-request timeout; adapters default to 20 s. */
  timeoutMs?: number;
};

/**
 * The adapter for a connection. Credentials per platform: stripe `{ secretKey }`,
 * paddle `{ apiKey }`; woocommerce and shopify: see their adapter files. `apiBaseUrl` overrides the platform's API host (emulators in tests).
 */
export function createAdapter(input: CreateAdapterInput): PlatformAdapter {
  switch (input.platform) {
    case 'stripe':
      return createStripeAdapter(input);
    case 'paddle':
      return createPaddleAdapter(input);
    case 'woocommerce':
      return createWooCommerceAdapter(input, input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs });
    case 'shopify':
      return createShopifyAdapter(input, input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs });
  }
}
export { verifyWebhook, normalizeWebhook, identifyWebhook, isWebhookPing } from './webhooks.ts';
export { WebhookPayloadError, computeNetRefundAmount, DEFAULT_TOLERANCE_SECONDS } from './webhook-helpers.ts';
export type { WebhookHeaders, VerifyWebhookInput, VerifyResult, NormalizeWebhookInput } from './webhook-helpers.ts';
export { verifyStripeWebhook, normalizeStripeWebhook, identifyStripeWebhook } from './stripe/webhooks.ts';
export { verifyPaddleWebhook, normalizePaddleWebhook, identifyPaddleWebhook } from './paddle/webhooks.ts';
export { verifyWooCommerceWebhook, normalizeWooCommerceWebhook, identifyWooCommerceWebhook, isWooCommercePing } from './woocommerce/webhooks.ts';
export { verifyShopifyWebhook, normalizeShopifyWebhook, identifyShopifyWebhook } from './shopify/webhooks.ts';
