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

/** Integer minor units in major units: 1999 USD -> 19.99, 500 JPY -> 500. */
export function toMajorUnits(minor: number, currency: string): number {
  try {
    return minor / 10 ** (moneyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2);
  } catch {
    return minor / 100;
  }
}

/** Integer minor units as money: 1999 USD -> "$19.99", 500 JPY -> "¥500". */
export function formatMoney(minor: number, currency: string): string {
  try {
    return moneyFormat(currency).format(toMajorUnits(minor, currency));
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/** An amount already in major units, for chart axes: 80 USD -> "$80". */
export function formatMajorUnits(major: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase(), maximumFractionDigits: 0 }).format(major);
  } catch {
    return `${major} ${currency}`;
  }
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** An ISO instant or day as "4 Mar 2026" (UTC, like the day ranges of the results). */
export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso));
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en').format(n);
}
