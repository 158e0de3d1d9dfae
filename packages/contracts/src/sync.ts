import { z } from 'zod';
import { Id, IsoDateTime, Platform } from './common.ts';
import { SyncState } from './promotion-codes.ts';

// Sync status, retries, import and reconciliation of one connection (outbound and inbound sync).

/** One coupon or code on one connection: what "codes not syncing" troubleshooting reads. */
export const SyncLinkStatus = z
  .object({
    id: Id,
    connectionId: Id,
    entityType: z.enum(['coupon', 'promotion_code']),
    couponId: Id.nullable(),
    promotionCodeId: Id.nullable(),
    /** The code as typed (code links) or the coupon's name (coupon links). */
    label: z.string(),
    state: SyncState,
    platformId: z.string().nullable(),
    lastError: z.string().nullable(),
    attempts: z.number().int(),
    lastSyncedAt: IsoDateTime.nullable(),
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'SyncLinkStatus' });
export type SyncLinkStatus = z.infer<typeof SyncLinkStatus>;

export const SyncStatusQuery = z.object({
  /** Which links to list; failed ones by default (the ones a merchant acts on). */
  state: SyncState.default('failed'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type SyncStatusQuery = z.infer<typeof SyncStatusQuery>;

export const SyncStatus = z
  .object({
    connectionId: Id,
    platform: Platform,
    counts: z.object({ pending: z.number().int(), synced: z.number().int(), failed: z.number().int(), deleted: z.number().int() }),
    items: z.array(SyncLinkStatus),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'SyncStatus' });
export type SyncStatus = z.infer<typeof SyncStatus>;

export const RetryFailedResult = z.object({ retried: z.number().int() }).meta({ id: 'RetryFailedResult' });
export type RetryFailedResult = z.infer<typeof RetryFailedResult>;

/** `BulkJob.params` of an `import_codes` or `reconcile` job. */
export const ConnectionJobParams = z.object({ connectionId: Id });
export type ConnectionJobParams = z.infer<typeof ConnectionJobParams>;

/** `BulkJob.result` of an import, written as it goes: the cursor is where a retry continues. */
export const CodeImportResult = z.object({
  cursor: z.string().nullable(),
  pages: z.number().int(),
  /** New codes created here. */
  created: z.number().int(),
  /** Codes that existed here under the same code, now linked to the platform object. */
  linked: z.number().int(),
  /** Platform objects already linked (a re-run, or codes we pushed ourselves). */
  existing: z.number().int(),
  couponsCreated: z.number().int(),
  skipped: z.array(z.object({ platformId: z.string(), code: z.string(), reason: z.string() })),
});
export type CodeImportResult = z.infer<typeof CodeImportResult>;

export const DriftField = z.object({ field: z.string(), ours: z.unknown(), platform: z.unknown() });

/** `BulkJob.result` of a reconciliation. Lists are capped; the counts are not. */
export const ReconcileResult = z.object({
  counts: z.object({ platform: z.number().int(), ours: z.number().int(), missing: z.number().int(), extra: z.number().int(), different: z.number().int() }),
  /** Ours and meant to be live there, but not on the platform (or inactive there). */
  missing: z.array(z.object({ syncLinkId: Id, promotionCodeId: Id, code: z.string(), platformId: z.string().nullable(), reason: z.string() })),
  /** On the platform, not linked to any code of ours. */
  extra: z.array(z.object({ platformId: z.string(), code: z.string(), active: z.boolean() })),
  /** Linked, but fields differ from what we would push. */
  different: z.array(z.object({ syncLinkId: Id, promotionCodeId: Id, code: z.string(), platformId: z.string(), fields: z.array(DriftField) })),
  truncated: z.boolean(),
});
export type ReconcileResult = z.infer<typeof ReconcileResult>;

export const RepairResult = z
  .object({
    /** Missing and different codes marked pending; the worker pushes them. */
    markedPending: z.number().int(),
    /** Extra platform codes: imported by this job (null when there were none). */
    importJobId: Id.nullable(),
  })
  .meta({ id: 'RepairResult' });
export type RepairResult = z.infer<typeof RepairResult>;
