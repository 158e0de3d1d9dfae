import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '@codetrack/contracts';
import { scopeToWorkspace, type Db, type TenantDb } from '@codetrack/db';
import { AppError, forbidden, unauthorized } from '../lib/errors.ts';
import { hashToken } from '../lib/tokens.ts';

export const SESSION_COOKIE = 'ct_session';
export const PORTAL_COOKIE = 'ct_portal';
export const API_KEY_PREFIX = 'ctk_';

export type Principal =
  | { kind: 'user'; userId: string; workspaceId: string; role: Role; sessionId: string; via: 'cookie' }
  | { kind: 'api_key'; apiKeyId: string; workspaceId: string; role: Role; via: 'bearer' }
  | { kind: 'partner'; partnerId: string; programId: string; workspaceId: string; sessionId: string; via: 'cookie' };

/** Who may call a route. Every route declares it; a route without it is refused (secure default). */
export type Access = 'public' | 'partner' | { merchant: Role };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The tenant-scoped database accessor for the signed-in workspace. */
    tenant: TenantDb;
  }
  interface FastifyInstance {
    /** The unscoped client: only for code that runs before a tenant is known (sign-in, webhooks). */
    rawDb: Db;
  }
}

const rank: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 };
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function roleAtLeast(role: Role, needed: Role) {
  return rank[role] >= rank[needed];
}

async function resolveMerchant(app: FastifyInstance, req: FastifyRequest): Promise<Principal | null> {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]?.startsWith(API_KEY_PREFIX)) throw unauthorized('The Authorization header must be "Bearer <API key>"');
    const key = await app.rawDb.apiKey.findUnique({ where: { hash: hashToken(match[1]) } });
    if (!key || key.revokedAt) throw unauthorized('This API key is not valid');
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
      await app.rawDb.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
    }
    return { kind: 'api_key', apiKeyId: key.id, workspaceId: key.workspaceId, role: key.role, via: 'bearer' };
  }
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return null;
  const session = await app.rawDb.session.findUnique({ where: { id: hashToken(token) } });
  if (!session || session.kind !== 'merchant' || !session.userId || session.expiresAt <= new Date()) return null;
  const membership = await app.rawDb.membership.findUnique({
    where: { workspaceId_userId: { workspaceId: session.workspaceId, userId: session.userId } },
  });
  if (!membership) return null;
  return { kind: 'user', userId: session.userId, workspaceId: session.workspaceId, role: membership.role, sessionId: session.id, via: 'cookie' };
}

async function resolvePartner(app: FastifyInstance, req: FastifyRequest): Promise<Principal | null> {
  const token = req.cookies[PORTAL_COOKIE];
  if (!token) return null;
  const session = await app.rawDb.session.findUnique({ where: { id: hashToken(token) }, include: { partner: true } });
  if (!session || session.kind !== 'partner' || !session.partner || session.expiresAt <= new Date()) return null;
  if (session.partner.status === 'suspended') return null;
  return {
    kind: 'partner',
    partnerId: session.partner.id,
    programId: session.partner.programId,
    workspaceId: session.workspaceId,
    sessionId: session.id,
    via: 'cookie',
  };
}

/**
 * The one place that decides who is calling and what they may do: resolves the principal from an
 * API key, a merchant session or a partner session, enforces the route's declared access and
 * role, requires the CSRF token on unsafe cookie-authenticated requests, and hands the route a
 * database accessor scoped to the caller's workspace.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db }) => {
    app.decorate('rawDb', opts.db);
    app.decorateRequest('principal', null);
    const tenants = new WeakMap<FastifyRequest, TenantDb>();
    app.decorateRequest('tenant', {
      getter(this: FastifyRequest) {
        const principal = this.principal;
        if (!principal) throw unauthorized();
        let scoped = tenants.get(this);
        if (!scoped) {
          scoped = scopeToWorkspace(app.rawDb, principal.workspaceId);
          tenants.set(this, scoped);
        }
        return scoped;
      },
    });

    app.addHook('onRoute', (route) => {
      if (!route.config?.access && !route.url.startsWith('/docs')) {
        throw new Error(`Route ${route.method} ${route.url} declares no access rule`);
      }
    });

    app.addHook('onRequest', async (req: FastifyRequest) => {
      const access = req.routeOptions.config?.access;
      if (!access || access === 'public') return;
      if (access === 'partner') {
        req.principal = await resolvePartner(app, req);
        if (!req.principal) {
          if (req.cookies[SESSION_COOKIE] || req.headers.authorization) throw new AppError(403, 'forbidden', 'This route is for partners; sign in to the partner portal');
          throw unauthorized('Sign in to the partner portal first');
        }
        return;
      }
      const principal = await resolveMerchant(app, req);
      if (!principal) throw unauthorized();
      req.principal = principal;
      if (principal.kind === 'partner' || !roleAtLeast(principal.role, access.merchant)) {
        throw forbidden(`This action needs the ${access.merchant} role or higher`);
      }
    });

    // Cookies are sent by the browser on its own, so every unsafe request they authenticate must
    // also carry the CSRF token bound to that session. API keys are not ambient: no token needed.
    app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      if (req.principal?.via === 'cookie' && !safeMethods.has(req.method)) {
        app.csrfProtection(req, reply, done);
        return;
      }
      done();
    });
  },
  { name: 'auth', dependencies: ['@fastify/cookie', '@fastify/csrf-protection'] },
);
