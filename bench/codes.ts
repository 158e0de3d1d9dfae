// pnpm bench:codes — bulk generation of one code per partner for 100,000 partners, through the
// same function the worker runs (plan + one-transaction write + outbox rows + enqueue), on real
// Postgres and Redis. Prints wall time and the process's peak memory (max RSS). Targets: 10 s and
// 300 MB on a 2-core machine.
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { generateCodes } from '../apps/worker/src/handlers/generate-codes.ts';
import { createPrismaClient } from '../packages/db/src/index.ts';
import { JobProducer } from '../packages/db/src/jobs.ts';
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase, testRedisUrl } from '../packages/db/src/testing/index.ts';

const partners = Number(process.env.BENCH_PARTNERS ?? 100_000);
const targets = { seconds: 10, megabytes: 300 };

async function main() {
  const database = await createTestDatabase(await prepareTemplateDatabase());
  const redisKeys = createTestRedisPrefix();
  const db = createPrismaClient({ databaseUrl: database.url, poolSize: 4 });
  const jobs = new JobProducer({ connection: { url: testRedisUrl } as never, prefix: redisKeys.prefix });
  try {
    const ws = await db.workspace.create({ data: { name: 'Bench' } });
    const program = await db.program.create({ data: { workspaceId: ws.id, name: 'Bench', currency: 'USD', landingUrl: 'https://shop.example.test/', commissionType: 'percent', commissionValue: 2000 } });
    const connection = await db.connection.create({ data: { workspaceId: ws.id, programId: program.id, platform: 'stripe', name: 'Stripe', credentialsEncrypted: 'x', webhookSecretEncrypted: 'x', encryptionKeyId: 'bench', status: 'connected' } });
    const coupon = await db.coupon.create({ data: { workspaceId: ws.id, programId: program.id, name: '20%', discountType: 'percent', percentOffBps: 2000, connections: { create: { workspaceId: ws.id, connectionId: connection.id } } } });
    const first = ['John', 'Sarah', 'Ana', 'Mohammed', 'Li', 'Olga', 'Pedro', 'Aisha', 'Tom', 'Yuki'];
    await db.$executeRaw`
      INSERT INTO "Partner" ("workspaceId", "programId", "email", "name", "firstName", "lastName", "status", "referralKey", "updatedAt")
      SELECT ${ws.id}, ${program.id}, 'p' || i || '@bench.test', (${first}::text[])[1 + i % 10] || ' L' || i, (${first}::text[])[1 + i % 10], 'L' || i, 'active', 'bench-' || i, now()
      FROM generate_series(1, ${partners}) AS i`;
    const job = await db.bulkJob.create({
      data: { workspaceId: ws.id, programId: program.id, type: 'generate_codes', params: { couponId: coupon.id, pattern: '{FIRSTNAME}{AMOUNT}', partners: {}, restrictions: {}, seed: 'bench' } },
    });

    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const result = await generateCodes({ db, jobs, logger: pino({ level: 'silent' }), job });
    const seconds = (performance.now() - started) / 1000;
    const peakMb = process.resourceUsage().maxRSS / 1024;

    const created = await db.promotionCode.count({ where: { couponId: coupon.id } });
    const distinct = await db.$queryRaw<{ n: bigint }[]>`SELECT count(DISTINCT "normalizedCode") AS n FROM "PromotionCode" WHERE "couponId" = ${coupon.id}`;
    const outbox = await db.syncLink.count({ where: { connectionId: connection.id, state: 'pending' } });
    const checks = [
      { check: `codes created for ${partners} partners`, pass: created === partners && result.created === partners, value: created },
      { check: 'all codes distinct', pass: Number(distinct[0]?.n) === partners, value: Number(distinct[0]?.n) },
      { check: 'one pending sync row per code', pass: outbox === partners, value: outbox },
      { check: `time <= ${targets.seconds} s`, pass: seconds <= targets.seconds, value: `${seconds.toFixed(2)} s` },
      { check: `peak memory <= ${targets.megabytes} MB`, pass: peakMb <= targets.megabytes, value: `${peakMb.toFixed(0)} MB (RSS before: ${(rssBefore / 1048576).toFixed(0)} MB)` },
    ];
    console.log(`\nbench:codes — bulk generation for ${partners.toLocaleString('en')} partners`);
    console.table(checks);
    const passed = checks.filter((c) => c.pass).length;
    console.log(`${passed} passed, ${checks.length - passed} failed`);
    return checks.every((c) => c.pass) ? 0 : 1;
  } finally {
    await jobs.close();
    await db.$disconnect();
    await redisKeys.cleanup();
    await database.drop();
  }
}

process.exit(await main());
