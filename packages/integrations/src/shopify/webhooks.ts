import type { CodeEvent, NormalizedEvent, NormalizedWebhook, OrderEvent } from '@codetrack/contracts';
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
  readString,
  toBuffer,
  toIsoUtc,
  verifyBodyHmac,
} from '../webhook-helpers.ts';
import type { Json, NormalizeWebhookInput, VerifyResult, WebhookHeaders } from '../webhook-helpers.ts';

/**
 * Shopify webhooks (REST-shaped JSON bodies, as every webhook subscription delivers them).
 *
 * platformOrderId: the numeric order id as a string; refunds/create joins on `order_id`.
 * Net: subtotal_price (after discounts, before shipping, duties, tax and tips); when the shop's
 * prices include tax (`taxes_included`) the goods' tax (total_tax minus the shipping lines' tax)
 * is taken out. All amounts are the shop currency's (`currency`, `*_set.shop_money`), never the
 * presentment currency. Financial status paid / partially_refunded / refunded -> paid;
 * pending / authorized / partially_paid -> pending; voided -> ignored.
 * Refunds: the refund line items' subtotals (pre-tax, after discounts; shipping refunds are order
 * adjustments and are left out) with basis `net`; a refund without line items (a custom amount)
 * uses its successful `refund` transactions, basis `total`.
 */

export const SHOPIFY_SIGNATURE_HEADER = 'x-shopify-hmac-sha256';
export const SHOPIFY_TOPIC_HEADER = 'x-shopify-topic';
export const SHOPIFY_EVENT_ID_HEADER = 'x-shopify-event-id';
export const SHOPIFY_WEBHOOK_ID_HEADER = 'x-shopify-webhook-id';

/** Shopify signs no timestamp, so `now`/`toleranceSeconds` do not apply. */
export function verifyShopifyWebhook(input: { rawBody: Buffer | string; headers: WebhookHeaders; secret: string }): VerifyResult {
  return verifyBodyHmac({
    body: toBuffer(input.rawBody),
    secret: input.secret,
    signature: getHeader(input.headers, SHOPIFY_SIGNATURE_HEADER),
    headerName: 'X-Shopify-Hmac-Sha256',
  });
}

/** X-Shopify-Event-Id is shared by all deliveries of one event; the webhook id is the older fallback. */
export function identifyShopifyWebhook(input: { headers: WebhookHeaders }): { dedupeKey: string; topic: string } {
  const topic = getHeader(input.headers, SHOPIFY_TOPIC_HEADER);
  if (topic === null) throw new WebhookPayloadError('missing X-Shopify-Topic header');
  const dedupeKey = getHeader(input.headers, SHOPIFY_EVENT_ID_HEADER) ?? getHeader(input.headers, SHOPIFY_WEBHOOK_ID_HEADER);
  if (dedupeKey === null) throw new WebhookPayloadError('missing X-Shopify-Event-Id and X-Shopify-Webhook-Id headers');
  return { dedupeKey, topic };
}

export function normalizeShopifyWebhook(input: NormalizeWebhookInput): NormalizedWebhook {
  const { dedupeKey, topic } = identifyShopifyWebhook(input);
  const body = readPayload(input);
  let events: NormalizedEvent[];
  switch (topic) {
    case 'orders/create':
    case 'orders/paid':
      events = [normalizeOrder(body, dedupeKey)];
      break;
    case 'orders/cancelled':
      events = [
        {
          kind: 'cancel',
          platformOrderId: readId(body, 'id', 'order'),
          occurredAt: readTime(body, ['cancelled_at', 'updated_at'], 'order'),
        },
      ];
      break;
    case 'refunds/create':
      events = [normalizeRefund(body)];
      break;
    case 'discounts/create':
    case 'discounts/update':
    case 'discounts/delete':
      events = [normalizeDiscount(topic, body)];
      break;
    default:
      events = [ignoreEvent(`Shopify topic ${topic} is not handled`)];
  }
  return finishNormalized({ dedupeKey, topic, events });
}

function readTime(obj: Json, keys: string[], what: string): string {
  for (const key of keys) {
    const value = optionalString(obj, key);
    if (value !== null) return toIsoUtc(value, `${what}.${key}`);
  }
  throw new WebhookPayloadError(`${what} has none of ${keys.join(', ')}`);
}

/** `field` ("19.99"), or `${field}_set.shop_money.amount` when only the set is present. */
function readShopAmount(obj: Json, field: string, currency: string, what: string): number {
  const set = optionalRecord(obj, `${field}_set`);
  const shopMoney = set ? optionalRecord(set, 'shop_money') : null;
  const value = obj[field] ?? shopMoney?.amount;
  if (value === undefined || value === null) return 0;
  return parseDecimalAmount(value, currency, `${what}.${field}`);
}

const PAID_STATUSES = new Set(['paid', 'partially_refunded', 'refunded']);
const PENDING_STATUSES = new Set(['pending', 'authorized', 'partially_paid']);

function normalizeOrder(order: Json, eventId: string): NormalizedEvent {
  const what = 'order';
  const financialStatus = optionalString(order, 'financial_status') ?? 'pending';
  if (!PAID_STATUSES.has(financialStatus) && !PENDING_STATUSES.has(financialStatus)) {
    return ignoreEvent(`order financial status ${financialStatus} is not handled`);
  }
  const currency = readCurrency(order.currency, `${what}.currency`);
  const subtotal = readShopAmount(order, 'subtotal_price', currency, what);
  let goodsTax = 0;
  if (order.taxes_included === true) {
    let shippingTax = 0;
    for (const line of optionalArray(order, 'shipping_lines', what)) {
      if (!isRecord(line)) continue;
      for (const tax of optionalArray(line, 'tax_lines', `${what}.shipping_lines[]`)) {
        if (isRecord(tax)) shippingTax += readShopAmount(tax, 'price', currency, `${what}.shipping_lines[].tax_lines[]`);
      }
    }
    goodsTax = clampAtZero(readShopAmount(order, 'total_tax', currency, what) - shippingTax);
  }
  const net = clampAtZero(subtotal - goodsTax);
  const discount = clampAtZero(readShopAmount(order, 'total_discounts', currency, what));
  const customer = optionalRecord(order, 'customer');
  const email = optionalString(order, 'email') ?? optionalString(order, 'contact_email') ?? (customer && optionalString(customer, 'email'));
  const codes = optionalArray(order, 'discount_codes', what).map((entry) => (isRecord(entry) ? optionalString(entry, 'code') : null));
  const event: OrderEvent = {
    kind: 'order',
    platform: 'shopify',
    platformOrderId: readId(order, 'id', what),
    platformEventId: eventId,
    occurredAt: readTime(order, ['processed_at', 'created_at'], what),
    currency,
    grossAmount: net + discount,
    discountAmount: discount,
    netAmount: net,
    totalAmount: clampAtZero(readShopAmount(order, 'total_price', currency, what)),
    codes: normalizeCodes(codes),
    // Shopify discount codes are matched by code; the order does not name the discount node.
    platformDiscountIds: [],
    unresolvedDiscountIds: [],
    customer: { platformCustomerId: customer ? optionalId(customer, 'id') : null, email: normalizeEmail(email) },
    referralVisitorId: readVisitorId(order),
    status: PAID_STATUSES.has(financialStatus) ? 'paid' : 'pending',
  };
  return event;
}

/** Cart attributes arrive as note_attributes; the landing page's `ct_vid` query is the fallback. */
function readVisitorId(order: Json): string | null {
  for (const name of ['ct_vid', '_ct_vid']) {
    for (const attribute of optionalArray(order, 'note_attributes', 'order')) {
      if (isRecord(attribute) && attribute.name === name) {
        const value = cleanVisitorId(attribute.value);
        if (value !== null) return value;
      }
    }
  }
  const landingSite = optionalString(order, 'landing_site');
  if (landingSite === null) return null;
  try {
    // landing_site is usually a path ("/products/x?ct_vid=..."); the base only makes it parseable.
    return cleanVisitorId(new URL(landingSite, 'https://shop.invalid').searchParams.get('ct_vid'));
  } catch {
    return null;
  }
}

function normalizeRefund(refund: Json): NormalizedEvent {
  const what = 'refund';
  const platformOrderId = readId(refund, 'order_id', what);
  const platformRefundId = readId(refund, 'id', what);
  const occurredAt = readTime(refund, ['processed_at', 'created_at'], what);
  const currencies: string[] = [];
  const lineItems = optionalArray(refund, 'refund_line_items', what).filter(isRecord);
  for (const item of lineItems) {
    const set = optionalRecord(item, 'subtotal_set');
    const shopMoney = set ? optionalRecord(set, 'shop_money') : null;
    if (shopMoney && typeof shopMoney.currency_code === 'string') currencies.push(shopMoney.currency_code);
  }
  const transactions = optionalArray(refund, 'transactions', what)
    .filter(isRecord)
    .filter((t) => t.kind === 'refund' && (t.status === undefined || t.status === 'success'));
  for (const transaction of transactions) {
    if (typeof transaction.currency === 'string') currencies.push(transaction.currency);
  }
  const rawCurrency = currencies[0];
  if (rawCurrency === undefined) {
    if (lineItems.length === 0 && transactions.length === 0) return ignoreEvent('refund returns no money');
    throw new WebhookPayloadError('refund names no currency');
  }
  const currency = readCurrency(rawCurrency, `${what}.currency`);

  let amount = 0;
  let basis: 'net' | 'total' = 'net';
  if (lineItems.length > 0) {
    for (const item of lineItems) amount += readShopAmount(item, 'subtotal', currency, `${what}.refund_line_items[]`);
  } else {
    basis = 'total';
    for (const transaction of transactions) amount += parseDecimalAmount(transaction.amount, currency, `${what}.transactions[].amount`);
  }
  if (amount <= 0) return ignoreEvent('refund returns no money');
  return {
    kind: 'refund',
    platformOrderId,
    platformRefundId,
    amount,
    basis,
    orderTotalAmount: null,
    currency,
    occurredAt,
    // refunds/create does not say whether the order is now fully refunded.
    full: false,
  };
}

function normalizeDiscount(topic: string, body: Json): NormalizedEvent {
  const platformId = readString(body, 'admin_graphql_api_id', 'discount');
  // Our codes are DiscountCodeNode objects; automatic discounts have no code to track.
  if (!platformId.includes('/DiscountCodeNode/')) return ignoreEvent('not a code discount');
  if (topic === 'discounts/delete') return { kind: 'code', action: 'deleted', platformId, code: null, active: false };
  const status = optionalString(body, 'status');
  const active = status === null ? null : status === 'ACTIVE';
  let action: CodeEvent['action'] = topic === 'discounts/create' ? 'created' : 'updated';
  // Deactivating a Shopify code ends it now, which shows as EXPIRED.
  if (action === 'updated' && status === 'EXPIRED') action = 'deactivated';
  return { kind: 'code', action, platformId, code: null, active };
}
