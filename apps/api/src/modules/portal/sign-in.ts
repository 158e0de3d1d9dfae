import type { FastifyReply } from 'fastify';
import type { PortalLoginInput, PortalMe, PortalProgram } from '@codetrack/contracts';
import { verifyPassword, type Db, type Partner, type Program } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { createToken, hashToken } from '../../lib/tokens.ts';
import { PORTAL_COOKIE } from '../../plugins/auth.ts';

export type SessionSettings = { ttlMs: number; secureCookies: boolean };

/** One message for every failure, so a sign-in attempt never learns which part was wrong or
 * whether the partner is suspended. */
const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'The email or password is not correct');

export function toPortalProgram(program: Pick<Program, 'id' | 'name' | 'portalLogoUrl' | 'portalAccentColor'>): PortalProgram {
  return { id: program.id, name: program.name, logoUrl: program.portalLogoUrl, accentColor: program.portalAccentColor };
}

/** The public branding of a program for its sign-in page; archived programs are not shown. */
export async function findPortalProgramOrThrow(db: Db, programId: string): Promise<PortalProgram> {
  const program = await db.program.findUnique({ where: { id: programId } });
  if (!program || program.status === 'archived') throw notFound('Program');
  return toPortalProgram(program);
}

/** Checks a partner's credentials in one program without saying which part was wrong. */
export async function authenticatePartner(db: Db, input: PortalLoginInput) {
  const partner = await db.partner.findUnique({ where: { programId_email: { programId: input.programId, email: input.email } } });
  // Verified even without a partner or a password, so every failure takes the same time.
  const ok = await verifyPassword(partner?.passwordHash, input.password);
  if (!partner || !ok || partner.status !== 'active') throw invalidCredentials();
  await recordAudit(db, {
    workspaceId: partner.workspaceId,
    actor: { kind: 'partner', partnerId: partner.id, programId: partner.programId, workspaceId: partner.workspaceId, sessionId: '', via: 'cookie' },
    action: 'partner.signed_in',
    entityType: 'partner',
    entityId: partner.id,
  });
  return partner;
}

/** Stores a new partner session (only its hash) and sets the httpOnly, SameSite portal cookie. */
export async function startPartnerSession(db: Db, reply: FastifyReply, partner: Pick<Partner, 'id' | 'workspaceId'>, settings: SessionSettings) {
  const token = createToken();
  const id = hashToken(token);
  const expiresAt = new Date(Date.now() + settings.ttlMs);
  await db.session.create({ data: { id, kind: 'partner', partnerId: partner.id, workspaceId: partner.workspaceId, expiresAt } });
  reply.setCookie(PORTAL_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: settings.secureCookies, expires: expiresAt });
  return id;
}

export async function endPartnerSession(db: Db, sessionId: string) {
  await db.session.deleteMany({ where: { id: sessionId, kind: 'partner' } });
}

/** The signed-in partner's view of themselves and their program, with a CSRF token bound to the session. */
export async function describePartnerMe(db: Db, partnerId: string, csrfToken: string): Promise<PortalMe> {
  const partner = await db.partner.findUniqueOrThrow({ where: { id: partnerId }, include: { program: true } });
  return {
    partner: { id: partner.id, name: partner.name, email: partner.email, payoutEmail: partner.payoutEmail, status: partner.status },
    program: { ...toPortalProgram(partner.program), currency: partner.program.currency },
    csrfToken,
  };
}
