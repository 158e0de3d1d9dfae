import { z } from 'zod';
import { Email } from './auth.ts';
import { Id, IsoDateTime, PageQuery } from './common.ts';
import { CommissionDuration, CommissionRule, CommissionType } from './programs.ts';

export const PartnerStatus = z.enum(['invited', 'active', 'suspended']);
export type PartnerStatus = z.infer<typeof PartnerStatus>;

export const REFERRAL_KEY_MIN_LENGTH = 3;
export const REFERRAL_KEY_MAX_LENGTH = 40;

/** The part of a referral link after `/r/`: lower-case letters, digits and single dashes. */
export const ReferralKey = z
  .string()
  .trim()
  .toLowerCase()
  .min(REFERRAL_KEY_MIN_LENGTH, `must be at least ${REFERRAL_KEY_MIN_LENGTH} characters`)
  .max(REFERRAL_KEY_MAX_LENGTH, `must be at most ${REFERRAL_KEY_MAX_LENGTH} characters`)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'may contain only letters, digits and single dashes between them');

const PersonName = z.string().trim().min(1).max(120);

export const CreatePartnerInput = z.object({
  email: Email,
  name: PersonName,
  firstName: PersonName.nullable().optional(),
  lastName: PersonName.nullable().optional(),
  /** Generated from the name when left out. */
  referralKey: ReferralKey.optional(),
});
export type CreatePartnerInput = z.infer<typeof CreatePartnerInput>;

export const UpdatePartnerInput = z.object({
  name: PersonName.optional(),
  firstName: PersonName.nullable().optional(),
  lastName: PersonName.nullable().optional(),
  payoutEmail: Email.nullable().optional(),
  /** The old key keeps redirecting to this partner. */
  referralKey: ReferralKey.optional(),
  /** Replaces the program's commission rule for this partner; null goes back to the program's. */
  commissionOverride: CommissionRule.nullable().optional(),
});
export type UpdatePartnerInput = z.infer<typeof UpdatePartnerInput>;

export const Partner = z
  .object({
    id: Id,
    programId: Id,
    email: z.string(),
    name: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    status: PartnerStatus,
    referralKey: z.string(),
    referralUrl: z.string(),
    payoutEmail: z.string().nullable(),
    commissionOverride: z
      .object({ type: CommissionType, value: z.number().int(), duration: CommissionDuration, durationMonths: z.number().int().nullable() })
      .nullable(),
    invitationExpiresAt: IsoDateTime.nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Partner' });
export type Partner = z.infer<typeof Partner>;

export const PartnerCodeSummary = z.object({ id: Id, code: z.string(), status: z.enum(['active', 'disabled']), couponId: Id });

export const PartnerDetail = Partner.extend({ codes: z.array(PartnerCodeSummary) }).meta({ id: 'PartnerDetail' });
export type PartnerDetail = z.infer<typeof PartnerDetail>;

/** A one-time invitation: only its hash is stored, so the token is shown in this response only. */
export const PartnerInvitation = z
  .object({ token: z.string(), url: z.string(), expiresAt: IsoDateTime })
  .meta({ id: 'PartnerInvitation' });
export type PartnerInvitation = z.infer<typeof PartnerInvitation>;

export const InvitedPartner = Partner.extend({ invitation: PartnerInvitation }).meta({ id: 'InvitedPartner' });
export type InvitedPartner = z.infer<typeof InvitedPartner>;

export const PartnerFilters = z.object({
  /** Case-insensitive text in the name or email. */
  q: z.string().trim().min(1).max(200).optional(),
  status: PartnerStatus.optional(),
});

export const PartnerListQuery = PageQuery.extend(PartnerFilters.shape);
export type PartnerListQuery = z.infer<typeof PartnerListQuery>;

export const PartnerPage = z
  .object({ items: z.array(Partner), nextCursor: z.string().nullable(), total: z.number().int() })
  .meta({ id: 'PartnerPage' });

export const PARTNER_IMPORT_MAX_ROWS = 10_000;

/** CSV text with a header row: email, name and optionally code. */
export const ImportPartnersInput = z.object({
  csv: z.string().min(1).max(1024 * 1024),
  sendInvitations: z
    .boolean()
    .default(true)
    .describe(
      'Mail every imported partner their one-time invitation link once the import has been saved (default). ' +
        'false: no mail and no invitation yet; issue one per partner later.',
    ),
});
export type ImportPartnersInput = z.infer<typeof ImportPartnersInput>;

export const PartnerImportResult = z
  .object({
    created: z.number().int(),
    partners: z.array(z.object({ id: Id, email: z.string(), referralKey: z.string() })),
    /** Codes from the file's `code` column, checked for format only; no promotion code exists yet. */
    codes: z.array(z.object({ partnerId: Id, code: z.string() })),
    /** Invitation mails sent after the import; a failed send is logged and not counted. */
    invitationsSent: z.number().int(),
  })
  .meta({ id: 'PartnerImportResult' });
export type PartnerImportResult = z.infer<typeof PartnerImportResult>;
