// pnpm bench scaling — does the product scale out? Real API and worker processes, started as
// production starts them (apps/*/src/main.ts under tsx, configured by environment), share one
// Postgres database and one Redis prefix. A stream of signed Stripe orders with duplicates (20%
// delivered twice, 10% sent again under a new event id) is split across the APIs; throughput is
// events fully processed (stored by an API, attributed by a worker) per second, from the first
// request until the last event is done, for 1 API + 1 worker, then again with a second API and a
// second worker started beside them (2 + 2).
// Correctness in both: every delivery answered 200, each event stored once, one sale and one
// commission per order, the ledger equal to the expected sum, nothing failed.
// The scaling ratio is reported, not judged: on a 2-core machine the load client, Postgres and
// four Node processes share two cores, so less than 2.0 is expected (CPU use is printed).
// BENCH_QUICK=1: 100 orders. BENCH_ORDERS, BENCH_CONCURRENCY, BENCH_WORKER_CONCURRENCY tune it.
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DEVELOPMENT_ENCRYPTION_KEYS, createPrismaClient, encryptConnectionSecrets, generateConnectionId, parseEncryptionKeys, type Db } from '../packages/db/src/index.ts';
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase, testRedisUrl } from '../packages/db/src/testing/index.ts';
import { signedStripeWebhook, stripeCheckoutCompleted } from '../packages/testkit/src/index.ts';
import { runLoad, type LoadRequest, type LoadResult } from './lib/http-load.ts';
import { freePort, machineCpuTicks, processCpuSeconds, startAppProcess, type AppProcess } from './lib/processes.ts';
import { benchQuick, benchRow, printChecks, writeBenchResult, type BenchRow, type Check } from './lib/report.ts';

const orders = Number(process.env.BENCH_ORDERS ?? (benchQuick ? 100 : 4_000));
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const workerConcurrency = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 16);
const warmupOrders = benchQuick ? 10 : 100;
const drainTimeoutMs = benchQuick ? 60_000 : 10 * 60_000;
const secret = 'whsec_bench_scaling_secret';
const connectionCount = 4;

type Setup = { codes: string[]; connectionIds: string[] };
type Stream = { deliveries: LoadRequest[]; uniqueEvents: number; expectedLedger: number };
type Phase = {
  label: string;
  apis: number;
  workers: number;
  load: LoadResult;
  seconds: number;
  eventsPerSecond: number;
  uniqueEvents: number;
  stored: number;
  processed: number;
  failedEvents: number;
  sales: number;
  commissions: number;
  ledger: number;
  expectedLedger: number;
  cpu: { apis: number | null; workers: number | null; database: number | null; machineBusy: number | null };
};

async function seed(db: Db): Promise<Setup> {
  const keys = parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEYS);
  const ws = await db.workspace.create({ data: { name: 'Bench' } });
  const program = await db.program.create({ data: { workspaceId: ws.id, name: 'Bench', currency: 'USD', landingUrl: 'https://shop.example.test/', commissionType: 'percent', commissionValue: 2000 } });
  const coupon = await db.coupon.create({ data: { workspaceId: ws.id, programId: program.id, name: '20%', discountType: 'percent', percentOffBps: 2000 } });
  const codes: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const partner = await db.partner.create({ data: { workspaceId: ws.id, programId: program.id, email: `p${i}@bench.test`, name: `Partner ${i}`, status: 'active', referralKey: `bench-${i}` } });
    const code = `SCALE${i}`;
    await db.promotionCode.create({ data: { workspaceId: ws.id, programId: program.id, couponId: coupon.id, code, normalizedCode: code, partnerId: partner.id } });
    codes.push(code);
  }
  const connectionIds: string[] = [];
  for (let i = 0; i < connectionCount; i += 1) {
    const id = generateConnectionId();
    const columns = encryptConnectionSecrets(keys, id, { credentials: { secretKey: 'sk_test_bench' }, webhookSecret: secret });
    await db.connection.create({ data: { id, workspaceId: ws.id, programId: program.id, platform: 'stripe', name: `Stripe ${i}`, status: 'connected', ...columns } });
    connectionIds.push(id);
  }
  return { codes, connectionIds };
}

/** A deterministic shuffle (xorshift), so both phases see the same shape of stream. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * `count` orders as signed deliveries, plus duplicates: 20% of deliveries again (same event id),
 * 10% of orders again under a new event id (same payment intent). Shuffled, then dealt to the
 * APIs in turn, so a duplicate usually reaches the other API. Amounts are multiples of 5, so the
 * 20% commission is exact.
 */
function makeStream(setup: Setup, prefix: string, count: number, ports: number[]): Stream {
  const now = Math.floor(Date.now() / 1000);
  const originals: { path: string; headers: Record<string, string>; body: string }[] = [];
  const again: typeof originals = [];
  let expectedLedger = 0;
  for (let i = 0; i < count; i += 1) {
    const amountTotal = 8_000 + 5 * (i % 400);
    expectedLedger += amountTotal / 5;
    const path = `/webhooks/stripe/${setup.connectionIds[i % setup.connectionIds.length]}`;
    const order = (eventId: string) => {
      const delivery = signedStripeWebhook({
        secret,
        payload: stripeCheckoutCompleted({
          eventId,
          sessionId: `cs_${prefix}_${i}`,
          paymentIntentId: `pi_${prefix}_${i}`,
          amountSubtotal: amountTotal + 2_000,
          amountDiscount: 2_000,
          amountTotal,
          promotionCodeId: `promo_${i % setup.codes.length}`,
          promotionCode: setup.codes[i % setup.codes.length]!,
          email: `buyer-${prefix}-${i}@bench.test`,
          created: now,
        }),
      });
      return { path, headers: delivery.headers, body: delivery.rawBody };
    };
    originals.push(order(`evt_${prefix}_${i}`));
    if (i % 10 === 0) again.push(order(`evt_${prefix}_${i}_again`));
  }
  const redelivered = originals.filter((_, i) => i % 5 === 1);
  const all = shuffle([...originals, ...redelivered, ...again], 0x5eed);
  return {
    deliveries: all.map((d, k) => ({ port: ports[k % ports.length]!, method: 'POST', path: d.path, headers: d.headers, body: d.body })),
    uniqueEvents: originals.length + again.length,
    expectedLedger,
  };
}

/** CPU seconds of each Postgres backend serving this database (the bench's, the APIs', the workers'), by pid. */
async function databaseCpu(db: Db): Promise<Map<number, number | null>> {
  const rows = await db.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
  return new Map(rows.map((r) => [r.pid, processCpuSeconds(r.pid)]));
}

/** CPU the backends used between two readings; a backend opened in between counts from zero. */
function databaseCpuUsed(before: Map<number, number | null>, after: Map<number, number | null>): number | null {
  let used = 0;
  for (const [pid, cpu] of after) {
    if (cpu === null) return null;
    used += cpu - (before.get(pid) ?? 0);
  }
  return used;
}

async function countDone(db: Db, prefix: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "WebhookEvent" WHERE starts_with("dedupeKey", ${`evt_${prefix}_`}) AND "status" <> 'received'`;
  return Number(row?.n ?? 0);
}

async function waitForEvents(db: Db, prefix: string, expected: number): Promise<boolean> {
  const deadline = Date.now() + drainTimeoutMs;
  while (Date.now() < deadline) {
    if ((await countDone(db, prefix)) >= expected) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

/** One more API (on a free port) and one more worker, started side by side. */
async function addPair(env: Record<string, string>, n: number): Promise<{ api: AppProcess; worker: AppProcess }> {
  const port = await freePort();
  const [api, worker] = await Promise.all([
    startAppProcess({ app: 'api', name: `api ${n}`, port, env: { ...env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', DATABASE_POOL_SIZE: '10' } }),
    // info: the worker says "worker started" once its queues listen; per job it logs only failures.
    startAppProcess({ app: 'worker', name: `worker ${n}`, env: { ...env, LOG_LEVEL: 'info', WORKER_CONCURRENCY: String(workerConcurrency), DATABASE_POOL_SIZE: String(workerConcurrency) } }),
  ]);
  return { api, worker };
}

/** Warms up, then measures the stream through these APIs with these workers running. */
async function runPhase(input: { db: Db; setup: Setup; apis: AppProcess[]; workers: AppProcess[]; label: string; prefix: string }): Promise<Phase> {
  const { db, setup, apis: apiProcesses, workers: workerProcesses } = input;
  const ports = apiProcesses.map((p) => p.port!);
  // Warm-up through every process (module loading, JIT, pools), then the measured stream.
  const warm = makeStream(setup, `${input.prefix}w`, warmupOrders, ports);
  await runLoad({ requests: warm.deliveries, concurrency });
  if (!(await waitForEvents(db, `${input.prefix}w`, warm.uniqueEvents))) throw new Error(`${input.label}: the warm-up events were not processed in time`);

  const stream = makeStream(setup, input.prefix, orders, ports);
  const cpu = (list: AppProcess[]) => {
    const each = list.map((p) => processCpuSeconds(p.child.pid));
    return each.some((s) => s === null) ? null : each.reduce<number>((sum, s) => sum + (s ?? 0), 0);
  };
  const before = { apis: cpu(apiProcesses), workers: cpu(workerProcesses), database: await databaseCpu(db), machine: machineCpuTicks() };
  const started = performance.now();
  const load = await runLoad({ requests: stream.deliveries, concurrency });
  const drained = await waitForEvents(db, input.prefix, stream.uniqueEvents);
  const seconds = (performance.now() - started) / 1000;
  const after = { apis: cpu(apiProcesses), workers: cpu(workerProcesses), database: await databaseCpu(db), machine: machineCpuTicks() };
  if (!drained) console.error(`${input.label}: not every event was processed within ${drainTimeoutMs / 1000} s`);

  // starts_with, not LIKE: "_" is a LIKE wildcard, and "evt_one_%" would match the warm-up's "evt_onew_1".
  const eventPrefix = `evt_${input.prefix}_`;
  const orderPrefix = `pi_${input.prefix}_`;
  const [events] = await db.$queryRaw<{ stored: bigint; processed: bigint; failed: bigint }[]>`
    SELECT count(*) AS stored, count(*) FILTER (WHERE "status" = 'processed') AS processed, count(*) FILTER (WHERE "status" = 'failed') AS failed
    FROM "WebhookEvent" WHERE starts_with("dedupeKey", ${eventPrefix})`;
  const [ledger] = await db.$queryRaw<{ sales: bigint; commissions: bigint; amount: bigint | null }[]>`
    SELECT (SELECT count(*) FROM "Sale" WHERE starts_with("platformOrderId", ${orderPrefix})) AS sales,
      count(*) AS commissions, sum(c."amount") AS amount
    FROM "Commission" c JOIN "Sale" s ON s."id" = c."saleId" WHERE starts_with(s."platformOrderId", ${orderPrefix})`;
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  const machineBusy = before.machine && after.machine ? (after.machine.busy - before.machine.busy) / Math.max(1, after.machine.total - before.machine.total) : null;
  return {
    label: input.label,
    apis: apiProcesses.length,
    workers: workerProcesses.length,
    load,
    seconds,
    eventsPerSecond: stream.uniqueEvents / seconds,
    uniqueEvents: stream.uniqueEvents,
    stored: Number(events?.stored ?? 0),
    processed: Number(events?.processed ?? 0),
    failedEvents: Number(events?.failed ?? 0),
    sales: Number(ledger?.sales ?? 0),
    commissions: Number(ledger?.commissions ?? 0),
    ledger: Number(ledger?.amount ?? 0),
    expectedLedger: stream.expectedLedger,
    cpu: { apis: delta(before.apis, after.apis), workers: delta(before.workers, after.workers), database: databaseCpuUsed(before.database, after.database), machineBusy },
  };
}

function correctness(p: Phase): { check: string; pass: boolean; ours: number; baseline: number; unit: string }[] {
  return [
    { check: 'deliveries answered 200', pass: p.load.failed === 0, ours: p.load.ok, baseline: p.load.ok + p.load.failed, unit: 'requests' },
    { check: 'events stored once (duplicates dropped)', pass: p.stored === p.uniqueEvents, ours: p.stored, baseline: p.uniqueEvents, unit: 'events' },
    { check: 'events processed, none failed', pass: p.processed === p.uniqueEvents && p.failedEvents === 0, ours: p.processed, baseline: p.uniqueEvents, unit: 'events' },
    { check: 'one sale per order', pass: p.sales === orders, ours: p.sales, baseline: orders, unit: 'sales' },
    { check: 'one commission per order', pass: p.commissions === orders, ours: p.commissions, baseline: orders, unit: 'commissions' },
    { check: 'ledger equals the expected sum', pass: p.ledger === p.expectedLedger, ours: p.ledger, baseline: p.expectedLedger, unit: 'cents' },
  ];
}

async function main() {
  const database = await createTestDatabase(await prepareTemplateDatabase());
  const redisKeys = createTestRedisPrefix();
  const db = createPrismaClient({ databaseUrl: database.url, poolSize: 4 });
  try {
    const setup = await seed(db);
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl,
      REDIS_PREFIX: redisKeys.prefix,
      COOKIE_SECRET: randomBytes(32).toString('hex'),
      // The key the bench encrypted the webhook secrets with; production sets its own.
      ENCRYPTION_KEYS: DEVELOPMENT_ENCRYPTION_KEYS,
      // Every delivery still passes the Redis-backed per-connection limiter; the bench only sends
      // more per minute than a real platform would.
      WEBHOOK_RATE_LIMIT_MAX: '1000000',
    };
    // 1 API + 1 worker, then one more of each beside them: the second phase scales out the first.
    const processes: AppProcess[] = [];
    let one: Phase;
    let two: Phase;
    try {
      const first = await addPair(env, 1);
      processes.push(first.api, first.worker);
      one = await runPhase({ db, setup, apis: [first.api], workers: [first.worker], label: '1 API + 1 worker', prefix: 'one' });
      const second = await addPair(env, 2);
      processes.push(second.api, second.worker);
      two = await runPhase({ db, setup, apis: [first.api, second.api], workers: [first.worker, second.worker], label: '2 APIs + 2 workers', prefix: 'two' });
    } catch (err) {
      for (const p of processes) console.error(`--- ${p.name} output:\n${p.output().slice(-3_000)}`);
      throw err;
    } finally {
      await Promise.all(processes.map((p) => p.stop()));
    }
    const ratio = two.eventsPerSecond / one.eventsPerSecond;

    const cpuText = (p: Phase) =>
      p.cpu.apis === null
        ? 'CPU n/a'
        : `CPU: APIs ${p.cpu.apis.toFixed(1)} s, workers ${p.cpu.workers?.toFixed(1)} s, Postgres ${p.cpu.database?.toFixed(1) ?? 'n/a'} s, machine ${((p.cpu.machineBusy ?? 0) * 100).toFixed(0)}% busy (others included)`;
    const checks: Check[] = [];
    const rows: BenchRow[] = [];
    for (const p of [one, two]) {
      checks.push({ check: `${p.label}: events processed/s (info)`, pass: true, value: `${p.eventsPerSecond.toFixed(1)} (${p.uniqueEvents} events, ${p.load.ok + p.load.failed} deliveries in ${p.seconds.toFixed(2)} s; ${cpuText(p)})` });
      for (const c of correctness(p)) {
        checks.push({ check: `${p.label}: ${c.check}`, pass: c.pass, value: `${c.ours} of ${c.baseline}` });
        rows.push(benchRow({ metric: `${p.label}: ${c.check}`, ours: c.ours, baseline: c.baseline, unit: c.unit, target: 'equal', pass: c.pass }));
      }
    }
    const cores = cpus().length;
    checks.push({ check: 'scaling ratio, 2+2 / 1+1 (info: 2.0 is linear)', pass: true, value: `${ratio.toFixed(2)} on ${cores} cores` });
    rows.unshift(
      benchRow({ metric: 'events processed/s, 1 API + 1 worker', ours: one.eventsPerSecond, unit: 'events/s', target: 'info', pass: true }),
      benchRow({ metric: 'events processed/s, 2 APIs + 2 workers (ratio = scaling)', ours: two.eventsPerSecond, baseline: one.eventsPerSecond, unit: 'events/s', target: `info (2.0 = linear; ${cores} cores)`, pass: true }),
    );
    writeBenchResult('scaling', rows);
    const title = `bench:scaling — ${orders} orders (+ duplicates) per phase, ${concurrency} requests in flight, worker concurrency ${workerConcurrency}, processes started like production`;
    return printChecks(title, checks) ? 0 : 1;
  } finally {
    await db.$disconnect();
    await redisKeys.cleanup();
    await database.drop();
  }
}

process.exit(await main());
