// pnpm bench:webhooks — the webhook path on real Postgres and Redis, in one run:
//   1. ingress requests/s (signature check, inbox INSERT ... ON CONFLICT, enqueue) against a bare
//      Fastify route doing one INSERT on the same Postgres: target >= 70% of the bare route. The
//      bare route stores the same row with the same statement into a copy of the inbox table
//      (LIKE "WebhookEvent" INCLUDING ALL: same columns, defaults and indexes), so the ratio is
//      the cost of what ingress adds (signature, rate limit, dedupe, enqueue, the API's hooks);
//      a route inserting into a minimal table (id, payload, time) is measured too, for reference;
//   2. p99 ingress latency at half the measured ingress rate (open loop: requests are sent on a
//      fixed schedule whether or not earlier ones have answered, so queueing shows in the numbers);
//   3. attribution throughput of one worker process (the real BullMQ runtime): target >= 1,000
//      orders/s for the deliveries stored in step 1.
// Load comes from a worker thread of this process (bench/lib/http-load.ts) over loopback HTTP with keep-alive agents.
// BENCH_REQUESTS (default 4000; 600 with BENCH_QUICK=1), BENCH_CONCURRENCY (64) and
// BENCH_WORKER_CONCURRENCY (100, the worker's WEBHOOK_CONCURRENCY default) tune it.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type FastifyFactory from '../apps/api/node_modules/fastify';
import type { Redis as RedisClient } from '../apps/api/node_modules/ioredis';
import pino from 'pino';
import { signedStripeWebhook, stripeCheckoutCompleted } from '../packages/testkit/src/index.ts';
import { buildApp } from '../apps/api/src/app.ts';
import { loadApiConfig } from '../apps/api/src/config.ts';
import { startWorkers } from '../apps/worker/src/runtime.ts';
import { createPrismaClient, encryptConnectionSecrets, generateConnectionId } from '../packages/db/src/index.ts';
import { JobProducer } from '../packages/db/src/jobs.ts';
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase, testRedisUrl } from '../packages/db/src/testing/index.ts';
import { runLoad as runHttpLoad, type LoadRequest, type LoadResult } from './lib/http-load.ts';
import { benchQuick, benchRow, percentile, printChecks, quickTarget, writeBenchResult } from './lib/report.ts';

// The bench sits at the root, which depends on neither: resolve them as the API does.
const requireFromApi = createRequire(new URL('../apps/api/package.json', import.meta.url));
const Fastify = requireFromApi('fastify') as typeof FastifyFactory;
const { Redis } = requireFromApi('ioredis') as { Redis: typeof RedisClient };

const requests = Number(process.env.BENCH_REQUESTS ?? (benchQuick ? 600 : 4_000));
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const workerConcurrency = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 100);
const latencySeconds = 4;
const targets = { ratio: 0.7, ordersPerSecond: 1_000 };
const secret = 'whsec_bench_signing_secret';

type Request = { path: string; headers: Record<string, string>; body: string };

/** POSTs the requests to the port: closed loop with `concurrency`, or open loop at `rate` per second. */
function runLoad(input: { port: number; requests: Request[]; mode: 'closed' | 'open'; concurrency?: number; rate?: number }): Promise<LoadResult> {
  const requests: LoadRequest[] = input.requests.map((r) => ({ port: input.port, method: 'POST', ...r }));
  return input.mode === 'open' ? runHttpLoad({ requests, concurrency: 512, rate: input.rate ?? 1 }) : runHttpLoad({ requests, concurrency: input.concurrency ?? 1 });
}

async function main() {
  const database = await createTestDatabase(await prepareTemplateDatabase());
  const redisKeys = createTestRedisPrefix();
  const config = loadApiConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '20',
    REDIS_URL: testRedisUrl,
    REDIS_PREFIX: redisKeys.prefix,
    LOG_LEVEL: 'silent',
    // Every request still goes through the Redis-backed per-connection limiter; the bench only
    // sends more per minute than a real platform would.
    WEBHOOK_RATE_LIMIT_MAX: '1000000',
  });
  const db = createPrismaClient({ ...config.database });
  const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 2 });
  const jobs = new JobProducer({ connection: { url: testRedisUrl } as never, prefix: redisKeys.prefix });
  const app = await buildApp({ config, db, redis, jobs, logger: false });
  const bareDb = createPrismaClient({ ...config.database });
  const bare = Fastify({ logger: false, bodyLimit: config.bodyLimit });
  let workerDb: ReturnType<typeof createPrismaClient> | null = null;
  try {
    // A workspace with a program, ten partners with a code each and eight Stripe connections.
    const ws = await db.workspace.create({ data: { name: 'Bench' } });
    const program = await db.program.create({
      data: { workspaceId: ws.id, name: 'Bench', currency: 'USD', landingUrl: 'https://shop.example.test/', commissionType: 'percent', commissionValue: 2000, commissionDuration: 'lifetime' },
    });
    const coupon = await db.coupon.create({ data: { workspaceId: ws.id, programId: program.id, name: '20%', discountType: 'percent', percentOffBps: 2000 } });
    const codes: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const partner = await db.partner.create({ data: { workspaceId: ws.id, programId: program.id, email: `p${i}@bench.test`, name: `Partner ${i}`, status: 'active', referralKey: `bench-${i}` } });
      const code = `BENCH${i}`;
      await db.promotionCode.create({ data: { workspaceId: ws.id, programId: program.id, couponId: coupon.id, code, normalizedCode: code, partnerId: partner.id } });
      codes.push(code);
    }
    const connectionIds: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const id = generateConnectionId();
      const columns = encryptConnectionSecrets(config.encryptionKeys, id, { credentials: { secretKey: 'sk_test_bench' }, webhookSecret: secret });
      await db.connection.create({ data: { id, workspaceId: ws.id, programId: program.id, platform: 'stripe', name: `Stripe ${i}`, status: 'connected', ...columns } });
      connectionIds.push(id);
    }
    await db.$executeRawUnsafe('CREATE TABLE "BenchBare" ("id" bigserial PRIMARY KEY, "payload" jsonb NOT NULL, "receivedAt" timestamptz NOT NULL DEFAULT now())');
    await db.$executeRawUnsafe('CREATE TABLE "BenchInbox" (LIKE "WebhookEvent" INCLUDING ALL)');

    bare.post('/bare-minimal', async (req) => {
      await bareDb.$executeRaw`INSERT INTO "BenchBare" ("payload") VALUES (${JSON.stringify(req.body)}::jsonb)`;
      return { received: true };
    });
    bare.post('/bare/:connectionId', async (req) => {
      const body = req.body as { id: string; type: string };
      const { connectionId } = req.params as { connectionId: string };
      await bareDb.$queryRaw`
        INSERT INTO "BenchInbox" ("workspaceId", "connectionId", "platform", "dedupeKey", "topic", "payload", "headers")
        VALUES (${ws.id}, ${connectionId}, 'stripe'::"Platform", ${body.id}, ${body.type}, ${JSON.stringify(body)}::jsonb, '{}'::jsonb)
        ON CONFLICT ("connectionId", "dedupeKey") DO NOTHING
        RETURNING "id"`;
      return { received: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const appPort = (app.server.address() as { port: number }).port;
    const barePort = (bare.server.address() as { port: number }).port;

    const now = Math.floor(Date.now() / 1000);
    const makeDeliveries = (prefix: string, count: number): Request[] =>
      Array.from({ length: count }, (_, i) => {
        const delivery = signedStripeWebhook({
          secret,
          payload: stripeCheckoutCompleted({
            eventId: `evt_${prefix}_${i}`,
            paymentIntentId: `pi_${prefix}_${i}`,
            amountSubtotal: 10_000 + i,
            amountDiscount: 2_000,
            amountTotal: 8_000 + i,
            promotionCodeId: `promo_${i % codes.length}`,
            promotionCode: codes[i % codes.length]!,
            email: `buyer-${prefix}-${i}@bench.test`,
            created: now,
          }),
        });
        return { path: `/webhooks/stripe/${connectionIds[i % connectionIds.length]}`, headers: delivery.headers, body: delivery.rawBody };
      });
    const ingressRequests = makeDeliveries('ingress', requests);
    const bareRequests = ingressRequests.map((r) => ({ ...r, path: r.path.replace('/webhooks/stripe/', '/bare/'), headers: { 'content-type': 'application/json' } }));
    const minimalRequests = ingressRequests.map((r) => ({ ...r, path: '/bare-minimal', headers: { 'content-type': 'application/json' } }));

    // Warm-up (JIT, pools, prepared plans), then bare and ingress alternately, best of two each.
    const warmup = makeDeliveries('warmup', 300);
    await runLoad({ port: barePort, requests: minimalRequests.slice(0, 300), mode: 'closed', concurrency });
    await runLoad({ port: barePort, requests: warmup.map((r) => ({ ...r, path: r.path.replace('/webhooks/stripe/', '/bare/'), headers: { 'content-type': 'application/json' } })), mode: 'closed', concurrency });
    await runLoad({ port: appPort, requests: warmup, mode: 'closed', concurrency });
    const bareRuns: LoadResult[] = [];
    const minimalRuns: LoadResult[] = [];
    const ingressRuns: LoadResult[] = [];
    const half = Math.floor(requests / 2);
    for (const [i, slice] of [ingressRequests.slice(0, half), ingressRequests.slice(half)].entries()) {
      minimalRuns.push(await runLoad({ port: barePort, requests: minimalRequests.slice(i * half, (i + 1) * half), mode: 'closed', concurrency }));
      bareRuns.push(await runLoad({ port: barePort, requests: bareRequests.slice(i * half, (i + 1) * half), mode: 'closed', concurrency }));
      ingressRuns.push(await runLoad({ port: appPort, requests: slice, mode: 'closed', concurrency }));
    }
    const rps = (r: LoadResult) => r.ok / r.seconds;
    const bareRps = Math.max(...bareRuns.map(rps));
    const minimalRps = Math.max(...minimalRuns.map(rps));
    const ingressRps = Math.max(...ingressRuns.map(rps));
    const ingressFailures = ingressRuns.reduce((n, r) => n + r.failed, 0);

    const latencyRate = Math.max(1, Math.floor(ingressRps / 2));
    const latencyRun = await runLoad({ port: appPort, requests: makeDeliveries('latency', latencyRate * latencySeconds), mode: 'open', rate: latencyRate });
    const p50 = percentile(latencyRun.latenciesMs, 50);
    const p99 = percentile(latencyRun.latenciesMs, 99);

    // Attribution: one worker runtime drains everything the ingress stored.
    const stored = await db.webhookEvent.count({ where: { status: 'received' } });
    workerDb = createPrismaClient({ databaseUrl: database.url, poolSize: workerConcurrency });
    const started = performance.now();
    const running = startWorkers(
      { db: workerDb, jobs, logger: pino({ level: 'silent' }), sweepOlderThanMs: 30_000 },
      { connection: { url: testRedisUrl, maxRetriesPerRequest: null } as never, prefix: redisKeys.prefix, concurrency: workerConcurrency, queueNames: ['webhooks'] },
    );
    for (;;) {
      const open = await db.webhookEvent.count({ where: { status: 'received' } });
      if (open === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const workerSeconds = (performance.now() - started) / 1000;
    await running.close();
    const ordersPerSecond = stored / workerSeconds;
    const [sales, commissions, failedEvents] = await Promise.all([db.sale.count(), db.commission.count(), db.webhookEvent.count({ where: { status: 'failed' } })]);

    const ratio = ingressRps / bareRps;
    const ratioTarget = benchQuick ? quickTarget : `>= ${targets.ratio * 100}%`;
    const throughputTarget = benchQuick ? quickTarget : `>= ${targets.ordersPerSecond}`;
    const ledgerOk = sales === stored && commissions === stored && failedEvents === 0;
    const checks = [
      { check: 'bare route, one INSERT into a minimal table, requests/s (reference)', pass: minimalRuns.every((r) => r.failed === 0), value: `${minimalRps.toFixed(0)} (ingress at ${((ingressRps / minimalRps) * 100).toFixed(1)}%)` },
      { check: 'bare route, the same INSERT into a copy of the inbox, requests/s', pass: bareRuns.every((r) => r.failed === 0), value: bareRps.toFixed(0) },
      { check: 'webhook ingress requests/s', pass: ingressFailures === 0, value: `${ingressRps.toFixed(0)} (${ingressFailures} non-200)` },
      { check: `ingress / bare ${ratioTarget}`, pass: benchQuick || ratio >= targets.ratio, value: `${(ratio * 100).toFixed(1)}%` },
      { check: `p99 ingress latency at ${latencyRate} req/s (half load)`, pass: latencyRun.failed === 0, value: `p99 ${p99.toFixed(1)} ms, p50 ${p50.toFixed(1)} ms, ${latencyRun.ok} requests` },
      { check: `attribution orders/s, one worker (concurrency ${workerConcurrency}) ${throughputTarget}`, pass: benchQuick || ordersPerSecond >= targets.ordersPerSecond, value: `${ordersPerSecond.toFixed(0)} (${stored} orders in ${workerSeconds.toFixed(2)} s)` },
      { check: 'one sale and one commission per order, none failed', pass: ledgerOk, value: `${sales} sales, ${commissions} commissions, ${failedEvents} failed` },
    ];
    const ok = printChecks(`bench:webhooks — ${requests} signed Stripe orders, ${concurrency} concurrent connections, loopback`, checks);
    writeBenchResult('webhooks', [
      benchRow({ metric: 'webhook ingress requests/s (vs the same INSERT on a bare route)', ours: ingressRps, baseline: bareRps, unit: 'req/s', target: ratioTarget, pass: checks[1]!.pass && checks[2]!.pass && checks[3]!.pass }),
      benchRow({ metric: 'webhook ingress requests/s (vs an INSERT into a minimal table)', ours: ingressRps, baseline: minimalRps, unit: 'req/s', target: 'info', pass: checks[0]!.pass }),
      benchRow({ metric: `ingress p99 latency at ${latencyRate} req/s`, ours: p99, unit: 'ms', target: 'info', pass: checks[4]!.pass }),
      benchRow({ metric: 'attribution orders/s, one worker process', ours: ordersPerSecond, unit: 'orders/s', target: throughputTarget, pass: ledgerOk && checks[5]!.pass }),
    ]);
    return ok ? 0 : 1;
  } finally {
    await app.close();
    await bare.close();
    await jobs.close();
    redis.disconnect();
    await db.$disconnect();
    await bareDb.$disconnect();
    await workerDb?.$disconnect();
    await redisKeys.cleanup();
    await database.drop();
  }
}

process.exit(await main());
