import { z } from 'zod';
import { Email, Password } from './auth.ts';
import { Id, IsoDateTime, IsoDay, PageQuery } from './common.ts';

/** What the partner portal's sign-in page shows before anyone is signed in. */
export const PortalProgram = z
  .object({ id: Id, name: z.string(), logoUrl: z.string().nullable(), accentColor: z.string().nullable() })
  .meta({ id: 'PortalProgram' });
export type PortalProgram = z.infer<typeof PortalProgram>;

export const PortalLoginInput = z.object({
  programId: Id,
  email: Email,
  // Not Password: a sign-in must not reveal the password rules.
  password: z.string().min(1).max(200),
});
export type PortalLoginInput = z.infer<typeof PortalLoginInput>;

export const PortalPartner = z
  .object({
    id: Id,
    name: z.string(),
    email: z.string(),
    payoutEmail: z.string().nullable(),
    status: z.enum(['invited', 'active', 'suspended']),
  })
  .meta({ id: 'PortalPartner' });
export type PortalPartner = z.infer<typeof PortalPartner>;

export const PortalMe = z
  .object({
    partner: PortalPartner,
    program: PortalProgram.extend({ currency: z.string() }),
    /** Send back as `x-csrf-token` on unsafe requests. */
    csrfToken: z.string(),
  })
  .meta({ id: 'PortalMe' });
export type PortalMe = z.infer<typeof PortalMe>;

/** A one-time token from an emailed link. */
const EmailedToken = z.string().trim().min(16).max(200);

export const AcceptInvitationInput = z.object({ token: EmailedToken, password: Password });
export type AcceptInvitationInput = z.infer<typeof AcceptInvitationInput>;

export const PasswordResetRequestInput = z.object({ programId: Id, email: Email });
export type PasswordResetRequestInput = z.infer<typeof PasswordResetRequestInput>;

export const PasswordResetConfirmInput = z.object({ token: EmailedToken, password: Password });
export type PasswordResetConfirmInput = z.infer<typeof PasswordResetConfirmInput>;

export const UpdatePortalProfileInput = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  /** Where payouts go; null clears it. */
  payoutEmail: Email.nullable().optional(),
});
export type UpdatePortalProfileInput = z.infer<typeof UpdatePortalProfileInput>;

/** Active, or why a partner cannot share the code right now. */
export const PortalCodeStatus = z.enum(['active', 'disabled', 'expired', 'used_up']);
export type PortalCodeStatus = z.infer<typeof PortalCodeStatus>;

export const PortalCode = z
  .object({
    id: Id,
    code: z.string(),
    status: PortalCodeStatus,
    /** The discount in plain words: "20% off the first order, orders of $50 or more, until 31 Dec 2026, 100 uses left". */
    discount: z.string(),
    restrictions: z.object({
      firstTimeOnly: z.boolean(),
      minimumAmount: z.number().int().nullable(),
      minimumAmountCurrency: z.string().nullable(),
      expiresAt: IsoDateTime.nullable(),
      maxRedemptions: z.number().int().nullable(),
    }),
    /** null when the code has no usage limit. */
    usesLeft: z.number().int().nullable(),
    /** A sentence the partner can paste into a post or read out on a show. */
    shareLine: z.string(),
  })
  .meta({ id: 'PortalCode' });
export type PortalCode = z.infer<typeof PortalCode>;

export const PortalCodes = z
  .object({ items: z.array(PortalCode), referralKey: z.string(), referralUrl: z.string() })
  .meta({ id: 'PortalCodes' });
export type PortalCodes = z.infer<typeof PortalCodes>;

/** A UTC calendar day. */
export const PortalDay = IsoDay;

export const PortalStatsQuery = z.object({
  /** First day, inclusive (UTC). Defaults to 29 days before `to`. */
  from: PortalDay.optional(),
  /** Last day, inclusive (UTC). Defaults to today. */
  to: PortalDay.optional(),
});
export type PortalStatsQuery = z.infer<typeof PortalStatsQuery>;

const Count = z.number().int().nonnegative();
const Amount = z.number().int();

export const PortalStats = z
  .object({
    from: PortalDay,
    to: PortalDay,
    /** Every amount below is in this currency, in minor units. */
    currency: z.string(),
    totals: z.object({
      clicks: Count,
      orders: Count,
      /** Net order amounts (after discounts, before refunds) of orders in `currency`. */
      revenue: Amount,
      commissions: z.object({ pending: Amount, approved: Amount, paid: Amount }),
      /** Orders in another currency: counted in `orders`, not in the amounts. */
      otherCurrencyOrders: Count,
    }),
    perCode: z.array(z.object({ codeId: Id, code: z.string(), orders: Count, revenue: Amount, commission: Amount })),
    /** One row per day of the range, zeros included, oldest first. */
    perDay: z.array(z.object({ date: PortalDay, clicks: Count, orders: Count, revenue: Amount, commission: Amount })),
  })
  .meta({ id: 'PortalStats' });
export type PortalStats = z.infer<typeof PortalStats>;

export const PortalCommissionQuery = PageQuery.extend({
  status: z.enum(['pending', 'approved', 'paid', 'reversed', 'rejected']).optional(),
});
export type PortalCommissionQuery = z.infer<typeof PortalCommissionQuery>;

export const PortalCommission = z
  .object({
    id: Id,
    kind: z.enum(['earning', 'reversal']),
    /** Signed minor units: reversals are negative. */
    amount: Amount,
    currency: z.string(),
    status: z.enum(['pending', 'approved', 'paid', 'reversed', 'rejected']),
    /** When a pending commission can be approved at the earliest. */
    holdUntil: IsoDateTime,
    approvedAt: IsoDateTime.nullable(),
    paidAt: IsoDateTime.nullable(),
    createdAt: IsoDateTime,
    order: z.object({
      platformOrderId: z.string(),
      orderedAt: IsoDateTime,
      netAmount: Amount,
      currency: z.string(),
      code: z.string().nullable(),
    }),
  })
  .meta({ id: 'PortalCommission' });
export type PortalCommission = z.infer<typeof PortalCommission>;

export const PortalCommissionPage = z
  .object({ items: z.array(PortalCommission), nextCursor: z.string().nullable() })
  .meta({ id: 'PortalCommissionPage' });
export type PortalCommissionPage = z.infer<typeof PortalCommissionPage>;

export const DevMailMessage = z
  .object({ id: Id, to: z.string(), subject: z.string(), text: z.string(), html: z.string().nullable(), createdAt: IsoDateTime })
  .meta({ id: 'DevMailMessage' });
export type DevMailMessage = z.infer<typeof DevMailMessage>;

export const DevMailboxQuery = z.object({
  to: z.string().trim().toLowerCase().max(254).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const DevMailbox = z.object({ items: z.array(DevMailMessage) }).meta({ id: 'DevMailbox' });
export type DevMailbox = z.infer<typeof DevMailbox>;
