import { CodeImportResult, ConnectionJobParams } from '@codetrack/contracts';
import { enqueueSyncLinks, type BulkJob, type Db, type PendingLink } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import type { Logger } from 'pino';
import { loadSyncContext } from '../sync/connection-context.ts';
import { importPlatformCode, withPlatformRetries, type CouponCache } from '../sync/import-code.ts';
import { resolveSyncSettings, type SyncSettings } from '../sync/settings.ts';

const pageSize = 100;

const emptyResult = (): CodeImportResult => ({ cursor: null, pages: 0, created: 0, linked: 0, existing: 0, couponsCreated: 0, skipped: [] });
const processed = (r: CodeImportResult) => r.created + r.linked + r.existing + r.skipped.length;

/**
 * `import_codes` bulk job: pages through the platform's codes and brings each in (see
 * importPlatformCode). Resumable: the cursor and the counts are saved on the job row after every
 * page, so a retry continues where the last attempt stopped; and idempotent, so re-reading a page
 * (or running the whole import again) creates nothing twice.
 */
export async function importCodes(input: { db: Db; jobs: JobProducer; logger: Logger; job: BulkJob; sync?: Partial<SyncSettings> | undefined }) {
  const { db, job } = input;
  const { connectionId } = ConnectionJobParams.parse(job.params);
  const ctx = await loadSyncContext({ db, jobs: input.jobs, logger: input.logger, settings: resolveSyncSettings(input.sync), connectionId });
  if (!ctx || ctx.connection.workspaceId !== job.workspaceId) throw new Error(`connection ${connectionId} no longer exists`);

  const saved = CodeImportResult.safeParse(job.result);
  let result = saved.success ? saved.data : emptyResult();
  if (saved.success && result.cursor === null && result.pages > 0) result = emptyResult();
  await db.bulkJob.update({ where: { id: job.id }, data: { status: 'running', done: processed(result), total: processed(result) } });

  const cache: CouponCache = new Map();
  for (;;) {
    const cursor = result.cursor;
    const page = await withPlatformRetries(ctx, () => ctx.adapter.listPromotionCodes({ cursor, limit: pageSize }));
    const followUps: PendingLink[] = [];
    for (const item of page.items) {
      const outcome = await importPlatformCode(ctx, item, cache);
      if (outcome.kind === 'skipped') result.skipped.push({ platformId: item.platformId, code: item.code, reason: outcome.reason });
      else result[outcome.kind] += 1;
      if (outcome.kind === 'created' && outcome.couponCreated) result.couponsCreated += 1;
      if (outcome.kind === 'created' || outcome.kind === 'linked') followUps.push(...outcome.followUps);
    }
    result = { ...result, cursor: page.nextCursor, pages: result.pages + 1 };
    const done = processed(result);
    // The platforms give no reliable total: one page more than we have is the honest estimate.
    await db.bulkJob.update({ where: { id: job.id }, data: { done, total: done + (page.nextCursor ? pageSize : 0), result } });
    await enqueueSyncLinks(input.jobs, followUps, (err) => input.logger.warn({ err }, 'enqueue after import failed; the sweeper will retry'));
    if (!page.nextCursor) break;
  }

  const done = processed(result);
  await db.bulkJob.update({ where: { id: job.id }, data: { status: 'completed', done, total: done, failed: result.skipped.length, result, finishedAt: new Date() } });
  await ctx.tenant.auditLog.create({
    data: {
      workspaceId: job.workspaceId,
      actorType: 'system',
      action: 'connection.codes_imported',
      entityType: 'connection',
      entityId: connectionId,
      data: { jobId: job.id, created: result.created, linked: result.linked, existing: result.existing, skipped: result.skipped.length, couponsCreated: result.couponsCreated },
    },
  });
  return result;
}
