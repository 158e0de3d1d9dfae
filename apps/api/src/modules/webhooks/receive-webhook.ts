import type { FastifyBaseLogger } from 'fastify';
import { processWebhookJob, type Platform } from '@codetrack/contracts';
import { SecretDecryptionError, decryptWebhookSecret, type Db, type EncryptionKeys } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import { WebhookPayloadError, identifyWebhook, isWebhookPing, verifyWebhook } from '@codetrack/integrations';
import { AppError, badRequest, notFound } from '../../lib/errors.ts';

export type WebhookHeaders = Record<string, string | string[] | undefined>;

export type ReceiveWebhookDeps = { db: Db; jobs: JobProducer; keys: EncryptionKeys; log: FastifyBaseLogger; connections: ConnectionCache };

type IngressConnection = { id: string; workspaceId: string; platform: Platform; status: string; secret: string | null };

/**
 * Connections with their decrypted secret, kept for a few seconds per process: a burst of
 * deliveries then costs one INSERT each instead of a lookup and a decryption too. A disabled
 * connection or a rotated secret takes effect after at most `ttlMs` (a rejected delivery is retried
 * by the platform). Unknown ids are never cached.
 */
export class ConnectionCache {
  private readonly entries = new Map<string, { connection: IngressConnection; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  get(id: string): IngressConnection | null {
    const entry = this.entries.get(id);
    if (!entry || entry.expiresAt <= Date.now()) return null;
    return entry.connection;
  }

  set(connection: IngressConnection) {
    if (this.entries.size >= 10_000) this.entries.clear();
    this.entries.set(connection.id, { connection, expiresAt: Date.now() + this.ttlMs });
  }
}

export type ReceiveWebhookResult = { received: true; duplicate: boolean };

/** An enqueue that outlives this bounds the answer no longer: the sweeper re-enqueues the row. */
const ENQUEUE_TIMEOUT_MS = 2_000;

// The normalisers read topic and ids from these; signatures are checked here and not kept.
const STORED_HEADER = /^x-(wc-webhook|shopify)-/;
const SIGNATURE_HEADERS = new Set(['x-wc-webhook-signature', 'x-shopify-hmac-sha256']);

/** The delivery headers a worker needs to normalise the payload later, without any signature. */
export function pickStoredHeaders(headers: WebhookHeaders): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (!STORED_HEADER.test(key) || SIGNATURE_HEADERS.has(key) || value === undefined) continue;
    stored[key] = Array.isArray(value) ? (value[0] ?? '') : value;
  }
  return stored;
}

const unauthorizedDelivery = (message: string) => new AppError(401, 'invalid_signature', message);

/**
 * The webhook inbox: checks the signature with the connection's secret, stores the delivery once
 * (ON CONFLICT on its dedupe key) and enqueues its processing. Nothing is written before the
 * signature is checked, so an unsigned request leaves no trace.
 */
export async function receiveWebhook(
  deps: ReceiveWebhookDeps,
  input: { platform: string; connectionId: string; rawBody: Buffer; headers: WebhookHeaders },
): Promise<ReceiveWebhookResult> {
  const connection = deps.connections.get(input.connectionId) ?? (await loadConnection(deps, input.connectionId));
  if (!connection || connection.platform !== input.platform || connection.status === 'disabled') throw notFound('Connection');
  const platform = connection.platform;

  if (isWebhookPing(platform, input)) return { received: true, duplicate: false };
  const secret = connection.secret;
  if (secret === null) throw unauthorizedDelivery('This connection has no webhook secret yet (or it cannot be read); add it to the connection first');
  const verified = verifyWebhook(platform, { rawBody: input.rawBody, headers: input.headers, secret });
  if (!verified.ok) throw unauthorizedDelivery(`Webhook signature rejected: ${verified.reason}`);

  let identity: { dedupeKey: string; topic: string };
  try {
    identity = identifyWebhook(platform, { rawBody: input.rawBody, headers: input.headers });
  } catch (error) {
    if (error instanceof WebhookPayloadError) throw badRequest('webhook_payload_invalid', error.message);
    throw error;
  }

  const payload = input.rawBody.toString('utf8');
  const headers = JSON.stringify(pickStoredHeaders(input.headers));
  let inserted: { id: string }[];
  try {
    inserted = await deps.db.$queryRaw<{ id: string }[]>`
      INSERT INTO "WebhookEvent" ("workspaceId", "connectionId", "platform", "dedupeKey", "topic", "payload", "headers")
      VALUES (${connection.workspaceId}, ${connection.id}, ${platform}::"Platform", ${identity.dedupeKey}, ${identity.topic}, ${payload}::jsonb, ${headers}::jsonb)
      ON CONFLICT ("connectionId", "dedupeKey") DO NOTHING
      RETURNING "id"`;
  } catch (error) {
    if (isUnstorablePayload(error)) throw badRequest('webhook_payload_invalid', 'The payload cannot be stored: Postgres does not accept it as JSON (not JSON, \\u0000, a lone surrogate, or nesting too deep)');
    throw error;
  }
  const row = inserted[0];
  if (!row) return { received: true, duplicate: true };

  await enqueueWithin(deps, row.id);
  return { received: true, duplicate: false };
}

// Correctly signed bodies Postgres refuses: not JSON or a lone surrogate escape (22P02), \u0000 in
// jsonb (22P05), NUL in a text column such as the dedupe key (22021), nesting deeper than its stack
// (54001). Retrying cannot help, so they are a 400 rather than a 500.
const UNSTORABLE_SQLSTATES = new Set(['22P02', '22P05', '22021', '54001']);

function isUnstorablePayload(error: unknown): boolean {
  // Prisma's driver adapters carry the Postgres SQLSTATE in the cause of a P2010.
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } } | null)?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode ?? meta?.driverAdapterError?.cause?.code;
  return typeof code === 'string' && UNSTORABLE_SQLSTATES.has(code);
}

async function loadConnection(deps: ReceiveWebhookDeps, connectionId: string): Promise<IngressConnection | null> {
  const row = await deps.db.connection.findUnique({
    where: { id: connectionId },
    select: { id: true, workspaceId: true, platform: true, status: true, credentialsEncrypted: true, webhookSecretEncrypted: true, encryptionKeyId: true },
  });
  if (!row) return null;
  let secret: string | null = null;
  try {
    secret = decryptWebhookSecret(deps.keys, row);
  } catch (error) {
    if (!(error instanceof SecretDecryptionError)) throw error;
    // Our key setup is broken, not the delivery: every delivery is refused until it is fixed.
    deps.log.error({ connectionId, err: error.message }, 'webhook secret cannot be decrypted');
  }
  const connection: IngressConnection = { id: row.id, workspaceId: row.workspaceId, platform: row.platform, status: row.status, secret };
  deps.connections.set(connection);
  return connection;
}

async function enqueueWithin(deps: ReceiveWebhookDeps, webhookEventId: string) {
  const onError = (err: unknown) => deps.log.warn({ webhookEventId, err: (err as Error)?.message }, 'webhook enqueue failed; the sweeper will pick it up');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onError(new Error(`enqueue took longer than ${ENQUEUE_TIMEOUT_MS} ms`));
      resolve();
    }, ENQUEUE_TIMEOUT_MS);
  });
  try {
    await Promise.race([deps.jobs.enqueueCoalesced(processWebhookJob, { webhookEventId }).catch(onError), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
