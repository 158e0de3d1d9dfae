// Seeds one workspace's list data at size with generate_series (bench/lists.ts): partners, codes
// with their sync links, sales on a skewed set of popular codes, and the commission ledger.
import type { Db } from '../../packages/db/src/index.ts';
import { sql, type PgPool } from './sql.ts';

const firstNames = ['John', 'Sarah', 'Ana', 'Mohammed', 'Li', 'Olga', 'Pedro', 'Aisha', 'Tom', 'Yuki'];
const day = 86_400_000;

export type Tenant = { workspaceId: string; programId: string; couponId: string; connectionId: string; partnerIds: string[] };

/** One workspace's data at `size`: codes, their sync links, sales on a skewed set of popular codes, and the ledger. */
export async function seedWorkspace(db: Db, pool: PgPool, name: string, size: number): Promise<Tenant> {
  const ws = await db.workspace.create({ data: { name } });
  const program = await db.program.create({ data: { workspaceId: ws.id, name, currency: 'USD', landingUrl: 'https://shop.example.test/', commissionType: 'percent', commissionValue: 2000 } });
  const connection = await db.connection.create({ data: { workspaceId: ws.id, programId: program.id, platform: 'stripe', name: 'Stripe', credentialsEncrypted: 'x', webhookSecretEncrypted: 'x', encryptionKeyId: 'bench', status: 'connected' } });
  const coupon = await db.coupon.create({ data: { workspaceId: ws.id, programId: program.id, name: '20%', discountType: 'percent', percentOffBps: 2000, connections: { create: { workspaceId: ws.id, connectionId: connection.id } } } });
  const t = { ws: ws.id, program: program.id, names: firstNames };
  const partners = Math.max(10, Math.round(size / 100));
  const { rows: partnerRows } = await pool.query<{ id: string }>(
    sql`INSERT INTO "Partner" ("workspaceId", "programId", "email", "name", "firstName", "lastName", "status", "referralKey", "updatedAt")
      SELECT ${t.ws}, ${t.program}, 'p' || i || '@' || ${ws.id} || '.test', (${t.names}::text[])[1 + i % 10] || ' L' || i, (${t.names}::text[])[1 + i % 10], 'L' || i, 'active', ${ws.id} || '-' || i, now()
      FROM generate_series(1, ${partners}::int) AS i RETURNING id`,
  );
  const partnerIds = partnerRows.map((r) => r.id);
  // Codes over the last year, 100 at a time sharing one createdAt (as bulk generation writes them),
  // so keyset pages cross ties; 90% assigned to partners, 1 in 20 disabled. Code = NAME + number.
  const step = (365 * day) / size;
  await pool.query(
    sql`INSERT INTO "PromotionCode" ("workspaceId", "programId", "couponId", "code", "normalizedCode", "partnerId", "status", "disabledReason", "source", "createdAt", "updatedAt")
      SELECT ${t.ws}, ${t.program}, ${coupon.id}, c.code, c.code,
        CASE WHEN i % 10 = 0 THEN NULL ELSE (${partnerIds}::text[])[1 + ((i::bigint * 7919) % ${partners}::int)::int] END,
        CASE WHEN i % 20 = 3 THEN 'disabled' ELSE 'active' END::"PromotionCodeStatus",
        CASE WHEN i % 20 = 3 THEN 'Disabled by the merchant' END,
        'generated'::"CodeSource", c.at, c.at
      FROM generate_series(1, ${size}::int) AS i,
        LATERAL (SELECT upper((${t.names}::text[])[1 + i % 10]) || i AS code, now() - ((${size}::int - i) / 100 * 100) * ${step}::float8 * interval '1 millisecond' AS at) AS c`,
  );
  // One sync link per code: 2% failed, 1% pending, the rest synced.
  await pool.query(
    sql`INSERT INTO "SyncLink" ("workspaceId", "connectionId", "entityType", "entityId", "promotionCodeId", "platformId", "state", "lastError", "lastSyncedVersion", "lastSyncedAt", "createdAt", "updatedAt")
      SELECT "workspaceId", ${connection.id}, 'promotion_code', id, id, 'promo_' || id, s.state::"SyncState", CASE WHEN s.state = 'failed' THEN 'Stripe: code already exists' END, 1, "createdAt", "createdAt", "createdAt"
      FROM "PromotionCode", LATERAL (SELECT CASE WHEN abs(hashtext(id)) % 100 < 2 THEN 'failed' WHEN abs(hashtext(id)) % 100 < 3 THEN 'pending' ELSE 'synced' END AS state) AS s
      WHERE "workspaceId" = ${t.ws}`,
  );
  // Sales over the last year: 80% on a code, skewed towards a few popular ones (the cube of a
  // uniform draw), 2% refunded, 1% partly refunded, 0.5% cancelled.
  const popular = Math.max(20, Math.round(size / 500));
  await pool.query(
    sql`WITH popular AS (
        SELECT id, "partnerId", "normalizedCode", row_number() OVER (ORDER BY id) AS rank
        FROM "PromotionCode" WHERE "workspaceId" = ${t.ws} AND "partnerId" IS NOT NULL ORDER BY id LIMIT ${popular}::int
      ), orders AS (
        SELECT i, 5000 + ((i::bigint * 7919) % 20000)::int AS gross, now() - (${size}::int - i) * ${step}::float8 * interval '1 millisecond' AS at,
          CASE WHEN i % 50 = 1 THEN 'refunded' WHEN i % 97 = 2 THEN 'partially_refunded' WHEN i % 200 = 3 THEN 'cancelled' ELSE 'paid' END AS status,
          CASE WHEN i % 5 = 0 THEN NULL ELSE 1 + floor(${popular}::int * power(((i::bigint * 2654435761) % 1000003) / 1000003.0, 3))::int END AS rank
        FROM generate_series(1, ${size}::int) AS i
      )
      INSERT INTO "Sale" ("workspaceId", "programId", "connectionId", "platformOrderId", "customerEmail", "currency", "grossAmount", "discountAmount", "netAmount", "totalAmount",
        "refundedAmount", "codesSeen", "partnerId", "promotionCodeId", "attributionSource", "status", "orderedAt", "createdAt", "updatedAt")
      SELECT ${t.ws}, ${t.program}, ${connection.id}, 'pi_' || o.i, 'buyer' || o.i || '@example.test', 'USD', o.gross, o.gross / 5, o.gross - o.gross / 5, o.gross - o.gross / 5,
        CASE o.status WHEN 'refunded' THEN o.gross - o.gross / 5 WHEN 'partially_refunded' THEN (o.gross - o.gross / 5) / 2 ELSE 0 END,
        CASE WHEN p.id IS NULL THEN '{}'::text[] ELSE ARRAY[p."normalizedCode"] END, p."partnerId", p.id,
        CASE WHEN p.id IS NULL THEN 'none' ELSE 'code' END::"AttributionSource", o.status::"SaleStatus", o.at, o.at + interval '2 seconds', o.at + interval '2 seconds'
      FROM orders o LEFT JOIN popular p ON p.rank = o.rank`,
  );
  // The ledger: one earning per attributed sale (paid after 60 days, approved after 30, else
  // pending; rejected when cancelled), and a reversal for each refund.
  await pool.query(
    sql`INSERT INTO "Commission" ("workspaceId", "programId", "saleId", "partnerId", "kind", "amount", "currency", "ruleSnapshot", "status", "sourceKey", "holdUntil", "approvedAt", "paidAt", "createdAt")
      SELECT s."workspaceId", s."programId", s.id, s."partnerId", 'earning'::"CommissionKind", s."netAmount" / 5, 'USD', '{"type":"percent","value":2000}'::jsonb, x.status::"CommissionStatus", 'order:' || s."platformOrderId",
        s."orderedAt" + interval '30 days', CASE WHEN x.status IN ('approved', 'paid') THEN s."orderedAt" + interval '30 days' END, CASE WHEN x.status = 'paid' THEN s."orderedAt" + interval '60 days' END, s."createdAt"
      FROM "Sale" s, LATERAL (SELECT CASE WHEN s.status = 'cancelled' THEN 'rejected' WHEN s."orderedAt" < now() - interval '60 days' THEN 'paid'
        WHEN s."orderedAt" < now() - interval '30 days' THEN 'approved' ELSE 'pending' END AS status) AS x
      WHERE s."workspaceId" = ${t.ws} AND s."partnerId" IS NOT NULL
      UNION ALL
      SELECT s."workspaceId", s."programId", s.id, s."partnerId", 'reversal'::"CommissionKind", -(s."refundedAmount" / 5), 'USD', '{"type":"percent","value":2000}'::jsonb, 'reversed'::"CommissionStatus", 'refund:' || s."platformOrderId",
        s."orderedAt" + interval '30 days', NULL, NULL, least(now(), s."createdAt" + interval '3 days')
      FROM "Sale" s WHERE s."workspaceId" = ${t.ws} AND s."partnerId" IS NOT NULL AND s."refundedAmount" > 0`,
  );
  return { workspaceId: ws.id, programId: program.id, couponId: coupon.id, connectionId: connection.id, partnerIds };
}
