import { createHmac, timingSafeEqual } from 'node:crypto';
import { startEmulatorServer } from './emulator-server.ts';
import type { EmulatorHandle, EmulatorReply, EmulatorRequest } from './emulator-server.ts';

/**
 * A WooCommerce REST API (wc/v3) emulator for coupons. It speaks WooCommerce's wire format: JSON
 * bodies, `{code, message, data:{status}}` errors, `page`/`per_page` pagination with X-WP-Total and
 * X-WP-TotalPages, codes stored lower-case, post statuses (a draft coupon cannot be redeemed and,
 * as in WooCommerce's `get_ids_by_code`, does not block another coupon with the same code).
 *
 * Authentication mirrors WC_REST_Authentication: over plain http the official SDK signs every
 * request with OAuth 1.0a query parameters (HMAC-SHA256, one-legged, signing key
 * `consumer_secret&`), which this emulator verifies including the timestamp window and nonce
 * replay; Basic auth and `consumer_key`/`consumer_secret` query parameters (the SDK's https modes)
 * are accepted too.
 */

export type WooCouponStatus = 'publish' | 'draft' | 'pending' | 'private' | 'future' | 'trash';

export type WooMetaData = { id: number; key: string; value: unknown };

export type WooCoupon = {
  id: number;
  code: string;
  amount: string;
  status: WooCouponStatus;
  date_created_gmt: string;
  date_modified_gmt: string;
  discount_type: 'percent' | 'fixed_cart' | 'fixed_product';
  description: string;
  date_expires_gmt: string | null;
  usage_count: number;
  individual_use: boolean;
  product_ids: number[];
  excluded_product_ids: number[];
  usage_limit: number | null;
  usage_limit_per_user: number | null;
  limit_usage_to_x_items: number | null;
  free_shipping: boolean;
  product_categories: number[];
  excluded_product_categories: number[];
  exclude_sale_items: boolean;
  minimum_amount: string;
  maximum_amount: string;
  email_restrictions: string[];
  used_by: string[];
  meta_data: WooMetaData[];
};

export type WooCommerceEmulatorState = {
  consumerKey: string;
  consumerSecret: string;
  storeCurrency: string;
  /** Ordered by id (creation order). */
  coupons: WooCoupon[];
  /** OAuth nonces already used, as WooCommerce keeps them per consumer to refuse replays. */
  usedNonces: Set<string>;
  nextId: number;
};

export type WooCommerceEmulator = EmulatorHandle<WooCommerceEmulatorState> & {
  /** The coupon with this code (case-insensitive), newest first like WooCommerce; any status except trash. */
  findCoupon(code: string): WooCoupon | undefined;
  /** Adds a coupon directly (as if created in wp-admin), bypassing the API and the request log. */
  seedCoupon(fields: Partial<WooCoupon> & { code: string }): WooCoupon;
};

export type WooCommerceEmulatorOptions = {
  consumerKey?: string;
  consumerSecret?: string;
  storeCurrency?: string;
  rateLimitPerSecond?: number | null;
};

const API_PREFIX = '/wp-json/wc/v3';
const OAUTH_TIMESTAMP_WINDOW_SECONDS = 15 * 60;

type Body = Record<string, unknown>;

function wooError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): EmulatorReply {
  return { status, body: { code, message, data: { status, ...extra } } };
}

function injectedErrorBody(status: number): unknown {
  if (status === 401) return wooError(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.').body;
  if (status === 403) return wooError(403, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.').body;
  if (status === 400) return wooError(400, 'rest_invalid_json', 'Invalid JSON body passed.').body;
  if (status === 429) return wooError(429, 'too_many_requests', 'Too many requests.').body;
  // WordPress answers fatal errors with this envelope.
  if (status >= 500) return wooError(status, 'internal_server_error', '<p>There has been a critical error on this website.</p>').body;
  return wooError(status, 'rest_error', 'Request failed.').body;
}

/** RFC 3986 percent-encoding, as OAuth 1.0a (and PHP's rawurlencode) uses it. */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `wc_format_decimal($value, 2)`: WooCommerce returns money fields with two decimals. */
function formatDecimal(value: string): string {
  if (value.trim() === '') return '0.00';
  const number = Number(value);
  return Number.isFinite(number) ? number.toFixed(2) : '0.00';
}

/** `2026-01-31T10:00:00` (WordPress date format, no zone); GMT fields are UTC. */
function toWpDate(date: Date): string {
  return date.toISOString().slice(0, 19);
}

function parseWpGmtDate(value: string): Date | null {
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

const WRITABLE = new Set([
  'code',
  'amount',
  'status',
  'discount_type',
  'description',
  'date_expires',
  'date_expires_gmt',
  'individual_use',
  'product_ids',
  'excluded_product_ids',
  'usage_limit',
  'usage_limit_per_user',
  'limit_usage_to_x_items',
  'free_shipping',
  'product_categories',
  'excluded_product_categories',
  'exclude_sale_items',
  'minimum_amount',
  'maximum_amount',
  'email_restrictions',
  'meta_data',
]);

/** WordPress validates each argument against the route schema and names every bad one. */
function validate(body: Body): string[] {
  const invalid: string[] = [];
  const isString = (v: unknown) => typeof v === 'string';
  const isNullableInt = (v: unknown) => v === null || (Number.isInteger(v) && (v as number) >= 0);
  for (const [key, value] of Object.entries(body)) {
    if (!WRITABLE.has(key)) continue; // WordPress ignores unknown arguments.
    switch (key) {
      case 'code':
      case 'description':
        if (!isString(value)) invalid.push(key);
        break;
      case 'amount':
      case 'minimum_amount':
      case 'maximum_amount':
        if (!isString(value) || (value !== '' && !/^\d+(\.\d+)?$/.test(value as string))) invalid.push(key);
        break;
      case 'discount_type':
        if (!['percent', 'fixed_cart', 'fixed_product'].includes(String(value))) invalid.push(key);
        break;
      case 'status':
        if (!['publish', 'draft', 'pending', 'private', 'future'].includes(String(value))) invalid.push(key);
        break;
      case 'date_expires':
      case 'date_expires_gmt':
        if (value !== null && (!isString(value) || parseWpGmtDate(value as string) === null)) invalid.push(key);
        break;
      case 'usage_limit':
      case 'usage_limit_per_user':
      case 'limit_usage_to_x_items':
        if (!isNullableInt(value)) invalid.push(key);
        break;
      case 'individual_use':
      case 'free_shipping':
      case 'exclude_sale_items':
        if (typeof value !== 'boolean') invalid.push(key);
        break;
      case 'meta_data':
        if (!Array.isArray(value) || value.some((m) => typeof m !== 'object' || m === null || typeof (m as Body).key !== 'string')) invalid.push(key);
        break;
      default:
        if (!Array.isArray(value)) invalid.push(key);
    }
  }
  return invalid;
}

/** Starts a WooCommerce emulator; credentials default to `ck_emulator` / `cs_emulator`. */
export async function startWooCommerceEmulator(options: WooCommerceEmulatorOptions = {}): Promise<WooCommerceEmulator> {
  const state: WooCommerceEmulatorState = {
    consumerKey: options.consumerKey ?? 'ck_emulator',
    consumerSecret: options.consumerSecret ?? 'cs_emulator',
    storeCurrency: options.storeCurrency ?? 'USD',
    coupons: [],
    usedNonces: new Set(),
    nextId: 100,
  };
  let nextMetaId = 1000;

  const visible = () => state.coupons.filter((c) => c.status !== 'trash');
  const findCoupon = (code: string) =>
    visible()
      .filter((c) => c.code === code.toLowerCase())
      .sort((a, b) => b.id - a.id)[0];

  function present(coupon: WooCoupon, baseUrl: string): Body {
    return {
      ...coupon,
      date_created: coupon.date_created_gmt,
      date_modified: coupon.date_modified_gmt,
      date_expires: coupon.date_expires_gmt,
      _links: {
        self: [{ href: `${baseUrl}${API_PREFIX}/coupons/${coupon.id}` }],
        collection: [{ href: `${baseUrl}${API_PREFIX}/coupons` }],
      },
    };
  }

  function blankCoupon(code: string): WooCoupon {
    const now = toWpDate(new Date());
    const id = state.nextId;
    state.nextId += 1;
    return {
      id,
      code: code.toLowerCase(),
      amount: '0.00',
      status: 'publish',
      date_created_gmt: now,
      date_modified_gmt: now,
      discount_type: 'fixed_cart',
      description: '',
      date_expires_gmt: null,
      usage_count: 0,
      individual_use: false,
      product_ids: [],
      excluded_product_ids: [],
      usage_limit: null,
      usage_limit_per_user: null,
      limit_usage_to_x_items: null,
      free_shipping: false,
      product_categories: [],
      excluded_product_categories: [],
      exclude_sale_items: false,
      minimum_amount: '0.00',
      maximum_amount: '0.00',
      email_restrictions: [],
      used_by: [],
      meta_data: [],
    };
  }

  function apply(coupon: WooCoupon, body: Body): void {
    const target = coupon as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(body)) {
      if (!WRITABLE.has(key)) continue;
      if (key === 'code') coupon.code = String(value).trim().toLowerCase();
      else if (key === 'amount' || key === 'minimum_amount' || key === 'maximum_amount') target[key] = formatDecimal(String(value));
      else if (key === 'date_expires' || key === 'date_expires_gmt') {
        coupon.date_expires_gmt = value === null || value === '' ? null : toWpDate(parseWpGmtDate(String(value)) as Date);
      } else if (key === 'meta_data') {
        for (const entry of value as Array<{ id?: number; key: string; value: unknown }>) {
          // WooCommerce updates the entry with the same id (or the same key), else adds one.
          const existing = coupon.meta_data.find((m) => (entry.id !== undefined ? m.id === entry.id : m.key === entry.key));
          if (existing) existing.value = entry.value;
          else {
            nextMetaId += 1;
            coupon.meta_data.push({ id: nextMetaId, key: entry.key, value: entry.value });
          }
        }
      } else target[key] = value;
    }
  }

  /** WooCommerce only refuses a code another *published* coupon already uses. */
  function codeTaken(code: string, exceptId: number | null): boolean {
    return state.coupons.some((c) => c.id !== exceptId && c.status === 'publish' && c.code === code.toLowerCase());
  }

  function checkOAuth(request: EmulatorRequest, baseUrl: string): EmulatorReply | null {
    // PHP's $_GET keeps the last value of a repeated key. That matters: the SDK sends every query
    // parameter twice over http (oauth-1.0a merges them into the oauth params it returns, which
    // axios appends to a URL that already carries them), and the signature covers them once.
    const params = new URLSearchParams([...new Map(request.url.searchParams)]);
    if (params.get('oauth_consumer_key') !== state.consumerKey) {
      return wooError(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
    }
    const required = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
    const missing = required.filter((name) => !params.get(name));
    if (missing.length > 0) {
      return wooError(401, 'woocommerce_rest_authentication_error', `Missing OAuth parameter ${missing.join(', ')}`);
    }
    const method = params.get('oauth_signature_method');
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') {
      return wooError(401, 'woocommerce_rest_authentication_error', 'Invalid signature - signature method is invalid.');
    }
    const provided = params.get('oauth_signature') ?? '';
    params.delete('oauth_signature');
    const pairs = [...params].map(([key, value]) => [percentEncode(key), percentEncode(value)] as const);
    pairs.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1));
    const parameterString = pairs.map(([key, value]) => `${key}=${value}`).join('&');
    const baseString = [request.method, percentEncode(`${baseUrl}${request.url.pathname}`), percentEncode(parameterString)].join('&');
    const algorithm = method === 'HMAC-SHA256' ? 'sha256' : 'sha1';
    const expected = createHmac(algorithm, `${percentEncode(state.consumerSecret)}&`).update(baseString).digest('base64');
    const a = Buffer.from(expected);
    const b = Buffer.from(provided);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      return wooError(401, 'woocommerce_rest_authentication_error', 'Invalid signature - provided signature does not match.');
    }
    const timestamp = Number(params.get('oauth_timestamp'));
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > OAUTH_TIMESTAMP_WINDOW_SECONDS) {
      return wooError(401, 'woocommerce_rest_authentication_error', 'Invalid timestamp.');
    }
    const nonce = `${timestamp}:${params.get('oauth_nonce') ?? ''}`;
    if (state.usedNonces.has(nonce)) {
      return wooError(401, 'woocommerce_rest_authentication_error', 'Invalid nonce - nonce has already been used.');
    }
    state.usedNonces.add(nonce);
    return null;
  }

  /** Returns an error reply, or null when the request carries valid credentials. */
  function authenticate(request: EmulatorRequest, baseUrl: string): EmulatorReply | null {
    const search = request.url.searchParams;
    if (search.has('oauth_consumer_key')) return checkOAuth(request, baseUrl);
    const header = String(request.headers.authorization ?? '');
    const basic = /^Basic\s+(.+)$/i.exec(header);
    let key: string | null = null;
    let secret: string | null = null;
    if (basic) {
      const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      key = colon === -1 ? decoded : decoded.slice(0, colon);
      secret = colon === -1 ? '' : decoded.slice(colon + 1);
    } else if (search.has('consumer_key')) {
      key = search.get('consumer_key');
      secret = search.get('consumer_secret') ?? '';
    }
    if (key === null) {
      const verb = request.method === 'GET' ? 'cannot list resources' : 'are not allowed to do that';
      return wooError(401, request.method === 'GET' ? 'woocommerce_rest_cannot_view' : 'woocommerce_rest_cannot_create', `Sorry, you ${verb}.`);
    }
    if (key !== state.consumerKey) return wooError(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
    if (secret !== state.consumerSecret) return wooError(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
    return null;
  }

  function list(request: EmulatorRequest, baseUrl: string): EmulatorReply {
    const search = request.url.searchParams;
    const page = Number(search.get('page') ?? 1);
    const perPage = Number(search.get('per_page') ?? 10);
    if (!Number.isInteger(page) || page < 1) return wooError(400, 'rest_invalid_param', 'Invalid parameter(s): page', { params: { page: 'page must be greater than or equal to 1' } });
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
      return wooError(400, 'rest_invalid_param', 'Invalid parameter(s): per_page', { params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } });
    }
    const status = search.get('status') ?? 'any';
    const code = search.get('code');
    // WooCommerce resolves `code` through wc_get_coupon_id_by_code: the newest *published* coupon only.
    const codeId = code ? (state.coupons.filter((c) => c.status === 'publish' && c.code === code.trim().toLowerCase()).sort((a, b) => b.id - a.id)[0]?.id ?? 0) : null;
    const term = search.get('search')?.toLowerCase() ?? null;
    let items = state.coupons.filter(
      (c) =>
        (status === 'any' ? c.status !== 'trash' : c.status === status) &&
        (codeId === null || c.id === codeId) &&
        (term === null || c.code.includes(term) || c.description.toLowerCase().includes(term)),
    );
    const orderby = search.get('orderby') ?? 'date';
    const direction = (search.get('order') ?? 'desc') === 'asc' ? 1 : -1;
    const key = (c: WooCoupon): string | number => (orderby === 'title' || orderby === 'code' ? c.code : orderby === 'id' ? c.id : `${c.date_created_gmt}:${String(c.id).padStart(12, '0')}`);
    items = [...items].sort((a, b) => (key(a) < key(b) ? -direction : key(a) > key(b) ? direction : 0));
    const total = items.length;
    const totalPages = Math.ceil(total / perPage);
    if (total > 0 && page > totalPages) {
      return wooError(400, 'rest_post_invalid_page_number', 'The page number requested is larger than the number of pages available.');
    }
    const slice = items.slice((page - 1) * perPage, page * perPage);
    return {
      status: 200,
      body: slice.map((c) => present(c, baseUrl)),
      headers: { 'x-wp-total': String(total), 'x-wp-totalpages': String(totalPages) },
    };
  }

  function create(body: Body, baseUrl: string): EmulatorReply {
    if (typeof body.code !== 'string' || body.code.trim() === '') {
      return wooError(400, 'rest_missing_callback_param', 'Missing parameter(s): code', { params: ['code'] });
    }
    const invalid = validate(body);
    if (invalid.length > 0) return wooError(400, 'rest_invalid_param', `Invalid parameter(s): ${invalid.join(', ')}`, { params: Object.fromEntries(invalid.map((p) => [p, `${p} is invalid.`])) });
    if (codeTaken(body.code, null)) {
      return wooError(400, 'woocommerce_rest_coupon_code_already_exists', 'The coupon code already exists');
    }
    const coupon = blankCoupon(body.code);
    apply(coupon, body);
    state.coupons.push(coupon);
    return { status: 201, body: present(coupon, baseUrl) };
  }

  function update(coupon: WooCoupon, body: Body, baseUrl: string): EmulatorReply {
    const invalid = validate(body);
    if (invalid.length > 0) return wooError(400, 'rest_invalid_param', `Invalid parameter(s): ${invalid.join(', ')}`, { params: Object.fromEntries(invalid.map((p) => [p, `${p} is invalid.`])) });
    if (typeof body.code === 'string' && codeTaken(body.code, coupon.id)) {
      return wooError(400, 'woocommerce_rest_coupon_code_already_exists', 'The coupon code already exists');
    }
    apply(coupon, body);
    coupon.date_modified_gmt = toWpDate(new Date());
    return { status: 200, body: present(coupon, baseUrl) };
  }

  const handle = await startEmulatorServer<WooCommerceEmulatorState>({
    state,
    rateLimitPerSecond: options.rateLimitPerSecond ?? null,
    parseBody: (raw) => JSON.parse(raw) as unknown,
    parseQuery: (search) => Object.fromEntries(search),
    errorBody: injectedErrorBody,
    handle(request, baseUrl) {
      const noRoute = wooError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
      if (!request.path.startsWith(API_PREFIX)) return noRoute;
      const segments = request.path.slice(API_PREFIX.length).split('/').filter(Boolean);
      // The namespace index is public in WordPress: it cannot tell whether credentials are valid.
      if (segments.length === 0 && request.method === 'GET') {
        return { status: 200, body: { namespace: 'wc/v3', routes: { [`${API_PREFIX}/coupons`]: {}, [`${API_PREFIX}/system_status`]: {} } } };
      }
      const authError = authenticate(request, baseUrl);
      if (authError) return authError;
      const [resource, idText, ...rest] = segments;
      if (resource === 'system_status' && idText === undefined && request.method === 'GET') {
        return {
          status: 200,
          body: {
            environment: { home_url: baseUrl, site_url: baseUrl, version: '9.4.0', wp_version: '6.7' },
            settings: { currency: state.storeCurrency, currency_symbol: '$' },
          },
        };
      }
      if (resource !== 'coupons' || rest.length > 0) return noRoute;
      const body = (request.body ?? {}) as Body;
      if (request.method !== 'GET' && request.method !== 'DELETE' && (typeof body !== 'object' || Array.isArray(body))) {
        return wooError(400, 'rest_invalid_json', 'Invalid JSON body passed.');
      }
      if (idText === undefined) {
        if (request.method === 'GET') return list(request, baseUrl);
        if (request.method === 'POST') return create(body, baseUrl);
        return noRoute;
      }
      const coupon = /^\d+$/.test(idText) ? state.coupons.find((c) => c.id === Number(idText)) : undefined;
      if (!coupon) return wooError(404, 'woocommerce_rest_shop_coupon_invalid_id', 'Invalid ID.');
      if (request.method === 'GET') return { status: 200, body: present(coupon, baseUrl) };
      if (request.method === 'PUT' || request.method === 'PATCH' || request.method === 'POST') return update(coupon, body, baseUrl);
      if (request.method === 'DELETE') {
        const force = ['true', '1'].includes(request.url.searchParams.get('force') ?? '');
        const snapshot = present(coupon, baseUrl);
        if (force) state.coupons.splice(state.coupons.indexOf(coupon), 1);
        else if (coupon.status === 'trash') return wooError(410, 'woocommerce_rest_already_trashed', 'The coupon has already been deleted.');
        else coupon.status = 'trash';
        return { status: 200, body: force ? snapshot : present(coupon, baseUrl) };
      }
      return noRoute;
    },
  });

  return {
    ...handle,
    findCoupon,
    seedCoupon(fields) {
      const coupon = blankCoupon(fields.code);
      Object.assign(coupon, fields, { id: coupon.id, code: fields.code.toLowerCase() });
      state.coupons.push(coupon);
      return coupon;
    },
  };
}

/** The `X-WC-Webhook-Signature` header value: base64 HMAC-SHA256 of the raw body with the webhook secret. */
export function signWooCommercePayload(input: { body: string | Buffer; secret: string }): string {
  return createHmac('sha256', input.secret).update(input.body).digest('base64');
}
