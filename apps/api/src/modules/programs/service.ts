import { deriveAmountLabel, validatePattern } from '@codetrack/core';
import type { CreateProgramInput, Program as ProgramDto, UpdateProgramInput } from '@codetrack/contracts';
import type { Program, TenantDb } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import { afterCursor, decodeCursor, pageFrom } from '../../lib/cursor.ts';
import { AppError, badRequest, notFound } from '../../lib/errors.ts';
import { toIso } from '../../lib/schemas.ts';
import type { Principal } from '../../plugins/auth.ts';

export function toProgramDto(p: Program): ProgramDto {
  return {
    id: p.id,
    name: p.name,
    currency: p.currency,
    landingUrl: p.landingUrl,
    cookieLifetimeDays: p.cookieLifetimeDays,
    commission: { type: p.commissionType, value: p.commissionValue, duration: p.commissionDuration, durationMonths: p.commissionDurationMonths },
    holdPeriodDays: p.holdPeriodDays,
    autoCode: { enabled: p.autoCodeEnabled, couponId: p.autoCodeCouponId, pattern: p.autoCodePattern },
    portal: { logoUrl: p.portalLogoUrl, accentColor: p.portalAccentColor },
    status: p.status,
    createdAt: toIso(p.createdAt),
    updatedAt: toIso(p.updatedAt),
  };
}

/** Loads a program of the caller's workspace or answers 404 (also for other workspaces' ids). */
export async function findProgramOrThrow(db: TenantDb, programId: string) {
  const program = await db.program.findUnique({ where: { id: programId } });
  if (!program) throw notFound('Program');
  return program;
}

/** Like findProgramOrThrow, but an archived program cannot be changed. */
export async function findActiveProgramOrThrow(db: TenantDb, programId: string) {
  const program = await findProgramOrThrow(db, programId);
  if (program.status === 'archived') throw new AppError(409, 'program_archived', 'This program is archived; unarchive it first');
  return program;
}

async function checkAutoCode(db: TenantDb, programId: string | null, autoCode: CreateProgramInput['autoCode'] | undefined) {
  if (!autoCode?.enabled) return;
  const coupon = autoCode.couponId ? await db.coupon.findUnique({ where: { id: autoCode.couponId } }) : null;
  if (!coupon || coupon.programId !== programId || coupon.status !== 'active') {
    throw badRequest('invalid_coupon', 'The auto-code coupon must be an active coupon of this program', [{ path: 'body.autoCode.couponId', message: 'is not an active coupon of this program' }]);
  }
  const problems = validatePattern(autoCode.pattern ?? '', { partnerCount: 2, amountLabel: deriveAmountLabel(coupon) });
  if (problems.length) {
    throw badRequest('invalid_pattern', `The code pattern is not valid: ${problems.map((p) => p.message).join(' ')}`, problems.map((p) => ({ path: 'body.autoCode.pattern', message: p.message })));
  }
}

function toColumns(input: UpdateProgramInput) {
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
    ...(input.landingUrl !== undefined ? { landingUrl: input.landingUrl } : {}),
    ...(input.cookieLifetimeDays !== undefined ? { cookieLifetimeDays: input.cookieLifetimeDays } : {}),
    ...(input.holdPeriodDays !== undefined ? { holdPeriodDays: input.holdPeriodDays } : {}),
    ...(input.commission
      ? {
          commissionType: input.commission.type,
          commissionValue: input.commission.value,
          commissionDuration: input.commission.duration,
          commissionDurationMonths: input.commission.durationMonths,
        }
      : {}),
    ...(input.autoCode
      ? { autoCodeEnabled: input.autoCode.enabled, autoCodeCouponId: input.autoCode.couponId, autoCodePattern: input.autoCode.pattern }
      : {}),
    ...(input.portal ? { portalLogoUrl: input.portal.logoUrl, portalAccentColor: input.portal.accentColor } : {}),
  };
}

export async function createProgram(db: TenantDb, actor: Principal, input: CreateProgramInput) {
  // A new program has no coupons yet, so auto-codes can only be switched on by an update.
  if (input.autoCode.enabled) await checkAutoCode(db, null, input.autoCode);
  return db.$transaction(async (tx) => {
    const program = await tx.program.create({
      data: { workspaceId: actor.workspaceId, ...toColumns(input) } as never,
    });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'program.created', entityType: 'program', entityId: program.id, data: { name: program.name } });
    return toProgramDto(program);
  });
}

export async function updateProgramOrThrow(db: TenantDb, actor: Principal, programId: string, input: UpdateProgramInput) {
  await findActiveProgramOrThrow(db, programId);
  await checkAutoCode(db, programId, input.autoCode);
  return db.$transaction(async (tx) => {
    const program = await tx.program.update({ where: { id: programId }, data: toColumns(input) });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'program.updated', entityType: 'program', entityId: programId, data: input as Record<string, unknown> });
    return toProgramDto(program);
  });
}

export async function setProgramStatusOrThrow(db: TenantDb, actor: Principal, programId: string, status: 'active' | 'archived') {
  await findProgramOrThrow(db, programId);
  return db.$transaction(async (tx) => {
    const program = await tx.program.update({ where: { id: programId }, data: { status } });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: status === 'archived' ? 'program.archived' : 'program.unarchived', entityType: 'program', entityId: programId });
    return toProgramDto(program);
  });
}

export async function listPrograms(db: TenantDb, query: { status?: 'active' | 'archived' | undefined; cursor?: string | undefined; limit: number }) {
  const rows = await db.program.findMany({
    where: { ...afterCursor(decodeCursor(query.cursor)), ...(query.status ? { status: query.status } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const page = pageFrom(rows, query.limit);
  return { items: page.items.map(toProgramDto), nextCursor: page.nextCursor };
}
