import type { CodeEvent, NormalizedEvent, NormalizedWebhook, OrderEvent, RefundEvent } from '@codetrack/contracts';
import {
  clampAtZero,
  cleanVisitorId,
  finishNormalized,
  formatUnixSeconds,
  ignoreEvent,
  isRecord,
  normalizeCodes,
  normalizeEmail,
  optionalArray,
  optionalInteger,
  optionalRecord,
  optionalString,
  readCurrency,
  readInteger,
  readPayload,
  readRecord,
  readString,
  uniqueStrings,
  verifyTimestampedHeader,
} from '../webhook-helpers.ts';
import type { Json, NormalizeWebhookInput, VerifyResult, VerifyWebhookInput } from '../webhook-helpers.ts';

/**
 * Stripe webhooks.
 *
 * platformOrderId: the invoice id when the payment belongs to an invoice (subscriptions, and
 * payment-mode sessions with invoice creation), else the PaymentIntent id, else the session or
 * charge id. checkout.session.completed (`invoice` ?? `payment_intent`), invoice.paid (its id)
 * and charge.refunded (`invoice` ?? `payment_intent`) therefore agree. Limit: from API version
 * 2025-03-31 a charge no longer names its invoice, so a refund of an invoice payment arrives
 * under the PaymentIntent id; the worker resolves it through the invoice payments API when no
 * sale has that id.
 *
 * Net: checkout session amount_total - total_details.amount_tax - total_details.amount_shipping
 * (amount_subtotal is before discount and, with inclusive tax, includes tax, so it is not used);
 * invoice total_excluding_tax - amount_shipping. Discount: total_details.amount_discount /
 * the sum of total_discount_amounts. Gross = net + discount.
 */

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

/**
 * Checks `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>]`. Written with node:crypto rather than
 * the SDK's verifyHeader so that the reasons are short, the clock is injectable and Stripe and
 * Paddle share one audited comparison.
 */
export function verifyStripeWebhook(input: VerifyWebhookInput): VerifyResult {
  return verifyTimestampedHeader(input, { header: STRIPE_SIGNATURE_HEADER, label: 'Stripe-Signature', pairSeparator: ',', timestampKey: 't', signatureKey: 'v1', payloadSeparator: '.' });
}

/** Dedupe key (the event id) and topic (the event type), without reading the object. */
export function identifyStripeWebhook(input: NormalizeWebhookInput): { dedupeKey: string; topic: string } {
  const event = readPayload(input);
  return { dedupeKey: readString(event, 'id', 'event'), topic: readString(event, 'type', 'event') };
}

export function normalizeStripeWebhook(input: NormalizeWebhookInput): NormalizedWebhook {
  const event = readPayload(input);
  const eventId = readString(event, 'id', 'event');
  const type = readString(event, 'type', 'event');
  const created = readInteger(event, 'created', 'event');
  const data = readRecord(event, 'data', 'event');
  const object = readRecord(data, 'object', 'event.data');
  const context: EventContext = { eventId, occurredAt: formatUnixSeconds(created), previous: optionalRecord(data, 'previous_attributes') };
  return finishNormalized({ dedupeKey: eventId, topic: type, events: normalizeObject(type, object, context) });
}

type EventContext = { eventId: string; occurredAt: string; previous: Json | null };

function normalizeObject(type: string, object: Json, context: EventContext): NormalizedEvent[] {
  switch (type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return [normalizeCheckoutSession(object, context)];
    case 'checkout.session.async_payment_failed':
      return [{ kind: 'cancel', platformOrderId: readCheckoutOrderId(object), occurredAt: context.occurredAt }];
    case 'invoice.paid':
      return [normalizeInvoice(object, context)];
    case 'invoice.payment_succeeded':
      return [ignoreEvent('invoice payments are read from invoice.paid')];
    case 'charge.refunded':
      return normalizeChargeRefunded(object, context);
    case 'coupon.created':
    case 'coupon.updated':
    case 'coupon.deleted':
      return [normalizeCoupon(type, object)];
    case 'promotion_code.created':
    case 'promotion_code.updated':
      return [normalizePromotionCode(type, object)];
    default:
      return [ignoreEvent(`Stripe event type ${type} is not handled`)];
  }
}

/** An expandable field: the id string, or the expanded object's id. */
function readRefId(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (isRecord(value) && typeof value.id === 'string' && value.id !== '') return value.id;
  return null;
}

function readCheckoutOrderId(session: Json): string {
  return readRefId(session.invoice) ?? readRefId(session.payment_intent) ?? readString(session, 'id', 'checkout session');
}

function readMetadataVisitorId(metadata: Json | null): string | null {
  return metadata === null ? null : cleanVisitorId(metadata.ct_vid);
}

function normalizeCheckoutSession(session: Json, context: EventContext): NormalizedEvent {
  const what = 'checkout session';
  const amountTotal = optionalInteger(session, 'amount_total', what);
  if (session.mode === 'setup' || amountTotal === null) return ignoreEvent('setup-mode checkout session moves no money');
  const currency = readCurrency(session.currency, `${what}.currency`);
  const totals = optionalRecord(session, 'total_details');
  const tax = totals ? (optionalInteger(totals, 'amount_tax', `${what}.total_details`) ?? 0) : 0;
  const shipping = totals ? (optionalInteger(totals, 'amount_shipping', `${what}.total_details`) ?? 0) : 0;
  const discount = totals ? (optionalInteger(totals, 'amount_discount', `${what}.total_details`) ?? 0) : 0;
  const net = clampAtZero(amountTotal - tax - shipping);

  const discounts = collectDiscounts(optionalArray(session, 'discounts', what));
  const details = optionalRecord(session, 'customer_details');
  const email = (details && optionalString(details, 'email')) ?? optionalString(session, 'customer_email');
  const order: OrderEvent = {
    kind: 'order',
    platform: 'stripe',
    platformOrderId: readCheckoutOrderId(session),
    platformEventId: context.eventId,
    occurredAt: context.occurredAt,
    currency,
    grossAmount: net + discount,
    discountAmount: discount,
    netAmount: net,
    totalAmount: amountTotal,
    codes: discounts.codes,
    platformDiscountIds: discounts.promotionCodeIds,
    unresolvedDiscountIds: discounts.unresolved,
    customer: { platformCustomerId: readRefId(session.customer), email: normalizeEmail(email) },
    // Our snippet writes metadata.ct_vid; client_reference_id is the documented fallback slot.
    referralVisitorId: readMetadataVisitorId(optionalRecord(session, 'metadata')) ?? cleanVisitorId(session.client_reference_id),
    status: session.payment_status === 'unpaid' ? 'pending' : 'paid',
  };
  return order;
}

function normalizeInvoice(invoice: Json, context: EventContext): NormalizedEvent {
  const what = 'invoice';
  const currency = readCurrency(invoice.currency, `${what}.currency`);
  const total = readInteger(invoice, 'total', what);
  const shipping = optionalInteger(invoice, 'amount_shipping', what) ?? 0;
  const excludingTax = optionalInteger(invoice, 'total_excluding_tax', what) ?? total - sumTaxes(invoice);
  const net = clampAtZero(excludingTax - shipping);
  let discount = 0;
  for (const entry of optionalArray(invoice, 'total_discount_amounts', what)) {
    if (isRecord(entry)) discount += readInteger(entry, 'amount', `${what}.total_discount_amounts[]`);
  }

  const refs: unknown[] = [...optionalArray(invoice, 'discounts', what)];
  if (invoice.discount !== undefined && invoice.discount !== null) refs.push(invoice.discount);
  for (const entry of optionalArray(invoice, 'total_discount_amounts', what)) if (isRecord(entry)) refs.push(entry.discount);
  const lines = optionalRecord(invoice, 'lines');
  const lineItems = lines ? optionalArray(lines, 'data', `${what}.lines`) : [];
  for (const line of lineItems) {
    if (!isRecord(line)) continue;
    refs.push(...optionalArray(line, 'discounts', `${what}.lines.data[]`));
    for (const amount of optionalArray(line, 'discount_amounts', `${what}.lines.data[]`)) if (isRecord(amount)) refs.push(amount.discount);
  }
  const discounts = collectDiscounts(refs.map((ref) => ({ discount: ref })));

  const transitions = optionalRecord(invoice, 'status_transitions');
  const paidAt = transitions ? optionalInteger(transitions, 'paid_at', `${what}.status_transitions`) : null;
  const parent = optionalRecord(invoice, 'parent');
  const subscriptionDetails = (parent && optionalRecord(parent, 'subscription_details')) ?? optionalRecord(invoice, 'subscription_details');
  const visitorId =
    readMetadataVisitorId(optionalRecord(invoice, 'metadata')) ??
    readMetadataVisitorId(subscriptionDetails && optionalRecord(subscriptionDetails, 'metadata'));
  return {
    kind: 'order',
    platform: 'stripe',
    platformOrderId: readString(invoice, 'id', what),
    platformEventId: context.eventId,
    occurredAt: paidAt === null ? context.occurredAt : formatUnixSeconds(paidAt),
    currency,
    grossAmount: net + discount,
    discountAmount: discount,
    netAmount: net,
    totalAmount: clampAtZero(total),
    codes: discounts.codes,
    platformDiscountIds: discounts.promotionCodeIds,
    unresolvedDiscountIds: discounts.unresolved,
    customer: { platformCustomerId: readRefId(invoice.customer), email: normalizeEmail(optionalString(invoice, 'customer_email')) },
    referralVisitorId: visitorId,
    status: 'paid',
  };
}

/** `total_taxes` (API 2025-03-31+) or the older integer `tax`. */
function sumTaxes(invoice: Json): number {
  const taxes = optionalArray(invoice, 'total_taxes', 'invoice');
  if (taxes.length > 0) return taxes.reduce<number>((sum, t) => sum + (isRecord(t) ? readInteger(t, 'amount', 'invoice.total_taxes[]') : 0), 0);
  return optionalInteger(invoice, 'tax', 'invoice') ?? 0;
}

type CollectedDiscounts = { codes: string[]; promotionCodeIds: string[]; unresolved: string[] };

/**
 * Reads `[{ promotion_code }]` (checkout sessions) and `[{ discount }]` wrappers (invoices, where
 * a discount is a `di_` id or an expanded Discount). An expanded promotion code also gives the code.
 */
function collectDiscounts(entries: unknown[]): CollectedDiscounts {
  const codes: string[] = [];
  const promotionCodeIds: string[] = [];
  const referenced: string[] = [];
  const resolved = new Set<string>();
  const readPromotionCode = (value: unknown) => {
    const id = readRefId(value);
    if (id !== null) promotionCodeIds.push(id);
    if (isRecord(value) && typeof value.code === 'string') codes.push(value.code);
  };
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    if ('promotion_code' in entry) readPromotionCode(entry.promotion_code);
    const discount = entry.discount;
    if (typeof discount === 'string' && discount !== '') referenced.push(discount);
    else if (isRecord(discount)) {
      if (typeof discount.id === 'string') resolved.add(discount.id);
      if (discount.promotion_code !== undefined && discount.promotion_code !== null) readPromotionCode(discount.promotion_code);
    }
  }
  return {
    codes: normalizeCodes(codes),
    promotionCodeIds: uniqueStrings(promotionCodeIds),
    unresolved: uniqueStrings(referenced.filter((id) => !resolved.has(id))),
  };
}

/**
 * `amount_refunded` is cumulative. With `refunds.data` (older API versions, or expanded) each
 * refund is its own event keyed by its `re_` id. Without it, the new amount is the difference to
 * `previous_attributes.amount_refunded`, keyed by the cumulative total it reached, which is unique
 * per charge because the total only grows. Without previous_attributes (not seen in practice)
 * the whole cumulative amount is taken as new.
 */
function normalizeChargeRefunded(charge: Json, context: EventContext): NormalizedEvent[] {
  const what = 'charge';
  const chargeId = readString(charge, 'id', what);
  const currency = readCurrency(charge.currency, `${what}.currency`);
  const platformOrderId = readRefId(charge.invoice) ?? readRefId(charge.payment_intent) ?? chargeId;
  const amount = readInteger(charge, 'amount', what);
  const amountRefunded = readInteger(charge, 'amount_refunded', what);
  const full = charge.refunded === true;
  const base = { kind: 'refund' as const, platformOrderId, currency, basis: 'total' as const, orderTotalAmount: amount, full };

  const list = optionalRecord(charge, 'refunds');
  const refunds = list ? optionalArray(list, 'data', `${what}.refunds`) : [];
  if (refunds.length > 0) {
    const events: RefundEvent[] = [];
    for (const raw of refunds) {
      if (!isRecord(raw)) continue;
      if (raw.status === 'failed' || raw.status === 'canceled') continue;
      const created = optionalInteger(raw, 'created', `${what}.refunds.data[]`);
      events.push({
        ...base,
        platformRefundId: readString(raw, 'id', `${what}.refunds.data[]`),
        amount: readInteger(raw, 'amount', `${what}.refunds.data[]`),
        occurredAt: created === null ? context.occurredAt : formatUnixSeconds(created),
      });
    }
    return events.length > 0 ? events : [ignoreEvent('charge.refunded lists no successful refund')];
  }

  const before = context.previous ? (optionalInteger(context.previous, 'amount_refunded', 'previous_attributes') ?? 0) : 0;
  const delta = amountRefunded - before;
  if (delta <= 0) return [ignoreEvent('charge.refunded carries no newly refunded amount')];
  return [{ ...base, platformRefundId: `${chargeId}:refunded:${amountRefunded}`, amount: delta, occurredAt: context.occurredAt }];
}

function normalizeCoupon(type: string, coupon: Json): CodeEvent {
  const platformId = readString(coupon, 'id', 'coupon');
  if (type === 'coupon.deleted') return { kind: 'code', action: 'deleted', platformId, code: null, active: false };
  const valid = typeof coupon.valid === 'boolean' ? coupon.valid : null;
  return { kind: 'code', action: type === 'coupon.created' ? 'created' : 'updated', platformId, code: null, active: valid };
}

function normalizePromotionCode(type: string, promotionCode: Json): CodeEvent {
  const platformId = readString(promotionCode, 'id', 'promotion code');
  const active = typeof promotionCode.active === 'boolean' ? promotionCode.active : null;
  let action: CodeEvent['action'] = 'created';
  if (type === 'promotion_code.updated') action = active === false ? 'deactivated' : 'updated';
  return { kind: 'code', action, platformId, code: optionalString(promotionCode, 'code'), active };
}
