import { describe, it, expect } from 'vitest';
import {
  activeRestrictions,
  checkRestrictions,
  describeDiscount,
  findRestrictionsEnforcedByUs,
} from './restrictions.ts';
import type { CodeRestrictions, RestrictionOrder } from './restrictions.ts';

const none: CodeRestrictions = {
  firstTimeOnly: false,
  minimumAmount: null,
  minimumAmountCurrency: null,
  expiresAt: null,
  maxRedemptions: null,
};

const order: RestrictionOrder = {
  netAmount: 4000,
  grossAmount: 5000,
  currency: 'USD',
  orderedAt: new Date('2026-06-01T12:00:00Z'),
  isFirstOrder: true,
};

describe('checkRestrictions', () => {
  it('finds nothing when no restriction is set', () => {
    expect(checkRestrictions({ restrictions: none, order: { ...order, isFirstOrder: false }, timesRedeemed: 1000 })).toEqual([]);
  });

  it('rejects a repeat customer on a first-time-only code', () => {
    const restrictions = { ...none, firstTimeOnly: true };
    expect(checkRestrictions({ restrictions, order, timesRedeemed: 0 })).toEqual([]);
    const violations = checkRestrictions({ restrictions, order: { ...order, isFirstOrder: false }, timesRedeemed: 0 });
    expect(violations).toEqual([{ restriction: 'firstTimeOnly', message: expect.stringContaining('first-time customers only') }]);
  });

  it('compares the minimum with the order total before discounts', () => {
    const restrictions = { ...none, minimumAmount: 5000, minimumAmountCurrency: 'USD' };
    // gross 50.00 meets the 50.00 minimum even though the customer paid 40.00 after the discount
    expect(checkRestrictions({ restrictions, order, timesRedeemed: 0 })).toEqual([]);
    expect(checkRestrictions({ restrictions, order: { ...order, grossAmount: 4000 }, timesRedeemed: 0 })).toEqual([
      { restriction: 'minimumAmount', message: 'order total 40.00 USD is below the minimum 50.00 USD' },
    ]);
    expect(checkRestrictions({ restrictions, order: { ...order, grossAmount: 4999 }, timesRedeemed: 0 })).toHaveLength(1);
  });

  it('uses the order currency when the minimum has none, and handles zero-decimal currencies', () => {
    const restrictions = { ...none, minimumAmount: 3000 };
    const violations = checkRestrictions({ restrictions, order: { ...order, currency: 'JPY', grossAmount: 2500 }, timesRedeemed: 0 });
    expect(violations[0]?.message).toBe('order total 2500 JPY is below the minimum 3000 JPY');
  });

  it('treats a minimum in another currency as not met rather than guessing an exchange rate', () => {
    const restrictions = { ...none, minimumAmount: 100, minimumAmountCurrency: 'eur' };
    const violations = checkRestrictions({ restrictions, order, timesRedeemed: 0 });
    expect(violations).toHaveLength(1);
    expect(violations[0]?.message).toContain('1.00 EUR');
    expect(violations[0]?.message).toContain('USD');
  });

  it('treats a zero minimum as no minimum', () => {
    expect(checkRestrictions({ restrictions: { ...none, minimumAmount: 0 }, order: { ...order, grossAmount: 0 }, timesRedeemed: 0 })).toEqual([]);
  });

  it('expires exactly at expiresAt', () => {
    const expiresAt = new Date('2026-06-01T12:00:00Z');
    const restrictions = { ...none, expiresAt };
    const before = { ...order, orderedAt: new Date(expiresAt.getTime() - 1) };
    expect(checkRestrictions({ restrictions, order: before, timesRedeemed: 0 })).toEqual([]);
    const atBoundary = checkRestrictions({ restrictions, order: { ...order, orderedAt: expiresAt }, timesRedeemed: 0 });
    expect(atBoundary.map((v) => v.restriction)).toEqual(['expiresAt']);
    expect(atBoundary[0]?.message).toContain('2026-06-01T12:00:00.000Z');
  });

  it('allows the last redemption and rejects the one after', () => {
    const restrictions = { ...none, maxRedemptions: 100 };
    expect(checkRestrictions({ restrictions, order, timesRedeemed: 99 })).toEqual([]);
    expect(checkRestrictions({ restrictions, order, timesRedeemed: 100 })).toEqual([
      { restriction: 'maxRedemptions', message: 'the code had already been used 100 times, its limit is 100' },
    ]);
    expect(checkRestrictions({ restrictions: { ...none, maxRedemptions: 1 }, order, timesRedeemed: 1 })[0]?.message).toContain('1 time,');
  });

  it('reports every broken restriction at once', () => {
    const restrictions: CodeRestrictions = {
      firstTimeOnly: true,
      minimumAmount: 10_000,
      minimumAmountCurrency: 'USD',
      expiresAt: new Date('2026-01-01T00:00:00Z'),
      maxRedemptions: 0,
    };
    const violations = checkRestrictions({ restrictions, order: { ...order, isFirstOrder: false }, timesRedeemed: 0 });
    expect(violations.map((v) => v.restriction)).toEqual(['firstTimeOnly', 'minimumAmount', 'expiresAt', 'maxRedemptions']);
  });
});

describe('platform restriction support', () => {
  const all: CodeRestrictions = {
    firstTimeOnly: true,
    minimumAmount: 5000,
    minimumAmountCurrency: 'USD',
    expiresAt: new Date('2027-01-01T00:00:00Z'),
    maxRedemptions: 10,
  };

  it('lists only the restrictions that are set', () => {
    expect(activeRestrictions(none)).toEqual([]);
    expect(activeRestrictions(all)).toEqual(['firstTimeOnly', 'minimumAmount', 'expiresAt', 'maxRedemptions']);
  });

  it('leaves nothing to us on Stripe', () => {
    expect(findRestrictionsEnforcedByUs(all, 'stripe')).toEqual([]);
  });

  it('keeps first-time-only and minimum on our side for Paddle', () => {
    expect(findRestrictionsEnforcedByUs(all, 'paddle')).toEqual(['firstTimeOnly', 'minimumAmount']);
  });

  it('keeps first-time-only on our side for WooCommerce and Shopify', () => {
    expect(findRestrictionsEnforcedByUs(all, 'woocommerce')).toEqual(['firstTimeOnly']);
    expect(findRestrictionsEnforcedByUs(all, 'shopify')).toEqual(['firstTimeOnly']);
  });

  it('has nothing to enforce when the code has no restrictions', () => {
    expect(findRestrictionsEnforcedByUs(none, 'paddle')).toEqual([]);
  });
});

describe('describeDiscount', () => {
  it('describes a percent code with every restriction', () => {
    expect(
      describeDiscount({
        discountType: 'percent',
        percentOffBps: 2000,
        duration: 'once',
        currency: 'USD',
        restrictions: {
          firstTimeOnly: true,
          minimumAmount: 5000,
          minimumAmountCurrency: 'USD',
          expiresAt: new Date('2027-01-01T00:00:00Z'),
          maxRedemptions: 150,
        },
        timesRedeemed: 50,
      }),
    ).toBe('20% off the first order, orders of $50 or more, until 31 Dec 2026, 100 uses left');
  });

  it('describes a plain fixed discount', () => {
    expect(describeDiscount({ discountType: 'fixed', amountOff: 1000, currency: 'USD', duration: 'once' })).toBe('$10 off');
    expect(describeDiscount({ discountType: 'fixed', amountOff: 1050, currency: 'EUR', duration: 'once' })).toBe('€10.50 off');
  });

  it('keeps fractional percentages exact', () => {
    expect(describeDiscount({ discountType: 'percent', percentOffBps: 1250, duration: 'once' })).toBe('12.5% off');
    expect(describeDiscount({ discountType: 'percent', percentOffBps: 333, duration: 'once' })).toBe('3.33% off');
  });

  it('describes repeating and forever durations', () => {
    expect(describeDiscount({ discountType: 'percent', percentOffBps: 1000, duration: 'repeating', durationInMonths: 3 })).toBe('10% off for 3 months');
    expect(describeDiscount({ discountType: 'percent', percentOffBps: 1000, duration: 'repeating', durationInMonths: 1 })).toBe('10% off for 1 month');
    expect(
      describeDiscount({ discountType: 'percent', percentOffBps: 1000, duration: 'forever', restrictions: { ...none, firstTimeOnly: true } }),
    ).toBe('10% off forever, first-time customers only');
  });

  it('shows the last day a code works in UTC, whatever the instant', () => {
    const late = describeDiscount({
      discountType: 'percent',
      percentOffBps: 1000,
      duration: 'once',
      restrictions: { ...none, expiresAt: new Date('2026-12-31T23:30:00Z') },
    });
    expect(late).toBe('10% off, until 31 Dec 2026');
  });

  it('counts down uses and never goes below zero', () => {
    const base = { discountType: 'percent' as const, percentOffBps: 1000, duration: 'once' as const };
    expect(describeDiscount({ ...base, restrictions: { ...none, maxRedemptions: 5 }, timesRedeemed: 4 })).toBe('10% off, 1 use left');
    expect(describeDiscount({ ...base, restrictions: { ...none, maxRedemptions: 5 }, timesRedeemed: 9 })).toBe('10% off, no uses left');
    expect(describeDiscount({ ...base, restrictions: { ...none, maxRedemptions: 5 } })).toBe('10% off, 5 uses left');
  });

  it('formats for another locale', () => {
    const text = describeDiscount({
      discountType: 'fixed',
      amountOff: 1000,
      currency: 'EUR',
      duration: 'once',
      restrictions: { ...none, expiresAt: new Date('2027-01-01T00:00:00Z') },
      locale: 'de-DE',
    });
    expect(text).toBe('10\u00a0€ off, until 31. Dez. 2026');
  });

  it('needs a currency for a fixed discount', () => {
    expect(() => describeDiscount({ discountType: 'fixed', amountOff: 1000, duration: 'once' })).toThrow(RangeError);
  });
});
