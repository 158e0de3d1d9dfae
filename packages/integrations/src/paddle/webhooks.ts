import type { CodeEvent, NormalizedEvent, NormalizedWebhook } from '@codetrack/contracts';
import {
  clampAtZero,
  cleanVisitorId,
  finishNormalized,
  ignoreEvent,
  normalizeCodes,
  normalizeEmail,
  optionalRecord,
  optionalString,
  parseMinorUnitString,
  readCurrency,
  readPayload,
  readRecord,
  readString,
  toIsoUtc,
  uniqueStrings,
  verifyTimestampedHeader,
} from '../webhook-helpers.ts';
import type { Json, NormalizeWebhookInput, VerifyResult, VerifyWebhookInput } from '../webhook-helpers.ts';

/**
 * Paddle Billing webhooks.
 *
 * platformOrderId: the transaction id (`txn_...`); adjustments point at it by `transaction_id`.
 * Net: details.totals.total - details.totals.tax, which equals subtotal - discount for both tax
 * modes (Paddle is merchant of record and has no shipping). Amounts are strings of minor units.
 * Refunds: adjustments with action `refund` (or `chargeback`, which returns money just the same)
 * count once Paddle has approved them; `totals.subtotal` is their pre-tax share, so basis `net`.
 */

export const PADDLE_SIGNATURE_HEADER = 'paddle-signature';

/**
 * Checks `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>]`. Our own verifier because the SDK's
 * rejects anything older than 5 s (retries and queued deliveries are older) and keeps only the
 * last h1, which breaks secret rotation.
 */
export function verifyPaddleWebhook(input: VerifyWebhookInput): VerifyResult {
  return verifyTimestampedHeader(input, { header: PADDLE_SIGNATURE_HEADER, label: 'Paddle-Signature', pairSeparator: ';', timestampKey: 'ts', signatureKey: 'h1', payloadSeparator: ':' });
}

export function identifyPaddleWebhook(input: NormalizeWebhookInput): { dedupeKey: string; topic: string } {
  const event = readPayload(input);
  return { dedupeKey: readString(event, 'event_id', 'event'), topic: readString(event, 'event_type', 'event') };
}

export function normalizePaddleWebhook(input: NormalizeWebhookInput): NormalizedWebhook {
  const event = readPayload(input);
  const eventId = readString(event, 'event_id', 'event');
  const type = readString(event, 'event_type', 'event');
  const occurredAt = toIsoUtc(readString(event, 'occurred_at', 'event'), 'event.occurred_at');
  const data = readRecord(event, 'data', 'event');
  return finishNormalized({ dedupeKey: eventId, topic: type, events: normalizeData(type, data, { eventId, occurredAt }) });
}

type EventContext = { eventId: string; occurredAt: string };

function normalizeData(type: string, data: Json, context: EventContext): NormalizedEvent[] {
  switch (type) {
    case 'transaction.completed':
      return [normalizeTransaction(data, context)];
    case 'transaction.paid':
      return [ignoreEvent('orders are read from transaction.completed')];
    case 'adjustment.created':
    case 'adjustment.updated':
      return [normalizeAdjustment(data, context)];
    case 'discount.created':
    case 'discount.imported':
    case 'discount.updated':
      return [normalizeDiscount(type, data)];
    default:
      return [ignoreEvent(`Paddle event type ${type} is not handled`)];
  }
}

function normalizeTransaction(txn: Json, context: EventContext): NormalizedEvent {
  const what = 'transaction';
  const details = readRecord(txn, 'details', what);
  const totals = readRecord(details, 'totals', `${what}.details`);
  const currency = readCurrency(txn.currency_code ?? totals.currency_code, `${what}.currency_code`);
  const total = parseMinorUnitString(totals.total, `${what}.details.totals.total`);
  const tax = parseMinorUnitString(totals.tax, `${what}.details.totals.tax`);
  const discount = clampAtZero(parseMinorUnitString(totals.discount ?? '0', `${what}.details.totals.discount`));
  const net = clampAtZero(total - tax);
  // `discount` and `customer` are only present when the payload was fetched with include=...
  const discountEntity = optionalRecord(txn, 'discount');
  const customer = optionalRecord(txn, 'customer');
  const customData = optionalRecord(txn, 'custom_data');
  return {
    kind: 'order',
    platform: 'paddle',
    platformOrderId: readString(txn, 'id', what),
    platformEventId: context.eventId,
    occurredAt: context.occurredAt,
    currency,
    grossAmount: net + discount,
    discountAmount: discount,
    netAmount: net,
    totalAmount: clampAtZero(total),
    codes: normalizeCodes([discountEntity ? optionalString(discountEntity, 'code') : null]),
    platformDiscountIds: uniqueStrings([optionalString(txn, 'discount_id'), discountEntity ? optionalString(discountEntity, 'id') : null]),
    unresolvedDiscountIds: [],
    customer: {
      platformCustomerId: optionalString(txn, 'customer_id'),
      email: normalizeEmail(customer ? optionalString(customer, 'email') : null),
    },
    referralVisitorId: customData ? cleanVisitorId(customData.ct_vid) : null,
    status: 'paid',
  };
}

function normalizeAdjustment(adjustment: Json, context: EventContext): NormalizedEvent {
  const what = 'adjustment';
  const action = readString(adjustment, 'action', what);
  if (action !== 'refund' && action !== 'chargeback') return ignoreEvent(`adjustment action ${action} returns no money`);
  const status = readString(adjustment, 'status', what);
  if (status === 'pending_approval') return ignoreEvent('refund is pending approval by Paddle');
  if (status !== 'approved') return ignoreEvent(`refund status ${status} is not approved`);
  const totals = readRecord(adjustment, 'totals', what);
  return {
    kind: 'refund',
    platformOrderId: readString(adjustment, 'transaction_id', what),
    platformRefundId: readString(adjustment, 'id', what),
    amount: clampAtZero(parseMinorUnitString(totals.subtotal, `${what}.totals.subtotal`)),
    basis: 'net',
    orderTotalAmount: null,
    currency: readCurrency(adjustment.currency_code ?? totals.currency_code, `${what}.currency_code`),
    occurredAt: context.occurredAt,
    full: adjustment.type === 'full',
  };
}

function normalizeDiscount(type: string, discount: Json): CodeEvent {
  const status = optionalString(discount, 'status');
  const active = status === null ? null : status === 'active';
  let action: CodeEvent['action'] = 'created';
  if (type === 'discount.updated') action = active === false ? 'deactivated' : 'updated';
  return { kind: 'code', action, platformId: readString(discount, 'id', 'discount'), code: optionalString(discount, 'code'), active };
}
