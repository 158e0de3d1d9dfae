import { z } from 'zod';
import { Currency, IsoDateTime, Platform } from './common.ts';

// Platform-neutral events the webhook normalisers produce (packages/integrations) and the worker
// consumes. Money is integer minor units of `currency`; times are ISO 8601 UTC.
//
// Amount rule for every platform: commissions are computed on the goods after discount, without
// tax and without shipping. So `netAmount` excludes tax and shipping, `discountAmount` is the
// platform's discount total and `grossAmount = netAmount + discountAmount`. `totalAmount` is what
// the customer paid (tax and shipping included); it exists so that refunds reported as money
// returned can be pro-rated onto the net. Per platform (see integrations/src/<platform>/webhooks.ts):
// - Stripe checkout session: net = amount_total - total_details.amount_tax - amount_shipping;
//   invoice: net = total_excluding_tax - amount_shipping.
// - Paddle transaction: net = details.totals.total - tax (= subtotal - discount); no shipping.
// - WooCommerce order: net = total - total_tax - shipping_total.
// - Shopify order: net = subtotal_price, less the goods' tax when taxes_included.

/** Normalisers clamp at zero (an over-discounted order earns nothing), so amounts are never negative. */
const Minor = z.number().int().nonnegative();

export const OrderStatus = z.enum(['paid', 'pending']);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const OrderEvent = z.object({
  kind: z.literal('order'),
  platform: Platform,
  /** Stable per order: the key refunds and cancellations use to find the sale. */
  platformOrderId: z.string().min(1),
  /** The platform's id of the event (or the delivery's dedupe key where there is no event id). */
  platformEventId: z.string().min(1),
  occurredAt: IsoDateTime,
  currency: Currency,
  grossAmount: Minor,
  discountAmount: Minor,
  netAmount: Minor,
  /** What the customer paid, tax and shipping included. */
  totalAmount: Minor,
  /** Codes seen on the order, trimmed and upper-cased, without duplicates. */
  codes: z.array(z.string().min(1)),
  /** Platform ids of the discounts (Paddle `dsc_`, Stripe `promo_`): map them through SyncLinks. */
  platformDiscountIds: z.array(z.string().min(1)),
  /**
   * Discount applications the payload only references (Stripe invoices list `di_...` ids, not the
   * promotion code). The worker resolves them through the platform API before attribution
   * (apps/worker/src/handlers/resolve-discounts.ts); what it cannot resolve stays here.
   */
  unresolvedDiscountIds: z.array(z.string().min(1)),
  customer: z.object({
    platformCustomerId: z.string().min(1).nullable(),
    /** Lower-cased. */
    email: z.string().min(1).nullable(),
  }),
  referralVisitorId: z.string().min(1).nullable(),
  /** `pending`: the platform has the order but not the money yet (commission waits for `paid`). */
  status: OrderStatus,
});
export type OrderEvent = z.infer<typeof OrderEvent>;

export const RefundEvent = z.object({
  kind: z.literal('refund'),
  platformOrderId: z.string().min(1),
  /** Stable per refund: the same refund delivered twice counts once. */
  platformRefundId: z.string().min(1),
  /** Minor units returned by this refund alone (never cumulative). */
  amount: Minor,
  /**
   * `net`: `amount` is already the share of the order's net (tax and shipping removed).
   * `total`: the payload could not separate tax and shipping, so `amount` is money returned;
   * pro-rate it as amount * netAmount / totalAmount (see computeNetRefundAmount in integrations).
   */
  basis: z.enum(['net', 'total']),
  /** The order's total as the refund payload states it (Stripe charge amount); null when absent. */
  orderTotalAmount: Minor.nullable(),
  currency: Currency,
  occurredAt: IsoDateTime,
  /** True when the platform states the order is now fully refunded. */
  full: z.boolean(),
});
export type RefundEvent = z.infer<typeof RefundEvent>;

export const CancelEvent = z.object({
  kind: z.literal('cancel'),
  platformOrderId: z.string().min(1),
  occurredAt: IsoDateTime,
});
export type CancelEvent = z.infer<typeof CancelEvent>;

/** A coupon or code changed on the platform (inbound sync). `code` is as the platform spells it. */
export const CodeEvent = z.object({
  kind: z.literal('code'),
  action: z.enum(['created', 'updated', 'deleted', 'deactivated']),
  platformId: z.string().min(1),
  code: z.string().min(1).nullable(),
  active: z.boolean().nullable(),
});
export type CodeEvent = z.infer<typeof CodeEvent>;

/** A delivery we read and deliberately do nothing with; `reason` says why (shown to operators). */
export const IgnoredEvent = z.object({
  kind: z.literal('ignored'),
  reason: z.string().min(1),
});
export type IgnoredEvent = z.infer<typeof IgnoredEvent>;

export const NormalizedEvent = z.discriminatedUnion('kind', [OrderEvent, RefundEvent, CancelEvent, CodeEvent, IgnoredEvent]);
export type NormalizedEvent = z.infer<typeof NormalizedEvent>;

/** What a normaliser returns for one delivery. */
export const NormalizedWebhook = z.object({
  /** Unique per platform event; the inbox's ON CONFLICT key (per connection). */
  dedupeKey: z.string().min(1),
  topic: z.string().min(1),
  events: z.array(NormalizedEvent),
});
export type NormalizedWebhook = z.infer<typeof NormalizedWebhook>;
