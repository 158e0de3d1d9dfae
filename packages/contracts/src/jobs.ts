import { z } from 'zod';

/**
 * A job is a typed definition shared by producer (API) and consumer (worker): its queue, name,
 * payload schema and options. Payloads carry ids, never secrets; the worker parses them again.
 */
export type JobDefinition<P extends z.ZodType> = {
  queue: string;
  name: string;
  payload: P;
  options: {
    attempts: number;
    backoff: { type: 'exponential'; delay: number };
    removeOnComplete: number | boolean;
    removeOnFail: number | boolean;
  };
  /** Job id derived from the payload, so duplicate enqueues of the same work collapse. */
  jobId?: (payload: z.infer<P>) => string;
};

function defineJob<P extends z.ZodType>(def: JobDefinition<P>): JobDefinition<P> {
  return def;
}

const retrying = {
  attempts: 8,
  backoff: { type: 'exponential' as const, delay: 1000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

export const queues = {
  sync: 'sync',
  webhooks: 'webhooks',
  bulk: 'bulk',
  maintenance: 'maintenance',
} as const;

// Finished jobs are removed: their outcome lives in the database row, and a later change to the
// same row must be able to enqueue the same job id again.
const singleFlight = { ...retrying, removeOnComplete: true, removeOnFail: true };

/** Push one SyncLink (a coupon or code on one connection) to its platform. */
export const syncEntityJob = defineJob({
  queue: queues.sync,
  name: 'sync-entity',
  payload: z.object({ syncLinkId: z.string().min(1) }),
  options: singleFlight,
  jobId: (p) => `sync-${p.syncLinkId}`,
});

/** Push every pending SyncLink of one connection, at the connection's rate limit. Bulk changes
 * (thousands of codes) enqueue this instead of one job per code. */
export const drainConnectionJob = defineJob({
  queue: queues.sync,
  name: 'drain-connection',
  payload: z.object({ connectionId: z.string().min(1) }),
  options: singleFlight,
  jobId: (p) => `drain-${p.connectionId}`,
});

/** Process one stored webhook event from the inbox. */
export const processWebhookJob = defineJob({
  queue: queues.webhooks,
  name: 'process-webhook',
  payload: z.object({ webhookEventId: z.string().min(1) }),
  options: singleFlight,
  jobId: (p) => `webhook-${p.webhookEventId}`,
});

/** Run one bulk job row (code generation, import, reconciliation) to completion. */
export const runBulkJob = defineJob({
  queue: queues.bulk,
  name: 'run-bulk-job',
  payload: z.object({ bulkJobId: z.string().min(1) }),
  options: { ...singleFlight, attempts: 3 },
  jobId: (p) => `bulk-${p.bulkJobId}`,
});

/** Re-enqueue outbox rows (pending SyncLinks, unprocessed webhook events) left behind, e.g. by a
 * Redis outage between the database commit and the enqueue. Repeats on a schedule. */
export const sweepOutboxJob = defineJob({
  queue: queues.maintenance,
  name: 'sweep-outbox',
  payload: z.object({ olderThanMs: z.number().int().nonnegative().default(30_000) }),
  options: { attempts: 1, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 100, removeOnFail: 100 },
});

/** Approve pending commissions whose hold period is over (not those of refunded or cancelled
 * sales). Repeats on a schedule; `now` only exists for tests. */
export const approveCommissionsJob = defineJob({
  queue: queues.maintenance,
  name: 'approve-commissions',
  payload: z.object({ now: z.iso.datetime().optional() }),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 100, removeOnFail: 100 },
});

export const jobs = { syncEntityJob, drainConnectionJob, processWebhookJob, runBulkJob, sweepOutboxJob, approveCommissionsJob };
export type AnyJob = (typeof jobs)[keyof typeof jobs];
