import { ConnectionJobParams, type ReconcileResult } from '@codetrack/contracts';
import type { BulkJob, Db, Prisma } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import type { Page, PlatformCode } from '@codetrack/integrations';
import type { Logger } from 'pino';
import { loadSyncContext, type SyncContext } from '../sync/connection-context.ts';
import { withPlatformRetries } from '../sync/import-code.ts';
import { resolveSyncSettings, type SyncSettings } from '../sync/settings.ts';
import { hasSameDiscount } from '../sync/specs.ts';

const pageSize = 100;
/** Items kept per list in the result (counts stay exact), so a job row stays readable. */
const listCap = 1000;

type Drift = ReconcileResult['different'][number]['fields'];

const seconds = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

type OurCode = { firstTimeOnly: boolean; minimumAmount: number | null; expiresAt: Date | null; maxRedemptions: number | null; code: string; normalizedCode: string };
type OurCoupon = { discountType: 'percent' | 'fixed'; percentOffBps: number | null; amountOff: number | null; currency: string | null };

/** Field differences between what we would push and what the platform holds, for fields the platform keeps. */
function compareFields(ctx: SyncContext, ours: OurCode, coupon: OurCoupon, platform: PlatformCode): Drift {
  const caps = ctx.adapter.capabilities;
  const fields: Drift = [];
  if (platform.code.trim().toUpperCase() !== ours.normalizedCode) fields.push({ field: 'code', ours: ours.code, platform: platform.code });
  if (!hasSameDiscount(platform, coupon)) {
    fields.push({ field: 'discount', ours: { type: coupon.discountType, percentOffBps: coupon.percentOffBps, amountOff: coupon.amountOff }, platform: { type: platform.discountType, percentOffBps: platform.percentOffBps, amountOff: platform.amountOff } });
  }
  const r = platform.restrictions;
  if (caps.expiresAt && seconds(ours.expiresAt) !== seconds(r.expiresAt)) fields.push({ field: 'expiresAt', ours: ours.expiresAt?.toISOString() ?? null, platform: r.expiresAt?.toISOString() ?? null });
  if (caps.maxRedemptions && ours.maxRedemptions !== r.maxRedemptions) fields.push({ field: 'maxRedemptions', ours: ours.maxRedemptions, platform: r.maxRedemptions });
  if (caps.minimumAmount && ours.minimumAmount !== r.minimumAmount) fields.push({ field: 'minimumAmount', ours: ours.minimumAmount, platform: r.minimumAmount });
  if (caps.firstTimeOnly && ours.firstTimeOnly !== r.firstTimeOnly) fields.push({ field: 'firstTimeOnly', ours: ours.firstTimeOnly, platform: r.firstTimeOnly });
  return fields;
}

/**
 * `reconcile` bulk job: reads every code on the platform and compares with ours on this
 * connection. Reports drift (missing, extra, different) in the job result; changes nothing
 * (the repair action does, on the merchant's request).
 */
export async function reconcileConnection(input: { db: Db; jobs: JobProducer; logger: Logger; job: BulkJob; sync?: Partial<SyncSettings> | undefined }) {
  const { db, job } = input;
  const { connectionId } = ConnectionJobParams.parse(job.params);
  const ctx = await loadSyncContext({ db, jobs: input.jobs, logger: input.logger, settings: resolveSyncSettings(input.sync), connectionId });
  if (!ctx || ctx.connection.workspaceId !== job.workspaceId) throw new Error(`connection ${connectionId} no longer exists`);
  await db.bulkJob.update({ where: { id: job.id }, data: { status: 'running', done: 0, total: 0 } });

  const onPlatform = new Map<string, PlatformCode>();
  for (let cursor: string | null = null; ; ) {
    const at: string | null = cursor;
    const page: Page<PlatformCode> = await withPlatformRetries(ctx, () => ctx.adapter.listPromotionCodes({ cursor: at, limit: pageSize }));
    for (const item of page.items) onPlatform.set(item.platformId, item);
    await db.bulkJob.update({ where: { id: job.id }, data: { done: onPlatform.size, total: onPlatform.size + (page.nextCursor ? pageSize : 0) } });
    cursor = page.nextCursor;
    if (!cursor) break;
  }

  const result: ReconcileResult = { counts: { platform: onPlatform.size, ours: 0, missing: 0, extra: 0, different: 0 }, missing: [], extra: [], different: [], truncated: false };
  const linked = new Set<string>();
  const liveCoupons = new Set((await ctx.tenant.couponConnection.findMany({ where: { connectionId }, select: { couponId: true } })).map((c) => c.couponId));
  for (let after = ''; ; ) {
    const links = await ctx.tenant.syncLink.findMany({
      where: { connectionId, entityType: 'promotion_code', id: { gt: after } },
      include: { promotionCode: { include: { coupon: true } } },
      orderBy: { id: 'asc' },
      take: 500,
    });
    for (const link of links) {
      const code = link.promotionCode;
      if (!code) continue;
      result.counts.ours += 1;
      if (link.platformId) linked.add(link.platformId);
      const platform = link.platformId ? onPlatform.get(link.platformId) : undefined;
      const live = !code.deletedAt && code.status === 'active' && code.coupon.status === 'active' && liveCoupons.has(code.couponId) && ctx.connection.status !== 'disabled';
      if (live && !platform) {
        result.counts.missing += 1;
        if (result.missing.length < listCap) {
          result.missing.push({ syncLinkId: link.id, promotionCodeId: code.id, code: code.code, platformId: link.platformId, reason: link.platformId ? 'Not found on the platform' : 'Never created on the platform' });
        }
        continue;
      }
      if (!platform) continue;
      // An inactive copy's other fields are moot (Shopify even ends it now, which reads as an expiry).
      const fields = live && platform.active ? compareFields(ctx, code, code.coupon, platform) : [];
      if (platform.active !== live) fields.unshift({ field: 'active', ours: live, platform: platform.active });
      if (fields.length) {
        result.counts.different += 1;
        if (result.different.length < listCap) result.different.push({ syncLinkId: link.id, promotionCodeId: code.id, code: code.code, platformId: platform.platformId, fields });
      }
    }
    if (links.length < 500) break;
    after = links.at(-1)!.id;
  }
  // Inactive leftovers (Stripe keeps replaced codes, inactive) cannot be redeemed: only live ones are drift.
  for (const item of onPlatform.values()) {
    if (linked.has(item.platformId) || !item.active) continue;
    result.counts.extra += 1;
    if (result.extra.length < listCap) result.extra.push({ platformId: item.platformId, code: item.code, active: item.active });
  }
  result.truncated = result.counts.missing > result.missing.length || result.counts.extra > result.extra.length || result.counts.different > result.different.length;

  await db.bulkJob.update({
    where: { id: job.id },
    data: { status: 'completed', done: onPlatform.size, total: onPlatform.size, failed: result.counts.missing + result.counts.extra + result.counts.different, result: result as Prisma.InputJsonObject, finishedAt: new Date() },
  });
  return result;
}
