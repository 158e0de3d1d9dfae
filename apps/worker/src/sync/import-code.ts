import { normalizeCode } from '@codetrack/core';
import { markCodesPending, Prisma, type PendingLink } from '@codetrack/db';
import { PlatformError, type PlatformCode } from '@codetrack/integrations';
import type { SyncContext } from './connection-context.ts';
import { computeBackoffMs } from './settings.ts';
import { platformName } from './specs.ts';

export type ImportOutcome =
  | { kind: 'created'; couponCreated: boolean; followUps: PendingLink[] }
  | { kind: 'linked'; followUps: PendingLink[] }
  | { kind: 'existing' }
  | { kind: 'skipped'; reason: string };

/** Coupon ids by discount (or by Stripe coupon id) within one import, so a page does not look them up again. */
export type CouponCache = Map<string, string>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries a platform read in place on retryable errors (the rate limiter already paused on 429s). */
export async function withPlatformRetries<T>(ctx: Pick<SyncContext, 'settings'>, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof PlatformError && error.retryable) || attempt >= ctx.settings.maxAttempts) throw error;
      await sleep(computeBackoffMs({ attempt, baseMs: ctx.settings.backoffBaseMs, maxMs: ctx.settings.backoffMaxMs, retryAfterMs: error.retryAfterMs }));
    }
  }
}

function describeDiscount(item: PlatformCode, currency: string): string {
  if (item.discountType === 'percent') return `${(item.percentOffBps ?? 0) / 100}% off`;
  return `${((item.amountOff ?? 0) / 100).toFixed(2)} ${currency} off`;
}

/** Our coupon for a platform discount: the Stripe coupon's twin, else an active coupon of this connection with the same discount, else a new one. */
async function findOrCreateCoupon(ctx: SyncContext, item: PlatformCode, cache: CouponCache): Promise<{ couponId: string; created: boolean }> {
  const { tenant, connection } = ctx;
  const program = await tenant.program.findUniqueOrThrow({ where: { id: connection.programId }, select: { currency: true } });
  const currency = (item.currency ?? program.currency).toUpperCase();
  const byStripeCoupon = ctx.adapter.capabilities.couponHoldsCodes && item.couponPlatformId !== null;
  const key = byStripeCoupon ? `platform:${item.couponPlatformId}` : `${item.discountType}:${item.percentOffBps ?? item.amountOff}:${item.discountType === 'fixed' ? currency : ''}`;
  const cached = cache.get(key);
  if (cached) return { couponId: cached, created: false };

  let couponId: string | null = null;
  if (byStripeCoupon) {
    const link = await tenant.syncLink.findFirst({ where: { connectionId: connection.id, entityType: 'coupon', platformId: item.couponPlatformId } });
    couponId = link?.entityId ?? null;
  } else {
    const match = await tenant.coupon.findFirst({
      where: {
        programId: connection.programId,
        status: 'active',
        discountType: item.discountType,
        ...(item.discountType === 'percent' ? { percentOffBps: item.percentOffBps } : { amountOff: item.amountOff, currency }),
        connections: { some: { connectionId: connection.id } },
      },
      orderBy: { createdAt: 'asc' },
      select: { id: true },
    });
    couponId = match?.id ?? null;
  }
  if (couponId) {
    cache.set(key, couponId);
    return { couponId, created: false };
  }

  const created = await tenant.$transaction(async (tx) => {
    const coupon = await tx.coupon.create({
      data: {
        workspaceId: connection.workspaceId,
        programId: connection.programId,
        name: `${describeDiscount(item, currency)} (imported from ${platformName(connection.platform)})`,
        discountType: item.discountType,
        percentOffBps: item.discountType === 'percent' ? item.percentOffBps : null,
        amountOff: item.discountType === 'fixed' ? item.amountOff : null,
        currency: item.discountType === 'fixed' ? currency : null,
        connections: { create: { workspaceId: connection.workspaceId, connectionId: connection.id } },
      },
    });
    // The parent object already exists there (Stripe): linked and synced, never created again.
    await tx.syncLink.create({
      data: {
        workspaceId: connection.workspaceId,
        connectionId: connection.id,
        entityType: 'coupon',
        entityId: coupon.id,
        couponId: coupon.id,
        platformId: byStripeCoupon ? item.couponPlatformId : null,
        state: 'synced',
        lastSyncedVersion: coupon.version,
        lastSyncedAt: new Date(),
      },
    });
    return coupon;
  });
  cache.set(key, created.id);
  return { couponId: created.id, created: true };
}

/**
 * Brings one platform code in. Idempotent: a platform object already linked is left alone; a
 * code we already have (same normalised code) is linked to it; anything else becomes a new
 * `imported` code, synced, under a coupon for its discount.
 */
export async function importPlatformCode(ctx: SyncContext, item: PlatformCode, cache: CouponCache): Promise<ImportOutcome> {
  const { tenant, connection } = ctx;
  const known = await tenant.syncLink.findFirst({ where: { connectionId: connection.id, entityType: 'promotion_code', platformId: item.platformId }, select: { id: true } });
  if (known) return { kind: 'existing' };

  const normalizedCode = normalizeCode(item.code);
  const ours = await tenant.promotionCode.findUnique({
    where: { workspaceId_normalizedCode: { workspaceId: connection.workspaceId, normalizedCode } },
    include: { coupon: { include: { connections: true } } },
  });
  if (ours) {
    if (ours.programId !== connection.programId || !ours.coupon.connections.some((c) => c.connectionId === connection.id)) {
      return { kind: 'skipped', reason: `The code ${normalizedCode} already exists here on a coupon that does not sync to this connection` };
    }
    const link = await tenant.syncLink.findUnique({ where: { connectionId_entityType_entityId: { connectionId: connection.id, entityType: 'promotion_code', entityId: ours.id } } });
    if (link?.platformId && link.platformId !== item.platformId) {
      return { kind: 'skipped', reason: `The code ${normalizedCode} is already linked to ${link.platformId} there` };
    }
    // Ours wins: link the object and let the worker bring it in line with our copy.
    const [pending] = await markCodesPending(tenant, { workspaceId: connection.workspaceId, codeIds: [ours.id], connectionIds: [connection.id] });
    if (pending) await tenant.syncLink.update({ where: { id: pending.id }, data: { platformId: item.platformId } });
    return { kind: 'linked', followUps: pending ? [pending] : [] };
  }

  const { couponId, created: couponCreated } = await findOrCreateCoupon(ctx, item, cache);
  try {
    const followUps = await tenant.$transaction(async (tx) => {
      const code = await tx.promotionCode.create({
        data: {
          workspaceId: connection.workspaceId,
          programId: connection.programId,
          couponId,
          code: item.code.trim(),
          normalizedCode,
          source: 'imported',
          status: item.active ? 'active' : 'disabled',
          disabledReason: item.active ? null : `Inactive on ${platformName(connection.platform)} when imported`,
          firstTimeOnly: item.restrictions.firstTimeOnly,
          minimumAmount: item.restrictions.minimumAmount,
          minimumAmountCurrency: item.restrictions.minimumAmountCurrency?.toUpperCase() ?? null,
          expiresAt: item.restrictions.expiresAt,
          maxRedemptions: item.restrictions.maxRedemptions,
        },
      });
      await tx.syncLink.create({
        data: {
          workspaceId: connection.workspaceId,
          connectionId: connection.id,
          entityType: 'promotion_code',
          entityId: code.id,
          promotionCodeId: code.id,
          platformId: item.platformId,
          state: 'synced',
          lastSyncedVersion: code.version,
          lastSyncedAt: new Date(),
        },
      });
      // A reused coupon may sync to other platforms too: the new code goes there as well.
      const others = await tx.couponConnection.findMany({ where: { couponId, connectionId: { not: connection.id } }, select: { connectionId: true } });
      return markCodesPending(tx, { workspaceId: connection.workspaceId, codeIds: [code.id], connectionIds: others.map((o) => o.connectionId) });
    });
    return { kind: 'created', couponCreated, followUps };
  } catch (error) {
    // Imported meanwhile by a concurrent run or event: the next look-up sees it.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return { kind: 'existing' };
    throw error;
  }
}
