import { createCodeGenerator, deriveAmountLabel, partnerFieldsOf, type CodeCollision, type CodeGenerationFailure, type GenerateCodesResult, type GeneratedCode } from '@codetrack/core';
import type { GenerateCodesInput } from '@codetrack/contracts';
import type { TenantDb } from '../tenant.ts';
import { drainThreshold, type PendingLink } from './outbox.ts';
import type { RestrictionColumns } from './code-restrictions.ts';

type CouponForGeneration = {
  id: string;
  workspaceId: string;
  programId: string;
  discountType: 'percent' | 'fixed';
  percentOffBps: number | null;
  amountOff: number | null;
  currency: string | null;
};

/** A partner as the generator sees it: only the fields the pattern uses are loaded, the rest are null. */
export type PlannedPartner = { id: string; name: string | null; firstName: string | null; lastName: string | null; referralKey: string | null };

export type GenerationPlan = {
  /** Partners matching the filter that already have a code on this coupon (re-runs skip them). */
  skipped: number;
  result: GenerateCodesResult;
};

type GenerationInput = { coupon: CouponForGeneration; pattern: string; partners: GenerateCodesInput['partners']; seed: string };
type Reader = Pick<TenantDb, '$queryRaw'>;

/** Partners matching the filter, and how many of them still need a code on this coupon. */
export async function countGenerationTargets(db: Reader, input: Pick<GenerationInput, 'coupon' | 'partners'>): Promise<{ matching: number; todo: number }> {
  const { coupon, partners: filter } = input;
  const ids = filter.partnerIds ?? null;
  const statuses = filter.status ?? null;
  const [row] = await db.$queryRaw<{ matching: bigint; todo: bigint }[]>`
    SELECT count(*) AS matching,
      count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM "PromotionCode" c WHERE c."couponId" = ${coupon.id} AND c."partnerId" = p.id AND c."deletedAt" IS NULL)) AS todo
    FROM "Partner" p
    WHERE p."workspaceId" = ${coupon.workspaceId} AND p."programId" = ${coupon.programId}
      AND (${ids}::text[] IS NULL OR p.id = ANY(${ids}::text[]))
      AND (${statuses}::text[] IS NULL OR p.status::text = ANY(${statuses}::text[]))`;
  return { matching: Number(row?.matching ?? 0), todo: Number(row?.todo ?? 0) };
}

export type GenerationPage = { partners: PlannedPartner[]; codes: GeneratedCode[]; collisions: CodeCollision[]; failures: CodeGenerationFailure[] };

const defaultPageSize = 5000;

/**
 * Works out which partners get which code, a page of partners at a time (by id, so the outcome
 * is deterministic for a given seed), handing each page to `onPage` before reading the next.
 * Partners of the program matching the filter that have no code on this coupon yet get one that
 * is free against every code the workspace has ever used (disabled and deleted codes stay
 * reserved). Only the page and the set of codes in use are held in memory, which is what keeps
 * 100,000-partner runs inside the worker's memory budget. Writes nothing itself; `tx` must be a
 * transaction (the partners are read through a cursor).
 *
 * Why a cursor and a separate "has a code" query per page rather than keyset pages with NOT
 * EXISTS: right after a bulk import the tables have no statistics yet, and the planner then
 * re-scans and re-sorts every partner per page and turns NOT EXISTS into a scan of all the
 * coupon's codes per partner (measured: 32 s instead of 7 s for 100,000 partners). The cursor
 * sorts once; the per-page lookup always uses the (couponId, partnerId) index.
 * The cursor is DECLAREd before the loop writes anything, so it never sees this run's codes.
 */
export async function streamCodeGeneration(
  tx: Pick<TenantDb, '$queryRaw' | '$executeRaw'>,
  input: GenerationInput & { partnerCount: number; onPage: (page: GenerationPage) => Promise<void>; pageSize?: number },
): Promise<{ generated: number; collisions: number; failures: CodeGenerationFailure[] }> {
  const { coupon, partners: filter } = input;
  const pageSize = Math.trunc(input.pageSize ?? defaultPageSize);
  if (!(pageSize > 0)) throw new Error('pageSize must be a positive integer');
  const ids = filter.partnerIds ?? null;
  const statuses = filter.status ?? null;
  // Every code the workspace ever used, as one text (codes never contain the separator).
  const [takenRow] = await tx.$queryRaw<{ codes: string | null }[]>`
    SELECT string_agg("normalizedCode", chr(31)) AS codes FROM "PromotionCode" WHERE "workspaceId" = ${coupon.workspaceId}`;
  const next = createCodeGenerator({
    pattern: input.pattern,
    amountLabel: deriveAmountLabel(coupon),
    taken: new Set(takenRow?.codes ? takenRow.codes.split(unitSeparator) : []),
    seed: input.seed,
    partnerCount: input.partnerCount,
  });
  const summary = { generated: 0, collisions: 0, failures: [] as CodeGenerationFailure[] };
  const fields = new Set(partnerFieldsOf(input.pattern));
  // One row per page: the page's partners as one JSON text, parsed here with JSON.parse. Rows of
  // five columns went through the driver and Prisma's raw-result mapping cell by cell, most of
  // the remaining garbage of a large run.
  await tx.$executeRaw`
    DECLARE ct_generation_partners NO SCROLL CURSOR FOR
    SELECT json_agg(json_build_array(t.id, t.name, t."firstName", t."lastName", t."referralKey") ORDER BY t.id)::text AS page
    FROM (
      SELECT p.id,
        CASE WHEN ${fields.has('name')} THEN p.name END AS name,
        CASE WHEN ${fields.has('firstName')} THEN p."firstName" END AS "firstName",
        CASE WHEN ${fields.has('lastName')} THEN p."lastName" END AS "lastName",
        CASE WHEN ${fields.has('partnerKey')} THEN p."referralKey" END AS "referralKey",
        (row_number() OVER (ORDER BY p.id) - 1) / ${pageSize}::int AS n
      FROM "Partner" p
      WHERE p."workspaceId" = ${coupon.workspaceId} AND p."programId" = ${coupon.programId}
        AND (${ids}::text[] IS NULL OR p.id = ANY(${ids}::text[]))
        AND (${statuses}::text[] IS NULL OR p.status::text = ANY(${statuses}::text[]))
    ) AS t
    GROUP BY t.n
    ORDER BY t.n`;
  try {
    for (;;) {
      const [fetched] = await tx.$queryRaw<{ page: string }[]>`FETCH NEXT FROM ct_generation_partners`;
      if (!fetched) return summary;
      const rows = (JSON.parse(fetched.page) as [string, string | null, string | null, string | null, string | null][]).map(
        ([id, name, firstName, lastName, referralKey]): PlannedPartner => ({ id, name, firstName, lastName, referralKey }),
      );
      const withCode = await tx.$queryRaw<{ partnerId: string }[]>`
        SELECT "partnerId" FROM "PromotionCode"
        WHERE "couponId" = ${coupon.id} AND "partnerId" = ANY(string_to_array(${packList(rows.map((p) => p.id))}, chr(31))) AND "deletedAt" IS NULL`;
      const skip = new Set(withCode.map((r) => r.partnerId));
      const partners = skip.size === 0 ? rows : rows.filter((p) => !skip.has(p.id));
      const page: GenerationPage = { partners, codes: [], collisions: [], failures: [] };
      for (const partner of partners) {
        const step = next(partner);
        if (step.kind === 'failure') {
          page.failures.push({ partnerId: step.partnerId, reason: step.reason });
          continue;
        }
        page.codes.push({ partnerId: step.partnerId, code: step.code });
        if (step.code !== step.wanted) page.collisions.push({ partnerId: step.partnerId, wanted: step.wanted, resolvedTo: step.code });
      }
      summary.generated += page.codes.length;
      summary.collisions += page.collisions.length;
      summary.failures.push(...page.failures);
      if (partners.length > 0) await input.onPage(page);
    }
  } finally {
    await tx.$executeRaw`CLOSE ct_generation_partners`;
  }
}

/**
 * The whole plan in memory, writing nothing: for the preview and for small runs (a partner who
 * just joined). Bulk runs stream instead (generateCodesInPages).
 */
export async function planCodeGeneration(db: TenantDb, input: GenerationInput): Promise<GenerationPlan> {
  const { matching, todo } = await countGenerationTargets(db, input);
  const plan: GenerationPlan = { skipped: matching - todo, result: { results: [], collisions: [], failures: [] } };
  await db.$transaction((tx) => streamCodeGeneration(tx, {
    ...input,
    partnerCount: todo,
    onPage: async (page) => {
      plan.result.results.push(...page.codes);
      plan.result.collisions.push(...page.collisions);
      plan.result.failures.push(...page.failures);
    },
  }));
  return plan;
}

const chunkSize = 5000;
const unitSeparator = '\x1f';

/**
 * Thousands of values sent as ONE text parameter split in SQL (string_to_array), not as a text[]
 * parameter: node-postgres builds array literals by repeated concatenation and Prisma copies every
 * element through its query compiler, which made array parameters most of the garbage of a
 * 100,000-code run (measured with the sampling heap profiler: ~70% of allocations). Codes and ids
 * never contain the unit separator; the check keeps it that way.
 */
function packList(values: string[]): string {
  if (values.some((v) => v.includes(unitSeparator))) throw new Error('a value contains the list separator');
  return values.join(unitSeparator);
}

type WriteCodesInput = {
  workspaceId: string;
  coupon: CouponForGeneration;
  codes: { partnerId: string; code: string }[];
  restrictions: RestrictionColumns;
  connectionIds: string[];
  source?: 'generated' | 'auto' | 'imported' | 'manual';
  onProgress?: (written: number) => Promise<void>;
  /** Drain per connection instead of returning every link; decided from `codes` when absent. */
  bulk?: boolean;
};

/**
 * Inserts codes (as given: already normalised), their assignment history and their sync outbox
 * rows in the caller's transaction. Each chunk is a single statement (codes, history and outbox
 * rows chained with CTEs), so no id travels back to Node for bulk work. `onProgress` is called
 * between chunks with the number written so far.
 */
export async function insertCodesForPartners(tx: Pick<TenantDb, '$queryRaw'>, input: WriteCodesInput): Promise<{ created: number; syncLinks: PendingLink[] | null }> {
  const r = input.restrictions;
  const source = input.source ?? 'generated';
  const bulk = input.bulk ?? input.codes.length * input.connectionIds.length > drainThreshold;
  const syncLinks: PendingLink[] = [];
  for (let i = 0; i < input.codes.length; i += chunkSize) {
    const chunk = input.codes.slice(i, i + chunkSize);
    const codes = packList(chunk.map((c) => c.code));
    const partnerIds = packList(chunk.map((c) => c.partnerId));
    const rows = await tx.$queryRaw<PendingLink[]>`
      WITH ins AS (
        INSERT INTO "PromotionCode" ("workspaceId", "programId", "couponId", "code", "normalizedCode", "partnerId",
          "firstTimeOnly", "minimumAmount", "minimumAmountCurrency", "expiresAt", "maxRedemptions", "source", "updatedAt")
        SELECT ${input.workspaceId}, ${input.coupon.programId}, ${input.coupon.id}, c.code, upper(c.code), c.partner,
          ${r.firstTimeOnly}, ${r.minimumAmount}::int, ${r.minimumAmountCurrency}::text, ${r.expiresAt}::timestamptz, ${r.maxRedemptions}::int,
          ${source}::"CodeSource", now()
        FROM unnest(string_to_array(${codes}, chr(31)), string_to_array(${partnerIds}, chr(31))) AS c(code, partner)
        RETURNING id, "partnerId"
      ), history AS (
        INSERT INTO "PromotionCodeAssignment" ("workspaceId", "promotionCodeId", "partnerId")
        SELECT ${input.workspaceId}, ins.id, ins."partnerId" FROM ins
      ), outbox AS (
        INSERT INTO "SyncLink" ("workspaceId", "connectionId", "entityType", "entityId", "promotionCodeId", "state", "updatedAt")
        SELECT ${input.workspaceId}, k.id, 'promotion_code'::"SyncEntity", ins.id, ins.id, 'pending'::"SyncState", now()
        FROM ins CROSS JOIN unnest(${input.connectionIds}::text[]) AS k(id)
        RETURNING id, "connectionId"
      )
      SELECT id, "connectionId" FROM outbox WHERE NOT ${bulk}`;
    syncLinks.push(...rows);
    await input.onProgress?.(i + chunk.length);
  }
  // Bulk work is drained per connection, so the links themselves are not needed then.
  return { created: input.codes.length, syncLinks: bulk ? null : syncLinks };
}

/**
 * Writes generated codes, their history and outbox rows in ONE transaction: a failure (say a code
 * taken by a concurrent request) writes nothing, and the job runs again. Progress is visible while
 * the rows themselves appear only at commit.
 */
export function writeGeneratedCodes(db: TenantDb, input: WriteCodesInput) {
  return db.$transaction((tx) => insertCodesForPartners(tx, input), { timeout: 120_000, maxWait: 10_000 });
}

/**
 * Bulk generation in ONE transaction, streaming: each page of partners is planned and written
 * before the next is read, so memory holds a page, not the run. A failure (say a code taken by a
 * concurrent request) writes nothing, and the job runs again. `onProgress` runs between pages and
 * should write outside the transaction so progress is visible while the rows are not.
 */
export function generateCodesInPages(
  db: TenantDb,
  input: GenerationInput & Omit<WriteCodesInput, 'codes' | 'coupon' | 'bulk'> & { partnerCount: number; pageSize?: number },
): Promise<{ created: number; collisions: number; failures: CodeGenerationFailure[]; syncLinks: PendingLink[] | null }> {
  const bulk = input.partnerCount * input.connectionIds.length > drainThreshold;
  return db.$transaction(
    async (tx) => {
      let created = 0;
      const syncLinks: PendingLink[] = [];
      const summary = await streamCodeGeneration(tx, {
        ...input,
        onPage: async (page) => {
          const written = await insertCodesForPartners(tx, { ...input, codes: page.codes, bulk, onProgress: undefined });
          created += written.created;
          if (written.syncLinks) syncLinks.push(...written.syncLinks);
          await input.onProgress?.(created);
        },
      });
      return { created, collisions: summary.collisions, failures: summary.failures, syncLinks: bulk ? null : syncLinks };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
