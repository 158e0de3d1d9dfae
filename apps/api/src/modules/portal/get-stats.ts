import type { PortalStats, PortalStatsQuery } from '@codetrack/contracts';
import type { TenantDb } from '@codetrack/db';
import { badRequest } from '../../lib/errors.ts';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

export type DayRange = { from: string; to: string; start: Date; endExclusive: Date; days: string[] };

const toDay = (d: Date) => d.toISOString().slice(0, 10);

/** The inclusive UTC day range of a stats request: defaults to the last 30 days, at most 366 days. */
export function resolveDayRange(query: PortalStatsQuery, now = new Date()): DayRange {
  const to = query.to ?? toDay(now);
  const from = query.from ?? toDay(new Date(Date.parse(to) - (DEFAULT_DAYS - 1) * DAY_MS));
  const start = new Date(`${from}T00:00:00.000Z`);
  const endExclusive = new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS);
  const count = Math.round((endExclusive.getTime() - start.getTime()) / DAY_MS);
  if (count < 1) throw badRequest('invalid_range', 'The start date must be on or before the end date', [{ path: 'querystring.from', message: 'must be on or before `to`' }]);
  if (count > MAX_DAYS) throw badRequest('invalid_range', `Choose a range of at most ${MAX_DAYS} days`, [{ path: 'querystring.from', message: `must be at most ${MAX_DAYS} days before \`to\`` }]);
  const days = Array.from({ length: count }, (_, i) => toDay(new Date(start.getTime() + i * DAY_MS)));
  return { from, to, start, endExclusive, days };
}

// Sums come back from Postgres as bigint; partner totals are far below 2^53 minor units.
type DayRow = { day: string; clicks?: bigint; orders?: bigint; revenue?: bigint; other?: bigint; commission?: bigint };
type StatusRow = { status: string; amount: bigint };
type CodeRow = { codeId: string; orders: bigint; revenue: bigint; commission: bigint };

/**
 * Clicks, orders, revenue and commissions of one partner in a day range, aggregated in SQL.
 * Orders and their commissions are counted on the day the order was placed, clicks on the day of
 * the click. Every query names the workspace and the partner itself: raw SQL bypasses the tenant
 * accessor's filters.
 */
export async function getPartnerStats(db: TenantDb, scope: { workspaceId: string; partnerId: string }, query: PortalStatsQuery): Promise<PortalStats> {
  const range = resolveDayRange(query);
  const { workspaceId, partnerId } = scope;
  const { start, endExclusive } = range;
  const partner = await db.partner.findUniqueOrThrow({ where: { id: partnerId }, include: { program: { select: { currency: true } } } });
  const currency = partner.program.currency;
  const earning = ['pending', 'approved', 'paid'];

  const [clickDays, saleDays, commissionDays, statusTotals, codeTotals, currentCodes] = await Promise.all([
    db.$queryRaw<DayRow[]>`
      SELECT to_char(("createdAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*) AS clicks
      FROM "ReferralClick"
      WHERE "workspaceId" = ${workspaceId} AND "partnerId" = ${partnerId} AND "createdAt" >= ${start} AND "createdAt" < ${endExclusive}
      GROUP BY 1`,
    db.$queryRaw<DayRow[]>`
      SELECT to_char(("orderedAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*) AS orders,
        coalesce(sum("netAmount") FILTER (WHERE "currency" = ${currency}), 0)::bigint AS revenue,
        count(*) FILTER (WHERE "currency" <> ${currency}) AS other
      FROM "Sale"
      WHERE "workspaceId" = ${workspaceId} AND "partnerId" = ${partnerId} AND "orderedAt" >= ${start} AND "orderedAt" < ${endExclusive}
      GROUP BY 1`,
    db.$queryRaw<DayRow[]>`
      SELECT to_char((s."orderedAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, coalesce(sum(c."amount"), 0)::bigint AS commission
      FROM "Commission" c JOIN "Sale" s ON s."id" = c."saleId"
      WHERE c."workspaceId" = ${workspaceId} AND c."partnerId" = ${partnerId} AND c."currency" = ${currency}
        AND c."status"::text = ANY(${earning}) AND s."orderedAt" >= ${start} AND s."orderedAt" < ${endExclusive}
      GROUP BY 1`,
    db.$queryRaw<StatusRow[]>`
      SELECT c."status"::text AS status, coalesce(sum(c."amount"), 0)::bigint AS amount
      FROM "Commission" c JOIN "Sale" s ON s."id" = c."saleId"
      WHERE c."workspaceId" = ${workspaceId} AND c."partnerId" = ${partnerId} AND c."currency" = ${currency}
        AND s."orderedAt" >= ${start} AND s."orderedAt" < ${endExclusive}
      GROUP BY 1`,
    db.$queryRaw<CodeRow[]>`
      WITH earned AS (
        SELECT c."saleId", sum(c."amount") AS amount FROM "Commission" c
        WHERE c."workspaceId" = ${workspaceId} AND c."partnerId" = ${partnerId} AND c."currency" = ${currency} AND c."status"::text = ANY(${earning})
        GROUP BY 1
      )
      SELECT s."promotionCodeId" AS "codeId", count(*) AS orders,
        coalesce(sum(s."netAmount") FILTER (WHERE s."currency" = ${currency}), 0)::bigint AS revenue,
        coalesce(sum(e."amount"), 0)::bigint AS commission
      FROM "Sale" s LEFT JOIN earned e ON e."saleId" = s."id"
      WHERE s."workspaceId" = ${workspaceId} AND s."partnerId" = ${partnerId} AND s."promotionCodeId" IS NOT NULL
        AND s."orderedAt" >= ${start} AND s."orderedAt" < ${endExclusive}
      GROUP BY 1`,
    db.promotionCode.findMany({ where: { partnerId, deletedAt: null }, select: { id: true, code: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  ]);

  const byDay = new Map(range.days.map((date) => [date, { date, clicks: 0, orders: 0, revenue: 0, commission: 0 }]));
  let otherCurrencyOrders = 0;
  for (const row of clickDays) byDay.get(row.day)!.clicks = Number(row.clicks);
  for (const row of saleDays) {
    const day = byDay.get(row.day)!;
    day.orders = Number(row.orders);
    day.revenue = Number(row.revenue);
    otherCurrencyOrders += Number(row.other);
  }
  for (const row of commissionDays) byDay.get(row.day)!.commission = Number(row.commission);
  const perDay = [...byDay.values()];

  const status = Object.fromEntries(statusTotals.map((r) => [r.status, Number(r.amount)]));
  const soldCodeIds = codeTotals.map((r) => r.codeId).filter((id) => !currentCodes.some((c) => c.id === id));
  const soldCodes = soldCodeIds.length ? await db.promotionCode.findMany({ where: { id: { in: soldCodeIds } }, select: { id: true, code: true } }) : [];
  const totalsByCode = new Map(codeTotals.map((r) => [r.codeId, r]));
  const perCode = [...currentCodes, ...soldCodes].map((c) => {
    const row = totalsByCode.get(c.id);
    return { codeId: c.id, code: c.code, orders: Number(row?.orders ?? 0), revenue: Number(row?.revenue ?? 0), commission: Number(row?.commission ?? 0) };
  });

  return {
    from: range.from,
    to: range.to,
    currency,
    totals: {
      clicks: perDay.reduce((n, d) => n + d.clicks, 0),
      orders: perDay.reduce((n, d) => n + d.orders, 0),
      revenue: perDay.reduce((n, d) => n + d.revenue, 0),
      commissions: { pending: status.pending ?? 0, approved: status.approved ?? 0, paid: status.paid ?? 0 },
      otherCurrencyOrders,
    },
    perCode,
    perDay,
  };
}
