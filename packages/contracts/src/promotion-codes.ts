import { z } from 'zod';
import { Id, IsoDateTime, MinorUnits, Platform } from './common.ts';

/** A code as typed: trimmed; normalised (upper-case) for uniqueness. Empty = generate one. */
export const CodeText = z.string().trim().max(64);

export const CodeRestrictionsInput = z.object({
  firstTimeOnly: z.boolean().optional(),
  minimumAmount: MinorUnits.nullable().optional(),
  expiresAt: IsoDateTime.nullable().optional(),
  maxRedemptions: z.number().int().positive().max(1_000_000_000).nullable().optional(),
});
export type CodeRestrictionsInput = z.infer<typeof CodeRestrictionsInput>;

export const CreatePromotionCodeInput = z.object({
  code: CodeText.optional(),
  partnerId: Id.nullable().optional(),
  /** Overrides the coupon's default restrictions field by field. */
  restrictions: CodeRestrictionsInput.default({}),
});
export type CreatePromotionCodeInput = z.infer<typeof CreatePromotionCodeInput>;

export const UpdatePromotionCodeInput = z.object({ restrictions: CodeRestrictionsInput });

export const AssignPromotionCodeInput = z.object({ partnerId: Id.nullable() });
export const DisablePromotionCodeInput = z.object({ reason: z.string().trim().max(200).optional() });

export const SyncState = z.enum(['pending', 'synced', 'failed', 'deleted']);

export const PromotionCode = z
  .object({
    id: Id,
    programId: Id,
    couponId: Id,
    code: z.string(),
    normalizedCode: z.string(),
    partner: z.object({ id: Id, name: z.string(), email: z.string() }).nullable(),
    restrictions: z.object({
      firstTimeOnly: z.boolean(),
      minimumAmount: z.number().int().nullable(),
      minimumAmountCurrency: z.string().nullable(),
      expiresAt: IsoDateTime.nullable(),
      maxRedemptions: z.number().int().nullable(),
    }),
    timesRedeemed: z.number().int(),
    status: z.enum(['active', 'disabled', 'deleted']),
    disabledReason: z.string().nullable(),
    source: z.enum(['manual', 'generated', 'auto', 'imported']),
    sync: z.array(
      z.object({
        connectionId: Id,
        platform: Platform,
        state: SyncState,
        platformId: z.string().nullable(),
        lastError: z.string().nullable(),
        lastSyncedAt: IsoDateTime.nullable(),
      }),
    ),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'PromotionCode' });
export type PromotionCode = z.infer<typeof PromotionCode>;

export const PromotionCodeSearchQuery = z.object({
  programId: Id,
  partnerId: Id.optional(),
  couponId: Id.optional(),
  status: z.enum(['active', 'disabled', 'deleted']).optional(),
  syncState: SyncState.optional(),
  /** Code prefix, case-insensitive. */
  prefix: z.string().trim().min(1).max(32).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const CodeListQuery = z.object({
  status: z.enum(['active', 'disabled', 'deleted']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ValidateCodeInput = z.object({ couponId: Id, code: CodeText });
export const CodeCheck = z
  .object({
    ok: z.boolean(),
    normalizedCode: z.string(),
    problems: z.array(z.object({ code: z.string(), message: z.string(), platform: Platform.optional() })),
    suggestions: z.array(z.string()),
  })
  .meta({ id: 'CodeCheck' });
export type CodeCheck = z.infer<typeof CodeCheck>;

export const PartnerFilter = z.object({
  /** Only these partners; otherwise every partner of the program matching the filter. */
  partnerIds: z.array(Id).max(100_000).optional(),
  status: z.array(z.enum(['invited', 'active', 'suspended'])).optional(),
});

export const GenerateCodesInput = z.object({
  pattern: z.string().trim().min(1).max(64),
  partners: PartnerFilter.default({}),
  restrictions: CodeRestrictionsInput.default({}),
  /** Same seed, same partners, same existing codes: same result. */
  seed: z.string().max(64).optional(),
});
export type GenerateCodesInput = z.infer<typeof GenerateCodesInput>;

export const GenerationPreview = z
  .object({
    total: z.number().int(),
    skipped: z.number().int(),
    sample: z.array(z.object({ partnerId: Id, partnerName: z.string(), code: z.string() })),
    collisions: z.array(z.object({ partnerId: Id, wanted: z.string(), resolvedTo: z.string() })),
    failures: z.array(z.object({ partnerId: Id, reason: z.string() })),
  })
  .meta({ id: 'GenerationPreview' });

export const BulkJob = z
  .object({
    id: Id,
    type: z.string(),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    total: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
    result: z.unknown().nullable(),
    error: z.string().nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    finishedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'BulkJob' });
export type BulkJob = z.infer<typeof BulkJob>;

export const PromotionCodeAssignment = z.object({
  partnerId: Id.nullable(),
  assignedAt: IsoDateTime,
  unassignedAt: IsoDateTime.nullable(),
  actorId: z.string().nullable(),
});
