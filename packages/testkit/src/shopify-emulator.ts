import { createHmac } from 'node:crypto';
import { startEmulatorServer } from './emulator-server.ts';
import type { EmulatorHandle, EmulatorReply, EmulatorRequest } from './emulator-server.ts';

/**
 * A Shopify GraphQL Admin API emulator for basic code discounts, served at
 * `POST /admin/api/<version>/graphql.json` with `X-Shopify-Access-Token`.
 *
 * It does not parse GraphQL documents (the `graphql` package is not installed here): it finds the
 * root field of the operation by name, reads each argument's `$variable` (or a scalar literal)
 * from the argument list and answers with the whole object for that field. Our adapter always
 * passes arguments as variables, so that is enough. Implemented root fields: `shop`,
 * `codeDiscountNodeByCode`, `codeDiscountNodes`, `discountCodeBasicCreate`,
 * `discountCodeBasicUpdate`, `discountCodeActivate`, `discountCodeDeactivate`,
 * `discountCodeDelete`.
 *
 * Like Shopify it answers mutations with `userErrors` (a duplicate code is `TAKEN` on
 * `['basicCodeDiscount', 'code']`), reports `extensions.cost` and keeps a cost-based leaky bucket:
 * a query costing more than what is available is answered HTTP 200 with a `THROTTLED` error.
 */

export type ShopifyDiscountValue = { percentage: number } | { amount: string; appliesOnEachItem: boolean };

export type ShopifyDiscount = {
  /** `gid://shopify/DiscountCodeNode/<n>` */
  id: string;
  /** `gid://shopify/DiscountRedeemCode/<n>` */
  codeId: string;
  title: string;
  code: string;
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  value: ShopifyDiscountValue;
  /** Decimal string in the shop currency, or null for no minimum. */
  minimumSubtotal: string | null;
  /** What was sent: `context` (2025-01 and later) or the deprecated `customerSelection`. */
  buyerSelection: { via: 'context' | 'customerSelection'; all: boolean };
  asyncUsageCount: number;
  createdAt: string;
  updatedAt: string;
};

export type ShopifyThrottleConfig = { maximumAvailable: number; restoreRate: number };

export type ShopifyEmulatorState = {
  accessToken: string;
  shopName: string;
  currencyCode: string;
  /** Ordered by creation. */
  discounts: ShopifyDiscount[];
  throttle: ShopifyThrottleConfig;
  /** Points left in the bucket at `bucketUpdatedAt` (ms). */
  bucket: { available: number; updatedAt: number };
  nextId: number;
};

export type ShopifyEmulator = EmulatorHandle<ShopifyEmulatorState> & {
  /** The discount holding this code (case-insensitive). */
  findDiscount(code: string): ShopifyDiscount | undefined;
  /** Answers the next `times` GraphQL requests with HTTP 200 THROTTLED, whatever the bucket holds. */
  throttleNext(times?: number): void;
  /** Sets the bucket's current content (points), e.g. to 0 to force THROTTLED. */
  setAvailablePoints(points: number): void;
  /** `/admin/api/<version>/graphql.json` paths seen, to assert the API version used. */
  apiVersionsSeen(): string[];
};

export type ShopifyEmulatorOptions = {
  accessToken?: string;
  shopName?: string;
  currencyCode?: string;
  /** Defaults to maximumAvailable 1000, restoreRate 50 (Shopify's standard plan bucket). */
  throttle?: Partial<ShopifyThrottleConfig>;
  rateLimitPerSecond?: number | null;
};

type Json = Record<string, unknown>;
type UserError = { field: string[] | null; code: string; message: string };

const ROOT_FIELDS = [
  'discountCodeBasicCreate',
  'discountCodeBasicUpdate',
  'discountCodeActivate',
  'discountCodeDeactivate',
  'discountCodeDelete',
  'codeDiscountNodeByCode',
  'codeDiscountNodes',
  'shop',
] as const;
type RootField = (typeof ROOT_FIELDS)[number];

const PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;

function injectedErrorBody(status: number): unknown {
  if (status === 401) return { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };
  if (status === 402) return { errors: 'Unavailable Shop' };
  if (status === 403) return { errors: 'User does not have access' };
  if (status === 404) return { errors: 'Not Found' };
  if (status === 429) return { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' };
  if (status >= 500) return { errors: 'Internal Server Error' };
  return { errors: 'Bad Request' };
}

/** Finds the root field of the operation and its arguments (from variables or scalar literals). */
export function parseShopifyOperation(query: string, variables: Json): { field: RootField; args: Json; isMutation: boolean } | null {
  const isMutation = /^\s*mutation\b/.test(query.replace(/#[^\n]*/g, ''));
  for (const field of ROOT_FIELDS) {
    const match = new RegExp(`(?<![A-Za-z0-9_$])${field}\\s*(\\(([^)]*)\\))?\\s*\\{`).exec(query);
    if (!match) continue;
    const args: Json = {};
    for (const arg of (match[2] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(\$[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null|[A-Z_]+)/g)) {
      const [, name, raw] = arg;
      if (!name || raw === undefined) continue;
      if (raw.startsWith('$')) args[name] = variables[raw.slice(1)];
      else if (raw.startsWith('"')) args[name] = JSON.parse(raw) as unknown;
      else if (/^-?\d/.test(raw)) args[name] = Number(raw);
      else if (raw === 'true' || raw === 'false') args[name] = raw === 'true';
      else if (raw === 'null') args[name] = null;
      else args[name] = raw;
    }
    return { field, args, isMutation };
  }
  return null;
}

function costOf(field: RootField, args: Json): number {
  if (field.startsWith('discountCode')) return 10;
  if (field === 'codeDiscountNodes') return 2 + Math.max(0, Number(args.first ?? args.last ?? 0));
  if (field === 'codeDiscountNodeByCode') return 2;
  return 1;
}

const encodeCursor = (id: string) => Buffer.from(JSON.stringify({ last_id: Number(id.split('/').pop()) })).toString('base64');
function decodeCursor(cursor: string): number | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown };
    return typeof parsed.last_id === 'number' ? parsed.last_id : null;
  } catch {
    return null;
  }
}

function statusOf(discount: ShopifyDiscount, now = Date.now()): 'ACTIVE' | 'EXPIRED' | 'SCHEDULED' {
  if (Date.parse(discount.startsAt) > now) return 'SCHEDULED';
  if (discount.endsAt !== null && Date.parse(discount.endsAt) <= now) return 'EXPIRED';
  return 'ACTIVE';
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isoOrNull = (value: unknown): string | null | undefined => {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace('.000Z', 'Z');
};

/** Starts a Shopify Admin GraphQL emulator; the access token defaults to `shpat_emulator`. */
export async function startShopifyEmulator(options: ShopifyEmulatorOptions = {}): Promise<ShopifyEmulator> {
  const throttle: ShopifyThrottleConfig = { maximumAvailable: 1000, restoreRate: 50, ...options.throttle };
  const state: ShopifyEmulatorState = {
    accessToken: options.accessToken ?? 'shpat_emulator',
    shopName: options.shopName ?? 'Codetrack Emulator Shop',
    currencyCode: options.currencyCode ?? 'USD',
    discounts: [],
    throttle,
    bucket: { available: throttle.maximumAvailable, updatedAt: Date.now() },
    nextId: 1,
  };
  let forcedThrottles = 0;
  const versions: string[] = [];

  function refill(): number {
    const now = Date.now();
    const restored = ((now - state.bucket.updatedAt) / 1000) * state.throttle.restoreRate;
    state.bucket.available = Math.min(state.throttle.maximumAvailable, state.bucket.available + restored);
    state.bucket.updatedAt = now;
    return state.bucket.available;
  }

  function costExtension(requested: number, actual: number | null): Json {
    return {
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: {
          maximumAvailable: state.throttle.maximumAvailable,
          currentlyAvailable: Math.floor(state.bucket.available),
          restoreRate: state.throttle.restoreRate,
        },
      },
    };
  }

  const findDiscount = (code: string) => state.discounts.find((d) => d.code.toLowerCase() === code.trim().toLowerCase());
  const byId = (id: unknown) => state.discounts.find((d) => d.id === id);

  function present(discount: ShopifyDiscount): Json {
    const value =
      'percentage' in discount.value
        ? { __typename: 'DiscountPercentage', percentage: discount.value.percentage }
        : {
            __typename: 'DiscountAmount',
            amount: { amount: discount.value.amount, currencyCode: state.currencyCode },
            appliesOnEachItem: discount.value.appliesOnEachItem,
          };
    return {
      __typename: 'DiscountCodeNode',
      id: discount.id,
      codeDiscount: {
        __typename: 'DiscountCodeBasic',
        title: discount.title,
        status: statusOf(discount),
        startsAt: discount.startsAt,
        endsAt: discount.endsAt,
        usageLimit: discount.usageLimit,
        appliesOncePerCustomer: discount.appliesOncePerCustomer,
        asyncUsageCount: discount.asyncUsageCount,
        createdAt: discount.createdAt,
        updatedAt: discount.updatedAt,
        codesCount: { count: 1, precision: 'EXACT' },
        codes: { nodes: [{ id: discount.codeId, code: discount.code, asyncUsageCount: discount.asyncUsageCount }] },
        customerGets: { value, items: { __typename: 'AllDiscountItems', allItems: true }, appliesOnOneTimePurchase: true, appliesOnSubscription: false },
        minimumRequirement:
          discount.minimumSubtotal === null
            ? null
            : { __typename: 'DiscountMinimumSubtotal', greaterThanOrEqualToSubtotal: { amount: discount.minimumSubtotal, currencyCode: state.currencyCode } },
        context: { __typename: 'DiscountBuyerSelectionAll', all: 'ALL' },
        customerSelection: { __typename: 'DiscountCustomerAll', allCustomers: true },
      },
    };
  }

  /** Validates a DiscountCodeBasicInput and applies it to `target`; returns userErrors. */
  function applyInput(target: ShopifyDiscount, input: Json, creating: boolean): UserError[] {
    const errors: UserError[] = [];
    const at = (...path: string[]) => ['basicCodeDiscount', ...path];
    if (input.code !== undefined || creating) {
      const code = typeof input.code === 'string' ? input.code.trim() : '';
      if (code === '') errors.push({ field: at('code'), code: 'BLANK', message: "Code can't be blank" });
      else if (code.length > 255) errors.push({ field: at('code'), code: 'TOO_LONG', message: 'Code is too long (maximum is 255 characters)' });
      else if (/[\r\n]/.test(code)) errors.push({ field: at('code'), code: 'INVALID', message: 'Code cannot contain newline characters.' });
      else if (state.discounts.some((d) => d.id !== target.id && d.code.toLowerCase() === code.toLowerCase())) {
        errors.push({ field: at('code'), code: 'TAKEN', message: 'Code must be unique. Please try a different code.' });
      } else target.code = code;
    }
    if (input.title !== undefined || creating) {
      if (typeof input.title !== 'string' || input.title.trim() === '') errors.push({ field: at('title'), code: 'BLANK', message: "Title can't be blank" });
      else target.title = input.title;
    }
    if (input.startsAt !== undefined || creating) {
      const startsAt = isoOrNull(input.startsAt);
      if (!startsAt) errors.push({ field: at('startsAt'), code: 'BLANK', message: "Starts at can't be blank" });
      else target.startsAt = startsAt;
    }
    if (input.endsAt !== undefined) {
      const endsAt = isoOrNull(input.endsAt);
      if (endsAt === undefined) errors.push({ field: at('endsAt'), code: 'INVALID', message: 'Ends at is invalid' });
      else target.endsAt = endsAt;
    }
    if (target.endsAt !== null && Date.parse(target.endsAt) < Date.parse(target.startsAt)) {
      errors.push({ field: at('endsAt'), code: 'INVALID', message: 'Ends at needs to be after starts_at' });
    }
    if (input.context !== undefined && input.customerSelection !== undefined) {
      errors.push({ field: at('context'), code: 'INVALID', message: 'Only one of context or customerSelection can be provided.' });
    } else if (input.context !== undefined) {
      if (!isObject(input.context) || input.context.all !== 'ALL') {
        errors.push({ field: at('context'), code: 'INVALID', message: 'The emulator supports context { all: ALL } only.' });
      } else target.buyerSelection = { via: 'context', all: true };
    } else if (input.customerSelection !== undefined) {
      if (!isObject(input.customerSelection) || input.customerSelection.all !== true) {
        errors.push({ field: at('customerSelection'), code: 'INVALID', message: 'The emulator supports customerSelection { all: true } only.' });
      } else target.buyerSelection = { via: 'customerSelection', all: true };
    } else if (creating) {
      errors.push({ field: at('context'), code: 'BLANK', message: "Context can't be blank" });
    }
    if (input.customerGets !== undefined || creating) {
      const gets = input.customerGets;
      const value = isObject(gets) ? gets.value : undefined;
      const items = isObject(gets) ? gets.items : undefined;
      if (!isObject(value)) errors.push({ field: at('customerGets', 'value'), code: 'BLANK', message: "Value can't be blank" });
      else if (value.percentage !== undefined) {
        const percentage = Number(value.percentage);
        if (typeof value.percentage !== 'number' || percentage <= 0 || percentage > 1) {
          errors.push({ field: at('customerGets', 'value', 'percentage'), code: 'VALUE_OUTSIDE_RANGE', message: 'Value must be between 0.0 and 1.0' });
        } else target.value = { percentage };
      } else if (isObject(value.discountAmount)) {
        const amount = value.discountAmount.amount;
        if ((typeof amount !== 'string' && typeof amount !== 'number') || !(Number(amount) > 0)) {
          errors.push({ field: at('customerGets', 'value', 'discountAmount', 'amount'), code: 'GREATER_THAN', message: 'Value must be greater than 0' });
        } else target.value = { amount: String(amount), appliesOnEachItem: value.discountAmount.appliesOnEachItem === true };
      } else errors.push({ field: at('customerGets', 'value'), code: 'INVALID', message: 'The emulator supports percentage and discountAmount values only.' });
      if (!isObject(items) || items.all !== true) {
        errors.push({ field: at('customerGets', 'items'), code: 'INVALID', message: 'The emulator supports items { all: true } only.' });
      }
    }
    if (input.minimumRequirement !== undefined) {
      const requirement = input.minimumRequirement;
      const subtotal = isObject(requirement) && isObject(requirement.subtotal) ? requirement.subtotal.greaterThanOrEqualToSubtotal : null;
      if (requirement === null || subtotal === null || subtotal === undefined) target.minimumSubtotal = null;
      else if (!(Number(subtotal) > 0)) {
        errors.push({ field: at('minimumRequirement', 'subtotal', 'greaterThanOrEqualToSubtotal'), code: 'GREATER_THAN', message: 'Minimum subtotal must be greater than 0' });
      } else target.minimumSubtotal = String(subtotal);
    }
    if (input.usageLimit !== undefined) {
      if (input.usageLimit !== null && !(Number.isInteger(input.usageLimit) && (input.usageLimit as number) > 0)) {
        errors.push({ field: at('usageLimit'), code: 'GREATER_THAN', message: 'Usage limit must be greater than 0' });
      } else target.usageLimit = input.usageLimit as number | null;
    }
    if (input.appliesOncePerCustomer !== undefined) target.appliesOncePerCustomer = input.appliesOncePerCustomer === true;
    return errors;
  }

  function mutationResult(node: ShopifyDiscount | null, userErrors: UserError[]): Json {
    return { codeDiscountNode: node && userErrors.length === 0 ? present(node) : null, userErrors };
  }
  const missing = (): UserError[] => [{ field: ['id'], code: 'INVALID', message: 'Discount does not exist' }];

  function resolve(field: RootField, args: Json): { data: unknown } | { error: string } {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    switch (field) {
      case 'shop':
        return { data: { name: state.shopName, currencyCode: state.currencyCode, myshopifyDomain: 'codetrack-emulator.myshopify.com' } };
      case 'codeDiscountNodeByCode': {
        if (typeof args.code !== 'string') return { error: "Argument 'code' on Field 'codeDiscountNodeByCode' has an invalid value." };
        const discount = findDiscount(args.code);
        return { data: discount ? present(discount) : null };
      }
      case 'codeDiscountNodes': {
        const first = Number(args.first);
        if (!Number.isInteger(first) || first < 1) return { error: 'you must provide one of first or last' };
        if (first > 250) return { error: 'The page size cannot exceed 250' };
        let items = state.discounts;
        if (typeof args.after === 'string') {
          const lastId = decodeCursor(args.after);
          if (lastId === null) return { error: 'Invalid cursor for current pagination sort.' };
          items = items.filter((d) => Number(d.id.split('/').pop()) > lastId);
        }
        const page = items.slice(0, first);
        const last = page[page.length - 1];
        const firstItem = page[0];
        return {
          data: {
            nodes: page.map(present),
            edges: page.map((d) => ({ cursor: encodeCursor(d.id), node: present(d) })),
            pageInfo: {
              hasNextPage: items.length > first,
              hasPreviousPage: typeof args.after === 'string',
              endCursor: last ? encodeCursor(last.id) : null,
              startCursor: firstItem ? encodeCursor(firstItem.id) : null,
            },
          },
        };
      }
      case 'discountCodeBasicCreate': {
        if (!isObject(args.basicCodeDiscount)) return { error: "Variable $basicCodeDiscount of type DiscountCodeBasicInput! was provided invalid value" };
        const n = state.nextId;
        const draft: ShopifyDiscount = {
          id: `gid://shopify/DiscountCodeNode/${n}`,
          codeId: `gid://shopify/DiscountRedeemCode/${n}`,
          title: '',
          code: '',
          startsAt: now,
          endsAt: null,
          usageLimit: null,
          appliesOncePerCustomer: false,
          value: { percentage: 0 },
          minimumSubtotal: null,
          buyerSelection: { via: 'context', all: true },
          asyncUsageCount: 0,
          createdAt: now,
          updatedAt: now,
        };
        const userErrors = applyInput(draft, args.basicCodeDiscount, true);
        if (userErrors.length === 0) {
          state.nextId += 1;
          state.discounts.push(draft);
        }
        return { data: mutationResult(draft, userErrors) };
      }
      case 'discountCodeBasicUpdate': {
        const discount = byId(args.id);
        if (!discount) return { data: mutationResult(null, missing()) };
        if (!isObject(args.basicCodeDiscount)) return { error: "Variable $basicCodeDiscount of type DiscountCodeBasicInput! was provided invalid value" };
        const draft = structuredClone(discount);
        const userErrors = applyInput(draft, args.basicCodeDiscount, false);
        if (userErrors.length === 0) Object.assign(discount, draft, { updatedAt: now });
        return { data: mutationResult(discount, userErrors) };
      }
      case 'discountCodeActivate': {
        const discount = byId(args.id);
        if (!discount) return { data: mutationResult(null, missing()) };
        if (statusOf(discount) === 'EXPIRED') discount.endsAt = null;
        discount.updatedAt = now;
        return { data: mutationResult(discount, []) };
      }
      case 'discountCodeDeactivate': {
        const discount = byId(args.id);
        if (!discount) return { data: mutationResult(null, missing()) };
        // Shopify deactivates by ending the discount now (its status becomes EXPIRED).
        if (statusOf(discount) !== 'EXPIRED') {
          discount.endsAt = now;
          if (Date.parse(discount.startsAt) > Date.parse(now)) discount.startsAt = now;
        }
        discount.updatedAt = now;
        return { data: mutationResult(discount, []) };
      }
      case 'discountCodeDelete': {
        const discount = byId(args.id);
        if (!discount) return { data: { deletedCodeDiscountId: null, userErrors: missing() } };
        state.discounts.splice(state.discounts.indexOf(discount), 1);
        return { data: { deletedCodeDiscountId: discount.id, userErrors: [] } };
      }
    }
  }

  function graphql(request: EmulatorRequest): EmulatorReply {
    const body = request.body;
    if (!isObject(body) || typeof body.query !== 'string') {
      return { status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } };
    }
    const variables = isObject(body.variables) ? body.variables : {};
    const operation = parseShopifyOperation(body.query, variables);
    if (!operation) {
      return { status: 200, body: { errors: [{ message: 'The Shopify emulator does not implement this operation.', extensions: { code: 'undefinedField' } }] } };
    }
    const cost = costOf(operation.field, operation.args);
    const available = refill();
    if (forcedThrottles > 0 || cost > available) {
      forcedThrottles = Math.max(0, forcedThrottles - 1);
      return {
        status: 200,
        body: {
          errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
          extensions: costExtension(cost, null),
        },
      };
    }
    state.bucket.available -= cost;
    const result = resolve(operation.field, operation.args);
    if ('error' in result) {
      return { status: 200, body: { errors: [{ message: result.error, locations: [], path: [operation.field] }], extensions: costExtension(cost, cost) } };
    }
    return { status: 200, body: { data: { [operation.field]: result.data }, extensions: costExtension(cost, cost) } };
  }

  const handle = await startEmulatorServer<ShopifyEmulatorState>({
    state,
    rateLimitPerSecond: options.rateLimitPerSecond ?? null,
    parseBody: (raw) => JSON.parse(raw) as unknown,
    parseQuery: (search) => Object.fromEntries(search),
    errorBody: injectedErrorBody,
    handle(request) {
      const match = PATH.exec(request.path);
      if (!match || request.method !== 'POST') return { status: 404, body: { errors: 'Not Found' } };
      versions.push(match[1] ?? '');
      if (request.headers['x-shopify-access-token'] !== state.accessToken) {
        return { status: 401, body: injectedErrorBody(401) };
      }
      return graphql(request);
    },
  });

  return {
    ...handle,
    findDiscount,
    throttleNext(times = 1) {
      forcedThrottles += times;
    },
    setAvailablePoints(points) {
      refill();
      state.bucket.available = points;
    },
    apiVersionsSeen: () => [...versions],
  };
}

/** The `X-Shopify-Hmac-Sha256` header value: base64 HMAC-SHA256 of the raw body with the app secret. */
export function signShopifyPayload(input: { body: string | Buffer; secret: string }): string {
  return createHmac('sha256', input.secret).update(input.body).digest('base64');
}
