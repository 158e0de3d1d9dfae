import { z } from 'zod';
import { Currency, Id, IsoDateTime } from './common.ts';

export const CommissionType = z.enum(['percent', 'fixed']);
export const CommissionDuration = z.enum(['first_order', 'months', 'lifetime']);

/** Percent in basis points (2000 = 20%); fixed in minor units of the program currency. */
export const CommissionRule = z
  .object({
    type: CommissionType,
    value: z.number().int().positive(),
    duration: CommissionDuration.default('first_order'),
    durationMonths: z.number().int().min(1).max(120).nullable().default(null),
  })
  .superRefine((rule, ctx) => {
    if (rule.type === 'percent' && rule.value > 10_000) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be at most 10000 basis points (100%)' });
    }
    if (rule.duration === 'months' && rule.durationMonths == null) {
      ctx.addIssue({ code: 'custom', path: ['durationMonths'], message: 'is required when duration is months' });
    }
    if (rule.duration !== 'months' && rule.durationMonths != null) {
      ctx.addIssue({ code: 'custom', path: ['durationMonths'], message: 'is only allowed when duration is months' });
    }
  })
  .meta({ id: 'CommissionRule' });
export type CommissionRule = z.infer<typeof CommissionRule>;

export const HttpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000);

export const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #4f46e5');

export const AutoCodeSettings = z
  .object({
    enabled: z.boolean().default(false),
    couponId: Id.nullable().default(null),
    pattern: z.string().trim().min(1).max(64).nullable().default(null),
  })
  .superRefine((s, ctx) => {
    if (s.enabled && (!s.couponId || !s.pattern)) {
      ctx.addIssue({ code: 'custom', path: ['enabled'], message: 'needs a coupon and a pattern' });
    }
  });

export const PortalBranding = z.object({
  logoUrl: HttpUrl.nullable().default(null),
  accentColor: HexColor.nullable().default(null),
});

export const CreateProgramInput = z.object({
  name: z.string().trim().min(1).max(120),
  currency: Currency,
  landingUrl: HttpUrl,
  cookieLifetimeDays: z.number().int().min(1).max(365).default(30),
  commission: CommissionRule,
  holdPeriodDays: z.number().int().min(0).max(365).default(30),
  autoCode: AutoCodeSettings.default({ enabled: false, couponId: null, pattern: null }),
  portal: PortalBranding.default({ logoUrl: null, accentColor: null }),
});
export type CreateProgramInput = z.infer<typeof CreateProgramInput>;

export const UpdateProgramInput = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  currency: Currency.optional(),
  landingUrl: HttpUrl.optional(),
  cookieLifetimeDays: z.number().int().min(1).max(365).optional(),
  commission: CommissionRule.optional(),
  holdPeriodDays: z.number().int().min(0).max(365).optional(),
  autoCode: AutoCodeSettings.optional(),
  portal: PortalBranding.optional(),
});
export type UpdateProgramInput = z.infer<typeof UpdateProgramInput>;

export const Program = z
  .object({
    id: Id,
    name: z.string(),
    currency: z.string(),
    landingUrl: z.string(),
    cookieLifetimeDays: z.number().int(),
    commission: z.object({
      type: CommissionType,
      value: z.number().int(),
      duration: CommissionDuration,
      durationMonths: z.number().int().nullable(),
    }),
    holdPeriodDays: z.number().int(),
    autoCode: z.object({ enabled: z.boolean(), couponId: z.string().nullable(), pattern: z.string().nullable() }),
    portal: z.object({ logoUrl: z.string().nullable(), accentColor: z.string().nullable() }),
    status: z.enum(['active', 'archived']),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Program' });
export type Program = z.infer<typeof Program>;

export const ProgramListQuery = z.object({
  status: z.enum(['active', 'archived']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
