import type { AcceptInvitationInput, PasswordResetConfirmInput, PasswordResetRequestInput } from '@codetrack/contracts';
import { hashPassword, type Db, type Partner } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import { badRequest } from '../../lib/errors.ts';
import type { Mailer } from '../../lib/mailer.ts';
import { createToken, hashToken } from '../../lib/tokens.ts';

const RESET_TTL_MS = 60 * 60_000;

const partnerActor = (p: Pick<Partner, 'id' | 'programId' | 'workspaceId'>) =>
  ({ kind: 'partner', partnerId: p.id, programId: p.programId, workspaceId: p.workspaceId, sessionId: '', via: 'cookie' }) as const;

/**
 * Sets the password of the partner whose invitation token this is and activates them. The update
 * matches the token and its expiry in one statement, so a token is used at most once even when
 * the link is opened twice at the same moment.
 */
export async function acceptInvitation(db: Db, input: AcceptInvitationInput) {
  const passwordHash = await hashPassword(input.password);
  const tokenHash = hashToken(input.token);
  const now = new Date();
  const partner = await db.$transaction(async (tx) => {
    const claimed = await tx.partner.updateManyAndReturn({
      where: { invitationTokenHash: tokenHash, invitationExpiresAt: { gt: now }, status: { not: 'suspended' } },
      data: { passwordHash, status: 'active', invitationTokenHash: null, invitationExpiresAt: null },
    });
    const row = claimed[0];
    if (!row) return null;
    await recordAudit(tx, { workspaceId: row.workspaceId, actor: partnerActor(row), action: 'partner.invitation_accepted', entityType: 'partner', entityId: row.id });
    return row;
  });
  if (!partner) {
    throw badRequest('invitation_invalid', 'This invitation link is not valid any more: it was used already or it expired. Ask the program for a new invitation.');
  }
  return partner;
}

/**
 * Emails a reset link when an active or invited partner has this email in the program. The caller
 * answers the same whatever happens here, so the response does not tell who is a partner.
 */
export async function requestPasswordReset(db: Db, mailer: Mailer, portalUrl: string, input: PasswordResetRequestInput) {
  const partner = await db.partner.findUnique({ where: { programId_email: { programId: input.programId, email: input.email } }, include: { program: true } });
  if (!partner || partner.status === 'suspended' || partner.program.status === 'archived') return;
  const token = createToken();
  const expiresAt = new Date(Date.now() + RESET_TTL_MS);
  await db.partner.update({ where: { id: partner.id }, data: { resetTokenHash: hashToken(token), resetExpiresAt: expiresAt } });
  await mailer.send({
    to: partner.email,
    workspaceId: partner.workspaceId,
    subject: `Reset your ${partner.program.name} partner password`,
    text: [
      `Hello ${partner.name},`,
      '',
      `Someone asked to reset the password of your ${partner.program.name} partner account. Choose a new password here:`,
      `${portalUrl}/reset-password?token=${encodeURIComponent(token)}`,
      '',
      'The link works for one hour. If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
  });
}

/** Sets a new password from a reset token, once; every other session of the partner ends. */
export async function confirmPasswordReset(db: Db, input: PasswordResetConfirmInput) {
  const passwordHash = await hashPassword(input.password);
  const tokenHash = hashToken(input.token);
  const now = new Date();
  const partner = await db.$transaction(async (tx) => {
    const claimed = await tx.partner.updateManyAndReturn({
      where: { resetTokenHash: tokenHash, resetExpiresAt: { gt: now }, status: { not: 'suspended' } },
      // Proving the email address is what an invitation does too, so an invited partner becomes active.
      data: { passwordHash, status: 'active', resetTokenHash: null, resetExpiresAt: null, invitationTokenHash: null, invitationExpiresAt: null },
    });
    const row = claimed[0];
    if (!row) return null;
    await tx.session.deleteMany({ where: { partnerId: row.id } });
    await recordAudit(tx, { workspaceId: row.workspaceId, actor: partnerActor(row), action: 'partner.password_reset', entityType: 'partner', entityId: row.id });
    return row;
  });
  if (!partner) throw badRequest('reset_link_invalid', 'This password reset link is not valid any more: it was used already or it expired. Ask for a new one.');
  return partner;
}
