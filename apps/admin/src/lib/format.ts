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
