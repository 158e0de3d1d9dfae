import type { FastifyBaseLogger } from 'fastify';
import {
  RestrictionName,
  isMyshopifyDomain,
  type Connection as ConnectionDto,
  type ConnectionListQuery,
  type CreateConnectionInput,
  type Platform,
  type UpdateConnectionInput,
} from '@codetrack/contracts';
import {
  SecretDecryptionError,
  decryptConnectionCredentials,
  decryptWebhookSecret,
  encryptConnectionSecrets,
  generateConnectionId,
  hasWebhookSecret,
  type Connection,
  type Db,
  type EncryptionKeys,
  type Prisma,
  type TenantDb,
} from '@codetrack/db';
import {
  PlatformError,
  createAdapter,
  paddleCapabilities,
  shopifyCapabilities,
  stripeCapabilities,
  woocommerceCapabilities,
  type Capabilities,
  type PlatformAdapter,
} from '@codetrack/integrations';
import { recordAudit } from '../../lib/audit.ts';
import { afterCursor, decodeCursor, pageFrom } from '../../lib/cursor.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { toIso, toIsoOrNull } from '../../lib/schemas.ts';
import type { Principal } from '../../plugins/auth.ts';
import { findActiveProgramOrThrow, findProgramOrThrow } from '../programs/service.ts';
import { describeCheckFailure, describeWebhookSetup } from './describe-platform.ts';

export { decryptWebhookSecret } from '@codetrack/db';

/** What the service needs from the app: the keys, the public address for webhook URLs, a logger. */
export type ConnectionDeps = { keys: EncryptionKeys; publicUrl: string; log: FastifyBaseLogger };

/** A merchant waits for this check, so it gets less time than a background sync call. */
const CHECK_TIMEOUT_MS = 10_000;

const capabilitiesOf: Record<Platform, Capabilities> = {
  stripe: stripeCapabilities,
  paddle: paddleCapabilities,
  woocommerce: woocommerceCapabilities,
  shopify: shopifyCapabilities,
};

/** Input fields that go into the encrypted credentials, under the names the adapters read. */
const credentialFields: Record<Platform, Record<string, string>> = {
  stripe: { secretKey: 'secretKey' },
  paddle: { apiKey: 'apiKey' },
  woocommerce: { storeUrl: 'storeUrl', consumerKey: 'consumerKey', consumerSecret: 'consumerSecret', storeCurrency: 'storeCurrency' },
  shopify: { shopDomain: 'shop', accessToken: 'accessToken' },
};

/** The input field holding the secret that signs the platform's webhooks. */
const webhookSecretField: Record<Platform, string> = {
  stripe: 'webhookSigningSecret',
  paddle: 'webhookSecret',
  woocommerce: 'webhookSecret',
  shopify: 'appSecret',
};

const defaultHosts: Partial<Record<Platform, string>> = { stripe: 'api.stripe.com', paddle: 'api.paddle.com' };

/** Non-secret facts shown with the connection, kept in `settings.account` so lists need no decryption. */
type AccountSettings = { name: string | null; storeUrl: string | null; shopDomain: string | null };

function accountOf(c: Pick<Connection, 'settings'>): AccountSettings {
  const account = ((c.settings ?? {}) as { account?: Partial<AccountSettings> }).account ?? {};
  return { name: account.name ?? null, storeUrl: account.storeUrl ?? null, shopDomain: account.shopDomain ?? null };
}

function withAccount(settings: Prisma.JsonValue, account: AccountSettings): Prisma.InputJsonObject {
  const current = settings && typeof settings === 'object' && !Array.isArray(settings) ? settings : {};
  return { ...current, account };
}

export function toConnectionDto(c: Connection, publicUrl: string): ConnectionDto {
  const capabilities = capabilitiesOf[c.platform];
  return {
    id: c.id,
    programId: c.programId,
    platform: c.platform,
    name: c.name,
    status: c.status,
    lastError: c.lastError,
    lastCheckedAt: toIsoOrNull(c.lastCheckedAt),
    apiBaseUrl: c.apiBaseUrl,
    account: accountOf(c),
    webhook: describeWebhookSetup(c.platform, `${publicUrl}/webhooks/${c.platform}/${c.id}`, hasWebhookSecret(c)),
    capabilities: {
      enforcedByPlatform: RestrictionName.options.filter((r) => capabilities[r]),
      enforcedAtAttribution: RestrictionName.options.filter((r) => !capabilities[r]),
    },
    createdAt: toIso(c.createdAt),
    updatedAt: toIso(c.updatedAt),
  };
}

/** Loads a connection of the program (in the caller's workspace) or answers 404. */
export async function findConnectionOrThrow(db: TenantDb, programId: string, connectionId: string) {
  const connection = await db.connection.findUnique({ where: { id: connectionId } });
  if (!connection || connection.programId !== programId) throw notFound('Connection');
  return connection;
}

function refuseDisabled(connection: Connection) {
  if (connection.status === 'disabled') {
    throw conflict('connection_disabled', 'This connection is disabled and kept for history; create a new connection to reconnect the account');
  }
}

/** Where the adapter will send requests, for messages: the store or shop, else the API host. */
function describeWhere(platform: Platform, apiBaseUrl: string | null, credentials: Record<string, string>): string {
  const base = apiBaseUrl ?? credentials.storeUrl ?? credentials.shop ?? null;
  if (!base) return defaultHosts[platform] ?? platform;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(base) ? base : `https://${base}`).host;
  } catch {
    return base;
  }
}

type CheckResult = { status: 'connected' | 'error'; lastError: string | null; accountName: string | null; failure: string | null; checkedAt: Date };

/** One cheap authenticated call against the platform; never throws, never logs a secret. */
async function checkCredentials(
  target: { platform: Platform; apiBaseUrl: string | null; credentials: Record<string, string> },
  log: FastifyBaseLogger,
): Promise<CheckResult> {
  const checkedAt = new Date();
  try {
    const adapter = createAdapter({ ...target, timeoutMs: CHECK_TIMEOUT_MS });
    const { accountName } = await adapter.verifyCredentials();
    return { status: 'connected', lastError: null, accountName, failure: null, checkedAt };
  } catch (error) {
    // The error's cause can hold the SDK's request (with auth headers): only our fields are logged.
    const failure = error instanceof PlatformError ? error : new PlatformError({ code: 'unknown', message: 'the check failed unexpectedly' });
    log.warn({ platform: target.platform, code: failure.code, status: failure.status, unexpected: !(error instanceof PlatformError) }, 'connection check failed');
    const where = describeWhere(target.platform, target.apiBaseUrl, target.credentials);
    const lastError = describeCheckFailure(target.platform, failure, where, Object.values(target.credentials));
    return { status: 'error', lastError, accountName: null, failure: failure.code, checkedAt };
  }
}

/** The secrets stored on a row; undecryptable ones (a retired key) read as absent so they can be replaced. */
function readStoredSecrets(keys: EncryptionKeys, connection: Connection, log: FastifyBaseLogger) {
  try {
    return { credentials: decryptConnectionCredentials(keys, connection), webhookSecret: decryptWebhookSecret(keys, connection), readable: true };
  } catch (error) {
    if (!(error instanceof SecretDecryptionError)) throw error;
    log.error({ connectionId: connection.id, keyId: connection.encryptionKeyId, reason: error.message }, 'connection secrets cannot be decrypted');
    return { credentials: {} as Record<string, string>, webhookSecret: null, readable: false };
  }
}

const UNREADABLE =
  'The stored credentials can no longer be decrypted (their encryption key was removed from the server). Enter the credentials and webhook secret again.';

/** Splits validated input into encrypted credentials and the webhook secret, by the platform's field names. */
function secretsFromInput(platform: Platform, input: Record<string, unknown>) {
  const credentials: Record<string, string> = {};
  for (const [field, key] of Object.entries(credentialFields[platform])) {
    const value = input[field];
    if (typeof value === 'string') credentials[key] = value;
  }
  const webhookSecret = input[webhookSecretField[platform]];
  return { credentials, webhookSecret: typeof webhookSecret === 'string' ? webhookSecret : undefined };
}

function accountFrom(platform: Platform, credentials: Record<string, string>, name: string | null): AccountSettings {
  return {
    name,
    storeUrl: platform === 'woocommerce' ? (credentials.storeUrl ?? null) : null,
    shopDomain: platform === 'shopify' ? (credentials.shop ?? null) : null,
  };
}

function defaultName(platform: Platform, account: AccountSettings): string {
  if (platform === 'woocommerce' && account.storeUrl) return `WooCommerce ${new URL(account.storeUrl).host}`;
  if (platform === 'shopify' && account.shopDomain) return `Shopify ${account.shopDomain}`;
  return platform === 'stripe' ? 'Stripe' : 'Paddle';
}

function requireShopDomain(credentials: Record<string, string>, apiBaseUrl: string | null) {
  const shop = credentials.shop ?? '';
  if (!apiBaseUrl && !isMyshopifyDomain(shop)) {
    throw badRequest('validation_failed', "Invalid request: body.shopDomain must be the shop's permanent domain, like my-shop.myshopify.com", [
      { path: 'body.shopDomain', message: "must be the shop's permanent domain, like my-shop.myshopify.com" },
    ]);
  }
}

export async function listConnections(db: TenantDb, programId: string, query: ConnectionListQuery, publicUrl: string) {
  await findProgramOrThrow(db, programId);
  const rows = await db.connection.findMany({
    where: { programId, ...afterCursor(decodeCursor(query.cursor)), ...(query.status ? { status: query.status } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const page = pageFrom(rows, query.limit);
  return { items: page.items.map((c) => toConnectionDto(c, publicUrl)), nextCursor: page.nextCursor };
}

/**
 * Stores a connection after one credential check. It is kept even when the check fails (status
 * `error` with the reason), so the merchant fixes the key on the same connection and its webhook
 * URL, which may already be configured on the platform, stays valid.
 */
export async function createConnection(db: TenantDb, actor: Principal, programId: string, input: CreateConnectionInput, deps: ConnectionDeps) {
  const program = await findActiveProgramOrThrow(db, programId);
  const { credentials, webhookSecret } = secretsFromInput(input.platform, input);
  if (input.platform === 'woocommerce') credentials.storeCurrency ??= program.currency;
  const apiBaseUrl = input.apiBaseUrl ?? null;
  const check = await checkCredentials({ platform: input.platform, apiBaseUrl, credentials }, deps.log);
  const account = accountFrom(input.platform, credentials, check.accountName);
  // The id is chosen here because the ciphertexts are bound to it.
  const id = generateConnectionId();
  return db.$transaction(async (tx) => {
    const connection = await tx.connection.create({
      data: {
        id,
        workspaceId: actor.workspaceId,
        programId,
        platform: input.platform,
        name: input.name ?? defaultName(input.platform, account),
        apiBaseUrl,
        ...encryptConnectionSecrets(deps.keys, id, { credentials, webhookSecret: webhookSecret ?? null }),
        settings: withAccount({}, account),
        status: check.status,
        lastError: check.lastError,
        lastCheckedAt: check.checkedAt,
      },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actor,
      action: 'connection.created',
      entityType: 'connection',
      entityId: id,
      data: { programId, platform: input.platform, name: connection.name, apiBaseUrl, status: check.status, failure: check.failure, webhookSecretConfigured: webhookSecret !== undefined },
    });
    return toConnectionDto(connection, deps.publicUrl);
  });
}

/**
 * Applies a change only if the row still holds the secrets we read (a concurrent change wins
 * rather than being overwritten with older credentials) and is not disabled meanwhile.
 */
async function updateIfUnchanged(tx: Pick<TenantDb, 'connection'>, read: Connection, data: Prisma.ConnectionUpdateManyMutationInput) {
  const { count } = await tx.connection.updateMany({
    where: { id: read.id, credentialsEncrypted: read.credentialsEncrypted, webhookSecretEncrypted: read.webhookSecretEncrypted, status: { not: 'disabled' } },
    data,
  });
  if (count === 0) throw conflict('connection_changed', 'The connection was changed by someone else meanwhile; reload it and try again');
  return tx.connection.findUniqueOrThrow({ where: { id: read.id } });
}

/** Renames, moves the API address, or rotates credentials and the webhook secret (then re-checks). */
export async function updateConnectionOrThrow(db: TenantDb, actor: Principal, programId: string, connectionId: string, input: UpdateConnectionInput, deps: ConnectionDeps) {
  await findActiveProgramOrThrow(db, programId);
  const current = await findConnectionOrThrow(db, programId, connectionId);
  refuseDisabled(current);
  if (input.platform !== current.platform) {
    throw badRequest('platform_mismatch', `This is a ${current.platform} connection`, [{ path: 'body.platform', message: `must be ${current.platform}` }]);
  }
  const platform = current.platform;
  const changes = secretsFromInput(platform, input);
  const apiBaseUrl = input.apiBaseUrl === undefined ? current.apiBaseUrl : input.apiBaseUrl;
  const changed = [
    ...(input.name !== undefined ? ['name'] : []),
    ...(apiBaseUrl !== current.apiBaseUrl ? ['apiBaseUrl'] : []),
    ...Object.keys(changes.credentials).map((k) => `credentials.${k}`),
    ...(changes.webhookSecret !== undefined ? ['webhookSecret'] : []),
  ];
  if (changed.length === 0) return toConnectionDto(current, deps.publicUrl);
  const recheck = changed.some((c) => c !== 'name');

  let data: Prisma.ConnectionUpdateManyMutationInput = { ...(input.name !== undefined ? { name: input.name } : {}) };
  let check: CheckResult | null = null;
  if (recheck) {
    const stored = readStoredSecrets(deps.keys, current, deps.log);
    const credentials = { ...stored.credentials, ...changes.credentials };
    if (platform === 'shopify') requireShopDomain(credentials, apiBaseUrl);
    check = await checkCredentials({ platform, apiBaseUrl, credentials }, deps.log);
    const previous = accountOf(current);
    data = {
      ...data,
      apiBaseUrl,
      ...encryptConnectionSecrets(deps.keys, current.id, { credentials, webhookSecret: changes.webhookSecret ?? stored.webhookSecret }),
      settings: withAccount(current.settings, accountFrom(platform, credentials, check.accountName ?? previous.name)),
      status: check.status,
      lastError: check.lastError,
      lastCheckedAt: check.checkedAt,
    };
  }
  return db.$transaction(async (tx) => {
    const connection = await updateIfUnchanged(tx, current, data);
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actor,
      action: 'connection.updated',
      entityType: 'connection',
      entityId: current.id,
      data: { programId, changed, ...(check ? { status: check.status, failure: check.failure } : {}) },
    });
    return toConnectionDto(connection, deps.publicUrl);
  });
}

/** Re-runs the credential check with the stored credentials and records the outcome. */
export async function verifyConnectionOrThrow(db: TenantDb, actor: Principal, programId: string, connectionId: string, deps: ConnectionDeps) {
  await findActiveProgramOrThrow(db, programId);
  const current = await findConnectionOrThrow(db, programId, connectionId);
  refuseDisabled(current);
  const stored = readStoredSecrets(deps.keys, current, deps.log);
  const check: CheckResult = stored.readable
    ? await checkCredentials({ platform: current.platform, apiBaseUrl: current.apiBaseUrl, credentials: stored.credentials }, deps.log)
    : { status: 'error', lastError: UNREADABLE, accountName: null, failure: 'undecryptable', checkedAt: new Date() };
  const account = accountOf(current);
  return db.$transaction(async (tx) => {
    const connection = await updateIfUnchanged(tx, current, {
      status: check.status,
      lastError: check.lastError,
      lastCheckedAt: check.checkedAt,
      settings: withAccount(current.settings, { ...account, name: check.accountName ?? account.name }),
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actor,
      action: 'connection.verified',
      entityType: 'connection',
      entityId: current.id,
      data: { programId, status: check.status, failure: check.failure },
    });
    return toConnectionDto(connection, deps.publicUrl);
  });
}

/**
 * Disables a connection: no more syncing, webhooks are refused, the row stays for the history of
 * its sales. Codes already created on the platform are left there; the merchant removes them there.
 */
export async function disableConnectionOrThrow(db: TenantDb, actor: Principal, programId: string, connectionId: string, publicUrl: string) {
  await findProgramOrThrow(db, programId);
  const current = await findConnectionOrThrow(db, programId, connectionId);
  if (current.status === 'disabled') return toConnectionDto(current, publicUrl);
  return db.$transaction(async (tx) => {
    const connection = await tx.connection.update({ where: { id: current.id }, data: { status: 'disabled' } });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actor,
      action: 'connection.disabled',
      entityType: 'connection',
      entityId: current.id,
      data: { programId, platform: current.platform, previousStatus: current.status },
    });
    return toConnectionDto(connection, publicUrl);
  });
}

/**
 * The platform adapter of a connection, its credentials decrypted. For the API (import, webhook
 * ingress); the worker uses decryptConnectionTarget from @codetrack/db with createAdapter.
 * Throws 404 for an unknown id (or another workspace's, through a tenant accessor); the caller
 * decides what a disabled connection may still do.
 */
export async function loadConnectionAdapterOrThrow(
  db: Pick<Db, 'connection'> | Pick<TenantDb, 'connection'>,
  connectionId: string,
  keys: EncryptionKeys,
): Promise<{ connection: Connection; adapter: PlatformAdapter }> {
  const connection = await (db.connection as Db['connection']).findUnique({ where: { id: connectionId } });
  if (!connection) throw notFound('Connection');
  const adapter = createAdapter({ platform: connection.platform, apiBaseUrl: connection.apiBaseUrl, credentials: decryptConnectionCredentials(keys, connection) });
  return { connection, adapter };
}
