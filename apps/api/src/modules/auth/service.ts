import type { FastifyReply } from 'fastify';
import type { LoginInput, Me, SignupInput } from '@codetrack/contracts';
import { Prisma, type Db } from '@codetrack/db';
import { recordAudit } from '../../lib/audit.ts';
import { AppError, conflict } from '../../lib/errors.ts';
import { hashPassword, verifyPassword } from '@codetrack/db';
import { createToken, hashToken } from '../../lib/tokens.ts';
import { SESSION_COOKIE } from '../../plugins/auth.ts';

export type SessionSettings = { ttlMs: number; secureCookies: boolean };

const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'The email or password is not correct');

/** Creates a user, a workspace and an owner membership in one transaction. */
export async function signUp(db: Db, input: SignupInput) {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
      const workspace = await tx.workspace.create({ data: { name: input.workspaceName } });
      await tx.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role: 'owner' } });
      await recordAudit(tx, { workspaceId: workspace.id, actor: null, action: 'user.signed_up', entityType: 'user', entityId: user.id });
      return { user, workspaceId: workspace.id };
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw conflict('email_taken', 'An account with this email already exists; sign in instead');
    }
    throw err;
  }
}

/** Checks credentials without saying which part was wrong. */
export async function authenticate(db: Db, input: LoginInput) {
  const user = await db.user.findUnique({
    where: { email: input.email },
    include: { memberships: { orderBy: { createdAt: 'asc' } } },
  });
  const ok = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !ok) throw invalidCredentials();
  const membership = input.workspaceId
    ? user.memberships.find((m) => m.workspaceId === input.workspaceId)
    : user.memberships[0];
  if (!membership) throw invalidCredentials();
  await recordAudit(db, {
    workspaceId: membership.workspaceId,
    actor: { kind: 'user', userId: user.id, workspaceId: membership.workspaceId, role: membership.role, sessionId: '', via: 'cookie' },
    action: 'user.signed_in',
    entityType: 'user',
    entityId: user.id,
  });
  return { user, workspaceId: membership.workspaceId };
}

/** Stores a new session (only its hash) and sets the httpOnly, SameSite cookie. */
export async function startSession(db: Db, reply: FastifyReply, input: { userId: string; workspaceId: string }, settings: SessionSettings) {
  const token = createToken();
  const id = hashToken(token);
  const expiresAt = new Date(Date.now() + settings.ttlMs);
  await db.session.create({ data: { id, kind: 'merchant', userId: input.userId, workspaceId: input.workspaceId, expiresAt } });
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secureCookies,
    expires: expiresAt,
  });
  return id;
}

export async function endSession(db: Db, sessionId: string) {
  await db.session.deleteMany({ where: { id: sessionId } });
}

/** The signed-in user's view of themselves, with a CSRF token bound to the session. */
export async function describeMe(db: Db, input: { userId: string; workspaceId: string; csrfToken: string | null }): Promise<Me> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: input.userId },
    include: { memberships: { include: { workspace: true }, orderBy: { createdAt: 'asc' } } },
  });
  const current = user.memberships.find((m) => m.workspaceId === input.workspaceId);
  if (!current) throw new AppError(401, 'unauthorized', 'Sign in first');
  return {
    user: { id: user.id, email: user.email, name: user.name },
    workspace: { id: current.workspace.id, name: current.workspace.name },
    role: current.role,
    csrfToken: input.csrfToken,
    workspaces: user.memberships.map((m) => ({ id: m.workspace.id, name: m.workspace.name, role: m.role })),
  };
}
