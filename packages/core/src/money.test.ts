import { describe, it, expect } from 'vitest';
import {
  divideRoundHalfEven,
  formatAmountWithCode,
  formatDecimalAmount,
  formatMoney,
  getCurrencyFractionDigits,
  isSameCurrency,
  multiplyRatioHalfEven,
  normalizeCurrency,
} from './money.ts';

describe('normalizeCurrency', () => {
  it('upper-cases and trims a currency code', () => {
    expect(normalizeCurrency(' usd ')).toBe('USD');
  });

  it('rejects anything that is not three letters', () => {
    expect(() => normalizeCurrency('US')).toThrow(RangeError);
    expect(() => normalizeCurrency('US1')).toThrow(RangeError);
    expect(() => normalizeCurrency('')).toThrow(RangeError);
  });
});

describe('isSameCurrency', () => {
  it('ignores case', () => {
    expect(isSameCurrency('usd', 'USD')).toBe(true);
    expect(isSameCurrency('USD', 'EUR')).toBe(false);
  });
});

describe('getCurrencyFractionDigits', () => {
  it('knows zero- and three-decimal currencies', () => {
    expect(getCurrencyFractionDigits('USD')).toBe(2);
    expect(getCurrencyFractionDigits('jpy')).toBe(0);
    expect(getCurrencyFractionDigits('BHD')).toBe(3);
  });
});

describe('formatDecimalAmount', () => {
  it('renders minor units exactly', () => {
    expect(formatDecimalAmount(4000, 'USD')).toBe('40.00');
    expect(formatDecimalAmount(5, 'USD')).toBe('0.05');
    expect(formatDecimalAmount(0, 'EUR')).toBe('0.00');
    expect(formatDecimalAmount(-1234, 'USD')).toBe('-12.34');
    expect(formatDecimalAmount(500, 'JPY')).toBe('500');
    expect(formatDecimalAmount(1005, 'BHD')).toBe('1.005');
  });

  it('keeps every digit of large amounts', () => {
    expect(formatDecimalAmount(900719925474099, 'USD')).toBe('9007199254740.99');
  });

  it('refuses fractional minor units', () => {
    expect(() => formatDecimalAmount(10.5, 'USD')).toThrow(RangeError);
  });
});

describe('formatAmountWithCode', () => {
  it('appends the ISO code', () => {
    expect(formatAmountWithCode(4000, 'usd')).toBe('40.00 USD');
  });
});

describe('formatMoney', () => {
  it('uses the narrow symbol and drops .00 on whole amounts', () => {
    expect(formatMoney(5000, 'USD')).toBe('$50');
    expect(formatMoney(1250, 'USD')).toBe('$12.50');
    expect(formatMoney(1000, 'EUR', 'de-DE')).toBe('10\u00a0€');
  });
});

describe('divideRoundHalfEven', () => {
  it('rounds halves to the even neighbour', () => {
    expect(divideRoundHalfEven(5n, 2n)).toBe(2n);
    expect(divideRoundHalfEven(7n, 2n)).toBe(4n);
    expect(divideRoundHalfEven(25n, 10n)).toBe(2n);
    expect(divideRoundHalfEven(35n, 10n)).toBe(4n);
  });

  it('rounds non-halves to the nearest integer', () => {
    expect(divideRoundHalfEven(26n, 10n)).toBe(3n);
    expect(divideRoundHalfEven(24n, 10n)).toBe(2n);
    expect(divideRoundHalfEven(10n, 3n)).toBe(3n);
  });

  it('is symmetric for negative numbers', () => {
    expect(divideRoundHalfEven(-5n, 2n)).toBe(-2n);
    expect(divideRoundHalfEven(-7n, 2n)).toBe(-4n);
    expect(divideRoundHalfEven(7n, -2n)).toBe(-4n);
    expect(divideRoundHalfEven(-26n, 10n)).toBe(-3n);
  });

  it('refuses to divide by zero', () => {
    expect(() => divideRoundHalfEven(1n, 0n)).toThrow(RangeError);
  });
});

describe('multiplyRatioHalfEven', () => {
  it('computes a share without floating point error', () => {
    // 0.1 * 3 style inputs that break binary floats
    expect(multiplyRatioHalfEven(333, 1000, 10000)).toBe(33);
    expect(multiplyRatioHalfEven(1005, 5000, 10000)).toBe(502); // 502.5 -> 502 (even)
    expect(multiplyRatioHalfEven(1015, 5000, 10000)).toBe(508); // 507.5 -> 508 (even)
  });

  it('does not overflow on amounts near the safe integer limit', () => {
    expect(multiplyRatioHalfEven(9_000_000_000_000, 2000, 10000)).toBe(1_800_000_000_000);
  });
});
