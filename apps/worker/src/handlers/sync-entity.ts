import type { Job } from 'bullmq';
import { enqueueSyncLinks, SecretDecryptionError } from '@codetrack/db';
import { PlatformError } from '@codetrack/integrations';
import type { WorkerDeps } from '../runtime.ts';
import { loadSyncContext } from '../sync/connection-context.ts';
import { RetryLaterError, syncLink, type SyncLinkResult } from '../sync/push-link.ts';
import { retryJobLater } from '../sync/retry-later.ts';
import { resolveSyncSettings } from '../sync/settings.ts';

/**
 * `sync-entity`: pushes one SyncLink (a small change, lowest latency). Retryable failures move
 * the job to delayed with the link's backoff; permanent ones leave the link failed with a reason.
 */
export async function syncEntity(input: { deps: WorkerDeps; job?: Job; syncLinkId: string }): Promise<SyncLinkResult> {
  const { deps } = input;
  const link = await deps.db.syncLink.findUnique({ where: { id: input.syncLinkId }, select: { id: true, state: true, connectionId: true } });
  if (!link || link.state !== 'pending') return { status: 'skipped', followUps: [] };
  const settings = resolveSyncSettings(deps.sync);
  let ctx;
  try {
    ctx = await loadSyncContext({ db: deps.db, jobs: deps.jobs, logger: deps.logger, settings, connectionId: link.connectionId });
  } catch (error) {
    // Credentials that cannot be read or used will not get better by retrying.
    if (!(error instanceof SecretDecryptionError || (error instanceof PlatformError && !error.retryable))) throw error;
    await deps.db.syncLink.update({ where: { id: link.id }, data: { state: 'failed', lastError: `The connection cannot be used: ${error.message}` } });
    return { status: 'failed', followUps: [] };
  }
  if (!ctx) return { status: 'skipped', followUps: [] };
  try {
    const result = await syncLink(ctx, link.id);
    await enqueueSyncLinks(deps.jobs, result.followUps, (err) => deps.logger.warn({ err }, 'enqueue after sync failed; the sweeper will retry'));
    return result;
  } catch (error) {
    if (!(error instanceof RetryLaterError)) throw error;
    return retryJobLater(input.job, error.delayMs, error);
  }
}
