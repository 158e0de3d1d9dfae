import type { OrderEvent } from '@codetrack/contracts';
import { holdUntil, normalizeCode } from '@codetrack/core';
import type { Db } from '@codetrack/db';
import {
  TRANSACTION_OPTIONS,
  decideAttribution,
  newSaleColumns,
  partnersToLoad,
  refuseForLimit,
  type ConnectionContext,
  type CustomerRow,
  type PromotionCodeRow,
  type Tx,
} from './apply-order.ts';

/** One new order of a batch; `key` is the caller's handle for it (the webhook delivery id). */
export type BatchOrder = { key: string; context: ConnectionContext; order: OrderEvent };

export type BatchOutcome = {
  /** Recorded, attributed and booked by this batch. */
  applied: BatchOrder[];
  /**
   * Left for the one-order path (applyOrder): orders that already have a sale (a second event of
   * the same order fills gaps, it never books twice) and repeats of an order within the batch.
   */
  deferred: BatchOrder[];
};

type LockedCustomer = CustomerRow & { programId: string; email: string | null; platformCustomerId: string | null; firstOrderAt: Date | null; createdAt: Date; dirty: boolean };
/** `redeemed`: redemptions this batch counted, added to the row at the end. */
type LockedCode = PromotionCodeRow & { redeemed: number };

/**
 * Records a batch of NEW orders as sales, attributes them and books their earnings in ONE
 * transaction with a fixed number of statements, whatever the batch size. This is the worker's
 * hot path: one order at a time costs about fifteen round trips (applyOrder), which capped one
 * worker process far below the 1,000 orders/s target.
 *
 * It gives exactly what applyOrder would give for the same orders one after another:
 * - every order's advisory lock is taken first, in hash order (so two batches cannot deadlock),
 *   then the customers (FOR UPDATE, by id), then the codes with a redemption limit (FOR UPDATE,
 *   by id), and last, just before the writes, the other codes it counts redemptions on (by id):
 *   the same order of locks as applyOrder, which takes order, customer, code. Unlimited codes
 *   (nearly all of them) are locked only for the final statement, so batches that share a
 *   popular code do not queue behind each other for their whole transaction;
 * - attribution is the same pure decision (decideAttribution) per order, in batch order, against
 *   customers and redemption counts kept in memory, so two orders of one new customer in one
 *   batch still see "first order" once, and a code's redemption limit is never passed;
 * - every write (sales, earnings, customers, redemption counts) is one statement of chained CTEs.
 */
export async function applyOrdersBatch(db: Db, items: BatchOrder[]): Promise<BatchOutcome> {
  if (items.length === 0) return { applied: [], deferred: [] };
  return db.$transaction(async (tx) => {
    const orderKey = (i: BatchOrder) => `${i.context.connectionId}\u0000${i.order.platformOrderId}`;
    await tx.$queryRaw`
      SELECT pg_advisory_xact_lock(h)::text FROM (
        SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(${items.map((i) => `order:${i.context.connectionId}:${i.order.platformOrderId}`)}::text[]) AS k ORDER BY 1
      ) AS locks`;

    const existing = await tx.$queryRaw<{ connectionId: string; platformOrderId: string }[]>`
      SELECT s."connectionId", s."platformOrderId" FROM "Sale" s
      JOIN unnest(${items.map((i) => i.context.connectionId)}::text[], ${items.map((i) => i.order.platformOrderId)}::text[]) AS o(c, p)
        ON s."connectionId" = o.c AND s."platformOrderId" = o.p`;
    const taken = new Set(existing.map((e) => `${e.connectionId}\u0000${e.platformOrderId}`));
    const fresh: BatchOrder[] = [];
    const deferred: BatchOrder[] = [];
    for (const item of items) {
      const key = orderKey(item);
      if (taken.has(key)) deferred.push(item);
      else {
        taken.add(key);
        fresh.push(item);
      }
    }
    if (fresh.length === 0) return { applied: [], deferred };

    const customers = await lockCustomers(tx, fresh);
    const codes = await lockCodes(tx, fresh);
    const clicks = await loadClicks(tx, fresh);
    const partnerIds = new Set<string>();
    for (const item of fresh) {
      const customer = pickCustomer(customers, item);
      for (const id of partnersToLoad(codes.forOrder(item), clicks.forOrder(item), customer)) partnerIds.add(id);
    }
    const partners = partnerIds.size === 0 ? [] : await tx.partner.findMany({ where: { id: { in: [...partnerIds] } } });

    const sales: Record<string, unknown>[] = [];
    const earnings: Record<string, unknown>[] = [];
    for (const item of fresh) {
      const { context, order } = item;
      const customer = pickCustomer(customers, item);
      const candidates = codes.forOrder(item);
      const decided = decideAttribution(context, order, customer, {
        codes: candidates,
        mappedCodeIds: codes.mappedFor(item),
        clicks: clicks.forOrder(item),
        partners: partners.filter((p) => p.programId === context.program.id),
      });
      let decision = decided;
      const winner = candidates.find((c) => c.id === decided.result.promotionCodeId) as LockedCode | undefined;
      if (winner) {
        if (winner.maxRedemptions !== null && winner.timesRedeemed >= winner.maxRedemptions) decision = refuseForLimit(decided);
        else {
          winner.timesRedeemed += 1;
          winner.redeemed += 1;
        }
      }
      const orderedAt = new Date(order.occurredAt);
      if (customer) {
        customer.ordersCount += 1;
        customer.firstOrderAt = customer.firstOrderAt && customer.firstOrderAt < orderedAt ? customer.firstOrderAt : orderedAt;
        if (decision.bindTo && customer.boundPartnerId === null) {
          customer.boundPartnerId = decision.bindTo.partnerId;
          customer.bindingSource = decision.bindTo.source;
          customer.boundAt = orderedAt;
        }
        customer.dirty = true;
      }
      // As applyOrder: the sale keeps who the signals pointed at; a refusal shows in its attribution.
      sales.push({
        ...newSaleColumns(context, order),
        orderedAt: orderedAt.toISOString(),
        customerId: customer?.id ?? null,
        customerEmail: order.customer.email,
        codesSeen: order.codes,
        referralVisitorId: order.referralVisitorId,
        partnerId: decided.result.partnerId,
        promotionCodeId: decided.result.promotionCodeId,
        attributionSource: decided.result.source,
        attribution: decision.attribution,
        flags: decided.result.flags,
      });
      if (decision.commission) {
        earnings.push({
          workspaceId: context.workspaceId,
          programId: context.program.id,
          connectionId: context.connectionId,
          platformOrderId: order.platformOrderId,
          partnerId: decision.commission.partnerId,
          amount: decision.commission.amount,
          currency: decision.commission.currency,
          ruleSnapshot: decision.commission.ruleSnapshot,
          sourceKey: `order:${order.platformOrderId}`,
          holdUntil: holdUntil(orderedAt, context.program.holdPeriodDays).toISOString(),
        });
      }
    }

    const customerUpdates = [...customers.values()]
      .filter((c) => c.dirty)
      .map((c) => ({ id: c.id, ordersCount: c.ordersCount, firstOrderAt: c.firstOrderAt?.toISOString() ?? null, boundPartnerId: c.boundPartnerId, bindingSource: c.bindingSource, boundAt: c.boundAt?.toISOString() ?? null }));
    const codeUpdates = codes.rows.filter((c) => c.redeemed > 0).map((c) => ({ id: c.id, redeemed: c.redeemed }));
    const unlimited = codeUpdates.filter((c) => codes.rows.find((r) => r.id === c.id)?.maxRedemptions === null).map((c) => c.id);
    if (unlimited.length > 0) await tx.$queryRaw`SELECT "id" FROM "PromotionCode" WHERE "id" = ANY(${unlimited}::text[]) ORDER BY "id" FOR UPDATE`;
    // One JSON parameter per table: jsonb_to_recordset turns it into rows on the server.
    await tx.$queryRaw`
      WITH sales AS (
        INSERT INTO "Sale" ("workspaceId", "programId", "connectionId", "platformOrderId", "currency", "grossAmount", "discountAmount", "netAmount", "totalAmount",
          "orderedAt", "customerId", "customerEmail", "codesSeen", "referralVisitorId", "partnerId", "promotionCodeId", "attributionSource", "attribution", "flags", "updatedAt")
        SELECT x."workspaceId", x."programId", x."connectionId", x."platformOrderId", x."currency", x."grossAmount", x."discountAmount", x."netAmount", x."totalAmount",
          x."orderedAt", x."customerId", x."customerEmail", x."codesSeen", x."referralVisitorId", x."partnerId", x."promotionCodeId", x."attributionSource"::"AttributionSource",
          x."attribution", x."flags", now()
        FROM jsonb_to_recordset(${JSON.stringify(sales)}::jsonb) AS x("workspaceId" text, "programId" text, "connectionId" text, "platformOrderId" text, "currency" text,
          "grossAmount" int, "discountAmount" int, "netAmount" int, "totalAmount" int, "orderedAt" timestamptz, "customerId" text, "customerEmail" text, "codesSeen" text[],
          "referralVisitorId" text, "partnerId" text, "promotionCodeId" text, "attributionSource" text, "attribution" jsonb, "flags" text[])
        RETURNING "id", "connectionId", "platformOrderId"
      ), earnings AS (
        INSERT INTO "Commission" ("workspaceId", "programId", "saleId", "partnerId", "kind", "amount", "currency", "ruleSnapshot", "status", "sourceKey", "holdUntil")
        SELECT x."workspaceId", x."programId", s."id", x."partnerId", 'earning', x."amount", x."currency", x."ruleSnapshot", 'pending', x."sourceKey", x."holdUntil"
        FROM jsonb_to_recordset(${JSON.stringify(earnings)}::jsonb) AS x("workspaceId" text, "programId" text, "connectionId" text, "platformOrderId" text, "partnerId" text,
          "amount" int, "currency" text, "ruleSnapshot" jsonb, "sourceKey" text, "holdUntil" timestamptz)
        JOIN sales s ON s."connectionId" = x."connectionId" AND s."platformOrderId" = x."platformOrderId"
        ON CONFLICT ("saleId", "sourceKey") DO NOTHING
      ), customers AS (
        UPDATE "Customer" c SET "ordersCount" = x."ordersCount", "firstOrderAt" = x."firstOrderAt", "boundPartnerId" = x."boundPartnerId",
          "bindingSource" = x."bindingSource"::"AttributionSource", "boundAt" = x."boundAt"
        FROM jsonb_to_recordset(${JSON.stringify(customerUpdates)}::jsonb) AS x("id" text, "ordersCount" int, "firstOrderAt" timestamptz, "boundPartnerId" text, "bindingSource" text, "boundAt" timestamptz)
        WHERE c."id" = x."id"
      ), codes AS (
        UPDATE "PromotionCode" c SET "timesRedeemed" = c."timesRedeemed" + x."redeemed"
        FROM jsonb_to_recordset(${JSON.stringify(codeUpdates)}::jsonb) AS x("id" text, "redeemed" int)
        WHERE c."id" = x."id"
      )
      SELECT count(*)::int AS n FROM sales`;
    return { applied: fresh, deferred };
  }, TRANSACTION_OPTIONS);
}

/** The customers of the batch's orders, created where new and locked (by id) until commit. */
async function lockCustomers(tx: Tx, items: BatchOrder[]): Promise<Map<string, LockedCustomer>> {
  const keyed = items.filter((i) => i.order.customer.platformCustomerId !== null || i.order.customer.email !== null);
  if (keyed.length === 0) return new Map();
  const workspaces = keyed.map((i) => i.context.workspaceId);
  const programs = keyed.map((i) => i.context.program.id);
  const emails = keyed.map((i) => i.order.customer.email);
  const platformIds = keyed.map((i) => i.order.customer.platformCustomerId);
  // Either unique key may already exist; DO NOTHING without a target covers both (and repeats within the batch).
  await tx.$executeRaw`
    INSERT INTO "Customer" ("workspaceId", "programId", "email", "platformCustomerId")
    SELECT * FROM unnest(${workspaces}::text[], ${programs}::text[], ${emails}::text[], ${platformIds}::text[])
    ON CONFLICT DO NOTHING`;
  const rows = await tx.$queryRaw<Omit<LockedCustomer, 'dirty'>[]>`
    SELECT "id", "programId", "email", "platformCustomerId", "boundPartnerId", "bindingSource"::text AS "bindingSource", "boundAt", "ordersCount", "firstOrderAt", "createdAt"
    FROM "Customer"
    WHERE "programId" = ANY(${[...new Set(programs)]}::text[])
      AND ("platformCustomerId" = ANY(${platformIds.filter((x) => x !== null)}::text[]) OR "email" = ANY(${emails.filter((x) => x !== null)}::text[]))
    ORDER BY "id"
    FOR UPDATE`;
  return new Map(rows.map((r) => [r.id, { ...r, dirty: false }]));
}

/** The customer applyOrder would pick: same program, matching id or email, the id match first, then the oldest. */
function pickCustomer(customers: Map<string, LockedCustomer>, item: BatchOrder): LockedCustomer | null {
  const { platformCustomerId, email } = item.order.customer;
  if (platformCustomerId === null && email === null) return null;
  let best: LockedCustomer | null = null;
  const rank = (c: LockedCustomer) => (c.platformCustomerId === platformCustomerId ? 0 : 1);
  for (const c of customers.values()) {
    if (c.programId !== item.context.program.id) continue;
    if (!((platformCustomerId !== null && c.platformCustomerId === platformCustomerId) || (email !== null && c.email === email))) continue;
    if (!best || rank(c) < rank(best) || (rank(c) === rank(best) && (c.createdAt < best.createdAt || (c.createdAt.getTime() === best.createdAt.getTime() && c.id < best.id)))) best = c;
  }
  return best;
}

/** Every code the batch's orders name or map to (through SyncLink platform ids); those with a redemption limit locked. */
async function lockCodes(tx: Tx, items: BatchOrder[]) {
  const withDiscounts = items.filter((i) => i.order.platformDiscountIds.length > 0);
  const links =
    withDiscounts.length === 0
      ? []
      : await tx.$queryRaw<{ connectionId: string; platformId: string; promotionCodeId: string }[]>`
          SELECT l."connectionId", l."platformId", l."promotionCodeId" FROM "SyncLink" l
          JOIN unnest(${withDiscounts.flatMap((i) => i.order.platformDiscountIds.map(() => i.context.connectionId))}::text[],
                      ${withDiscounts.flatMap((i) => i.order.platformDiscountIds)}::text[]) AS d(c, p)
            ON l."connectionId" = d.c AND l."platformId" = d.p
          WHERE l."entityType" = 'promotion_code' AND l."promotionCodeId" IS NOT NULL`;
  const named = items.flatMap((i) => i.order.codes.map((code) => ({ w: i.context.workspaceId, p: i.context.program.id, n: normalizeCode(code) })));
  const mappedIds = [...new Set(links.map((l) => l.promotionCodeId))];
  const rows =
    named.length === 0 && mappedIds.length === 0
      ? []
      : await tx.$queryRaw<PromotionCodeRow[]>`
          SELECT c."id", c."workspaceId", c."programId", c."normalizedCode", c."partnerId", c."status", c."deletedAt", c."firstTimeOnly", c."minimumAmount",
            c."minimumAmountCurrency", c."expiresAt", c."maxRedemptions", c."timesRedeemed"
          FROM "PromotionCode" c
          WHERE c."id" = ANY(${mappedIds}::text[])
             OR (c."workspaceId", c."programId", c."normalizedCode") IN (SELECT * FROM unnest(${named.map((x) => x.w)}::text[], ${named.map((x) => x.p)}::text[], ${named.map((x) => x.n)}::text[]))`;
  // A limit is checked against the count as it stands under the lock, not as read above.
  const limited = rows.filter((r) => r.maxRedemptions !== null).map((r) => r.id);
  if (limited.length > 0) {
    const counts = await tx.$queryRaw<{ id: string; timesRedeemed: number }[]>`
      SELECT "id", "timesRedeemed" FROM "PromotionCode" WHERE "id" = ANY(${limited}::text[]) ORDER BY "id" FOR UPDATE`;
    for (const c of counts) {
      const row = rows.find((r) => r.id === c.id);
      if (row) row.timesRedeemed = c.timesRedeemed;
    }
  }
  const locked: LockedCode[] = rows.map((r) => ({ ...r, redeemed: 0 }));
  const mappedFor = (item: BatchOrder) => {
    const ids = new Set(item.order.platformDiscountIds);
    return links.filter((l) => l.connectionId === item.context.connectionId && ids.has(l.platformId)).map((l) => l.promotionCodeId);
  };
  return {
    rows: locked,
    mappedFor,
    /** This order's codes, from its program only, as applyOrder's query finds them. */
    forOrder: (item: BatchOrder): LockedCode[] => {
      const texts = new Set(item.order.codes.map(normalizeCode));
      const mapped = new Set(mappedFor(item));
      return locked.filter((c) => c.workspaceId === item.context.workspaceId && c.programId === item.context.program.id && (texts.has(c.normalizedCode) || mapped.has(c.id)));
    },
  };
}

/** The 50 latest clicks of each referral visitor id the batch carries. */
async function loadClicks(tx: Tx, items: BatchOrder[]) {
  const keyOf = (i: BatchOrder) => `${i.context.workspaceId}\u0000${i.context.program.id}\u0000${i.order.referralVisitorId}`;
  const visitors = [...new Map(items.filter((i) => i.order.referralVisitorId !== null).map((i) => [keyOf(i), i])).values()];
  const byVisitor = new Map<string, { partnerId: string; createdAt: Date }[]>();
  if (visitors.length > 0) {
    const rows = await tx.$queryRaw<{ w: string; p: string; v: string; partnerId: string; createdAt: Date }[]>`
      SELECT k.w, k.p, k.v, c."partnerId", c."createdAt"
      FROM unnest(${visitors.map((i) => i.context.workspaceId)}::text[], ${visitors.map((i) => i.context.program.id)}::text[], ${visitors.map((i) => i.order.referralVisitorId!)}::text[]) AS k(w, p, v)
      CROSS JOIN LATERAL (
        SELECT r."partnerId", r."createdAt" FROM "ReferralClick" r
        WHERE r."workspaceId" = k.w AND r."programId" = k.p AND r."visitorId" = k.v
        ORDER BY r."createdAt" DESC LIMIT 50
      ) AS c
      ORDER BY c."createdAt" DESC`;
    for (const r of rows) {
      const key = `${r.w}\u0000${r.p}\u0000${r.v}`;
      byVisitor.set(key, [...(byVisitor.get(key) ?? []), { partnerId: r.partnerId, createdAt: r.createdAt }]);
    }
  }
  return { forOrder: (item: BatchOrder) => (item.order.referralVisitorId === null ? [] : (byVisitor.get(keyOf(item)) ?? [])) };
}
