import { describe, expect, it } from 'vitest';
import { NormalizedEvent, NormalizedWebhook } from './platform-events.ts';

const order = {
  kind: 'order',
  platform: 'stripe',
  platformOrderId: 'pi_1',
  platformEventId: 'evt_1',
  occurredAt: '2026-01-01T00:00:00.000Z',
  currency: 'eur',
  grossAmount: 1000,
  discountAmount: 200,
  netAmount: 800,
  totalAmount: 960,
  codes: ['ADA20'],
  platformDiscountIds: ['promo_1'],
  unresolvedDiscountIds: [],
  customer: { platformCustomerId: null, email: null },
  referralVisitorId: null,
  status: 'paid',
};

describe('NormalizedEvent', () => {
  it('accepts an order and upper-cases its currency', () => {
    expect(NormalizedEvent.parse(order)).toMatchObject({ kind: 'order', currency: 'EUR' });
  });

  it('rejects fractional or negative money and unknown kinds', () => {
    expect(NormalizedEvent.safeParse({ ...order, netAmount: 8.5 }).success).toBe(false);
    expect(NormalizedEvent.safeParse({ ...order, discountAmount: -1 }).success).toBe(false);
    expect(NormalizedEvent.safeParse({ ...order, occurredAt: '2026-01-01' }).success).toBe(false);
    expect(NormalizedEvent.safeParse({ kind: 'dispute', reason: 'x' }).success).toBe(false);
  });

  it('accepts refunds, cancellations, code changes and ignored deliveries in one webhook', () => {
    const webhook = NormalizedWebhook.parse({
      dedupeKey: 'evt_2',
      topic: 'charge.refunded',
      events: [
        { kind: 'refund', platformOrderId: 'pi_1', platformRefundId: 're_1', amount: 100, basis: 'total', orderTotalAmount: 960, currency: 'usd', occurredAt: '2026-01-02T00:00:00Z', full: false },
        { kind: 'cancel', platformOrderId: 'pi_1', occurredAt: '2026-01-02T00:00:00+02:00' },
        { kind: 'code', action: 'deactivated', platformId: 'promo_1', code: 'ada20', active: false },
        { kind: 'ignored', reason: 'not handled' },
      ],
    });
    expect(webhook.events.map((e) => e.kind)).toEqual(['refund', 'cancel', 'code', 'ignored']);
  });
});
