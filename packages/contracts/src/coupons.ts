import { z } from 'zod';
import { Currency, Id, IsoDateTime, MinorUnits, Platform } from './common.ts';
import { RestrictionName } from './restrictions.ts';

export const DiscountType = z.enum(['percent', 'fixed']);
export const CouponDuration = z.enum(['once', 'repeating', 'forever']);

/** Restrictions new codes of a coupon start with; every field optional. */
export const DefaultRestrictions = z.object({
  firstTimeOnly: z.boolean().optional(),
  minimumAmount: MinorUnits.nullable().optional(),
  expiresAt: IsoDateTime.nullable().optional(),
  maxRedemptions: z.number().int().positive().max(1_000_000_000).nullable().optional(),
});
export type DefaultRestrictions = z.infer<typeof DefaultRestrictions>;

const discountFields = {
  discountType: DiscountType,
  /** Basis points: 2000 = 20%, 1250 = 12.5%. */
  percentOffBps: z.number().int().min(1).max(10_000).nullable().optional(),
  /** Minor units of `currency`. */
  amountOff: MinorUnits.positive().nullable().optional(),
  currency: Currency.nullable().optional(),
  duration: CouponDuration.default('once'),
  durationInMonths: z.number().int().min(1).max(120).nullable().optional(),
};

function checkDiscount(c: { discountType?: string; percentOffBps?: number | null; amountOff?: number | null; currency?: string | null; duration?: string; durationInMonths?: number | null }, ctx: z.RefinementCtx) {
  if (c.discountType === 'percent') {
    if (c.percentOffBps == null) ctx.addIssue({ code: 'custom', path: ['percentOffBps'], message: 'is required for a percent discount' });
    if (c.amountOff != null) ctx.addIssue({ code: 'custom', path: ['amountOff'], message: 'must be empty for a percent discount' });
  }
  if (c.discountType === 'fixed') {
    if (c.amountOff == null) ctx.addIssue({ code: 'custom', path: ['amountOff'], message: 'is required for a fixed discount' });
    if (c.currency == null) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is required for a fixed discount' });
    if (c.percentOffBps != null) ctx.addIssue({ code: 'custom', path: ['percentOffBps'], message: 'must be empty for a fixed discount' });
  }
  if (c.duration === 'repeating' && c.durationInMonths == null) {
    ctx.addIssue({ code: 'custom', path: ['durationInMonths'], message: 'is required when duration is repeating' });
  }
  if (c.duration !== undefined && c.duration !== 'repeating' && c.durationInMonths != null) {
    ctx.addIssue({ code: 'custom', path: ['durationInMonths'], message: 'is only allowed when duration is repeating' });
  }
}

export const CreateCouponInput = z
  .object({
    name: z.string().trim().min(1).max(120),
    ...discountFields,
    defaultRestrictions: DefaultRestrictions.default({}),
    /** Connections of the program this coupon (and its codes) syncs to. */
    connectionIds: z.array(Id).max(20).default([]),
  })
  .superRefine(checkDiscount);
export type CreateCouponInput = z.infer<typeof CreateCouponInput>;

export const UpdateCouponInput = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    discountType: DiscountType.optional(),
    percentOffBps: discountFields.percentOffBps,
    amountOff: discountFields.amountOff,
    currency: discountFields.currency,
    duration: CouponDuration.optional(),
    durationInMonths: discountFields.durationInMonths,
    defaultRestrictions: DefaultRestrictions.optional(),
    connectionIds: z.array(Id).max(20).optional(),
  })
  .superRefine(checkDiscount);
export type UpdateCouponInput = z.infer<typeof UpdateCouponInput>;

export const RestrictionEnforcement = z.object({
  connectionId: z.string(),
  platform: Platform,
  /** Where each restriction is enforced for codes of this coupon on this connection. */
  restrictions: z.record(RestrictionName, z.enum(['platform', 'attribution'])),
});

export const Coupon = z
  .object({
    id: Id,
    programId: Id,
    name: z.string(),
    discountType: DiscountType,
    percentOffBps: z.number().int().nullable(),
    amountOff: z.number().int().nullable(),
    currency: z.string().nullable(),
    duration: CouponDuration,
    durationInMonths: z.number().int().nullable(),
    defaultRestrictions: DefaultRestrictions,
    connectionIds: z.array(z.string()),
    enforcement: z.array(RestrictionEnforcement),
    description: z.string(),
    status: z.enum(['active', 'archived']),
    codesCount: z.number().int(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Coupon' });
export type Coupon = z.infer<typeof Coupon>;
