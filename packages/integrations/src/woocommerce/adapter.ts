import WooCommerceRestApiImport from '@woocommerce/woocommerce-rest-api';
import { formatMinorUnits, formatPercentFromBasisPoints, parseMinorUnits, parsePercentToBasisPoints } from '../decimal-amounts.ts';
import { PlatformError } from '../types.ts';
import type { Capabilities, ConnectionTarget, CouponSpec, Page, PlatformAdapter, PlatformCode, PromotionCodeSpec } from '../types.ts';

// The package is CommonJS compiled by Babel (`exports.default = WooCommerceRestApi`). Under native
// ESM the default import is the whole `module.exports`, so the class sits under `.default`; bundlers
// and Vitest may already unwrap it. Accept both.
const WooCommerceRestApi: typeof WooCommerceRestApiImport =
  (WooCommerceRestApiImport as unknown as { default?: typeof WooCommerceRestApiImport }).default ?? WooCommerceRestApiImport;

type WooClient = InstanceType<typeof WooCommerceRestApiImport>;

/** The coupon fields we read back (wc/v3 `shop_coupon`). */
type WooCoupon = {
  id: number;
  code: string;
  status: string;
  discount_type: string;
  amount: string;
  date_expires_gmt: string | null;
  usage_limit: number | null;
  minimum_amount: string;
  meta_data?: Array<{ key: string; value: unknown }>;
};

type AxiosLikeError = {
  code?: string;
  message?: string;
  response?: { status: number; data?: unknown; headers?: Record<string, unknown> };
};

export type WooCommerceAdapterOptions = {
  /** The store's currency (WooCommerce coupons carry none); also read from `credentials.storeCurrency`. */
  storeCurrency?: string | null;
  timeoutMs?: number;
};

/** Meta key that ties a WooCommerce coupon to our PromotionCode id. */
export const CODETRACK_META_KEY = 'codetrack_id';
const MAX_PER_PAGE = 100;

export const woocommerceCapabilities: Capabilities = {
  firstTimeOnly: false,
  minimumAmount: true,
  expiresAt: true,
  maxRedemptions: true,
  couponHoldsCodes: false,
  codePattern: /^[A-Za-z0-9_-]+$/,
  // The code is the coupon's post_title; we keep it short enough for receipts and the admin list.
  codeMaxLength: 100,
};

/** WordPress date without zone; the `_gmt` fields are UTC. */
function toWpGmtDate(date: Date): string {
  return date.toISOString().slice(0, 19);
}

function fromWpGmtDate(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function headerNumber(headers: Record<string, unknown> | undefined, name: string): number | null {
  const raw = headers?.[name];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(value) ? value : null;
}

function describeBody(data: unknown): { code: string | null; message: string | null } {
  if (typeof data === 'object' && data !== null) {
    const body = data as { code?: unknown; message?: unknown };
    return { code: typeof body.code === 'string' ? body.code : null, message: typeof body.message === 'string' ? body.message : null };
  }
  return { code: null, message: typeof data === 'string' && data.length < 300 ? data : null };
}

/** Translates an axios error from the SDK into our vocabulary. */
export function toWooCommercePlatformError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  const failure = error as AxiosLikeError;
  const response = failure?.response;
  if (!response) {
    const timedOut = failure?.code === 'ECONNABORTED' || failure?.code === 'ETIMEDOUT' || /timeout/i.test(failure?.message ?? '');
    return new PlatformError({
      code: timedOut ? 'timeout' : 'unavailable',
      message: `WooCommerce store unreachable: ${failure?.message ?? String(error)}`,
      cause: error,
    });
  }
  const status = response.status;
  const { code, message } = describeBody(response.data);
  const text = `WooCommerce: ${message ?? `HTTP ${status}`}${code ? ` (${code})` : ''}`;
  if (code === 'woocommerce_rest_coupon_code_already_exists') return new PlatformError({ code: 'code_taken', message: text, status, cause: error });
  if (status === 401) return new PlatformError({ code: 'unauthorized', message: text, status, cause: error });
  if (status === 403) return new PlatformError({ code: 'forbidden', message: text, status, cause: error });
  if (status === 404) return new PlatformError({ code: 'not_found', message: text, status, cause: error });
  if (status === 408) return new PlatformError({ code: 'timeout', message: text, status, cause: error });
  if (status === 429) {
    const seconds = headerNumber(response.headers, 'retry-after');
    return new PlatformError({ code: 'rate_limited', message: text, status, retryAfterMs: seconds === null ? null : seconds * 1000, cause: error });
  }
  if (status >= 500) return new PlatformError({ code: 'unavailable', message: text, status, cause: error });
  if (status >= 400) return new PlatformError({ code: 'invalid_request', message: text, status, cause: error });
  return new PlatformError({ code: 'unknown', message: text, status, cause: error });
}

/** WooCommerce through the official REST client: one coupon per promotion code. */
export class WooCommerceAdapter implements PlatformAdapter {
  readonly platform = 'woocommerce' as const;
  readonly capabilities = woocommerceCapabilities;
  private readonly client: WooClient;
  private readonly storeUrl: URL;
  private readonly storeCurrency: string | null;

  constructor(target: ConnectionTarget, options: WooCommerceAdapterOptions = {}) {
    const url = target.apiBaseUrl ?? target.credentials.storeUrl;
    const consumerKey = target.credentials.consumerKey;
    const consumerSecret = target.credentials.consumerSecret;
    if (!url || !consumerKey || !consumerSecret) {
      throw new PlatformError({ code: 'unauthorized', message: 'WooCommerce needs the store URL, a consumer key and a consumer secret.' });
    }
    this.storeUrl = new URL(url);
    this.storeCurrency = (options.storeCurrency ?? target.credentials.storeCurrency ?? null)?.toUpperCase() ?? null;
    // Over https the SDK sends Basic auth (or consumer_key/secret query parameters when
    // queryStringAuth is set, for hosts that strip the Authorization header); over http it signs
    // each request with OAuth 1.0a HMAC-SHA256 query parameters.
    this.client = new WooCommerceRestApi({
      url: this.storeUrl.toString(),
      consumerKey,
      consumerSecret,
      version: 'wc/v3',
      queryStringAuth: target.credentials.queryStringAuth === 'true',
      timeout: options.timeoutMs ?? 20_000,
    });
  }

  private async call<T>(run: (client: WooClient) => Promise<{ data: T; headers: Record<string, unknown> }>): Promise<{ data: T; headers: Record<string, unknown> }> {
    try {
      return await run(this.client);
    } catch (error) {
      throw toWooCommercePlatformError(error);
    }
  }

  async verifyCredentials(): Promise<{ accountName: string | null }> {
    // The wc/v3 index is public in WordPress (it proves nothing) and system_status is slow on real
    // stores, so read one coupon: cheap, authenticated, and exactly the permission we need.
    await this.call((client) => client.get('coupons', { per_page: 1 }));
    return { accountName: this.storeUrl.host };
  }

  async upsertCoupon(_input: { coupon: CouponSpec; platformId: string | null; idempotencyKey: string }): Promise<{ platformId: string | null }> {
    return { platformId: null };
  }

  async deleteCoupon(_input: { platformId: string }): Promise<void> {}

  async createPromotionCode(input: { code: PromotionCodeSpec; couponPlatformId: string | null; idempotencyKey: string }): Promise<{ platformId: string }> {
    const body = this.toWooBody(input.code);
    try {
      const { data } = await this.call<WooCoupon>((client) => client.post('coupons', body));
      return { platformId: String(data.id) };
    } catch (error) {
      // WooCommerce has no idempotency keys. If an earlier attempt created the coupon but its answer
      // was lost, the code is now "taken" by our own coupon: recognise it by its meta and reuse it.
      if (error instanceof PlatformError && error.code === 'code_taken') {
        const existing = await this.findCoupon(input.code.code);
        if (existing && readMeta(existing, CODETRACK_META_KEY) === input.code.id) {
          await this.updatePromotionCode({ code: input.code, platformId: String(existing.id) });
          return { platformId: String(existing.id) };
        }
      }
      throw error;
    }
  }

  async updatePromotionCode(input: { code: PromotionCodeSpec; platformId: string }): Promise<void> {
    await this.call((client) => client.put(`coupons/${encodeURIComponent(input.platformId)}`, this.toWooBody(input.code)));
  }

  /**
   * WooCommerce coupons have no active flag. We move the coupon to `draft`: WooCommerce only
   * redeems published coupons, the platform id stays valid and reactivating is a status change.
   * (A draft no longer blocks another coupon with the same code in WooCommerce; our side keeps
   * the code reserved.)
   */
  async deactivatePromotionCode(input: { platformId: string }): Promise<void> {
    await this.call((client) => client.put(`coupons/${encodeURIComponent(input.platformId)}`, { status: 'draft' }));
  }

  async deletePromotionCode(input: { platformId: string }): Promise<void> {
    try {
      await this.call((client) => client.delete(`coupons/${encodeURIComponent(input.platformId)}`, { force: true }));
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'not_found') return;
      throw error;
    }
  }

  async findPromotionCodeByCode(input: { code: string }): Promise<PlatformCode | null> {
    const coupon = await this.findCoupon(input.code);
    return coupon ? this.toPlatformCode(coupon) : null;
  }

  async listPromotionCodes(input: { cursor: string | null; limit: number }): Promise<Page<PlatformCode>> {
    // The cursor is the next page number; pages are ordered by id so new coupons land at the end.
    const page = input.cursor ? Number(input.cursor) : 1;
    if (!Number.isInteger(page) || page < 1) throw new PlatformError({ code: 'invalid_request', message: `Invalid WooCommerce cursor "${input.cursor}"` });
    const perPage = Math.min(Math.max(1, Math.floor(input.limit)), MAX_PER_PAGE);
    const { data, headers } = await this.call<WooCoupon[]>((client) => client.get('coupons', { page, per_page: perPage, orderby: 'id', order: 'asc' }));
    const totalPages = headerNumber(headers, 'x-wp-totalpages') ?? page;
    return { items: data.map((coupon) => this.toPlatformCode(coupon)), nextCursor: page < totalPages ? String(page + 1) : null };
  }

  /** Newest coupon with this code: a published one first, else a draft (the `code` filter only sees published coupons). */
  private async findCoupon(code: string): Promise<WooCoupon | null> {
    const wanted = code.trim().toLowerCase();
    const { data: published } = await this.call<WooCoupon[]>((client) => client.get('coupons', { code: wanted }));
    const hit = published.find((c) => c.code.toLowerCase() === wanted);
    if (hit) return hit;
    // `search` is a LIKE over title and description: page through and keep exact matches.
    for (let page = 1; page <= 10; page += 1) {
      const { data, headers } = await this.call<WooCoupon[]>((client) =>
        client.get('coupons', { search: wanted, page, per_page: MAX_PER_PAGE, orderby: 'id', order: 'desc' }),
      );
      const exact = data.find((c) => c.code.toLowerCase() === wanted);
      if (exact) return exact;
      if (page >= (headerNumber(headers, 'x-wp-totalpages') ?? page)) break;
    }
    return null;
  }

  private toWooBody(spec: PromotionCodeSpec): Record<string, unknown> {
    const { coupon, restrictions } = spec;
    let discount: { discount_type: 'percent' | 'fixed_cart'; amount: string };
    if (coupon.discountType === 'percent') {
      if (coupon.percentOffBps === null) throw new PlatformError({ code: 'invalid_request', message: 'A percent coupon needs percentOffBps' });
      discount = { discount_type: 'percent', amount: formatPercentFromBasisPoints(coupon.percentOffBps) };
    } else {
      if (coupon.amountOff === null || !coupon.currency) throw new PlatformError({ code: 'invalid_request', message: 'A fixed coupon needs amountOff and currency' });
      this.assertStoreCurrency(coupon.currency, 'discount');
      discount = { discount_type: 'fixed_cart', amount: formatMinorUnits(coupon.amountOff, coupon.currency) };
    }
    let minimumAmount = '';
    if (restrictions.minimumAmount !== null) {
      const currency = restrictions.minimumAmountCurrency ?? coupon.currency ?? this.storeCurrency;
      if (currency) this.assertStoreCurrency(currency, 'minimum amount');
      minimumAmount = formatMinorUnits(restrictions.minimumAmount, currency);
    }
    return {
      code: spec.code,
      status: spec.active ? 'publish' : 'draft',
      description: coupon.name,
      ...discount,
      date_expires_gmt: restrictions.expiresAt ? toWpGmtDate(restrictions.expiresAt) : null,
      usage_limit: restrictions.maxRedemptions,
      minimum_amount: minimumAmount,
      meta_data: [{ key: CODETRACK_META_KEY, value: spec.id }],
    };
  }

  private assertStoreCurrency(currency: string, what: string): void {
    if (this.storeCurrency && currency.toUpperCase() !== this.storeCurrency) {
      throw new PlatformError({
        code: 'invalid_request',
        message: `The ${what} is in ${currency.toUpperCase()} but the WooCommerce store sells in ${this.storeCurrency}`,
      });
    }
  }

  private toPlatformCode(coupon: WooCoupon): PlatformCode {
    const percent = coupon.discount_type === 'percent';
    const minimum = parseMinorUnits(coupon.minimum_amount || '0', this.storeCurrency);
    return {
      platformId: String(coupon.id),
      code: coupon.code,
      active: coupon.status === 'publish',
      couponPlatformId: null,
      discountType: percent ? 'percent' : 'fixed',
      percentOffBps: percent ? parsePercentToBasisPoints(coupon.amount) : null,
      amountOff: percent ? null : parseMinorUnits(coupon.amount, this.storeCurrency),
      currency: percent ? null : this.storeCurrency,
      restrictions: {
        firstTimeOnly: false,
        minimumAmount: minimum ? minimum : null,
        minimumAmountCurrency: minimum ? this.storeCurrency : null,
        expiresAt: fromWpGmtDate(coupon.date_expires_gmt),
        maxRedemptions: coupon.usage_limit ?? null,
      },
    };
  }
}

function readMeta(coupon: WooCoupon, key: string): unknown {
  return coupon.meta_data?.find((m) => m.key === key)?.value;
}

/**
 * Builds the WooCommerce adapter for a connection. `apiBaseUrl` is the store URL (WordPress home);
 * credentials: `consumerKey`, `consumerSecret` (a read/write REST key), optional `storeCurrency`
 * (ISO code, for fixed amounts) and `queryStringAuth: 'true'` for hosts that drop Basic auth.
 */
export function createWooCommerceAdapter(target: ConnectionTarget, options: WooCommerceAdapterOptions = {}): WooCommerceAdapter {
  return new WooCommerceAdapter(target, options);
}
