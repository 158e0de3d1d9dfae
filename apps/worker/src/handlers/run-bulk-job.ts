import type { Job } from 'bullmq';
import type { Db } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import type { Logger } from 'pino';
import { generateCodes } from './generate-codes.ts';
import { importCodes } from './import-codes.ts';
import { reconcileConnection } from './reconcile.ts';
import type { SyncSettings } from '../sync/settings.ts';

/** Runs one BulkJob row by its type; on the last failed attempt the row is marked failed with the reason. */
export async function runBulkJobRow(input: { db: Db; jobs: JobProducer; logger: Logger; bulkJobId: string; queueJob?: Job; sync?: Partial<SyncSettings> }) {
  const row = await input.db.bulkJob.findUnique({ where: { id: input.bulkJobId } });
  if (!row || row.status === 'completed' || row.status === 'failed') return { skipped: true };
  try {
    switch (row.type) {
      case 'generate_codes':
        return await generateCodes({ db: input.db, jobs: input.jobs, logger: input.logger, job: row });
      case 'import_codes':
        return await importCodes({ db: input.db, jobs: input.jobs, logger: input.logger, job: row, sync: input.sync });
      case 'reconcile':
        return await reconcileConnection({ db: input.db, jobs: input.jobs, logger: input.logger, job: row, sync: input.sync });
      default:
        throw new Error(`unknown bulk job type ${row.type}`);
    }
  } catch (err) {
    const attempts = input.queueJob?.opts.attempts ?? 1;
    const last = (input.queueJob?.attemptsMade ?? 0) + 1 >= attempts;
    await input.db.bulkJob.update({
      where: { id: row.id },
      data: last
        ? { status: 'failed', done: 0, error: err instanceof Error ? err.message : String(err), finishedAt: new Date() }
        : { status: 'queued', done: 0, error: err instanceof Error ? err.message : String(err) },
    });
    throw err;
  }
}
