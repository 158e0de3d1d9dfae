import { deriveAmountLabel, generateCodesForPartners, type GenerateCodesResult } from '@codetrack/core';
import type { GenerateCodesInput } from '@codetrack/contracts';
import type { TenantDb } from '../tenant.ts';
import { markCodesPending, type PendingLink } from './outbox.ts';
import type { RestrictionColumns } from './code-restrictions.ts';

type CouponForGeneration = {
  id: string;
  programId: string;
  discountType: 'percent' | 'fixed';
  percentOffBps: number | null;
  amountOff: number | null;
  currency: string | null;
};

export type PlannedPartner = { id: string; name: string; firstName: string | null; lastName: string | null; referralKey: string };

export type GenerationPlan = {
  partners: PlannedPartner[];
  /** Partners matching the filter that already have a code on this coupon (re-runs skip them). */
  skipped: number;
  result: GenerateCodesResult;
};

function partnerWhere(coupon: CouponForGeneration, filter: GenerateCodesInput['partners']) {
  return {
    programId: coupon.programId,
    ...(filter.partnerIds ? { id: { in: filter.partnerIds } } : {}),
    ...(filter.status ? { status: { in: filter.status } } : {}),
  };
}

/**
 * Works out, without writing anything, which partners get which code: partners of the program
 * matching the filter that have no code on this coupon yet, against every code the workspace has
 * ever used (disabled and deleted codes stay reserved). Deterministic for a given seed.
 */
export async function planCodeGeneration(db: TenantDb, input: { coupon: CouponForGeneration; pattern: string; partners: GenerateCodesInput['partners']; seed: string }): Promise<GenerationPlan> {
  const where = partnerWhere(input.coupon, input.partners);
  const [partners, matching, takenRows] = await Promise.all([
    db.partner.findMany({
      where: { ...where, promotionCodes: { none: { couponId: input.coupon.id, deletedAt: null } } },
      select: { id: true, name: true, firstName: true, lastName: true, referralKey: true },
      orderBy: { id: 'asc' },
    }),
    db.partner.count({ where }),
    db.promotionCode.findMany({ select: { normalizedCode: true } }),
  ]);
  const taken = new Set(takenRows.map((r) => r.normalizedCode));
  const result = generateCodesForPartners({
    pattern: input.pattern,
    partners,
    amountLabel: deriveAmountLabel(input.coupon),
    taken,
    seed: input.seed,
  });
  return { partners, skipped: matching - partners.length, result };
}

const chunkSize = 5000;

/**
 * Writes generated codes, their assignment history and their sync outbox rows in ONE transaction:
 * a failure (say a code taken by a concurrent request) writes nothing, and the job runs again.
 * `onProgress` is called between chunks with the number written so far (visible only as
 * progress; the rows themselves appear at commit).
 */
export async function writeGeneratedCodes(
  db: TenantDb,
  input: {
    workspaceId: string;
    coupon: CouponForGeneration;
    codes: { partnerId: string; code: string }[];
    restrictions: RestrictionColumns;
    connectionIds: string[];
    onProgress?: (written: number) => Promise<void>;
  },
): Promise<{ created: number; syncLinks: PendingLink[] }> {
  const r = input.restrictions;
  return db.$transaction(
    async (tx) => {
      const syncLinks: PendingLink[] = [];
      for (let i = 0; i < input.codes.length; i += chunkSize) {
        const chunk = input.codes.slice(i, i + chunkSize);
        const codes = chunk.map((c) => c.code);
        const partnerIds = chunk.map((c) => c.partnerId);
        const inserted = await tx.$queryRaw<{ id: string }[]>`
          WITH ins AS (
            INSERT INTO "PromotionCode" ("workspaceId", "programId", "couponId", "code", "normalizedCode", "partnerId",
              "firstTimeOnly", "minimumAmount", "minimumAmountCurrency", "expiresAt", "maxRedemptions", "source", "updatedAt")
            SELECT ${input.workspaceId}, ${input.coupon.programId}, ${input.coupon.id}, c.code, c.code, c.partner,
              ${r.firstTimeOnly}, ${r.minimumAmount}::int, ${r.minimumAmountCurrency}::text, ${r.expiresAt}::timestamptz, ${r.maxRedemptions}::int,
              'generated'::"CodeSource", now()
            FROM unnest(${codes}::text[], ${partnerIds}::text[]) AS c(code, partner)
            RETURNING id, "partnerId"
          ), history AS (
            INSERT INTO "PromotionCodeAssignment" ("workspaceId", "promotionCodeId", "partnerId")
            SELECT ${input.workspaceId}, ins.id, ins."partnerId" FROM ins
          )
          SELECT id FROM ins`;
        syncLinks.push(...(await markCodesPending(tx, { workspaceId: input.workspaceId, codeIds: inserted.map((row) => row.id), connectionIds: input.connectionIds })));
        await input.onProgress?.(i + chunk.length);
      }
      return { created: input.codes.length, syncLinks };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}
