import { drainConnectionJob, syncEntityJob } from '@codetrack/contracts';
import type { JobProducer } from '../jobs.ts';
import type { TenantDb } from '../tenant.ts';

// Database operations shared by the API and the worker. They live here because apps may not
// import each other; each takes the tenant-scoped accessor (or a transaction of it).

type Tx = Pick<TenantDb, '$queryRaw'>;

/** A SyncLink to push: its id and its connection (bulk work is drained per connection). */
export type PendingLink = { id: string; connectionId: string };

/**
 * The outbox of outbound sync: marks (creating where missing) the SyncLinks of these codes on these
 * connections as pending, in the caller's transaction. Returns their ids for enqueueing after
 * commit. One statement however many codes, so bulk generation stays fast.
 */
export async function markCodesPending(tx: Tx, input: { workspaceId: string; codeIds: string[]; connectionIds: string[] }): Promise<PendingLink[]> {
  if (input.codeIds.length === 0 || input.connectionIds.length === 0) return [];
  const rows = await tx.$queryRaw<PendingLink[]>`
    INSERT INTO "SyncLink" ("workspaceId", "connectionId", "entityType", "entityId", "promotionCodeId", "state", "updatedAt")
    SELECT ${input.workspaceId}, c.id, 'promotion_code'::"SyncEntity", p.id, p.id, 'pending'::"SyncState", now()
    FROM unnest(${input.codeIds}::text[]) AS p(id) CROSS JOIN unnest(${input.connectionIds}::text[]) AS c(id)
    ON CONFLICT ("connectionId", "entityType", "entityId")
    DO UPDATE SET "state" = 'pending'::"SyncState", "lastError" = NULL, "updatedAt" = now()
    RETURNING id, "connectionId"`;
  return rows;
}

/** Marks the coupon's own SyncLinks (the parent object, on platforms that have one) as pending. */
export async function markCouponPending(tx: Tx, input: { workspaceId: string; couponId: string; connectionIds: string[] }): Promise<PendingLink[]> {
  if (input.connectionIds.length === 0) return [];
  const rows = await tx.$queryRaw<PendingLink[]>`
    INSERT INTO "SyncLink" ("workspaceId", "connectionId", "entityType", "entityId", "couponId", "state", "updatedAt")
    SELECT ${input.workspaceId}, c.id, 'coupon'::"SyncEntity", ${input.couponId}, ${input.couponId}, 'pending'::"SyncState", now()
    FROM unnest(${input.connectionIds}::text[]) AS c(id)
    ON CONFLICT ("connectionId", "entityType", "entityId")
    DO UPDATE SET "state" = 'pending'::"SyncState", "lastError" = NULL, "updatedAt" = now()
    RETURNING id, "connectionId"`;
  return rows;
}

/** Above this many links, one drain job per connection replaces one job per link. */
export const drainThreshold = 50;

/**
 * Enqueues sync work after commit: a job per link for small changes (lowest latency), a drain job
 * per connection for bulk ones (100,000 codes are 100,000 rows, not 100,000 queue entries). A
 * failure here is not an error for the caller: the rows are pending in the database and the
 * sweeper enqueues them again.
 */
export async function enqueueSyncLinks(jobs: JobProducer, links: PendingLink[] | { connectionIds: string[] }, onError: (err: unknown) => void): Promise<void> {
  try {
    if (!Array.isArray(links) || links.length > drainThreshold) {
      const connectionIds = Array.isArray(links) ? [...new Set(links.map((l) => l.connectionId))] : links.connectionIds;
      await jobs.enqueueMany(drainConnectionJob, connectionIds.map((connectionId) => ({ connectionId })));
    } else {
      await jobs.enqueueMany(syncEntityJob, links.map((l) => ({ syncLinkId: l.id })));
    }
  } catch (err) {
    onError(err);
  }
}
