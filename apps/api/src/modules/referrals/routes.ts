import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../lib/schemas.ts';
import { TRACKING_SCRIPT, VISITOR_COOKIE, buildRedirectTarget, createVisitorId, findReferralTargetOrThrow, isVisitorId, recordClick } from './service.ts';

const params = z.object({ referralKey: z.string().min(1).max(100) });
// A bad `to` must not break the link: anything unusable is dropped, not answered with 400.
const query = z.object({ to: z.string().max(2000).optional().catch(undefined) });

export const referralRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/r/:referralKey',
    {
      config: { access: 'public' },
      schema: {
        tags: ['referrals'],
        summary: 'Referral link: records the click, sets the ct_vid cookie and redirects to the landing page',
        params,
        querystring: query,
        response: { 302: z.null().describe('Redirect to the landing URL with ref and ct_vid'), ...errorResponses(400, 404) },
      },
    },
    async (req, reply) => {
      const { key, partner, program } = await findReferralTargetOrThrow(app.rawDb, req.params.referralKey);
      const existing = req.cookies[VISITOR_COOKIE];
      const visitorId = isVisitorId(existing) ? existing : createVisitorId();
      const target = buildRedirectTarget(program.landingUrl, req.query.to, { ref: key, visitorId });
      // Link checkers and previews often send HEAD; only a real visit counts as a click.
      if (req.method === 'GET') {
        await recordClick(app.rawDb, {
          workspaceId: partner.workspaceId,
          programId: program.id,
          partnerId: partner.id,
          visitorId,
          landingUrl: target,
          referrer: req.headers.referer,
        });
      }
      reply.setCookie(VISITOR_COOKIE, visitorId, {
        path: '/',
        maxAge: program.cookieLifetimeDays * 86_400,
        sameSite: 'lax',
        // The merchant's page script reads it, so it cannot be httpOnly.
        httpOnly: false,
        secure: app.config.secureCookies,
      });
      // Every visit must reach us to be counted, so no cache may replay the redirect.
      return reply.header('cache-control', 'no-store').redirect(target, 302);
    },
  );

  app.get(
    '/t.js',
    {
      config: { access: 'public' },
      schema: {
        tags: ['referrals'],
        summary: "Script for the merchant's pages: keeps the visitor id and exposes window.Codetrack.visitorId()",
        produces: ['application/javascript'],
        response: { 200: z.string().describe('application/javascript') },
      },
    },
    async (_req, reply) =>
      reply
        .header('content-type', 'application/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        // Helmet's default (same-origin) would stop the merchant's pages from loading it.
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(TRACKING_SCRIPT),
  );
};
