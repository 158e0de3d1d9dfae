import { randomUUID } from 'node:crypto';
import { makeId, startEmulatorServer } from './emulator-server.ts';
import type { EmulatorHandle, EmulatorReply, EmulatorRequest } from './emulator-server.ts';

/**
 * A Paddle Billing API emulator for discounts: JSON bodies, Bearer auth, Paddle's error envelope
 * `{error:{type, code, detail, documentation_url}, meta:{request_id}}`, cursor pagination
 * (`after`, `per_page`, `meta.pagination`), case-insensitive `code` filter, archive via PATCH.
 */

export type PaddleDiscount = {
  id: string;
  status: 'active' | 'archived' | 'expired' | 'used';
  description: string;
  enabled_for_checkout: boolean;
  code: string | null;
  type: 'percentage' | 'flat' | 'flat_per_seat';
  mode: 'standard' | 'custom';
  amount: string;
  currency_code: string | null;
  recur: boolean;
  maximum_recurring_intervals: number | null;
  usage_limit: number | null;
  restrict_to: string[] | null;
  expires_at: string | null;
  custom_data: Record<string, unknown> | null;
  times_used: number;
  discount_group_id: string | null;
  created_at: string;
  updated_at: string;
  import_meta: null;
};

export type PaddleEmulatorState = {
  apiKey: string;
  /** Ordered by id, which is Paddle's default list order. */
  discounts: PaddleDiscount[];
};

export type PaddleEmulator = EmulatorHandle<PaddleEmulatorState>;

export type PaddleEmulatorOptions = { apiKey?: string; rateLimitPerSecond?: number | null };

type FieldError = { field: string; message: string };

function paddleError(status: number, type: 'request_error' | 'api_error', code: string, detail: string, errors?: FieldError[]): EmulatorReply {
  return {
    status,
    body: {
      error: {
        type,
        code,
        detail,
        documentation_url: `https://developer.paddle.com/errors/shared/${code}`,
        ...(errors ? { errors } : {}),
      },
      meta: { request_id: randomUUID() },
    },
  };
}

function injectedErrorBody(status: number): unknown {
  if (status === 401) return paddleError(401, 'request_error', 'authentication_missing', 'Authentication header missing.').body;
  if (status === 403) return paddleError(403, 'request_error', 'forbidden', 'You aren\'t permitted to perform this request.').body;
  if (status === 429) return paddleError(429, 'api_error', 'too_many_requests', 'IP address exceeded the allowed rate limit. Retry after the number of seconds in the Retry-After header.').body;
  if (status >= 500) return paddleError(status, 'api_error', 'internal_error', 'An internal error has occurred, our team have been notified.').body;
  return paddleError(status, 'request_error', 'bad_request', 'Invalid request.').body;
}

const invalid = (errors: FieldError[]) => paddleError(400, 'request_error', 'invalid_field', 'Request does not pass validation.', errors);
const notFound = (id: string) => paddleError(404, 'request_error', 'not_found', `Entity ${id} not found`);

const WRITABLE = ['description', 'enabled_for_checkout', 'code', 'mode', 'type', 'amount', 'currency_code', 'recur', 'maximum_recurring_intervals', 'usage_limit', 'restrict_to', 'expires_at', 'custom_data', 'discount_group_id'];

type Body = Record<string, unknown>;

function validate(body: Body, creating: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const allowed = creating ? WRITABLE : [...WRITABLE, 'status'];
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) errors.push({ field: key, message: 'unknown field' });
  }
  if (creating) {
    for (const field of ['description', 'type', 'amount']) {
      if (body[field] === undefined || body[field] === null) errors.push({ field, message: 'field is required' });
    }
  }
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length < 1 || body.description.length > 500)) {
    errors.push({ field: 'description', message: 'must be between 1 and 500 characters' });
  }
  if (body.type !== undefined && !['percentage', 'flat', 'flat_per_seat'].includes(String(body.type))) {
    errors.push({ field: 'type', message: 'must be one of percentage, flat, flat_per_seat' });
  }
  if (body.amount !== undefined && typeof body.amount !== 'string') errors.push({ field: 'amount', message: 'must be a string' });
  if (body.code !== undefined && body.code !== null && (typeof body.code !== 'string' || !/^[A-Za-z0-9]{1,32}$/.test(body.code))) {
    errors.push({ field: 'code', message: 'must contain only letters and numbers and be at most 32 characters' });
  }
  for (const field of ['usage_limit', 'maximum_recurring_intervals']) {
    const value = body[field];
    if (value !== undefined && value !== null && !(Number.isInteger(value) && (value as number) > 0)) {
      errors.push({ field, message: 'must be a positive integer' });
    }
  }
  if (body.expires_at !== undefined && body.expires_at !== null && Number.isNaN(Date.parse(String(body.expires_at)))) {
    errors.push({ field: 'expires_at', message: 'must be an RFC 3339 datetime' });
  }
  if (body.status !== undefined && !['active', 'archived'].includes(String(body.status))) {
    errors.push({ field: 'status', message: 'must be one of active, archived' });
  }
  if (body.custom_data !== undefined && body.custom_data !== null && (typeof body.custom_data !== 'object' || Array.isArray(body.custom_data))) {
    errors.push({ field: 'custom_data', message: 'must be an object' });
  }
  return errors;
}

/** Checks the merged discount: amount range per type, and currency for flat discounts. */
function validateMerged(discount: PaddleDiscount): FieldError[] {
  const errors: FieldError[] = [];
  if (discount.type === 'percentage') {
    const value = Number(discount.amount);
    if (!/^\d+(\.\d{1,2})?$/.test(discount.amount) || value < 0.01 || value > 100) {
      errors.push({ field: 'amount', message: 'percentage amount must be between 0.01 and 100' });
    }
  } else {
    if (!/^[1-9]\d*$/.test(discount.amount)) errors.push({ field: 'amount', message: 'must be a positive amount in the lowest currency unit' });
    if (!discount.currency_code) errors.push({ field: 'currency_code', message: 'required for flat discounts' });
  }
  return errors;
}

function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return new Date(String(value)).toISOString().replace('.000Z', 'Z');
}

/** Starts a Paddle Billing emulator; `apiKey` defaults to `pdl_sdbx_apikey_emulator`. */
export async function startPaddleEmulator(options: PaddleEmulatorOptions = {}): Promise<PaddleEmulator> {
  const state: PaddleEmulatorState = { apiKey: options.apiKey ?? 'pdl_sdbx_apikey_emulator', discounts: [] };

  function codeConflict(code: string | null, exceptId: string | null): EmulatorReply | null {
    if (!code) return null;
    const clash = state.discounts.some((d) => d.id !== exceptId && d.status === 'active' && d.code?.toLowerCase() === code.toLowerCase());
    // Whether Paddle also reserves codes of archived discounts is unverified; we only clash with active ones.
    return clash ? paddleError(409, 'request_error', 'discount_code_conflict', `Discount code '${code}' conflicts with another discount.`) : null;
  }

  function apply(discount: PaddleDiscount, body: Body): void {
    const target = discount as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(body)) {
      if (key === 'expires_at') target[key] = toIso(value);
      else if (key === 'currency_code') target[key] = value === null ? null : String(value).toUpperCase();
      else target[key] = value;
    }
    if (discount.type === 'percentage') discount.currency_code = null;
    if (!discount.recur) discount.maximum_recurring_intervals = null;
  }

  function create(body: Body): EmulatorReply {
    const errors = validate(body, true);
    if (errors.length > 0) return invalid(errors);
    const timestamp = new Date().toISOString();
    const discount: PaddleDiscount = {
      id: makeId('dsc_', 26).toLowerCase(),
      status: 'active',
      description: '',
      enabled_for_checkout: false,
      code: null,
      type: 'percentage',
      mode: 'standard',
      amount: '0',
      currency_code: null,
      recur: false,
      maximum_recurring_intervals: null,
      usage_limit: null,
      restrict_to: null,
      expires_at: null,
      custom_data: null,
      times_used: 0,
      discount_group_id: null,
      created_at: timestamp,
      updated_at: timestamp,
      import_meta: null,
    };
    apply(discount, body);
    const mergedErrors = validateMerged(discount);
    if (mergedErrors.length > 0) return invalid(mergedErrors);
    const conflict = codeConflict(discount.code, null);
    if (conflict) return conflict;
    state.discounts.push(discount);
    return { status: 201, body: { data: discount, meta: { request_id: randomUUID() } } };
  }

  function update(id: string, body: Body): EmulatorReply {
    const discount = state.discounts.find((d) => d.id === id);
    if (!discount) return notFound(id);
    const errors = validate(body, false);
    if (errors.length > 0) return invalid(errors);
    const next = structuredClone(discount);
    apply(next, body);
    const mergedErrors = validateMerged(next);
    if (mergedErrors.length > 0) return invalid(mergedErrors);
    if (next.status === 'active') {
      const conflict = codeConflict(next.code, id);
      if (conflict) return conflict;
    }
    next.updated_at = new Date().toISOString();
    Object.assign(discount, next);
    return { status: 200, body: { data: discount, meta: { request_id: randomUUID() } } };
  }

  function list(request: EmulatorRequest, baseUrl: string): EmulatorReply {
    const search = request.url.searchParams;
    const perPage = Math.min(Math.max(Number(search.get('per_page') ?? 50) || 50, 1), 200);
    const csv = (name: string) => search.get(name)?.split(',').filter(Boolean) ?? null;
    const codes = csv('code')?.map((c) => c.toLowerCase()) ?? null;
    const ids = csv('id');
    const statuses = csv('status');
    let items = state.discounts.filter(
      (d) =>
        (codes === null || (d.code !== null && codes.includes(d.code.toLowerCase()))) &&
        (ids === null || ids.includes(d.id)) &&
        (statuses === null || statuses.includes(d.status)),
    );
    const total = items.length;
    const after = search.get('after');
    if (after) items = items.filter((d) => d.id > after);
    const page = items.slice(0, perPage);
    const hasMore = items.length > perPage;
    const last = page[page.length - 1];
    const next = new URL('/discounts', baseUrl);
    for (const [key, value] of search) if (key !== 'after') next.searchParams.set(key, value);
    if (last) next.searchParams.set('after', last.id);
    return {
      status: 200,
      body: {
        data: page,
        meta: { request_id: randomUUID(), pagination: { per_page: perPage, next: next.toString(), has_more: hasMore, estimated_total: total } },
      },
    };
  }

  return startEmulatorServer<PaddleEmulatorState>({
    state,
    rateLimitPerSecond: options.rateLimitPerSecond ?? null,
    parseBody: (raw) => JSON.parse(raw) as unknown,
    parseQuery: (search) => Object.fromEntries(search),
    errorBody: injectedErrorBody,
    handle(request, baseUrl) {
      const auth = String(request.headers.authorization ?? '');
      const match = /^Bearer\s+(.+)$/i.exec(auth);
      if (!match) return paddleError(401, 'request_error', 'authentication_missing', 'Authentication header missing.');
      // Paddle answers an unknown or revoked key with 403 invalid_token (not 401).
      if (match[1] !== state.apiKey) return paddleError(403, 'request_error', 'invalid_token', 'Invalid or revoked API key.');
      const segments = request.path.split('/').filter(Boolean).map(decodeURIComponent);
      const [resource, id] = segments;
      if (resource !== 'discounts' || segments.length > 2) return paddleError(404, 'request_error', 'not_found', 'Route not found.');
      const body = (request.body ?? {}) as Body;
      if (request.method !== 'GET' && (typeof body !== 'object' || Array.isArray(body))) {
        return paddleError(400, 'request_error', 'bad_request', 'Invalid request body.');
      }
      if (id === undefined) {
        if (request.method === 'GET') return list(request, baseUrl);
        if (request.method === 'POST') return create(body);
      } else {
        if (request.method === 'GET') {
          const discount = state.discounts.find((d) => d.id === id);
          return discount ? { status: 200, body: { data: discount, meta: { request_id: randomUUID() } } } : notFound(id);
        }
        if (request.method === 'PATCH') return update(id, body);
      }
      return paddleError(405, 'request_error', 'method_not_allowed', `${request.method} is not allowed here.`);
    },
  });
}
