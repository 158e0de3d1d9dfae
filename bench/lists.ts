// pnpm bench lists — the list endpoints at size: one workspace with 1,000,000 promotion codes
// (each with its sync link), 1,000,000 sales and their commission ledger, next to another
// workspace with a tenth of that (so every query must filter by tenant), seeded with
// generate_series and then VACUUM ANALYZE (what autovacuum does after a bulk load). The real API
// (buildApp on a port) answers real HTTP from a load client in a worker thread with keep-alive.
// Per endpoint: p50 and p95 latency, against the p95 of the same answer fetched with hand-written
// SQL over pg on the same database in the same run (baseline; ratio = ours / baseline). The SQL
// keeps the service's predicates (cursor as OR, count beside the page), so the ratio is what the
// API adds; a slow plan shows in both. Every answer is first compared with the SQL's (same ids in
// the same order, same totals). Target: p95 <= 100 ms per request, one request at a time; the
// stats route is held to it too (the dashboard waits for it). Slow endpoints get EXPLAIN ANALYZE.
// BENCH_QUICK=1: 20,000 rows, correctness only. BENCH_ROWS, BENCH_REQUESTS, BENCH_CONCURRENCY,
// BENCH_EXPLAIN=1 (EXPLAIN every endpoint) tune it.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { Redis as RedisClient } from '../apps/api/node_modules/ioredis';
import { buildApp } from '../apps/api/src/app.ts';
import { loadApiConfig } from '../apps/api/src/config.ts';
import { encodeCursor } from '../apps/api/src/lib/cursor.ts';
import { hashToken } from '../apps/api/src/lib/tokens.ts';
import { CODE_TOTAL_CAP } from '../apps/api/src/modules/promotion-codes/service.ts';
import { createPrismaClient, poolConfigFromUrl } from '../packages/db/src/index.ts';
import { JobProducer } from '../packages/db/src/jobs.ts';
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase, testRedisUrl } from '../packages/db/src/testing/index.ts';
import { runLoad, type LoadRequest } from './lib/http-load.ts';
import { seedWorkspace, type Tenant } from './lib/list-seed.ts';
import { benchQuick, benchRow, percentile, printChecks, quickTarget, writeBenchResult, type BenchRow, type Check } from './lib/report.ts';
import { joinSql, pg, raw, sql, type PgPool, type Sql } from './lib/sql.ts';

const { Redis } = createRequire(new URL('../apps/api/package.json', import.meta.url))('ioredis') as { Redis: typeof RedisClient };

const rows = Number(process.env.BENCH_ROWS ?? (benchQuick ? 20_000 : 1_000_000));
const requestsPerEndpoint = Number(process.env.BENCH_REQUESTS ?? (benchQuick ? 20 : 200));
const warmupRequests = benchQuick ? 3 : 20;
// A slow endpoint stops early rather than holding the run for minutes (p95 wants ~20 samples);
// its warm-up stops after a few seconds too.
const maxSecondsPerEndpoint = benchQuick ? 10 : 30;
const maxWarmupSeconds = benchQuick ? 2 : 5;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1);
const explainAll = process.env.BENCH_EXPLAIN === '1';
const targetMs = 100;
const day = 86_400_000;

type Body = Record<string, unknown> & { items?: { id: string }[]; nextCursor?: string | null; total?: number; totalExact?: boolean };
type Variant = { path: string; sql: Sql[] };
type Endpoint = {
  name: string;
  variants: Variant[];
  /** Compares the API's answer with the rows of the variant's statements; returns the problem, if any. */
  compare: (body: Body, results: Record<string, unknown>[][]) => string | null;
};

/** A page's rows come first (limit + 1 rows), then optionally a count: same ids, same order, same total, same cursor presence. */
function comparePage(limit: number) {
  return (body: Body, results: Record<string, unknown>[][]): string | null => {
    const [pageRows = [], countRows] = results;
    const expected = pageRows.slice(0, limit).map((r) => String(r.id));
    const got = (body.items ?? []).map((i) => i.id);
    if (expected.length === 0) return 'the raw SQL found no rows: the bench asks for nothing';
    if (got.join() !== expected.join()) return `ids differ from the raw SQL (${got.length} vs ${expected.length} items; first ${got[0]} vs ${expected[0]})`;
    if ((body.nextCursor !== null) !== pageRows.length > limit) return 'nextCursor does not match whether more rows exist';
    if (countRows) {
      const counted = Number(countRows[0]?.count);
      const capped = typeof body.totalExact === 'boolean';
      const total = capped ? Math.min(counted, CODE_TOTAL_CAP) : counted;
      if (total !== body.total || (capped && body.totalExact !== counted <= CODE_TOTAL_CAP)) return `total ${body.total} (exact: ${String(body.totalExact)}) vs count ${counted}`;
    }
    return null;
  };
}

function compareStats(body: Body, results: Record<string, unknown>[][]): string | null {
  const [sales = [], , perDay = []] = results;
  const totals = (body.totals as { orders: number; revenue: number }[] | undefined)?.[0];
  const expected = sales.find((r) => Number(r.level) === 3);
  if (!totals || !expected) return 'no totals';
  if (totals.orders !== Number(expected.orders) || totals.revenue !== Number(expected.revenue)) return `totals ${totals.orders}/${totals.revenue} vs ${expected.orders}/${expected.revenue}`;
  if ((body.redemptionsPerDay as unknown[]).length !== perDay.length) return 'redemptions per day differ';
  return null;
}

function codeEndpoints(t: Tenant, cursors: { createdAt: Date; id: string }[], partnerIds: string[]): Endpoint[] {
  const base = `/api/promotion-codes?programId=${t.programId}`;
  const limit = 50;
  // The page as the service reads it (codes with partner and sync links), the count beside it.
  const page = (where: Sql[], cursor?: { createdAt: Date; id: string }): Sql[] => {
    const filter = joinSql([sql`pc."workspaceId" = ${t.workspaceId}`, sql`pc."programId" = ${t.programId}`, ...where], ' AND ');
    const after = cursor ? sql` AND (pc."createdAt" < ${cursor.createdAt} OR (pc."createdAt" = ${cursor.createdAt} AND pc.id < ${cursor.id}))` : raw('');
    return [
      sql`SELECT pc.*, json_build_object('id', p.id, 'name', p.name, 'email', p.email) AS partner,
          (SELECT coalesce(json_agg(json_build_object('connectionId', s."connectionId", 'platform', c.platform, 'state', s.state, 'platformId', s."platformId", 'lastError', s."lastError", 'lastSyncedAt', s."lastSyncedAt") ORDER BY s."createdAt"), '[]')
           FROM "SyncLink" s JOIN "Connection" c ON c.id = s."connectionId" WHERE s."promotionCodeId" = pc.id) AS sync
        FROM "PromotionCode" pc LEFT JOIN "Partner" p ON p.id = pc."partnerId"
        WHERE ${filter}${after} ORDER BY pc."createdAt" DESC, pc.id DESC LIMIT ${limit + 1}`,
      // The API counts up to CODE_TOTAL_CAP + 1 and reports "more than" beyond: the same here.
      sql`SELECT count(*) FROM (SELECT 1 FROM "PromotionCode" pc WHERE ${filter} LIMIT ${CODE_TOTAL_CAP + 1}) AS capped`,
    ];
  };
  const prefix = (p: string) => sql`pc."normalizedCode" LIKE ${`${p}%`}`;
  const compare = comparePage(limit);
  return [
    { name: 'codes: first page', variants: [{ path: base, sql: page([]) }], compare },
    { name: 'codes: deep page (keyset cursor)', variants: cursors.map((c) => ({ path: `${base}&cursor=${encodeCursor(c)}`, sql: page([], c) })), compare },
    { name: 'codes: prefix search, narrow (SARAH12)', variants: [{ path: `${base}&prefix=sarah12`, sql: page([prefix('SARAH12')]) }], compare },
    { name: 'codes: prefix search, broad (SARAH)', variants: [{ path: `${base}&prefix=sarah`, sql: page([prefix('SARAH')]) }], compare },
    { name: 'codes: by partner', variants: partnerIds.map((id) => ({ path: `${base}&partnerId=${id}`, sql: page([sql`pc."partnerId" = ${id}`]) })), compare },
    { name: 'codes: status disabled', variants: [{ path: `${base}&status=disabled`, sql: page([sql`pc.status = 'disabled'`, sql`pc."deletedAt" IS NULL`]) }], compare },
    {
      name: 'codes: sync state failed',
      variants: [{ path: `${base}&syncState=failed`, sql: page([sql`pc.id IN (SELECT "promotionCodeId" FROM "SyncLink" WHERE state = 'failed' AND "promotionCodeId" IS NOT NULL)`]) }],
      compare,
    },
  ];
}

function saleEndpoints(t: Tenant, cursors: { orderedAt: Date; id: string }[], partnerIds: string[], monthAgo: Date): Endpoint[] {
  const base = `/api/programs/${t.programId}/sales`;
  const page = (where: Sql[], limit: number, cursor?: { orderedAt: Date; id: string }): Sql[] => {
    const filter = joinSql([sql`s."workspaceId" = ${t.workspaceId}`, sql`s."programId" = ${t.programId}`, ...where], ' AND ');
    const after = cursor ? sql` AND (s."orderedAt" < ${cursor.orderedAt} OR (s."orderedAt" = ${cursor.orderedAt} AND s.id < ${cursor.id}))` : raw('');
    return [
      sql`SELECT s.*, (SELECT coalesce(sum(c.amount), 0) FROM "Commission" c WHERE c."saleId" = s.id) AS "commissionBalance"
        FROM "Sale" s WHERE ${filter}${after} ORDER BY s."orderedAt" DESC, s.id DESC LIMIT ${limit + 1}`,
    ];
  };
  return [
    { name: 'sales: first page', variants: [{ path: base, sql: page([], 50) }], compare: comparePage(50) },
    {
      name: 'sales: deep page (keyset cursor)',
      // The sales cursor is (orderedAt, id) in the same encoding as the (createdAt, id) one.
      variants: cursors.map((c) => ({ path: `${base}?cursor=${encodeCursor({ createdAt: c.orderedAt, id: c.id })}`, sql: page([], 50, c) })),
      compare: comparePage(50),
    },
    { name: 'sales: by partner', variants: partnerIds.map((id) => ({ path: `${base}?partnerId=${id}`, sql: page([sql`s."partnerId" = ${id}`], 50) })), compare: comparePage(50) },
    { name: 'sales: status refunded', variants: [{ path: `${base}?status=refunded`, sql: page([sql`s.status = 'refunded'`], 50) }], compare: comparePage(50) },
    {
      name: 'sales: last 30 days, 200 (dashboard)',
      variants: [{ path: `${base}?from=${monthAgo.toISOString()}&limit=200`, sql: page([sql`s."orderedAt" >= ${monthAgo}`], 200) }],
      compare: comparePage(200),
    },
  ];
}

function commissionEndpoints(t: Tenant, cursors: { createdAt: Date; id: string }[], partnerIds: string[], monthAgo: Date): Endpoint[] {
  const base = `/api/programs/${t.programId}/commissions`;
  const page = (where: Sql[], limit: number, cursor?: { createdAt: Date; id: string }): Sql[] => {
    const filter = joinSql([sql`c."workspaceId" = ${t.workspaceId}`, sql`c."programId" = ${t.programId}`, ...where], ' AND ');
    const after = cursor ? sql` AND (c."createdAt" < ${cursor.createdAt} OR (c."createdAt" = ${cursor.createdAt} AND c.id < ${cursor.id}))` : raw('');
    return [sql`SELECT c.* FROM "Commission" c WHERE ${filter}${after} ORDER BY c."createdAt" DESC, c.id DESC LIMIT ${limit + 1}`];
  };
  return [
    { name: 'commissions: first page', variants: [{ path: base, sql: page([], 50) }], compare: comparePage(50) },
    { name: 'commissions: deep page (keyset cursor)', variants: cursors.map((c) => ({ path: `${base}?cursor=${encodeCursor(c)}`, sql: page([], 50, c) })), compare: comparePage(50) },
    { name: 'commissions: status pending', variants: [{ path: `${base}?status=pending`, sql: page([sql`c.status = 'pending'`], 50) }], compare: comparePage(50) },
    { name: 'commissions: by partner', variants: partnerIds.map((id) => ({ path: `${base}?partnerId=${id}`, sql: page([sql`c."partnerId" = ${id}`], 50) })), compare: comparePage(50) },
    {
      name: 'commissions: last 30 days, 200 (dashboard)',
      variants: [{ path: `${base}?from=${monthAgo.toISOString()}&limit=200`, sql: page([sql`c."createdAt" >= ${monthAgo}`], 200) }],
      compare: comparePage(200),
    },
  ];
}

function statsEndpoints(t: Tenant, monthAgo: Date): Endpoint[] {
  // The three aggregates of the stats service (sales and ledger in GROUPING SETS, redemptions per day).
  const statements = (from: Date | null): Sql[] => {
    const where = joinSql([sql`s."workspaceId" = ${t.workspaceId}`, sql`s."programId" = ${t.programId}`, ...(from ? [sql`s."orderedAt" >= ${from}`] : [])], ' AND ');
    return [
      sql`SELECT GROUPING(s."partnerId", s."promotionCodeId") AS level, s."partnerId", s."promotionCodeId", s."currency",
          count(*) FILTER (WHERE s."status" <> 'cancelled') AS orders,
          coalesce(sum(s."netAmount" - s."refundedAmount") FILTER (WHERE s."status" <> 'cancelled'), 0) AS revenue,
          coalesce(sum(s."discountAmount") FILTER (WHERE s."status" <> 'cancelled'), 0) AS discount
        FROM "Sale" s WHERE ${where}
        GROUP BY GROUPING SETS ((s."currency"), (s."partnerId", s."currency"), (s."promotionCodeId", s."currency"))`,
      sql`SELECT GROUPING(s."partnerId", s."promotionCodeId") AS level, s."partnerId", s."promotionCodeId", c."currency", c."status"::text AS status, sum(c."amount") AS amount
        FROM "Commission" c JOIN "Sale" s ON s."id" = c."saleId"
        WHERE ${where} AND c."workspaceId" = ${t.workspaceId}
        GROUP BY GROUPING SETS ((c."currency", c."status"), (s."partnerId", c."currency", c."status"), (s."promotionCodeId", c."currency", c."status"))`,
      sql`SELECT to_char(date_trunc('day', s."orderedAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS date, s."promotionCodeId", count(*) AS redemptions
        FROM "Sale" s WHERE ${where} AND s."promotionCodeId" IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    ];
  };
  const base = `/api/programs/${t.programId}/stats`;
  return [
    { name: 'stats: last 30 days (dashboard)', variants: [{ path: `${base}?from=${monthAgo.toISOString()}`, sql: statements(monthAgo) }], compare: compareStats },
    { name: 'stats: all time', variants: [{ path: base, sql: statements(null) }], compare: compareStats },
  ];
}

/** p50/p95 of the variants' statements over pg, at the same concurrency as the HTTP load. */
async function measureSql(pool: PgPool, variants: Variant[], count: number): Promise<number[]> {
  const latencies: number[] = [];
  const run = (v: Variant) => Promise.all(v.sql.map((s) => pool.query(s)));
  const warmupDeadline = performance.now() + maxWarmupSeconds * 1000;
  for (let i = 0; i < warmupRequests && performance.now() < warmupDeadline; i += 1) await run(variants[i % variants.length]!);
  const deadline = performance.now() + maxSecondsPerEndpoint * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && performance.now() < deadline) {
        const variant = variants[next++ % variants.length]!;
        const started = performance.now();
        await run(variant);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

async function explain(pool: PgPool, statements: Sql[]): Promise<string> {
  const plans: string[] = [];
  for (const s of statements) {
    const { rows: plan } = await pool.query<{ 'QUERY PLAN': string }>({ text: `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, values: s.values });
    plans.push(plan.map((r) => r['QUERY PLAN']).join('\n'));
  }
  return plans.join('\n--\n');
}

async function main() {
  const database = await createTestDatabase(await prepareTemplateDatabase());
  const redisKeys = createTestRedisPrefix();
  const config = loadApiConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, REDIS_URL: testRedisUrl, REDIS_PREFIX: redisKeys.prefix, LOG_LEVEL: 'silent' });
  const db = createPrismaClient({ ...config.database });
  const pool = new pg.Pool(poolConfigFromUrl(database.url, Math.max(4, concurrency * 3)));
  const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 2 });
  const jobs = new JobProducer({ connection: { url: testRedisUrl } as never, prefix: redisKeys.prefix });
  const app = await buildApp({ config, db, redis, jobs, logger: false });
  try {
    const seedStarted = performance.now();
    const mine = await seedWorkspace(db, pool, 'Bench', rows);
    const other = await seedWorkspace(db, pool, 'Other', Math.round(rows / 10));
    for (const table of ['Partner', 'PromotionCode', 'SyncLink', 'Sale', 'Commission']) await pool.query(`VACUUM (ANALYZE) "${table}"`);
    const { rows: counts } = await pool.query<{ codes: string; sales: string; commissions: string }>(
      sql`SELECT (SELECT count(*) FROM "PromotionCode" WHERE "workspaceId" = ${mine.workspaceId}) AS codes, (SELECT count(*) FROM "Sale" WHERE "workspaceId" = ${mine.workspaceId}) AS sales,
        (SELECT count(*) FROM "Commission" WHERE "workspaceId" = ${mine.workspaceId}) AS commissions`,
    );
    const seeded = counts[0]!;
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.log(`seeded ${Number(seeded.codes).toLocaleString('en')} codes, ${Number(seeded.sales).toLocaleString('en')} sales, ${Number(seeded.commissions).toLocaleString('en')} commissions (+ a tenth in another workspace) in ${seedSeconds.toFixed(0)} s`);

    const apiKey = `ctk_bench_${randomBytes(16).toString('hex')}`;
    await db.apiKey.create({ data: { workspaceId: mine.workspaceId, name: 'Bench', prefix: apiKey.slice(0, 12), hash: hashToken(apiKey), role: 'viewer' } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const headers = { authorization: `Bearer ${apiKey}` };

    // Deep pages start 50% to 95% of the way down; partners are the ones with the most sales.
    const depths = Array.from({ length: 10 }, (_, i) => Math.floor(rows * (0.5 + i * 0.05)));
    const at = async <T>(s: Sql) => (await pool.query<T & Record<string, unknown>>(s)).rows[0]!;
    const codeCursors = await Promise.all(depths.map((d) => at<{ createdAt: Date; id: string }>(sql`SELECT "createdAt", id FROM "PromotionCode" WHERE "workspaceId" = ${mine.workspaceId} ORDER BY "createdAt" DESC, id DESC OFFSET ${d} LIMIT 1`)));
    const saleCursors = await Promise.all(depths.map((d) => at<{ orderedAt: Date; id: string }>(sql`SELECT "orderedAt", id FROM "Sale" WHERE "workspaceId" = ${mine.workspaceId} ORDER BY "orderedAt" DESC, id DESC OFFSET ${d} LIMIT 1`)));
    const commissionRows = Number(seeded.commissions);
    const commissionCursors = await Promise.all(
      depths.map((d) => at<{ createdAt: Date; id: string }>(sql`SELECT "createdAt", id FROM "Commission" WHERE "workspaceId" = ${mine.workspaceId} ORDER BY "createdAt" DESC, id DESC OFFSET ${Math.floor((d / rows) * commissionRows)} LIMIT 1`)),
    );
    const { rows: topPartners } = await pool.query<{ partnerId: string }>(
      sql`SELECT "partnerId" FROM "Sale" WHERE "workspaceId" = ${mine.workspaceId} AND "partnerId" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 10`,
    );
    const partnerIds = topPartners.map((r) => r.partnerId);
    const monthAgo = new Date(Date.now() - 30 * day);

    const endpoints = [
      ...codeEndpoints(mine, codeCursors, partnerIds),
      ...saleEndpoints(mine, saleCursors, partnerIds, monthAgo),
      ...commissionEndpoints(mine, commissionCursors, partnerIds, monthAgo),
      ...statsEndpoints(mine, monthAgo),
    ];

    // Correctness first: every endpoint's first variant against its raw SQL, and the other tenant's program is not found.
    const problems = new Map<string, string>();
    for (const e of endpoints) {
      const v = e.variants[0]!;
      const res = await fetch(`http://127.0.0.1:${port}${v.path}`, { headers });
      const body = (await res.json()) as Body;
      const results = await Promise.all(v.sql.map(async (s) => (await pool.query(s)).rows as Record<string, unknown>[]));
      const problem = res.status === 200 ? e.compare(body, results) : `status ${res.status}: ${JSON.stringify(body).slice(0, 200)}`;
      if (problem) problems.set(e.name, problem);
    }
    const crossTenant = await Promise.all(
      [`/api/promotion-codes?programId=${other.programId}`, `/api/programs/${other.programId}/sales`, `/api/programs/${other.programId}/commissions`, `/api/programs/${other.programId}/stats`].map(
        async (path) => (await fetch(`http://127.0.0.1:${port}${path}`, { headers })).status,
      ),
    );

    type Measured = { e: Endpoint; api: number[]; failed: number; baseline: number[]; plan?: string };
    const measured: Measured[] = [];
    for (const e of endpoints) {
      const request = (i: number): LoadRequest => ({ port, method: 'GET', path: e.variants[i % e.variants.length]!.path, headers });
      await runLoad({ requests: Array.from({ length: warmupRequests }, (_, i) => request(i)), concurrency, maxSeconds: maxWarmupSeconds });
      const load = await runLoad({ requests: Array.from({ length: requestsPerEndpoint }, (_, i) => request(i)), concurrency, maxSeconds: maxSecondsPerEndpoint });
      const baseline = await measureSql(pool, e.variants, requestsPerEndpoint);
      const m: Measured = { e, api: load.latenciesMs, failed: load.failed, baseline };
      if (explainAll || (!benchQuick && percentile(m.api, 95) > targetMs)) m.plan = await explain(pool, e.variants[0]!.sql);
      measured.push(m);
      console.log(`  ${e.name}: p95 ${percentile(m.api, 95).toFixed(1)} ms (SQL ${percentile(m.baseline, 95).toFixed(1)} ms), ${m.api.length} requests`);
    }

    const target = `p95 <= ${targetMs} ms`;
    const checks: Check[] = [];
    const resultRows: BenchRow[] = [];
    for (const m of measured) {
      const p50 = percentile(m.api, 50);
      const p95 = percentile(m.api, 95);
      const sqlP50 = percentile(m.baseline, 50);
      const sqlP95 = percentile(m.baseline, 95);
      const problem = problems.get(m.e.name) ?? (m.failed > 0 ? `${m.failed} requests failed` : null);
      const fast = p95 <= targetMs;
      const pass = problem === null && (benchQuick || fast);
      checks.push({
        check: `${m.e.name}: ${target}`,
        pass,
        value: `p95 ${p95.toFixed(1)} ms, p50 ${p50.toFixed(1)} ms; SQL p95 ${sqlP95.toFixed(1)} ms, p50 ${sqlP50.toFixed(1)} ms (x${(p95 / sqlP95).toFixed(1)}); n=${m.api.length}${problem ? `; WRONG: ${problem}` : ''}`,
      });
      resultRows.push(benchRow({ metric: `${m.e.name}, p95`, ours: p95, baseline: sqlP95, unit: 'ms', target: benchQuick ? quickTarget : target, pass }));
      resultRows.push(benchRow({ metric: `${m.e.name}, p50`, ours: p50, baseline: sqlP50, unit: 'ms', target: 'info', pass: problem === null }));
    }
    const isolated = crossTenant.every((s) => s === 404);
    const matched = endpoints.length - problems.size;
    checks.push({ check: 'answers equal the raw SQL (ids, order, totals)', pass: problems.size === 0, value: `${matched} of ${endpoints.length}` });
    checks.push({ check: "another workspace's program: 404 on codes, sales, commissions, stats", pass: isolated, value: crossTenant.join(', ') });
    resultRows.push(benchRow({ metric: 'answers equal to the raw SQL', ours: matched, baseline: endpoints.length, unit: 'endpoints', target: 'all', pass: problems.size === 0 }));
    resultRows.push(benchRow({ metric: "another workspace's program is 404", ours: crossTenant.filter((s) => s === 404).length, baseline: crossTenant.length, unit: 'routes', target: 'all', pass: isolated }));

    for (const m of measured.filter((x) => x.plan)) console.log(`\nEXPLAIN (ANALYZE, BUFFERS) — ${m.e.name} (p95 ${percentile(m.api, 95).toFixed(1)} ms):\n${m.plan}`);
    writeBenchResult('lists', resultRows);
    const title = `bench:lists — ${Number(seeded.codes).toLocaleString('en')} codes, ${Number(seeded.sales).toLocaleString('en')} sales, ${Number(seeded.commissions).toLocaleString('en')} commissions; ${concurrency} request(s) at a time, up to ${requestsPerEndpoint} per endpoint`;
    return printChecks(title, checks) ? 0 : 1;
  } finally {
    await app.close();
    await jobs.close();
    redis.disconnect();
    await pool.end();
    await db.$disconnect();
    await redisKeys.cleanup();
    await database.drop();
  }
}

process.exit(await main());
