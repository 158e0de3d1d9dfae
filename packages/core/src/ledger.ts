import { computeCommission, computeRefundReversal, holdUntil } from './commissions.ts';
import type { CommissionRule } from './commissions.ts';

// A pure reference ledger: the oracle the database-backed pipeline is tested against. It is
// deliberately written as "sort everything, then fold", so its answer cannot depend on the order
// in which events arrived or on how often they were delivered.

export interface LedgerOrderEvent {
  type: 'order';
  eventId: string;
  orderId: string;
  /** When the order was placed. */
  occurredAt: Date;
  /** The attribution result; null = unattributed. */
  partnerId: string | null;
  commissionable: boolean;
  /** Why attribution refused a commission (self-referral, restriction...), when it did. */
  notCommissionableReason?: string | null;
  netAmount: number;
  currency: string;
  /** Snapshot of the rule in force (the partner's override if there is one). */
  rule: CommissionRule;
  programCurrency: string;
  isFirstOrder: boolean;
  boundAt: Date | null;
  holdDays: number;
}

export interface LedgerRefundEvent {
  type: 'refund';
  eventId: string;
  orderId: string;
  /** The platform's refund id; the same refund delivered under two event ids counts once. */
  refundId: string;
  /** Minor units refunded by this refund alone (not cumulative). */
  amount: number;
  occurredAt: Date;
}

export interface LedgerCancelEvent {
  type: 'cancel';
  eventId: string;
  orderId: string;
  occurredAt: Date;
}

export type LedgerEvent = LedgerOrderEvent | LedgerRefundEvent | LedgerCancelEvent;

export interface LedgerAdjustment {
  eventId: string;
  kind: 'earning' | 'reversal';
  /** Signed minor units: positive for the earning, negative for reversals. */
  amount: number;
  occurredAt: Date;
}

export type LedgerSaleStatus = 'paid' | 'partially_refunded' | 'refunded' | 'cancelled';
export type LedgerCommissionStatus = 'earned' | 'partially_reversed' | 'reversed' | 'none';

export interface LedgerRow {
  orderId: string;
  partnerId: string | null;
  /** Commission currency; null when nothing was earned. */
  currency: string | null;
  saleStatus: LedgerSaleStatus;
  netAmount: number;
  refundedAmount: number;
  commissionStatus: LedgerCommissionStatus;
  earnedAmount: number;
  reversedAmount: number;
  /** earnedAmount - reversedAmount. */
  balance: number;
  holdUntil: Date | null;
  /** Why nothing was earned; null when a commission was earned. */
  reason: string | null;
  adjustments: LedgerAdjustment[];
}

export interface WaitingEvent {
  eventId: string;
  orderId: string;
  type: 'refund' | 'cancel';
}

export interface Ledger {
  /** One row per order, sorted by order id. */
  rows: LedgerRow[];
  /** Refunds and cancellations whose order has not arrived yet; they apply once it does. */
  waiting: WaitingEvent[];
}

/**
 * Folds order, refund and cancel events into final per-order commission rows. Duplicated events
 * (same event id, or the same refund id) count once; events in any order give the same ledger as
 * the clean sequence. Events sharing an event id are assumed to be the same event.
 */
export function computeLedger(events: readonly LedgerEvent[]): Ledger {
  const unique = new Map<string, LedgerEvent>();
  for (const event of events) {
    if (!unique.has(event.eventId)) unique.set(event.eventId, event);
  }
  const byOrder = new Map<string, { orders: LedgerOrderEvent[]; followUps: (LedgerRefundEvent | LedgerCancelEvent)[] }>();
  for (const event of unique.values()) {
    let group = byOrder.get(event.orderId);
    if (!group) {
      group = { orders: [], followUps: [] };
      byOrder.set(event.orderId, group);
    }
    if (event.type === 'order') group.orders.push(event);
    else group.followUps.push(event);
  }

  const rows: LedgerRow[] = [];
  const waiting: WaitingEvent[] = [];
  for (const orderId of [...byOrder.keys()].sort(compareStrings)) {
    const group = byOrder.get(orderId);
    if (!group) continue;
    const followUps = dedupeRefunds(group.followUps.sort(compareEvents));
    // Platforms send several order events per order (created, paid); the earliest defines the sale.
    const order = group.orders.sort(compareEvents)[0];
    if (!order) {
      waiting.push(...followUps.map((e) => ({ eventId: e.eventId, orderId: e.orderId, type: e.type })));
      continue;
    }
    rows.push(buildRow(order, followUps));
  }
  return { rows, waiting };
}

function dedupeRefunds(events: (LedgerRefundEvent | LedgerCancelEvent)[]): (LedgerRefundEvent | LedgerCancelEvent)[] {
  const seenRefunds = new Set<string>();
  return events.filter((event) => {
    if (event.type !== 'refund') return true;
    if (seenRefunds.has(event.refundId)) return false;
    seenRefunds.add(event.refundId);
    return true;
  });
}

function buildRow(order: LedgerOrderEvent, followUps: readonly (LedgerRefundEvent | LedgerCancelEvent)[]): LedgerRow {
  const adjustments: LedgerAdjustment[] = [];
  let earned = 0;
  let currency: string | null = null;
  let reason: string | null = null;
  if (order.partnerId === null) {
    reason = 'the sale is not attributed to a partner';
  } else if (!order.commissionable) {
    reason = order.notCommissionableReason ?? 'attribution marked the sale as not commissionable';
  } else {
    const result = computeCommission({
      rule: order.rule,
      order: { netAmount: order.netAmount, currency: order.currency, orderedAt: order.occurredAt },
      programCurrency: order.programCurrency,
      isFirstOrder: order.isFirstOrder,
      boundAt: order.boundAt,
    });
    if (result.amount === null) {
      reason = result.reason;
    } else {
      earned = result.amount;
      currency = result.currency;
      adjustments.push({ eventId: order.eventId, kind: 'earning', amount: earned, occurredAt: order.occurredAt });
    }
  }

  let refunded = 0;
  let reversed = 0;
  let cancelled = false;
  for (const event of followUps) {
    let reversal: number;
    if (event.type === 'cancel') {
      cancelled = true;
      reversal = earned - reversed;
    } else {
      const applied = Math.min(Math.max(0, event.amount), Math.max(0, order.netAmount - refunded));
      reversal = computeRefundReversal({
        commissionAmount: earned,
        saleNetAmount: order.netAmount,
        alreadyRefunded: refunded,
        refundAmount: applied,
        alreadyReversed: reversed,
      });
      refunded += applied;
    }
    if (reversal > 0) {
      reversed += reversal;
      adjustments.push({ eventId: event.eventId, kind: 'reversal', amount: -reversal, occurredAt: event.occurredAt });
    }
  }

  return {
    orderId: order.orderId,
    partnerId: order.partnerId,
    currency,
    saleStatus: cancelled ? 'cancelled' : refunded === 0 ? 'paid' : refunded >= order.netAmount ? 'refunded' : 'partially_refunded',
    netAmount: order.netAmount,
    refundedAmount: refunded,
    commissionStatus: earned === 0 ? 'none' : reversed === 0 ? 'earned' : reversed >= earned ? 'reversed' : 'partially_reversed',
    earnedAmount: earned,
    reversedAmount: reversed,
    balance: earned - reversed,
    holdUntil: earned > 0 ? holdUntil(order.occurredAt, order.holdDays) : null,
    reason,
    adjustments,
  };
}

function compareEvents(a: LedgerEvent, b: LedgerEvent): number {
  return a.occurredAt.getTime() - b.occurredAt.getTime() || compareStrings(a.eventId, b.eventId);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
