import { describe, it, expect } from 'vitest';
import { computeLedger } from './ledger.ts';
import type { LedgerCancelEvent, LedgerEvent, LedgerOrderEvent, LedgerRefundEvent } from './ledger.ts';
import { createSeededRandom, pickIndex } from './random.ts';
import type { RandomSource } from './random.ts';

const t0 = Date.parse('2026-04-01T00:00:00Z');
const HOUR = 3_600_000;

function orderEvent(orderId: string, overrides: Partial<LedgerOrderEvent> = {}): LedgerOrderEvent {
  return {
    type: 'order',
    eventId: `evt_order_${orderId}`,
    orderId,
    occurredAt: new Date(t0),
    partnerId: 'p1',
    commissionable: true,
    netAmount: 10_000,
    currency: 'USD',
    rule: { type: 'percent', value: 2000, duration: 'lifetime' },
    programCurrency: 'USD',
    isFirstOrder: true,
    boundAt: null,
    holdDays: 30,
    ...overrides,
  };
}

function refund(orderId: string, refundId: string, amount: number, hoursAfter: number, eventId = `evt_${refundId}`): LedgerRefundEvent {
  return { type: 'refund', eventId, orderId, refundId, amount, occurredAt: new Date(t0 + hoursAfter * HOUR) };
}

function cancel(orderId: string, hoursAfter: number): LedgerCancelEvent {
  return { type: 'cancel', eventId: `evt_cancel_${orderId}`, orderId, occurredAt: new Date(t0 + hoursAfter * HOUR) };
}

function shuffle<T>(items: readonly T[], random: RandomSource): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = pickIndex(random, i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe('computeLedger', () => {
  it('earns the commission with its hold date', () => {
    const { rows, waiting } = computeLedger([orderEvent('o1')]);
    expect(waiting).toEqual([]);
    expect(rows).toEqual([
      {
        orderId: 'o1',
        partnerId: 'p1',
        currency: 'USD',
        saleStatus: 'paid',
        netAmount: 10_000,
        refundedAmount: 0,
        commissionStatus: 'earned',
        earnedAmount: 2000,
        reversedAmount: 0,
        balance: 2000,
        holdUntil: new Date('2026-05-01T00:00:00Z'),
        reason: null,
        adjustments: [{ eventId: 'evt_order_o1', kind: 'earning', amount: 2000, occurredAt: new Date(t0) }],
      },
    ]);
  });

  it('reverses proportionally on partial refunds and fully on the last', () => {
    const { rows } = computeLedger([orderEvent('o1', { netAmount: 10_001 }), refund('o1', 'r1', 3333, 1), refund('o1', 'r2', 6668, 2)]);
    const row = rows[0];
    expect(row?.adjustments.map((a) => a.amount)).toEqual([2000, -667, -1333]);
    expect(row).toMatchObject({ saleStatus: 'refunded', commissionStatus: 'reversed', balance: 0, refundedAmount: 10_001 });
  });

  it('marks a partial refund', () => {
    const { rows } = computeLedger([orderEvent('o1'), refund('o1', 'r1', 2500, 1)]);
    expect(rows[0]).toMatchObject({ saleStatus: 'partially_refunded', commissionStatus: 'partially_reversed', reversedAmount: 500, balance: 1500 });
  });

  it('caps refunds at the net amount', () => {
    const { rows } = computeLedger([orderEvent('o1'), refund('o1', 'r1', 8000, 1), refund('o1', 'r2', 8000, 2)]);
    expect(rows[0]).toMatchObject({ refundedAmount: 10_000, reversedAmount: 2000, balance: 0, saleStatus: 'refunded' });
  });

  it('reverses everything left on cancellation and ignores refunds afterwards', () => {
    const { rows } = computeLedger([orderEvent('o1'), refund('o1', 'r1', 5000, 1), cancel('o1', 2), refund('o1', 'r2', 5000, 3)]);
    expect(rows[0]?.adjustments.map((a) => a.amount)).toEqual([2000, -1000, -1000]);
    expect(rows[0]).toMatchObject({ saleStatus: 'cancelled', commissionStatus: 'reversed', balance: 0 });
  });

  it('keeps a row without commission for unattributed and non-commissionable sales', () => {
    const { rows } = computeLedger([
      orderEvent('o1', { partnerId: null }),
      orderEvent('o2', { commissionable: false, notCommissionableReason: 'self-referral' }),
      orderEvent('o3', { isFirstOrder: false, rule: { type: 'percent', value: 2000, duration: 'first_order' } }),
      refund('o1', 'r1', 100, 1),
    ]);
    expect(rows.map((r) => [r.orderId, r.commissionStatus, r.earnedAmount, r.currency, r.holdUntil])).toEqual([
      ['o1', 'none', 0, null, null],
      ['o2', 'none', 0, null, null],
      ['o3', 'none', 0, null, null],
    ]);
    expect(rows[0]?.reason).toContain('not attributed');
    expect(rows[0]?.saleStatus).toBe('partially_refunded');
    expect(rows[1]?.reason).toBe('self-referral');
    expect(rows[2]?.reason).toContain('first order only');
    expect(rows.every((r) => r.adjustments.length === 0)).toBe(true);
  });

  it('pays a fixed commission in the program currency', () => {
    const { rows } = computeLedger([
      orderEvent('o1', { currency: 'EUR', rule: { type: 'fixed', value: 700, duration: 'lifetime' }, programCurrency: 'USD' }),
      refund('o1', 'r1', 5000, 1),
    ]);
    expect(rows[0]).toMatchObject({ currency: 'USD', earnedAmount: 700, reversedAmount: 350 });
  });

  it('holds a refund whose order has not arrived, and applies it once the order arrives', () => {
    const early = computeLedger([refund('o1', 'r1', 10_000, 1), cancel('o2', 1)]);
    expect(early.rows).toEqual([]);
    expect(early.waiting).toEqual([
      { eventId: 'evt_r1', orderId: 'o1', type: 'refund' },
      { eventId: 'evt_cancel_o2', orderId: 'o2', type: 'cancel' },
    ]);
    const later = computeLedger([refund('o1', 'r1', 10_000, 1), orderEvent('o1')]);
    expect(later.waiting).toEqual([]);
    expect(later.rows[0]).toMatchObject({ balance: 0, saleStatus: 'refunded' });
  });

  it('counts the same refund once even under two event ids', () => {
    const { rows } = computeLedger([orderEvent('o1'), refund('o1', 'r1', 2500, 1, 'evt_a'), refund('o1', 'r1', 2500, 1.5, 'evt_b')]);
    expect(rows[0]).toMatchObject({ refundedAmount: 2500, reversedAmount: 500 });
    expect(rows[0]?.adjustments.map((a) => a.eventId)).toEqual(['evt_order_o1', 'evt_a']);
  });

  it('lets the earliest order event define the sale when a platform sends several', () => {
    const created = orderEvent('o1', { eventId: 'evt_created', netAmount: 5000 });
    const paid = orderEvent('o1', { eventId: 'evt_paid', occurredAt: new Date(t0 + HOUR), netAmount: 9999 });
    expect(computeLedger([paid, created])).toEqual(computeLedger([created]));
  });

  it('gives the clean ledger for duplicated and shuffled events', () => {
    const clean: LedgerEvent[] = [];
    for (let i = 0; i < 40; i++) {
      const orderId = `o${String(i).padStart(2, '0')}`;
      clean.push(
        orderEvent(orderId, {
          netAmount: 1_001 + i * 997,
          partnerId: i % 7 === 0 ? null : `p${i % 3}`,
          rule: i % 5 === 0 ? { type: 'fixed', value: 250, duration: 'lifetime' } : { type: 'percent', value: 1500 + i, duration: 'lifetime' },
          occurredAt: new Date(t0 + i * HOUR),
        }),
      );
      if (i % 2 === 0) clean.push(refund(orderId, `r${i}a`, 333 + i, i + 1));
      if (i % 4 === 0) clean.push(refund(orderId, `r${i}b`, 500, i + 2));
      if (i % 6 === 0) clean.push(cancel(orderId, i + 3));
      if (i % 8 === 0) clean.push(refund(orderId, `r${i}c`, 100_000, i + 4));
    }
    clean.push(refund('orphan', 'r_orphan', 100, 1));
    const expected = computeLedger(clean);
    expect(expected.rows).toHaveLength(40);
    expect(expected.rows.some((r) => r.commissionStatus === 'partially_reversed')).toBe(true);
    expect(expected.waiting).toEqual([{ eventId: 'evt_r_orphan', orderId: 'orphan', type: 'refund' }]);

    const random = createSeededRandom('ledger-shuffle');
    for (let round = 0; round < 25; round++) {
      const duplicated = clean.flatMap((event) => (random() < 0.4 ? [event, { ...event }] : [event]));
      // Same refund delivered again under a new event id, as Stripe does with charge.refunded and refund.created.
      const redelivered = clean
        .filter((e): e is LedgerRefundEvent => e.type === 'refund' && random() < 0.2)
        .map((e) => ({ ...e, eventId: `${e.eventId}_again`, occurredAt: new Date(e.occurredAt.getTime() + 1) }));
      expect(computeLedger(shuffle([...duplicated, ...redelivered], random))).toEqual(expected);
    }
  });

  it('never reverses more than was earned across any mix of events', () => {
    const events: LedgerEvent[] = [orderEvent('o1', { netAmount: 7 })];
    for (let i = 0; i < 10; i++) events.push(refund('o1', `r${i}`, 1, i));
    const { rows } = computeLedger(events);
    const row = rows[0];
    expect(row?.earnedAmount).toBe(1); // 20% of 7 cents = 1.4 -> 1
    expect(row?.reversedAmount).toBe(1);
    expect(row?.adjustments.reduce((sum, a) => sum + a.amount, 0)).toBe(0);
  });
});
