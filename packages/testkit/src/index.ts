export { startEmulatorServer, parseNestedParams } from './emulator-server.ts';
export type { EmulatorHandle, FailureSpec, LoggedRequest } from './emulator-server.ts';
export { startStripeEmulator } from './stripe-emulator.ts';
export type { StripeEmulator, StripeEmulatorState, StripeCoupon, StripePromotionCode, StripeDiscount, StripeInvoice, StripeInvoiceSeed } from './stripe-emulator.ts';
export { startPaddleEmulator } from './paddle-emulator.ts';
export type { PaddleEmulator, PaddleEmulatorState, PaddleDiscount } from './paddle-emulator.ts';
export { signStripePayload, signPaddlePayload } from './webhook-signing.ts';
export { startWooCommerceEmulator, signWooCommercePayload } from './woocommerce-emulator.ts';
export type { WooCommerceEmulator, WooCommerceEmulatorOptions, WooCommerceEmulatorState, WooCoupon } from './woocommerce-emulator.ts';
export { startShopifyEmulator, signShopifyPayload, parseShopifyOperation } from './shopify-emulator.ts';
export type { ShopifyEmulator, ShopifyEmulatorOptions, ShopifyEmulatorState, ShopifyDiscount } from './shopify-emulator.ts';
export {
  formatDecimal,
  stripeEvent,
  stripeCheckoutCompleted,
  stripeDiscount,
  stripeInvoicePaid,
  stripeChargeRefunded,
  stripePromotionCodeEvent,
  stripeCouponEvent,
  signedStripeWebhook,
  paddleEvent,
  paddleTransactionCompleted,
  paddleAdjustment,
  paddleDiscountEvent,
  signedPaddleWebhook,
  wooOrder,
  wooCoupon,
  signedWooCommerceWebhook,
  wooCommercePing,
  shopifyOrder,
  shopifyRefund,
  shopifyDiscountPayload,
  signedShopifyWebhook,
} from './webhook-payloads.ts';
export type {
  SignedDelivery,
  StripeCheckoutInput,
  StripeInvoiceInput,
  StripeChargeRefundedInput,
  PaddleTransactionInput,
  PaddleAdjustmentInput,
  WooOrderInput,
  ShopifyOrderInput,
  ShopifyRefundInput,
} from './webhook-payloads.ts';
