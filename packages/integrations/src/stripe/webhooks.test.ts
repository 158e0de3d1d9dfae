import { createHmac } from 'node:crypto';
import {
  signedStripeWebhook,
  stripeChargeRefunded,
  stripeCheckoutCompleted,
  stripeCouponEvent,
  stripeDiscount,
  stripeEvent,
  stripeInvoicePaid,
  stripePromotionCodeEvent,
} from '@codetrack/testkit';
import { describe, expect, it } from 'vitest';
import { WebhookPayloadError } from '../webhook-helpers.ts';
import { identifyStripeWebhook, normalizeStripeWebhook, verifyStripeWebhook } from './webhooks.ts';

const SECRET = 'whsec_test_secret';
const T = 1_767_225_600;
const NOW = new Date(T * 1000);

function sign(body: string, secret: string, t = T): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

describe('verifyStripeWebhook', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'checkout.session.completed' });

  it('accepts a delivery signed by the Stripe SDK helper', () => {
    const delivery = signedStripeWebhook({ payload: { id: 'evt_1' }, secret: SECRET, timestamp: T });
    expect(verifyStripeWebhook({ ...delivery, secret: SECRET, now: NOW })).toEqual({ ok: true });
    expect(verifyStripeWebhook({ rawBody: Buffer.from(delivery.rawBody), headers: delivery.headers, secret: SECRET, now: NOW })).toEqual({ ok: true });
  });

  it('reads the header case-insensitively and as an array', () => {
    expect(verifyStripeWebhook({ rawBody: body, headers: { 'Stripe-Signature': [sign(body, SECRET)] }, secret: SECRET, now: NOW }).ok).toBe(true);
  });

  it('rejects a wrong secret', () => {
    const result = verifyStripeWebhook({ rawBody: body, headers: { 'stripe-signature': sign(body, 'whsec_other') }, secret: SECRET, now: NOW });
    expect(result).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('rejects a tampered body', () => {
    const header = sign(body, SECRET);
    const result = verifyStripeWebhook({ rawBody: body.replace('evt_1', 'evt_2'), headers: { 'stripe-signature': header }, secret: SECRET, now: NOW });
    expect(result.ok).toBe(false);
  });

  it('rejects a timestamp older than the tolerance, and accepts it inside a larger one', () => {
    const header = sign(body, SECRET, T - 301);
    expect(verifyStripeWebhook({ rawBody: body, headers: { 'stripe-signature': header }, secret: SECRET, now: NOW })).toEqual({
      ok: false,
      reason: 'timestamp outside the 300 s tolerance',
    });
    expect(verifyStripeWebhook({ rawBody: body, headers: { 'stripe-signature': header }, secret: SECRET, now: NOW, toleranceSeconds: 600 }).ok).toBe(true);
    expect(verifyStripeWebhook({ rawBody: body, headers: { 'stripe-signature': sign(body, SECRET, T - 299) }, secret: SECRET, now: NOW }).ok).toBe(true);
  });

  it('accepts when any of several v1 signatures matches (secret rotation)', () => {
    const good = sign(body, SECRET).split(',v1=')[1];
    const bad = createHmac('sha256', 'old').update(`${T}.${body}`).digest('hex');
    const header = `t=${T},v1=${bad},v1=${good},v0=ignored`;
    expect(verifyStripeWebhook({ rawBody: body, headers: { 'stripe-signature': header }, secret: SECRET, now: NOW }).ok).toBe(true);
    expect(verifyStripeWebhook({ rawBody: body, headers: { 'stripe-signature': `t=${T},v1=${bad}` }, secret: SECRET, now: NOW }).ok).toBe(false);
  });

  it('rejects a missing or malformed header', () => {
    expect(verifyStripeWebhook({ rawBody: body, headers: {}, secret: SECRET, now: NOW })).toEqual({ ok: false, reason: 'missing Stripe-Signature header' });
    expect(verifyStripeWebhook({ rawBody: body, headers: { 'stripe-signature': 'v1=abc' }, secret: SECRET, now: NOW })).toEqual({ ok: false, reason: 'signature header has no timestamp' });
    expect(verifyStripeWebhook({ rawBody: body, headers: { 'stripe-signature': `t=${T}` }, secret: SECRET, now: NOW })).toEqual({ ok: false, reason: 'signature header has no signature' });
    expect(verifyStripeWebhook({ rawBody: body, headers: { 'stripe-signature': `t=${T},v1=zz` }, secret: SECRET, now: NOW }).ok).toBe(false);
  });
});

describe('normalizeStripeWebhook: checkout.session.completed', () => {
  const payload = stripeCheckoutCompleted({
    eventId: 'evt_cs_1',
    sessionId: 'cs_test_1',
    paymentIntentId: 'pi_1',
    amountSubtotal: 10_000,
    amountDiscount: 2_000,
    tax: 1_600,
    shipping: 500,
    amountTotal: 10_100,
    currency: 'eur',
    promotionCodeId: 'promo_1',
    email: 'Ada@Example.COM',
    visitorId: 'vis_meta',
    clientReferenceId: 'vis_ref',
    customerId: 'cus_1',
  });

  it('excludes tax and shipping from the net and keeps the promotion code id', () => {
    const result = normalizeStripeWebhook({ payload, headers: {} });
    expect(result.dedupeKey).toBe('evt_cs_1');
    expect(result.topic).toBe('checkout.session.completed');
    expect(result.events).toEqual([
      {
        kind: 'order',
        platform: 'stripe',
        platformOrderId: 'pi_1',
        platformEventId: 'evt_cs_1',
        occurredAt: '2026-01-01T00:00:00.000Z',
        currency: 'EUR',
        grossAmount: 10_000,
        discountAmount: 2_000,
        netAmount: 8_000,
        totalAmount: 10_100,
        codes: [],
        platformDiscountIds: ['promo_1'],
        unresolvedDiscountIds: [],
        customer: { platformCustomerId: 'cus_1', email: 'ada@example.com' },
        referralVisitorId: 'vis_meta',
        status: 'paid',
      },
    ]);
  });

  it('reads the same event from the signed raw body', () => {
    const delivery = signedStripeWebhook({ payload, secret: SECRET });
    expect(normalizeStripeWebhook({ rawBody: delivery.rawBody, headers: delivery.headers })).toEqual(normalizeStripeWebhook({ payload, headers: {} }));
  });

  it('reads the code of an expanded promotion code, upper-cased', () => {
    const expanded = stripeCheckoutCompleted({ amountSubtotal: 5_000, amountDiscount: 500, amountTotal: 4_500, promotionCodeId: 'promo_2', promotionCode: 'ada-10 ' });
    const [event] = normalizeStripeWebhook({ payload: expanded, headers: {} }).events;
    expect(event).toMatchObject({ codes: ['ADA-10'], platformDiscountIds: ['promo_2'], netAmount: 4_500, grossAmount: 5_000 });
  });

  it('falls back to client_reference_id for the visitor id', () => {
    const session = stripeCheckoutCompleted({ amountSubtotal: 1_000, amountTotal: 1_000, clientReferenceId: 'vis_ref' });
    expect(normalizeStripeWebhook({ payload: session, headers: {} }).events[0]).toMatchObject({ referralVisitorId: 'vis_ref', codes: [], platformDiscountIds: [] });
  });

  it('uses the invoice id for subscription sessions, so invoice.paid lands on the same order', () => {
    const session = stripeCheckoutCompleted({ mode: 'subscription', invoiceId: 'in_1', amountSubtotal: 2_000, amountTotal: 2_000 });
    expect(normalizeStripeWebhook({ payload: session, headers: {} }).events[0]).toMatchObject({ platformOrderId: 'in_1' });
    const invoice = stripeInvoicePaid({ invoiceId: 'in_1', subtotal: 2_000 });
    expect(normalizeStripeWebhook({ payload: invoice, headers: {} }).events[0]).toMatchObject({ platformOrderId: 'in_1' });
  });

  it('marks unpaid (asynchronous payment) sessions pending and zero-decimal currencies stay exact', () => {
    const session = stripeCheckoutCompleted({ amountSubtotal: 5_000, amountTotal: 5_000, currency: 'jpy', paymentStatus: 'unpaid' });
    expect(normalizeStripeWebhook({ payload: session, headers: {} }).events[0]).toMatchObject({ status: 'pending', currency: 'JPY', netAmount: 5_000 });
  });

  it('ignores setup-mode sessions', () => {
    const session = stripeCheckoutCompleted({ mode: 'setup', amountSubtotal: 0, amountTotal: 0 });
    expect(normalizeStripeWebhook({ payload: session, headers: {} }).events).toEqual([{ kind: 'ignored', reason: 'setup-mode checkout session moves no money' }]);
  });

  it('turns a failed asynchronous payment into a cancellation', () => {
    const failed = stripeEvent({ id: 'evt_f', type: 'checkout.session.async_payment_failed', object: { id: 'cs_1', payment_intent: 'pi_9', invoice: null } });
    expect(normalizeStripeWebhook({ payload: failed, headers: {} }).events).toEqual([{ kind: 'cancel', platformOrderId: 'pi_9', occurredAt: '2026-01-01T00:00:00.000Z' }]);
  });
});

describe('normalizeStripeWebhook: invoice.paid', () => {
  it('reads discounts on the invoice and its lines, tax and shipping excluded', () => {
    const payload = stripeInvoicePaid({
      eventId: 'evt_in_1',
      invoiceId: 'in_7',
      subtotal: 4_000,
      discount: 1_000,
      tax: 600,
      shipping: 300,
      currency: 'usd',
      email: 'Buyer@Example.com',
      discounts: [stripeDiscount({ id: 'di_a', promotionCodeId: 'promo_a', code: 'SPRING' })],
      lineDiscounts: ['di_b'],
      subscriptionMetadata: { ct_vid: 'vis_sub' },
      paidAt: T + 60,
    });
    const result = normalizeStripeWebhook({ payload, headers: {} });
    expect(result.dedupeKey).toBe('evt_in_1');
    expect(result.events).toEqual([
      {
        kind: 'order',
        platform: 'stripe',
        platformOrderId: 'in_7',
        platformEventId: 'evt_in_1',
        occurredAt: '2026-01-01T00:01:00.000Z',
        currency: 'USD',
        grossAmount: 4_000,
        discountAmount: 1_000,
        netAmount: 3_000,
        totalAmount: 3_900,
        codes: ['SPRING'],
        platformDiscountIds: ['promo_a'],
        unresolvedDiscountIds: ['di_b'],
        customer: { platformCustomerId: 'cus_test_a1', email: 'buyer@example.com' },
        referralVisitorId: 'vis_sub',
        status: 'paid',
      },
    ]);
  });

  it('prefers invoice metadata for the visitor id and reads unexpanded promotion codes on lines', () => {
    const payload = stripeInvoicePaid({
      subtotal: 1_000,
      metadata: { ct_vid: 'vis_inv' },
      subscriptionMetadata: { ct_vid: 'vis_sub' },
      lineDiscounts: [stripeDiscount({ id: 'di_c', promotionCodeId: 'promo_c' })],
    });
    expect(normalizeStripeWebhook({ payload, headers: {} }).events[0]).toMatchObject({
      referralVisitorId: 'vis_inv',
      platformDiscountIds: ['promo_c'],
      unresolvedDiscountIds: [],
      codes: [],
    });
  });

  it('falls back to total minus taxes when total_excluding_tax is absent (older API versions)', () => {
    const payload = stripeInvoicePaid({ subtotal: 2_000, tax: 400 });
    const invoice = (payload.data as { object: Record<string, unknown> }).object;
    delete invoice.total_excluding_tax;
    expect(normalizeStripeWebhook({ payload, headers: {} }).events[0]).toMatchObject({ netAmount: 2_000, totalAmount: 2_400 });
  });
});

describe('normalizeStripeWebhook: charge.refunded', () => {
  it('emits one refund per listed refund, keyed by the refund id', () => {
    const payload = stripeChargeRefunded({
      amount: 10_100,
      amountRefunded: 3_000,
      paymentIntentId: 'pi_1',
      refunds: [
        { id: 're_1', amount: 1_000, created: T - 100 },
        { id: 're_2', amount: 2_000 },
        { id: 're_x', amount: 500, status: 'failed' },
      ],
    });
    const events = normalizeStripeWebhook({ payload, headers: {} }).events;
    expect(events).toEqual([
      { kind: 'refund', platformOrderId: 'pi_1', platformRefundId: 're_1', amount: 1_000, basis: 'total', orderTotalAmount: 10_100, currency: 'USD', occurredAt: '2025-12-31T23:58:20.000Z', full: false },
      { kind: 'refund', platformOrderId: 'pi_1', platformRefundId: 're_2', amount: 2_000, basis: 'total', orderTotalAmount: 10_100, currency: 'USD', occurredAt: '2026-01-01T00:00:00.000Z', full: false },
    ]);
  });

  it('without a refund list, emits the newly refunded amount under a stable id', () => {
    const first = stripeChargeRefunded({ chargeId: 'ch_1', amount: 5_000, amountRefunded: 1_000, previousAmountRefunded: 0 });
    const second = stripeChargeRefunded({ chargeId: 'ch_1', amount: 5_000, amountRefunded: 5_000, previousAmountRefunded: 1_000 });
    const a = normalizeStripeWebhook({ payload: first, headers: {} }).events[0];
    const b = normalizeStripeWebhook({ payload: second, headers: {} }).events[0];
    expect(a).toMatchObject({ platformRefundId: 'ch_1:refunded:1000', amount: 1_000, full: false });
    expect(b).toMatchObject({ platformRefundId: 'ch_1:refunded:5000', amount: 4_000, full: true });
    expect(normalizeStripeWebhook({ payload: first, headers: {} }).events[0]).toEqual(a);
  });

  it('keys the refund on the invoice when the charge names one', () => {
    const payload = stripeChargeRefunded({ invoiceId: 'in_1', paymentIntentId: 'pi_1', amount: 2_000, amountRefunded: 2_000 });
    expect(normalizeStripeWebhook({ payload, headers: {} }).events[0]).toMatchObject({ platformOrderId: 'in_1', amount: 2_000, full: true });
  });
});

describe('normalizeStripeWebhook: coupons and promotion codes', () => {
  it('maps coupon events', () => {
    expect(normalizeStripeWebhook({ payload: stripeCouponEvent({ type: 'coupon.created', id: 'co_1' }), headers: {} }).events).toEqual([
      { kind: 'code', action: 'created', platformId: 'co_1', code: null, active: true },
    ]);
    expect(normalizeStripeWebhook({ payload: stripeCouponEvent({ type: 'coupon.deleted', id: 'co_1' }), headers: {} }).events).toEqual([
      { kind: 'code', action: 'deleted', platformId: 'co_1', code: null, active: false },
    ]);
  });

  it('maps promotion code events, an inactive update being a deactivation', () => {
    const created = stripePromotionCodeEvent({ type: 'promotion_code.created', id: 'promo_1', code: 'Ada20', active: true });
    const deactivated = stripePromotionCodeEvent({ type: 'promotion_code.updated', id: 'promo_1', code: 'Ada20', active: false });
    expect(normalizeStripeWebhook({ payload: created, headers: {} }).events).toEqual([{ kind: 'code', action: 'created', platformId: 'promo_1', code: 'Ada20', active: true }]);
    expect(normalizeStripeWebhook({ payload: deactivated, headers: {} }).events[0]).toMatchObject({ action: 'deactivated', active: false });
  });
});

describe('normalizeStripeWebhook: unknown and malformed', () => {
  it('ignores unknown event types with a reason', () => {
    const payload = stripeEvent({ id: 'evt_u', type: 'customer.created', object: { id: 'cus_1' } });
    expect(normalizeStripeWebhook({ payload, headers: {} })).toEqual({
      dedupeKey: 'evt_u',
      topic: 'customer.created',
      events: [{ kind: 'ignored', reason: 'Stripe event type customer.created is not handled' }],
    });
    expect(identifyStripeWebhook({ payload, headers: {} })).toEqual({ dedupeKey: 'evt_u', topic: 'customer.created' });
  });

  it('throws WebhookPayloadError for malformed payloads', () => {
    expect(() => normalizeStripeWebhook({ rawBody: '{not json', headers: {} })).toThrow(WebhookPayloadError);
    expect(() => normalizeStripeWebhook({ payload: { id: 'evt_1' }, headers: {} })).toThrow(WebhookPayloadError);
    const noCurrency = stripeCheckoutCompleted({ amountSubtotal: 1, amountTotal: 1 });
    delete (noCurrency.data as { object: Record<string, unknown> }).object.currency;
    expect(() => normalizeStripeWebhook({ payload: noCurrency, headers: {} })).toThrow(/currency/);
    const floatAmount = stripeCheckoutCompleted({ amountSubtotal: 1, amountTotal: 1 });
    (floatAmount.data as { object: Record<string, unknown> }).object.amount_total = 10.5;
    expect(() => normalizeStripeWebhook({ payload: floatAmount, headers: {} })).toThrow(WebhookPayloadError);
  });
});
