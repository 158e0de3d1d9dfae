import type { CodeEvent } from '@codetrack/contracts';
import { enqueueSyncLinks, markCodesPending, scopeToWorkspace, type Db, type PendingLink } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import pino, { type Logger } from 'pino';
import { loadSyncContext } from '../sync/connection-context.ts';
import { importPlatformCode } from '../sync/import-code.ts';
import { resolveSyncSettings, type SyncSettings } from '../sync/settings.ts';
import { platformName } from '../sync/specs.ts';

export type CodeEventOutcome =
  | { outcome: 'disabled'; promotionCodeId: string }
  | { outcome: 'imported' | 'linked'; promotionCodeId: string | null }
  | { outcome: 'coupon_deleted'; couponId: string }
  | { outcome: 'ignored'; reason: string };

/**
 * Applies a platform-side code event (inbound sync) to our copy. A code deactivated or deleted on
 * the platform is disabled here with the reason, and its link on that connection is recorded as
 * in line (the change is not pushed back); other connections of the coupon get it deactivated
 * too, since the code is now disabled. A code created on the platform is imported. Called by the
 * webhook processing for `kind: 'code'` events; `jobs` (optional) paces platform reads and
 * enqueues the follow-up pushes, otherwise the sweeper picks them up.
 */
export async function applyCodeEvent(input: {
  db: Db;
  connectionId: string;
  event: CodeEvent;
  jobs?: JobProducer;
  logger?: Logger;
  sync?: Partial<SyncSettings>;
}): Promise<CodeEventOutcome> {
  const { db, event } = input;
  const logger = input.logger ?? pino({ level: 'silent' });
  const connection = await db.connection.findUnique({ where: { id: input.connectionId } });
  if (!connection) return { outcome: 'ignored', reason: 'unknown connection' };
  const tenant = scopeToWorkspace(db, connection.workspaceId);
  const name = platformName(connection.platform);
  const link = await tenant.syncLink.findFirst({ where: { connectionId: connection.id, platformId: event.platformId } });

  if (event.action === 'created') {
    if (link) return { outcome: 'ignored', reason: 'already linked (created by us or imported before)' };
    if (!event.code) return { outcome: 'ignored', reason: 'the event does not carry a code; run an import to bring it in' };
    const ctx = await loadSyncContext({ db, jobs: input.jobs ?? null, logger, settings: resolveSyncSettings(input.sync), connectionId: connection.id });
    if (!ctx) return { outcome: 'ignored', reason: 'unknown connection' };
    const found = await ctx.adapter.findPromotionCodeByCode({ code: event.code });
    if (!found || found.platformId !== event.platformId) return { outcome: 'ignored', reason: `${event.code} is no longer on ${name}` };
    const result = await importPlatformCode(ctx, found, new Map());
    if (result.kind === 'skipped') return { outcome: 'ignored', reason: result.reason };
    if (result.kind === 'existing') return { outcome: 'ignored', reason: 'already linked' };
    await enqueueFollowUps(input.jobs, result.followUps, logger);
    const imported = await tenant.syncLink.findFirst({ where: { connectionId: connection.id, entityType: 'promotion_code', platformId: event.platformId }, select: { promotionCodeId: true } });
    return { outcome: result.kind === 'created' ? 'imported' : 'linked', promotionCodeId: imported?.promotionCodeId ?? null };
  }

  if (!link) return { outcome: 'ignored', reason: `not linked to any coupon or code here` };

  if (link.entityType === 'coupon') {
    if (event.action !== 'deleted') return { outcome: 'ignored', reason: 'coupon changes on the platform do not change ours' };
    // Its codes stop working there. Recreating it is the merchant's call (retry), so say so.
    await tenant.syncLink.update({
      where: { id: link.id },
      data: { state: 'failed', lastError: `The coupon was deleted on ${name}, so its codes no longer work there. Retry to create it again.` },
    });
    return { outcome: 'coupon_deleted', couponId: link.entityId };
  }

  const deactivated = event.action === 'deleted' || event.action === 'deactivated' || (event.action === 'updated' && event.active === false);
  if (!deactivated) return { outcome: 'ignored', reason: 'no change to apply' };
  // Our own newer change (e.g. an enable) is about to be pushed: that wins over an older platform event.
  if (link.state === 'pending') return { outcome: 'ignored', reason: 'a newer change here is being pushed' };

  const codeId = link.entityId;
  const followUps = await tenant.$transaction(async (tx) => {
    const code = await tx.promotionCode.findUnique({ where: { id: codeId } });
    if (!code) return null;
    const deleted = event.action === 'deleted';
    const reason = `${deleted ? 'Deleted' : 'Deactivated'} on ${name}`;
    const alreadyOff = code.status === 'disabled' || code.deletedAt !== null;
    const updated = alreadyOff ? code : await tx.promotionCode.update({ where: { id: codeId }, data: { status: 'disabled', disabledReason: reason, version: { increment: 1 } } });
    // In line with the platform already: recorded as synced (or deleted), not pushed back.
    await tx.syncLink.update({
      where: { id: link.id },
      data: { state: deleted ? 'deleted' : 'synced', lastError: null, lastSyncedVersion: updated.version, lastSyncedAt: new Date() },
    });
    if (alreadyOff) return [];
    await tx.auditLog.create({
      data: { workspaceId: connection.workspaceId, actorType: 'system', action: 'promotion_code.disabled', entityType: 'promotion_code', entityId: codeId, data: { reason, connectionId: connection.id, platformId: event.platformId } },
    });
    const others = await tx.couponConnection.findMany({ where: { couponId: code.couponId, connectionId: { not: connection.id } }, select: { connectionId: true } });
    return markCodesPending(tx, { workspaceId: connection.workspaceId, codeIds: [codeId], connectionIds: others.map((o) => o.connectionId) });
  });
  if (followUps === null) return { outcome: 'ignored', reason: 'the code no longer exists here' };
  await enqueueFollowUps(input.jobs, followUps, logger);
  return { outcome: 'disabled', promotionCodeId: codeId };
}

async function enqueueFollowUps(jobs: JobProducer | undefined, links: PendingLink[], logger: Logger) {
  if (!jobs || links.length === 0) return;
  await enqueueSyncLinks(jobs, links, (err) => logger.warn({ err }, 'enqueue after a code event failed; the sweeper will retry'));
}
