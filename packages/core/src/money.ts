// Money helpers. Amounts are integer minor units (cents) with an ISO 4217 currency; nothing here
// turns an amount into a binary float, so formatting and rounding are exact.

const fractionDigitsCache = new Map<string, number>();

/** Upper-cases and checks an ISO 4217 currency code; throws a RangeError for anything else. */
export function normalizeCurrency(currency: string): string {
  const upper = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(upper)) {
    throw new RangeError(`"${currency}" is not an ISO 4217 currency code`);
  }
  return upper;
}

/** Compares two currency codes case-insensitively. */
export function isSameCurrency(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/** Number of minor-unit digits of a currency (USD 2, JPY 0, BHD 3), as ICU knows it. */
export function getCurrencyFractionDigits(currency: string): number {
  const code = normalizeCurrency(currency);
  const cached = fractionDigitsCache.get(code);
  if (cached !== undefined) return cached;
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
    .maximumFractionDigits;
  const value = digits ?? 2;
  fractionDigitsCache.set(code, value);
  return value;
}

/** Renders minor units as an exact decimal string in major units: 4000 USD -> "40.00". */
export function formatDecimalAmount(amount: number, currency: string): string {
  assertInteger(amount, 'amount');
  const digits = getCurrencyFractionDigits(currency);
  const negative = amount < 0;
  const text = BigInt(Math.abs(amount)).toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Plain, locale-free rendering used in messages: 4000 USD -> "40.00 USD". */
export function formatAmountWithCode(amount: number, currency: string): string {
  return `${formatDecimalAmount(amount, currency)} ${normalizeCurrency(currency)}`;
}

/** Locale-aware rendering with the currency symbol, dropping ".00" on whole amounts: "$50", "$12.50". */
export function formatMoney(amount: number, currency: string, locale = 'en-GB'): string {
  const decimal = formatDecimalAmount(amount, currency) as `${number}`;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: normalizeCurrency(currency),
    currencyDisplay: 'narrowSymbol',
    trailingZeroDisplay: 'stripIfInteger',
  }).format(decimal);
}

/**
 * Integer division rounded half to even (banker's rounding), so that rounding errors do not
 * drift in one direction over many rows. Works for negative numerators too (symmetric).
 */
export function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) return divideRoundHalfEven(-numerator, -denominator);
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let quotient = n / denominator;
  const twiceRemainder = (n % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  return negative ? -quotient : quotient;
}

/** amount * numerator / denominator in integer minor units, rounded half to even. */
export function multiplyRatioHalfEven(amount: number, numerator: number, denominator: number): number {
  assertInteger(amount, 'amount');
  assertInteger(numerator, 'numerator');
  assertInteger(denominator, 'denominator');
  const result = divideRoundHalfEven(BigInt(amount) * BigInt(numerator), BigInt(denominator));
  return toSafeNumber(result);
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError('amount exceeds the safe integer range');
  }
  return Number(value);
}

/** Throws a RangeError unless value is a safe integer. */
export function assertInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be an integer number of minor units, got ${String(value)}`);
  }
}
