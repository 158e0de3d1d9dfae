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
