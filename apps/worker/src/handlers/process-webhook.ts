import type { Logger } from 'pino';
import type { CodeEvent, NormalizedWebhook, Platform } from '@codetrack/contracts';
import type { Db, WebhookStatus } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import { WebhookPayloadError, normalizeWebhook, type WebhookHeaders } from '@codetrack/integrations';
import { applyCodeEvent } from './apply-code-event.ts';
import { applyOrder, type ConnectionContext } from './apply-order.ts';
import { applyCancel, applyRefund } from './apply-refund.ts';
import { resolveOrderDiscounts } from './resolve-discounts.ts';
import type { SyncSettings } from '../sync/settings.ts';

/** `sync` (keys, timeouts, rate limits) is used to call the platform when an order only references its discounts. */
export type ProcessWebhookDeps = { db: Db; logger: Logger; jobs?: JobProducer; sync?: Partial<SyncSettings> };

export type ProcessWebhookResult = { status: WebhookStatus | 'missing'; reason: string | null };

type Outcome = { kind: 'applied'; orderId: string | null } | { kind: 'waiting' } | { kind: 'ignored'; reason: string };

/**
 * Connection and program settings, cached per process for a few seconds: every order of a burst
 * needs them, and a changed commission rule or hold period applies to orders processed after at
 * most this long.
 */
const CONTEXT_TTL_MS = 5_000;
const contexts = new Map<string, { context: ConnectionContext; expiresAt: number }>();

export async function loadConnectionContext(db: Db, connectionId: string): Promise<ConnectionContext | null> {
  const cached = contexts.get(connectionId);
  if (cached && cached.expiresAt > Date.now()) return cached.context;
  const connection = await db.connection.findUnique({ where: { id: connectionId }, include: { program: true } });
  if (!connection) return null;
  const context: ConnectionContext = { connectionId: connection.id, workspaceId: connection.workspaceId, platform: connection.platform, program: connection.program };
  if (contexts.size > 1_000) contexts.clear();
  contexts.set(connectionId, { context, expiresAt: Date.now() + CONTEXT_TTL_MS });
  return context;
}

/**
 * Processes one stored delivery: normalise it, then apply each event it carries (each in its own
 * transaction, each idempotent), then record the outcome on the inbox row. A payload that breaks
 * the platform's documented shape fails for good; database trouble throws so the job retries.
 * After an order lands, refunds and cancellations that arrived before it are applied at once.
 */
export async function processWebhook(deps: ProcessWebhookDeps, webhookEventId: string, options: { followParked?: boolean } = {}): Promise<ProcessWebhookResult> {
  const [event] = await claimWebhookEvents(deps.db, [webhookEventId]);
  if (!event) return (await readOutcomes(deps.db, [webhookEventId])).get(webhookEventId)!;
  const prepared = await prepareWebhookEvent(deps, event);
  if ('result' in prepared) return prepared.result;
  return processPrepared(deps, prepared, options);
}

export type ClaimedWebhookEvent = { id: string; connectionId: string; platform: Platform; payload: unknown; headers: unknown };

/** Claims an attempt on each open delivery and reads it, in one round trip; finished rows are left alone. */
export function claimWebhookEvents(db: Db, ids: string[]): Promise<ClaimedWebhookEvent[]> {
  return db.$queryRaw<ClaimedWebhookEvent[]>`
    UPDATE "WebhookEvent" SET "attempts" = "attempts" + 1
    WHERE "id" = ANY(${ids}::text[]) AND "status" IN ('received', 'waiting')
    RETURNING "id", "connectionId", "platform"::text AS "platform", "payload", "headers"`;
}

/** The recorded outcome of deliveries that were not open (already finished, or never stored). */
export async function readOutcomes(db: Db, ids: string[]): Promise<Map<string, ProcessWebhookResult>> {
  const rows = await db.webhookEvent.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, error: true } });
  const found = new Map(rows.map((r) => [r.id, { status: r.status, reason: r.error } as ProcessWebhookResult]));
  return new Map(ids.map((id) => [id, found.get(id) ?? { status: 'missing', reason: null }]));
}

export type PreparedWebhookEvent = { event: ClaimedWebhookEvent; context: ConnectionContext; normalized: NormalizedWebhook };

/**
 * Loads the delivery's connection and normalises its payload; a delivery that cannot be is finished
 * as failed. Discounts the payload only references (Stripe invoices) are resolved through the
 * platform here, so both processing paths attribute with them; a retryable platform error throws.
 */
export async function prepareWebhookEvent(deps: ProcessWebhookDeps, event: ClaimedWebhookEvent): Promise<PreparedWebhookEvent | { result: ProcessWebhookResult }> {
  const { db } = deps;
  const context = await loadConnectionContext(db, event.connectionId);
  if (!context) return { result: await finish(db, event.id, 'failed', 'the connection no longer exists') };
  let normalized: NormalizedWebhook;
  try {
    normalized = normalizeWebhook(event.platform, { payload: event.payload, headers: (event.headers ?? {}) as WebhookHeaders });
  } catch (error) {
    if (!(error instanceof WebhookPayloadError)) throw error;
    deps.logger.warn({ webhookEventId: event.id, err: error.message }, 'webhook payload rejected');
    return { result: await finish(db, event.id, 'failed', error.message) };
  }
  return { event, context, normalized: await resolveOrderDiscounts(deps, context, normalized) };
}

/**
 * Applies each event a claimed delivery carries (each in its own transaction, each idempotent),
 * then records the outcome on the inbox row.
 */
export async function processPrepared(deps: ProcessWebhookDeps, prepared: PreparedWebhookEvent, options: { followParked?: boolean } = {}): Promise<ProcessWebhookResult> {
  const { db } = deps;
  const { event, context, normalized } = prepared;
  const outcomes: Outcome[] = [];
  for (const item of normalized.events) {
    switch (item.kind) {
      case 'order':
        if (item.status === 'pending') {
          outcomes.push({ kind: 'ignored', reason: 'the order is not paid yet; the paid event records the sale' });
          break;
        }
        await applyOrder(db, context, item);
        outcomes.push({ kind: 'applied', orderId: item.platformOrderId });
        break;
      case 'refund':
      case 'cancel': {
        const result = item.kind === 'refund' ? await applyRefund(db, context, item, event.id) : await applyCancel(db, context, item, event.id);
        outcomes.push(result === 'waiting' ? { kind: 'waiting' } : { kind: 'applied', orderId: null });
        break;
      }
      case 'code':
        outcomes.push(await handleCodeEvent(deps, context.connectionId, item));
        break;
      case 'ignored':
        outcomes.push({ kind: 'ignored', reason: item.reason });
        break;
    }
  }

  // Before this delivery is marked done, so that "nothing left to process" includes the
  // refunds and cancellations that were waiting for one of its orders.
  if (options.followParked !== false) {
    const orders = outcomes.flatMap((o) => (o.kind === 'applied' && o.orderId !== null ? [{ connectionId: context.connectionId, platformOrderId: o.orderId }] : []));
    await followParked(deps, orders);
  }

  let result: ProcessWebhookResult;
  if (outcomes.some((o) => o.kind === 'waiting')) {
    // Already parked (status waiting) inside the refund's transaction.
    result = { status: 'waiting', reason: null };
  } else if (outcomes.some((o) => o.kind === 'applied')) {
    result = await finish(db, event.id, 'processed', null);
  } else {
    const reasons = outcomes.flatMap((o) => (o.kind === 'ignored' ? [o.reason] : []));
    result = await finish(db, event.id, 'ignored', reasons.join('; ') || 'the delivery carries no event');
  }

  return result;
}

/** Applies the refunds and cancellations that arrived before these orders and were parked waiting for them. */
export async function followParked(deps: ProcessWebhookDeps, orders: { connectionId: string; platformOrderId: string }[]): Promise<void> {
  if (orders.length === 0) return;
  const parked = await deps.db.$queryRaw<{ id: string }[]>`
    SELECT e."id" FROM "WebhookEvent" e
    JOIN unnest(${orders.map((o) => o.connectionId)}::text[], ${orders.map((o) => o.platformOrderId)}::text[]) AS o("connectionId", "orderId")
      ON e."connectionId" = o."connectionId" AND e."waitingForOrderId" = o."orderId"
    WHERE e."status" = 'waiting'
    ORDER BY e."receivedAt"`;
  for (const row of parked) await processWebhook(deps, row.id, { followParked: false });
}

/** Inbound code sync (a platform's coupon and code events) is the sync module's: it updates our copy. */
async function handleCodeEvent(deps: ProcessWebhookDeps, connectionId: string, event: CodeEvent): Promise<Outcome> {
  const result = await applyCodeEvent({ db: deps.db, connectionId, event, logger: deps.logger, ...(deps.jobs ? { jobs: deps.jobs } : {}) });
  return result.outcome === 'ignored' ? { kind: 'ignored', reason: result.reason } : { kind: 'applied', orderId: null };
}

export async function finish(db: Db, webhookEventId: string, status: WebhookStatus, reason: string | null): Promise<ProcessWebhookResult> {
  // Only from an open state: a concurrent run that already finished the row keeps its outcome.
  await db.webhookEvent.updateMany({
    where: { id: webhookEventId, status: { in: ['received', 'waiting'] } },
    data: { status, error: reason, processedAt: new Date(), ...(status === 'processed' ? { waitingForOrderId: null } : {}) },
  });
  return { status, reason };
}
