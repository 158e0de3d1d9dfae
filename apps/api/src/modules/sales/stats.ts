import type { ProgramStats, StatsQuery } from '@codetrack/contracts';
import { Prisma, type TenantDb } from '@codetrack/db';
import { findProgramOrThrow } from '../programs/service.ts';

type SalesRow = { level: number; partnerId: string | null; promotionCodeId: string | null; currency: string; orders: bigint; revenue: bigint; discount: bigint };
type CommissionRow = { level: number; partnerId: string | null; promotionCodeId: string | null; currency: string; status: string; amount: bigint };

const emptyCommissions = () => ({ pending: 0, approved: 0, paid: 0, reversed: 0, rejected: 0 });
type Figures = ProgramStats['totals'][number];

// GROUPING() numbers the grouping sets below: 3 = program totals, 1 = per partner, 2 = per code.
const LEVEL_TOTAL = 3;
const LEVEL_PARTNER = 1;
const LEVEL_CODE = 2;

/**
 * Orders, revenue (net of refunds, cancelled sales excluded), discount given and commissions by
 * status, for the program, per partner and per code, plus redemptions per day. Every figure is a
 * SQL aggregate (GROUPING SETS: one scan per table for all three levels), never a loop over rows.
 * The date range applies to when the order was placed, for commissions too.
 */
export async function computeProgramStats(db: TenantDb, workspaceId: string, programId: string, query: StatsQuery): Promise<ProgramStats> {
  await findProgramOrThrow(db, programId);
  const filters = [Prisma.sql`s."workspaceId" = ${workspaceId}`, Prisma.sql`s."programId" = ${programId}`];
  if (query.from) filters.push(Prisma.sql`s."orderedAt" >= ${new Date(query.from)}::timestamptz`);
  if (query.to) filters.push(Prisma.sql`s."orderedAt" < ${new Date(query.to)}::timestamptz`);
  if (query.partnerId) filters.push(Prisma.sql`s."partnerId" = ${query.partnerId}`);
  if (query.couponId) filters.push(Prisma.sql`s."promotionCodeId" IN (SELECT "id" FROM "PromotionCode" WHERE "workspaceId" = ${workspaceId} AND "couponId" = ${query.couponId})`);
  const where = Prisma.join(filters, ' AND ');

  const [sales, commissions, perDay] = await Promise.all([
    db.$queryRaw<SalesRow[]>`
      SELECT GROUPING(s."partnerId", s."promotionCodeId") AS level, s."partnerId", s."promotionCodeId", s."currency",
        count(*) FILTER (WHERE s."status" <> 'cancelled') AS orders,
        coalesce(sum(s."netAmount" - s."refundedAmount") FILTER (WHERE s."status" <> 'cancelled'), 0) AS revenue,
        coalesce(sum(s."discountAmount") FILTER (WHERE s."status" <> 'cancelled'), 0) AS discount
      FROM "Sale" s WHERE ${where}
      GROUP BY GROUPING SETS ((s."currency"), (s."partnerId", s."currency"), (s."promotionCodeId", s."currency"))`,
    db.$queryRaw<CommissionRow[]>`
      SELECT GROUPING(s."partnerId", s."promotionCodeId") AS level, s."partnerId", s."promotionCodeId", c."currency", c."status"::text AS status,
        sum(c."amount") AS amount
      FROM "Commission" c JOIN "Sale" s ON s."id" = c."saleId"
      WHERE ${where} AND c."workspaceId" = ${workspaceId}
      GROUP BY GROUPING SETS ((c."currency", c."status"), (s."partnerId", c."currency", c."status"), (s."promotionCodeId", c."currency", c."status"))`,
    db.$queryRaw<{ date: string; promotionCodeId: string; redemptions: bigint }[]>`
      SELECT to_char(date_trunc('day', s."orderedAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS date, s."promotionCodeId", count(*) AS redemptions
      FROM "Sale" s WHERE ${where} AND s."promotionCodeId" IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2`,
  ]);

  const groups = new Map<string, Figures & { level: number; partnerId: string | null; promotionCodeId: string | null }>();
  const keyOf = (level: number, partnerId: string | null, promotionCodeId: string | null, currency: string) => `${level}|${partnerId}|${promotionCodeId}|${currency}`;
  const groupFor = (level: number, partnerId: string | null, promotionCodeId: string | null, currency: string) => {
    const key = keyOf(level, partnerId, promotionCodeId, currency);
    let group = groups.get(key);
    if (!group) {
      group = { level, partnerId, promotionCodeId, currency, orders: 0, revenue: 0, discount: 0, commissions: emptyCommissions() };
      groups.set(key, group);
    }
    return group;
  };
  for (const row of sales) {
    const group = groupFor(Number(row.level), row.partnerId, row.promotionCodeId, row.currency);
    group.orders = Number(row.orders);
    group.revenue = Number(row.revenue);
    group.discount = Number(row.discount);
  }
  for (const row of commissions) {
    const group = groupFor(Number(row.level), row.partnerId, row.promotionCodeId, row.currency);
    group.commissions[row.status as keyof Figures['commissions']] = Number(row.amount);
  }

  const all = [...groups.values()];
  const strip = ({ level: _level, partnerId: _p, promotionCodeId: _c, ...figures }: (typeof all)[number]) => figures;
  const codeIds = [...new Set(all.filter((g) => g.level === LEVEL_CODE && g.promotionCodeId).map((g) => g.promotionCodeId as string))];
  const codes = codeIds.length === 0 ? [] : await db.promotionCode.findMany({ where: { id: { in: codeIds } }, select: { id: true, code: true, partnerId: true } });
  const codeById = new Map(codes.map((c) => [c.id, c]));

  return {
    totals: all.filter((g) => g.level === LEVEL_TOTAL).map(strip),
    partners: all.filter((g) => g.level === LEVEL_PARTNER).map((g) => ({ ...strip(g), partnerId: g.partnerId })),
    codes: all
      .filter((g) => g.level === LEVEL_CODE && g.promotionCodeId !== null)
      .map((g) => ({ ...strip(g), promotionCodeId: g.promotionCodeId as string, code: codeById.get(g.promotionCodeId as string)?.code ?? null, partnerId: codeById.get(g.promotionCodeId as string)?.partnerId ?? null })),
    redemptionsPerDay: perDay.map((r) => ({ date: r.date, promotionCodeId: r.promotionCodeId, redemptions: Number(r.redemptions) })),
  };
}
