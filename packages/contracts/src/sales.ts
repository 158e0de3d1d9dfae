import { z } from 'zod';
import { Id, IsoDateTime, PageQuery, Platform } from './common.ts';

// Sales (one per platform order), the commission ledger and program statistics. Money is integer
// minor units of the row's `currency`; times are ISO 8601 UTC.

export const AttributionSource = z.enum(['code', 'cookie', 'customer', 'none']);
export type AttributionSource = z.infer<typeof AttributionSource>;

export const SaleStatus = z.enum(['paid', 'partially_refunded', 'refunded', 'cancelled']);
export type SaleStatus = z.infer<typeof SaleStatus>;

export const CommissionStatus = z.enum(['pending', 'approved', 'paid', 'reversed', 'rejected']);
export type CommissionStatus = z.infer<typeof CommissionStatus>;

export const CommissionKind = z.enum(['earning', 'reversal']);
export type CommissionKind = z.infer<typeof CommissionKind>;

/** One piece of evidence attribution looked at, and what it made of it. */
export const AttributionSignal = z.object({
  kind: z.enum(['code', 'cookie', 'customer']),
  value: z.string(),
  partnerId: z.string().nullable(),
  accepted: z.boolean(),
  note: z.string(),
});
export type AttributionSignal = z.infer<typeof AttributionSignal>;

/** Every signal found on the order and why the winner won (or why nobody did). */
export const AttributionExplanation = z.object({
  signals: z.array(AttributionSignal),
  explanation: z.string(),
  flags: z.array(z.string()),
  commissionable: z.boolean(),
  /** Why no commission was earned; null when one was. */
  noCommissionReason: z.string().nullable(),
  reasons: z.array(z.string()),
  platformDiscountIds: z.array(z.string()),
  unresolvedDiscountIds: z.array(z.string()),
});
export type AttributionExplanation = z.infer<typeof AttributionExplanation>;

export const Commission = z
  .object({
    id: Id,
    programId: Id,
    saleId: Id,
    partnerId: Id,
    kind: CommissionKind,
    /** Signed: reversals are negative. */
    amount: z.number().int(),
    currency: z.string(),
    status: CommissionStatus,
    sourceKey: z.string(),
    holdUntil: IsoDateTime,
    approvedAt: IsoDateTime.nullable(),
    paidAt: IsoDateTime.nullable(),
    reason: z.string().nullable(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'Commission' });
export type Commission = z.infer<typeof Commission>;

export const Sale = z
  .object({
    id: Id,
    programId: Id,
    connectionId: Id,
    platformOrderId: z.string(),
    customerEmail: z.string().nullable(),
    currency: z.string(),
    grossAmount: z.number().int(),
    discountAmount: z.number().int(),
    netAmount: z.number().int(),
    totalAmount: z.number().int(),
    refundedAmount: z.number().int(),
    codesSeen: z.array(z.string()),
    referralVisitorId: z.string().nullable(),
    partnerId: z.string().nullable(),
    promotionCodeId: z.string().nullable(),
    source: AttributionSource,
    flags: z.array(z.string()),
    status: SaleStatus,
    /** Sum of the sale's ledger rows: earned minus reversed. */
    commissionBalance: z.number().int(),
    orderedAt: IsoDateTime,
    createdAt: IsoDateTime,
  })
  .meta({ id: 'Sale' });
export type Sale = z.infer<typeof Sale>;

export const SaleDetail = Sale.extend({
  platform: Platform,
  attribution: AttributionExplanation,
  commissions: z.array(Commission),
}).meta({ id: 'SaleDetail' });
export type SaleDetail = z.infer<typeof SaleDetail>;

const DateRange = {
  /** Inclusive lower bound. */
  from: IsoDateTime.optional(),
  /** Exclusive upper bound. */
  to: IsoDateTime.optional(),
};

export const SaleListQuery = PageQuery.extend({
  partnerId: Id.optional(),
  source: AttributionSource.optional(),
  status: SaleStatus.optional(),
  ...DateRange,
});
export type SaleListQuery = z.infer<typeof SaleListQuery>;

export const CommissionListQuery = PageQuery.extend({
  partnerId: Id.optional(),
  status: CommissionStatus.optional(),
  ...DateRange,
});
export type CommissionListQuery = z.infer<typeof CommissionListQuery>;

export const CommissionExportQuery = CommissionListQuery.omit({ cursor: true, limit: true });
export type CommissionExportQuery = z.infer<typeof CommissionExportQuery>;

export const CommissionBulkInput = z.object({
  ids: z.array(Id).min(1).max(500),
  /** Approve before the hold period is over. */
  force: z.boolean().optional(),
  reason: z.string().trim().min(1).max(500).optional(),
});
export type CommissionBulkInput = z.infer<typeof CommissionBulkInput>;

export const CommissionBulkResult = z.object({
  changed: z.array(Id),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
});
export type CommissionBulkResult = z.infer<typeof CommissionBulkResult>;

export const StatsQuery = z.object({
  ...DateRange,
  partnerId: Id.optional(),
  couponId: Id.optional(),
});
export type StatsQuery = z.infer<typeof StatsQuery>;

const CommissionsByStatus = z.object({ pending: z.number().int(), approved: z.number().int(), paid: z.number().int(), reversed: z.number().int(), rejected: z.number().int() });

/** Sales figures of one group in one currency. Revenue is the net after refunds, without cancelled sales. */
const Figures = z.object({
  currency: z.string(),
  orders: z.number().int(),
  revenue: z.number().int(),
  discount: z.number().int(),
  commissions: CommissionsByStatus,
});

export const ProgramStats = z
  .object({
    totals: z.array(Figures),
    partners: z.array(Figures.extend({ partnerId: z.string().nullable() })),
    codes: z.array(Figures.extend({ promotionCodeId: z.string(), code: z.string().nullable(), partnerId: z.string().nullable() })),
    redemptionsPerDay: z.array(z.object({ date: z.string(), promotionCodeId: z.string(), redemptions: z.number().int() })),
  })
  .meta({ id: 'ProgramStats' });
export type ProgramStats = z.infer<typeof ProgramStats>;
