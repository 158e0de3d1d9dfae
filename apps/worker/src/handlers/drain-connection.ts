import type { Job } from 'bullmq';
import { SecretDecryptionError } from '@codetrack/db';
import { PlatformError } from '@codetrack/integrations';
import type { WorkerDeps } from '../runtime.ts';
import { loadSyncContext, type SyncContext } from '../sync/connection-context.ts';
import { RetryLaterError, syncLink } from '../sync/push-link.ts';
import { retryJobLater } from '../sync/retry-later.ts';
import { resolveSyncSettings } from '../sync/settings.ts';

const pageSize = 200;

export type DrainResult = { synced: number; deleted: number; failed: number; skipped: number; pending: number };

/**
 * `drain-connection`: pushes every pending SyncLink of one connection (bulk changes), coupons
 * before codes (a Stripe code needs its coupon), in keyset pages, several requests in flight
 * with the connection's rate limiter setting the pace. A 429 pauses the connection (the adapter
 * wrapper does that) and the link is tried again in place; a platform that is down stops the
 * drain, which comes back after the backoff and carries on with what is still pending.
 */
export async function drainConnection(input: { deps: WorkerDeps; job?: Job; connectionId: string }): Promise<DrainResult> {
  const { deps } = input;
  const settings = resolveSyncSettings(deps.sync);
  const totals: DrainResult = { synced: 0, deleted: 0, failed: 0, skipped: 0, pending: 0 };
  let ctx: SyncContext | null;
  try {
    ctx = await loadSyncContext({ db: deps.db, jobs: deps.jobs, logger: deps.logger, settings, connectionId: input.connectionId });
  } catch (error) {
    if (!(error instanceof SecretDecryptionError || (error instanceof PlatformError && !error.retryable))) throw error;
    const { count } = await deps.db.syncLink.updateMany({
      where: { connectionId: input.connectionId, state: 'pending' },
      data: { state: 'failed', lastError: `The connection cannot be used: ${error.message}` },
    });
    return { ...totals, failed: count };
  }
  if (!ctx) return totals;
  const context = ctx;

  // Set by whichever lane meets a platform that is down; the other lanes stop taking links.
  const halt: { error: RetryLaterError | null } = { error: null };
  // Links that went pending again during a pass are picked up by the next one.
  for (let pass = 0; pass < 3 && !halt.error; pass += 1) {
    let processed = 0;
    for (const entityType of ['coupon', 'promotion_code'] as const) {
      let after = '';
      const fetchPage = async () => {
        const page = await context.tenant.syncLink.findMany({
          where: { connectionId: context.connection.id, state: 'pending', entityType, id: { gt: after } },
          select: { id: true },
          orderBy: { id: 'asc' },
          take: pageSize,
        });
        after = page.at(-1)?.id ?? after;
        return page.map((l) => l.id);
      };
      processed += await streamPool(fetchPage, settings.drainConcurrency, () => halt.error !== null, async (id) => {
        const outcome = await pushWithRateLimitRetries(context, id);
        if (outcome instanceof RetryLaterError) {
          halt.error ??= outcome;
          return;
        }
        // Codes of a replaced Stripe coupon are pending again: the next pass takes them.
        totals[outcome.status] += 1;
      });
    }
    if (processed === 0) break;
  }
  if (halt.error) return retryJobLater(input.job, halt.error.delayMs, halt.error);
  const left = await ctx.tenant.syncLink.count({ where: { connectionId: ctx.connection.id, state: 'pending' } });
  // Edited faster than we pushed: run again shortly (a new enqueue would collide with our own job id).
  if (left > 0) return retryJobLater(input.job, settings.backoffBaseMs, new Error(`${left} links still pending`));
  return totals;
}

/** Rate limiting is not a failure of the link: wait for the pause and try again, a bounded number of times. */
async function pushWithRateLimitRetries(ctx: SyncContext, linkId: string) {
  for (;;) {
    try {
      return await syncLink(ctx, linkId);
    } catch (error) {
      if (!(error instanceof RetryLaterError)) throw error;
      // The link recorded the attempt; a 429 already paused the connection in the limiter, so the
      // next try waits there. Other retryable failures stop the drain.
      if (!error.rateLimited) return error;
    }
  }
}

/**
 * Runs `work` over ids fetched page by page, `concurrency` at a time, fetching the next page
 * before the current one runs out so the lanes never wait for each other at page boundaries.
 * Returns how many ids it took.
 */
async function streamPool(fetchPage: () => Promise<string[]>, concurrency: number, stopped: () => boolean, work: (id: string) => Promise<void>): Promise<number> {
  const queue: string[] = [];
  let exhausted = false;
  let fetching: Promise<void> | null = null;
  let taken = 0;
  const refill = () => {
    fetching ??= fetchPage().then((ids) => {
      queue.push(...ids);
      if (ids.length < pageSize) exhausted = true;
      fetching = null;
    });
    return fetching;
  };
  const lane = async () => {
    while (!stopped()) {
      if (queue.length <= concurrency && !exhausted) {
        const pending = refill();
        if (queue.length === 0) await pending;
      }
      const id = queue.shift();
      if (id === undefined) {
        if (exhausted && !fetching) return;
        continue;
      }
      taken += 1;
      await work(id);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return taken;
}
