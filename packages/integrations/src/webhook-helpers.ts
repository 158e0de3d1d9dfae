import { createHmac, timingSafeEqual } from 'node:crypto';
import { NormalizedWebhook } from '@codetrack/contracts';
import type { NormalizedEvent, RefundEvent } from '@codetrack/contracts';
import { getCurrencyFractionDigits, multiplyRatioHalfEven, normalizeCode, normalizeCurrency } from '@codetrack/core';

// Shared pieces of the four webhook modules: header access, HMAC comparison, exact money parsing
// and a small reader for untyped JSON that turns every surprise into a WebhookPayloadError.

export type WebhookHeaders = Record<string, string | string[] | undefined>;

export type VerifyWebhookInput = {
  rawBody: Buffer | string;
  headers: WebhookHeaders;
  secret: string;
  /** Clock for timestamp tolerance (tests). */
  now?: Date;
  /** Maximum age of a signed timestamp, where the platform signs one (Stripe, Paddle). */
  toleranceSeconds?: number;
};

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** A parsed payload (from the inbox) or the raw body as received. */
export type NormalizeWebhookInput = { headers: WebhookHeaders } & ({ rawBody: Buffer | string } | { payload: unknown });

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The payload is not what the platform documents: the caller stores the delivery as failed. */
export class WebhookPayloadError extends Error {
  readonly code = 'webhook_payload_invalid';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebhookPayloadError';
  }
}

/** Header value by case-insensitive name; the first one when repeated; null when absent or blank. */
export function getHeader(headers: WebhookHeaders, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first.trim() !== '') return first.trim();
  }
  return null;
}

export function toBuffer(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

export function computeHmac(secret: string, data: Buffer, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', secret).update(data).digest(encoding);
}

/** Constant-time comparison of two encoded digests; false (not a throw) when lengths differ. */
export function isSameDigest(expected: string, received: string, encoding: 'hex' | 'base64'): boolean {
  const a = Buffer.from(expected, encoding);
  let b: Buffer;
  try {
    b = Buffer.from(received.trim(), encoding);
  } catch {
    return false;
  }
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/**
 * Shared by Stripe and Paddle, which both sign "<timestamp><separator><raw body>" with a hex
 * HMAC-SHA256 and may list several signatures (secret rotation): any one matching is enough.
 */
export function verifyTimestampedHmac(input: {
  body: Buffer;
  secret: string;
  timestamp: string | null;
  signatures: string[];
  separator: string;
  now: Date;
  toleranceSeconds: number;
}): VerifyResult {
  if (input.timestamp === null || !/^\d+$/.test(input.timestamp)) return { ok: false, reason: 'signature header has no timestamp' };
  if (input.signatures.length === 0) return { ok: false, reason: 'signature header has no signature' };
  const data = Buffer.concat([Buffer.from(`${input.timestamp}${input.separator}`, 'utf8'), input.body]);
  const expected = computeHmac(input.secret, data, 'hex');
  if (!input.signatures.some((s) => /^[0-9a-fA-F]+$/.test(s) && isSameDigest(expected, s.toLowerCase(), 'hex'))) {
    return { ok: false, reason: 'signature does not match' };
  }
  const age = Math.floor(input.now.getTime() / 1000) - Number(input.timestamp);
  if (input.toleranceSeconds > 0 && Math.abs(age) > input.toleranceSeconds) {
    return { ok: false, reason: `timestamp outside the ${input.toleranceSeconds} s tolerance` };
  }
  return { ok: true };
}

/** How a platform writes its timestamped signature header, e.g. Stripe `t=…,v1=…`, Paddle `ts=…;h1=…`. */
export type TimestampedHeaderFormat = {
  header: string;
  label: string;
  pairSeparator: string;
  timestampKey: string;
  signatureKey: string;
  /** Between the timestamp and the body in the signed data. */
  payloadSeparator: string;
};

/** Reads a timestamped signature header in the platform's format and checks it against the body. */
export function verifyTimestampedHeader(input: VerifyWebhookInput, format: TimestampedHeaderFormat): VerifyResult {
  const header = getHeader(input.headers, format.header);
  if (header === null) return { ok: false, reason: `missing ${format.label} header` };
  if (!input.secret) return { ok: false, reason: 'no signing secret configured' };
  let timestamp: string | null = null;
  const signatures: string[] = [];
  for (const part of header.split(format.pairSeparator)) {
    const [key, ...rest] = part.trim().split('=');
    const value = rest.join('=');
    if (key === format.timestampKey) timestamp = value;
    if (key === format.signatureKey && value) signatures.push(value);
  }
  return verifyTimestampedHmac({
    body: toBuffer(input.rawBody),
    secret: input.secret,
    timestamp,
    signatures,
    separator: format.payloadSeparator,
    now: input.now ?? new Date(),
    toleranceSeconds: input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
  });
}

/** A base64 HMAC-SHA256 of the raw body, as WooCommerce and Shopify sign. */
export function verifyBodyHmac(input: { body: Buffer; secret: string; signature: string | null; headerName: string }): VerifyResult {
  if (input.signature === null) return { ok: false, reason: `missing ${input.headerName} header` };
  if (!input.secret) return { ok: false, reason: 'no signing secret configured' };
  const expected = computeHmac(input.secret, input.body, 'base64');
  return isSameDigest(expected, input.signature, 'base64') ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

/** The JSON payload of a normalise call, parsed if it came as a raw body. */
export function readPayload(input: NormalizeWebhookInput): Record<string, unknown> {
  let value: unknown;
  if ('rawBody' in input) {
    try {
      value = JSON.parse(toBuffer(input.rawBody).toString('utf8'));
    } catch (error) {
      throw new WebhookPayloadError('body is not valid JSON', { cause: error });
    }
  } else {
    value = input.payload;
  }
  return asRecord(value, 'payload');
}

// --- Reading untyped JSON ---------------------------------------------------------------------

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown, what: string): Json {
  if (!isRecord(value)) throw new WebhookPayloadError(`${what} is not an object`);
  return value;
}

export function readRecord(obj: Json, key: string, what: string): Json {
  return asRecord(obj[key], `${what}.${key}`);
}

export function optionalRecord(obj: Json, key: string): Json | null {
  const value = obj[key];
  return isRecord(value) ? value : null;
}

export function optionalArray(obj: Json, key: string, what: string): unknown[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new WebhookPayloadError(`${what}.${key} is not an array`);
  return value;
}

export function readString(obj: Json, key: string, what: string): string {
  const value = obj[key];
  if (typeof value === 'string' && value !== '') return value;
  throw new WebhookPayloadError(`${what}.${key} is missing or not a string`);
}

export function optionalString(obj: Json, key: string): string | null {
  const value = obj[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** An id that platforms send as a number (WooCommerce, Shopify) or a string. */
export function readId(obj: Json, key: string, what: string): string {
  const value = obj[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new WebhookPayloadError(`${what}.${key} is missing or not an id`);
}

export function optionalId(obj: Json, key: string): string | null {
  const value = obj[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value !== 0) return String(value);
  return null;
}

/** An integer already in minor units (Stripe). */
export function readInteger(obj: Json, key: string, what: string): number {
  const value = obj[key];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new WebhookPayloadError(`${what}.${key} is missing or not an integer`);
}

export function optionalInteger(obj: Json, key: string, what: string): number | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new WebhookPayloadError(`${what}.${key} is not an integer`);
}

/** Unix seconds as ISO 8601 UTC. */
export function formatUnixSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/**
 * Any ISO-ish timestamp as ISO 8601 UTC. WooCommerce's `*_gmt` fields carry no offset
 * ("2024-05-01T10:00:00"): they are UTC by name, so a missing offset means UTC.
 */
export function toIsoUtc(value: string, what: string): string {
  const text = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new WebhookPayloadError(`${what} is not a date: ${value}`);
  return new Date(ms).toISOString();
}

// --- Money ------------------------------------------------------------------------------------

export function readCurrency(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new WebhookPayloadError(`${what} is missing`);
  try {
    return normalizeCurrency(value);
  } catch (error) {
    throw new WebhookPayloadError(`${what} is not a currency code: ${value}`, { cause: error });
  }
}

/**
 * A decimal amount in major units ("19.99", "-10.00", or a JSON number where a platform sends
 * one) as integer minor units of `currency`, by string arithmetic: no binary float ever holds the
 * money. Digits beyond the currency's precision are rounded half away from zero, because a store
 * configured with more decimals than its currency (WooCommerce allows it) must not fail every order.
 */
export function parseDecimalAmount(value: unknown, currency: string, what: string): number {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else throw new WebhookPayloadError(`${what} is missing or not an amount`);
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || ((match[2] ?? '') === '' && (match[3] ?? '') === '')) {
    throw new WebhookPayloadError(`${what} is not a decimal amount: ${text}`);
  }
  const [, sign = '', whole = '', fraction = ''] = match;
  const digits = getCurrencyFractionDigits(currency);
  const padded = fraction.padEnd(digits + 1, '0');
  let scaled = BigInt(`${whole || '0'}${padded.slice(0, digits)}`);
  if (Number(padded[digits] ?? '0') >= 5) scaled += 1n;
  if (scaled > BigInt(Number.MAX_SAFE_INTEGER)) throw new WebhookPayloadError(`${what} is too large`);
  const result = Number(scaled);
  return sign === '-' && result !== 0 ? -result : result;
}

/** An amount sent as a string of minor units (Paddle: "1999"). */
export function parseMinorUnitString(value: unknown, what: string): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^-?\d+$/.test(text)) throw new WebhookPayloadError(`${what} is missing or not an integer amount`);
  const result = Number(text);
  if (!Number.isSafeInteger(result)) throw new WebhookPayloadError(`${what} is too large`);
  return result;
}

/** Clamps at zero: a net below zero (over-discounted order) earns nothing rather than failing. */
export function clampAtZero(amount: number): number {
  return amount < 0 ? 0 : amount;
}

/** Trimmed, upper-cased, de-duplicated, blanks dropped. */
export function normalizeCodes(raw: readonly (string | null | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const value of raw) {
    if (typeof value !== 'string') continue;
    const code = normalizeCode(value);
    if (code !== '') seen.add(code);
  }
  return [...seen];
}

export function uniqueStrings(values: readonly (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))];
}

export function normalizeEmail(value: string | null): string | null {
  const trimmed = value?.trim().toLowerCase() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** The visitor id a checkout passed along; blanks count as absent. */
export function cleanVisitorId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * Checks the result against the contract before it leaves the module: a payload that slips past
 * the readers with an impossible value (negative amounts, a bad date) fails here, as a payload error.
 */
export function finishNormalized(result: { dedupeKey: string; topic: string; events: NormalizedEvent[] }): NormalizedWebhook {
  const parsed = NormalizedWebhook.safeParse(result);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WebhookPayloadError(`normalised event is invalid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'unknown'}`);
  }
  return parsed.data;
}

export function ignoreEvent(reason: string): NormalizedEvent {
  return { kind: 'ignored', reason };
}

/**
 * A refund's share of the order's net. Refunds with basis `net` are returned as they are;
 * `total` refunds (money returned incl. tax and shipping) are pro-rated as net * amount / total,
 * rounded half to even, and never exceed the net.
 */
export function computeNetRefundAmount(input: {
  refund: Pick<RefundEvent, 'amount' | 'basis' | 'orderTotalAmount'>;
  order: { netAmount: number; totalAmount: number };
}): number {
  const { refund, order } = input;
  if (refund.basis === 'net') return Math.min(refund.amount, order.netAmount);
  // The sale's own total matches its net; the refund payload's total is the fallback.
  const total = order.totalAmount > 0 ? order.totalAmount : (refund.orderTotalAmount ?? 0);
  if (total <= 0) return 0;
  return Math.min(order.netAmount, multiplyRatioHalfEven(refund.amount, order.netAmount, total));
}
