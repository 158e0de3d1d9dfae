import { InvalidPatternError, validatePattern, deriveAmountLabel } from '@codetrack/core';
import { runBulkJob, type BulkJob as BulkJobDto, type GenerateCodesInput } from '@codetrack/contracts';
import { planCodeGeneration, type BulkJob, type TenantDb } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import { AppError, badRequest, notFound } from '../../lib/errors.ts';
import { toIso, toIsoOrNull } from '../../lib/schemas.ts';
import type { Principal } from '../../plugins/auth.ts';
import { findCouponOrThrow, type SyncDeps } from '../coupons/service.ts';
import { findActiveProgramOrThrow } from '../programs/service.ts';

const previewSize = 20;

function patternError(problems: { message: string }[]) {
  return badRequest('invalid_pattern', `The code pattern is not valid: ${problems.map((p) => p.message).join(' ')}`, problems.map((p) => ({ path: 'body.pattern', message: p.message })));
}

async function loadGenerationContext(db: TenantDb, couponId: string, input: GenerateCodesInput) {
  const coupon = await findCouponOrThrow(db, couponId);
  if (coupon.status === 'archived') throw new AppError(409, 'coupon_archived', 'This coupon is archived; codes cannot be added to it');
  await findActiveProgramOrThrow(db, coupon.programId);
  // Checked first for any partner count, so a bad pattern is a 400 before anything is loaded.
  const problems = validatePattern(input.pattern, { partnerCount: 2, amountLabel: deriveAmountLabel(coupon) });
  if (problems.length) throw patternError(problems);
  return { coupon, seed: input.seed ?? `${coupon.id}:${input.pattern}` };
}

/** Shows the first codes and every collision a generation would produce, writing nothing. */
export async function previewGeneration(db: TenantDb, couponId: string, input: GenerateCodesInput) {
  const { coupon, seed } = await loadGenerationContext(db, couponId, input);
  try {
    const plan = await planCodeGeneration(db, { coupon, pattern: input.pattern, partners: input.partners, seed });
    const sample = plan.result.results.slice(0, previewSize);
    const partners = await db.partner.findMany({ where: { id: { in: sample.map((r) => r.partnerId) } }, select: { id: true, name: true } });
    const names = new Map(partners.map((p) => [p.id, p.name]));
    return {
      total: plan.result.results.length,
      skipped: plan.skipped,
      sample: sample.map((r) => ({ ...r, partnerName: names.get(r.partnerId) ?? '' })),
      collisions: plan.result.collisions,
      failures: plan.result.failures,
    };
  } catch (err) {
    if (err instanceof InvalidPatternError) throw patternError(err.problems);
    throw err;
  }
}

export function toJobDto(j: BulkJob): BulkJobDto {
  return {
    id: j.id,
    type: j.type,
    status: j.status,
    total: j.total,
    done: j.done,
    failed: j.failed,
    result: j.result ?? null,
    error: j.error,
    createdAt: toIso(j.createdAt),
    updatedAt: toIso(j.updatedAt),
    finishedAt: toIsoOrNull(j.finishedAt),
  };
}

/** Starts generation as a background job; progress is read at GET /api/jobs/{jobId}. */
export async function startGeneration(db: TenantDb, deps: SyncDeps, actor: Principal, couponId: string, input: GenerateCodesInput) {
  const { coupon, seed } = await loadGenerationContext(db, couponId, input);
  const job = await db.$transaction(async (tx) => {
    const row = await tx.bulkJob.create({
      data: {
        workspaceId: actor.workspaceId,
        programId: coupon.programId,
        type: 'generate_codes',
        params: { couponId, pattern: input.pattern, partners: input.partners, restrictions: input.restrictions, seed },
        createdById: actor.kind === 'user' ? actor.userId : null,
      },
    });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'promotion_codes.generation_started', entityType: 'coupon', entityId: couponId, data: { jobId: row.id, pattern: input.pattern } });
    return row;
  });
  try {
    await deps.jobs.enqueue(runBulkJob, { bulkJobId: job.id });
  } catch (err) {
    deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry');
  }
  return toJobDto(job);
}

export async function findJobOrThrow(db: TenantDb, jobId: string) {
  const job = await db.bulkJob.findUnique({ where: { id: jobId } });
  if (!job) throw notFound('Job');
  return toJobDto(job);
}
