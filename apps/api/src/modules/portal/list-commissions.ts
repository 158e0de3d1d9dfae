import type { PortalCommissionPage, PortalCommissionQuery } from '@codetrack/contracts';
import type { TenantDb } from '@codetrack/db';
import { afterCursor, decodeCursor, pageFrom } from '../../lib/cursor.ts';
import { toIso, toIsoOrNull } from '../../lib/schemas.ts';

/** The partner's commission ledger, newest first, with the order each row is for. */
export async function listPartnerCommissions(db: TenantDb, partnerId: string, query: PortalCommissionQuery): Promise<PortalCommissionPage> {
  const rows = await db.commission.findMany({
    where: { AND: [{ partnerId, ...(query.status ? { status: query.status } : {}) }, afterCursor(decodeCursor(query.cursor))] },
    include: { sale: { select: { platformOrderId: true, orderedAt: true, netAmount: true, currency: true, promotionCodeId: true } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const page = pageFrom(rows, query.limit);
  const codeIds = [...new Set(page.items.map((c) => c.sale.promotionCodeId).filter((id): id is string => id !== null))];
  const codes = codeIds.length ? await db.promotionCode.findMany({ where: { id: { in: codeIds } }, select: { id: true, code: true } }) : [];
  const codeById = new Map(codes.map((c) => [c.id, c.code]));
  return {
    items: page.items.map((c) => ({
      id: c.id,
      kind: c.kind,
      amount: c.amount,
      currency: c.currency,
      status: c.status,
      holdUntil: toIso(c.holdUntil),
      approvedAt: toIsoOrNull(c.approvedAt),
      paidAt: toIsoOrNull(c.paidAt),
      createdAt: toIso(c.createdAt),
      order: {
        platformOrderId: c.sale.platformOrderId,
        orderedAt: toIso(c.sale.orderedAt),
        netAmount: c.sale.netAmount,
        currency: c.sale.currency,
        code: c.sale.promotionCodeId ? (codeById.get(c.sale.promotionCodeId) ?? null) : null,
      },
    })),
    nextCursor: page.nextCursor,
  };
}
