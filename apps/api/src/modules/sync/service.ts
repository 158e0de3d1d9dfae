import { ReconcileResult, runBulkJob, type SyncStatus, type SyncStatusQuery, type SyncLinkStatus } from '@codetrack/contracts';
import { enqueueSyncLinks, type Prisma, type TenantDb } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import { afterCursor, decodeCursor, pageFrom } from '../../lib/cursor.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { toIso, toIsoOrNull } from '../../lib/schemas.ts';
import type { Principal } from '../../plugins/auth.ts';
import type { SyncDeps } from '../coupons/service.ts';
import { toJobDto } from '../promotion-codes/generation.ts';

const linkInclude = { promotionCode: { select: { code: true } }, coupon: { select: { name: true } } } as const;
type LinkRow = Prisma.SyncLinkGetPayload<{ include: typeof linkInclude }>;

function toLinkDto(l: LinkRow): SyncLinkStatus {
  return {
    id: l.id,
    connectionId: l.connectionId,
    entityType: l.entityType,
    couponId: l.couponId,
    promotionCodeId: l.promotionCodeId,
    label: l.promotionCode?.code ?? l.coupon?.name ?? l.entityId,
    state: l.state,
    platformId: l.platformId,
    lastError: l.lastError,
    attempts: l.attempts,
    lastSyncedAt: toIsoOrNull(l.lastSyncedAt),
    updatedAt: toIso(l.updatedAt),
  };
}

/** A connection of the caller's workspace, or 404. */
export async function findConnectionOrThrow(db: TenantDb, connectionId: string) {
  const connection = await db.connection.findUnique({ where: { id: connectionId } });
  if (!connection) throw notFound('Connection');
  return connection;
}

function refuseDisabled(connection: { status: string }) {
  if (connection.status === 'disabled') throw conflict('connection_disabled', 'This connection is disabled; create a new connection to sync again');
}

/** Counts per state and one keyset page of links in the asked state (failed by default). */
export async function getSyncStatus(db: TenantDb, connectionId: string, query: SyncStatusQuery): Promise<SyncStatus> {
  const connection = await findConnectionOrThrow(db, connectionId);
  const [groups, rows] = await Promise.all([
    db.syncLink.groupBy({ by: ['state'], where: { connectionId }, _count: { _all: true } }),
    db.syncLink.findMany({
      where: { connectionId, state: query.state, ...afterCursor(decodeCursor(query.cursor)) },
      include: linkInclude,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    }),
  ]);
  const counts = { pending: 0, synced: 0, failed: 0, deleted: 0 };
  for (const g of groups) counts[g.state] = g._count._all;
  const page = pageFrom(rows, query.limit);
  return { connectionId, platform: connection.platform, counts, items: page.items.map(toLinkDto), nextCursor: page.nextCursor };
}

const retryData = { state: 'pending', lastError: null, attempts: 0 } as const;

/** Tries one link again now (a failed one, or a pending one stuck in backoff). */
export async function retrySyncLinkOrThrow(db: TenantDb, deps: SyncDeps, actor: Principal, syncLinkId: string) {
  const link = await db.syncLink.findUnique({ where: { id: syncLinkId } });
  if (!link) throw notFound('Sync link');
  const connection = await findConnectionOrThrow(db, link.connectionId);
  refuseDisabled(connection);
  if (link.state === 'synced' || link.state === 'deleted') throw new AppError(409, 'sync_link_not_failed', `This link is ${link.state}; only failed or pending links can be retried`);
  const pending = await db.$transaction(async (tx) => {
    await tx.syncLink.update({ where: { id: link.id }, data: retryData });
    const marked = [{ id: link.id, connectionId: link.connectionId }];
    // A Stripe code waits for its coupon: a failed coupon is retried with it.
    if (link.entityType === 'promotion_code' && link.promotionCodeId) {
      const code = await tx.promotionCode.findUnique({ where: { id: link.promotionCodeId }, select: { couponId: true } });
      const couponLinks = code
        ? await tx.syncLink.updateManyAndReturn({ where: { connectionId: link.connectionId, entityType: 'coupon', entityId: code.couponId, state: 'failed' }, data: retryData, select: { id: true, connectionId: true } })
        : [];
      marked.unshift(...couponLinks);
    }
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'sync_link.retried', entityType: 'sync_link', entityId: link.id });
    return marked;
  });
  await enqueueSyncLinks(deps.jobs, pending, (err) => deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
  return toLinkDto(await db.syncLink.findUniqueOrThrow({ where: { id: link.id }, include: linkInclude }));
}

/** Marks every failed link of the connection pending and enqueues them (a drain job when many). */
export async function retryFailedLinks(db: TenantDb, deps: SyncDeps, actor: Principal, connectionId: string) {
  const connection = await findConnectionOrThrow(db, connectionId);
  refuseDisabled(connection);
  const pending = await db.$transaction(async (tx) => {
    const rows = await tx.syncLink.updateManyAndReturn({ where: { connectionId, state: 'failed' }, data: retryData, select: { id: true, connectionId: true } });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'sync_links.retried', entityType: 'connection', entityId: connectionId, data: { count: rows.length } });
    return rows;
  });
  await enqueueSyncLinks(deps.jobs, pending, (err) => deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
  return { retried: pending.length };
}

/** Starts an import of the platform's codes or a reconciliation, as a background job. */
export async function startConnectionJob(db: TenantDb, deps: SyncDeps, actor: Principal, connectionId: string, type: 'import_codes' | 'reconcile') {
  const connection = await findConnectionOrThrow(db, connectionId);
  refuseDisabled(connection);
  const job = await db.$transaction(async (tx) => {
    const row = await tx.bulkJob.create({
      data: { workspaceId: actor.workspaceId, programId: connection.programId, type, params: { connectionId }, createdById: actor.kind === 'user' ? actor.userId : null },
    });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: type === 'import_codes' ? 'connection.import_started' : 'connection.reconcile_started', entityType: 'connection', entityId: connectionId, data: { jobId: row.id } });
    return row;
  });
  try {
    await deps.jobs.enqueue(runBulkJob, { bulkJobId: job.id });
  } catch (err) {
    deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry');
  }
  return toJobDto(job);
}

/**
 * Applies the repair of a finished reconciliation: missing and different codes are marked
 * pending (the worker pushes our copy), extra platform codes are brought in by an import job.
 */
export async function repairDriftOrThrow(db: TenantDb, deps: SyncDeps, actor: Principal, connectionId: string, jobId: string) {
  await findConnectionOrThrow(db, connectionId);
  const job = await db.bulkJob.findUnique({ where: { id: jobId } });
  if (!job || job.type !== 'reconcile' || (job.params as { connectionId?: string } | null)?.connectionId !== connectionId) throw notFound('Reconciliation');
  const parsed = ReconcileResult.safeParse(job.result);
  if (job.status !== 'completed' || !parsed.success) throw conflict('reconcile_not_finished', 'This reconciliation has not finished; wait for it to complete');
  const drift = parsed.data;
  const linkIds = [...drift.missing.map((m) => m.syncLinkId), ...drift.different.map((d) => d.syncLinkId)];
  const pending = await db.$transaction(async (tx) => {
    const rows = await tx.syncLink.updateManyAndReturn({ where: { id: { in: linkIds }, connectionId }, data: retryData, select: { id: true, connectionId: true } });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'connection.drift_repaired', entityType: 'connection', entityId: connectionId, data: { jobId, markedPending: rows.length, extra: drift.counts.extra } });
    return rows;
  });
  await enqueueSyncLinks(deps.jobs, pending, (err) => deps.log.warn({ err }, 'enqueue after commit failed; the sweeper will retry'));
  const importJob = drift.counts.extra > 0 ? await startConnectionJob(db, deps, actor, connectionId, 'import_codes') : null;
  return { markedPending: pending.length, importJobId: importJob?.id ?? null };
}
