// Child process of bench/codes.ts: runs one bulk-generation job the way the worker process does,
// so the memory figure is that of a process doing only this work (the parent's setup garbage is
// not counted). Prints one JSON line: seconds, peak RSS and RSS before the job, in MB.
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { generateCodes } from '../../apps/worker/src/handlers/generate-codes.ts';
import { createPrismaClient } from '../../packages/db/src/index.ts';
import { JobProducer } from '../../packages/db/src/jobs.ts';

const [databaseUrl, redisUrl, prefix, jobId] = process.argv.slice(2);
if (!databaseUrl || !redisUrl || !prefix || !jobId) throw new Error('usage: codes-job.ts <databaseUrl> <redisUrl> <prefix> <jobId>');

const db = createPrismaClient({ databaseUrl, poolSize: 4 });
const jobs = new JobProducer({ connection: { url: redisUrl } as never, prefix });
try {
  const job = await db.bulkJob.findUniqueOrThrow({ where: { id: jobId } });
  const rssBeforeMb = process.memoryUsage().rss / 1048576;
  const started = performance.now();
  const result = await generateCodes({ db, jobs, logger: pino({ level: 'silent' }), job });
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, peakMb: process.resourceUsage().maxRSS / 1024, rssBeforeMb, created: result.created }));
} finally {
  await jobs.close();
  await db.$disconnect();
}
