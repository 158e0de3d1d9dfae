import pino from 'pino';
import { createPrismaClient } from '@codetrack/db';
import { queues } from '@codetrack/contracts';
import { JobProducer } from '@codetrack/db/jobs';
import { loadWorkerConfig, type WorkerConfig } from './config.ts';
import { scheduleCommissionApproval } from './handlers/approve-commissions.ts';
import { keepSchedules, scheduleSweeper, startWorkers } from './runtime.ts';

/** Starts the worker process; on SIGTERM it lets running jobs finish before it exits. */
export async function startWorker(config: WorkerConfig = loadWorkerConfig(), options: { db?: ReturnType<typeof createPrismaClient> } = {}) {
  const logger = pino({ level: config.logLevel, name: 'worker' });
  const db = options.db ?? createPrismaClient({ ...config.database });
  // BullMQ workers block on Redis; ioredis must retry forever rather than fail the call.
  const connection = { url: config.redis.url, maxRetriesPerRequest: null } as never;
  const jobs = new JobProducer({ connection, prefix: config.redis.prefix });
  const running = startWorkers(
    { db, jobs, logger, sweepOlderThanMs: config.sweep.olderThanMs, sync: { encryptionKeys: config.encryptionKeys, ...config.sync } },
    { connection, prefix: config.redis.prefix, concurrency: config.concurrency, concurrencyByQueue: { [queues.webhooks]: config.webhookConcurrency } },
  );
  const schedule = async () => {
    await scheduleSweeper(jobs, { everyMs: config.sweep.intervalMs, olderThanMs: config.sweep.olderThanMs });
    await scheduleCommissionApproval(jobs, { everyMs: 15 * 60_000 });
  };
  await schedule();
  const stopKeepingSchedules = keepSchedules(jobs, {
    everyMs: config.sweep.intervalMs,
    schedulerIds: ['sweep-outbox', 'approve-commissions'],
    schedule: async () => {
      await schedule();
      logger.warn('the sweeper and approval schedules were missing in Redis (restarted or flushed?): registered again');
    },
    onError: (err) => logger.warn({ err: (err as Error)?.message }, 'checking the schedules failed; trying again'),
  });
  logger.info({ queues: running.workers.map((w) => w.name) }, 'worker started');

  return {
    logger,
    close: async () => {
      logger.info('worker shutting down: waiting for running jobs');
      stopKeepingSchedules();
      await running.close();
      await jobs.close();
      if (!options.db) await db.$disconnect();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const worker = await startWorker();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      worker.close().then(
        () => process.exit(0),
        (err) => {
          worker.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
