// pnpm bench:sync — outbound sync of 5,000 codes to the Stripe emulator through the real worker
// (drain job, adapter, per-connection Redis rate limiter at 100/s), with the emulator enforcing
// 100 requests/s and answering 429 beyond. Prints throughput against the configured limit
// (target >= 90%), the 429s seen, and whether every code reached Stripe exactly once (target: no
// unhandled 429, i.e. nothing failed, nothing missing, nothing twice). BENCH_QUICK=1: 300 codes,
// correctness only (the throughput share needs the full run to settle).
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { startWorkers } from '../apps/worker/src/runtime.ts';
import { DEVELOPMENT_ENCRYPTION_KEYS, createPrismaClient, encryptConnectionSecrets, enqueueSyncLinks, generateConnectionId, markCodesPending, markCouponPending, parseEncryptionKeys } from '../packages/db/src/index.ts';
import { JobProducer } from '../packages/db/src/jobs.ts';
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase, testRedisUrl } from '../packages/db/src/testing/index.ts';
import { startStripeEmulator } from '../packages/testkit/src/index.ts';
import { benchQuick, benchRow, printChecks, quickTarget, writeBenchResult } from './lib/report.ts';

const codes = Number(process.env.BENCH_CODES ?? (benchQuick ? 300 : 5_000));
const limit = Number(process.env.BENCH_RATE_LIMIT ?? 100);
const target = { throughputShare: 0.9 };

async function main() {
  const database = await createTestDatabase(await prepareTemplateDatabase());
  const redisKeys = createTestRedisPrefix();
  const db = createPrismaClient({ databaseUrl: database.url, poolSize: 10 });
  const connectionOptions = { url: testRedisUrl, maxRetriesPerRequest: null } as never;
  const jobs = new JobProducer({ connection: connectionOptions, prefix: redisKeys.prefix });
  const stripe = await startStripeEmulator({ apiKey: 'sk_live_bench', rateLimitPerSecond: limit });
  const keys = parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEYS);
  let worker: { close: () => Promise<void> } | null = null;
  try {
    const ws = await db.workspace.create({ data: { name: 'Bench' } });
    const program = await db.program.create({ data: { workspaceId: ws.id, name: 'Bench', currency: 'USD', landingUrl: 'https://shop.example.test/', commissionType: 'percent', commissionValue: 2000 } });
    const connectionId = generateConnectionId();
    await db.connection.create({
      data: {
        id: connectionId,
        workspaceId: ws.id,
        programId: program.id,
        platform: 'stripe',
        name: 'Stripe',
        status: 'connected',
        apiBaseUrl: stripe.url,
        ...encryptConnectionSecrets(keys, connectionId, { credentials: { secretKey: stripe.state.apiKey }, webhookSecret: null }),
      },
    });
    const coupon = await db.coupon.create({ data: { workspaceId: ws.id, programId: program.id, name: '20%', discountType: 'percent', percentOffBps: 2000, connections: { create: { workspaceId: ws.id, connectionId } } } });
    await db.$executeRaw`
      INSERT INTO "PromotionCode" ("workspaceId", "programId", "couponId", "code", "normalizedCode", "source", "updatedAt")
      SELECT ${ws.id}, ${program.id}, ${coupon.id}, 'BENCH' || i, 'BENCH' || i, 'generated', now()
      FROM generate_series(1, ${codes}) AS i`;
    const codeIds = (await db.promotionCode.findMany({ where: { couponId: coupon.id }, select: { id: true } })).map((c) => c.id);
    const links = [
      ...(await markCouponPending(db, { workspaceId: ws.id, couponId: coupon.id, connectionIds: [connectionId] })),
      ...(await markCodesPending(db, { workspaceId: ws.id, codeIds, connectionIds: [connectionId] })),
    ];

    const running = startWorkers(
      {
        db,
        jobs,
        logger: pino({ level: 'silent' }),
        sweepOlderThanMs: 30_000,
        sync: {
          encryptionKeys: keys,
          rateLimits: { stripeTest: limit, stripeLive: limit, paddle: 4, woocommerce: 10, shopify: 2 },
          headroom: Number(process.env.BENCH_HEADROOM ?? 0.95),
          maxAttempts: 10,
          backoffBaseMs: 1000,
          backoffMaxMs: 300_000,
          drainConcurrency: 8,
          requestTimeoutMs: 20_000,
        },
      },
      { connection: connectionOptions, prefix: redisKeys.prefix, concurrency: 10 },
    );
    worker = running;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await enqueueSyncLinks(jobs, links, (err) => console.error('enqueue failed', err));
    for (;;) {
      const pending = await db.syncLink.count({ where: { connectionId, state: 'pending' } });
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerCode = (cpu.user + cpu.system) / 1000 / codes;

    const states = await db.syncLink.groupBy({ by: ['state'], where: { connectionId, entityType: 'promotion_code' }, _count: { _all: true } });
    const synced = states.find((s) => s.state === 'synced')?._count._all ?? 0;
    const failed = states.find((s) => s.state === 'failed')?._count._all ?? 0;
    const onStripe = new Map<string, number>();
    for (const p of stripe.state.promotionCodes) onStripe.set(p.code, (onStripe.get(p.code) ?? 0) + 1);
    const exactlyOnce = [...Array(codes).keys()].every((i) => onStripe.get(`BENCH${i + 1}`) === 1) && stripe.state.promotionCodes.length === codes;
    const linked = await db.syncLink.findMany({ where: { connectionId, entityType: 'promotion_code' }, select: { platformId: true } });
    const platformIds = new Set(stripe.state.promotionCodes.map((p) => p.id));
    const linksMatch = linked.every((l) => l.platformId !== null && platformIds.has(l.platformId));
    const creates = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/promotion_codes');
    const seen429 = creates.length - stripe.state.promotionCodes.length;
    const firstAt = creates[0]?.at.getTime() ?? 0;
    const lastAt = creates.at(-1)?.at.getTime() ?? 0;
    const throughput = codes / seconds;
    const paced = creates.length / Math.max(0.001, (lastAt - firstAt) / 1000);

    const pass = {
      throughput: throughput >= limit * target.throughputShare,
      pace: paced <= limit * 1.02,
      noneUnhandled: failed === 0 && synced === codes,
    };
    const checks = [
      { check: `throughput >= ${target.throughputShare * 100}% of ${limit}/s`, pass: benchQuick || pass.throughput, value: `${throughput.toFixed(1)} codes/s (${((throughput / limit) * 100).toFixed(1)}%) over ${seconds.toFixed(1)} s${benchQuick ? ' (quick: not judged)' : ''}` },
      { check: 'request pace at the emulator', pass: pass.pace, value: `${paced.toFixed(1)} requests/s` },
      // Worker, emulator and Prisma share this one process: CPU per code bounds the pace on a busy machine.
      { check: 'CPU per code (this process, info)', pass: true, value: `${cpuMsPerCode.toFixed(2)} ms (${(cpuMsPerCode * limit / 10).toFixed(0)}% of one core at ${limit}/s)` },
      { check: '429s seen (handled: retried after Retry-After)', pass: true, value: seen429 },
      { check: 'unhandled 429s (links failed or still pending)', pass: pass.noneUnhandled, value: codes - synced },
      { check: `every code on Stripe exactly once (${codes})`, pass: exactlyOnce, value: stripe.state.promotionCodes.length },
      { check: 'every link holds its Stripe id', pass: linksMatch, value: linked.length },
    ];
    const shareTarget = `>= ${target.throughputShare * 100}% of the limit`;
    writeBenchResult('sync', [
      benchRow({ metric: `throughput, ${codes} codes`, ours: throughput, baseline: limit, unit: 'codes/s', target: benchQuick ? quickTarget : shareTarget, pass: benchQuick || pass.throughput }),
      benchRow({ metric: 'request pace at the emulator', ours: paced, baseline: limit, unit: 'requests/s', target: '<= 102% of the limit', pass: pass.pace }),
      benchRow({ metric: 'CPU per code (this process)', ours: cpuMsPerCode, unit: 'ms', target: 'info', pass: true }),
      benchRow({ metric: '429s seen (retried after Retry-After)', ours: seen429, unit: 'responses', target: 'info', pass: true }),
      benchRow({ metric: 'unhandled 429s (links failed or pending)', ours: codes - synced, unit: 'links', target: '0', pass: pass.noneUnhandled }),
      benchRow({ metric: 'codes on Stripe (each exactly once)', ours: stripe.state.promotionCodes.length, baseline: codes, unit: 'codes', target: 'every code exactly once', pass: exactlyOnce }),
      benchRow({ metric: 'links holding their Stripe id', ours: linked.length, baseline: codes, unit: 'links', target: 'all', pass: linksMatch }),
    ]);
    return printChecks(`bench:sync — ${codes.toLocaleString('en')} codes to the Stripe emulator, limiter and emulator at ${limit}/s`, checks) ? 0 : 1;
  } finally {
    await worker?.close();
    await jobs.close();
    await stripe.close();
    await db.$disconnect();
    await redisKeys.cleanup();
    await database.drop();
  }
}

process.exit(await main());
