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

  const plan = await planCodeGeneration(tenant, { coupon, pattern: params.pattern, partners: params.partners, seed: params.seed });
  const total = plan.result.results.length + plan.result.failures.length;
  await db.bulkJob.update({ where: { id: job.id }, data: { status: 'running', total, done: 0, failed: 0 } });

  const restrictions = resolveRestrictions(coupon.defaultRestrictions as DefaultRestrictions, params.restrictions, coupon.currency ?? coupon.program.currency);
  const written = await writeGeneratedCodes(tenant, {
    workspaceId: job.workspaceId,
    coupon,
    codes: plan.result.results,
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
      failed: plan.result.failures.length,
      finishedAt: new Date(),
      result: { created: written.created, skipped: plan.skipped, collisions: plan.result.collisions.length, failures: plan.result.failures.map((f) => ({ ...f })) },
    },
  });
  await enqueueSyncLinks(input.jobs, written.syncLinks, (err) => input.logger.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
  return { created: written.created };
}
