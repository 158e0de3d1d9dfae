import type { CreatePartnerInput, InvitedPartner, PartnerDetail, Partner as PartnerDto, PartnerListQuery, PartnerStatus, UpdatePartnerInput } from '@codetrack/contracts';
import { Prisma, type Partner, type TenantDb } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import { afterCursor, decodeCursor, pageFrom } from '../../lib/cursor.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { toIso, toIsoOrNull } from '../../lib/schemas.ts';
import { createToken, hashToken } from '../../lib/tokens.ts';
import type { Mailer } from '../../lib/mailer.ts';
import type { Principal } from '../../plugins/auth.ts';
import { findActiveProgramOrThrow, findProgramOrThrow } from '../programs/service.ts';
import { claimExactReferralKey, claimReferralKeys, createKeyPlanner, deriveBaseReferralKey, splitName } from './referral-keys.ts';

/** Where links in partner responses point: the public API (referral links) and the portal. */
export type PartnerLinks = { publicUrl: string; portalUrl: string };

const INVITATION_TTL_MS = 14 * 24 * 3600_000;

/** How invitations reach partners: the mailer, and a log for mail that could not be sent. */
export type InvitationMail = { mailer: Mailer; log: { warn: (obj: object, msg: string) => void } };

/** What an invitation mail needs: who, and the one-time link (whose token only the mail carries). */
export type InvitationRecipient = Pick<InvitedPartner, 'id' | 'email' | 'name'> & { invitation: Pick<InvitedPartner['invitation'], 'url' | 'expiresAt'> };

type MailProgram = { name: string; workspaceId: string };

// Sends in flight at once after an import: enough to keep an SMTP server busy, few enough not to
// take every database connection when the development mailbox stores them.
const IMPORT_MAIL_CONCURRENCY = 4;

function sendInvitationMail(mail: InvitationMail, program: MailProgram, invited: InvitationRecipient): Promise<void> {
  return mail.mailer.send({
    to: invited.email,
    workspaceId: program.workspaceId,
    subject: `You are invited to the ${program.name} partner program`,
    text: [
      `Hello ${invited.name},`,
      '',
      `You have been invited to the ${program.name} partner program. Set your password to see your codes and what you earn:`,
      invited.invitation.url,
      '',
      `The link works until ${invited.invitation.expiresAt.slice(0, 10)}.`,
    ].join('\n'),
  });
}

/**
 * Emails the invitation link after commit. A failed send is logged, not thrown: the partner exists
 * and the merchant has the link in the response, so an error here would only invite a retry (409).
 */
export async function mailInvitation(mail: InvitationMail, program: MailProgram, invited: InvitationRecipient) {
  try {
    await sendInvitationMail(mail, program, invited);
  } catch (err) {
    mail.log.warn({ err, partnerId: invited.id }, 'invitation mail could not be sent');
  }
}

/**
 * Emails the invitations of a committed import, a few at a time, and returns how many were sent.
 * Failures never undo the import: they are logged once with the partners concerned, whose
 * invitations the merchant can issue again from each partner's page.
 */
export async function mailInvitations(mail: InvitationMail, program: MailProgram, invited: InvitationRecipient[]): Promise<number> {
  const failedIds: string[] = [];
  let firstError: unknown;
  let next = 0;
  async function sendNext(): Promise<void> {
    while (next < invited.length) {
      const one = invited[next++] as InvitationRecipient;
      try {
        await sendInvitationMail(mail, program, one);
      } catch (err) {
        failedIds.push(one.id);
        firstError ??= err;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(IMPORT_MAIL_CONCURRENCY, invited.length) }, sendNext));
  if (failedIds.length) {
    mail.log.warn({ err: firstError, failed: failedIds.length, partnerIds: failedIds.slice(0, 100) }, 'invitation mails of an import could not be sent');
  }
  return invited.length - failedIds.length;
}

export function buildReferralUrl(links: Pick<PartnerLinks, 'publicUrl'>, key: string): string {
  return `${links.publicUrl}/r/${encodeURIComponent(key)}`;
}

export function toPartnerDto(p: Partner, links: PartnerLinks): PartnerDto {
  return {
    id: p.id,
    programId: p.programId,
    email: p.email,
    name: p.name,
    firstName: p.firstName,
    lastName: p.lastName,
    status: p.status,
    referralKey: p.referralKey,
    referralUrl: buildReferralUrl(links, p.referralKey),
    payoutEmail: p.payoutEmail,
    commissionOverride:
      p.overrideCommissionType && p.overrideCommissionValue != null && p.overrideCommissionDuration
        ? { type: p.overrideCommissionType, value: p.overrideCommissionValue, duration: p.overrideCommissionDuration, durationMonths: p.overrideCommissionDurationMonths }
        : null,
    invitationExpiresAt: toIsoOrNull(p.invitationExpiresAt),
    createdAt: toIso(p.createdAt),
    updatedAt: toIso(p.updatedAt),
  };
}

/** A fresh invitation: the token for the response, its hash and expiry for the partner row. */
export function createInvitation(links: PartnerLinks, now = Date.now()) {
  const token = createToken();
  const expiresAt = new Date(now + INVITATION_TTL_MS);
  return {
    columns: { invitationTokenHash: hashToken(token), invitationExpiresAt: expiresAt },
    invitation: { token, url: `${links.portalUrl}/accept-invitation?token=${encodeURIComponent(token)}`, expiresAt: toIso(expiresAt) },
  };
}

const referralKeyTaken = () => conflict('referral_key_taken', 'This referral key is already taken; choose another');

const partnerExists = () => conflict('partner_exists', 'A partner with this email already exists in this program');

/**
 * The unique index on (program, email) is what keeps two concurrent invites of one email apart;
 * this turns its violation into the same 409 the up-front check gives.
 */
export function rethrowUniqueViolation(err: unknown): never {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002' && (err.meta as { modelName?: string } | undefined)?.modelName === 'Partner') {
    throw partnerExists();
  }
  throw err;
}

/** Loads a partner of the program (which must be the caller's) or answers 404. */
export async function findPartnerOrThrow(db: TenantDb, programId: string, partnerId: string) {
  const partner = await db.partner.findFirst({ where: { id: partnerId, programId } });
  if (!partner) throw notFound('Partner');
  return partner;
}

export async function createPartner(db: TenantDb, actor: Principal, links: PartnerLinks, mail: InvitationMail, programId: string, input: CreatePartnerInput): Promise<InvitedPartner> {
  const program = await findActiveProgramOrThrow(db, programId);
  if (await db.partner.findFirst({ where: { programId, email: input.email }, select: { id: true } })) throw partnerExists();
  const { columns, invitation } = createInvitation(links);
  const base = input.referralKey ?? deriveBaseReferralKey(input.name, input.email);
  const planner = createKeyPlanner();
  const planned = input.referralKey ?? planner.next(base);
  let created: InvitedPartner;
  try {
    created = await db.$transaction(async (tx) => {
      let partner = await tx.partner.create({
        data: {
          programId,
          email: input.email,
          name: input.name,
          firstName: input.firstName ?? splitName(input.name).firstName,
          lastName: input.lastName ?? (input.firstName ? null : splitName(input.name).lastName),
          status: 'invited',
          referralKey: planned,
          ...columns,
        } as never,
      });
      if (input.referralKey) {
        if (!(await claimExactReferralKey(tx, { key: planned, programId, partnerId: partner.id }))) throw referralKeyTaken();
      } else {
        const key = (await claimReferralKeys(tx, planner, [{ partnerId: partner.id, programId, base, key: planned }])).get(partner.id) ?? planned;
        if (key !== planned) partner = await tx.partner.update({ where: { id: partner.id }, data: { referralKey: key } });
      }
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actor,
        action: 'partner.created',
        entityType: 'partner',
        entityId: partner.id,
        data: { programId, email: partner.email, referralKey: partner.referralKey },
      });
      return { ...toPartnerDto(partner, links), invitation };
    });
  } catch (err) {
    rethrowUniqueViolation(err);
  }
  await mailInvitation(mail, program, created);
  return created;
}

/** Prisma `where` for a program's partners, by status and by text in the name or email. */
export function buildPartnerFilter(programId: string, filters: { q?: string | undefined; status?: PartnerStatus | undefined }) {
  return {
    programId,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.q
      ? { OR: [{ name: { contains: filters.q, mode: 'insensitive' as const } }, { email: { contains: filters.q, mode: 'insensitive' as const } }] }
      : {}),
  };
}

export async function listPartners(db: TenantDb, links: PartnerLinks, programId: string, query: PartnerListQuery) {
  await findProgramOrThrow(db, programId);
  const filters = buildPartnerFilter(programId, query);
  const [rows, total] = await Promise.all([
    db.partner.findMany({
      where: { AND: [filters, afterCursor(decodeCursor(query.cursor))] },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    }),
    db.partner.count({ where: filters }),
  ]);
  const page = pageFrom(rows, query.limit);
  return { items: page.items.map((p) => toPartnerDto(p, links)), nextCursor: page.nextCursor, total };
}

export async function getPartnerDetailOrThrow(db: TenantDb, links: PartnerLinks, programId: string, partnerId: string): Promise<PartnerDetail> {
  await findProgramOrThrow(db, programId);
  const partner = await findPartnerOrThrow(db, programId, partnerId);
  const codes = await db.promotionCode.findMany({
    where: { partnerId, programId, deletedAt: null },
    select: { id: true, code: true, status: true, couponId: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  return { ...toPartnerDto(partner, links), codes };
}

function toColumns(input: UpdatePartnerInput) {
  const override = input.commissionOverride;
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.firstName !== undefined ? { firstName: input.firstName } : {}),
    ...(input.lastName !== undefined ? { lastName: input.lastName } : {}),
    ...(input.payoutEmail !== undefined ? { payoutEmail: input.payoutEmail } : {}),
    ...(input.referralKey !== undefined ? { referralKey: input.referralKey } : {}),
    ...(override !== undefined
      ? {
          overrideCommissionType: override?.type ?? null,
          overrideCommissionValue: override?.value ?? null,
          overrideCommissionDuration: override?.duration ?? null,
          overrideCommissionDurationMonths: override?.durationMonths ?? null,
        }
      : {}),
  };
}

export async function updatePartnerOrThrow(db: TenantDb, actor: Principal, links: PartnerLinks, programId: string, partnerId: string, input: UpdatePartnerInput) {
  await findActiveProgramOrThrow(db, programId);
  const current = await findPartnerOrThrow(db, programId, partnerId);
  try {
    return await db.$transaction(async (tx) => {
      const key = input.referralKey;
      if (key !== undefined && key !== current.referralKey) {
        // Every key a partner had stays theirs (old links keep working), so taking one back is
        // allowed; any other existing key belongs to someone else and the insert fails on it.
        const previous = await tx.referralKey.findUnique({ where: { key } });
        if (previous && previous.partnerId !== partnerId) throw referralKeyTaken();
        if (!previous && !(await claimExactReferralKey(tx, { key, programId, partnerId }))) throw referralKeyTaken();
      }
      const partner = await tx.partner.update({ where: { id: partnerId }, data: toColumns(input) });
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actor,
        action: 'partner.updated',
        entityType: 'partner',
        entityId: partnerId,
        data: { programId, ...input, ...(key !== undefined ? { previousReferralKey: current.referralKey } : {}) },
      });
      return toPartnerDto(partner, links);
    });
  } catch (err) {
    rethrowUniqueViolation(err);
  }
}

export async function suspendPartnerOrThrow(db: TenantDb, actor: Principal, links: PartnerLinks, programId: string, partnerId: string) {
  await findActiveProgramOrThrow(db, programId);
  await findPartnerOrThrow(db, programId, partnerId);
  return db.$transaction(async (tx) => {
    const partner = await tx.partner.update({ where: { id: partnerId }, data: { status: 'suspended' } });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'partner.suspended', entityType: 'partner', entityId: partnerId, data: { programId } });
    return toPartnerDto(partner, links);
  });
}

/** Back to active when the partner has set a portal password, else back to invited. */
export async function reactivatePartnerOrThrow(db: TenantDb, actor: Principal, links: PartnerLinks, programId: string, partnerId: string) {
  await findActiveProgramOrThrow(db, programId);
  const current = await findPartnerOrThrow(db, programId, partnerId);
  const status = current.passwordHash ? 'active' : 'invited';
  return db.$transaction(async (tx) => {
    const partner = await tx.partner.update({ where: { id: partnerId }, data: { status } });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'partner.reactivated', entityType: 'partner', entityId: partnerId, data: { programId, status } });
    return toPartnerDto(partner, links);
  });
}

/** Replaces the invitation token (the old link stops working) and returns the new one once. */
export async function reissueInvitationOrThrow(db: TenantDb, actor: Principal, links: PartnerLinks, mail: InvitationMail, programId: string, partnerId: string): Promise<InvitedPartner> {
  const program = await findActiveProgramOrThrow(db, programId);
  const current = await findPartnerOrThrow(db, programId, partnerId);
  if (current.status === 'suspended') throw conflict('partner_suspended', 'This partner is suspended; reactivate them first');
  const { columns, invitation } = createInvitation(links);
  const reissued = await db.$transaction(async (tx) => {
    const partner = await tx.partner.update({ where: { id: partnerId }, data: columns });
    await recordAudit(tx, { workspaceId: actor.workspaceId, actor, action: 'partner.invitation_issued', entityType: 'partner', entityId: partnerId, data: { programId, expiresAt: invitation.expiresAt } });
    return { ...toPartnerDto(partner, links), invitation };
  });
  await mailInvitation(mail, program, reissued);
  return reissued;
}
