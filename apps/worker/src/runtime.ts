import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { approveCommissionsJob, jobs as jobDefinitions, processWebhookJob, queues, runBulkJob, sweepOutboxJob, type JobDefinition } from '@codetrack/contracts';
import type { Db } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import { approveCommissions } from './handlers/approve-commissions.ts';
import { createWebhookBatcher, type WebhookBatcher } from './handlers/process-webhook-batch.ts';
import { runBulkJobRow } from './handlers/run-bulk-job.ts';
import { sweepOutbox } from './handlers/sweep-outbox.ts';
import { drainConnectionJob, syncEntityJob } from '@codetrack/contracts';
import { syncEntity } from './handlers/sync-entity.ts';
import { drainConnection } from './handlers/drain-connection.ts';
import type { SyncSettings } from './sync/settings.ts';

export type WorkerDeps = {
  db: Db;
  jobs: JobProducer;
  logger: Logger;
  sweepOlderThanMs: number;
  /** Sync settings (rate limits, backoff, keys); defaults to the worker configuration. */
  sync?: Partial<SyncSettings>;
};

/** A handler receives the payload only after it parsed against the job's schema again: the
 * queue is a trust boundary too (old deployments, hand-made jobs). */
export type Handler<P extends z.ZodType> = {
  job: JobDefinition<P>;
  run: (payload: z.infer<P>, ctx: { job: Job; deps: WorkerDeps }) => Promise<unknown>;
};

function handler<P extends z.ZodType>(job: JobDefinition<P>, run: Handler<P>['run']): Handler<P> {
  return { job, run };
}

/**
 * Handlers by job name. Webhook deliveries go through one batcher per set of handlers (so per
 * worker process): jobs that run at the same time are processed together (process-webhook-batch.ts).
 */
export function createHandlers(): Handler<z.ZodType>[] {
  let webhooks: WebhookBatcher | null = null;
  return [
    handler(sweepOutboxJob, (payload, { deps }) =>
      sweepOutbox({ db: deps.db, jobs: deps.jobs, olderThanMs: payload.olderThanMs ?? deps.sweepOlderThanMs }),
    ),
    handler(runBulkJob, (payload, { deps, job }) => runBulkJobRow({ db: deps.db, jobs: deps.jobs, logger: deps.logger, bulkJobId: payload.bulkJobId, queueJob: job, sync: deps.sync })),
    handler(syncEntityJob, (payload, { deps, job }) => syncEntity({ deps, job, syncLinkId: payload.syncLinkId })),
    handler(drainConnectionJob, (payload, { deps, job }) => drainConnection({ deps, job, connectionId: payload.connectionId })),
    handler(processWebhookJob, (payload, { deps }) => {
      webhooks ??= createWebhookBatcher(deps);
      return webhooks.submit(payload.webhookEventId);
    }),
    handler(approveCommissionsJob, (payload, { deps }) => approveCommissions({ db: deps.db, ...(payload.now ? { now: new Date(payload.now) } : {}) })),
  ] as Handler<z.ZodType>[];
}

export class UnknownJobError extends Error {}

export type WorkerSettings = {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  /** Jobs at once on these queues instead of `concurrency` (webhooks: as many as a batch takes). */
  concurrencyByQueue?: Partial<Record<string, number>>;
  handlers?: Handler<z.ZodType>[];
  /** Only these queues; defaults to every queue that has a handler. */
  queueNames?: string[];
};

/** Starts one BullMQ Worker per queue that has handlers, and dispatches jobs by name. */
export function startWorkers(deps: WorkerDeps, settings: WorkerSettings) {
  const handlers = settings.handlers ?? createHandlers();
  const byName = new Map(handlers.map((h) => [h.job.name, h]));
  const queueNames = settings.queueNames ?? [...new Set(handlers.map((h) => h.job.queue))];

  const workers = queueNames.map((queueName) => {
    const worker = new Worker(
      queueName,
      async (job) => {
        const h = byName.get(job.name);
        if (!h) throw new UnknownJobError(`no handler for job ${job.name} on queue ${queueName}`);
        const parsed = h.job.payload.safeParse(job.data);
        if (!parsed.success) {
          // A payload that does not parse will never parse: fail it for good, no retries.
          await job.discard();
          throw new Error(`invalid payload for ${job.name}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
        }
        return h.run(parsed.data, { job, deps });
      },
      { connection: settings.connection, prefix: settings.prefix, concurrency: settings.concurrencyByQueue?.[queueName] ?? settings.concurrency, autorun: true },
    );
    worker.on('failed', (job, err) => deps.logger.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'));
    worker.on('error', (err) => deps.logger.error({ err: err.message, queue: queueName }, 'worker error'));
    return worker;
  });

  return {
    workers,
    /** Waits for running jobs to finish, then disconnects. */
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

/** Registers the repeatable sweeper (idempotent: the scheduler id is fixed). */
export async function scheduleSweeper(jobs: JobProducer, input: { everyMs: number; olderThanMs: number }) {
  await jobs
    .queue(queues.maintenance)
    .upsertJobScheduler('sweep-outbox', { every: input.everyMs }, { name: sweepOutboxJob.name, data: { olderThanMs: input.olderThanMs }, opts: sweepOutboxJob.options });
}

/**
 * Repeatable jobs live in Redis only: a Redis restart without persistence (or a flush, or a
 * failover to an empty replica) loses them, and with them the sweeper that re-enqueues every job
 * the restart lost, so nothing would move again until a worker process restarted. Every `everyMs`
 * this looks for the schedulers and registers them again (`schedule`) when one is missing.
 * Returns a function that stops it.
 */
export function keepSchedules(jobs: JobProducer, input: { everyMs: number; schedulerIds: string[]; schedule: () => Promise<void>; onError: (err: unknown) => void }) {
  let checking = false;
  const timer = setInterval(() => {
    // While Redis is down the check waits for it (the connection queues commands): one at a time.
    if (checking) return;
    checking = true;
    void (async () => {
      const queue = jobs.queue(queues.maintenance);
      const found = await Promise.all(input.schedulerIds.map((id) => queue.getJobScheduler(id)));
      if (found.some((scheduler) => !scheduler)) await input.schedule();
    })()
      .catch(input.onError)
      .finally(() => (checking = false));
  }, input.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export { jobDefinitions };
