import { markCodesPending, markCouponPending, Prisma, type Coupon, type PendingLink, type PromotionCode, type SyncLink } from '@codetrack/db';
import { PlatformError } from '@codetrack/integrations';
import { remember, type SyncContext } from './connection-context.ts';
import { computeBackoffMs } from './settings.ts';
import { hasSameDiscount, platformName, toCouponSpec, toPromotionCodeSpec } from './specs.ts';

/**
 * Pushing one SyncLink: read the desired state from the database, bring the platform in line,
 * record the outcome. The outcome is recorded only if nobody marked the link pending again while
 * we pushed (optimistic check on `updatedAt`); otherwise we go round again with the newer state,
 * so one job converges however often the merchant edits meanwhile.
 */

/** A try failed in a way that can pass (429, 5xx, timeout): the attempt is recorded, try again after `delayMs`. */
export class RetryLaterError extends Error {
  constructor(
    readonly delayMs: number,
    readonly reason: string,
    readonly rateLimited: boolean,
  ) {
    super(reason);
    this.name = 'RetryLaterError';
  }
}

export type SyncLinkResult = {
  status: 'synced' | 'deleted' | 'failed' | 'skipped' | 'pending';
  /** Links this push made pending (codes moving to a replaced Stripe coupon): enqueue them. */
  followUps: PendingLink[];
};

type Outcome = {
  state: 'synced' | 'deleted' | 'failed';
  platformId: string | null;
  version: number | null;
  lastError: string | null;
  /** A code that already existed on the platform with the same discount and is ours now. */
  adopted?: { platformId: string; code: string };
  /** The Stripe coupon was replaced: its codes must move to the new one. */
  couponReplaced?: boolean;
};

const MAX_ROUNDS = 5;

const isPlatformError = (error: unknown, code: PlatformError['code']) => error instanceof PlatformError && error.code === code;

async function ignoreNotFound(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!isPlatformError(error, 'not_found')) throw error;
  }
}

/** A reason a merchant can act on. */
export function describeFailure(ctx: Pick<SyncContext, 'connection'>, error: unknown): string {
  const name = platformName(ctx.connection.platform);
  if (error instanceof RetryLaterError) return error.reason;
  if (!(error instanceof PlatformError)) return `Unexpected error while syncing to ${name}: ${error instanceof Error ? error.message : String(error)}`;
  switch (error.code) {
    case 'unauthorized':
      return `${name} rejected the connection's credentials (${error.message}). Update them on the connection, then retry.`;
    case 'forbidden':
      return `${name} refused the request: the key lacks a permission (${error.message}).`;
    case 'rate_limited':
      return `${name} is rate limiting requests (${error.message}).`;
    case 'unavailable':
    case 'timeout':
      return `${name} did not answer properly (${error.message}).`;
    case 'invalid_request':
      return `${name} rejected the request: ${error.message}`;
    default:
      return `${name}: ${error.message}`;
  }
}

function isRetryable(error: unknown): { retryAfterMs: number | null; rateLimited: boolean } | null {
  if (error instanceof RetryLaterError) return { retryAfterMs: error.delayMs, rateLimited: error.rateLimited };
  if (error instanceof PlatformError) return error.retryable ? { retryAfterMs: error.retryAfterMs, rateLimited: error.code === 'rate_limited' } : null;
  // Our own failures (database, network to Redis) are worth another try; attempts still bound them.
  return { retryAfterMs: null, rateLimited: false };
}

type LinkRow = Pick<SyncLink, 'id' | 'connectionId' | 'entityType' | 'entityId' | 'platformId' | 'state' | 'lastError' | 'attempts' | 'updatedAt'>;
type CouponRow = Pick<Coupon, 'id' | 'name' | 'discountType' | 'percentOffBps' | 'amountOff' | 'currency' | 'duration' | 'durationInMonths' | 'status' | 'version'>;
type CodeRow = Pick<PromotionCode, 'id' | 'code' | 'normalizedCode' | 'status' | 'deletedAt' | 'version' | 'firstTimeOnly' | 'minimumAmount' | 'minimumAmountCurrency' | 'expiresAt' | 'maxRedemptions' | 'couponId'>;
type LinkWithEntity = LinkRow & { coupon: CouponRow | null; promotionCode: (CodeRow & { coupon: CouponRow }) | null };

type Flat = LinkRow & { [K in keyof CodeRow as `p_${K}`]: CodeRow[K] | null } & { [K in keyof CouponRow as `c_${K}`]: CouponRow[K] | null };

/**
 * The link with its code and coupon, read fresh right before each push. One SQL statement: this
 * runs once per code per push, and Prisma's includes would take three (the bench's hot path).
 */
async function loadLinkForPush(ctx: SyncContext, linkId: string): Promise<LinkWithEntity | null> {
  const rows = await ctx.tenant.$queryRaw<Flat[]>`
    SELECT l.id, l."connectionId", l."entityType"::text AS "entityType", l."entityId", l."platformId", l.state::text AS state, l."lastError", l.attempts, l."updatedAt",
      p.id AS "p_id", p.code AS "p_code", p."normalizedCode" AS "p_normalizedCode", p.status::text AS "p_status", p."deletedAt" AS "p_deletedAt",
      p.version AS "p_version", p."firstTimeOnly" AS "p_firstTimeOnly", p."minimumAmount" AS "p_minimumAmount", p."minimumAmountCurrency" AS "p_minimumAmountCurrency",
      p."expiresAt" AS "p_expiresAt", p."maxRedemptions" AS "p_maxRedemptions", p."couponId" AS "p_couponId",
      c.id AS "c_id", c.name AS "c_name", c."discountType"::text AS "c_discountType", c."percentOffBps" AS "c_percentOffBps", c."amountOff" AS "c_amountOff",
      c.currency AS "c_currency", c.duration::text AS "c_duration", c."durationInMonths" AS "c_durationInMonths", c.status::text AS "c_status", c.version AS "c_version"
    FROM "SyncLink" l
    LEFT JOIN "PromotionCode" p ON l."entityType" = 'promotion_code' AND p.id = l."entityId"
    LEFT JOIN "Coupon" c ON c.id = CASE WHEN l."entityType" = 'coupon' THEN l."entityId" ELSE p."couponId" END
    WHERE l.id = ${linkId} AND l."workspaceId" = ${ctx.connection.workspaceId}`;
  const r = rows[0];
  if (!r) return null;
  const coupon: CouponRow | null =
    r.c_id === null
      ? null
      : { id: r.c_id, name: r.c_name!, discountType: r.c_discountType!, percentOffBps: r.c_percentOffBps, amountOff: r.c_amountOff, currency: r.c_currency, duration: r.c_duration!, durationInMonths: r.c_durationInMonths, status: r.c_status!, version: r.c_version! };
  const promotionCode =
    r.p_id === null || coupon === null
      ? null
      : {
          id: r.p_id,
          code: r.p_code!,
          normalizedCode: r.p_normalizedCode!,
          status: r.p_status!,
          deletedAt: r.p_deletedAt,
          version: r.p_version!,
          firstTimeOnly: r.p_firstTimeOnly!,
          minimumAmount: r.p_minimumAmount,
          minimumAmountCurrency: r.p_minimumAmountCurrency,
          expiresAt: r.p_expiresAt,
          maxRedemptions: r.p_maxRedemptions,
          couponId: r.p_couponId!,
          coupon,
        };
  const link: LinkRow = { id: r.id, connectionId: r.connectionId, entityType: r.entityType, entityId: r.entityId, platformId: r.platformId, state: r.state, lastError: r.lastError, attempts: r.attempts, updatedAt: r.updatedAt };
  return { ...link, coupon: link.entityType === 'coupon' ? coupon : null, promotionCode };
}

/** Pushes one link until it is synced, deleted or failed, or throws RetryLaterError. */
export async function syncLink(ctx: SyncContext, linkId: string): Promise<SyncLinkResult> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const link = await loadLinkForPush(ctx, linkId);
    if (!link || link.state !== 'pending' || link.connectionId !== ctx.connection.id) return { status: 'skipped', followUps: [] };
    // A fresh change (the API cleared lastError when marking it pending) starts counting again.
    const attempt = (link.lastError === null ? 0 : link.attempts) + 1;
    let outcome: Outcome;
    try {
      outcome = link.entityType === 'coupon' ? await pushCoupon(ctx, link) : await pushCode(ctx, link);
    } catch (error) {
      const retry = isRetryable(error);
      if (!retry) {
        outcome = { state: 'failed', platformId: link.platformId, version: null, lastError: describeFailure(ctx, error) };
      } else {
        const final = attempt >= ctx.settings.maxAttempts;
        const delayMs = computeBackoffMs({ attempt, baseMs: ctx.settings.backoffBaseMs, maxMs: ctx.settings.backoffMaxMs, retryAfterMs: retry.retryAfterMs });
        const reason = describeFailure(ctx, error);
        const lastError = final ? `Gave up after ${attempt} attempts. ${reason}` : `${reason} Attempt ${attempt} of ${ctx.settings.maxAttempts}; retrying.`;
        const { count } = await ctx.tenant.syncLink.updateMany({
          where: { id: link.id, updatedAt: link.updatedAt },
          data: { attempts: attempt, lastError, state: final ? 'failed' : 'pending' },
        });
        if (count === 0) continue;
        if (final) return { status: 'failed', followUps: [] };
        throw new RetryLaterError(delayMs, reason, retry.rateLimited);
      }
    }
    const applied = await recordOutcome(ctx, link, outcome, attempt);
    if (!applied) continue;
    if (outcome.couponReplaced) for (const key of ctx.memo.keys()) if (key.startsWith(`coupon:${link.entityId}:`)) ctx.memo.delete(key);
    const followUps = outcome.couponReplaced ? await moveCodesToReplacedCoupon(ctx, link.entityId) : [];
    return { status: outcome.state, followUps };
  }
  // Edited faster than we can push: still pending, so the next job or the sweeper carries on.
  return { status: 'pending', followUps: [] };
}

async function recordOutcome(ctx: SyncContext, link: LinkRow, outcome: Outcome, attempt: number): Promise<boolean> {
  const synced = outcome.state !== 'failed';
  try {
    // Only if nobody marked the link pending again meanwhile (same updatedAt as read). Raw SQL:
    // this runs once per code, and is the other half of the bench's hot path.
    const count = await ctx.tenant.$executeRaw`
      UPDATE "SyncLink" SET
        "platformId" = ${outcome.platformId}, "state" = ${outcome.state}::"SyncState", "lastError" = ${outcome.lastError}, "attempts" = ${attempt},
        "lastSyncedVersion" = CASE WHEN ${synced} THEN ${outcome.version}::int ELSE "lastSyncedVersion" END,
        "lastSyncedAt" = CASE WHEN ${synced} THEN now() ELSE "lastSyncedAt" END,
        "updatedAt" = now()
      WHERE id = ${link.id} AND "workspaceId" = ${ctx.connection.workspaceId} AND "updatedAt" = ${link.updatedAt}`;
    if (count === 0 && outcome.platformId !== link.platformId) {
      // The object exists on the platform whatever changed here meanwhile: keep its id, so the next
      // round updates it instead of creating a second one.
      await ctx.tenant.syncLink.updateMany({ where: { id: link.id }, data: { platformId: outcome.platformId } });
    }
    if (count === 1 && outcome.adopted) {
      await ctx.tenant.auditLog.create({
        data: {
          workspaceId: ctx.connection.workspaceId,
          actorType: 'system',
          action: 'sync_link.adopted',
          entityType: link.entityType,
          entityId: link.entityId,
          data: {
            connectionId: ctx.connection.id,
            platform: ctx.connection.platform,
            platformId: outcome.adopted.platformId,
            code: outcome.adopted.code,
            note: `The code already existed on ${platformName(ctx.connection.platform)} with the same discount, so it was linked instead of created.`,
          },
        },
      });
    }
    return count === 1;
  } catch (error) {
    // The platform object is linked to another row already (unique per connection): P2002 from the
    // client, P2010 carrying Postgres' 23505 from raw SQL.
    const duplicate = error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2002' || (error.code === 'P2010' && /23505/.test(error.message)));
    if (!duplicate) throw error;
    const holder = await ctx.tenant.syncLink.findFirst({ where: { connectionId: ctx.connection.id, entityType: link.entityType, platformId: outcome.platformId } });
    const lastError = `The ${platformName(ctx.connection.platform)} object ${outcome.platformId} is already linked to another ${link.entityType === 'coupon' ? 'coupon' : 'code'} here (${holder?.entityId ?? 'unknown'}).`;
    const { count } = await ctx.tenant.syncLink.updateMany({ where: { id: link.id, updatedAt: link.updatedAt }, data: { state: 'failed', lastError, attempts: attempt } });
    return count === 1;
  }
}

/** Whether the coupon (and so its codes) should be live on this connection. */
async function isCouponLive(ctx: SyncContext, coupon: CouponRow): Promise<boolean> {
  if (coupon.status !== 'active' || ctx.connection.status === 'disabled') return false;
  return remember(ctx, `linked:${coupon.id}`, async () => {
    const linked = await ctx.tenant.couponConnection.findUnique({ where: { couponId_connectionId: { couponId: coupon.id, connectionId: ctx.connection.id } } });
    return linked !== null;
  });
}


async function pushCoupon(ctx: SyncContext, link: LinkWithEntity): Promise<Outcome> {
  const coupon = link.coupon;
  if (!coupon) return { state: 'deleted', platformId: link.platformId, version: null, lastError: null };
  // One object per code elsewhere: the coupon's discount travels with each code.
  if (!ctx.adapter.capabilities.couponHoldsCodes) return { state: 'synced', platformId: null, version: coupon.version, lastError: null };
  // An archived or unlinked coupon stays on the platform: its codes are deactivated one by one,
  // and deleting a Stripe coupon would also break codes customers may still hold in a cart.
  if (!(await isCouponLive(ctx, coupon))) return { state: 'synced', platformId: link.platformId, version: coupon.version, lastError: null };
  const result = await ctx.adapter.upsertCoupon({ coupon: toCouponSpec(coupon), platformId: link.platformId, idempotencyKey: `codetrack:${link.id}:v${coupon.version}` });
  return {
    state: 'synced',
    platformId: result.platformId,
    version: coupon.version,
    lastError: null,
    couponReplaced: link.platformId !== null && result.platformId !== link.platformId,
  };
}

/** After Stripe replaced a coupon (it cannot change a discount), every code of it must move over. */
async function moveCodesToReplacedCoupon(ctx: SyncContext, couponId: string): Promise<PendingLink[]> {
  const codes = await ctx.tenant.promotionCode.findMany({ where: { couponId, deletedAt: null }, select: { id: true } });
  return markCodesPending(ctx.tenant, { workspaceId: ctx.connection.workspaceId, codeIds: codes.map((c) => c.id), connectionIds: [ctx.connection.id] });
}

/** The coupon's platform id on a platform where codes hang off a coupon (Stripe), pushing the coupon first if needed. */
async function ensureCouponOnPlatform(ctx: SyncContext, coupon: CouponRow): Promise<string> {
  const known = ctx.memo.get(`coupon:${coupon.id}:v${coupon.version}`);
  if (known && known.until > Date.now()) return known.value as string;
  const platformId = await pushCouponFirst(ctx, coupon);
  ctx.memo.set(`coupon:${coupon.id}:v${coupon.version}`, { value: platformId, until: Date.now() + 1000 });
  return platformId;
}

async function pushCouponFirst(ctx: SyncContext, coupon: CouponRow): Promise<string> {
  const where = { connectionId_entityType_entityId: { connectionId: ctx.connection.id, entityType: 'coupon' as const, entityId: coupon.id } };
  let link = await ctx.tenant.syncLink.findUnique({ where });
  if (!link || link.state === 'deleted') {
    await markCouponPending(ctx.tenant, { workspaceId: ctx.connection.workspaceId, couponId: coupon.id, connectionIds: [ctx.connection.id] });
    link = await ctx.tenant.syncLink.findUnique({ where });
  }
  if (link?.state === 'synced' && link.platformId) return link.platformId;
  if (link?.state === 'failed') {
    throw new PlatformError({ code: 'invalid_request', message: `its coupon could not be created there (${link.lastError ?? 'unknown reason'}). Retry the coupon first.` });
  }
  if (link) await syncLink(ctx, link.id);
  const after = await ctx.tenant.syncLink.findUnique({ where });
  if (after?.state === 'synced' && after.platformId) return after.platformId;
  throw new PlatformError({ code: 'invalid_request', message: `its coupon could not be created there (${after?.lastError ?? 'unknown reason'}).` });
}

function takenReason(ctx: SyncContext, code: CodeRow, existing: { platformId: string; active: boolean } | null): string {
  const name = platformName(ctx.connection.platform);
  const where = existing ? ` (${existing.platformId}${existing.active ? '' : ', inactive'})` : '';
  return `The code ${code.code} already exists on ${name}${where} with a different discount. Remove or rename it on ${name}, or give the partner another code, then retry.`;
}

async function pushCode(ctx: SyncContext, link: LinkWithEntity): Promise<Outcome> {
  const code = link.promotionCode;
  if (!code) return { state: 'deleted', platformId: link.platformId, version: null, lastError: null };
  const { coupon } = code;
  const version = code.version;
  const adapter = ctx.adapter;

  if (code.deletedAt) {
    const platformId = link.platformId;
    if (platformId) await ignoreNotFound(() => adapter.deletePromotionCode({ platformId }));
    return { state: 'deleted', platformId, version, lastError: null };
  }

  const live = code.status === 'active' && (await isCouponLive(ctx, coupon));
  if (!live) {
    const platformId = link.platformId;
    // Never created there: nothing to deactivate.
    if (platformId) await ignoreNotFound(() => adapter.deactivatePromotionCode({ platformId }));
    return { state: 'synced', platformId, version, lastError: null };
  }

  const couponPlatformId = adapter.capabilities.couponHoldsCodes ? await ensureCouponOnPlatform(ctx, coupon) : null;
  const spec = toPromotionCodeSpec(code, coupon, true);
  // Same change, same key: a retry after a timeout replays the first answer instead of creating twice.
  const idempotencyKey = `codetrack:${link.id}:v${code.version}:c${coupon.version}`;

  let createKey = idempotencyKey;
  if (link.platformId) {
    try {
      const updated = await adapter.updatePromotionCode({ code: spec, platformId: link.platformId, couponPlatformId, idempotencyKey });
      return { state: 'synced', platformId: updated?.platformId ?? link.platformId, version, lastError: null };
    } catch (error) {
      // Deleted on the platform behind our back: create it again below, under a key of its own
      // (the first create's key would replay the object that is gone).
      if (!isPlatformError(error, 'not_found')) throw error;
      createKey = `${idempotencyKey}:after:${link.platformId}`;
    }
  }

  try {
    const created = await adapter.createPromotionCode({ code: spec, couponPlatformId, idempotencyKey: createKey });
    return { state: 'synced', platformId: created.platformId, version, lastError: null };
  } catch (error) {
    if (!isPlatformError(error, 'code_taken')) throw error;
    const existing = await adapter.findPromotionCodeByCode({ code: code.code });
    if (!existing || existing.code.trim().toUpperCase() !== code.normalizedCode || !hasSameDiscount(existing, coupon)) {
      return { state: 'failed', platformId: null, version, lastError: takenReason(ctx, code, existing) };
    }
    // Same code, same discount: it is the merchant's intent already, so adopt it and apply our restrictions.
    const updated = await adapter.updatePromotionCode({ code: spec, platformId: existing.platformId, couponPlatformId, idempotencyKey: createKey });
    const platformId = updated?.platformId ?? existing.platformId;
    return { state: 'synced', platformId, version, lastError: null, adopted: { platformId: existing.platformId, code: existing.code } };
  }
}
