import { generateRandomCode, normalizeCode } from '@codetrack/core';
import type { CodeCheck, CreatePromotionCodeInput, DefaultRestrictions, CodeRestrictionsInput, PromotionCode as PromotionCodeDto } from '@codetrack/contracts';
import { checkRestrictionValues, enqueueSyncLinks, markCodesPending, Prisma, resolveRestrictions, type TenantDb } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import { afterCursor, decodeCursor, pageFrom } from '../../lib/cursor.ts';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.ts';
import { toIso, toIsoOrNull } from '../../lib/schemas.ts';
import type { Principal } from '../../plugins/auth.ts';
import { findCouponOrThrow, platformsOf, type SyncDeps } from '../coupons/service.ts';
import { findActiveProgramOrThrow, findProgramOrThrow } from '../programs/service.ts';
import { findCodeProblems, suggestCodes } from './checks.ts';

const codeInclude = {
  partner: { select: { id: true, name: true, email: true } },
  syncLinks: { include: { connection: { select: { platform: true } } }, orderBy: { createdAt: 'asc' as const } },
} as const;

type CodeRow = Prisma.PromotionCodeGetPayload<{ include: typeof codeInclude }>;

export function toCodeDto(c: CodeRow): PromotionCodeDto {
  return {
    id: c.id,
    programId: c.programId,
    couponId: c.couponId,
    code: c.code,
    normalizedCode: c.normalizedCode,
    partner: c.partner,
    restrictions: {
      firstTimeOnly: c.firstTimeOnly,
      minimumAmount: c.minimumAmount,
      minimumAmountCurrency: c.minimumAmountCurrency,
      expiresAt: toIsoOrNull(c.expiresAt),
      maxRedemptions: c.maxRedemptions,
    },
    timesRedeemed: c.timesRedeemed,
    status: c.deletedAt ? 'deleted' : c.status,
    disabledReason: c.disabledReason,
    source: c.source,
    sync: c.syncLinks.map((s) => ({
      connectionId: s.connectionId,
      platform: s.connection.platform,
      state: s.state,
      platformId: s.platformId,
      lastError: s.lastError,
      lastSyncedAt: toIsoOrNull(s.lastSyncedAt),
    })),
    createdAt: toIso(c.createdAt),
    updatedAt: toIso(c.updatedAt),
  };
}

export async function findCodeOrThrow(db: TenantDb, codeId: string) {
  const code = await db.promotionCode.findUnique({ where: { id: codeId }, include: codeInclude });
  if (!code) throw notFound('Promotion code');
  return code;
}

async function findPartnerInProgramOrThrow(db: TenantDb, programId: string, partnerId: string) {
  const partner = await db.partner.findUnique({ where: { id: partnerId } });
  if (!partner || partner.programId !== programId) {
    throw badRequest('invalid_partner', 'The partner must belong to this program', [{ path: 'body.partnerId', message: 'is not a partner of this program' }]);
  }
  return partner;
}

async function reservedWordsOf(db: TenantDb) {
  return (await db.workspace.findFirstOrThrow({ select: { reservedWords: true } })).reservedWords;
}

/** Live check for the code field: format, platforms, reserved words, and whether it is free. */
export async function checkCode(db: TenantDb, couponId: string, code: string): Promise<CodeCheck> {
  const coupon = await findCouponOrThrow(db, couponId);
  const platforms = platformsOf(coupon);
  const reserved = await reservedWordsOf(db);
  const normalizedCode = normalizeCode(code);
  const problems = findCodeProblems(code, platforms, reserved);
  if (problems.length === 0) {
    const existing = await db.promotionCode.findUnique({ where: { workspaceId_normalizedCode: { workspaceId: coupon.workspaceId, normalizedCode } }, select: { id: true } });
    if (existing) problems.push({ code: 'promotion_code_taken', message: `The code ${normalizedCode} is already in use in this workspace (codes stay reserved after they are disabled or deleted).` });
  }
  const suggestions = problems.some((p) => p.code === 'promotion_code_taken') ? await suggestCodes(db, code, platforms, reserved) : [];
  return { ok: problems.length === 0, normalizedCode, problems, suggestions };
}

function invalidCode(problems: CodeCheck['problems']): AppError {
  const platformProblem = problems.find((p) => p.platform);
  const code = platformProblem && problems.length === 1 ? 'code_rejected_by_platform' : problems.some((p) => p.code === 'reserved_word') && problems.length === 1 ? 'code_reserved_word' : 'invalid_code';
  return badRequest(code, problems.map((p) => p.message).join(' '), problems.map((p) => ({ path: 'body.code', message: p.message })));
}

/**
 * Creates one code. Uniqueness is decided by the database's unique index on (workspace,
 * normalised code), not by a look-up first, so two requests racing for the same code get one
 * 201 and one 409, whatever their case.
 */
export async function createPromotionCode(db: TenantDb, deps: SyncDeps, actor: Principal, couponId: string, input: CreatePromotionCodeInput, source: 'manual' | 'auto' = 'manual') {
  const coupon = await findCouponOrThrow(db, couponId);
  if (coupon.status === 'archived') throw new AppError(409, 'coupon_archived', 'This coupon is archived; codes cannot be added to it');
  const program = await findActiveProgramOrThrow(db, coupon.programId);
  if (input.partnerId) await findPartnerInProgramOrThrow(db, coupon.programId, input.partnerId);
  const platforms = platformsOf(coupon);
  const reserved = await reservedWordsOf(db);
  const generated = !input.code;
  const typed = input.code || generateRandomCode({ length: 8 });
  const problems = findCodeProblems(typed, platforms, reserved);
  if (problems.length) throw invalidCode(problems);
  const restrictions = resolveRestrictions(coupon.defaultRestrictions as DefaultRestrictions, input.restrictions, coupon.currency ?? program.currency);
  const restrictionProblems = checkRestrictionValues(restrictions);
  if (restrictionProblems.length) throw badRequest('validation_failed', `Invalid request: ${restrictionProblems.map((p) => `${p.path} ${p.message}`).join('; ')}`, restrictionProblems);
  const connectionIds = coupon.connections.map((c) => c.connectionId);

  try {
    const { id, syncLinkIds } = await db.$transaction(async (tx) => {
      const row = await tx.promotionCode.create({
        data: {
          workspaceId: actor.workspaceId,
          programId: coupon.programId,
          couponId,
          code: typed,
          normalizedCode: normalizeCode(typed),
          partnerId: input.partnerId ?? null,
          ...restrictions,
          source,
        },
      });
      if (row.partnerId) await tx.promotionCodeAssignment.create({ data: { workspaceId: actor.workspaceId, promotionCodeId: row.id, partnerId: row.partnerId, actorId: actorIdOf(actor) } });
      const ids = await markCodesPending(tx, { workspaceId: actor.workspaceId, codeIds: [row.id], connectionIds });
      await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'promotion_code.created', entityType: 'promotion_code', entityId: row.id, data: { code: row.normalizedCode, partnerId: row.partnerId } });
      return { id: row.id, syncLinkIds: ids };
    });
    await enqueueSyncLinks(deps.jobs, syncLinkIds, (err) => deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
    return toCodeDto(await findCodeOrThrow(db, id));
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      if (generated) return createPromotionCode(db, deps, actor, couponId, input, source);
      const normalized = normalizeCode(typed);
      throw conflict('promotion_code_taken', `The code ${normalized} is already in use in this workspace. Codes are unique across all coupons and stay reserved after they are disabled or deleted.`, await suggestCodes(db, typed, platforms, reserved));
    }
    throw err;
  }
}

function actorIdOf(actor: Principal) {
  return actor.kind === 'user' ? actor.userId : actor.kind === 'api_key' ? actor.apiKeyId : actor.kind === 'partner' ? actor.partnerId : null;
}

/** Applies a change to one code and marks it for sync on every connection of its coupon. */
async function changeCode(db: TenantDb, deps: SyncDeps, actor: Principal, codeId: string, action: string, change: (code: CodeRow, tx: TenantDb) => Promise<Prisma.PromotionCodeUpdateInput | null>) {
  const code = await findCodeOrThrow(db, codeId);
  if (code.deletedAt) throw new AppError(409, 'promotion_code_deleted', 'This code was deleted; it stays reserved but cannot change');
  const coupon = await findCouponOrThrow(db, code.couponId);
  const connectionIds = coupon.connections.map((c) => c.connectionId);
  const syncLinkIds = await db.$transaction(async (tx) => {
    const data = await change(code, tx as unknown as TenantDb);
    if (!data) return [];
    await tx.promotionCode.update({ where: { id: codeId }, data: { ...data, version: { increment: 1 } } });
    const ids = await markCodesPending(tx, { workspaceId: actor.workspaceId, codeIds: [codeId], connectionIds });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action, entityType: 'promotion_code', entityId: codeId, data: data as Record<string, unknown> });
    return ids;
  });
  await enqueueSyncLinks(deps.jobs, syncLinkIds, (err) => deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
  return toCodeDto(await findCodeOrThrow(db, codeId));
}

export function updateCodeRestrictions(db: TenantDb, deps: SyncDeps, actor: Principal, codeId: string, input: CodeRestrictionsInput) {
  return changeCode(db, deps, actor, codeId, 'promotion_code.updated', async (code) => {
    const current = {
      firstTimeOnly: code.firstTimeOnly,
      minimumAmount: code.minimumAmount,
      expiresAt: code.expiresAt?.toISOString() ?? null,
      maxRedemptions: code.maxRedemptions,
    };
    const next = resolveRestrictions(current, input, code.minimumAmountCurrency ?? (await findProgramOrThrow(db, code.programId)).currency);
    const problems = checkRestrictionValues(next);
    if (problems.length) throw badRequest('validation_failed', `Invalid request: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
    return next;
  });
}

export function assignCode(db: TenantDb, deps: SyncDeps, actor: Principal, codeId: string, partnerId: string | null) {
  return changeCode(db, deps, actor, codeId, 'promotion_code.assigned', async (code, tx) => {
    if (code.partnerId === partnerId) return null;
    if (partnerId) await findPartnerInProgramOrThrow(db, code.programId, partnerId);
    // History: close the current assignment and open a new one, never rewrite the old row.
    await tx.promotionCodeAssignment.updateMany({ where: { promotionCodeId: codeId, unassignedAt: null }, data: { unassignedAt: new Date() } });
    if (partnerId) await tx.promotionCodeAssignment.create({ data: { workspaceId: code.workspaceId, promotionCodeId: codeId, partnerId, actorId: actorIdOf(actor) } });
    return { partner: partnerId ? { connect: { id: partnerId } } : { disconnect: true } };
  });
}

export function disableCode(db: TenantDb, deps: SyncDeps, actor: Principal, codeId: string, reason: string | undefined) {
  return changeCode(db, deps, actor, codeId, 'promotion_code.disabled', async (code) =>
    code.status === 'disabled' ? null : { status: 'disabled', disabledReason: reason ?? 'Disabled by the merchant' },
  );
}

export function enableCode(db: TenantDb, deps: SyncDeps, actor: Principal, codeId: string) {
  return changeCode(db, deps, actor, codeId, 'promotion_code.enabled', async (code) => {
    if (code.status === 'active') return null;
    const coupon = await findCouponOrThrow(db, code.couponId);
    if (coupon.status === 'archived') throw new AppError(409, 'coupon_archived', 'The coupon of this code is archived');
    return { status: 'active', disabledReason: null };
  });
}

/** Soft delete: removed from every platform, kept here so the code stays reserved. */
export function deleteCode(db: TenantDb, deps: SyncDeps, actor: Principal, codeId: string) {
  return changeCode(db, deps, actor, codeId, 'promotion_code.deleted', async () => ({ deletedAt: new Date(), status: 'disabled', disabledReason: 'Deleted' }));
}

export async function listAssignments(db: TenantDb, codeId: string) {
  await findCodeOrThrow(db, codeId);
  const rows = await db.promotionCodeAssignment.findMany({ where: { promotionCodeId: codeId }, orderBy: [{ assignedAt: 'asc' }, { id: 'asc' }] });
  return rows.map((r) => ({ partnerId: r.partnerId, assignedAt: toIso(r.assignedAt), unassignedAt: toIsoOrNull(r.unassignedAt), actorId: r.actorId }));
}

type SearchFilter = {
  partnerId?: string | undefined;
  couponId?: string | undefined;
  status?: 'active' | 'disabled' | 'deleted' | undefined;
  syncState?: 'pending' | 'synced' | 'failed' | 'deleted' | undefined;
  prefix?: string | undefined;
};

function searchWhere(programId: string, f: SearchFilter): Prisma.PromotionCodeWhereInput {
  return {
    programId,
    ...(f.partnerId ? { partnerId: f.partnerId } : {}),
    ...(f.couponId ? { couponId: f.couponId } : {}),
    ...(f.status === 'deleted' ? { deletedAt: { not: null } } : f.status ? { status: f.status, deletedAt: null } : {}),
    ...(f.syncState ? { syncLinks: { some: { state: f.syncState } } } : {}),
    ...(f.prefix ? { normalizedCode: { startsWith: normalizeCode(f.prefix) } } : {}),
  };
}

/**
 * The total is counted exactly up to this many codes, then reported as "at least": an exact
 * count(*) over a million codes took 150-250 ms per page (pnpm bench:lists) and nobody reads past
 * the first thousands; the count stops at the cap instead.
 */
export const CODE_TOTAL_CAP = 10_000;

/** Codes of a program by partner, coupon, status, sync state and code prefix; keyset pages and a total (exact up to CODE_TOTAL_CAP). */
export async function searchCodes(db: TenantDb, programId: string, filter: SearchFilter & { cursor?: string | undefined; limit: number }) {
  await findProgramOrThrow(db, programId);
  const where = searchWhere(programId, filter);
  const [rows, counted] = await Promise.all([
    db.promotionCode.findMany({
      where: { ...where, ...afterCursor(decodeCursor(filter.cursor)) },
      include: codeInclude,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: filter.limit + 1,
    }),
    db.promotionCode.count({ where, take: CODE_TOTAL_CAP + 1 }),
  ]);
  const page = pageFrom(rows, filter.limit);
  return { items: page.items.map(toCodeDto), nextCursor: page.nextCursor, total: Math.min(counted, CODE_TOTAL_CAP), totalExact: counted <= CODE_TOTAL_CAP };
}
