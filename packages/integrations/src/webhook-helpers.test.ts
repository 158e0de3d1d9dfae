import { describe, expect, it } from 'vitest';
import {
  WebhookPayloadError,
  computeNetRefundAmount,
  getHeader,
  isSameDigest,
  normalizeCodes,
  parseDecimalAmount,
  parseMinorUnitString,
  toIsoUtc,
} from './webhook-helpers.ts';

describe('parseDecimalAmount', () => {
  it('converts decimal strings to minor units exactly', () => {
    expect(parseDecimalAmount('19.99', 'USD', 'x')).toBe(1999);
    expect(parseDecimalAmount('0.1', 'USD', 'x')).toBe(10);
    expect(parseDecimalAmount('1234567.89', 'EUR', 'x')).toBe(123456789);
    expect(parseDecimalAmount('-10.00', 'USD', 'x')).toBe(-1000);
    expect(parseDecimalAmount('20', 'USD', 'x')).toBe(2000);
    expect(parseDecimalAmount('.5', 'USD', 'x')).toBe(50);
  });

  it('uses the currency precision (JPY 0, BHD 3) and numbers as sent by Shopify', () => {
    expect(parseDecimalAmount('1500', 'JPY', 'x')).toBe(1500);
    expect(parseDecimalAmount('1500.00', 'JPY', 'x')).toBe(1500);
    expect(parseDecimalAmount('1.234', 'BHD', 'x')).toBe(1234);
    expect(parseDecimalAmount(19.99, 'USD', 'x')).toBe(1999);
    expect(parseDecimalAmount(0.3, 'USD', 'x')).toBe(30);
  });

  it('rounds digits beyond the currency precision half away from zero', () => {
    expect(parseDecimalAmount('10.005', 'USD', 'x')).toBe(1001);
    expect(parseDecimalAmount('10.004', 'USD', 'x')).toBe(1000);
    expect(parseDecimalAmount('-10.005', 'USD', 'x')).toBe(-1001);
  });

  it('throws WebhookPayloadError for anything else', () => {
    for (const bad of ['', 'abc', '1,000.00', '1e3', '--1', null, undefined, Number.NaN, {}]) {
      expect(() => parseDecimalAmount(bad, 'USD', 'order.total')).toThrow(WebhookPayloadError);
    }
  });
});

describe('parseMinorUnitString', () => {
  it('accepts integer strings only', () => {
    expect(parseMinorUnitString('1999', 'x')).toBe(1999);
    expect(parseMinorUnitString('-5', 'x')).toBe(-5);
    expect(() => parseMinorUnitString('19.99', 'x')).toThrow(WebhookPayloadError);
    expect(() => parseMinorUnitString('99999999999999999999', 'x')).toThrow(/too large/);
  });
});

describe('getHeader', () => {
  it('is case-insensitive, takes the first of repeated values and treats blanks as absent', () => {
    expect(getHeader({ 'X-Shopify-Topic': 'orders/create' }, 'x-shopify-topic')).toBe('orders/create');
    expect(getHeader({ 'x-a': ['one', 'two'] }, 'X-A')).toBe('one');
    expect(getHeader({ 'x-a': '  ' }, 'x-a')).toBeNull();
    expect(getHeader({ 'x-a': undefined }, 'x-a')).toBeNull();
  });
});

describe('isSameDigest', () => {
  it('compares without throwing on length differences', () => {
    expect(isSameDigest('abcd', 'abcd', 'hex')).toBe(true);
    expect(isSameDigest('abcd', 'abce', 'hex')).toBe(false);
    expect(isSameDigest('abcd', 'ab', 'hex')).toBe(false);
    expect(isSameDigest('', '', 'hex')).toBe(false);
  });
});

describe('toIsoUtc', () => {
  it('reads offsets and treats offset-less WooCommerce GMT stamps as UTC', () => {
    expect(toIsoUtc('2026-01-01T10:00:00', 'x')).toBe('2026-01-01T10:00:00.000Z');
    expect(toIsoUtc('2026-01-01T10:00:00-05:00', 'x')).toBe('2026-01-01T15:00:00.000Z');
    expect(() => toIsoUtc('soon', 'x')).toThrow(WebhookPayloadError);
  });
});

describe('normalizeCodes', () => {
  it('trims, upper-cases and de-duplicates', () => {
    expect(normalizeCodes([' ada20', 'ADA20', 'bob', '', null])).toEqual(['ADA20', 'BOB']);
  });
});

describe('computeNetRefundAmount', () => {
  const order = { netAmount: 10_000, totalAmount: 12_000 };

  it('keeps net refunds, capped at the net', () => {
    expect(computeNetRefundAmount({ refund: { amount: 2_500, basis: 'net', orderTotalAmount: null }, order })).toBe(2_500);
    expect(computeNetRefundAmount({ refund: { amount: 20_000, basis: 'net', orderTotalAmount: null }, order })).toBe(10_000);
  });

  it('pro-rates total refunds onto the net', () => {
    expect(computeNetRefundAmount({ refund: { amount: 6_000, basis: 'total', orderTotalAmount: 12_000 }, order })).toBe(5_000);
    expect(computeNetRefundAmount({ refund: { amount: 12_000, basis: 'total', orderTotalAmount: null }, order })).toBe(10_000);
    expect(computeNetRefundAmount({ refund: { amount: 100, basis: 'total', orderTotalAmount: 300 }, order: { netAmount: 100, totalAmount: 0 } })).toBe(33);
  });
});
