import { z } from 'zod';
import { GenerateCodesInput, type DefaultRestrictions } from '@codetrack/contracts';
import { enqueueSyncLinks, planCodeGeneration, resolveRestrictions, scopeToWorkspace, writeGeneratedCodes, type BulkJob, type Db } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import type { Logger } from 'pino';

const GenerateParams = GenerateCodesInput.extend({ couponId: z.string(), seed: z.string() });

/**
 * Bulk generation, run by the worker: plan (pure, deterministic) then write everything in one
 * transaction, reporting progress on the job row as it goes. Partners that already have a code on
 * the coupon are skipped, so a re-run (or a retry after a crash) creates nothing twice.
 */
export async function generateCodes(input: { db: Db; jobs: JobProducer; logger: Logger; job: BulkJob }) {
  const { db, job } = input;
  const params = GenerateParams.parse(job.params);
  const tenant = scopeToWorkspace(db, job.workspaceId);
  const coupon = await tenant.coupon.findUnique({ where: { id: params.couponId }, include: { connections: true, program: true } });
  if (!coupon) throw new Error(`coupon ${params.couponId} no longer exists`);

  // Only the outcome is kept: the partner rows of the plan can be collected before writing.
  const { result, skipped } = await planCodeGeneration(tenant, { coupon, pattern: params.pattern, partners: params.partners, seed: params.seed });
  const total = result.results.length + result.failures.length;
  await db.bulkJob.update({ where: { id: job.id }, data: { status: 'running', total, done: 0, failed: 0 } });

  const restrictions = resolveRestrictions(coupon.defaultRestrictions as DefaultRestrictions, params.restrictions, coupon.currency ?? coupon.program.currency);
  const written = await writeGeneratedCodes(tenant, {
    workspaceId: job.workspaceId,
    coupon,
    codes: result.results,
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
      failed: result.failures.length,
      finishedAt: new Date(),
      result: { created: written.created, skipped, collisions: result.collisions.length, failures: result.failures.map((f) => ({ ...f })) },
    },
  });
  const connectionIds = coupon.connections.map((c) => c.connectionId);
  await enqueueSyncLinks(input.jobs, written.syncLinks ?? { connectionIds }, (err) => input.logger.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
  return { created: written.created };
}
