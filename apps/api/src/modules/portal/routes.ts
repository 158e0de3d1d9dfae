import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AcceptInvitationInput,
  Id,
  PasswordResetConfirmInput,
  PasswordResetRequestInput,
  PortalCodes,
  PortalCommissionPage,
  PortalCommissionQuery,
  PortalLoginInput,
  PortalMe,
  PortalPartner,
  PortalProgram,
  PortalStats,
  PortalStatsQuery,
  UpdatePortalProfileInput,
} from '@codetrack/contracts';
import { authErrors, errorResponses } from '../../lib/schemas.ts';
import { PORTAL_COOKIE, type Principal } from '../../plugins/auth.ts';
import { getPartnerStats } from './get-stats.ts';
import { listPartnerCodes } from './list-codes.ts';
import { listPartnerCommissions } from './list-commissions.ts';
import { acceptInvitation, confirmPasswordReset, requestPasswordReset } from './set-password.ts';
import { authenticatePartner, describePartnerMe, endPartnerSession, findPortalProgramOrThrow, startPartnerSession, type SessionSettings } from './sign-in.ts';
import { updatePartnerProfile } from './update-profile.ts';

type Limit = { max: number; windowMs: number };
export type PortalRouteOptions = { session: SessionSettings; loginRateLimit: Limit; signupRateLimit: Limit };

type PartnerPrincipal = Extract<Principal, { kind: 'partner' }>;

/** The partner behind a `config.access: 'partner'` route (the auth plugin has checked it). */
function partnerOf(req: FastifyRequest): PartnerPrincipal {
  if (req.principal?.kind !== 'partner') throw new Error('unreachable: partner access');
  return req.principal;
}

const tags = ['portal'];

/** The partner portal's API: sign-in and passwords, the partner's codes, results and profile. */
export const portalRoutes: FastifyPluginAsyncZod<PortalRouteOptions> = async (app, opts) => {
  const db = app.rawDb;
  // Keyed by address and email like the merchant sign-in: one account's guesses are slowed
  // without locking out everyone behind a shared address.
  const limitPerEmail = (name: string) => ({
    max: opts.loginRateLimit.max,
    timeWindow: opts.loginRateLimit.windowMs,
    keyGenerator: (req: FastifyRequest) => `${name}:${req.ip}:${String((req.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}`,
  });
  // Emailed tokens cannot be guessed; this limit only caps password hashing per address, as sign-up does.
  const limitPerAddress = (name: string) => ({
    max: opts.signupRateLimit.max,
    timeWindow: opts.signupRateLimit.windowMs,
    keyGenerator: (req: FastifyRequest) => `${name}:${req.ip}`,
  });

  app.get(
    '/api/portal/program/:programId',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'A program\'s name, logo and accent colour for its sign-in page', params: z.object({ programId: Id }), response: { 200: PortalProgram, ...errorResponses(400, 404) } },
    },
    async (req) => findPortalProgramOrThrow(db, req.params.programId),
  );

  app.post(
    '/api/portal/login',
    {
      config: { access: 'public', rateLimit: limitPerEmail('portal-login') },
      schema: { tags, summary: 'Sign a partner in to one program', body: PortalLoginInput, response: { 200: PortalMe, ...errorResponses(400, 401, 429) } },
    },
    async (req, reply) => {
      const partner = await authenticatePartner(db, req.body);
      const sessionId = await startPartnerSession(db, reply, partner, opts.session);
      return describePartnerMe(db, partner.id, reply.generateCsrf({ userInfo: sessionId }));
    },
  );

  app.post(
    '/api/portal/logout',
    {
      config: { access: 'partner' },
      schema: { tags, summary: 'Sign the partner out (ends the session)', response: { 204: z.null(), ...errorResponses(401, 403) } },
    },
    async (req, reply) => {
      await endPartnerSession(db, partnerOf(req).sessionId);
      reply.clearCookie(PORTAL_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/portal/me',
    {
      config: { access: 'partner' },
      schema: { tags, summary: 'The signed-in partner, their program\'s branding and a CSRF token', response: { 200: PortalMe, ...errorResponses(401, 403) } },
    },
    async (req, reply) => {
      const partner = partnerOf(req);
      return describePartnerMe(db, partner.partnerId, reply.generateCsrf({ userInfo: partner.sessionId }));
    },
  );

  app.post(
    '/api/portal/invitations/accept',
    {
      config: { access: 'public', rateLimit: limitPerAddress('portal-invitation') },
      schema: { tags, summary: 'Set a password from an invitation link and sign in', body: AcceptInvitationInput, response: { 200: PortalMe, ...errorResponses(400, 429) } },
    },
    async (req, reply) => {
      const partner = await acceptInvitation(db, req.body);
      const sessionId = await startPartnerSession(db, reply, partner, opts.session);
      return describePartnerMe(db, partner.id, reply.generateCsrf({ userInfo: sessionId }));
    },
  );

  app.post(
    '/api/portal/password-reset/request',
    {
      config: { access: 'public', rateLimit: limitPerEmail('portal-reset') },
      schema: {
        tags,
        summary: 'Email a password reset link (always 202, so the answer does not tell who is a partner)',
        body: PasswordResetRequestInput,
        response: { 202: z.null(), ...errorResponses(400, 429) },
      },
    },
    async (req, reply) => {
      await requestPasswordReset(db, app.mailer, app.config.portalUrl, req.body);
      return reply.status(202).send(null);
    },
  );

  app.post(
    '/api/portal/password-reset/confirm',
    {
      config: { access: 'public', rateLimit: limitPerAddress('portal-reset-confirm') },
      schema: { tags, summary: 'Set a new password from a reset link and sign in', body: PasswordResetConfirmInput, response: { 200: PortalMe, ...errorResponses(400, 429) } },
    },
    async (req, reply) => {
      const partner = await confirmPasswordReset(db, req.body);
      const sessionId = await startPartnerSession(db, reply, partner, opts.session);
      return describePartnerMe(db, partner.id, reply.generateCsrf({ userInfo: sessionId }));
    },
  );

  app.get(
    '/api/portal/codes',
    {
      config: { access: 'partner' },
      schema: { tags, summary: 'The partner\'s codes with their discount in plain words, and the referral link', response: { 200: PortalCodes, ...authErrors } },
    },
    async (req) => listPartnerCodes(req.tenant, app.config.publicUrl, partnerOf(req).partnerId),
  );

  app.get(
    '/api/portal/stats',
    {
      config: { access: 'partner' },
      schema: {
        tags,
        summary: 'Clicks, orders, revenue and commissions in a day range, per code and per day',
        querystring: PortalStatsQuery,
        response: { 200: PortalStats, ...authErrors },
      },
    },
    async (req) => getPartnerStats(req.tenant, partnerOf(req), req.query),
  );

  app.get(
    '/api/portal/commissions',
    {
      config: { access: 'partner' },
      schema: { tags, summary: 'The partner\'s commissions, newest first (keyset pages)', querystring: PortalCommissionQuery, response: { 200: PortalCommissionPage, ...authErrors } },
    },
    async (req) => listPartnerCommissions(req.tenant, partnerOf(req).partnerId, req.query),
  );

  app.patch(
    '/api/portal/profile',
    {
      config: { access: 'partner' },
      schema: { tags, summary: 'Change the partner\'s name or payout email', body: UpdatePortalProfileInput, response: { 200: PortalPartner, ...authErrors } },
    },
    async (req) => {
      const partner = await updatePartnerProfile(req.tenant, partnerOf(req), req.body);
      return { id: partner.id, name: partner.name, email: partner.email, payoutEmail: partner.payoutEmail, status: partner.status };
    },
  );
};
