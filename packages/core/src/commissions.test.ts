import { describe, it, expect } from 'vitest';
import {
  addMonthsUtc,
  computeCommission,
  computeRefundReversal,
  holdUntil,
  isHoldOver,
  isWithinCommissionDuration,
} from './commissions.ts';
import type { CommissionRule, ComputeCommissionInput } from './commissions.ts';

const orderedAt = new Date('2026-03-15T10:00:00Z');
const percent20: CommissionRule = { type: 'percent', value: 2000, duration: 'lifetime' };

function commission(overrides: Partial<ComputeCommissionInput> & { netAmount?: number; currency?: string } = {}) {
  const { netAmount = 10_000, currency = 'USD', ...rest } = overrides;
  return computeCommission({
    rule: percent20,
    order: { netAmount, currency, orderedAt },
    programCurrency: 'USD',
    isFirstOrder: true,
    boundAt: null,
    ...rest,
  });
}

describe('computeCommission', () => {
  it('takes a percentage of the net amount', () => {
    expect(commission()).toEqual({ amount: 2000, currency: 'USD', reason: null });
  });

  it("rounds half to even on the cent", () => {
    // 10% of 1.25 = 0.125 -> 0.12 ; 10% of 1.35 = 0.135 -> 0.14
    const tenPercent: CommissionRule = { type: 'percent', value: 1000, duration: 'lifetime' };
    expect(commission({ rule: tenPercent, netAmount: 125 }).amount).toBe(12);
    expect(commission({ rule: tenPercent, netAmount: 135 }).amount).toBe(14);
    // 33.33% of 10.00 = 3.333 -> 3.33
    expect(commission({ rule: { type: 'percent', value: 3333, duration: 'lifetime' }, netAmount: 1000 }).amount).toBe(333);
  });

  it('pays percent commissions in the order currency', () => {
    expect(commission({ currency: 'eur', netAmount: 5000 })).toEqual({ amount: 1000, currency: 'EUR', reason: null });
    expect(commission({ currency: 'JPY', netAmount: 999 })).toEqual({ amount: 200, currency: 'JPY', reason: null });
  });

  it('pays a fixed commission in the program currency even when the order is in another currency', () => {
    const fixed: CommissionRule = { type: 'fixed', value: 500, duration: 'lifetime' };
    expect(commission({ rule: fixed, currency: 'EUR', netAmount: 100 })).toEqual({ amount: 500, currency: 'USD', reason: null });
  });

  it('pays nothing on a zero or negative net amount', () => {
    const free = commission({ netAmount: 0 });
    expect(free.amount).toBeNull();
    expect(free.reason).toContain('nothing was paid');
    expect(commission({ rule: { type: 'fixed', value: 500, duration: 'lifetime' }, netAmount: 0 }).amount).toBeNull();
    expect(commission({ netAmount: -100 }).amount).toBeNull();
  });

  it('explains a commission that rounds to zero', () => {
    const result = commission({ rule: { type: 'percent', value: 100, duration: 'lifetime' }, netAmount: 40 });
    expect(result).toEqual({ amount: null, currency: null, reason: '1% of 0.40 USD rounds to 0' });
  });

  it('explains a rule worth zero', () => {
    expect(commission({ rule: { type: 'fixed', value: 0, duration: 'lifetime' } }).reason).toContain('worth 0');
  });

  it('pays a first-order rule only on the first order', () => {
    const rule: CommissionRule = { ...percent20, duration: 'first_order' };
    expect(commission({ rule }).amount).toBe(2000);
    const repeat = commission({ rule, isFirstOrder: false });
    expect(repeat.amount).toBeNull();
    expect(repeat.reason).toContain('first order only');
  });

  it('stops a months rule at the end of the period', () => {
    const rule: CommissionRule = { ...percent20, duration: 'months', durationMonths: 12 };
    expect(commission({ rule, boundAt: new Date('2025-03-15T10:00:01Z') }).amount).toBe(2000);
    const late = commission({ rule, boundAt: new Date('2025-03-15T10:00:00Z') });
    expect(late.amount).toBeNull();
    expect(late.reason).toContain('12-month');
  });

  it('refuses invalid rules', () => {
    expect(() => commission({ rule: { type: 'percent', value: 20.5, duration: 'lifetime' } })).toThrow(RangeError);
    expect(() => commission({ rule: { type: 'percent', value: -1, duration: 'lifetime' } })).toThrow(RangeError);
    expect(() => commission({ rule: { type: 'percent', value: 10_001, duration: 'lifetime' } })).toThrow(RangeError);
    expect(() => commission({ rule: { type: 'percent', value: 1000, duration: 'months' } })).toThrow(RangeError);
    expect(() => commission({ netAmount: 10.5 })).toThrow(RangeError);
  });

  it('handles 100% and large amounts exactly', () => {
    expect(commission({ rule: { type: 'percent', value: 10_000, duration: 'lifetime' }, netAmount: 123_457 }).amount).toBe(123_457);
    expect(commission({ netAmount: 4_503_599_627_370_495 }).amount).toBe(900_719_925_474_099);
  });
});

describe('isWithinCommissionDuration', () => {
  const months = (n: number) => ({ duration: 'months' as const, durationMonths: n });

  it('is always true for lifetime', () => {
    expect(isWithinCommissionDuration({ rule: { duration: 'lifetime' }, boundAt: new Date('2000-01-01Z'), orderedAt, isFirstOrder: false })).toBe(true);
  });

  it('follows isFirstOrder for first_order', () => {
    expect(isWithinCommissionDuration({ rule: { duration: 'first_order' }, boundAt: null, orderedAt, isFirstOrder: true })).toBe(true);
    expect(isWithinCommissionDuration({ rule: { duration: 'first_order' }, boundAt: null, orderedAt, isFirstOrder: false })).toBe(false);
  });

  it('counts months from the binding and ends exclusively', () => {
    const boundAt = new Date('2026-01-10T00:00:00Z');
    expect(isWithinCommissionDuration({ rule: months(2), boundAt, orderedAt: new Date('2026-03-09T23:59:59.999Z'), isFirstOrder: false })).toBe(true);
    expect(isWithinCommissionDuration({ rule: months(2), boundAt, orderedAt: new Date('2026-03-10T00:00:00Z'), isFirstOrder: false })).toBe(false);
  });

  it('treats an order without a binding yet as the start of the period', () => {
    expect(isWithinCommissionDuration({ rule: months(1), boundAt: null, orderedAt, isFirstOrder: true })).toBe(true);
  });
});

describe('addMonthsUtc', () => {
  it('clamps to the end of shorter months', () => {
    expect(addMonthsUtc(new Date('2026-01-31T12:00:00Z'), 1).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(addMonthsUtc(new Date('2028-01-31T12:00:00Z'), 1).toISOString()).toBe('2028-02-29T12:00:00.000Z');
  });

  it('rolls over years', () => {
    expect(addMonthsUtc(new Date('2026-11-15T00:00:00Z'), 14).toISOString()).toBe('2028-01-15T00:00:00.000Z');
  });
});

describe('computeRefundReversal', () => {
  const base = { commissionAmount: 2000, saleNetAmount: 10_000, alreadyRefunded: 0, alreadyReversed: 0 };

  it('reverses in proportion to the refund', () => {
    expect(computeRefundReversal({ ...base, refundAmount: 2500 })).toBe(500);
  });

  it('reverses exactly what is left on a full refund', () => {
    expect(computeRefundReversal({ ...base, refundAmount: 10_000 })).toBe(2000);
    expect(computeRefundReversal({ ...base, alreadyRefunded: 2500, alreadyReversed: 500, refundAmount: 7500 })).toBe(1500);
  });

  it('leaves no 1-cent residue after many small refunds', () => {
    // 3 refunds of a third each on a commission of 1.00 on a sale of 100.00 (+1 cent)
    const sale = { commissionAmount: 100, saleNetAmount: 10_001 };
    let refunded = 0;
    let reversed = 0;
    for (const refundAmount of [3_333, 3_334, 3_334]) {
      reversed += computeRefundReversal({ ...sale, alreadyRefunded: refunded, alreadyReversed: reversed, refundAmount });
      refunded += refundAmount;
    }
    expect(refunded).toBe(10_001);
    expect(reversed).toBe(100);
  });

  it('does not drift: the running total always equals the rounded share', () => {
    const sale = { commissionAmount: 777, saleNetAmount: 9_999 };
    let refunded = 0;
    let reversed = 0;
    for (let i = 0; i < 50; i++) {
      const refundAmount = 37;
      reversed += computeRefundReversal({ ...sale, alreadyRefunded: refunded, alreadyReversed: reversed, refundAmount });
      refunded += refundAmount;
    }
    // 777 * 1850 / 9999 = 143.75... -> 144
    expect(refunded).toBe(1850);
    expect(reversed).toBe(144);
  });

  it('never reverses more than was earned, even for over-refunds', () => {
    expect(computeRefundReversal({ ...base, refundAmount: 50_000 })).toBe(2000);
    expect(computeRefundReversal({ ...base, alreadyRefunded: 10_000, alreadyReversed: 2000, refundAmount: 100 })).toBe(0);
  });

  it('reverses nothing for a zero refund or a zero commission', () => {
    expect(computeRefundReversal({ ...base, refundAmount: 0 })).toBe(0);
    expect(computeRefundReversal({ ...base, commissionAmount: 0, refundAmount: 10_000 })).toBe(0);
  });

  it('rounds the share half to even', () => {
    // 25 * 5000 / 10000 = 12.5 -> 12 ; 35 * 5000 / 10000 = 17.5 -> 18
    expect(computeRefundReversal({ ...base, commissionAmount: 25, refundAmount: 5000 })).toBe(12);
    expect(computeRefundReversal({ ...base, commissionAmount: 35, refundAmount: 5000 })).toBe(18);
  });

  it('reverses the rest when the sale amount is zero', () => {
    expect(computeRefundReversal({ commissionAmount: 500, saleNetAmount: 0, alreadyRefunded: 0, refundAmount: 1, alreadyReversed: 0 })).toBe(500);
  });

  it('refuses negative or fractional inputs', () => {
    expect(() => computeRefundReversal({ ...base, refundAmount: -1 })).toThrow(RangeError);
    expect(() => computeRefundReversal({ ...base, refundAmount: 1.5 })).toThrow(RangeError);
  });
});

describe('holdUntil', () => {
  it('adds whole days in UTC', () => {
    expect(holdUntil(new Date('2026-03-28T22:30:00Z'), 30).toISOString()).toBe('2026-04-27T22:30:00.000Z');
    expect(holdUntil(orderedAt, 0).getTime()).toBe(orderedAt.getTime());
  });

  it('rejects negative or fractional days', () => {
    expect(() => holdUntil(orderedAt, -1)).toThrow(RangeError);
    expect(() => holdUntil(orderedAt, 1.5)).toThrow(RangeError);
  });
});

describe('isHoldOver', () => {
  it('becomes true exactly when the hold ends', () => {
    const end = holdUntil(orderedAt, 14);
    expect(isHoldOver(orderedAt, 14, new Date(end.getTime() - 1))).toBe(false);
    expect(isHoldOver(orderedAt, 14, end)).toBe(true);
  });
});
