import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginInput, Me, SignupInput } from '@codetrack/contracts';
import { errorResponses } from '../../lib/schemas.ts';
import { SESSION_COOKIE } from '../../plugins/auth.ts';
import { authenticate, describeMe, endSession, signUp, startSession, type SessionSettings } from './service.ts';

type Limit = { max: number; windowMs: number };
export type AuthRouteOptions = { session: SessionSettings; loginRateLimit: Limit; signupRateLimit: Limit };

export const authRoutes: FastifyPluginAsyncZod<AuthRouteOptions> = async (app, opts) => {
  const db = app.rawDb;

  app.post(
    '/api/auth/signup',
    {
      config: {
        access: 'public',
        rateLimit: { max: opts.signupRateLimit.max, timeWindow: opts.signupRateLimit.windowMs },
      },
      schema: {
        tags: ['auth'],
        summary: 'Create an account and its workspace, and sign in',
        body: SignupInput,
        response: { 201: Me, ...errorResponses(400, 409, 429) },
      },
    },
    async (req, reply) => {
      const { user, workspaceId } = await signUp(db, req.body);
      const sessionId = await startSession(db, reply, { userId: user.id, workspaceId }, opts.session);
      const csrfToken = reply.generateCsrf({ userInfo: sessionId });
      return reply.status(201).send(await describeMe(db, { userId: user.id, workspaceId, csrfToken }));
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: {
        access: 'public',
        // Keyed by address and email, so guessing one account's password is slowed without
        // locking everyone behind a shared address out.
        rateLimit: {
          max: opts.loginRateLimit.max,
          timeWindow: opts.loginRateLimit.windowMs,
          keyGenerator: (req) => `login:${req.ip}:${String((req.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: LoginInput,
        response: { 200: Me, ...errorResponses(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const { user, workspaceId } = await authenticate(db, req.body);
      const sessionId = await startSession(db, reply, { userId: user.id, workspaceId }, opts.session);
      const csrfToken = reply.generateCsrf({ userInfo: sessionId });
      return describeMe(db, { userId: user.id, workspaceId, csrfToken });
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: { merchant: 'viewer' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign out (ends the session)',
        response: { 204: z.null(), ...errorResponses(401, 403) },
      },
    },
    async (req, reply) => {
      if (req.principal?.kind === 'user') await endSession(db, req.principal.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      config: { access: { merchant: 'viewer' } },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, workspace, role and CSRF token',
        response: { 200: Me, ...errorResponses(401, 403) },
      },
    },
    async (req, reply) => {
      const principal = req.principal;
      if (principal?.kind === 'api_key') {
        const workspace = await req.tenant.workspace.findFirstOrThrow();
        return {
          user: { id: principal.apiKeyId, email: '', name: 'API key' },
          workspace: { id: workspace.id, name: workspace.name },
          role: principal.role,
          csrfToken: null,
          workspaces: [{ id: workspace.id, name: workspace.name, role: principal.role }],
        };
      }
      if (principal?.kind !== 'user') throw new Error('unreachable: merchant access');
      const csrfToken = reply.generateCsrf({ userInfo: principal.sessionId });
      return describeMe(db, { userId: principal.userId, workspaceId: principal.workspaceId, csrfToken });
    },
  );
};
