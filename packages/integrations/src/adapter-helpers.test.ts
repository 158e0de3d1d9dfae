import { describe, expect, it } from 'vitest';
import { formatBasisPoints, parsePercentToBasisPoints, parseRetryAfterMs, splitBaseUrl } from './adapter-helpers.ts';

describe('adapter helpers', () => {
  it('formats basis points as percent strings without float noise', () => {
    expect([2000, 2050, 2055, 5, 10000, 1].map(formatBasisPoints)).toEqual(['20', '20.5', '20.55', '0.05', '100', '0.01']);
    expect(() => formatBasisPoints(20.5)).toThrow(RangeError);
  });

  it('parses percents back to basis points, including float inputs', () => {
    expect(['20', '20.5', '20.55', '0.01'].map(parsePercentToBasisPoints)).toEqual([2000, 2050, 2055, 1]);
    expect(parsePercentToBasisPoints(20.55)).toBe(2055);
    expect(parsePercentToBasisPoints(0.1 + 0.2)).toBe(30);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfterMs('7')).toBe(7000);
    expect(parseRetryAfterMs(2)).toBe(2000);
    expect(parseRetryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfterMs(undefined)).toBeNull();
    expect(parseRetryAfterMs('soon')).toBeNull();
  });

  it('splits a base URL into host, port and protocol', () => {
    expect(splitBaseUrl('http://127.0.0.1:4242')).toEqual({ host: '127.0.0.1', port: 4242, protocol: 'http' });
    expect(splitBaseUrl('https://api.stripe.com')).toEqual({ host: 'api.stripe.com', port: 443, protocol: 'https' });
  });
});
