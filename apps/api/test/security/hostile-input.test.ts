import { Readable } from 'node:stream';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '@codetrack/contracts';
import { decryptConnectionCredentials, decryptWebhookSecret, verifyPassword } from '@codetrack/db';
import {
  paddleTransactionCompleted,
  shopifyOrder,
  signPaddlePayload,
  signShopifyPayload,
  signStripePayload,
  signWooCommercePayload,
  signedPaddleWebhook,
  signedShopifyWebhook,
  signedStripeWebhook,
  signedWooCommerceWebhook,
  stripeCheckoutCompleted,
  wooOrder,
  type SignedDelivery,
} from '@codetrack/testkit';
import { createToken, hashToken } from '../../src/lib/tokens.ts';
import { acceptPartnerInvitation, createPartnerFor, createProgramFor, signUpMerchant, useTestApp } from '../helpers.ts';
import { createConnection, webhookSecrets } from '../webhooks/fixtures.ts';
import { listRoutes, loadSpec } from './openapi.ts';

/**
 * Hostile input on every route of the OpenAPI document (issue 8, item 3), generated from the route
 * list so a new route is attacked without touching this file. A route this file cannot build a
 * valid request for (an unknown path parameter, a body the schema sampler cannot satisfy) fails
 * the coverage test with a message naming the table to extend; it is never skipped.
 *
 * Per route: bad bodies derived from its JSON schema (wrong types, missing required fields, nulls,
 * extra fields, huge strings, odd unicode, out-of-range numbers, a non-object body), bad path
 * parameters, bad query parameters, junk headers (Authorization, x-api-key, cookies, CSRF token,
 * content types), a body over the limit (413), JSON nested thousands of levels deep (4xx), and SQL,
 * script and template payloads plus a NUL character in every string field of an otherwise valid
 * body: a 2xx must have stored the text verbatim, a 4xx must name the field. The webhook ingress of
 * each platform gets forged, re-signed, stale and replayed deliveries.
 *
 * After every request: status < 500, a 4xx in the error format, no prototype pollution, and for a
 * 4xx no row written anywhere: the row counts of every table in the public schema (one query)
 * are compared before and after.
 *
 * Runs
 *   quick (default, CI):  pnpm exec vitest run apps/api/test/security/hostile-input.test.ts
 *   full:                 HOSTILE_RUNS=200 pnpm exec vitest run apps/api/test/security/hostile-input.test.ts
 * HOSTILE_RUNS is the number of generated cases per route and property (default 3). The fixed
 * lists run too: in the quick variant every string field gets the NUL character and two of the
 * other payloads, every route a share of the path attacks and every query parameter a share of
 * the attacks for its kind (cursor, date, number, enum, text), so that each value still reaches
 * many routes; from HOSTILE_RUNS=50 on every route, field and parameter gets every value.
 * Forgeries and replays run in full either way. The seed is fixed (HOSTILE_SEED,
 * default below); a failure prints the route's seed and fast-check's counterexample.
 */

const RUNS = Math.max(1, Number(process.env.HOSTILE_RUNS ?? 3));
// The full variant also runs every fixed list on every route and field; the quick one spreads them.
const FULL = RUNS >= 50;
const SEED = Number(process.env.HOSTILE_SEED ?? 20_261_125);
const TIMEOUT_MS = 120_000 + RUNS * 20_000;

const ctx = useTestApp({
  // Rate limits have their own tests; here they would turn the routes' answers into 429s.
  LOGIN_RATE_LIMIT_MAX: '1000000',
  SIGNUP_RATE_LIMIT_MAX: '1000000',
  WEBHOOK_RATE_LIMIT_MAX: '1000000',
});

// --- The route list -----------------------------------------------------------------------------

type Schema = {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  maxItems?: number;
};
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema };
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Route = { key: string; method: Method; path: string; params: string[]; query: Parameter[]; body: Schema | undefined; caller: 'merchant' | 'partner' };
type Headers = Record<string, string>;
type Path = (string | number)[];

/** What is sent: path parameters are inserted into the URL as they are (already encoded). */
type Request = { params: Record<string, string>; headers: Headers; query?: string; body?: unknown; payload?: string | Buffer | Readable };

let components: Record<string, Schema> = {};
let routes: Route[] = [];

function deref(schema: Schema): Schema {
  let out = schema;
  for (let i = 0; out.$ref && i < 10; i++) out = components[out.$ref.split('/').pop()!] ?? {};
  return out;
}

const WEBHOOK_ROUTE = 'POST /webhooks/{platform}/{connectionId}';
const isWebhook = (route: Route) => route.key === WEBHOOK_ROUTE;

// --- Valid samples from a schema --------------------------------------------------------------

let serial = 0;
const nextSerial = () => ++serial;

// The discard port: connection checks fail at once and no request leaves the machine.
const CLOSED_PORT_URL = 'http://127.0.0.1:9/';

/** A value every property of which is present and valid, so each string field can be attacked. */
function sampleOf(input: Schema, key = ''): unknown {
  const schema = deref(input);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum.find((v) => v !== null);
  // Nullable numbers and flags usually depend on another field (months only with duration
  // "months"): null is always valid for them, and only strings are attacked.
  const types = typesOf(schema);
  if (types !== 'any' && types.has('null') && !types.has('string') && !types.has('object')) return null;
  const variants = schema.oneOf ?? schema.anyOf ?? schema.allOf;
  if (variants) return sampleOf(variants.find((v) => deref(v).type !== 'null') ?? variants[0]!, key);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          .map(([name, child]) => [name, sampleOf(child, name)] as const)
          .filter(([, value]) => value !== undefined),
      );
    case 'array': {
      const item = schema.items ? sampleOf(schema.items, key) : undefined;
      return item === undefined || schema.maxItems === 0 ? [] : [item];
    }
    case 'integer':
    case 'number': {
      const low = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : (schema.minimum ?? 1) + (schema.exclusiveMinimum === true ? 1 : 0);
      return Math.min(Math.max(low, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case 'boolean':
      return false;
    case 'string':
      return stringSample(schema, key);
    default:
      return undefined;
  }
}

function stringSample(schema: Schema, key: string): string {
  const n = nextSerial();
  if (schema.format === 'email') return `hostile-${n}@example.test`;
  if (schema.format === 'date-time') return '2031-01-01T00:00:00.000Z';
  if (schema.format === 'date') return '2026-01-01';
  if (schema.format === 'uri') return key === 'apiBaseUrl' ? CLOSED_PORT_URL : `https://shop.example.test/${key}-${n}`;
  const min = schema.minLength ?? 1;
  const max = schema.maxLength ?? 64;
  const pattern = schema.pattern ? new RegExp(schema.pattern) : null;
  const fits = (c: string) => c.length >= min && c.length <= max && (!pattern || pattern.test(c));
  const candidates = [`Hostile ${key} ${n}`, `hostile-${n}`, `HOSTILE${n}`, 'usd', '#a1b2c3', `sk_test_hostile${n}`, `whsec_hostile${n}`, `ck_hostile${n}`, `cs_hostile${n}`, `shpat_hostile${n}`];
  const found = candidates.find(fits) ?? candidates.map((c) => c.padEnd(min, 'x')).find(fits);
  if (found) return found;
  if (pattern) {
    const [generated] = fc.sample(fc.stringMatching(pattern).filter(fits), { numRuns: 1, seed: SEED + n });
    if (generated !== undefined) return generated;
  }
  throw new Error(`no sample for string field "${key}" (${JSON.stringify(schema)}): add a candidate to stringSample`);
}

// --- Schema facts the mutations need ----------------------------------------------------------

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The JSON types a schema accepts ('any' when it does not say). */
function typesOf(input: Schema): Set<string> | 'any' {
  const schema = deref(input);
  const variants = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  let types: Set<string>;
  if (variants) {
    types = new Set();
    for (const variant of variants) {
      const t = typesOf(variant);
      if (t === 'any') return 'any';
      t.forEach((x) => types.add(x));
    }
  } else if (schema.type !== undefined) {
    types = new Set(Array.isArray(schema.type) ? schema.type : [schema.type]);
  } else if (schema.enum) {
    types = new Set(schema.enum.map(jsonTypeOf));
  } else {
    return 'any';
  }
  if (schema.nullable) types.add('null');
  return types;
}

function acceptsType(schema: Schema, value: unknown): boolean {
  const types = typesOf(schema);
  if (types === 'any') return true;
  const t = jsonTypeOf(value);
  return types.has(t) || (t === 'integer' && types.has('number'));
}

/** Whether a number breaks the schema's type or bounds (then the request must be a 400). */
function numberIsInvalid(input: Schema, value: number): boolean {
  const schema = deref(input);
  const types = typesOf(schema);
  if (types !== 'any' && types.has('integer') && !types.has('number') && !Number.isInteger(value)) return true;
  if (!Number.isSafeInteger(value) && types !== 'any' && types.has('integer') && !types.has('number')) return true;
  if (schema.minimum !== undefined && (schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum)) return true;
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return true;
  if (schema.maximum !== undefined && (schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum)) return true;
  return typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum;
}

/** The variant of a union a sample was built from (the first whose enums the sample matches). */
function variantFor(input: Schema, value: unknown): Schema {
  const schema = deref(input);
  const variants = schema.oneOf ?? schema.anyOf ?? schema.allOf;
  if (!variants) return schema;
  const matches = (v: Schema) => {
    const s = deref(v);
    if (jsonTypeOf(value) === 'null') return acceptsType(s, null);
    return Object.entries(s.properties ?? {}).every(([k, p]) => !deref(p).enum || (value as Record<string, unknown>)?.[k] === undefined || deref(p).enum!.includes((value as Record<string, unknown>)[k]));
  };
  return variantFor(variants.find((v) => deref(v).type !== 'null' && matches(v)) ?? variants[0]!, value);
}

type Slot = { path: Path; schema: Schema; required: boolean };

/** Every property (present in the sample) and first array item of a body, with its schema. */
function slotsOf(input: Schema, value: unknown, path: Path = []): Slot[] {
  const schema = variantFor(input, value);
  const slots: Slot[] = [];
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const childValue = (value as Record<string, unknown>)[key];
      slots.push({ path: [...path, key], schema: child, required: (schema.required ?? []).includes(key) });
      if (childValue !== undefined && childValue !== null) slots.push(...slotsOf(child, childValue, [...path, key]));
    }
  } else if (Array.isArray(value) && value.length > 0 && schema.items) {
    slots.push({ path: [...path, 0], schema: schema.items, required: false });
    slots.push(...slotsOf(schema.items, value[0], [...path, 0]));
  }
  return slots;
}

const isUnion = (schema: Schema) => Boolean(deref(schema).oneOf ?? deref(schema).anyOf);

function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
}

/** Sets (or with `remove`, deletes) the value at a path; own `__proto__` keys are real keys here. */
function setAt(root: unknown, path: Path, value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  if (remove) delete parent[key];
  else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

function stringLeaves(value: unknown, path: Path = []): Path[] {
  if (typeof value === 'string') return [path];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, Array.isArray(value) ? Number(k) : k]));
  return [];
}

// --- The world every route is called in -------------------------------------------------------

type World = {
  merchant: { email: string; password: string; userId: string; workspaceId: string; headers: Headers };
  partner: { id: string; email: string; password: string; headers: Headers };
  programId: string;
  couponId: string;
  otherPartnerId: string;
  connections: Record<Platform, string>;
  /** Path parameter values for routes that only read or can repeat their change. */
  ids: Record<string, string>;
};

let world: World;

const f = () => ctx.factories;
const scope = () => ({ workspaceId: world.merchant.workspaceId, programId: world.programId });

/** Fresh rows for routes that consume or change their target (one per request, so every request meets the same state). */
const fresh = {
  program: async (status: 'active' | 'archived' = 'active') => (await f().program({ workspaceId: world.merchant.workspaceId, status })).id,
  partner: async (status: 'invited' | 'active' | 'suspended' = 'active') => (await f().partner({ ...scope(), status })).id,
  coupon: async () => (await f().coupon(scope())).id,
  code: async (status: 'active' | 'disabled' = 'active') => (await f().promotionCode({ ...scope(), couponId: world.couponId, partnerId: world.otherPartnerId, status })).id,
  connection: async (platform: Platform = 'stripe') => {
    const connection = await createConnection(ctx, { ...scope(), platform });
    await ctx.db.connection.update({ where: { id: connection.id }, data: { apiBaseUrl: CLOSED_PORT_URL } });
    return connection.id;
  },
  commission: async (status: 'pending' | 'approved') => {
    const sale = await f().sale({ ...scope(), connectionId: world.connections.stripe, partnerId: world.otherPartnerId });
    return (await f().commission({ ...scope(), saleId: sale.id, partnerId: world.otherPartnerId, status, holdUntil: new Date(Date.now() - 1000) })).id;
  },
  member: async () => {
    const user = await f().user();
    return (await f().membership({ workspaceId: world.merchant.workspaceId, userId: user.id, role: 'viewer' })).id;
  },
  merchantSession: async (): Promise<Headers> => {
    const token = createToken();
    await ctx.db.session.create({ data: { id: hashToken(token), kind: 'merchant', userId: world.merchant.userId, workspaceId: world.merchant.workspaceId, expiresAt: new Date(Date.now() + 3_600_000) } });
    const me = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `ct_session=${token}` } });
    return { cookie: [`ct_session=${token}`, ...me.cookies.map((c) => `${c.name}=${c.value}`)].join('; '), 'x-csrf-token': me.json().csrfToken as string };
  },
  partnerSession: async (): Promise<Headers> => {
    const token = createToken();
    await ctx.db.session.create({ data: { id: hashToken(token), kind: 'partner', partnerId: world.partner.id, workspaceId: world.merchant.workspaceId, expiresAt: new Date(Date.now() + 3_600_000) } });
    const me = await ctx.app.inject({ method: 'GET', url: '/api/portal/me', headers: { cookie: `ct_portal=${token}` } });
    return { cookie: [`ct_portal=${token}`, ...me.cookies.map((c) => `${c.name}=${c.value}`)].join('; '), 'x-csrf-token': me.json().csrfToken as string };
  },
  /** A partner with a live token in `column` (invitation or password reset). */
  emailedToken: async (column: 'invitation' | 'reset') => {
    const token = createToken();
    const expires = new Date(Date.now() + 3_600_000);
    await f().partner({
      ...scope(),
      status: column === 'invitation' ? 'invited' : 'active',
      ...(column === 'invitation' ? { invitationTokenHash: hashToken(token), invitationExpiresAt: expires } : { resetTokenHash: hashToken(token), resetExpiresAt: expires }),
    });
    return token;
  },
};

type Override = {
  params?: () => Promise<Record<string, string>>;
  headers?: () => Promise<Headers>;
  body?: (sample: Record<string, unknown>) => unknown;
  /** A raw body with its own headers (the webhook ingress takes signed bytes, not JSON). */
  payload?: () => { payload: string; headers: Headers };
};

/**
 * What a valid request of a route needs beyond the schema sample and the shared ids: fresh rows
 * for routes that consume their target, real secrets and tokens, and bodies whose rules (cross-field
 * refinements, existing rows) a schema cannot express. A route missing here that needs an entry
 * fails the baseline check of the coverage test.
 */
const overrides: Record<string, Override> = {
  'POST /api/auth/login': { body: () => ({ email: world.merchant.email, password: world.merchant.password, workspaceId: world.merchant.workspaceId }) },
  'POST /api/auth/logout': { headers: () => fresh.merchantSession() },
  'POST /api/members': { body: async () => ({ email: (await f().user()).email, role: 'viewer' }) },
  'PATCH /api/members/{memberId}': { params: async () => ({ memberId: await fresh.member() }) },
  'DELETE /api/members/{memberId}': { params: async () => ({ memberId: await fresh.member() }) },
  'DELETE /api/api-keys/{apiKeyId}': { params: async () => ({ apiKeyId: (await f().apiKey({ workspaceId: world.merchant.workspaceId })).id }) },
  'POST /api/programs': { body: (s) => ({ ...s, autoCode: { enabled: false, couponId: null, pattern: null } }) },
  'PATCH /api/programs/{programId}': { body: (s) => ({ ...s, currency: 'usd', autoCode: { enabled: true, couponId: world.couponId, pattern: '{FIRSTNAME}{AMOUNT}' } }) },
  'POST /api/programs/{programId}/archive': { params: async () => ({ programId: await fresh.program() }) },
  'POST /api/programs/{programId}/unarchive': { params: async () => ({ programId: await fresh.program('archived') }) },
  'POST /api/programs/{programId}/partners/import': { body: () => ({ csv: `email,name\nimported-${nextSerial()}@example.test,Jane Doe\n` }) },
  'PATCH /api/programs/{programId}/partners/{partnerId}': { params: async () => ({ partnerId: await fresh.partner() }) },
  'POST /api/programs/{programId}/partners/{partnerId}/suspend': { params: async () => ({ partnerId: await fresh.partner('active') }) },
  'POST /api/programs/{programId}/partners/{partnerId}/reactivate': { params: async () => ({ partnerId: await fresh.partner('suspended') }) },
  'POST /api/programs/{programId}/partners/{partnerId}/invitation': { params: async () => ({ partnerId: await fresh.partner('invited') }) },
  'PATCH /api/programs/{programId}/connections/{connectionId}': { params: async () => ({ connectionId: await fresh.connection() }) },
  'DELETE /api/programs/{programId}/connections/{connectionId}': { params: async () => ({ connectionId: await fresh.connection() }) },
  'POST /api/programs/{programId}/connections/{connectionId}/verify': { params: async () => ({ connectionId: await fresh.connection() }) },
  'POST /api/programs/{programId}/coupons': { body: (s) => ({ ...s, discountType: 'fixed', amountOff: 500, currency: 'usd', percentOffBps: null, duration: 'once', durationInMonths: null, connectionIds: [] }) },
  'PATCH /api/coupons/{couponId}': {
    params: async () => ({ couponId: await fresh.coupon() }),
    body: (s) => ({ ...s, discountType: 'fixed', amountOff: 500, currency: 'usd', percentOffBps: null, duration: 'once', durationInMonths: null, connectionIds: [] }),
  },
  'POST /api/coupons/{couponId}/archive': { params: async () => ({ couponId: await fresh.coupon() }) },
  'POST /api/coupons/{couponId}/promotion-codes': { body: (s) => ({ ...s, code: `HOSTILE${nextSerial()}`, partnerId: world.otherPartnerId }) },
  'POST /api/coupons/{couponId}/promotion-codes/generate/preview': { body: (s) => ({ ...s, pattern: '{FIRSTNAME}{AMOUNT}', partners: { partnerIds: [world.otherPartnerId], status: ['active'] } }) },
  'POST /api/coupons/{couponId}/promotion-codes/generate': {
    params: async () => ({ couponId: await fresh.coupon() }),
    body: (s) => ({ ...s, pattern: '{FIRSTNAME}{AMOUNT}', partners: { partnerIds: [world.otherPartnerId], status: ['active'] } }),
  },
  'POST /api/promotion-codes/validate': { body: () => ({ couponId: world.couponId, code: `FREE${nextSerial()}` }) },
  'PATCH /api/promotion-codes/{promotionCodeId}': { params: async () => ({ promotionCodeId: await fresh.code() }) },
  'DELETE /api/promotion-codes/{promotionCodeId}': { params: async () => ({ promotionCodeId: await fresh.code() }) },
  'POST /api/promotion-codes/{promotionCodeId}/assign': { params: async () => ({ promotionCodeId: await fresh.code() }), body: () => ({ partnerId: world.otherPartnerId }) },
  'POST /api/promotion-codes/{promotionCodeId}/disable': { params: async () => ({ promotionCodeId: await fresh.code() }) },
  'POST /api/promotion-codes/{promotionCodeId}/enable': { params: async () => ({ promotionCodeId: await fresh.code('disabled') }) },
  'POST /api/sync-links/{syncLinkId}/retry': {
    params: async () => {
      const code = await fresh.code();
      return { syncLinkId: (await f().syncLink({ workspaceId: world.merchant.workspaceId, connectionId: world.connections.stripe, entityId: code, promotionCodeId: code, state: 'failed' })).id };
    },
  },
  'POST /api/connections/{connectionId}/import': { params: async () => ({ connectionId: await fresh.connection() }) },
  'POST /api/connections/{connectionId}/reconcile': { params: async () => ({ connectionId: await fresh.connection() }) },
  'POST /api/connections/{connectionId}/reconcile/{jobId}/repair': {
    params: async () => {
      const connectionId = await fresh.connection();
      const result = { counts: { platform: 0, ours: 0, missing: 0, extra: 0, different: 0 }, missing: [], extra: [], different: [], truncated: false };
      const job = await f().bulkJob({ ...scope(), type: 'reconcile', status: 'completed', params: { connectionId }, result });
      return { connectionId, jobId: job.id };
    },
  },
  'POST /api/commissions/approve': { body: async (s) => ({ ...s, ids: [await fresh.commission('pending')], force: true }) },
  'POST /api/commissions/reject': { body: async (s) => ({ ...s, ids: [await fresh.commission('pending')], force: true }) },
  'POST /api/commissions/mark-paid': { body: async (s) => ({ ...s, ids: [await fresh.commission('approved')], force: true }) },
  'POST /api/portal/login': { body: () => ({ programId: world.programId, email: world.partner.email, password: world.partner.password }) },
  'POST /api/portal/logout': { headers: () => fresh.partnerSession() },
  'POST /api/portal/invitations/accept': { body: async () => ({ token: await fresh.emailedToken('invitation'), password: `partner password ${nextSerial()}` }) },
  'POST /api/portal/password-reset/request': { body: () => ({ programId: world.programId, email: world.partner.email }) },
  'POST /api/portal/password-reset/confirm': { body: async () => ({ token: await fresh.emailedToken('reset'), password: `partner password ${nextSerial()}` }) },
  [WEBHOOK_ROUTE]: { payload: () => signedDelivery('stripe', `evt_hostile_${nextSerial()}`) },
};

/** Routes whose 2xx answer deliberately stores nothing of the body: a 2xx must then write no row. */
const answersWithoutStoring = new Set([
  'POST /api/promotion-codes/validate',
  'POST /api/coupons/{couponId}/promotion-codes/generate/preview',
  // Always 202 so the answer does not tell who is a partner; an unknown program or email stores nothing.
  'POST /api/portal/password-reset/request',
]);

/** Sign-in answers one 401 whichever field is wrong, by design (it does not say which part was wrong). */
const credentialRoutes = new Set(['POST /api/auth/login', 'POST /api/portal/login']);

async function prepare(route: Route): Promise<Request> {
  const override = overrides[route.key];
  const params: Record<string, string> = {};
  for (const name of route.params) {
    const value = world.ids[name];
    if (value === undefined) throw new Error(`${route.key}: no value for path parameter "${name}": add it to world.ids or to overrides`);
    params[name] = value;
  }
  Object.assign(params, await override?.params?.());
  const headers = { ...(override?.headers ? await override.headers() : route.caller === 'partner' ? world.partner.headers : world.merchant.headers) };
  const request: Request = { params, headers };
  const required = route.query.filter((p) => p.required);
  if (required.length > 0) request.query = required.map((p) => `${p.name}=${encodeURIComponent(world.ids[p.name] ?? String(sampleOf(p.schema ?? {}, p.name)))}`).join('&');
  if (override?.payload) {
    const raw = override.payload();
    Object.assign(request.headers, raw.headers);
    request.payload = raw.payload;
  } else if (route.body) {
    const sample = sampleOf(route.body) as Record<string, unknown>;
    request.body = override?.body ? await override.body(sample) : sample;
  }
  // Fresh rows were written: the next row-count comparison starts after them.
  if (override) lastCounts = null;
  return request;
}

function urlOf(route: Route, request: Request): string {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => request.params[name] ?? '');
  return request.query === undefined ? path : `${path}?${request.query}`;
}

// --- Sending, and the checks every request gets -----------------------------------------------

type Counts = Record<string, number>;
let lastCounts: Counts | null = null;

let rowCountsSql = '';

/** One query counting the rows of every table in the public schema except Prisma's migration log. */
async function buildRowCounts() {
  const tables = await ctx.db.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`;
  expect(tables.length).toBeGreaterThan(10);
  // Identifiers come from the catalog.
  rowCountsSql = `SELECT json_build_object(${tables.map((t) => `'${t.table_name}', (SELECT count(*) FROM ${quoteIdent(t.table_name)})`).join(', ')}) AS counts`;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function rowCounts(): Promise<Counts> {
  const [row] = await ctx.db.$queryRawUnsafe<{ counts: Counts }[]>(rowCountsSql);
  return row!.counts;
}

function changedTables(before: Counts, after: Counts): string[] {
  return Object.keys({ ...before, ...after })
    .filter((t) => before[t] !== after[t])
    .map((t) => `${t}: ${before[t]} -> ${after[t]}`);
}

type Sent = { status: number; body: string; json: () => { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } } & Record<string, unknown>; before: Counts; after: Counts; started: Date; where: string };

/**
 * Sends a request and checks what every request must satisfy. No route writes a row when it
 * answers 4xx, so no table is left out of the comparison: a failed sign-in counts only in Redis
 * (the rate limiter), which is not compared.
 */
async function send(route: Route, request: Request, label: string): Promise<Sent> {
  const method = route.method;
  const before = lastCounts ?? (await rowCounts());
  const started = new Date(Date.now() - 1000);
  const hasJson = request.body !== undefined && request.payload === undefined;
  const headers: Headers = { ...(hasJson ? { 'content-type': 'application/json' } : {}), ...request.headers };
  for (const [name, value] of Object.entries(headers)) if (value === DROP) delete headers[name];
  const res = await ctx.app.inject({
    method,
    url: urlOf(route, request),
    headers,
    ...(request.payload !== undefined ? { payload: request.payload } : hasJson ? { payload: jsonText(request.body) } : {}),
  });
  const after = await rowCounts();
  lastCounts = after;
  const where = `${method} ${urlOf(route, request).slice(0, 200)} [${label}] -> ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, where).toBeLessThan(500);
  if (res.statusCode >= 400) {
    // Router errors (a malformed percent escape, an over-long path parameter) included: app.ts frameworkErrors.
    const body = parseJson(res.body) as { error?: { code?: unknown; message?: unknown } } | undefined;
    expect(typeof body?.error?.code === 'string' && typeof body.error.message === 'string', `not in the error format: ${where}`).toBe(true);
    expect(changedTables(before, after), `a rejected request wrote rows: ${where}`).toEqual([]);
  }
  expect(Object.keys(Object.prototype), `Object.prototype polluted by ${where}`).toEqual([]);
  return { status: res.statusCode, body: res.body, json: () => res.json(), before, after, started, where };
}

/** Marks a header to be removed from the request (for "no content-type"). */
const DROP = '\u0000drop';

const RAW_MARKER = '"__hostile_raw__"';

/** JSON text of a body; a RawJson value stands for JSON text that JSON.stringify cannot write (1e400, deep nesting). */
function jsonText(body: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (value instanceof RawJson) {
      raws.push(value.text);
      return '__hostile_raw__';
    }
    return value;
  });
  let i = 0;
  return raws.length === 0 ? text : text.replaceAll(RAW_MARKER, () => raws[i++]!);
}

class RawJson {
  constructor(readonly text: string) {}
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Accepted: a 2xx, or the referral link's 302. */
const is2xx = (status: number) => status >= 200 && status < 400;

// How messages name some fields: an emailed token is "the link" to the person who clicked it.
const FIELD_ALIASES: Record<string, string[]> = { token: ['link'] };

/** Whether a 4xx names the field: a validation detail at (or under) its path, or its name in the message. */
function namesField(sent: Sent, route: Route, path: Path): boolean {
  const error = sent.json().error;
  const dotted = ['body', ...path].join('.');
  if (error?.details?.some((d) => d.path === dotted || d.path.startsWith(`${dotted}.`))) return true;
  // A union body (the connection platforms) may report a field of the wrong variant at `body`.
  if (route.body && isUnion(route.body) && error?.details?.some((d) => d.path === 'body')) return true;
  if (credentialRoutes.has(route.key) && sent.status === 401 && error?.code === 'invalid_credentials') return true;
  const key = String([...path].reverse().find((k) => typeof k === 'string') ?? '');
  const words = new Set([key.toLowerCase(), key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(), key.replace(/Ids?$/, '').toLowerCase(), ...(FIELD_ALIASES[key] ?? [])]);
  const message = (error?.message ?? '').toLowerCase();
  return [...words].some((w) => w.length > 1 && message.includes(w));
}

// --- Where a 2xx may have put a string --------------------------------------------------------

let textColumnsSql = '';

/** One query over every text, varchar, text[] and jsonb column of every table: does any value equal the text? */
async function buildTextSearch() {
  const columns = await ctx.db.$queryRaw<{ table_name: string; column_name: string; data_type: string }[]>`
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`;
  const byTable = new Map<string, string[]>();
  for (const c of columns) {
    const column = quoteIdent(c.column_name);
    const condition =
      c.data_type === 'ARRAY' ? `$1 = ANY(${column})` : c.data_type.startsWith('json') ? `strpos(${column}::text, $2) > 0` : `${column} = $1`;
    byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), condition]);
  }
  // Identifiers come from the catalog and the text is a bound parameter.
  textColumnsSql = `SELECT ${[...byTable].map(([table, conditions]) => `EXISTS (SELECT 1 FROM ${quoteIdent(table)} WHERE ${conditions.join(' OR ')})`).join(' OR ')} AS found`;
}

/** Whether some row holds exactly this text (a jsonb value as a JSON string). */
async function foundInDatabase(text: string): Promise<boolean> {
  const [row] = await ctx.db.$queryRawUnsafe<{ found: boolean }[]>(textColumnsSql, text, JSON.stringify(text));
  return row?.found === true;
}

/** Whether a 2xx kept the text as it was sent (or trimmed, where the schema trims): in the answer, a column, a secret or a password hash. */
async function storedVerbatim(text: string, sent: Sent): Promise<boolean> {
  const candidates = [...new Set([text, text.trim()])].filter((t) => t.length > 0);
  const answer = parseJson(sent.body);
  const answerStrings = stringLeaves(answer).map((p) => getAt(answer, p));
  if (candidates.some((c) => answerStrings.includes(c))) return true;
  for (const c of candidates) if (await foundInDatabase(c)) return true;
  // Write-only fields: platform secrets are stored encrypted, passwords as argon2 hashes.
  const keys = ctx.app.config.encryptionKeys;
  for (const connection of await ctx.db.connection.findMany({ where: { updatedAt: { gte: sent.started } } })) {
    try {
      const secrets = [...Object.values(decryptConnectionCredentials(keys, connection)), decryptWebhookSecret(keys, connection)];
      if (candidates.some((c) => secrets.includes(c))) return true;
    } catch {
      // Factory rows carry placeholder ciphertexts.
    }
  }
  const hashes = [
    ...(await ctx.db.user.findMany({ where: { updatedAt: { gte: sent.started } }, select: { passwordHash: true } })).map((u) => u.passwordHash),
    ...(await ctx.db.partner.findMany({ where: { updatedAt: { gte: sent.started }, passwordHash: { not: null } }, select: { passwordHash: true } })).map((p) => p.passwordHash),
  ];
  for (const hash of hashes) for (const c of candidates) if (await verifyPassword(hash, c)) return true;
  return false;
}

// --- fast-check plumbing -----------------------------------------------------------------------

function seedFor(label: string): number {
  let h = 0;
  for (const ch of label) h = (h * 31 + ch.charCodeAt(0)) % 1_000_003;
  return SEED + h;
}

/** Runs a property over a route and records a failure (with its seed) instead of stopping the loop. */
async function checkProperty<T>(failures: string[], label: string, arbitrary: fc.Arbitrary<T>, property: (value: T) => Promise<void>) {
  const seed = seedFor(label);
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        await property(value);
      }),
      { numRuns: RUNS, seed },
    );
  } catch (error) {
    // fast-check keeps the property's own assertion in `cause`.
    const cause = (error as Error).cause instanceof Error ? `\n${((error as Error).cause as Error).message}` : '';
    failures.push(`${label} (HOSTILE_SEED=${SEED}, route seed ${seed}):\n${String((error as Error).message).slice(0, 2000)}${cause.slice(0, 1500)}`);
  }
}

async function collect(failures: string[], label: string, run: () => Promise<void>) {
  try {
    await run();
  } catch (error) {
    failures.push(`${label}: ${String((error as Error).message).slice(0, 2500)}`);
  }
}

// --- Generators ---------------------------------------------------------------------------------

/** `count` items of a fixed list for the i-th route or field, so the quick variant still uses the whole list across routes. */
function spread<T>(list: readonly T[], i: number, count: number): T[] {
  if (FULL) return [...list];
  return Array.from({ length: Math.min(count, list.length) }, (_, k) => list[(i * count + k) % list.length]!);
}

const NUL_PAYLOAD = 'nul\u0000byte';
const HOSTILE_STRINGS = [`'; DROP TABLE "Partner"; --`, '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '${7*7}', '{{7*7}}', NUL_PAYLOAD, `' OR '1'='1`];

const ODD_UNICODE = ['\uD800', 'a\uDFFFb', '\u202Eevil\u202C', '\uFEFF', 'zero\u200Bwidth', '𝕳𝖔𝖘𝖙𝖎𝖑𝖊', 'Z\u0351\u036B\u0343\u036A\u0302', '\u0085', 'line\r\nbreak', '\t', '', '😀'.repeat(50), 'ﷺ', '\uFFFF'];

/** Printable header text (what an HTTP parser lets through: visible ASCII and Latin-1), trimmed like a real server. */
const headerText = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f && (c < 0x80 || c > 0x9f)).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 120 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);

type Mutation = { describe: string; path: Path; value?: unknown; remove?: boolean; invalid: boolean; sentinel?: string };

// Keys a body must never be able to set (mass assignment); their value is a sentinel that must not come back.
const SENSITIVE_KEYS = ['id', 'workspaceId', 'programId', 'partnerId', 'status', 'role', 'passwordHash', 'createdAt', 'apiKeyId', 'userId', 'isAdmin'];

function wrongTypeValues(schema: Schema): unknown[] {
  return ['text', 12_345, 1.5, true, [], {}, null].filter((v) => !acceptsType(schema, v));
}

function badBodyArbitrary(route: Route, template: unknown): fc.Arbitrary<Mutation> {
  const body = route.body!;
  const options: fc.Arbitrary<Mutation>[] = [
    fc.constantFrom<unknown>('a string', 42, true, null, [], [{}]).map((value) => ({ describe: `body ${JSON.stringify(value)}`, path: [], value, invalid: !acceptsType(body, value) })),
  ];
  const objects: { path: Path; declared: string[] }[] = [{ path: [], declared: Object.keys(variantFor(body, template).properties ?? {}) }];
  for (const slot of slotsOf(body, template)) {
    const name = slot.path.join('.');
    const wrong = wrongTypeValues(slot.schema);
    if (wrong.length > 0) options.push(fc.constantFrom(...wrong).map((value) => ({ describe: `${name} = ${JSON.stringify(value)}`, path: slot.path, value, invalid: true })));
    if (slot.required) options.push(fc.constant({ describe: `without ${name}`, path: slot.path, remove: true, invalid: true }));
    if (!acceptsType(slot.schema, null)) options.push(fc.constant({ describe: `${name} = null`, path: slot.path, value: null, invalid: true }));
    const schema = deref(slot.schema);
    const types = typesOf(slot.schema);
    if (types !== 'any' && types.has('string')) {
      // A maxLength near the body limit (the CSV import) cannot be exceeded under it: a long string then.
      const max = schema.maxLength !== undefined && schema.maxLength < 500_000 ? schema.maxLength : undefined;
      options.push(fc.integer({ min: 1, max: 200_000 }).map((extra) => ({ describe: `${name} = ${(max ?? 0) + extra} characters`, path: slot.path, value: 'x'.repeat((max ?? 0) + extra), invalid: max !== undefined })));
      options.push(
        fc.oneof(fc.constantFrom(...ODD_UNICODE), fc.string({ unit: 'binary', maxLength: 20 })).map((value) => ({ describe: `${name} = odd unicode ${JSON.stringify(value)}`, path: slot.path, value, invalid: false })),
      );
      if (schema.enum) options.push(fc.string({ maxLength: 12 }).filter((v) => !schema.enum!.includes(v)).map((value) => ({ describe: `${name} = ${JSON.stringify(value)} (not in the enum)`, path: slot.path, value, invalid: true })));
    }
    if (types !== 'any' && (types.has('integer') || types.has('number'))) {
      const numbers = fc.oneof(
        fc.constantFrom(-1, 0, -0, 0.5, -2_147_483_649, 2 ** 31, 2 ** 53, -(2 ** 53), 1e21, 1e308, -1e308, Number.MIN_VALUE),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      );
      options.push(numbers.map((value) => ({ describe: `${name} = ${value}`, path: slot.path, value, invalid: numberIsInvalid(slot.schema, value) })));
      options.push(fc.constantFrom('1e400', '-1e400').map((text) => ({ describe: `${name} = ${text}`, path: slot.path, value: new RawJson(text), invalid: true })));
    }
    const value = getAt(template, slot.path);
    if (value && typeof value === 'object' && !Array.isArray(value)) objects.push({ path: slot.path, declared: Object.keys(variantFor(slot.schema, value).properties ?? {}) });
  }
  options.push(
    fc
      .record({
        at: fc.constantFrom(...objects),
        key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', ...SENSITIVE_KEYS), fc.string({ maxLength: 10 })),
        value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant({ prototype: { polluted: true } }), fc.constant({ polluted: true })),
      })
      .map(({ at, key, value }) => {
        // A key the schema declares is not extra: it is then just another value for that field.
        const sentinel = SENSITIVE_KEYS.includes(key) && !at.declared.includes(key) ? `sentinel-${key}-${nextSerial()}` : undefined;
        return { describe: `extra field ${[...at.path, key].join('.')}`, path: [...at.path, key], value: sentinel ?? value, invalid: false, ...(sentinel ? { sentinel } : {}) };
      }),
  );
  return fc.oneof(...options);
}

const PATH_ATTACKS = [
  '..',
  '.',
  '..%2F..%2Fhealthz',
  '%2e%2e%2f%2e%2e%2f',
  '..%5C..%5C',
  `'%20OR%20'1'%3D'1`,
  encodeURIComponent(`1; DROP TABLE "Partner"; --`),
  encodeURIComponent('<script>alert(1)</script>'),
  '%00',
  'a%00b',
  '%',
  '%ZZ',
  '%C0%AF',
  '%E0%A4%A',
  encodeURIComponent('\u202Eevil'),
  encodeURIComponent('😀'),
  '%F0%9F%98',
  'null',
  'undefined',
  '[object%20Object]',
  '*',
  '%20',
  '%0A',
  encodeURIComponent('{"$gt":""}'),
];

const pathSegment = fc.oneof(
  fc.constantFrom(...PATH_ATTACKS),
  fc.integer({ min: 65, max: 10_000 }).map((n) => 'a'.repeat(n)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '?'))),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
);

function cursorOf(text: string) {
  return Buffer.from(text).toString('base64url');
}

/** Values for one query parameter by its kind (from its schema): what breaks cursors, dates, numbers and text. */
const QUERY_VALUES = {
  cursor: [cursorOf('0000-01-01T00:00:00.000Z|x'), cursorOf('-010000-01-01T00:00:00.000Z|x'), cursorOf('2020-01-01T00:00:00.000Z|x\u0000'), cursorOf('2020-01-01T00:00:00.000Z'), cursorOf('|'), 'not-base64-!!!'],
  date: ['0000-01-01T00:00:00.000Z', '0000-01-01', '0001-01-01T00:00:00%2B14:00', '9999-12-31T23:59:59.999Z', '9999-12-31', '2020-02-30T00:00:00.000Z', '%2B275760-09-13T00:00:00.000Z'],
  number: ['-1', '0', '1e400', '99999999999999999999', '1.5', 'NaN'],
  enum: ['', 'ACTIVE', encodeURIComponent(`'; DROP TABLE "Partner"; --`)],
  text: ['%00', 'a%00b', '%ED%A0%80', '%', '%ZZ', encodeURIComponent(`'; DROP TABLE "Partner"; --`), encodeURIComponent('<script>alert(1)</script>'), 'x'.repeat(5000), ''],
};

/** Stands for the parameter given twice (an array where a string is expected). */
const TWICE = '\u0000twice';

function queryValuesFor(param: Parameter): string[] {
  const schema = deref(param.schema ?? {});
  const types = typesOf(schema);
  if (param.name === 'cursor') return QUERY_VALUES.cursor;
  if (schema.format === 'date' || schema.format === 'date-time') return QUERY_VALUES.date;
  if (types !== 'any' && (types.has('integer') || types.has('number'))) return QUERY_VALUES.number;
  if (schema.enum) return QUERY_VALUES.enum;
  return QUERY_VALUES.text;
}

const queryValue = fc.oneof(
  fc.constantFrom(...Object.values(QUERY_VALUES).flat()),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => encodeURIComponent(d.toISOString())),
  fc.tuple(fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }), fc.string({ maxLength: 20 })).map(([d, id]) => cursorOf(`${d.toISOString()}|${id}`)),
);

function queryArbitrary(route: Route) {
  const names = route.query.map((p) => p.name);
  const name = fc.oneof(
    ...(names.length > 0 ? [fc.constantFrom(...names)] : []),
    fc.constantFrom('__proto__[polluted]', 'constructor[prototype][polluted]', '__proto__.polluted', 'limit[$gt]', 'x[]', 'a[b][c][d]'),
    fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent),
  );
  return fc.array(fc.tuple(name, queryValue), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.map(([n, v]) => `${n}=${v}`).join('&'));
}

type Junk = { describe: string; apply: (request: Request) => void; expected: (route: Route, guarded: boolean) => number[] | null };

const unsafe = (route: Route) => route.method !== 'GET';

function junkArbitrary(): fc.Arbitrary<Junk> {
  const authValue = fc.oneof(
    headerText,
    headerText.map((g) => `Bearer ${g}`),
    headerText.map((g) => `Bearer ctk_${g.replace(/\s/g, '')}`),
    fc.constantFrom('Bearer', 'Bearer ctk_', 'Basic YWRtaW46YWRtaW4=', `Bearer ctk_${'x'.repeat(8000)}`, "Bearer ctk_' OR '1'='1", 'null', 'Bearer ctk_%00'),
  );
  const cookieValue = fc.oneof(
    headerText.map((g) => `ct_session=${g}`),
    headerText.map((g) => `ct_portal=${g}`),
    headerText.map((g) => `ct_session=${g}; ct_portal=${g}`),
    headerText,
    fc.constantFrom('=;=;;', 'ct_session=%E0%A4%A', `ct_session=${'x'.repeat(8000)}`, 'ct_session=; ct_portal=', 'ct_session="unterminated'),
  );
  const badTypes = ['application/xml', 'multipart/form-data; boundary=----hostile', 'application/x-www-form-urlencoded', 'application/octet-stream', 'image/png', 'application/jsonx'];
  return fc.oneof(
    authValue.map<Junk>((value) => ({
      describe: `authorization: ${value.slice(0, 60)}`,
      apply: (r) => {
        r.headers.authorization = value;
      },
      // The header wins over the cookie on merchant routes; partner routes read only their cookie.
      expected: (route, guarded) => (guarded && route.caller === 'merchant' ? [401] : null),
    })),
    headerText.map<Junk>((value) => ({
      describe: `x-api-key: ${value.slice(0, 60)}`,
      apply: (r) => {
        r.headers['x-api-key'] = value;
      },
      expected: () => null,
    })),
    cookieValue.map<Junk>((value) => ({
      describe: `cookie: ${value.slice(0, 60)}`,
      apply: (r) => {
        r.headers.cookie = value;
      },
      expected: (_route, guarded) => (guarded ? [401, 403] : null),
    })),
    headerText.map<Junk>((value) => ({
      describe: `x-csrf-token: ${value.slice(0, 60)}`,
      apply: (r) => {
        r.headers['x-csrf-token'] = value;
      },
      expected: (route, guarded) => (guarded && unsafe(route) ? [403] : null),
    })),
    headerText.map<Junk>((value) => ({
      describe: `_csrf cookie: ${value.slice(0, 60)}`,
      apply: (r) => {
        r.headers.cookie = (r.headers.cookie ?? '').replace(/_csrf=[^;]*/, `_csrf=${encodeURIComponent(value)}`);
      },
      expected: (route, guarded) => (guarded && unsafe(route) ? [403] : null),
    })),
    fc.constantFrom(...badTypes).map<Junk>((type) => ({
      describe: `content-type: ${type}`,
      apply: (r) => {
        r.headers['content-type'] = type;
        r.payload ??= jsonText(r.body ?? { hostile: true });
      },
      expected: (route) => (unsafe(route) && !isWebhook(route) ? [415] : null),
    })),
    fc.constant<Junk>({
      describe: 'content-type: text/plain',
      apply: (r) => {
        r.headers['content-type'] = 'text/plain';
        r.payload ??= jsonText(r.body ?? { hostile: true });
      },
      // Fastify parses text/plain as a string: a route with a JSON body schema refuses it.
      expected: (route) => (route.body && unsafe(route) ? [400, 415] : null),
    }),
    fc.constant<Junk>({
      describe: 'no content-type with a body',
      apply: (r) => {
        r.headers['content-type'] = DROP;
        r.payload = Buffer.from(r.payload !== undefined && typeof r.payload === 'string' ? r.payload : jsonText(r.body ?? { hostile: true }));
      },
      expected: (route) => (unsafe(route) && !isWebhook(route) ? [415] : null),
    }),
    fc.record({ name: fc.constantFrom('origin', 'referer', 'x-forwarded-for', 'x-forwarded-host', 'accept', 'accept-language', 'user-agent', 'x-requested-with', 'if-none-match'), value: headerText }).map<Junk>(({ name, value }) => ({
      describe: `${name}: ${value.slice(0, 60)}`,
      apply: (r) => {
        r.headers[name] = value;
      },
      expected: () => null,
    })),
  );
}

// --- Webhook deliveries -------------------------------------------------------------------------

const signatureHeaders: Record<Platform, string> = { stripe: 'stripe-signature', paddle: 'paddle-signature', woocommerce: 'x-wc-webhook-signature', shopify: 'x-shopify-hmac-sha256' };

/** A correctly signed order delivery with its own event id, as the platform sends it. */
function signedDelivery(platform: Platform, eventId: string, secret = webhookSecrets[platform], timestamp?: number): { payload: string; headers: Headers } {
  const now = Math.floor(Date.now() / 1000);
  let delivery: SignedDelivery;
  switch (platform) {
    case 'stripe':
      delivery = signedStripeWebhook({ secret, timestamp: timestamp ?? now, payload: stripeCheckoutCompleted({ eventId, amountSubtotal: 5_000, amountTotal: 5_000, created: now }) });
      break;
    case 'paddle':
      delivery = signedPaddleWebhook({ secret, ts: timestamp ?? now, payload: paddleTransactionCompleted({ eventId, transactionId: `txn_${eventId}`, subtotal: 5_000 }) });
      break;
    case 'woocommerce':
      delivery = signedWooCommerceWebhook({ secret, topic: 'order.created', payload: wooOrder({ id: nextSerial(), subtotal: 5_000 }), deliveryId: eventId });
      break;
    case 'shopify':
      delivery = signedShopifyWebhook({ secret, topic: 'orders/create', eventId, payload: shopifyOrder({ lineItemsPrice: 5_000 }) });
      break;
  }
  return { payload: delivery.rawBody, headers: delivery.headers };
}

/** The signature header value for a body, as the platform computes it. */
function sign(platform: Platform, body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  switch (platform) {
    case 'stripe':
      return signStripePayload({ payload: body, secret, timestamp });
    case 'paddle':
      return signPaddlePayload({ body, secret, ts: timestamp });
    case 'woocommerce':
      return signWooCommercePayload({ body, secret });
    case 'shopify':
      return signShopifyPayload({ body, secret });
  }
}

// --- Setup --------------------------------------------------------------------------------------

beforeAll(async () => {
  const spec = await loadSpec(ctx.app);
  components = (spec.components?.schemas ?? {}) as unknown as Record<string, Schema>;
  routes = listRoutes(spec).map((r) => {
    const operation = r.operation as unknown as { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
    return {
      key: `${r.method} ${r.path}`,
      method: r.method,
      path: r.path,
      params: r.params,
      query: (operation.parameters ?? []).filter((p) => p.in === 'query'),
      body: operation.requestBody?.content?.['application/json']?.schema,
      caller: r.path.startsWith('/api/portal/') ? 'partner' : 'merchant',
    };
  });

  const merchant = await signUpMerchant(ctx.app);
  const program = await createProgramFor(ctx.app, merchant);
  const invited = await createPartnerFor(ctx.app, merchant, program.id);
  const portal = await acceptPartnerInvitation(ctx.app, invited.invitation.token);
  world = {
    merchant: { email: merchant.email, password: merchant.password, userId: merchant.me.user.id as string, workspaceId: merchant.workspaceId, headers: merchant.headers },
    partner: { id: invited.id, email: invited.email, password: portal.password, headers: portal.headers },
    programId: program.id,
    couponId: '',
    otherPartnerId: '',
    connections: {} as Record<Platform, string>,
    ids: {},
  };
  const f = ctx.factories;
  world.otherPartnerId = (await f.partner(scope())).id;
  world.couponId = (await f.coupon(scope())).id;
  for (const platform of ['stripe', 'paddle', 'woocommerce', 'shopify'] as const) world.connections[platform] = await fresh.connection(platform);
  const code = await f.promotionCode({ ...scope(), couponId: world.couponId, partnerId: world.otherPartnerId });
  const syncLink = await f.syncLink({ workspaceId: merchant.workspaceId, connectionId: world.connections.stripe, entityId: code.id, promotionCodeId: code.id, state: 'failed' });
  const sale = await f.sale({ ...scope(), connectionId: world.connections.stripe, partnerId: world.otherPartnerId });
  const job = await f.bulkJob(scope());
  world.ids = {
    programId: program.id,
    partnerId: world.otherPartnerId,
    couponId: world.couponId,
    promotionCodeId: code.id,
    connectionId: world.connections.stripe,
    syncLinkId: syncLink.id,
    saleId: sale.id,
    jobId: job.id,
    apiKeyId: (await f.apiKey({ workspaceId: merchant.workspaceId })).id,
    memberId: await fresh.member(),
    referralKey: invited.referralKey,
    platform: 'stripe',
  };
  await buildRowCounts();
  await buildTextSearch();
});

// --- The tests ----------------------------------------------------------------------------------

/** Routes answered 401/403 without credentials (filled by the baseline test, used by the header checks). */
const guardedRoutes = new Set<string>();
const exercised = new Map<string, Set<string>>();
const mark = (route: Route, phase: string) => exercised.set(route.key, (exercised.get(route.key) ?? new Set()).add(phase));

describe('hostile input on every route', () => {
  it('builds a valid request for every route (2xx), and refuses it without credentials where the route is guarded', { timeout: TIMEOUT_MS }, async () => {
    expect(routes.length).toBeGreaterThan(60);
    const failures: string[] = [];
    for (const route of routes) {
      await collect(failures, route.key, async () => {
        const sent = await send(route, await prepare(route), 'valid request');
        expect(is2xx(sent.status), `the valid request is refused: ${sent.where} — fix its entry in overrides`).toBe(true);
        const anonymous = await prepare(route);
        for (const name of ['cookie', 'authorization', 'x-csrf-token']) delete anonymous.headers[name];
        const refused = await send(route, anonymous, 'no credentials');
        if (refused.status === 401 || refused.status === 403) guardedRoutes.add(route.key);
        mark(route, 'baseline');
      });
    }
    expect(failures).toEqual([]);
    expect(Object.keys(overrides).filter((key) => !routes.some((r) => r.key === key)), 'overrides for routes that no longer exist').toEqual([]);
  });

  it('answers generated bad bodies with 400 naming the field, extra fields without effect, never 5xx', { timeout: TIMEOUT_MS }, async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.method !== 'GET')) {
      if (!route.body) {
        // No body schema: whatever JSON arrives must not matter.
        await checkProperty(failures, `${route.key} junk body`, fc.jsonValue({ maxDepth: 4 }), async (value) => {
          const request = await prepare(route);
          if (!isWebhook(route)) request.body = value;
          else request.payload = jsonText(value);
          await send(route, request, `junk body ${JSON.stringify(value).slice(0, 80)}`);
        });
        mark(route, 'bad bodies');
        continue;
      }
      const template = (await prepare(route)).body;
      await checkProperty(failures, `${route.key} bad body`, badBodyArbitrary(route, template), async (mutation) => {
        const request = await prepare(route);
        request.body = setAt(request.body, mutation.path, mutation.value, mutation.remove);
        const sent = await send(route, request, mutation.describe);
        if (mutation.invalid) {
          expect(sent.status, `schema-invalid body accepted: ${sent.where}`).toBe(400);
          expect(namesField(sent, route, mutation.path), `400 does not name ${mutation.path.join('.')}: ${sent.where}`).toBe(true);
        }
        if (mutation.sentinel && is2xx(sent.status)) {
          expect(sent.body.includes(mutation.sentinel), `extra field came back in the answer: ${sent.where}`).toBe(false);
          expect(await foundInDatabase(mutation.sentinel), `extra field was stored: ${sent.where}`).toBe(false);
        }
      });
      mark(route, 'bad bodies');
    }
    expect(failures).toEqual([]);
  });

  it('answers bad path parameters with 4xx, never 5xx', { timeout: TIMEOUT_MS }, async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.params.length > 0)) {
      const attack = fc.record({ param: fc.constantFrom(...route.params), value: pathSegment });
      await checkProperty(failures, `${route.key} bad path parameter`, attack, async ({ param, value }) => {
        const request = await prepare(route);
        request.params[param] = value;
        const sent = await send(route, request, `${param} = ${value.slice(0, 80)}`);
        expect(sent.status >= 400 && sent.status < 500, `bad path parameter accepted: ${sent.where}`).toBe(true);
      });
      await collect(failures, `${route.key} path attacks`, async () => {
        for (const value of spread(PATH_ATTACKS, routes.indexOf(route), 3)) {
          const request = await prepare(route);
          request.params[route.params.at(-1)!] = value;
          const sent = await send(route, request, `${route.params.at(-1)} = ${value}`);
          expect(sent.status >= 400 && sent.status < 500, `bad path parameter accepted: ${sent.where}`).toBe(true);
        }
      });
      mark(route, 'bad path parameters');
    }
    expect(failures).toEqual([]);
  });

  it('answers bad query parameters without 5xx or prototype pollution', { timeout: TIMEOUT_MS }, async () => {
    const failures: string[] = [];
    for (const route of routes) {
      await checkProperty(failures, `${route.key} bad query`, queryArbitrary(route), async (query) => {
        const request = await prepare(route);
        request.query = request.query === undefined ? query : `${request.query}&${query}`;
        await send(route, request, `?${query.slice(0, 120)}`);
      });
      await collect(failures, `${route.key} query attacks`, async () => {
        for (const [i, param] of route.query.entries()) {
          for (const value of spread([...queryValuesFor(param), TWICE], i + routes.indexOf(route), 3)) {
            const request = await prepare(route);
            const attack = value === TWICE ? `${param.name}=1&${param.name}=2` : `${param.name}=${value}`;
            request.query = [request.query, attack].filter(Boolean).join('&');
            await send(route, request, attack.slice(0, 80));
          }
        }
      });
      mark(route, 'bad query');
    }
    expect(failures).toEqual([]);
  });

  it('answers junk credentials, CSRF tokens, cookies and content types with the right 4xx, never 5xx', { timeout: TIMEOUT_MS }, async () => {
    const failures: string[] = [];
    for (const route of routes) {
      await checkProperty(failures, `${route.key} junk headers`, junkArbitrary(), async (junk) => {
        const request = await prepare(route);
        junk.apply(request);
        const sent = await send(route, request, junk.describe);
        const expected = junk.expected(route, guardedRoutes.has(route.key));
        if (expected) expect(expected, `expected ${expected.join(' or ')}: ${sent.where}`).toContain(sent.status);
      });
      mark(route, 'junk headers');
    }
    expect(failures).toEqual([]);
  });

  it('refuses a body over the limit with 413 (with and without a content-length), on every route that takes one', { timeout: TIMEOUT_MS }, async () => {
    const failures: string[] = [];
    for (const route of routes.filter(unsafe)) {
      await collect(failures, route.key, async () => {
        const limit = isWebhook(route) ? ctx.app.config.webhooks.bodyLimit : ctx.app.config.bodyLimit;
        const big = `{"pad":"${'x'.repeat(limit)}"}`;
        for (const [label, payload] of [
          ['content-length', big],
          ['chunked', Readable.from([big.slice(0, 1000), big.slice(1000)])],
        ] as const) {
          const request = await prepare(route);
          request.headers['content-type'] = 'application/json';
          request.payload = payload;
          const sent = await send(route, request, `${label} body of ${big.length} bytes`);
          expect(sent.status, sent.where).toBe(413);
        }
      });
      mark(route, 'oversized');
    }
    expect(failures).toEqual([]);
  });

  it('answers JSON nested thousands of levels deep with a 4xx and keeps serving', { timeout: TIMEOUT_MS }, async () => {
    const failures: string[] = [];
    const nestedArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    // As deep as fits under the body limit.
    const deepArray = Math.floor(ctx.app.config.bodyLimit / 2.5);
    const deepObject = Math.floor(ctx.app.config.bodyLimit / 7);
    // The body-limit-sized cases cost a parse of ~1 MB each: in the quick variant one route with a
    // body schema, one without and the webhook ingress take them and the nesting in an unknown key
    // (the parser and the checks before validation are the same for every route).
    const unsafeRoutes = routes.filter(unsafe);
    const deepest = new Set(FULL ? unsafeRoutes : [unsafeRoutes.find((r) => r.body), unsafeRoutes.find((r) => !r.body && !isWebhook(r)), unsafeRoutes.find(isWebhook)]);
    for (const route of unsafeRoutes) {
      await collect(failures, route.key, async () => {
        // A route with a body schema must refuse an array where it wants an object or a field's
        // type; nested objects in unknown keys are dropped by validation, so only "never 5xx" there.
        const cases: { label: string; text: string; expect4xx: boolean }[] = [
          { label: 'root array, 5,000 levels', text: nestedArray(5_000), expect4xx: Boolean(route.body) },
        ];
        if (deepest.has(route)) {
          cases.push({ label: `root array, ${deepArray} levels`, text: nestedArray(deepArray), expect4xx: Boolean(route.body) });
          cases.push({ label: `root object, ${deepObject} levels`, text: nestedObject(deepObject), expect4xx: false });
        }
        if (route.body) {
          const template = (await prepare(route)).body as Record<string, unknown>;
          for (const field of Object.keys(template).slice(0, 1)) {
            for (const depth of deepest.has(route) ? [5_000, deepArray] : [5_000]) cases.push({ label: `${field} = array nested ${depth} levels`, text: jsonText({ ...template, [field]: new RawJson(nestedArray(depth)) }), expect4xx: true });
          }
          if (deepest.has(route)) cases.push({ label: 'extra field nested 5,000 levels', text: jsonText({ ...template, hostile: new RawJson(nestedObject(5_000)) }), expect4xx: false });
        }
        for (const c of cases) {
          const request = await prepare(route);
          request.headers['content-type'] = 'application/json';
          // Signed, so on the webhook ingress the nesting gets past the signature to the payload checks.
          if (isWebhook(route)) request.headers[signatureHeaders.stripe] = sign('stripe', c.text, webhookSecrets.stripe);
          request.payload = c.text;
          const sent = await send(route, request, c.label);
          if (c.expect4xx || isWebhook(route)) expect(sent.status >= 400 && sent.status < 500, `deep JSON not refused: ${sent.where}`).toBe(true);
        }
      });
      mark(route, 'deep nesting');
    }
    const health = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(failures).toEqual([]);
  });

  it('stores SQL, script and template payloads verbatim or refuses them naming the field, in every string field', { timeout: TIMEOUT_MS }, async () => {
    const failures: string[] = [];
    const fragments = [`'`, '"', ';', '--', '/*', '*/', '<', '>', '</script>', 'javascript:', '${', '}}', '{{', '\\', '%', '_', '\u0000', '\u202E', '😀', ' OR 1=1', 'DROP TABLE', '&lt;'];
    const hostileText = fc.oneof(
      fc.constantFrom(...HOSTILE_STRINGS),
      fc
        .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ unit: 'grapheme', maxLength: 6 })), { minLength: 1, maxLength: 6 })
        .map((parts) => parts.join(''))
        // Blank text is no payload (an optional field may well drop it).
        .filter((text) => text.trim().length > 0),
    );
    const attack = async (route: Route, path: Path, text: string) => {
      const request = await prepare(route);
      if (typeof getAt(request.body, path) !== 'string') throw new Error(`${route.key}: ${path.join('.')} is no longer a string field of the valid body`);
      setAt(request.body, path, text);
      const sent = await send(route, request, `${path.join('.')} = ${JSON.stringify(text)}`);
      if (text.includes('\u0000')) expect(sent.status, `NUL must be a 400: ${sent.where}`).toBe(400);
      if (is2xx(sent.status)) {
        if (answersWithoutStoring.has(route.key)) expect(changedTables(sent.before, sent.after), `stored something: ${sent.where}`).toEqual([]);
        else expect(await storedVerbatim(text, sent), `2xx but the text was not stored verbatim: ${sent.where}`).toBe(true);
      } else {
        expect(namesField(sent, route, path), `the 4xx does not name ${path.join('.')}: ${sent.where}`).toBe(true);
      }
    };
    for (const route of routes.filter((r) => r.body)) {
      const leaves = stringLeaves((await prepare(route)).body);
      await collect(failures, route.key, async () => {
        expect(leaves.length, `${route.key} has a body without string fields`).toBeGreaterThan(0);
        // Every field gets the NUL character; the other payloads are spread over the fields (all of them with FULL).
        for (const [i, path] of leaves.entries()) {
          for (const text of new Set([NUL_PAYLOAD, ...spread(HOSTILE_STRINGS, i + routes.indexOf(route), 2)])) await attack(route, path, text);
        }
      });
      if (leaves.length > 0) await checkProperty(failures, `${route.key} hostile text`, fc.record({ path: fc.constantFrom(...leaves), text: hostileText }), ({ path, text }) => attack(route, path, text));
      mark(route, 'hostile strings');
    }
    expect(failures).toEqual([]);
  });

  it('attacks every route: each one went through every phase that applies to it', () => {
    const missing: string[] = [];
    for (const route of routes) {
      const phases = ['baseline', 'bad query', 'junk headers'];
      if (route.params.length > 0) phases.push('bad path parameters');
      if (unsafe(route)) phases.push('bad bodies', 'oversized', 'deep nesting');
      if (route.body) phases.push('hostile strings');
      const done = exercised.get(route.key) ?? new Set();
      const absent = phases.filter((p) => !done.has(p));
      if (absent.length > 0) missing.push(`${route.key}: ${absent.join(', ')}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('webhook ingress under attack', () => {
  const route = (): Route => routes.find(isWebhook)!;
  const platforms = ['stripe', 'paddle', 'woocommerce', 'shopify'] as const;
  const inbox = async () => ctx.db.webhookEvent.count();

  const forgeries = (platform: Platform, eventId: string) => {
    const valid = signedDelivery(platform, eventId);
    const tampered = valid.payload.replace(/5000|50\.00/, (m) => (m === '5000' ? '9000' : '90.00'));
    expect(tampered, `${platform}: the tampered body must differ`).not.toBe(valid.payload);
    const header = signatureHeaders[platform];
    const now = Math.floor(Date.now() / 1000);
    const list: { label: string; payload: string; headers: Headers }[] = [
      { label: 'no signature', payload: valid.payload, headers: { ...valid.headers, [header]: DROP } },
      { label: 'signed with another secret', payload: valid.payload, headers: { ...valid.headers, [header]: sign(platform, valid.payload, 'not-the-connection-secret') } },
      { label: 'signature of a different body', payload: valid.payload, headers: { ...valid.headers, [header]: sign(platform, tampered, webhookSecrets[platform]) } },
      { label: 'body changed after signing', payload: tampered, headers: valid.headers },
      { label: 'signature truncated', payload: valid.payload, headers: { ...valid.headers, [header]: valid.headers[header]!.slice(0, -2) } },
    ];
    if (platform === 'stripe' || platform === 'paddle') {
      for (const [label, ts] of [
        ['an old event replayed (timestamp 10 minutes old)', now - 600],
        ['a day-old event replayed', now - 86_400],
        ['a timestamp 10 minutes ahead', now + 600],
      ] as const) {
        list.push({ label, ...signedDelivery(platform, `${eventId}_${ts}`, webhookSecrets[platform], ts) });
      }
    } else {
      list.push({ label: 'hex instead of base64', payload: valid.payload, headers: { ...valid.headers, [header]: Buffer.from(valid.headers[header]!, 'base64').toString('hex') } });
    }
    return list;
  };

  it('answers forged, re-signed and stale deliveries with 401 and stores nothing, on all four platforms', { timeout: TIMEOUT_MS }, async () => {
    const failures: string[] = [];
    for (const platform of platforms) {
      const params = { platform, connectionId: world.connections[platform] };
      await collect(failures, `${platform} forgeries`, async () => {
        const before = await inbox();
        for (const forgery of forgeries(platform, `evt_forged_${platform}_${nextSerial()}`)) {
          const sent = await send(route(), { params, headers: forgery.headers, payload: forgery.payload }, `${platform}: ${forgery.label}`);
          expect(sent.status, sent.where).toBe(401);
          expect(sent.json().error?.code, sent.where).toBe('invalid_signature');
        }
        expect(await inbox()).toBe(before);
      });
      const garbage = fc.record({ signature: headerText, body: fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string()) });
      await checkProperty(failures, `${platform} random signatures`, garbage, async ({ signature, body }) => {
        const valid = signedDelivery(platform, `evt_random_${nextSerial()}`);
        const before = await inbox();
        const sent = await send(route(), { params, headers: { ...valid.headers, [signatureHeaders[platform]]: signature }, payload: body }, `${platform} signature ${signature.slice(0, 40)}`);
        expect(sent.status, sent.where).toBe(401);
        expect(await inbox()).toBe(before);
      });
    }
    expect(failures).toEqual([]);
  });

  it('stores a replayed delivery once: again, concurrently, and re-signed within the tolerance', { timeout: TIMEOUT_MS }, async () => {
    for (const platform of platforms) {
      const params = { platform, connectionId: world.connections[platform] };
      const eventId = `evt_replay_${platform}_${nextSerial()}`;
      const delivery = signedDelivery(platform, eventId);
      const before = await inbox();
      const first = await send(route(), { params, ...delivery }, `${platform} first delivery`);
      expect([first.status, first.json()]).toEqual([200, { received: true, duplicate: false }]);
      const again = await send(route(), { params, ...delivery }, `${platform} replay`);
      expect([again.status, again.json()]).toEqual([200, { received: true, duplicate: true }]);
      const burst = await Promise.all(Array.from({ length: 5 }, () => ctx.app.inject({ method: 'POST', url: `/webhooks/${platform}/${params.connectionId}`, headers: delivery.headers, payload: delivery.payload })));
      expect(burst.map((r) => [r.statusCode, r.json().duplicate])).toEqual(Array.from({ length: 5 }, () => [200, true]));
      if (platform === 'stripe' || platform === 'paddle') {
        // The platform's retry of the same event carries a new timestamp and signature.
        const resigned = { payload: delivery.payload, headers: { ...delivery.headers, [signatureHeaders[platform]]: sign(platform, delivery.payload, webhookSecrets[platform], Math.floor(Date.now() / 1000) - 120) } };
        const retry = await send(route(), { params, ...resigned }, `${platform} re-signed retry`);
        expect([retry.status, retry.json()]).toEqual([200, { received: true, duplicate: true }]);
      }
      lastCounts = null;
      expect(await inbox()).toBe(before + 1);
    }
  });

  it('answers correctly signed bodies Postgres cannot store with 400 and stores nothing', { timeout: TIMEOUT_MS }, async () => {
    const failures: string[] = [];
    for (const platform of platforms) {
      const params = { platform, connectionId: world.connections[platform] };
      const base = signedDelivery(platform, `evt_unstorable_${platform}_${nextSerial()}`);
      const bodies = [
        ['a \\u0000 escape', base.payload.replace(/}\s*$/, ',"hostile":"nul\\u0000byte"}')],
        ['a lone surrogate escape', base.payload.replace(/}\s*$/, ',"hostile":"\\ud800"}')],
        ['20,000 levels of nesting', base.payload.replace(/}\s*$/, `,"hostile":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`)],
        ['not JSON', 'this is not JSON'],
      ] as const;
      for (const [label, payload] of bodies) {
        await collect(failures, `${platform} ${label}`, async () => {
          const headers = { ...base.headers, [signatureHeaders[platform]]: sign(platform, payload, webhookSecrets[platform]) };
          const sent = await send(route(), { params, headers, payload }, `${platform}: signed body with ${label}`);
          expect(sent.status, sent.where).toBe(400);
        });
      }
    }
    expect(failures).toEqual([]);
  });
});
