import { describeDiscount, platformRestrictionSupport, RESTRICTION_NAMES } from '@codetrack/core';
import type { Coupon as CouponDto, CreateCouponInput, DefaultRestrictions, UpdateCouponInput } from '@codetrack/contracts';
import { enqueueSyncLinks, markCodesPending, markCouponPending, type TenantDb } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import type { FastifyBaseLogger } from 'fastify';
import { recordAudit } from '../../lib/audit.ts';
import { AppError, badRequest, notFound } from '../../lib/errors.ts';
import { toIso } from '../../lib/schemas.ts';
import type { Principal } from '../../plugins/auth.ts';
import { findActiveProgramOrThrow, findProgramOrThrow } from '../programs/service.ts';

type Platform = 'stripe' | 'paddle' | 'woocommerce' | 'shopify';
export type SyncDeps = { jobs: JobProducer; log: FastifyBaseLogger };

const couponInclude = { connections: { include: { connection: { select: { id: true, platform: true } } } }, _count: { select: { promotionCodes: { where: { deletedAt: null } } } } } as const;

type CouponRow = Awaited<ReturnType<typeof loadCoupon>>;

function loadCoupon(db: TenantDb, couponId: string) {
  return db.coupon.findUnique({ where: { id: couponId }, include: couponInclude });
}

/** A coupon of the caller's workspace (404 otherwise), with its connections. */
export async function findCouponOrThrow(db: TenantDb, couponId: string) {
  const coupon = await loadCoupon(db, couponId);
  if (!coupon) throw notFound('Coupon');
  return coupon;
}

/** Platforms a coupon's codes sync to, for the per-platform code checks. */
export function platformsOf(coupon: NonNullable<CouponRow>): Platform[] {
  return [...new Set(coupon.connections.map((c) => c.connection.platform))];
}

export function toCouponDto(c: NonNullable<CouponRow>): CouponDto {
  const defaults = (c.defaultRestrictions ?? {}) as DefaultRestrictions;
  return {
    id: c.id,
    programId: c.programId,
    name: c.name,
    discountType: c.discountType,
    percentOffBps: c.percentOffBps,
    amountOff: c.amountOff,
    currency: c.currency,
    duration: c.duration,
    durationInMonths: c.durationInMonths,
    defaultRestrictions: defaults,
    connectionIds: c.connections.map((x) => x.connectionId),
    enforcement: c.connections.map((x) => ({
      connectionId: x.connectionId,
      platform: x.connection.platform,
      restrictions: Object.fromEntries(
        RESTRICTION_NAMES.map((name) => [name, platformRestrictionSupport[x.connection.platform][name] ? 'platform' : 'attribution']),
      ) as CouponDto['enforcement'][number]['restrictions'],
    })),
    description: describeDiscount({
      discountType: c.discountType,
      percentOffBps: c.percentOffBps,
      amountOff: c.amountOff,
      currency: c.currency,
      duration: c.duration,
      durationInMonths: c.durationInMonths,
      restrictions: {
        firstTimeOnly: defaults.firstTimeOnly ?? false,
        minimumAmount: defaults.minimumAmount ?? null,
        minimumAmountCurrency: c.currency,
        expiresAt: defaults.expiresAt ? new Date(defaults.expiresAt) : null,
        maxRedemptions: defaults.maxRedemptions ?? null,
      },
      timesRedeemed: 0,
    }),
    status: c.status,
    codesCount: c._count.promotionCodes,
    createdAt: toIso(c.createdAt),
    updatedAt: toIso(c.updatedAt),
  };
}

async function checkConnections(db: TenantDb, programId: string, connectionIds: string[]) {
  if (connectionIds.length === 0) return;
  const found = await db.connection.findMany({ where: { id: { in: connectionIds }, programId, status: { not: 'disabled' } }, select: { id: true } });
  const known = new Set(found.map((c) => c.id));
  const missing = connectionIds.filter((id) => !known.has(id));
  if (missing.length) {
    throw badRequest('invalid_connection', 'Every connection must be an active connection of this program', missing.map((id) => ({ path: 'body.connectionIds', message: `${id} is not a connection of this program` })));
  }
}

export async function createCoupon(db: TenantDb, deps: SyncDeps, actor: Principal, programId: string, input: CreateCouponInput) {
  const program = await findActiveProgramOrThrow(db, programId);
  const connectionIds = [...new Set(input.connectionIds)];
  await checkConnections(db, program.id, connectionIds);
  const { coupon, syncLinkIds } = await db.$transaction(async (tx) => {
    const row = await tx.coupon.create({
      data: {
        workspaceId: actor.workspaceId,
        programId,
        name: input.name,
        discountType: input.discountType,
        percentOffBps: input.percentOffBps ?? null,
        amountOff: input.amountOff ?? null,
        currency: input.currency ?? null,
        duration: input.duration,
        durationInMonths: input.durationInMonths ?? null,
        defaultRestrictions: input.defaultRestrictions,
        connections: { create: connectionIds.map((connectionId) => ({ workspaceId: actor.workspaceId, connectionId })) },
      },
    });
    const ids = await markCouponPending(tx, { workspaceId: actor.workspaceId, couponId: row.id, connectionIds });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'coupon.created', entityType: 'coupon', entityId: row.id, data: { name: row.name } });
    return { coupon: row, syncLinkIds: ids };
  });
  await enqueueSyncLinks(deps.jobs, syncLinkIds, (err) => deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
  return toCouponDto(await findCouponOrThrow(db, coupon.id));
}

const discountKeys = ['discountType', 'percentOffBps', 'amountOff', 'currency', 'duration', 'durationInMonths'] as const;

/**
 * Changing a coupon. A discount (type, amount, currency, duration) cannot change on a coupon that
 * already exists on Stripe: Stripe only lets a coupon's name and metadata change. Rather than
 * silently replacing objects behind the merchant's back, we answer 409 and say what to do.
 */
export async function updateCouponOrThrow(db: TenantDb, deps: SyncDeps, actor: Principal, couponId: string, input: UpdateCouponInput) {
  const existing = await findCouponOrThrow(db, couponId);
  await findActiveProgramOrThrow(db, existing.programId);
  if (existing.status === 'archived') throw new AppError(409, 'coupon_archived', 'This coupon is archived');
  const merged = { ...existing, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as typeof existing;
  const discountChanged = discountKeys.some((k) => input[k] !== undefined && input[k] !== existing[k]);
  if (merged.discountType === 'percent' && merged.percentOffBps == null) throw badRequest('validation_failed', 'A percent coupon needs percentOffBps', [{ path: 'body.percentOffBps', message: 'is required for a percent discount' }]);
  if (merged.discountType === 'fixed' && (merged.amountOff == null || merged.currency == null)) throw badRequest('validation_failed', 'A fixed coupon needs amountOff and currency', [{ path: 'body.amountOff', message: 'is required for a fixed discount' }]);
  if (discountChanged) {
    const onStripe = await db.syncLink.count({ where: { couponId, entityType: 'coupon', platformId: { not: null }, connection: { platform: 'stripe' } } });
    if (onStripe > 0) {
      throw new AppError(
        409,
        'coupon_discount_locked',
        'This coupon already exists on Stripe, where a coupon\'s discount cannot be changed. Create a new coupon with the new discount and give partners codes on it; this coupon and its codes keep working until you disable them.',
      );
    }
  }
  const nextConnections = input.connectionIds ? [...new Set(input.connectionIds)] : existing.connections.map((c) => c.connectionId);
  await checkConnections(db, existing.programId, nextConnections);
  const previousConnections = existing.connections.map((c) => c.connectionId);
  const added = nextConnections.filter((id) => !previousConnections.includes(id));
  const removed = previousConnections.filter((id) => !nextConnections.includes(id));

  const syncLinkIds = await db.$transaction(async (tx) => {
    await tx.coupon.update({
      where: { id: couponId },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...Object.fromEntries(discountKeys.filter((k) => input[k] !== undefined).map((k) => [k, input[k]])),
        ...(input.defaultRestrictions ? { defaultRestrictions: input.defaultRestrictions } : {}),
        version: { increment: 1 },
      },
    });
    if (removed.length) await tx.couponConnection.deleteMany({ where: { couponId, connectionId: { in: removed } } });
    if (added.length) await tx.couponConnection.createMany({ data: added.map((connectionId) => ({ workspaceId: actor.workspaceId, couponId, connectionId })) });
    const ids = await markCouponPending(tx, { workspaceId: actor.workspaceId, couponId, connectionIds: [...nextConnections, ...removed] });
    // Codes carry the discount on platforms without a parent coupon, and new or removed connections
    // need every code created or deactivated there.
    const codeConnections = discountChanged || input.name !== undefined ? [...nextConnections, ...removed] : [...added, ...removed];
    if (codeConnections.length) {
      const codes = await tx.promotionCode.findMany({ where: { couponId, deletedAt: null }, select: { id: true } });
      ids.push(...(await markCodesPending(tx, { workspaceId: actor.workspaceId, codeIds: codes.map((c) => c.id), connectionIds: codeConnections })));
    }
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'coupon.updated', entityType: 'coupon', entityId: couponId, data: input as Record<string, unknown> });
    return ids;
  });
  await enqueueSyncLinks(deps.jobs, syncLinkIds, (err) => deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
  return toCouponDto(await findCouponOrThrow(db, couponId));
}

/** Archiving a coupon deactivates its codes on every platform; they stay reserved here. */
export async function archiveCouponOrThrow(db: TenantDb, deps: SyncDeps, actor: Principal, couponId: string) {
  const existing = await findCouponOrThrow(db, couponId);
  const connectionIds = existing.connections.map((c) => c.connectionId);
  const syncLinkIds = await db.$transaction(async (tx) => {
    await tx.coupon.update({ where: { id: couponId }, data: { status: 'archived', version: { increment: 1 } } });
    const codes = await tx.promotionCode.findMany({ where: { couponId, deletedAt: null }, select: { id: true } });
    const ids = await markCodesPending(tx, { workspaceId: actor.workspaceId, codeIds: codes.map((c) => c.id), connectionIds });
    ids.push(...(await markCouponPending(tx, { workspaceId: actor.workspaceId, couponId, connectionIds })));
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'coupon.archived', entityType: 'coupon', entityId: couponId });
    return ids;
  });
  await enqueueSyncLinks(deps.jobs, syncLinkIds, (err) => deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
  return toCouponDto(await findCouponOrThrow(db, couponId));
}

export async function listCoupons(db: TenantDb, programId: string) {
  await findProgramOrThrow(db, programId);
  const rows = await db.coupon.findMany({ where: { programId }, include: couponInclude, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  return rows.map(toCouponDto);
}
