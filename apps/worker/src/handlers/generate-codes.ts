import { z } from 'zod';
import { GenerateCodesInput, type DefaultRestrictions } from '@codetrack/contracts';
import { countGenerationTargets, enqueueSyncLinks, generateCodesInPages, resolveRestrictions, scopeToWorkspace, type BulkJob, type Db } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import type { Logger } from 'pino';

const GenerateParams = GenerateCodesInput.extend({ couponId: z.string(), seed: z.string() });

/**
 * Bulk generation, run by the worker: partners are planned (deterministically) and written a page
 * at a time in one transaction, with progress on the job row as it goes. Partners that already
 * have a code on the coupon are skipped, so a re-run (or a retry after a crash) creates nothing
 * twice.
 */
export async function generateCodes(input: { db: Db; jobs: JobProducer; logger: Logger; job: BulkJob }) {
  const { db, job } = input;
  const params = GenerateParams.parse(job.params);
  const tenant = scopeToWorkspace(db, job.workspaceId);
  const coupon = await tenant.coupon.findUnique({ where: { id: params.couponId }, include: { connections: true, program: true } });
  if (!coupon) throw new Error(`coupon ${params.couponId} no longer exists`);

  const { matching, todo } = await countGenerationTargets(tenant, { coupon, partners: params.partners });
  await db.bulkJob.update({ where: { id: job.id }, data: { status: 'running', total: todo, done: 0, failed: 0 } });

  const restrictions = resolveRestrictions(coupon.defaultRestrictions as DefaultRestrictions, params.restrictions, coupon.currency ?? coupon.program.currency);
  const written = await generateCodesInPages(tenant, {
    workspaceId: job.workspaceId,
    coupon,
    pattern: params.pattern,
    partners: params.partners,
    seed: params.seed,
    partnerCount: todo,
    restrictions,
    connectionIds: coupon.connections.map((c) => c.connectionId),
    onProgress: async (done) => {
      // Outside the transaction on purpose: progress must be visible while the rows are not.
      await db.bulkJob.update({ where: { id: job.id }, data: { done } });
    },
  });

  await db.bulkJob.update({
    where: { id: job.id },
    data: {
      status: 'completed',
      done: written.created,
      failed: written.failures.length,
      finishedAt: new Date(),
      result: { created: written.created, skipped: matching - todo, collisions: written.collisions, failures: written.failures.map((f) => ({ ...f })) },
    },
  });
  const connectionIds = coupon.connections.map((c) => c.connectionId);
  await enqueueSyncLinks(input.jobs, written.syncLinks ?? { connectionIds }, (err) => input.logger.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
  return { created: written.created };
}
