import type { CodeEvent, NormalizedEvent, NormalizedWebhook, OrderEvent, RefundEvent } from '@codetrack/contracts';
import { multiplyRatioHalfEven } from '@codetrack/core';
import {
  WebhookPayloadError,
  clampAtZero,
  cleanVisitorId,
  finishNormalized,
  getHeader,
  ignoreEvent,
  isRecord,
  normalizeCodes,
  normalizeEmail,
  optionalArray,
  optionalId,
  optionalRecord,
  optionalString,
  parseDecimalAmount,
  readCurrency,
  readId,
  readPayload,
  toBuffer,
  toIsoUtc,
  verifyBodyHmac,
} from '../webhook-helpers.ts';
import type { Json, NormalizeWebhookInput, VerifyResult, WebhookHeaders } from '../webhook-helpers.ts';

/**
 * WooCommerce (wc/v3) webhooks.
 *
 * platformOrderId: the order id as a string. Net: total - total_tax - shipping_total (fee lines
 * stay in the net). Statuses: processing / completed / refunded -> a paid order (plus one refund
 * per entry of `refunds[]`); on-hold (awaiting a manual payment such as a bank transfer) -> a
 * pending order, so the sale is visible before the money; pending (awaiting payment: mostly
 * abandoned checkouts, which WooCommerce later cancels), failed and checkout-draft -> ignored;
 * cancelled -> a cancellation. Refunds in `refunds[]` carry only a negative `total` (tax and
 * shipping included) and no date: the amount is pro-rated onto the net with the order's own
 * totals, and the time is the order's date_modified_gmt.
 */

export const WOOCOMMERCE_SIGNATURE_HEADER = 'x-wc-webhook-signature';
export const WOOCOMMERCE_TOPIC_HEADER = 'x-wc-webhook-topic';
export const WOOCOMMERCE_WEBHOOK_ID_HEADER = 'x-wc-webhook-id';

/** WooCommerce signs no timestamp, so `now`/`toleranceSeconds` do not apply. */
export function verifyWooCommerceWebhook(input: { rawBody: Buffer | string; headers: WebhookHeaders; secret: string }): VerifyResult {
  return verifyBodyHmac({
    body: toBuffer(input.rawBody),
    secret: input.secret,
    signature: getHeader(input.headers, WOOCOMMERCE_SIGNATURE_HEADER),
    headerName: 'X-WC-Webhook-Signature',
  });
}

/**
 * The unsigned form-encoded `webhook_id=<id>` WooCommerce posts when a webhook is created: answer
 * 200 and store nothing (it carries no signature to check).
 */
export function isWooCommercePing(input: { rawBody: Buffer | string; headers: WebhookHeaders }): boolean {
  if (getHeader(input.headers, WOOCOMMERCE_SIGNATURE_HEADER) !== null) return false;
  return /^webhook_id=\d+$/.test(toBuffer(input.rawBody).toString('utf8').trim());
}

function readTopic(headers: WebhookHeaders): string {
  const topic = getHeader(headers, WOOCOMMERCE_TOPIC_HEADER);
  if (topic !== null) return topic;
  const resource = getHeader(headers, 'x-wc-webhook-resource');
  const event = getHeader(headers, 'x-wc-webhook-event');
  if (resource !== null && event !== null) return `${resource}.${event}`;
  throw new WebhookPayloadError('missing X-WC-Webhook-Topic header');
}

/**
 * `${webhook id}:${resource id}:${date_modified_gmt}:${status}`. The delivery id changes on every
 * redelivery, so it cannot dedupe; the resource's state at the time of the event can.
 */
export function identifyWooCommerceWebhook(input: NormalizeWebhookInput): { dedupeKey: string; topic: string } {
  const topic = readTopic(input.headers);
  const webhookId = getHeader(input.headers, WOOCOMMERCE_WEBHOOK_ID_HEADER);
  if (webhookId === null) throw new WebhookPayloadError('missing X-WC-Webhook-ID header');
  const resource = readPayload(input);
  const id = readId(resource, 'id', topic);
  const modified = optionalString(resource, 'date_modified_gmt') ?? '-';
  const status = optionalString(resource, 'status') ?? '-';
  return { dedupeKey: `${webhookId}:${id}:${modified}:${status}`, topic };
}

export function normalizeWooCommerceWebhook(input: NormalizeWebhookInput): NormalizedWebhook {
  const { dedupeKey, topic } = identifyWooCommerceWebhook(input);
  const resource = readPayload(input);
  let events: NormalizedEvent[];
  switch (topic) {
    case 'order.created':
    case 'order.updated':
      events = normalizeOrder(resource, dedupeKey);
      break;
    case 'coupon.created':
    case 'coupon.updated':
    case 'coupon.restored':
    case 'coupon.deleted':
      events = [normalizeCoupon(topic, resource)];
      break;
    default:
      events = [ignoreEvent(`WooCommerce topic ${topic} is not handled`)];
  }
  return finishNormalized({ dedupeKey, topic, events });
}

function readGmt(order: Json, key: string): string | null {
  const value = optionalString(order, key);
  return value === null ? null : toIsoUtc(value, `order.${key}`);
}

function normalizeOrder(order: Json, eventId: string): NormalizedEvent[] {
  const what = 'order';
  const orderId = readId(order, 'id', what);
  const status = optionalString(order, 'status');
  if (status === null) throw new WebhookPayloadError('order.status is missing');
  const modifiedAt = readGmt(order, 'date_modified_gmt') ?? readGmt(order, 'date_created_gmt');
  if (modifiedAt === null) throw new WebhookPayloadError('order has neither date_modified_gmt nor date_created_gmt');

  switch (status) {
    case 'cancelled':
      return [{ kind: 'cancel', platformOrderId: orderId, occurredAt: modifiedAt }];
    case 'pending':
      return [ignoreEvent('order is awaiting payment')];
    case 'failed':
      return [ignoreEvent('order payment failed')];
    case 'checkout-draft':
      return [ignoreEvent('order is a checkout draft')];
    case 'processing':
    case 'completed':
    case 'refunded':
    case 'on-hold':
      break;
    default:
      return [ignoreEvent(`order status ${status} is not handled`)];
  }

  const currency = readCurrency(order.currency, `${what}.currency`);
  const money = (key: string) => parseDecimalAmount(order[key] ?? '0', currency, `${what}.${key}`);
  const total = money('total');
  const net = clampAtZero(total - money('total_tax') - money('shipping_total'));
  const discount = clampAtZero(money('discount_total'));
  const billing = optionalRecord(order, 'billing');
  const codes = optionalArray(order, 'coupon_lines', what).map((line) => (isRecord(line) ? optionalString(line, 'code') : null));

  const orderEvent: OrderEvent = {
    kind: 'order',
    platform: 'woocommerce',
    platformOrderId: orderId,
    platformEventId: eventId,
    occurredAt: readGmt(order, 'date_paid_gmt') ?? readGmt(order, 'date_created_gmt') ?? modifiedAt,
    currency,
    grossAmount: net + discount,
    discountAmount: discount,
    netAmount: net,
    totalAmount: clampAtZero(total),
    codes: normalizeCodes(codes),
    // WooCommerce coupons are one object per code: the code itself is the mapping key.
    platformDiscountIds: [],
    unresolvedDiscountIds: [],
    customer: {
      platformCustomerId: optionalId(order, 'customer_id'),
      email: normalizeEmail(billing ? optionalString(billing, 'email') : null),
    },
    referralVisitorId: readVisitorId(order),
    status: status === 'on-hold' ? 'pending' : 'paid',
  };
  if (status === 'on-hold') return [orderEvent];

  const refunds: RefundEvent[] = [];
  for (const raw of optionalArray(order, 'refunds', what)) {
    if (!isRecord(raw)) continue;
    // refunds[] lists `total` as a negative string ("-10.00"); the refunds endpoint says `amount`.
    const returned = Math.abs(parseDecimalAmount(raw.total ?? raw.amount, currency, `${what}.refunds[].total`));
    refunds.push({
      kind: 'refund',
      platformOrderId: orderId,
      platformRefundId: readId(raw, 'id', `${what}.refunds[]`),
      amount: total > 0 ? Math.min(net, multiplyRatioHalfEven(returned, net, total)) : 0,
      basis: 'net',
      orderTotalAmount: clampAtZero(total),
      currency,
      occurredAt: modifiedAt,
      full: status === 'refunded',
    });
  }
  return [orderEvent, ...refunds];
}

function readVisitorId(order: Json): string | null {
  for (const key of ['_ct_vid', 'ct_vid']) {
    for (const entry of optionalArray(order, 'meta_data', 'order')) {
      if (isRecord(entry) && entry.key === key) {
        const value = cleanVisitorId(entry.value);
        if (value !== null) return value;
      }
    }
  }
  return null;
}

function normalizeCoupon(topic: string, coupon: Json): CodeEvent {
  const platformId = readId(coupon, 'id', 'coupon');
  const code = optionalString(coupon, 'code');
  if (topic === 'coupon.deleted') return { kind: 'code', action: 'deleted', platformId, code, active: false };
  const status = optionalString(coupon, 'status');
  // Deactivation in our adapter is a move to draft: only published coupons apply at checkout.
  const active = status === null ? null : status === 'publish';
  let action: CodeEvent['action'] = topic === 'coupon.created' ? 'created' : 'updated';
  if (action === 'updated' && active === false) action = 'deactivated';
  return { kind: 'code', action, platformId, code, active };
}
