import type { AttributionExplanation, Commission as CommissionDto, Sale as SaleDto, SaleDetail, SaleListQuery } from '@codetrack/contracts';
import type { Commission, Prisma, Sale, TenantDb } from '@codetrack/db';
import { readCursor } from '../../lib/cursor.ts';
import { notFound } from '../../lib/errors.ts';
import { toIso, toIsoOrNull } from '../../lib/schemas.ts';
import { findProgramOrThrow } from '../programs/service.ts';

/** Keyset cursor over (orderedAt desc, id desc): sales are listed by when the order was placed. */
function encodeSaleCursor(sale: { orderedAt: Date; id: string }) {
  return Buffer.from(`${sale.orderedAt.toISOString()}|${sale.id}`).toString('base64url');
}

function decodeSaleCursor(cursor: string | undefined): { orderedAt: Date; id: string } | null {
  if (!cursor) return null;
  const { at, id } = readCursor(cursor);
  return { orderedAt: at, id };
}

export function dateRange(query: { from?: string | undefined; to?: string | undefined }) {
  if (!query.from && !query.to) return undefined;
  return { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) };
}

export function toCommissionDto(c: Commission): CommissionDto {
  return {
    id: c.id,
    programId: c.programId,
    saleId: c.saleId,
    partnerId: c.partnerId,
    kind: c.kind,
    amount: c.amount,
    currency: c.currency,
    status: c.status,
    sourceKey: c.sourceKey,
    holdUntil: toIso(c.holdUntil),
    approvedAt: toIsoOrNull(c.approvedAt),
    paidAt: toIsoOrNull(c.paidAt),
    reason: c.reason,
    createdAt: toIso(c.createdAt),
  };
}

function toSaleDto(s: Sale, commissions: Pick<Commission, 'amount'>[]): SaleDto {
  return {
    id: s.id,
    programId: s.programId,
    connectionId: s.connectionId,
    platformOrderId: s.platformOrderId,
    customerEmail: s.customerEmail,
    currency: s.currency,
    grossAmount: s.grossAmount,
    discountAmount: s.discountAmount,
    netAmount: s.netAmount,
    totalAmount: s.totalAmount,
    refundedAmount: s.refundedAmount,
    codesSeen: s.codesSeen,
    referralVisitorId: s.referralVisitorId,
    partnerId: s.partnerId,
    promotionCodeId: s.promotionCodeId,
    source: s.attributionSource,
    flags: s.flags,
    status: s.status,
    commissionBalance: commissions.reduce((sum, c) => sum + c.amount, 0),
    orderedAt: toIso(s.orderedAt),
    createdAt: toIso(s.createdAt),
  };
}

/** What the worker stored on Sale.attribution, with defaults for sales recorded before a field existed. */
function readAttribution(value: Prisma.JsonValue): AttributionExplanation {
  const a = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Partial<AttributionExplanation>;
  return {
    signals: a.signals ?? [],
    explanation: a.explanation ?? '',
    flags: a.flags ?? [],
    commissionable: a.commissionable ?? false,
    noCommissionReason: a.noCommissionReason ?? null,
    reasons: a.reasons ?? [],
    platformDiscountIds: a.platformDiscountIds ?? [],
    unresolvedDiscountIds: a.unresolvedDiscountIds ?? [],
  };
}

export async function listSales(db: TenantDb, programId: string, query: SaleListQuery) {
  await findProgramOrThrow(db, programId);
  const cursor = decodeSaleCursor(query.cursor);
  const orderedAt = dateRange(query);
  const rows = await db.sale.findMany({
    where: {
      programId,
      ...(query.partnerId ? { partnerId: query.partnerId } : {}),
      ...(query.source ? { attributionSource: query.source } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(orderedAt ? { orderedAt } : {}),
      // The lte bound lets the index scan start at the cursor (see afterCursor in lib/cursor.ts).
      ...(cursor ? { AND: [{ orderedAt: { lte: cursor.orderedAt } }, { OR: [{ orderedAt: { lt: cursor.orderedAt } }, { orderedAt: cursor.orderedAt, id: { lt: cursor.id } }] }] } : {}),
    },
    include: { commissions: { select: { amount: true } } },
    orderBy: [{ orderedAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return { items: items.map((s) => toSaleDto(s, s.commissions)), nextCursor: rows.length > query.limit && last ? encodeSaleCursor(last) : null };
}

/** One sale with its ledger rows and the attribution explanation; 404 outside the caller's workspace. */
export async function findSaleOrThrow(db: TenantDb, saleId: string): Promise<SaleDetail> {
  const sale = await db.sale.findUnique({ where: { id: saleId }, include: { commissions: { orderBy: { createdAt: 'asc' } } } });
  if (!sale) throw notFound('Sale');
  const connection = await db.connection.findUnique({ where: { id: sale.connectionId }, select: { platform: true } });
  if (!connection) throw notFound('Sale');
  return { ...toSaleDto(sale, sale.commissions), platform: connection.platform, attribution: readAttribution(sale.attribution), commissions: sale.commissions.map(toCommissionDto) };
}
