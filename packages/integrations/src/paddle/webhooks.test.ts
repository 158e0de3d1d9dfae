import { createHmac } from 'node:crypto';
import { paddleAdjustment, paddleDiscountEvent, paddleEvent, paddleTransactionCompleted, signedPaddleWebhook } from '@codetrack/testkit';
import { describe, expect, it } from 'vitest';
import { WebhookPayloadError } from '../webhook-helpers.ts';
import { identifyPaddleWebhook, normalizePaddleWebhook, verifyPaddleWebhook } from './webhooks.ts';

const SECRET = 'pdl_ntfset_01_secret';
const TS = 1_767_225_600;
const NOW = new Date(TS * 1000);

function h1(body: string, secret: string, ts = TS): string {
  return createHmac('sha256', secret).update(`${ts}:${body}`).digest('hex');
}

describe('verifyPaddleWebhook', () => {
  const body = '{"event_id":"evt_1","event_type":"transaction.completed"}';

  it('accepts a delivery signed like Paddle', () => {
    const delivery = signedPaddleWebhook({ payload: { event_id: 'evt_1' }, secret: SECRET, ts: TS });
    expect(verifyPaddleWebhook({ ...delivery, secret: SECRET, now: NOW })).toEqual({ ok: true });
  });

  it('accepts deliveries older than the SDK’s 5 s window but inside the tolerance', () => {
    const header = `ts=${TS - 120};h1=${h1(body, SECRET, TS - 120)}`;
    expect(verifyPaddleWebhook({ rawBody: body, headers: { 'Paddle-Signature': header }, secret: SECRET, now: NOW })).toEqual({ ok: true });
  });

  it('rejects an expired timestamp, with a configurable tolerance', () => {
    const header = `ts=${TS - 301};h1=${h1(body, SECRET, TS - 301)}`;
    expect(verifyPaddleWebhook({ rawBody: body, headers: { 'paddle-signature': header }, secret: SECRET, now: NOW })).toEqual({
      ok: false,
      reason: 'timestamp outside the 300 s tolerance',
    });
    expect(verifyPaddleWebhook({ rawBody: body, headers: { 'paddle-signature': header }, secret: SECRET, now: NOW, toleranceSeconds: 3600 }).ok).toBe(true);
    expect(verifyPaddleWebhook({ rawBody: body, headers: { 'paddle-signature': header }, secret: SECRET, now: NOW, toleranceSeconds: 60 }).ok).toBe(false);
  });

  it('rejects a wrong secret and a tampered body', () => {
    const header = `ts=${TS};h1=${h1(body, SECRET)}`;
    expect(verifyPaddleWebhook({ rawBody: body, headers: { 'paddle-signature': header }, secret: 'other', now: NOW })).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verifyPaddleWebhook({ rawBody: body.replace('evt_1', 'evt_2'), headers: { 'paddle-signature': header }, secret: SECRET, now: NOW }).ok).toBe(false);
  });

  it('accepts when any h1 matches, whatever its position', () => {
    const good = h1(body, SECRET);
    const old = h1(body, 'previous_secret');
    for (const header of [`ts=${TS};h1=${good};h1=${old}`, `ts=${TS};h1=${old};h1=${good}`]) {
      expect(verifyPaddleWebhook({ rawBody: body, headers: { 'paddle-signature': header }, secret: SECRET, now: NOW }).ok).toBe(true);
    }
    expect(verifyPaddleWebhook({ rawBody: body, headers: { 'paddle-signature': `ts=${TS};h1=${old}` }, secret: SECRET, now: NOW }).ok).toBe(false);
  });

  it('rejects a missing or incomplete header', () => {
    expect(verifyPaddleWebhook({ rawBody: body, headers: {}, secret: SECRET, now: NOW })).toEqual({ ok: false, reason: 'missing Paddle-Signature header' });
    expect(verifyPaddleWebhook({ rawBody: body, headers: { 'paddle-signature': `h1=${h1(body, SECRET)}` }, secret: SECRET, now: NOW })).toEqual({
      ok: false,
      reason: 'signature header has no timestamp',
    });
    expect(verifyPaddleWebhook({ rawBody: body, headers: { 'paddle-signature': `ts=${TS}` }, secret: SECRET, now: NOW }).ok).toBe(false);
  });
});

describe('normalizePaddleWebhook', () => {
  it('normalises transaction.completed: net excludes tax, discount id kept, visitor from custom_data', () => {
    const payload = paddleTransactionCompleted({
      eventId: 'evt_01h',
      transactionId: 'txn_01',
      subtotal: 10_000,
      discount: 2_000,
      tax: 1_600,
      currency: 'GBP',
      discountId: 'dsc_01',
      visitorId: 'vis_1',
      customerId: 'ctm_01',
      occurredAt: '2026-02-03T04:05:06.789012Z',
    });
    const result = normalizePaddleWebhook({ payload, headers: {} });
    expect(result.dedupeKey).toBe('evt_01h');
    expect(result.topic).toBe('transaction.completed');
    expect(result.events).toEqual([
      {
        kind: 'order',
        platform: 'paddle',
        platformOrderId: 'txn_01',
        platformEventId: 'evt_01h',
        occurredAt: '2026-02-03T04:05:06.789Z',
        currency: 'GBP',
        grossAmount: 10_000,
        discountAmount: 2_000,
        netAmount: 8_000,
        totalAmount: 9_600,
        codes: [],
        platformDiscountIds: ['dsc_01'],
        unresolvedDiscountIds: [],
        customer: { platformCustomerId: 'ctm_01', email: null },
        referralVisitorId: 'vis_1',
        status: 'paid',
      },
    ]);
  });

  it('reads the same event from the signed raw body', () => {
    const payload = paddleTransactionCompleted({ subtotal: 500 });
    const delivery = signedPaddleWebhook({ payload, secret: SECRET });
    expect(normalizePaddleWebhook({ rawBody: delivery.rawBody, headers: delivery.headers })).toEqual(normalizePaddleWebhook({ payload, headers: {} }));
  });

  it('reads code and email when the entities were included', () => {
    const payload = paddleTransactionCompleted({ subtotal: 1_000, discount: 100 });
    const data = payload.data as Record<string, unknown>;
    data.discount = { id: 'dsc_9', code: 'partner9' };
    data.customer = { id: 'ctm_1', email: 'Eve@Example.com' };
    expect(normalizePaddleWebhook({ payload, headers: {} }).events[0]).toMatchObject({
      codes: ['PARTNER9'],
      platformDiscountIds: ['dsc_9'],
      customer: { email: 'eve@example.com' },
      referralVisitorId: null,
    });
  });

  it('turns an approved refund adjustment into a net refund', () => {
    const payload = paddleAdjustment({ eventId: 'evt_adj', adjustmentId: 'adj_1', transactionId: 'txn_01', subtotal: 4_000, tax: 800, currency: 'GBP', status: 'approved' });
    expect(normalizePaddleWebhook({ payload, headers: {} })).toEqual({
      dedupeKey: 'evt_adj',
      topic: 'adjustment.updated',
      events: [
        { kind: 'refund', platformOrderId: 'txn_01', platformRefundId: 'adj_1', amount: 4_000, basis: 'net', orderTotalAmount: null, currency: 'GBP', occurredAt: '2026-01-02T00:00:00.000Z', full: false },
      ],
    });
    const full = paddleAdjustment({ eventType: 'adjustment.created', subtotal: 8_000, type: 'full', action: 'chargeback' });
    expect(normalizePaddleWebhook({ payload: full, headers: {} }).events[0]).toMatchObject({ kind: 'refund', full: true, amount: 8_000 });
  });

  it('ignores refunds pending approval and non-refund adjustments', () => {
    const pending = paddleAdjustment({ eventType: 'adjustment.created', status: 'pending_approval', subtotal: 100 });
    expect(normalizePaddleWebhook({ payload: pending, headers: {} }).events).toEqual([{ kind: 'ignored', reason: 'refund is pending approval by Paddle' }]);
    const rejected = paddleAdjustment({ status: 'rejected', subtotal: 100 });
    expect(normalizePaddleWebhook({ payload: rejected, headers: {} }).events[0]).toMatchObject({ kind: 'ignored' });
    const credit = paddleAdjustment({ action: 'credit', subtotal: 100 });
    expect(normalizePaddleWebhook({ payload: credit, headers: {} }).events).toEqual([{ kind: 'ignored', reason: 'adjustment action credit returns no money' }]);
  });

  it('maps discount events', () => {
    const created = paddleDiscountEvent({ eventType: 'discount.created', id: 'dsc_1', code: 'Ada20' });
    const archived = paddleDiscountEvent({ eventType: 'discount.updated', id: 'dsc_1', code: 'Ada20', status: 'archived' });
    const imported = paddleDiscountEvent({ eventType: 'discount.imported', id: 'dsc_2', code: null });
    expect(normalizePaddleWebhook({ payload: created, headers: {} }).events).toEqual([{ kind: 'code', action: 'created', platformId: 'dsc_1', code: 'Ada20', active: true }]);
    expect(normalizePaddleWebhook({ payload: archived, headers: {} }).events).toEqual([{ kind: 'code', action: 'deactivated', platformId: 'dsc_1', code: 'Ada20', active: false }]);
    expect(normalizePaddleWebhook({ payload: imported, headers: {} }).events[0]).toMatchObject({ action: 'created', code: null });
  });

  it('ignores unknown event types and keeps the event id as dedupe key', () => {
    const payload = paddleEvent({ eventId: 'evt_x', eventType: 'customer.updated', data: { id: 'ctm_1' } });
    expect(normalizePaddleWebhook({ payload, headers: {} }).events).toEqual([{ kind: 'ignored', reason: 'Paddle event type customer.updated is not handled' }]);
    expect(identifyPaddleWebhook({ payload, headers: {} })).toEqual({ dedupeKey: 'evt_x', topic: 'customer.updated' });
  });

  it('throws WebhookPayloadError for malformed payloads', () => {
    const noTotals = paddleTransactionCompleted({ subtotal: 100 });
    delete ((noTotals.data as Record<string, unknown>).details as Record<string, unknown>).totals;
    expect(() => normalizePaddleWebhook({ payload: noTotals, headers: {} })).toThrow(WebhookPayloadError);
    const decimalTotal = paddleTransactionCompleted({ subtotal: 100 });
    (((decimalTotal.data as Record<string, unknown>).details as Record<string, unknown>).totals as Record<string, unknown>).total = '1.00';
    expect(() => normalizePaddleWebhook({ payload: decimalTotal, headers: {} })).toThrow(/integer amount/);
    expect(() => normalizePaddleWebhook({ payload: { event_id: 'evt_1', event_type: 'transaction.completed' }, headers: {} })).toThrow(WebhookPayloadError);
    expect(() => normalizePaddleWebhook({ rawBody: '[]', headers: {} })).toThrow(WebhookPayloadError);
  });
});
