import '@shopify/shopify-api/adapters/node';
import {
  ApiVersion,
  GraphqlQueryError,
  HttpMaxRetriesError,
  HttpRequestError,
  HttpResponseError,
  HttpRetriableError,
  HttpThrottlingError,
  LogSeverity,
  Session,
  shopifyApi,
} from '@shopify/shopify-api';
import type { GraphqlClient } from '@shopify/shopify-api';
import { setAbstractFetchFunc } from '@shopify/shopify-api/runtime';
import { formatMinorUnits, parseMinorUnits } from '../decimal-amounts.ts';
import { PlatformError } from '../types.ts';
import type { Capabilities, ConnectionTarget, CouponSpec, Page, PlatformAdapter, PlatformCode, PromotionCodeSpec } from '../types.ts';

/**
 * shopify-api 13 has no LATEST_API_VERSION: `apiVersion` is mandatory. 2026-07 is the newest
 * stable version its ApiVersion enum knows. Since 2025-01 DiscountCodeBasicInput takes
 * `context: {all: ALL}` and `customerSelection` is deprecated, so we send `context`.
 */
export const SHOPIFY_API_VERSION = ApiVersion.July26;

export const shopifyCapabilities: Capabilities = {
  firstTimeOnly: false,
  minimumAmount: true,
  expiresAt: true,
  maxRedemptions: true,
  couponHoldsCodes: false,
  codePattern: /^[A-Za-z0-9_-]+$/,
  codeMaxLength: 255,
};

export type ShopifyAdapterOptions = { timeoutMs?: number };

type UserError = { field: string[] | null; code: string | null; message: string };
type Money = { amount: string; currencyCode: string };
type DiscountNode = {
  id: string;
  codeDiscount: {
    __typename: string;
    title?: string;
    status?: 'ACTIVE' | 'EXPIRED' | 'SCHEDULED';
    startsAt?: string;
    endsAt?: string | null;
    usageLimit?: number | null;
    codes?: { nodes: Array<{ id: string; code: string }> };
    customerGets?: { value: { __typename: string; percentage?: number; amount?: Money } };
    minimumRequirement?: { __typename: string; greaterThanOrEqualToSubtotal?: Money } | null;
  };
};

const NODE_FIELDS = `
  id
  codeDiscount {
    __typename
    ... on DiscountCodeBasic {
      title
      status
      startsAt
      endsAt
      usageLimit
      codes(first: 1) { nodes { id code } }
      customerGets {
        value {
          __typename
          ... on DiscountPercentage { percentage }
          ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem }
        }
      }
      minimumRequirement {
        __typename
        ... on DiscountMinimumSubtotal { greaterThanOrEqualToSubtotal { amount currencyCode } }
      }
    }
  }`;

const SHOP_QUERY = `query CodetrackShop { shop { name } }`;
const CREATE_MUTATION = `mutation CodetrackDiscountCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;
const UPDATE_MUTATION = `mutation CodetrackDiscountUpdate($id: ID!, $basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicUpdate(id: $id, basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;
const DEACTIVATE_MUTATION = `mutation CodetrackDiscountDeactivate($id: ID!) {
  discountCodeDeactivate(id: $id) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;
const DELETE_MUTATION = `mutation CodetrackDiscountDelete($id: ID!) {
  discountCodeDelete(id: $id) {
    deletedCodeDiscountId
    userErrors { field code message }
  }
}`;
const BY_CODE_QUERY = `query CodetrackDiscountByCode($code: String!) {
  codeDiscountNodeByCode(code: $code) {${NODE_FIELDS}
  }
}`;
const LIST_QUERY = `query CodetrackDiscounts($first: Int!, $after: String) {
  codeDiscountNodes(first: $first, after: $after, sortKey: ID) {
    nodes {${NODE_FIELDS}
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

// The SDK builds every Admin API URL as https://<shop>/admin/api/... (see
// @shopify/graphql-client validateDomainAndGetStoreUrl, which forces `url.protocol = 'https'`).
// For a connection whose apiBaseUrl is plain http on a loopback host (the testkit emulator), we
// route that https origin to http through the SDK's own fetch hook. We chose this over serving the
// emulator with a self-signed certificate: it needs no certificate files or NODE_EXTRA_CA_CERTS
// (which Node reads only at start-up, before Vitest could set it), and production is unchanged:
// the hook is installed only once such a loopback connection exists, and every other request goes
// to global fetch exactly as the SDK's node adapter would send it.
const loopbackHttpOrigins = new Set<string>();
let loopbackRoutingInstalled = false;

function routeLoopbackOverHttp(httpsOrigin: string): void {
  loopbackHttpOrigins.add(httpsOrigin);
  if (loopbackRoutingInstalled) return;
  loopbackRoutingInstalled = true;
  setAbstractFetchFunc((input, init) => {
    if (typeof input === 'string' || input instanceof URL) {
      const url = new URL(input);
      if (url.protocol === 'https:' && loopbackHttpOrigins.has(url.origin)) {
        url.protocol = 'http:';
        return globalThis.fetch(url, init);
      }
    }
    return globalThis.fetch(input, init);
  });
}

const isLoopback = (hostname: string) => hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';

/** Extracts the shop host from the connection; only loopback hosts may be plain http. */
function resolveShop(target: ConnectionTarget): { shop: string; loopbackHttp: boolean } {
  const raw = (target.apiBaseUrl ?? target.credentials.shop ?? '').trim();
  if (!raw) throw new PlatformError({ code: 'invalid_request', message: 'Shopify needs the shop domain (apiBaseUrl).' });
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new PlatformError({ code: 'invalid_request', message: `Shopify shops are only reachable over https, not ${url.origin}` });
  }
  return { shop: url.host, loopbackHttp: url.protocol === 'http:' };
}

function throttledRetryAfterMs(extensions: unknown): number {
  const cost = (extensions as { cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable?: number; restoreRate?: number } } } | undefined)?.cost;
  const requested = cost?.requestedQueryCost;
  const available = cost?.throttleStatus?.currentlyAvailable;
  const restoreRate = cost?.throttleStatus?.restoreRate;
  if (requested === undefined || available === undefined || !restoreRate) return 1000;
  return Math.max(100, Math.ceil(((requested - available) / restoreRate) * 1000));
}

/** Translates the SDK's errors (HTTP and GraphQL level) into our vocabulary. */
export function toShopifyPlatformError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  if (error instanceof HttpThrottlingError) {
    const seconds = error.response.retryAfter;
    return new PlatformError({ code: 'rate_limited', message: 'Shopify is throttling requests (HTTP 429)', status: 429, retryAfterMs: seconds !== undefined ? Math.ceil(seconds * 1000) : 1000, cause: error });
  }
  if (error instanceof HttpRetriableError) {
    return new PlatformError({ code: 'unavailable', message: `Shopify internal error (HTTP ${error.response.code})`, status: error.response.code, cause: error });
  }
  if (error instanceof HttpResponseError) {
    const status = error.response.code;
    const code = status === 401 ? 'unauthorized' : status === 402 || status === 403 || status === 423 ? 'forbidden' : status === 404 ? 'not_found' : 'invalid_request';
    const reason = status === 401 ? 'the access token is invalid or was revoked' : status === 402 ? 'the shop is frozen (unpaid)' : status === 423 ? 'the shop is locked' : error.response.statusText;
    return new PlatformError({ code, message: `Shopify HTTP ${status}: ${reason}`, status, cause: error });
  }
  if (error instanceof GraphqlQueryError) {
    const body = error.body as { errors?: { graphQLErrors?: Array<{ message?: string; extensions?: { code?: string } }> }; extensions?: unknown } | undefined;
    const graphQLErrors = body?.errors?.graphQLErrors ?? [];
    const codes = graphQLErrors.map((e) => e.extensions?.code);
    const message = `Shopify: ${graphQLErrors.map((e) => e.message).join('; ') || error.message}`;
    if (codes.includes('THROTTLED')) {
      return new PlatformError({ code: 'rate_limited', message, status: 200, retryAfterMs: throttledRetryAfterMs(body?.extensions), cause: error });
    }
    if (codes.includes('ACCESS_DENIED')) return new PlatformError({ code: 'forbidden', message, status: 200, cause: error });
    if (codes.includes('INTERNAL_SERVER_ERROR')) return new PlatformError({ code: 'unavailable', message, status: 200, cause: error });
    return new PlatformError({ code: 'invalid_request', message, status: 200, cause: error });
  }
  if (error instanceof HttpMaxRetriesError) return new PlatformError({ code: 'unavailable', message: error.message, cause: error });
  if (error instanceof HttpRequestError) {
    const timedOut = /timeout|aborted/i.test(error.message);
    return new PlatformError({ code: timedOut ? 'timeout' : 'unavailable', message: `Shopify unreachable: ${error.message}`, cause: error });
  }
  return new PlatformError({ code: 'unknown', message: error instanceof Error ? error.message : String(error), cause: error });
}

function toUserErrorsPlatformError(userErrors: UserError[]): PlatformError {
  const message = `Shopify: ${userErrors.map((e) => `${e.message}${e.field ? ` (${e.field.join('.')})` : ''}`).join('; ')}`;
  if (userErrors.some((e) => e.code === 'TAKEN')) return new PlatformError({ code: 'code_taken', message });
  if (userErrors.some((e) => e.field?.[0] === 'id' || /does not exist/i.test(e.message))) return new PlatformError({ code: 'not_found', message });
  return new PlatformError({ code: 'invalid_request', message });
}

function toPlatformCode(node: DiscountNode): PlatformCode | null {
  const discount = node.codeDiscount;
  // Only basic code discounts map onto our coupons (BXGY, free shipping and app discounts do not).
  const code = discount.codes?.nodes[0]?.code;
  if (discount.__typename !== 'DiscountCodeBasic' || !code) return null;
  const value = discount.customerGets?.value;
  const percent = value?.__typename === 'DiscountPercentage';
  const amount = !percent && value?.amount ? value.amount : null;
  const minimum = discount.minimumRequirement?.__typename === 'DiscountMinimumSubtotal' ? discount.minimumRequirement.greaterThanOrEqualToSubtotal ?? null : null;
  return {
    platformId: node.id,
    code,
    active: discount.status !== 'EXPIRED',
    couponPlatformId: null,
    discountType: percent ? 'percent' : 'fixed',
    percentOffBps: percent && value?.percentage !== undefined ? Math.round(value.percentage * 10_000) : null,
    amountOff: amount ? parseMinorUnits(amount.amount, amount.currencyCode) : null,
    currency: amount ? amount.currencyCode : null,
    restrictions: {
      firstTimeOnly: false,
      minimumAmount: minimum ? parseMinorUnits(minimum.amount, minimum.currencyCode) : null,
      minimumAmountCurrency: minimum ? minimum.currencyCode : null,
      expiresAt: discount.endsAt ? new Date(discount.endsAt) : null,
      maxRedemptions: discount.usageLimit ?? null,
    },
  };
}

/** The discount title merchants see in Shopify admin; also how we recognise our own discounts. */
function discountTitle(spec: PromotionCodeSpec): string {
  return `${spec.coupon.name} - ${spec.code} (Codetrack)`;
}

/** Shopify through the official GraphQL Admin client: one basic code discount per promotion code. */
export class ShopifyAdapter implements PlatformAdapter {
  readonly platform = 'shopify' as const;
  readonly capabilities = shopifyCapabilities;
  private readonly client: GraphqlClient;
  private readonly timeoutMs: number;

  constructor(target: ConnectionTarget, options: ShopifyAdapterOptions = {}) {
    const accessToken = target.credentials.accessToken;
    if (!accessToken) throw new PlatformError({ code: 'unauthorized', message: 'Shopify needs an Admin API access token.' });
    const { shop, loopbackHttp } = resolveShop(target);
    if (loopbackHttp) routeLoopbackOverHttp(`https://${shop}`);
    const shopify = shopifyApi({
      // Only the Admin API client is used: OAuth and webhook validation (which need the real app
      // key and secret) happen elsewhere, so placeholders satisfy the SDK's mandatory settings.
      apiKey: target.credentials.apiKey || 'codetrack',
      apiSecretKey: target.credentials.apiSecretKey || 'codetrack-admin-api-only',
      apiVersion: SHOPIFY_API_VERSION,
      hostName: 'codetrack.invalid',
      isEmbeddedApp: false,
      logger: { level: LogSeverity.Error },
    });
    const session = new Session({ id: `offline_${shop}`, shop, state: '', isOnline: false, accessToken });
    this.client = new shopify.clients.Graphql({ session });
    this.timeoutMs = options.timeoutMs ?? 20_000;
  }

  private async request<T>(operation: string, variables: Record<string, unknown> = {}): Promise<T> {
    try {
      // retries: 0 — the worker owns retries and backoff; with retries > 0 the SDK would also
      // turn a final 429 into HttpMaxRetriesError and lose Retry-After.
      const response = await this.client.request<T>(operation, { variables, retries: 0, signal: AbortSignal.timeout(this.timeoutMs) });
      if (!response.data) throw new PlatformError({ code: 'unknown', message: 'Shopify answered without data' });
      return response.data;
    } catch (error) {
      throw toShopifyPlatformError(error);
    }
  }

  async verifyCredentials(): Promise<{ accountName: string | null }> {
    const data = await this.request<{ shop: { name: string } }>(SHOP_QUERY);
    return { accountName: data.shop.name };
  }

  async upsertCoupon(_input: { coupon: CouponSpec; platformId: string | null; idempotencyKey: string }): Promise<{ platformId: string | null }> {
    return { platformId: null };
  }

  async deleteCoupon(_input: { platformId: string }): Promise<void> {}

  async createPromotionCode(input: { code: PromotionCodeSpec; couponPlatformId: string | null; idempotencyKey: string }): Promise<{ platformId: string }> {
    const basicCodeDiscount = { ...this.toDiscountInput(input.code, 'create'), startsAt: new Date().toISOString() };
    const data = await this.request<{ discountCodeBasicCreate: { codeDiscountNode: { id: string } | null; userErrors: UserError[] } }>(CREATE_MUTATION, { basicCodeDiscount });
    const result = data.discountCodeBasicCreate;
    if (result.userErrors.length > 0 || !result.codeDiscountNode) {
      const failure = toUserErrorsPlatformError(result.userErrors);
      const adopted = failure.code === 'code_taken' ? await this.findOwnDiscount(input.code) : null;
      if (!adopted) throw failure;
      // An earlier attempt created it but its answer was lost: bring it in line and reuse it.
      await this.updatePromotionCode({ code: input.code, platformId: adopted });
      return { platformId: adopted };
    }
    const platformId = result.codeDiscountNode.id;
    if (!input.code.active) await this.deactivatePromotionCode({ platformId });
    return { platformId };
  }

  /**
   * Shopify has no idempotency key for discount mutations and basic code discounts carry no
   * metadata, so our own discount is recognised by its exact code and the title we give it.
   */
  private async findOwnDiscount(spec: PromotionCodeSpec): Promise<string | null> {
    const data = await this.request<{ codeDiscountNodeByCode: DiscountNode | null }>(BY_CODE_QUERY, { code: spec.code });
    const node = data.codeDiscountNodeByCode;
    const discount = node?.codeDiscount;
    if (!node || discount?.__typename !== 'DiscountCodeBasic') return null;
    return discount.title === discountTitle(spec) && discount.codes?.nodes[0]?.code === spec.code ? node.id : null;
  }

  async updatePromotionCode(input: { code: PromotionCodeSpec; platformId: string }): Promise<void> {
    const data = await this.request<{ discountCodeBasicUpdate: { userErrors: UserError[] } }>(UPDATE_MUTATION, {
      id: input.platformId,
      basicCodeDiscount: this.toDiscountInput(input.code, 'update'),
    });
    if (data.discountCodeBasicUpdate.userErrors.length > 0) throw toUserErrorsPlatformError(data.discountCodeBasicUpdate.userErrors);
  }

  /** Shopify ends the discount now (status EXPIRED); the code stays taken on the shop. */
  async deactivatePromotionCode(input: { platformId: string }): Promise<void> {
    const data = await this.request<{ discountCodeDeactivate: { userErrors: UserError[] } }>(DEACTIVATE_MUTATION, { id: input.platformId });
    if (data.discountCodeDeactivate.userErrors.length > 0) throw toUserErrorsPlatformError(data.discountCodeDeactivate.userErrors);
  }

  async deletePromotionCode(input: { platformId: string }): Promise<void> {
    const data = await this.request<{ discountCodeDelete: { userErrors: UserError[] } }>(DELETE_MUTATION, { id: input.platformId });
    const errors = data.discountCodeDelete.userErrors;
    if (errors.length === 0) return;
    const failure = toUserErrorsPlatformError(errors);
    if (failure.code !== 'not_found') throw failure;
  }

  async findPromotionCodeByCode(input: { code: string }): Promise<PlatformCode | null> {
    const data = await this.request<{ codeDiscountNodeByCode: DiscountNode | null }>(BY_CODE_QUERY, { code: input.code.trim() });
    return data.codeDiscountNodeByCode ? toPlatformCode(data.codeDiscountNodeByCode) : null;
  }

  async listPromotionCodes(input: { cursor: string | null; limit: number }): Promise<Page<PlatformCode>> {
    const first = Math.min(Math.max(1, Math.floor(input.limit)), 250);
    const data = await this.request<{ codeDiscountNodes: { nodes: DiscountNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(LIST_QUERY, {
      first,
      after: input.cursor,
    });
    const { nodes, pageInfo } = data.codeDiscountNodes;
    return {
      items: nodes.map(toPlatformCode).filter((code): code is PlatformCode => code !== null),
      nextCursor: pageInfo.hasNextPage ? pageInfo.endCursor : null,
    };
  }

  /** DiscountCodeBasicInput for our promotion code; `update` also clears what we no longer set. */
  private toDiscountInput(spec: PromotionCodeSpec, mode: 'create' | 'update'): Record<string, unknown> {
    const { coupon, restrictions } = spec;
    let value: Record<string, unknown>;
    if (coupon.discountType === 'percent') {
      if (coupon.percentOffBps === null) throw new PlatformError({ code: 'invalid_request', message: 'A percent coupon needs percentOffBps' });
      value = { percentage: coupon.percentOffBps / 10_000 };
    } else {
      if (coupon.amountOff === null || !coupon.currency) throw new PlatformError({ code: 'invalid_request', message: 'A fixed coupon needs amountOff and currency' });
      // The amount is in the shop's currency; Shopify converts it for other presentment currencies.
      value = { discountAmount: { amount: formatMinorUnits(coupon.amountOff, coupon.currency), appliesOnEachItem: false } };
    }
    const minimumCurrency = restrictions.minimumAmountCurrency ?? coupon.currency;
    const input: Record<string, unknown> = {
      title: discountTitle(spec),
      code: spec.code,
      context: { all: 'ALL' },
      customerGets: { value, items: { all: true } },
      usageLimit: restrictions.maxRedemptions,
      appliesOncePerCustomer: false,
      // A code created inactive is deactivated right after creation (endsAt may not precede startsAt).
      endsAt: mode === 'create' ? (restrictions.expiresAt?.toISOString() ?? null) : this.endsAt(spec),
    };
    if (restrictions.minimumAmount !== null) {
      input.minimumRequirement = { subtotal: { greaterThanOrEqualToSubtotal: formatMinorUnits(restrictions.minimumAmount, minimumCurrency) } };
    } else if (mode === 'update') {
      // Unverified against a live shop: a null subtotal is how we clear an earlier minimum.
      input.minimumRequirement = { subtotal: { greaterThanOrEqualToSubtotal: null } };
    }
    return input;
  }

  /** An inactive code ends now (Shopify has no separate active flag on discounts). */
  private endsAt(spec: PromotionCodeSpec): string | null {
    const expiresAt = spec.restrictions.expiresAt;
    if (spec.active) return expiresAt ? expiresAt.toISOString() : null;
    const now = new Date();
    return expiresAt && expiresAt < now ? expiresAt.toISOString() : now.toISOString();
  }
}

/**
 * Builds the Shopify adapter for a connection. `apiBaseUrl` is the shop domain
 * (`my-shop.myshopify.com`, with or without https://; plain http only for loopback emulators);
 * credentials: `accessToken` (Admin API token with write_discounts), optional `apiKey`/`apiSecretKey`.
 */
export function createShopifyAdapter(target: ConnectionTarget, options: ShopifyAdapterOptions = {}): ShopifyAdapter {
  return new ShopifyAdapter(target, options);
}
