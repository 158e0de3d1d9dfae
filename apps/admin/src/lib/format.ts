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

/** Integer minor units as money: 1999 USD -> "$19.99". */
export function formatMoney(minor: number, currency: string): string {
  try {
    return moneyFormat(currency).format(minor / 10 ** currencyDigits(currency));
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/** Major units typed in a form (19.99) to integer minor units (1999), without float drift. */
export function toMinorUnits(major: number, currency: string): number {
  return Math.round(major * 10 ** currencyDigits(currency));
}

export function fromMinorUnits(minor: number, currency: string): number {
  return minor / 10 ** currencyDigits(currency);
}

/** Basis points as a percentage: 1250 -> "12.5%". */
export function formatBps(bps: number): string {
  return `${Number((bps / 100).toFixed(2))}%`;
}

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : '—';
}

export const platformNames = {
  stripe: 'Stripe',
  paddle: 'Paddle',
  woocommerce: 'WooCommerce',
  shopify: 'Shopify',
} as const;

/** "Stripe", or "Stripe · EU store" when the merchant named the connection. */
export function connectionLabel(connection: { platform: keyof typeof platformNames; name: string }): string {
  const platform = platformNames[connection.platform];
  return connection.name && connection.name !== platform ? `${platform} · ${connection.name}` : platform;
}
