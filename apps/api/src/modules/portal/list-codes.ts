import { describeDiscount } from '@codetrack/core';
import type { PortalCode, PortalCodes, PortalCodeStatus } from '@codetrack/contracts';
import type { Coupon, PromotionCode, TenantDb } from '@codetrack/db';
import { toIsoOrNull } from '../../lib/schemas.ts';

type CodeRow = PromotionCode & { coupon: Coupon };

/** Why a code cannot be shared right now, else active. */
export function deriveCodeStatus(code: Pick<PromotionCode, 'status' | 'expiresAt' | 'maxRedemptions' | 'timesRedeemed'>, now: Date): PortalCodeStatus {
  if (code.status === 'disabled') return 'disabled';
  if (code.expiresAt && code.expiresAt <= now) return 'expired';
  if (code.maxRedemptions != null && code.timesRedeemed >= code.maxRedemptions) return 'used_up';
  return 'active';
}

/** The sentence a partner pastes into a post: the code, what it gives, and where to use it. */
export function writeShareLine(input: { code: string; discount: string; programName: string; referralUrl: string }): string {
  return `Use my code ${input.code} for ${input.discount} at ${input.programName}: ${input.referralUrl}`;
}

export function toPortalCode(row: CodeRow, context: { programName: string; referralUrl: string; now: Date }): PortalCode {
  const restrictions = {
    firstTimeOnly: row.firstTimeOnly,
    minimumAmount: row.minimumAmount,
    minimumAmountCurrency: row.minimumAmountCurrency,
    expiresAt: row.expiresAt,
    maxRedemptions: row.maxRedemptions,
  };
  const discount = describeDiscount({
    discountType: row.coupon.discountType,
    percentOffBps: row.coupon.percentOffBps,
    amountOff: row.coupon.amountOff,
    currency: row.coupon.currency ?? row.minimumAmountCurrency,
    duration: row.coupon.duration,
    durationInMonths: row.coupon.durationInMonths,
    restrictions,
    timesRedeemed: row.timesRedeemed,
  });
  return {
    id: row.id,
    code: row.code,
    status: deriveCodeStatus(row, context.now),
    discount,
    restrictions: { ...restrictions, expiresAt: toIsoOrNull(row.expiresAt) },
    usesLeft: row.maxRedemptions == null ? null : Math.max(0, row.maxRedemptions - row.timesRedeemed),
    shareLine: writeShareLine({ code: row.code, discount, programName: context.programName, referralUrl: context.referralUrl }),
  };
}

/** Every code assigned to the partner (deleted ones are gone), with the partner's referral link. */
export async function listPartnerCodes(db: TenantDb, publicUrl: string, partnerId: string): Promise<PortalCodes> {
  const partner = await db.partner.findUniqueOrThrow({ where: { id: partnerId }, include: { program: true } });
  const rows = await db.promotionCode.findMany({
    where: { partnerId, programId: partner.programId, deletedAt: null },
    include: { coupon: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const referralUrl = `${publicUrl}/r/${encodeURIComponent(partner.referralKey)}`;
  const now = new Date();
  return {
    items: rows.map((row) => toPortalCode(row, { programName: partner.program.name, referralUrl, now })),
    referralKey: partner.referralKey,
    referralUrl,
  };
}
