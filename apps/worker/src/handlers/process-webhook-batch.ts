import { applyOrdersBatch, type BatchOrder } from './apply-orders-batch.ts';
import {
  claimWebhookEvents,
  followParked,
  prepareWebhookEvent,
  processPrepared,
  readOutcomes,
  type PreparedWebhookEvent,
  type ProcessWebhookDeps,
  type ProcessWebhookResult,
} from './process-webhook.ts';

export type BatchResult = Map<string, ProcessWebhookResult | Error>;

/**
 * Processes many stored deliveries at once, with the same outcome as processWebhook on each:
 * deliveries that carry exactly one paid order (the common case) go through applyOrdersBatch in
 * one transaction; everything else (refunds, cancels, code events, several events in one
 * delivery, an order we already have) goes through the one-delivery path. If the batch
 * transaction fails (a deadlock with another process, say), its deliveries fall back to the
 * one-delivery path, so a bad batch costs time, never an event. An Error in the result fails that
 * delivery's job, which is then retried.
 */
export async function processWebhookBatch(deps: ProcessWebhookDeps, ids: string[]): Promise<BatchResult> {
  const results: BatchResult = new Map();
  const claimed = await claimWebhookEvents(deps.db, ids);
  const claimedIds = new Set(claimed.map((e) => e.id));
  const unclaimed = ids.filter((id) => !claimedIds.has(id));
  if (unclaimed.length > 0) for (const [id, outcome] of await readOutcomes(deps.db, unclaimed)) results.set(id, outcome);

  const single: PreparedWebhookEvent[] = [];
  const orders: (BatchOrder & { prepared: PreparedWebhookEvent })[] = [];
  for (const event of claimed) {
    try {
      const prepared = await prepareWebhookEvent(deps, event);
      if ('result' in prepared) {
        results.set(event.id, prepared.result);
        continue;
      }
      const [only, ...more] = prepared.normalized.events;
      if (only?.kind === 'order' && only.status !== 'pending' && more.length === 0) orders.push({ key: event.id, context: prepared.context, order: only, prepared });
      else single.push(prepared);
    } catch (err) {
      results.set(event.id, asError(err));
    }
  }

  let applied: typeof orders = [];
  try {
    const outcome = await applyOrdersBatch(deps.db, orders);
    const appliedKeys = new Set(outcome.applied.map((o) => o.key));
    applied = orders.filter((o) => appliedKeys.has(o.key));
    single.push(...orders.filter((o) => !appliedKeys.has(o.key)).map((o) => o.prepared));
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message, deliveries: orders.length }, 'order batch failed; applying its orders one at a time');
    single.push(...orders.map((o) => o.prepared));
  }

  if (applied.length > 0) {
    try {
      // As processWebhook: refunds parked for these orders are applied before the deliveries are marked done.
      await followParked(deps, applied.map((o) => ({ connectionId: o.context.connectionId, platformOrderId: o.order.platformOrderId })));
      const appliedIds = applied.map((o) => o.key);
      await deps.db.$executeRaw`
        UPDATE "WebhookEvent" SET "status" = 'processed', "error" = NULL, "processedAt" = now(), "waitingForOrderId" = NULL
        WHERE "id" = ANY(${appliedIds}::text[]) AND "status" IN ('received', 'waiting')`;
      for (const id of appliedIds) results.set(id, { status: 'processed', reason: null });
    } catch (err) {
      // The orders are booked; a retry finds their sales and only finishes the deliveries.
      for (const o of applied) results.set(o.key, asError(err));
    }
  }

  await Promise.all(
    single.map(async (prepared) => {
      try {
        results.set(prepared.event.id, await processPrepared(deps, prepared));
      } catch (err) {
        results.set(prepared.event.id, asError(err));
      }
    }),
  );
  return results;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export type WebhookBatcher = { submit: (webhookEventId: string) => Promise<ProcessWebhookResult> };

/**
 * Gathers the deliveries this process's webhook jobs ask for into batches: a delivery waits at
 * most `lingerMs` (or until `maxBatch` are waiting) and at most `maxInFlight` batches run at once.
 * Each job still completes or fails on its own.
 */
export function createWebhookBatcher(deps: ProcessWebhookDeps, options: { maxBatch?: number; lingerMs?: number; maxInFlight?: number } = {}): WebhookBatcher {
  const maxBatch = options.maxBatch ?? 100;
  const lingerMs = options.lingerMs ?? 3;
  const maxInFlight = options.maxInFlight ?? 4;
  type Waiting = { id: string; resolve: (r: ProcessWebhookResult) => void; reject: (e: Error) => void };
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | null = null;
  let inFlight = 0;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    while (waiting.length > 0 && inFlight < maxInFlight) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(maxBatch);
      inFlight += 1;
      const ids = [...new Set(batch.map((w) => w.id))];
      processWebhookBatch(deps, ids)
        .then((results) => {
          for (const w of batch) {
            const r = results.get(w.id) ?? new Error(`delivery ${w.id} was not processed`);
            if (r instanceof Error) w.reject(r);
            else w.resolve(r);
          }
        })
        .catch((err: unknown) => {
          for (const w of batch) w.reject(asError(err));
        })
        .finally(() => {
          inFlight -= 1;
          if (waiting.length > 0) schedule();
        });
    }
  };
  const schedule = () => {
    if (waiting.length >= maxBatch) flush();
    else timer ??= setTimeout(flush, lingerMs);
  };

  return {
    submit: (webhookEventId) =>
      new Promise<ProcessWebhookResult>((resolve, reject) => {
        waiting.push({ id: webhookEventId, resolve, reject });
        schedule();
      }),
  };
}
