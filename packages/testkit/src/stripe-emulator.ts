import { makeId, parseNestedParams, startEmulatorServer } from './emulator-server.ts';
import type { EmulatorHandle, EmulatorReply, EmulatorRequest } from './emulator-server.ts';

/**
 * A Stripe API emulator for the endpoints Codetrack calls: account/balance, coupons, promotion
 * codes, and reading an invoice with its discounts (invoices are seeded with `addInvoice`; the
 * API that creates them is not emulated). Form-encoded bodies, Bearer auth, Stripe's error JSON,
 * list pagination (`limit`/`starting_after`/`has_more`), `expand`, and Idempotency-Key replay.
 */

export type StripeCoupon = {
  id: string;
  object: 'coupon';
  amount_off: number | null;
  created: number;
  currency: string | null;
  duration: 'once' | 'repeating' | 'forever';
  duration_in_months: number | null;
  livemode: false;
  max_redemptions: number | null;
  metadata: Record<string, string>;
  name: string | null;
  percent_off: number | null;
  redeem_by: number | null;
  times_redeemed: number;
  valid: boolean;
};

export type StripePromotionCode = {
  id: string;
  object: 'promotion_code';
  active: boolean;
  code: string;
  created: number;
  customer: string | null;
  customer_account: string | null;
  expires_at: number | null;
  livemode: false;
  max_redemptions: number | null;
  metadata: Record<string, string>;
  promotion: { type: 'coupon'; coupon: string };
  restrictions: {
    first_time_transaction: boolean;
    minimum_amount: number | null;
    minimum_amount_currency: string | null;
  };
  times_redeemed: number;
};

/** A discount application: the coupon (and the promotion code, if one was used) on an invoice or line. */
export type StripeDiscount = {
  id: string;
  object: 'discount';
  checkout_session: null;
  customer: string | null;
  customer_account: null;
  end: number | null;
  invoice: string | null;
  invoice_item: null;
  promotion_code: string | null;
  source: { type: 'coupon'; coupon: string };
  start: number;
  subscription: string | null;
  subscription_item: null;
};

export type StripeDiscountAmount = { amount: number; discount: string };

export type StripeInvoiceLine = {
  id: string;
  object: 'line_item';
  amount: number;
  currency: string;
  description: string;
  discount_amounts: StripeDiscountAmount[];
  discounts: string[];
  metadata: Record<string, string>;
  quantity: number;
};

/** The invoice fields that carry discounts, plus enough around them to look like an invoice. */
export type StripeInvoice = {
  id: string;
  object: 'invoice';
  created: number;
  currency: string;
  customer: string;
  discounts: string[];
  lines: { object: 'list'; data: StripeInvoiceLine[]; has_more: false; url: string };
  livemode: false;
  metadata: Record<string, string>;
  status: 'paid';
  subtotal: number;
  total: number;
  total_discount_amounts: StripeDiscountAmount[];
  total_excluding_tax: number;
};

export type StripeInvoiceSeed = {
  id?: string;
  customer?: string;
  currency?: string;
  /** Goods before discounts, in minor units. Default 10000. */
  subtotal?: number;
  /**
   * Discount applications, on the invoice (default) or on its one line. Each is made with a
   * promotion code that exists on the emulator (its coupon comes along) or with a coupon alone.
   */
  discounts?: { id?: string; promotionCode?: string; coupon?: string; amount?: number; on?: 'invoice' | 'line' }[];
};

export type StripeEmulatorState = {
  apiKey: string;
  accountName: string;
  coupons: StripeCoupon[];
  /** Deleted coupons stay out of `coupons`; their ids are kept so promotion codes still resolve. */
  deletedCouponIds: string[];
  promotionCodes: StripePromotionCode[];
  invoices: StripeInvoice[];
  discounts: StripeDiscount[];
  idempotency: Map<string, { fingerprint: string; reply: EmulatorReply }>;
};

export type StripeEmulator = EmulatorHandle<StripeEmulatorState> & {
  /** Stores a paid invoice with its discount applications (what a subscription payment leaves behind) and returns it. */
  addInvoice(seed: StripeInvoiceSeed): StripeInvoice;
};

export type StripeEmulatorOptions = {
  apiKey?: string;
  accountName?: string;
  rateLimitPerSecond?: number | null;
};

/** Promotion codes moved from top-level `coupon` to `promotion.coupon` in this API version. */
const PROMOTION_SHAPE_VERSION = '2025-09-30';

type StripeErrorInput = { type?: string; message: string; code?: string; param?: string };

function stripeError(status: number, input: StripeErrorInput): EmulatorReply {
  return {
    status,
    body: {
      error: {
        type: input.type ?? 'invalid_request_error',
        message: input.message,
        ...(input.code ? { code: input.code } : {}),
        ...(input.param ? { param: input.param } : {}),
        doc_url: input.code ? `https://stripe.com/docs/error-codes/${input.code.replace(/_/g, '-')}` : undefined,
        request_log_url: 'https://dashboard.stripe.com/test/logs/req_emulator',
      },
    },
  };
}

function injectedErrorBody(status: number): unknown {
  if (status === 401) return { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****' } };
  if (status === 429) {
    return {
      error: {
        type: 'invalid_request_error',
        code: 'rate_limit',
        message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      },
    };
  }
  if (status >= 500) return { error: { type: 'api_error', message: 'Something went wrong on Stripe\'s end.' } };
  return { error: { type: 'invalid_request_error', message: 'Invalid request.' } };
}

const unknownParameter = (param: string) =>
  stripeError(400, { code: 'parameter_unknown', param, message: `Received unknown parameter: ${param}` });
const missingParameter = (param: string) =>
  stripeError(400, { code: 'parameter_missing', param, message: `Missing required param: ${param}.` });
const noSuch = (kind: string, id: string) =>
  stripeError(404, { code: 'resource_missing', param: 'id', message: `No such ${kind}: '${id}'` });

type Params = Record<string, unknown>;

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function asInt(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : Number.NaN;
}

function asBool(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  return value === 'true' || value === true;
}

/** Applies a metadata param the way Stripe does: empty string unsets a key, `metadata=` unsets all. */
function applyMetadata(current: Record<string, string>, value: unknown): Record<string, string> {
  if (value === undefined) return current;
  if (value === '') return {};
  const next = { ...current };
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === '') delete next[key];
    else next[key] = String(v);
  }
  return next;
}

function checkKnown(params: Params, allowed: string[]): EmulatorReply | null {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) return unknownParameter(key);
  }
  return null;
}

function expandList(params: Params): string[] {
  const expand = params.expand;
  if (Array.isArray(expand)) return expand.map(String);
  if (typeof expand === 'string') return [expand];
  return [];
}

/** Stripe expands at most four levels (`a.b.c.d`). */
const MAX_EXPAND_DEPTH = 4;

class ExpandError extends Error {}

/**
 * Applies one `expand[]` path: every id on the path that `resolve` knows becomes its object, and
 * arrays are expanded element by element (`lines.data.discounts`). Returns copies; state is untouched.
 */
function expandPath(node: Record<string, unknown>, path: string[], resolve: (id: string) => unknown, full: string): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return node;
  if (!(head in node)) throw new ExpandError(`This property cannot be expanded (${full}).`);
  const step = (value: unknown): unknown => {
    const resolved = typeof value === 'string' ? (resolve(value) ?? value) : value;
    return rest.length > 0 && typeof resolved === 'object' && resolved !== null && !Array.isArray(resolved)
      ? expandPath(resolved as Record<string, unknown>, rest, resolve, full)
      : resolved;
  };
  const value = node[head];
  return { ...node, [head]: Array.isArray(value) ? value.map(step) : step(value) };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** Starts a Stripe emulator; `apiKey` defaults to `sk_test_emulator`. */
export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const state: StripeEmulatorState = {
    apiKey: options.apiKey ?? 'sk_test_emulator',
    accountName: options.accountName ?? 'Emulated Stripe account',
    coupons: [],
    deletedCouponIds: [],
    promotionCodes: [],
    invoices: [],
    discounts: [],
    idempotency: new Map(),
  };

  function addInvoice(seed: StripeInvoiceSeed): StripeInvoice {
    const id = seed.id ?? makeId('in_');
    if (state.invoices.some((i) => i.id === id)) throw new Error(`invoice ${id} already exists`);
    const currency = (seed.currency ?? 'usd').toLowerCase();
    const customer = seed.customer ?? 'cus_emulator';
    const subtotal = seed.subtotal ?? 10_000;
    const line: StripeInvoiceLine = {
      id: makeId('il_'),
      object: 'line_item',
      amount: subtotal,
      currency,
      description: '1 × Pro plan',
      discount_amounts: [],
      discounts: [],
      metadata: {},
      quantity: 1,
    };
    const invoice: StripeInvoice = {
      id,
      object: 'invoice',
      created: now(),
      currency,
      customer,
      discounts: [],
      lines: { object: 'list', data: [line], has_more: false, url: `/v1/invoices/${id}/lines` },
      livemode: false,
      metadata: {},
      status: 'paid',
      subtotal,
      total: subtotal,
      total_discount_amounts: [],
      total_excluding_tax: subtotal,
    };
    for (const input of seed.discounts ?? []) {
      const promotionCode = input.promotionCode === undefined ? null : state.promotionCodes.find((p) => p.id === input.promotionCode);
      if (promotionCode === undefined) throw new Error(`no promotion code ${input.promotionCode ?? ''} on the emulator`);
      const coupon = promotionCode?.promotion.coupon ?? input.coupon;
      if (!coupon) throw new Error('a seeded discount needs a promotionCode or a coupon');
      const discount: StripeDiscount = {
        id: input.id ?? makeId('di_'),
        object: 'discount',
        checkout_session: null,
        customer,
        customer_account: null,
        end: null,
        invoice: input.on === 'line' ? null : id,
        invoice_item: null,
        promotion_code: promotionCode?.id ?? null,
        source: { type: 'coupon', coupon },
        start: invoice.created,
        subscription: null,
        subscription_item: null,
      };
      state.discounts.push(discount);
      const amount = { amount: input.amount ?? 0, discount: discount.id };
      if (input.on === 'line') {
        line.discounts.push(discount.id);
        line.discount_amounts.push(amount);
      } else {
        invoice.discounts.push(discount.id);
      }
      invoice.total_discount_amounts.push(amount);
      invoice.total -= amount.amount;
      invoice.total_excluding_tax -= amount.amount;
    }
    state.invoices.push(invoice);
    return invoice;
  }

  function retrieveInvoice(id: string, params: Params, version: string): EmulatorReply {
    const invoice = state.invoices.find((i) => i.id === id);
    if (!invoice) return noSuch('invoice', id);
    const resolve = (ref: string): unknown => {
      if (ref.startsWith('di_')) return state.discounts.find((d) => d.id === ref);
      const promotionCode = ref.startsWith('promo_') ? state.promotionCodes.find((p) => p.id === ref) : undefined;
      return promotionCode ? renderPromotionCode(promotionCode, [], version, '') : undefined;
    };
    let body: Record<string, unknown> = invoice;
    try {
      for (const path of expandList(params)) {
        const segments = path.split('.');
        if (segments.length > MAX_EXPAND_DEPTH) throw new ExpandError(`You cannot expand more than ${MAX_EXPAND_DEPTH} levels of a property. Property: ${path}`);
        body = expandPath(body, segments, resolve, path);
      }
    } catch (error) {
      if (!(error instanceof ExpandError)) throw error;
      return stripeError(400, { param: 'expand', message: error.message });
    }
    return { status: 200, body };
  }

  function renderPromotionCode(code: StripePromotionCode, expand: string[], version: string, prefix: string): unknown {
    const coupon = state.coupons.find((c) => c.id === code.promotion.coupon);
    const expanded = expand.includes(`${prefix}promotion.coupon`) || expand.includes(`${prefix}coupon`);
    const couponValue = expanded && coupon ? coupon : code.promotion.coupon;
    if (version < PROMOTION_SHAPE_VERSION) {
      // Older API versions returned the full coupon object at the top level instead of `promotion`.
      const { promotion: _promotion, ...rest } = code;
      return { ...rest, coupon: coupon ?? code.promotion.coupon };
    }
    return { ...code, promotion: { type: 'coupon', coupon: couponValue } };
  }

  function list<T extends { id: string }>(items: T[], params: Params, url: string, render: (item: T) => unknown): EmulatorReply {
    const limit = Math.min(Math.max(Number(params.limit ?? 10) || 10, 1), 100);
    // Stripe lists newest first.
    const ordered = [...items].reverse();
    let start = 0;
    const startingAfter = asString(params.starting_after);
    if (startingAfter) {
      const index = ordered.findIndex((item) => item.id === startingAfter);
      if (index === -1) return noSuch('object', startingAfter);
      start = index + 1;
    }
    const page = ordered.slice(start, start + limit);
    return {
      status: 200,
      body: { object: 'list', url, has_more: start + limit < ordered.length, data: page.map(render) },
    };
  }

  function createCoupon(params: Params): EmulatorReply {
    const unknown = checkKnown(params, ['id', 'name', 'percent_off', 'amount_off', 'currency', 'duration', 'duration_in_months', 'max_redemptions', 'redeem_by', 'metadata', 'expand']);
    if (unknown) return unknown;
    const percentOff = params.percent_off === undefined ? null : Number(params.percent_off);
    const amountOff = asInt(params.amount_off) ?? null;
    if (percentOff === null && amountOff === null) {
      return stripeError(400, { code: 'parameter_missing', message: 'Must provide either `percent_off` or `amount_off`.' });
    }
    if (percentOff !== null && amountOff !== null) {
      return stripeError(400, { code: 'parameter_invalid', message: 'Coupons can only have one of `percent_off` or `amount_off`.' });
    }
    if (percentOff !== null && (!(percentOff > 0) || percentOff > 100)) {
      return stripeError(400, { code: 'parameter_invalid_float', param: 'percent_off', message: 'Invalid percent_off: must be between 0 and 100.' });
    }
    if (amountOff !== null && (!Number.isInteger(amountOff) || amountOff <= 0)) {
      return stripeError(400, { code: 'parameter_invalid_integer', param: 'amount_off', message: 'Invalid positive integer' });
    }
    const currency = asString(params.currency)?.toLowerCase() ?? null;
    if (amountOff !== null && !currency) return missingParameter('currency');
    const duration = (asString(params.duration) ?? 'once') as StripeCoupon['duration'];
    if (!['once', 'repeating', 'forever'].includes(duration)) {
      return stripeError(400, { code: 'parameter_invalid_string', param: 'duration', message: `Invalid duration: ${duration}` });
    }
    const durationInMonths = asInt(params.duration_in_months) ?? null;
    if (duration === 'repeating' && durationInMonths === null) return missingParameter('duration_in_months');
    const id = asString(params.id) ?? makeId('', 8).toUpperCase();
    if (state.coupons.some((c) => c.id === id)) {
      return stripeError(400, { code: 'resource_already_exists', param: 'id', message: 'Coupon already exists.' });
    }
    const coupon: StripeCoupon = {
      id,
      object: 'coupon',
      amount_off: amountOff,
      created: now(),
      currency,
      duration,
      duration_in_months: duration === 'repeating' ? durationInMonths : null,
      livemode: false,
      max_redemptions: asInt(params.max_redemptions) ?? null,
      metadata: applyMetadata({}, params.metadata),
      name: asString(params.name) ?? null,
      percent_off: percentOff,
      redeem_by: asInt(params.redeem_by) ?? null,
      times_redeemed: 0,
      valid: true,
    };
    state.coupons.push(coupon);
    return { status: 200, body: coupon };
  }

  function updateCoupon(id: string, params: Params): EmulatorReply {
    const coupon = state.coupons.find((c) => c.id === id);
    if (!coupon) return noSuch('coupon', id);
    // Only name, metadata and currency_options are updatable; everything else is "unknown" on update.
    const unknown = checkKnown(params, ['name', 'metadata', 'currency_options', 'expand']);
    if (unknown) return unknown;
    if (params.name !== undefined) coupon.name = asString(params.name) || null;
    coupon.metadata = applyMetadata(coupon.metadata, params.metadata);
    return { status: 200, body: coupon };
  }

  function createPromotionCode(params: Params, version: string): EmulatorReply {
    const unknown = checkKnown(params, ['promotion', 'coupon', 'code', 'active', 'customer', 'expires_at', 'max_redemptions', 'metadata', 'restrictions', 'expand']);
    if (unknown) return unknown;
    const promotion = params.promotion as Params | undefined;
    let couponId: string | undefined;
    if (promotion) {
      if (promotion.type !== 'coupon') {
        return stripeError(400, { code: 'parameter_invalid_string', param: 'promotion[type]', message: 'Invalid promotion[type]: must be coupon' });
      }
      couponId = asString(promotion.coupon);
      if (!couponId) return missingParameter('promotion[coupon]');
    } else {
      couponId = asString(params.coupon);
      if (!couponId) return missingParameter('promotion');
    }
    const coupon = state.coupons.find((c) => c.id === couponId);
    if (!coupon) return stripeError(400, { code: 'resource_missing', param: promotion ? 'promotion[coupon]' : 'coupon', message: `No such coupon: '${couponId}'` });
    const code = asString(params.code) ?? makeId('', 8).toUpperCase();
    if (!/^[A-Za-z0-9-]+$/.test(code)) {
      return stripeError(400, { code: 'parameter_invalid_string', param: 'code', message: 'Promotion codes may only contain letters, digits and dashes.' });
    }
    const active = asBool(params.active) ?? true;
    if (active && state.promotionCodes.some((p) => p.active && p.code.toLowerCase() === code.toLowerCase())) {
      // The real API's `code` field for this error is unverified: the adapter must match on the message.
      return stripeError(400, { param: 'code', message: `An active promotion code with \`code: ${code}\` already exists.` });
    }
    const restrictions = (params.restrictions ?? {}) as Params;
    const restrictionsUnknown = checkKnown(restrictions, ['first_time_transaction', 'minimum_amount', 'minimum_amount_currency', 'currency_options']);
    if (restrictionsUnknown) return restrictionsUnknown;
    const minimumAmount = asInt(restrictions.minimum_amount) ?? null;
    const minimumCurrency = asString(restrictions.minimum_amount_currency)?.toLowerCase() ?? null;
    if (minimumAmount !== null && !minimumCurrency) return missingParameter('restrictions[minimum_amount_currency]');
    const expiresAt = asInt(params.expires_at) ?? null;
    if (expiresAt !== null && coupon.redeem_by !== null && expiresAt > coupon.redeem_by) {
      return stripeError(400, { param: 'expires_at', message: 'The promotion code cannot expire after its coupon\'s `redeem_by`.' });
    }
    const promotionCode: StripePromotionCode = {
      id: makeId('promo_'),
      object: 'promotion_code',
      active,
      code,
      created: now(),
      customer: asString(params.customer) ?? null,
      customer_account: null,
      expires_at: expiresAt,
      livemode: false,
      max_redemptions: asInt(params.max_redemptions) ?? null,
      metadata: applyMetadata({}, params.metadata),
      promotion: { type: 'coupon', coupon: coupon.id },
      restrictions: {
        first_time_transaction: asBool(restrictions.first_time_transaction) ?? false,
        minimum_amount: minimumAmount,
        minimum_amount_currency: minimumAmount === null ? null : minimumCurrency,
      },
      times_redeemed: 0,
    };
    state.promotionCodes.push(promotionCode);
    return { status: 200, body: renderPromotionCode(promotionCode, expandList(params), version, '') };
  }

  function updatePromotionCode(id: string, params: Params, version: string): EmulatorReply {
    const promotionCode = state.promotionCodes.find((p) => p.id === id);
    if (!promotionCode) return noSuch('promotion code', id);
    const unknown = checkKnown(params, ['active', 'metadata', 'restrictions', 'expand']);
    if (unknown) return unknown;
    const restrictions = (params.restrictions ?? {}) as Params;
    for (const key of Object.keys(restrictions)) {
      if (key !== 'currency_options') return unknownParameter(`restrictions[${key}]`);
    }
    const active = asBool(params.active);
    if (active === true && !promotionCode.active) {
      const clash = state.promotionCodes.some((p) => p.active && p.id !== id && p.code.toLowerCase() === promotionCode.code.toLowerCase());
      if (clash) return stripeError(400, { param: 'active', message: `An active promotion code with \`code: ${promotionCode.code}\` already exists.` });
    }
    if (active !== undefined) promotionCode.active = active;
    promotionCode.metadata = applyMetadata(promotionCode.metadata, params.metadata);
    return { status: 200, body: renderPromotionCode(promotionCode, expandList(params), version, '') };
  }

  function listPromotionCodes(params: Params, version: string): EmulatorReply {
    let items = state.promotionCodes;
    const code = asString(params.code);
    if (code !== undefined) items = items.filter((p) => p.code.toLowerCase() === code.toLowerCase());
    const coupon = asString(params.coupon);
    if (coupon !== undefined) items = items.filter((p) => p.promotion.coupon === coupon);
    const active = asBool(params.active);
    if (active !== undefined) items = items.filter((p) => p.active === active);
    const expand = expandList(params);
    return list(items, params, '/v1/promotion_codes', (p) => renderPromotionCode(p, expand, version, 'data.'));
  }

  function route(request: EmulatorRequest): EmulatorReply {
    const params = (request.method === 'GET' || request.method === 'DELETE' ? request.query : (request.body ?? {})) as Params;
    const version = String(request.headers['stripe-version'] ?? '9999-99-99');
    const segments = request.path.split('/').filter(Boolean).map(decodeURIComponent);
    const [v1, resource, id] = segments;
    if (v1 !== 'v1' || segments.length > 3) return stripeError(404, { message: `Unrecognized request URL (${request.method}: ${request.path}).` });
    const key = `${request.method} ${resource ?? ''}${id === undefined ? '' : '/:id'}`;
    switch (key) {
      case 'GET account':
        return {
          status: 200,
          body: {
            id: 'acct_emulator',
            object: 'account',
            business_profile: { name: state.accountName },
            settings: { dashboard: { display_name: state.accountName } },
            charges_enabled: true,
          },
        };
      case 'GET balance':
        return { status: 200, body: { object: 'balance', available: [], pending: [], livemode: false } };
      case 'POST coupons':
        return createCoupon(params);
      case 'GET coupons':
        return list(state.coupons, params, '/v1/coupons', (c) => c);
      case 'GET coupons/:id': {
        const coupon = state.coupons.find((c) => c.id === id);
        return coupon ? { status: 200, body: coupon } : noSuch('coupon', id ?? '');
      }
      case 'POST coupons/:id':
        return updateCoupon(id ?? '', params);
      case 'DELETE coupons/:id': {
        const index = state.coupons.findIndex((c) => c.id === id);
        if (index === -1) return noSuch('coupon', id ?? '');
        state.coupons.splice(index, 1);
        state.deletedCouponIds.push(id ?? '');
        return { status: 200, body: { id, object: 'coupon', deleted: true } };
      }
      case 'POST promotion_codes':
        return createPromotionCode(params, version);
      case 'GET promotion_codes':
        return listPromotionCodes(params, version);
      case 'GET promotion_codes/:id': {
        const promotionCode = state.promotionCodes.find((p) => p.id === id);
        return promotionCode ? { status: 200, body: renderPromotionCode(promotionCode, expandList(params), version, '') } : noSuch('promotion code', id ?? '');
      }
      case 'POST promotion_codes/:id':
        return updatePromotionCode(id ?? '', params, version);
      case 'GET invoices/:id':
        return retrieveInvoice(id ?? '', params, version);
      default:
        return stripeError(404, { message: `Unrecognized request URL (${request.method}: ${request.path}).` });
    }
  }

  const server = await startEmulatorServer<StripeEmulatorState>({
    state,
    rateLimitPerSecond: options.rateLimitPerSecond ?? null,
    parseBody: (raw) => parseNestedParams(new URLSearchParams(raw)),
    parseQuery: (search) => parseNestedParams(search),
    errorBody: injectedErrorBody,
    handle(request) {
      const auth = String(request.headers.authorization ?? '');
      const match = /^Bearer\s+(.+)$/i.exec(auth);
      if (!match) {
        return stripeError(401, {
          message: 'You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. \'Authorization: Bearer YOUR_SECRET_KEY\').',
        });
      }
      if (match[1] !== state.apiKey) {
        return stripeError(401, { message: `Invalid API Key provided: ${(match[1] ?? '').slice(0, 8)}****${(match[1] ?? '').slice(-4)}` });
      }
      const idempotencyKey = request.method === 'POST' ? request.headers['idempotency-key'] : undefined;
      if (typeof idempotencyKey === 'string' && idempotencyKey.length > 0) {
        const fingerprint = `${request.method} ${request.path} ${request.rawBody}`;
        const previous = state.idempotency.get(idempotencyKey);
        if (previous) {
          if (previous.fingerprint !== fingerprint) {
            return stripeError(400, {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            });
          }
          return { ...previous.reply, headers: { ...previous.reply.headers, 'idempotent-replayed': 'true' } };
        }
        const reply = route(request);
        // Stripe saves a result once the endpoint started executing; we keep successes only.
        if (reply.status < 400) state.idempotency.set(idempotencyKey, { fingerprint, reply: { ...reply, body: structuredClone(reply.body) } });
        return reply;
      }
      return route(request);
    },
  });
  return Object.assign(server, { addInvoice });
}
