import { drainConnectionJob, processWebhookJob, runBulkJob } from '@codetrack/contracts';
import type { Db } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';

const batchSize = 500;

/**
 * Re-enqueues outbox rows left behind: SyncLinks still pending, webhook events still waiting to
 * be processed and bulk jobs still queued. Job ids are derived from the row, so a row that is already queued is not
 * queued twice. This is what makes a Redis outage delay work instead of losing it.
 */
export async function sweepOutbox(input: { db: Db; jobs: JobProducer; olderThanMs: number; now?: Date }) {
  const cutoff = new Date((input.now ?? new Date()).getTime() - input.olderThanMs);
  let webhookEvents = 0;

  // Pending sync work is drained per connection: one job however many links wait.
  const connections = await input.db.syncLink.groupBy({ by: ['connectionId'], where: { state: 'pending', updatedAt: { lte: cutoff } }, _count: { _all: true } });
  await input.jobs.enqueueMany(drainConnectionJob, connections.map((c) => ({ connectionId: c.connectionId })));
  const syncLinks = connections.reduce((n, c) => n + c._count._all, 0);

  for (let after = ''; ; ) {
    const rows = await input.db.webhookEvent.findMany({
      where: { status: { in: ['received', 'waiting'] }, receivedAt: { lte: cutoff }, id: { gt: after } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: batchSize,
    });
    // One round trip per page (addBulk), not one per event: a large backlog after a Redis restart.
    await input.jobs.enqueueMany(processWebhookJob, rows.map((row) => ({ webhookEventId: row.id })));
    webhookEvents += rows.length;
    if (rows.length < batchSize) break;
    after = rows.at(-1)!.id;
  }

  const bulkJobs = await input.db.bulkJob.findMany({ where: { status: 'queued', updatedAt: { lte: cutoff } }, select: { id: true }, take: batchSize });
  await input.jobs.enqueueMany(runBulkJob, bulkJobs.map((row) => ({ bulkJobId: row.id })));

  return { syncLinks, webhookEvents, bulkJobs: bulkJobs.length };
}
