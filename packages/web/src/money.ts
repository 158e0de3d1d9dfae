const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat {
  const key = currency.toUpperCase();
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en', { style: 'currency', currency: key });
    moneyFormats.set(key, format);
  }
  return format;
}

/** Digits after the decimal point in `currency` (2 for USD, 0 for JPY). */
export function currencyDigits(currency: string): number {
  try {
    return moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Integer minor units as money: 1999 USD -> "$19.99", 500 JPY -> "¥500". */
export function formatMoney(minor: number, currency: string): string {
  try {
    return moneyFormat(currency).format(fromMinorUnits(minor, currency));
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/** Major units typed in a form (19.99) to integer minor units (1999), without float drift. */
export function toMinorUnits(major: number, currency: string): number {
  return Math.round(major * 10 ** currencyDigits(currency));
}

/** Integer minor units in major units: 1999 USD -> 19.99, 500 JPY -> 500. */
export function fromMinorUnits(minor: number, currency: string): number {
  return minor / 10 ** currencyDigits(currency);
}
