// pnpm bench:codes — bulk generation of one code per partner for 100,000 partners, through the
// same function the worker runs (paged plan + one-transaction write + outbox rows + enqueue), on
// real Postgres and Redis. The job runs in a child process started for it alone (bench/lib/
// codes-job.ts), like a worker process: its wall time and peak memory (max RSS, including the
// Node + Prisma baseline) are the figures. Targets: 10 s and 300 MB on a 2-core machine.
// Baseline, measured in the same run: the same rows (codes, assignment history, outbox) written by
// one bare INSERT ... SELECT from generate_series in another workspace — the database's floor.
// Then the job runs again and must create nothing (idempotent re-run). BENCH_QUICK=1: 5,000.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createPrismaClient } from '../packages/db/src/index.ts';
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase, testRedisUrl } from '../packages/db/src/testing/index.ts';
import { benchQuick, benchRow, printChecks, quickTarget, writeBenchResult } from './lib/report.ts';

const partners = Number(process.env.BENCH_PARTNERS ?? (benchQuick ? 5_000 : 100_000));
const targets = { seconds: 10, megabytes: 300 };

type JobRun = { seconds: number; peakMb: number; rssBeforeMb: number; created: number };

function runJobInChild(databaseUrl: string, prefix: string, jobId: string): JobRun {
  const script = new URL('./lib/codes-job.ts', import.meta.url).pathname;
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, databaseUrl, testRedisUrl, prefix, jobId], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as JobRun;
}

async function main() {
  const database = await createTestDatabase(await prepareTemplateDatabase());
  const redisKeys = createTestRedisPrefix();
  const db = createPrismaClient({ databaseUrl: database.url, poolSize: 4 });
  try {
    const seedWorkspace = async (name: string) => {
      const ws = await db.workspace.create({ data: { name } });
      const program = await db.program.create({ data: { workspaceId: ws.id, name, currency: 'USD', landingUrl: 'https://shop.example.test/', commissionType: 'percent', commissionValue: 2000 } });
      const connection = await db.connection.create({ data: { workspaceId: ws.id, programId: program.id, platform: 'stripe', name: 'Stripe', credentialsEncrypted: 'x', webhookSecretEncrypted: 'x', encryptionKeyId: 'bench', status: 'connected' } });
      const coupon = await db.coupon.create({ data: { workspaceId: ws.id, programId: program.id, name: '20%', discountType: 'percent', percentOffBps: 2000, connections: { create: { workspaceId: ws.id, connectionId: connection.id } } } });
      const first = ['John', 'Sarah', 'Ana', 'Mohammed', 'Li', 'Olga', 'Pedro', 'Aisha', 'Tom', 'Yuki'];
      await db.$executeRaw`
        INSERT INTO "Partner" ("workspaceId", "programId", "email", "name", "firstName", "lastName", "status", "referralKey", "updatedAt")
        SELECT ${ws.id}, ${program.id}, 'p' || i || '@bench.test', (${first}::text[])[1 + i % 10] || ' L' || i, (${first}::text[])[1 + i % 10], 'L' || i, 'active', ${name} || '-' || i, now()
        FROM generate_series(1, ${partners}) AS i`;
      return { ws, program, connection, coupon };
    };
    const bench = await seedWorkspace('bench');
    const floor = await seedWorkspace('floor');

    // The floor: the same three rows per partner, computed codes, in one statement.
    const floorStarted = performance.now();
    await db.$executeRaw`
      WITH ins AS (
        INSERT INTO "PromotionCode" ("workspaceId", "programId", "couponId", "code", "normalizedCode", "partnerId", "source", "updatedAt")
        SELECT ${floor.ws.id}, ${floor.program.id}, ${floor.coupon.id}, upper(p."firstName") || '20-' || p."lastName", upper(p."firstName") || '20-' || upper(p."lastName"), p.id, 'generated', now()
        FROM "Partner" p WHERE p."programId" = ${floor.program.id}
        RETURNING id, "partnerId"
      ), history AS (
        INSERT INTO "PromotionCodeAssignment" ("workspaceId", "promotionCodeId", "partnerId") SELECT ${floor.ws.id}, ins.id, ins."partnerId" FROM ins
      )
      INSERT INTO "SyncLink" ("workspaceId", "connectionId", "entityType", "entityId", "promotionCodeId", "state", "updatedAt")
      SELECT ${floor.ws.id}, ${floor.connection.id}, 'promotion_code', ins.id, ins.id, 'pending', now() FROM ins`;
    const floorSeconds = (performance.now() - floorStarted) / 1000;

    const job = await db.bulkJob.create({
      data: { workspaceId: bench.ws.id, programId: bench.program.id, type: 'generate_codes', params: { couponId: bench.coupon.id, pattern: '{FIRSTNAME}{AMOUNT}', partners: {}, restrictions: {}, seed: 'bench' } },
    });
    const run = runJobInChild(database.url, redisKeys.prefix, job.id);
    const created = await db.promotionCode.count({ where: { couponId: bench.coupon.id } });
    const distinct = await db.$queryRaw<{ n: bigint }[]>`SELECT count(DISTINCT "normalizedCode") AS n FROM "PromotionCode" WHERE "couponId" = ${bench.coupon.id}`;
    const outbox = await db.syncLink.count({ where: { connectionId: bench.connection.id, state: 'pending' } });

    const rerunJob = await db.bulkJob.create({ data: { ...job, id: undefined, createdAt: undefined, updatedAt: undefined, params: job.params ?? {}, result: undefined } });
    const rerun = runJobInChild(database.url, redisKeys.prefix, rerunJob.id);
    const afterRerun = await db.promotionCode.count({ where: { couponId: bench.coupon.id } });

    const timeTarget = benchQuick ? quickTarget : `<= ${targets.seconds} s`;
    const memoryTarget = benchQuick ? quickTarget : `<= ${targets.megabytes} MB`;
    const checks = [
      { check: `codes created for ${partners} partners`, pass: created === partners && run.created === partners, value: created },
      { check: 'all codes distinct', pass: Number(distinct[0]?.n) === partners, value: Number(distinct[0]?.n) },
      { check: 'one pending sync row per code', pass: outbox === partners, value: outbox },
      { check: 're-run creates nothing', pass: rerun.created === 0 && afterRerun === partners, value: `${rerun.created} created in ${rerun.seconds.toFixed(2)} s` },
      { check: `time ${timeTarget}`, pass: benchQuick || run.seconds <= targets.seconds, value: `${run.seconds.toFixed(2)} s (bare INSERT floor: ${floorSeconds.toFixed(2)} s)` },
      { check: `peak memory ${memoryTarget}`, pass: benchQuick || run.peakMb <= targets.megabytes, value: `${run.peakMb.toFixed(0)} MB (RSS before the job: ${run.rssBeforeMb.toFixed(0)} MB)` },
    ];
    const correct = checks.slice(0, 4).every((c) => c.pass);
    const ok = printChecks(`bench:codes — bulk generation for ${partners.toLocaleString('en')} partners`, checks);
    writeBenchResult('codes', [
      benchRow({ metric: `bulk generation, ${partners.toLocaleString('en')} partners`, ours: run.seconds, baseline: floorSeconds, unit: 's', target: timeTarget, pass: correct && checks[4]!.pass }),
      benchRow({ metric: 'bulk generation peak RSS (worker process)', ours: run.peakMb, unit: 'MB', target: memoryTarget, pass: correct && checks[5]!.pass }),
      benchRow({ metric: 'idempotent re-run', ours: rerun.seconds, unit: 's', target: 'creates nothing', pass: checks[3]!.pass }),
    ]);
    return ok ? 0 : 1;
  } finally {
    await db.$disconnect();
    await redisKeys.cleanup();
    await database.drop();
  }
}

process.exit(await main());
