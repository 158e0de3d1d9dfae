// Conversions between our integers (minor units, basis points) and the decimal strings that
// WooCommerce and Shopify put on the wire. Exact string arithmetic: no binary floats touch money.

/** ISO 4217 currencies whose minor unit is not 1/100 (Stripe's and ISO's lists). */
const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, MGA: 0, PYG: 0, RWF: 0, UGX: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

/** Digits after the decimal point for a currency; 2 when unknown or null. */
export function getCurrencyExponent(currency: string | null): number {
  if (!currency) return 2;
  return CURRENCY_EXPONENTS[currency.trim().toUpperCase()] ?? 2;
}

/** Renders an integer scaled by 10^digits as a decimal string: (1050, 2) -> "10.50". */
function formatScaled(value: number, digits: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
  const negative = value < 0;
  const text = String(Math.abs(value)).padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Parses a decimal string into an integer scaled by 10^digits, rounding half up: ("10.5", 2) -> 1050. */
function parseScaled(value: string | number, digits: number): number | null {
  const text = String(value).trim();
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const [, sign, whole = '', fraction = ''] = match;
  const padded = fraction.padEnd(digits + 1, '0');
  let scaled = BigInt(`${whole || '0'}${padded.slice(0, digits)}`);
  if (Number(padded[digits] ?? '0') >= 5) scaled += 1n;
  const result = Number(scaled);
  return sign === '-' ? -result : result;
}

/** 1000 USD -> "10.00"; 1000 JPY -> "1000". */
export function formatMinorUnits(amount: number, currency: string | null): string {
  return formatScaled(amount, getCurrencyExponent(currency));
}

/** "10.00" USD -> 1000; "1000" JPY -> 1000; null for anything that is not a decimal number. */
export function parseMinorUnits(value: string | number, currency: string | null): number | null {
  return parseScaled(value, getCurrencyExponent(currency));
}

/** 2000 bps -> "20"; 1250 bps -> "12.5" (a percentage as WooCommerce takes it). */
export function formatPercentFromBasisPoints(bps: number): string {
  return formatScaled(bps, 2).replace(/\.?0+$/, '') || '0';
}

/** "20.00" -> 2000 bps. */
export function parsePercentToBasisPoints(value: string | number): number | null {
  return parseScaled(value, 2);
}
