/** Small pure helpers the platform adapters share. */

/** `Retry-After` (delta seconds or an HTTP date) in milliseconds; null when absent or unreadable. */
export function parseRetryAfterMs(value: string | number | null | undefined, now = Date.now()): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Basis points as a decimal percent string without float noise: 2000 -> "20", 2050 -> "20.5", 5 -> "0.05". */
export function formatBasisPoints(bps: number): string {
  if (!Number.isInteger(bps) || bps < 0) throw new RangeError(`basis points must be a non-negative integer, got ${bps}`);
  const whole = Math.trunc(bps / 100);
  const fraction = String(bps % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** A decimal percent (string or number, at most two decimals meaningful) as basis points: "20.5" -> 2050. */
export function parsePercentToBasisPoints(value: string | number): number {
  const text = typeof value === 'number' ? value.toFixed(4) : value.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a percentage: ${String(value)}`);
  const fraction = (match[2] ?? '').padEnd(4, '0');
  // Round at the third decimal so 20.499999 from a float becomes 2050.
  return Number(match[1]) * 100 + Math.round(Number(fraction.slice(0, 4)) / 100);
}

/** Splits an API base URL override into the parts SDKs that take host/port/protocol need. */
export function splitBaseUrl(apiBaseUrl: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const url = new URL(apiBaseUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port ? Number(url.port) : protocol === 'http' ? 80 : 443;
  return { host: url.hostname, port, protocol };
}
