import type { CommissionBulkInput, CommissionBulkResult, CommissionExportQuery, CommissionListQuery } from '@codetrack/contracts';
import type { Commission, CommissionStatus, Prisma, TenantDb } from '@codetrack/db';
import { afterCursor, decodeCursor, pageFrom } from '../../lib/cursor.ts';
import type { Principal } from '../../plugins/auth.ts';
import { findProgramOrThrow } from '../programs/service.ts';
import { dateRange, toCommissionDto } from './service.ts';

function commissionFilter(programId: string, query: CommissionExportQuery): Prisma.CommissionWhereInput {
  const createdAt = dateRange(query);
  return {
    programId,
    ...(query.partnerId ? { partnerId: query.partnerId } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(createdAt ? { createdAt } : {}),
  };
}

export async function listCommissions(db: TenantDb, programId: string, query: CommissionListQuery) {
  await findProgramOrThrow(db, programId);
  const rows = await db.commission.findMany({
    where: { ...commissionFilter(programId, query), ...afterCursor(decodeCursor(query.cursor)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const page = pageFrom(rows, query.limit);
  return { items: page.items.map(toCommissionDto), nextCursor: page.nextCursor };
}

export type CommissionAction = 'approve' | 'reject' | 'mark_paid';

const transitions: Record<CommissionAction, { from: CommissionStatus; to: CommissionStatus; audit: string }> = {
  approve: { from: 'pending', to: 'approved', audit: 'commission.approved' },
  reject: { from: 'pending', to: 'rejected', audit: 'commission.rejected' },
  mark_paid: { from: 'approved', to: 'paid', audit: 'commission.paid' },
};

/**
 * Moves earnings in bulk (approve or reject pending ones, mark approved ones paid). Each id is
 * either changed or skipped with the reason; the update is conditional on the status read, so two
 * merchants acting at once never move a row twice. One audit row per changed commission.
 */
export async function changeCommissions(db: TenantDb, actor: Principal, action: CommissionAction, input: CommissionBulkInput, now = new Date()): Promise<CommissionBulkResult> {
  const transition = transitions[action];
  const ids = [...new Set(input.ids)];
  const rows = await db.commission.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const skipped: CommissionBulkResult['skipped'] = [];
  const eligible: string[] = [];
  for (const id of ids) {
    const reason = whySkip(byId.get(id), action, transition.from, input.force === true, now);
    if (reason) skipped.push({ id, reason });
    else eligible.push(id);
  }
  if (eligible.length === 0) return { changed: [], skipped };

  const data: Prisma.CommissionUpdateManyMutationInput = { status: transition.to };
  if (action === 'approve') data.approvedAt = now;
  if (action === 'mark_paid') data.paidAt = now;
  if (action === 'reject') data.reason = input.reason ?? 'rejected by the merchant';
  const changed = await db.$transaction(async (tx) => {
    const updated = await tx.commission.updateManyAndReturn({ where: { id: { in: eligible }, status: transition.from }, data, select: { id: true } });
    if (updated.length > 0) {
      await tx.auditLog.createMany({
        data: updated.map((row) => ({
          workspaceId: actor.workspaceId,
          ...actorColumns(actor),
          action: transition.audit,
          entityType: 'commission',
          entityId: row.id,
          data: { force: input.force === true, ...(input.reason ? { reason: input.reason } : {}) },
        })),
      });
    }
    return updated.map((r) => r.id);
  });
  const changedSet = new Set(changed);
  for (const id of eligible) if (!changedSet.has(id)) skipped.push({ id, reason: `changed by someone else meanwhile; it is no longer ${transition.from}` });
  return { changed, skipped };
}

function actorColumns(actor: Principal) {
  if (actor.kind === 'user') return { actorType: 'user' as const, actorId: actor.userId };
  if (actor.kind === 'api_key') return { actorType: 'api_key' as const, actorId: actor.apiKeyId };
  return { actorType: 'partner' as const, actorId: actor.partnerId };
}

function whySkip(row: Commission | undefined, action: CommissionAction, from: CommissionStatus, force: boolean, now: Date): string | null {
  if (!row) return 'not_found';
  if (row.kind !== 'earning') return 'a reversal row follows its earning and cannot be changed on its own';
  if (row.status !== from) return `the commission is ${row.status}, not ${from}`;
  if (action === 'approve' && !force && row.holdUntil.getTime() > now.getTime()) {
    return `the hold period runs until ${row.holdUntil.toISOString()}; send force: true to approve it early`;
  }
  return null;
}

const csvColumns = ['id', 'createdAt', 'partnerId', 'saleId', 'platformOrderId', 'kind', 'amountMinor', 'currency', 'status', 'holdUntil', 'approvedAt', 'paidAt', 'reason'] as const;

/** A spreadsheet cell: quoted when needed, and never a formula (cells starting =, +, -, @ get a quote). */
function toCsvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The program's commission ledger as CSV (minor units), read in keyset pages so memory stays flat. */
export async function exportCommissionsCsv(db: TenantDb, programId: string, query: CommissionExportQuery): Promise<string> {
  await findProgramOrThrow(db, programId);
  const lines = [csvColumns.join(',')];
  let cursor: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const rows: (Commission & { sale: { platformOrderId: string } })[] = await db.commission.findMany({
      where: { ...commissionFilter(programId, query), ...afterCursor(cursor) },
      include: { sale: { select: { platformOrderId: true } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 1000,
    });
    for (const c of rows) {
      const cells = [c.id, c.createdAt.toISOString(), c.partnerId, c.saleId, c.sale.platformOrderId, c.kind, c.amount, c.currency, c.status, c.holdUntil.toISOString(), c.approvedAt?.toISOString() ?? null, c.paidAt?.toISOString() ?? null, c.reason];
      lines.push(cells.map(toCsvCell).join(','));
    }
    const last = rows.at(-1);
    if (rows.length < 1000 || !last) break;
    cursor = { createdAt: last.createdAt, id: last.id };
  }
  return `${lines.join('\n')}\n`;
}
