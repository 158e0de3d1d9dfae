import { approveCommissionsJob, queues } from '@codetrack/contracts';
import type { Db } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';

const batchSize = 1000;

/**
 * Approves pending earnings whose hold period is over, unless their sale was refunded in full or
 * cancelled (those earnings are reversed, never paid). Batches of rows locked with SKIP LOCKED, so
 * two workers running it at once split the work instead of waiting on each other.
 */
export async function approveCommissions(input: { db: Db; now?: Date }): Promise<{ approved: number }> {
  const now = input.now ?? new Date();
  let approved = 0;
  for (;;) {
    const count = await input.db.$executeRaw`
      WITH due AS (
        SELECT c."id" FROM "Commission" c JOIN "Sale" s ON s."id" = c."saleId"
        WHERE c."status" = 'pending' AND c."kind" = 'earning' AND c."holdUntil" <= ${now}::timestamptz
          AND s."status" NOT IN ('refunded', 'cancelled')
        ORDER BY c."holdUntil"
        LIMIT ${batchSize}
        FOR UPDATE OF c SKIP LOCKED
      )
      UPDATE "Commission" SET "status" = 'approved', "approvedAt" = ${now}::timestamptz
      FROM due WHERE "Commission"."id" = due."id"`;
    approved += count;
    if (count < batchSize) return { approved };
  }
}

/** Registers the repeatable approval run (idempotent: the scheduler id is fixed). */
export async function scheduleCommissionApproval(jobs: JobProducer, input: { everyMs: number }) {
  await jobs
    .queue(queues.maintenance)
    .upsertJobScheduler('approve-commissions', { every: input.everyMs }, { name: approveCommissionsJob.name, data: {}, opts: approveCommissionsJob.options });
}
