// pnpm faults [--quick] — the product under faults, as separate OS processes on infrastructure of
// its own:
//   - a private Postgres cluster (initdb on a free port; migrated once per set of migrations) and a
//     private Redis without persistence, both started by this script, which restarts them;
//   - the API and two workers, spawned with the entry points production uses (apps/*/src/main.ts),
//     configured by environment variables only;
//   - the Stripe and WooCommerce emulators (packages/testkit) in this process.
// A signed, shuffled stream of Stripe and WooCommerce order webhooks (orders, repeats, refunds
// before their orders, cancellations) is POSTed to the API while a backlog of promotion codes
// (most written by SQL with their outbox rows, some created through the API meanwhile) drains to
// both emulators. Meanwhile: emulator 5xx / 429 with Retry-After / timeouts / dropped
// connections, kill -9 of a worker mid-batch (then a restart), `pg_ctl restart -m fast`, and a
// Redis restart that loses every queued job. Senders retry like the platforms do. At the end,
// once quiescent: the ledger in Postgres equals computeLedger (packages/core) on the clean
// stream, no sale counted twice, every code on each platform exactly once and its link synced,
// no event left in the inbox, no process crashed. Prints the faults with their times and a table
// of checks; exits 1 on any failure. With BENCH_RESULT_FILE set, writes the rows for `pnpm bench`.
//
// --quick (or BENCH_QUICK=1): 200 deliveries and 50 codes; full: 5,000 deliveries and 2,000 codes.
// --no-faults: a control run, the same load without any fault.
// FAULTS_SEED replays another stream; FAULTS_KEEP=1 keeps the run folder (logs, Postgres data).
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { QueueEvents as QueueEventsClass } from '../apps/api/node_modules/bullmq';
import { computeLedger, type LedgerEvent, type LedgerRow } from '../packages/core/src/index.ts';
import { createPrismaClient, enqueueSyncLinks, markCodesPending, type Db } from '../packages/db/src/index.ts';
import { JobProducer } from '../packages/db/src/jobs.ts';
import { startStripeEmulator, startWooCommerceEmulator, type StripeEmulator, type WooCommerceEmulator } from '../packages/testkit/src/index.ts';
import { ApiClient, sendWithRetry, Tally } from './lib/faults-http.ts';
import { createWorkDir, defineProcess, startPrivatePostgres, startPrivateRedis, freePort, type ProductProcess } from './lib/faults-stack.ts';
import { buildStream, webhookSecrets, type StreamPlatform } from './lib/faults-stream.ts';

const requireFromApi = createRequire(new URL('../apps/api/package.json', import.meta.url));
const { QueueEvents } = requireFromApi('bullmq') as { QueueEvents: typeof QueueEventsClass };

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
// A control run: the same stream and backlog without any fault, to tell a product bug from a fault's effect.
const withoutFaults = process.argv.includes('--no-faults');
const plan = quick
  ? { deliveries: 200, codes: 50, apiCodes: 10, partners: 5, streamSeconds: 12, redisDownMs: 1_000, quiesceTimeoutMs: 120_000 }
  : { deliveries: 5_000, codes: 2_000, apiCodes: 100, partners: 20, streamSeconds: 40, redisDownMs: 2_000, quiesceTimeoutMs: 300_000 };
const seed = Number(process.env.FAULTS_SEED ?? 20_261_125);
// The sync backlog is paced to last about as long as the stream, so the faults hit it mid-drain.
const syncRatePerSecond = Math.max(5, Math.ceil(plan.codes / plan.streamSeconds));
const requestTimeoutMs = 1_500;
const inFlightLimit = 32;

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

type Injection = { atMs: number; fault: string; detail: string };
type Check = { check: string; pass: boolean; value: string };
type Row = { metric: string; ours: number; baseline: null; ratio: null; unit: string; target: string; pass: boolean };

const cleanups: (() => Promise<unknown> | unknown)[] = [];
// The run folder (logs, Postgres data) stays after a failure, or always with FAULTS_KEEP=1.
let keepWorkDir = process.env.FAULTS_KEEP === '1';
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('clean-up step failed:', error instanceof Error ? error.message : error);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the processes and servers this run started`);
    void cleanUp().then(() => process.exit(130));
  });
}

// Per order: totals and statuses, as apps/api/test/webhooks/ledger.test.ts compares them. How a
// reversed total is split into rows may differ with the processing order; the sums may not.
type Comparable = Pick<LedgerRow, 'orderId' | 'partnerId' | 'saleStatus' | 'netAmount' | 'refundedAmount' | 'commissionStatus' | 'balance' | 'earnedAmount' | 'reversedAmount'>;

function expectedLedger(events: LedgerEvent[]): { rows: Comparable[]; waiting: number } {
  const ledger = computeLedger(events);
  const rows = ledger.rows.map((row) => ({
    orderId: row.orderId,
    partnerId: row.partnerId,
    saleStatus: row.saleStatus,
    netAmount: row.netAmount,
    refundedAmount: row.refundedAmount,
    commissionStatus: row.commissionStatus,
    balance: row.balance,
    earnedAmount: row.earnedAmount,
    reversedAmount: row.reversedAmount,
  }));
  return { rows, waiting: ledger.waiting.length };
}

async function readLedger(db: Db, connectionId: string): Promise<Comparable[]> {
  const sales = await db.sale.findMany({ where: { connectionId }, include: { commissions: true } });
  return sales
    .map((sale) => {
      const earning = sale.commissions.find((c) => c.kind === 'earning');
      const reversed = sale.commissions.filter((c) => c.kind === 'reversal').reduce((sum, c) => sum - c.amount, 0);
      const earned = earning?.amount ?? 0;
      let commissionStatus: LedgerRow['commissionStatus'] = 'none';
      if (earning) commissionStatus = earning.status === 'reversed' ? 'reversed' : reversed > 0 ? 'partially_reversed' : 'earned';
      return {
        orderId: sale.platformOrderId,
        partnerId: sale.partnerId,
        saleStatus: sale.status as LedgerRow['saleStatus'],
        netAmount: sale.netAmount,
        refundedAmount: sale.refundedAmount,
        commissionStatus,
        balance: earned - reversed,
        earnedAmount: earned,
        reversedAmount: reversed,
      };
    })
    .sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
}

function diffLedgers(want: Comparable[], got: Comparable[]): string[] {
  const byOrder = new Map(got.map((r) => [r.orderId, r]));
  const diffs: string[] = [];
  for (const row of want) {
    const actual = byOrder.get(row.orderId);
    byOrder.delete(row.orderId);
    if (!actual) {
      diffs.push(`${row.orderId}: missing`);
      continue;
    }
    const fields = (Object.keys(row) as (keyof Comparable)[]).filter((k) => row[k] !== actual[k]);
    if (fields.length) diffs.push(`${row.orderId}: ${fields.map((k) => `${k} ${String(actual[k])} != ${String(row[k])}`).join(', ')}`);
  }
  for (const extra of byOrder.keys()) diffs.push(`${extra}: not in the stream`);
  return diffs;
}

async function main(): Promise<number> {
  const runStarted = Date.now();
  const workDir = createWorkDir();
  // Postgres runs as the `postgres` user when we are root: it must reach its folder in here.
  chmodSync(workDir, 0o755);
  cleanups.push(() => {
    if (keepWorkDir) console.log(`run folder kept: ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  });
  const note = (line: string) => console.log(`[${seconds(Date.now() - runStarted)}] ${line}`);
  note(`pnpm faults${quick ? ' --quick' : ''}${withoutFaults ? ' --no-faults' : ''}: ${plan.deliveries} deliveries, ${plan.codes} codes, seed ${seed}, run folder ${workDir}`);

  // --- Infrastructure of our own ------------------------------------------------------------------
  const postgres = await startPrivatePostgres(workDir, note);
  cleanups.push(() => postgres.stop());
  const redis = await startPrivateRedis(workDir);
  cleanups.push(() => redis.stop());
  const stripe: StripeEmulator = await startStripeEmulator({ apiKey: 'sk_test_faults' });
  cleanups.push(() => stripe.close());
  const woo: WooCommerceEmulator = await startWooCommerceEmulator({ consumerKey: 'ck_faults', consumerSecret: 'cs_faults' });
  cleanups.push(() => woo.close());
  note(`Postgres ${postgres.url}, Redis ${redis.url}, Stripe emulator ${stripe.url}, WooCommerce emulator ${woo.url}`);

  const prefix = 'faults';
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const common = { NODE_ENV: 'test', DATABASE_URL: postgres.url, DATABASE_POOL_SIZE: '10', REDIS_URL: redis.url, REDIS_PREFIX: prefix };
  const api = defineProcess({
    name: 'api',
    app: 'api',
    logFile: join(workDir, 'api.log'),
    env: {
      ...common,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      PUBLIC_URL: apiUrl,
      WEBHOOK_RATE_LIMIT_MAX: '1000000',
      SIGNUP_RATE_LIMIT_MAX: '1000',
      LOGIN_RATE_LIMIT_MAX: '1000',
    },
    ready: async () => {
      try {
        return (await fetch(`${apiUrl}/healthz`)).ok;
      } catch {
        return false;
      }
    },
  });
  const workerEnv = {
    ...common,
    LOG_LEVEL: 'info',
    WORKER_CONCURRENCY: '8',
    // The sweeper is what brings back work a Redis restart lost: every 2 s instead of 30 s here.
    SWEEP_INTERVAL_MS: '2000',
    SWEEP_OLDER_THAN_MS: '2000',
    SYNC_RATE_LIMIT_STRIPE_TEST: String(syncRatePerSecond),
    SYNC_RATE_LIMIT_WOOCOMMERCE: String(syncRatePerSecond),
    SYNC_BACKOFF_BASE_MS: '200',
    SYNC_BACKOFF_MAX_MS: '2000',
    SYNC_REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
  };
  const workers: ProductProcess[] = [1, 2].map((n) =>
    defineProcess({ name: `worker-${n}`, app: 'worker', logFile: join(workDir, `worker-${n}.log`), env: workerEnv, ready: async (log) => log().includes('"msg":"worker started"') }),
  );
  const processes = [api, ...workers];
  cleanups.push(() => Promise.all(processes.map((p) => p.stop())));
  await Promise.all(processes.map((p) => p.start()));
  note(`API pid ${api.pid()} on ${apiUrl}; workers pid ${workers.map((w) => w.pid()).join(', ')} (logs in the run folder)`);

  const db = createPrismaClient({ databaseUrl: postgres.url, poolSize: 4 });
  cleanups.push(() => db.$disconnect());
  const jobs = new JobProducer({ connection: { url: redis.url, maxRetriesPerRequest: 1 } as never, prefix });
  cleanups.push(() => jobs.close());

  // --- A merchant, set up through the API ---------------------------------------------------------
  const apiTally = new Tally();
  const client = new ApiClient(apiUrl, apiTally);
  const signup = await client.call<{ csrfToken: string; workspace: { id: string } }>('POST', '/api/auth/signup', { email: 'merchant@faults.test', password: 'correct horse battery', name: 'Mia Merchant', workspaceName: 'Faults' });
  if (signup.status !== 201) throw new Error(`signup failed: ${signup.status} ${JSON.stringify(signup.json)}`);
  const workspaceId = signup.json.workspace.id;
  const session = { cookie: signup.setCookies.map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': signup.json.csrfToken };
  const key = await client.expect<{ key: string }>(201, 'POST', '/api/api-keys', { name: 'faults', role: 'admin' }, session);
  client.headers = { authorization: `Bearer ${key.key}` };
  const program = await client.expect<{ id: string }>(201, 'POST', '/api/programs', {
    name: 'Faults',
    currency: 'usd',
    landingUrl: 'https://shop.example.test/',
    commission: { type: 'percent', value: 2000, duration: 'first_order' },
    holdPeriodDays: 30,
  });
  const connections: Record<StreamPlatform, { id: string; status: string }> = {
    stripe: await client.expect(201, 'POST', `/api/programs/${program.id}/connections`, { platform: 'stripe', apiBaseUrl: stripe.url, secretKey: stripe.state.apiKey, webhookSigningSecret: webhookSecrets.stripe }),
    woocommerce: await client.expect(201, 'POST', `/api/programs/${program.id}/connections`, {
      platform: 'woocommerce',
      storeUrl: woo.url,
      consumerKey: woo.state.consumerKey,
      consumerSecret: woo.state.consumerSecret,
      webhookSecret: webhookSecrets.woocommerce,
    }),
  };
  for (const [platform, connection] of Object.entries(connections)) if (connection.status !== 'connected') throw new Error(`${platform} connection is ${connection.status}`);
  const connectionIds = [connections.stripe.id, connections.woocommerce.id];
  const coupon = await client.expect<{ id: string }>(201, 'POST', `/api/programs/${program.id}/coupons`, { name: 'Partner 20%', discountType: 'percent', percentOffBps: 2000, connectionIds });
  const partners: { id: string; code: string }[] = [];
  for (let i = 0; i < plan.partners; i += 1) {
    const partner = await client.expect<{ id: string }>(201, 'POST', `/api/programs/${program.id}/partners`, { email: `partner-${i}@faults.test`, name: `Partner ${i}` });
    const code = await client.expect<{ code: string }>(201, 'POST', `/api/coupons/${coupon.id}/promotion-codes`, { code: `FP${i}`, partnerId: partner.id });
    partners.push({ id: partner.id, code: code.code });
  }
  note(`merchant set up through the API: program, Stripe + WooCommerce connections, a coupon, ${plan.partners} partners with a code each`);

  const stream = buildStream({ seed, size: plan.deliveries, partners, base: Math.floor(Date.now() / 1000) - 86_400 });
  const backlogCount = plan.codes - plan.partners - plan.apiCodes;

  // --- Load and faults ------------------------------------------------------------------------
  const injections: Injection[] = [];
  let loadStarted = Date.now();
  const inject = (fault: string, detail: string) => {
    injections.push({ atMs: Date.now() - loadStarted, fault, detail });
    note(`FAULT ${fault}: ${detail}`);
  };

  // BullMQ reports jobs whose worker died (lock expired) as stalled: how the kill -9 is recovered.
  const stalled: { atMs: number; queue: string; jobId: string }[] = [];
  const queueEvents = ['webhooks', 'sync'].map((queue) => {
    const events = new QueueEvents(queue, { connection: { url: redis.url } as never, prefix });
    events.on('error', () => undefined);
    events.on('stalled', ({ jobId }) => stalled.push({ atMs: Date.now() - loadStarted, queue, jobId }));
    return events;
  });
  cleanups.push(() => Promise.all(queueEvents.map((e) => e.close())));
  await Promise.all(queueEvents.map((e) => e.waitUntilReady()));

  // The backlog: codes and their outbox rows in one statement each, then one drain job per connection.
  await db.$executeRaw`
    INSERT INTO "PromotionCode" ("workspaceId", "programId", "couponId", "code", "normalizedCode", "source", "updatedAt")
    SELECT ${workspaceId}, ${program.id}, ${coupon.id}, 'FB' || i, 'FB' || i, 'generated', now()
    FROM generate_series(1, ${backlogCount}) AS i`;
  const backlogIds = (await db.promotionCode.findMany({ where: { couponId: coupon.id, code: { startsWith: 'FB' } }, select: { id: true } })).map((c) => c.id);
  loadStarted = Date.now();
  const links = await markCodesPending(db, { workspaceId, codeIds: backlogIds, connectionIds });
  await enqueueSyncLinks(jobs, links, (error) => console.error('backlog enqueue failed (the sweeper will pick it up):', error));
  note(`load started: ${backlogCount} backlog codes pending on 2 connections (${links.length} links), ${stream.deliveries.length} deliveries over ~${plan.streamSeconds} s, sync limited to ${syncRatePerSecond}/s per connection`);

  // Work stored before each fault, watched until done: how long each fault delays what it hit.
  type Watch = { fault: string; atMs: number; doneAtMs: number | null };
  const watches: Watch[] = [];
  const openBefore = async (atMs: number) => {
    const before = new Date(loadStarted + atMs);
    const [row] = await db.$queryRaw<{ events: bigint; links: bigint }[]>`
      SELECT (SELECT count(*) FROM "WebhookEvent" WHERE "status" IN ('received', 'waiting') AND "receivedAt" <= ${before}) AS events,
             (SELECT count(*) FROM "SyncLink" WHERE "state" = 'pending' AND "createdAt" <= ${before}) AS links`;
    return Number(row?.events ?? 0) + Number(row?.links ?? 0);
  };
  // The backlog over time, for the report.
  const timeline: { at: string; 'inbox open': number; 'links pending': number; 'events processed': number }[] = [];
  const sampleEveryMs = quick ? 2_000 : 10_000;
  let nextSampleAt = 0;
  let monitoring = true;
  // Off while Postgres restarts, so that no query of ours is cut mid-flight (Prisma would print it).
  let monitorPaused = false;
  const monitor = (async () => {
    while (monitoring) {
      if (monitorPaused) {
        await sleep(50);
        continue;
      }
      if (Date.now() - loadStarted >= nextSampleAt) {
        try {
          const [row] = await db.$queryRaw<{ open: bigint; done: bigint; links: bigint }[]>`
            SELECT (SELECT count(*) FROM "WebhookEvent" WHERE "status" IN ('received', 'waiting')) AS open,
                   (SELECT count(*) FROM "WebhookEvent" WHERE "status" IN ('processed', 'ignored', 'failed')) AS done,
                   (SELECT count(*) FROM "SyncLink" WHERE "state" = 'pending') AS links`;
          timeline.push({ at: `+${seconds(Date.now() - loadStarted)}`, 'inbox open': Number(row?.open ?? 0), 'links pending': Number(row?.links ?? 0), 'events processed': Number(row?.done ?? 0) });
          nextSampleAt += sampleEveryMs;
        } catch {
          // Postgres is restarting; sample again next round.
        }
      }
      for (const watch of watches) {
        if (watch.doneAtMs !== null) continue;
        try {
          if ((await openBefore(watch.atMs)) === 0) watch.doneAtMs = Date.now() - loadStarted;
        } catch {
          // Postgres is restarting; look again next round.
        }
      }
      await sleep(250);
    }
  })();
  const watch = (fault: string) => watches.push({ fault, atMs: Date.now() - loadStarted, doneAtMs: null });

  let workerBack: Promise<void> = Promise.resolve();
  const faults: { at: number; run: () => Promise<void> }[] = [
    {
      at: 0.03,
      run: async () => {
        stripe.failNext({ status: 503, times: 3, match: { method: 'POST', path: '/v1/promotion_codes' } });
        stripe.failNext({ status: 429, retryAfterSeconds: 1, times: 3, match: { method: 'POST', path: '/v1/promotion_codes' } });
        woo.failNext({ status: 500, times: 3, match: { method: 'POST', path: /\/wc\/v3\/coupons$/ } });
        woo.failNext({ status: 429, retryAfterSeconds: 1, times: 3, match: { method: 'POST', path: /\/wc\/v3\/coupons$/ } });
        inject('emulators 5xx + 429', 'Stripe: next 3 code creates 503, then 3 x 429 Retry-After 1; WooCommerce: next 3 coupon creates 500, then 3 x 429 Retry-After 1');
        watch('emulators 5xx + 429');
      },
    },
    {
      at: 0.08,
      run: async () => {
        const victim = workers[0]!;
        // Mid-batch: wait (briefly) until jobs are running, then kill without any shutdown hook.
        for (let i = 0; i < 40; i += 1) {
          const counts = await Promise.all(['webhooks', 'sync'].map((q) => jobs.queue(q).getActiveCount().catch(() => 0)));
          if (counts.every((n) => n > 0)) break;
          await sleep(50);
        }
        const active = await Promise.all(['webhooks', 'sync'].map(async (q) => `${q} ${await jobs.queue(q).getActiveCount().catch(() => -1)}`));
        const pid = victim.pid();
        await victim.kill9();
        inject('kill -9 worker', `${victim.name} (pid ${pid}) killed with jobs active across both workers (${active.join(', ')})`);
        watch('kill -9 worker');
        // Back after a second, as a supervisor would restart it; the next faults do not wait for it.
        workerBack = sleep(1_000)
          .then(() => victim.start())
          .then(() => inject('worker restarted', `${victim.name} is back as pid ${victim.pid()} (started in the meantime, schedules registered)`));
      },
    },
    {
      at: 0.3,
      run: async () => {
        stripe.failNext({ delayMs: requestTimeoutMs * 2, times: 2, match: { method: 'POST', path: '/v1/promotion_codes' } });
        stripe.failNext({ dropConnection: true, times: 1, match: { method: 'POST', path: '/v1/promotion_codes' } });
        woo.failNext({ delayMs: requestTimeoutMs * 2, times: 2, match: { method: 'POST', path: /\/wc\/v3\/coupons$/ } });
        woo.failNext({ dropConnection: true, times: 1, match: { method: 'POST', path: /\/wc\/v3\/coupons$/ } });
        inject('emulators timeouts', `Stripe and WooCommerce: next 2 creates answer after ${requestTimeoutMs * 2} ms (the worker gives up at ${requestTimeoutMs} ms; the object is still created), then 1 dropped connection`);
        watch('emulators timeouts');
      },
    },
    {
      at: 0.45,
      run: async () => {
        watch('Postgres restart');
        monitorPaused = true;
        await sleep(300);
        const { downMs } = await postgres.restart().finally(() => (monitorPaused = false));
        inject('Postgres restart', `pg_ctl restart -m fast: every connection cut, accepting again after ${downMs} ms`);
      },
    },
    {
      at: 0.7,
      run: async () => {
        // After the restarted worker registered the schedules: a process start must not be what
        // brings them back (that would hide schedules lost with Redis).
        await workerBack;
        // Full runs also let BullMQ find the killed worker's jobs first (their lock expires after
        // 30 s), so that recovery path is exercised too, not only the sweeper after the restart.
        if (!quick) {
          const killedAt = injections.find((i) => i.fault === 'kill -9 worker')?.atMs ?? 0;
          while (stalled.length === 0 && Date.now() - loadStarted < killedAt + 60_000) await sleep(250);
        }
        watch('Redis restart');
        await redis.restart(plan.redisDownMs);
        inject('Redis restart', `redis-server stopped (no persistence: every queued job and schedule lost), started again after ${plan.redisDownMs} ms`);
      },
    },
  ];

  if (withoutFaults) faults.length = 0;
  const deadline = Date.now() + plan.streamSeconds * 1000 + plan.quiesceTimeoutMs;
  const webhookTally = new Tally();
  const undelivered: string[] = [];
  let started = 0;
  let inFlight = 0;
  const faultRuns: Promise<void>[] = [];
  let nextFault = 0;
  let faultDone = true;
  const interval = (plan.streamSeconds * 1000) / stream.deliveries.length;
  const sends: Promise<void>[] = [];
  const post = async (index: number) => {
    const delivery = stream.deliveries[index]!;
    const connectionId = connections[delivery.platform].id;
    const result = await sendWithRetry(`${apiUrl}/webhooks/${delivery.platform}/${connectionId}`, () => {
      const signed = delivery.sign();
      return { method: 'POST', headers: signed.headers, body: signed.rawBody };
    }, { deadline, tally: webhookTally });
    if (result.status !== 200) undelivered.push(`${delivery.eventKey}: ${result.status ?? result.lastError} after ${result.tries} tries`);
  };

  // Codes created through the API while everything else goes on (a 409 after a lost answer means it was created).
  const apiCodeResults: { code: string; status: number | null }[] = [];
  const apiCodes = (async () => {
    for (let i = 0; i < plan.apiCodes; i += 1) {
      await sleep((plan.streamSeconds * 1000) / plan.apiCodes);
      const code = `FA${i}`;
      const result = await client.retrying('POST', `/api/coupons/${coupon.id}/promotion-codes`, { code }, { deadline, accept: (s) => s === 409 });
      apiCodeResults.push({ code, status: result.status });
    }
  })();

  for (let i = 0; i < stream.deliveries.length; i += 1) {
    const due = loadStarted + i * interval;
    if (due > Date.now()) await sleep(due - Date.now());
    while (inFlight >= inFlightLimit) await sleep(5);
    // One fault at a time: each starts once the stream got far enough and the previous one is over.
    const fault = faults[nextFault];
    if (fault && i >= fault.at * stream.deliveries.length && faultDone) {
      nextFault += 1;
      faultDone = false;
      faultRuns.push(fault.run().finally(() => (faultDone = true)));
    }
    started += 1;
    inFlight += 1;
    sends.push(post(i).finally(() => (inFlight -= 1)));
  }
  await Promise.all(faultRuns);
  // A slow fault (a worker restart on a busy machine) may have held later ones back: run them now.
  for (; nextFault < faults.length; nextFault += 1) await faults[nextFault]!.run();
  await workerBack;
  await Promise.all(sends);
  await apiCodes;
  const postedAtMs = Date.now() - loadStarted;
  note(`all ${started} deliveries answered 200 or given up (${undelivered.length}); answers seen: ${webhookTally.format()}`);

  // --- Quiescence -----------------------------------------------------------------------------
  const quiesceDeadline = Date.now() + plan.quiesceTimeoutMs;
  let open = { events: -1, links: -1 };
  for (;;) {
    try {
      const [events, pendingLinks] = await Promise.all([
        db.webhookEvent.count({ where: { status: { in: ['received', 'waiting'] } } }),
        db.syncLink.count({ where: { state: 'pending' } }),
      ]);
      open = { events, links: pendingLinks };
      if (events === 0 && pendingLinks === 0) break;
    } catch {
      // Database briefly unreachable: try again.
    }
    if (Date.now() > quiesceDeadline) break;
    await sleep(250);
  }
  const quiescentAtMs = Date.now() - loadStarted;
  const quiescent = open.events === 0 && open.links === 0;
  if (!quiescent) {
    console.error(
      `NOT QUIESCENT after waiting ${seconds(plan.quiesceTimeoutMs)}: ${open.events} webhook events still received/waiting, ${open.links} sync links still pending. ` +
        `Worker logs: ${workers.map((w) => join(workDir, `${w.name}.log`)).join(', ')}`,
    );
  } else {
    note(`quiescent: inbox empty and no link pending, ${seconds(quiescentAtMs - postedAtMs)} after the last delivery was accepted`);
  }
  monitoring = false;
  await monitor;
  // Quiescent means nothing is open: whatever the last look missed was done by then.
  if (quiescent) for (const w of watches) w.doneAtMs ??= quiescentAtMs;

  // --- Checks ---------------------------------------------------------------------------------
  const checks: Check[] = [];
  const rows: Row[] = [];
  const add = (check: string, pass: boolean, value: string, figure?: { metric: string; ours: number; unit: string; target: string }) => {
    checks.push({ check, pass, value });
    if (figure) rows.push({ ...figure, baseline: null, ratio: null, pass });
  };

  add('every delivery accepted (senders retry non-2xx)', undelivered.length === 0, undelivered.length ? `${undelivered.length} given up, e.g. ${undelivered.slice(0, 3).join('; ')}` : `${started} deliveries; answers: ${webhookTally.format()}`, {
    metric: 'deliveries given up',
    ours: undelivered.length,
    unit: 'deliveries',
    target: '0',
  });
  const serverErrors = [...webhookTally.counts.entries()].filter(([k]) => /^5\d\d$/.test(k) && k !== '503');
  add(
    'webhook ingress: no 5xx but 503 (503 = database unreachable, retried by the platform)',
    serverErrors.length === 0,
    serverErrors.length ? serverErrors.map(([k, n]) => `${k} x${n}`).join(', ') : `503 x${webhookTally.get('503')}`,
    { metric: 'webhook deliveries answered 5xx other than 503', ours: serverErrors.reduce((n, [, c]) => n + c, 0), unit: 'answers', target: '0' },
  );
  add(`quiescent within ${seconds(plan.quiesceTimeoutMs)} after the stream`, quiescent, quiescent ? `${seconds(quiescentAtMs - postedAtMs)} after the last delivery` : `${open.events} events open, ${open.links} links pending`, {
    metric: 'time to quiescence after the stream',
    ours: Number(((quiescentAtMs - postedAtMs) / 1000).toFixed(2)),
    unit: 's',
    target: `quiescent within ${plan.quiesceTimeoutMs / 1000} s`,
  });

  const [statusCounts, failedEvents] = await Promise.all([
    db.webhookEvent.groupBy({ by: ['connectionId', 'status'], _count: { _all: true } }),
    db.webhookEvent.findMany({ where: { status: 'failed' }, select: { dedupeKey: true, error: true }, take: 3 }),
  ]);
  for (const platform of ['stripe', 'woocommerce'] as const) {
    const connectionId = connections[platform].id;
    const count = (status?: string) => statusCounts.filter((s) => s.connectionId === connectionId && (!status || s.status === status)).reduce((n, s) => n + s._count._all, 0);
    const stored = count();
    const openEvents = count('received') + count('waiting');
    const failed = count('failed');
    add(
      `${platform}: inbox holds each distinct event once, none open or failed`,
      stored === stream.distinctEvents[platform] && openEvents === 0 && failed === 0,
      `${stored} stored of ${stream.distinctEvents[platform]} distinct; ${count('processed')} processed, ${count('ignored')} ignored, ${openEvents} open, ${failed} failed`,
      { metric: `${platform} events unprocessed or failed`, ours: openEvents + failed + Math.abs(stored - stream.distinctEvents[platform]), unit: 'events', target: '0' },
    );

    const want = expectedLedger(stream.clean[platform]);
    const got = await readLedger(db, connectionId);
    const diffs = diffLedgers(want.rows, got);
    const earned = got.reduce((n, r) => n + r.balance, 0);
    add(
      `${platform}: ledger equals computeLedger on the clean stream`,
      diffs.length === 0 && want.waiting === 0,
      diffs.length === 0 ? `${got.length} orders, balance ${earned} (minor units) as expected` : `${diffs.length} orders differ, e.g. ${diffs.slice(0, 3).join('; ')}`,
      { metric: `${platform} ledger rows differing from the oracle`, ours: diffs.length, unit: 'orders', target: '0' },
    );
  }
  if (failedEvents.length) add('failed events (first)', false, failedEvents.map((e) => `${e.dedupeKey}: ${e.error}`).join('; '));

  const [earningDuplicates] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT "saleId" FROM "Commission" WHERE "kind" = 'earning' GROUP BY "saleId" HAVING count(*) > 1) d`;
  const [overReversed] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (
      SELECT "saleId" FROM "Commission" GROUP BY "saleId"
      HAVING sum("amount") < 0 OR sum(CASE WHEN "kind" = 'earning' THEN 1 ELSE 0 END) = 0) d`;
  const codeCounters = await db.promotionCode.findMany({ where: { couponId: coupon.id, timesRedeemed: { gt: 0 } }, select: { normalizedCode: true, timesRedeemed: true } });
  const counterDiffs = [...new Set([...stream.redemptions.keys(), ...codeCounters.map((c) => c.normalizedCode)])].filter(
    (code) => (codeCounters.find((c) => c.normalizedCode === code)?.timesRedeemed ?? 0) !== (stream.redemptions.get(code) ?? 0),
  );
  const doubleCounted = Number(earningDuplicates?.n ?? 0) + Number(overReversed?.n ?? 0) + counterDiffs.length;
  add(
    'no sale counted twice (one earning per sale, reversals within it, redemption counters = distinct orders)',
    doubleCounted === 0,
    `${Number(earningDuplicates?.n ?? 0)} sales with 2+ earnings, ${Number(overReversed?.n ?? 0)} reversed beyond the earning, ${counterDiffs.length} code counters off${counterDiffs.length ? ` (${counterDiffs.slice(0, 3).map((c) => `${c}: ${codeCounters.find((x) => x.normalizedCode === c)?.timesRedeemed ?? 0} != ${stream.redemptions.get(c) ?? 0}`).join(', ')})` : ''}`,
    { metric: 'sales counted twice', ours: doubleCounted, unit: 'sales', target: '0' },
  );

  const apiCodesMissing = apiCodeResults.filter((r) => r.status !== 201 && r.status !== 409).length + (plan.apiCodes - apiCodeResults.length);
  const codes = await db.promotionCode.findMany({ where: { couponId: coupon.id }, select: { id: true, normalizedCode: true } });
  add(
    'codes created through the API during the faults',
    apiCodesMissing === 0 && codes.length === plan.codes,
    `${apiCodeResults.filter((r) => r.status === 201).length} x 201, ${apiCodeResults.filter((r) => r.status === 409).length} x 409 (created by a try whose answer was lost), ${apiCodesMissing} failed; ${codes.length} of ${plan.codes} codes in the database; API answers: ${apiTally.format()}`,
  );

  const syncLinks = await db.syncLink.findMany({ where: { connectionId: { in: connectionIds } }, select: { connectionId: true, entityType: true, entityId: true, state: true, platformId: true, lastError: true, attempts: true } });
  for (const platform of ['stripe', 'woocommerce'] as const) {
    const connectionId = connections[platform].id;
    const codeLinks = syncLinks.filter((l) => l.connectionId === connectionId && l.entityType === 'promotion_code');
    const notSynced = codeLinks.filter((l) => l.state !== 'synced');
    const couponLink = syncLinks.find((l) => l.connectionId === connectionId && l.entityType === 'coupon');
    const linked = new Set(codeLinks.map((l) => l.entityId));
    const unlinked = codes.filter((c) => !linked.has(c.id)).length;
    add(
      `${platform}: every code's SyncLink synced (and the coupon's)`,
      notSynced.length === 0 && unlinked === 0 && couponLink?.state === 'synced',
      `${codeLinks.length - notSynced.length} of ${codes.length} synced (${codeLinks.filter((l) => l.attempts > 1).length} after a failed try), ${unlinked} without a link, coupon ${couponLink?.state ?? 'no link'}${notSynced.length ? `; e.g. ${notSynced.slice(0, 2).map((l) => `${l.state}: ${l.lastError}`).join('; ')}` : ''}`,
      { metric: `${platform} codes not synced`, ours: notSynced.length + unlinked, unit: 'codes', target: '0' },
    );

    const objects: { id: string; code: string }[] =
      platform === 'stripe'
        ? stripe.state.promotionCodes.map((p) => ({ id: p.id, code: p.code.toUpperCase() }))
        : woo.state.coupons.filter((c) => c.status !== 'trash').map((c) => ({ id: String(c.id), code: c.code.toUpperCase() }));
    const perCode = new Map<string, number>();
    for (const o of objects) perCode.set(o.code, (perCode.get(o.code) ?? 0) + 1);
    const missing = codes.filter((c) => (perCode.get(c.normalizedCode) ?? 0) === 0).length;
    const twice = [...perCode.entries()].filter(([, n]) => n > 1);
    const ids = new Set(objects.map((o) => o.id));
    const wrongIds = codeLinks.filter((l) => l.platformId === null || !ids.has(l.platformId)).length;
    add(
      `${platform}: emulator holds exactly one object per code, the one its link names`,
      missing === 0 && twice.length === 0 && objects.length === codes.length && wrongIds === 0,
      `${objects.length} objects for ${codes.length} codes; ${missing} missing, ${twice.length} twice${twice.length ? ` (${twice.slice(0, 3).map(([c, n]) => `${c} x${n}`).join(', ')})` : ''}, ${wrongIds} links naming another id`,
      { metric: `${platform} codes missing or duplicated on the platform`, ours: missing + twice.length + wrongIds, unit: 'codes', target: '0' },
    );
  }

  const crashes = processes.flatMap((p) => p.crashes);
  add('no process crashed (only the killed worker went down)', crashes.length === 0, crashes.length ? crashes.join('; ') : `api and ${workers.length} workers up`);

  // Recovery figures, informational: how long the work stored before each fault took to finish.
  for (const w of watches) {
    const took = w.doneAtMs === null ? null : w.doneAtMs - w.atMs;
    add(`"${w.fault}": work stored before it all done (info)`, took !== null, took === null ? 'not finished' : `+${seconds(took)}`, {
      metric: `recovery after ${w.fault}`,
      ours: took === null ? 0 : Number((took / 1000).toFixed(2)),
      unit: 's',
      target: 'info',
    });
  }
  const killedAt = injections.find((i) => i.fault === 'kill -9 worker')?.atMs ?? 0;
  const stalledBy = (queue: string) => stalled.filter((s) => s.queue === queue);
  add(
    'jobs of the killed worker found stalled by BullMQ and run again (info)',
    true,
    stalled.length
      ? ['webhooks', 'sync'].map((q) => `${q} ${stalledBy(q).length}${stalledBy(q).length ? ` (+${seconds(stalledBy(q)[0]!.atMs - killedAt)} to +${seconds(stalledBy(q).at(-1)!.atMs - killedAt)} after the kill)` : ''}`).join(', ')
      : quick
        ? 'none: the Redis restart came before the 30 s lock expired, so the sweeper brought them back (full runs wait for BullMQ)'
        : 'none reported within 60 s of the kill',
  );

  // --- Report ---------------------------------------------------------------------------------
  console.log(`\npnpm faults${quick ? ' --quick' : ''} — ${stream.deliveries.length} deliveries (${stream.distinctEvents.stripe} Stripe + ${stream.distinctEvents.woocommerce} WooCommerce distinct events), ${plan.codes} codes x 2 platforms, 1 API + 2 worker processes`);
  console.log('\nfaults injected (times from the start of the load):');
  console.table(injections.map((i) => ({ at: `+${seconds(i.atMs)}`, fault: i.fault, detail: i.detail })));
  console.log(`stream posted in ${seconds(postedAtMs)}; quiescent at +${seconds(quiescentAtMs)}; whole run ${seconds(Date.now() - runStarted)}`);
  console.log('\nbacklog over time:');
  console.table(timeline);
  const cpu = [
    ...processes.map((p) => ({ process: p.name, seconds: p.cpuSeconds() })),
    { process: 'postgres', seconds: postgres.cpuSeconds() },
    { process: 'redis', seconds: redis.cpuSeconds() },
    { process: 'this script (senders, emulators)', seconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 },
  ];
  const wall = (Date.now() - runStarted) / 1000;
  console.log(`CPU seconds over the ${seconds(Date.now() - runStarted)} run (2 cores = ${(wall * 2).toFixed(0)} CPU seconds available): ${cpu.map((c) => `${c.process} ${c.seconds.toFixed(1)}`).join(', ')}\n`);
  for (const c of cpu) rows.push({ metric: `CPU seconds: ${c.process}`, ours: Number(c.seconds.toFixed(1)), baseline: null, ratio: null, unit: 's', target: 'info', pass: true });
  console.table(checks);
  const passed = checks.filter((c) => c.pass).length;
  console.log(`${passed} passed, ${checks.length - passed} failed`);
  rows.push({ metric: 'whole run', ours: Number(((Date.now() - runStarted) / 1000).toFixed(1)), baseline: null, ratio: null, unit: 's', target: 'info', pass: true });
  if (process.env.BENCH_RESULT_FILE) writeFileSync(process.env.BENCH_RESULT_FILE, `${JSON.stringify({ name: 'faults', rows }, null, 2)}\n`);
  if (!checks.every((c) => c.pass)) keepWorkDir = true;
  return checks.every((c) => c.pass) ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  keepWorkDir = true;
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
} finally {
  await cleanUp();
}
process.exit(code);
