import type { CancelEvent, RefundEvent } from '@codetrack/contracts';
import { computeRefundReversal } from '@codetrack/core';
import type { Db, SaleStatus } from '@codetrack/db';
import { computeNetRefundAmount } from '@codetrack/integrations';
import { TRANSACTION_OPTIONS, lockOrder, type ConnectionContext, type Tx } from './apply-order.ts';

/** `waiting`: the order has not arrived; the event is parked and re-run when it does. */
export type FollowUpResult = 'applied' | 'duplicate' | 'waiting';

type SaleRow = { id: string; netAmount: number; totalAmount: number; refundedAmount: number; status: SaleStatus; appliedRefundIds: string[] | null };

async function lockSale(tx: Tx, connectionId: string, platformOrderId: string): Promise<SaleRow | null> {
  await lockOrder(tx, connectionId, platformOrderId);
  const rows = await tx.$queryRaw<SaleRow[]>`
    SELECT "id", "netAmount", "totalAmount", "refundedAmount", "status"::text AS "status", "appliedRefundIds"
    FROM "Sale" WHERE "connectionId" = ${connectionId} AND "platformOrderId" = ${platformOrderId}
    FOR UPDATE`;
  return rows[0] ?? null;
}

/**
 * Parks the event until its order arrives. Written under the order's lock, so the order's
 * processing (which takes the same lock, then looks for parked events after commit) cannot miss it.
 */
async function parkEvent(tx: Tx, webhookEventId: string, platformOrderId: string) {
  await tx.webhookEvent.updateMany({
    where: { id: webhookEventId, status: { in: ['received', 'waiting'] } },
    data: { status: 'waiting', waitingForOrderId: platformOrderId, error: `waiting for order ${platformOrderId} to arrive` },
  });
}

/**
 * Applies one refund to its sale: the refunded amount (its share of the net, once per platform
 * refund id) and a negative commission row in proportion, computed on running totals so that any
 * order of partial refunds ends at the same ledger. A full refund reverses everything left.
 */
export async function applyRefund(db: Db, context: ConnectionContext, refund: RefundEvent, webhookEventId: string): Promise<FollowUpResult> {
  return db.$transaction(async (tx) => {
    const sale = await lockSale(tx, context.connectionId, refund.platformOrderId);
    if (!sale) {
      await parkEvent(tx, webhookEventId, refund.platformOrderId);
      return 'waiting';
    }
    const appliedIds = sale.appliedRefundIds ?? [];
    if (appliedIds.includes(refund.platformRefundId)) return 'duplicate';

    const open = Math.max(0, sale.netAmount - sale.refundedAmount);
    const share = computeNetRefundAmount({ refund, order: { netAmount: sale.netAmount, totalAmount: sale.totalAmount } });
    const applied = refund.full ? open : Math.min(share, open);
    const refundedAmount = sale.refundedAmount + applied;
    let status: SaleStatus = sale.status;
    if (status !== 'cancelled' && refundedAmount > 0) status = refundedAmount >= sale.netAmount ? 'refunded' : 'partially_refunded';
    await tx.sale.update({ where: { id: sale.id }, data: { refundedAmount, status, appliedRefundIds: [...appliedIds, refund.platformRefundId] } });

    await reverseCommission(tx, sale.id, {
      sourceKey: `refund:${refund.platformRefundId}`,
      reason: `refund ${refund.platformRefundId} of ${applied} (net) on order ${refund.platformOrderId}`,
      amountToReverse: (earned, reversed) =>
        computeRefundReversal({ commissionAmount: earned, saleNetAmount: sale.netAmount, alreadyRefunded: sale.refundedAmount, refundAmount: applied, alreadyReversed: reversed }),
    });
    return 'applied';
  }, TRANSACTION_OPTIONS);
}

/** Cancels the sale and reverses whatever commission is left on it. */
export async function applyCancel(db: Db, context: ConnectionContext, cancel: CancelEvent, webhookEventId: string): Promise<FollowUpResult> {
  return db.$transaction(async (tx) => {
    const sale = await lockSale(tx, context.connectionId, cancel.platformOrderId);
    if (!sale) {
      await parkEvent(tx, webhookEventId, cancel.platformOrderId);
      return 'waiting';
    }
    if (sale.status === 'cancelled') return 'duplicate';
    await tx.sale.update({ where: { id: sale.id }, data: { status: 'cancelled' } });
    await reverseCommission(tx, sale.id, {
      sourceKey: `cancel:${cancel.platformOrderId}`,
      reason: `order ${cancel.platformOrderId} was cancelled`,
      amountToReverse: (earned, reversed) => earned - reversed,
    });
    return 'applied';
  }, TRANSACTION_OPTIONS);
}

/**
 * Appends a reversal row (negative amount) to the sale's earning; never edits an amount. When the
 * earning is reversed in full before it was paid, its status becomes `reversed` so it is never
 * approved or paid.
 */
async function reverseCommission(
  tx: Tx,
  saleId: string,
  input: { sourceKey: string; reason: string; amountToReverse: (earned: number, alreadyReversed: number) => number },
) {
  const rows = await tx.commission.findMany({ where: { saleId } });
  const earning = rows.find((r) => r.kind === 'earning');
  if (!earning) return;
  const alreadyReversed = -rows.filter((r) => r.kind === 'reversal').reduce((sum, r) => sum + r.amount, 0);
  const amount = Math.min(input.amountToReverse(earning.amount, alreadyReversed), earning.amount - alreadyReversed);
  if (amount > 0) {
    await tx.commission.createMany({
      data: [
        {
          workspaceId: earning.workspaceId,
          programId: earning.programId,
          saleId,
          partnerId: earning.partnerId,
          kind: 'reversal',
          amount: -amount,
          currency: earning.currency,
          ruleSnapshot: earning.ruleSnapshot ?? {},
          status: 'reversed',
          sourceKey: input.sourceKey,
          holdUntil: earning.holdUntil,
          reason: input.reason,
        },
      ],
      skipDuplicates: true,
    });
  }
  if (alreadyReversed + Math.max(0, amount) >= earning.amount && (earning.status === 'pending' || earning.status === 'approved')) {
    await tx.commission.update({ where: { id: earning.id }, data: { status: 'reversed', reason: input.reason } });
  }
}
