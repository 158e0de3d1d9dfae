import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DevMailbox, DevMailboxQuery } from '@codetrack/contracts';
import { errorResponses, toIso } from '../../lib/schemas.ts';

/**
 * Development-only routes. app.ts registers this plugin only outside production, so in production
 * these paths do not exist at all (404), rather than existing behind a check that could be missed.
 */
export const devRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/dev/mailbox',
    {
      config: { access: 'public' },
      schema: {
        tags: ['development'],
        summary: 'Mail the API would have sent, newest first (development only; not in production)',
        querystring: DevMailboxQuery,
        response: { 200: DevMailbox, ...errorResponses(400) },
      },
    },
    async (req) => {
      const rows = await app.rawDb.mailMessage.findMany({
        where: req.query.to ? { to: req.query.to } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: req.query.limit,
      });
      return { items: rows.map((m) => ({ id: m.id, to: m.to, subject: m.subject, text: m.text, html: m.html, createdAt: toIso(m.createdAt) })) };
    },
  );
};
