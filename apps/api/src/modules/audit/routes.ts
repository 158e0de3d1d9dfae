import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditEntry, PageQuery, pageOf } from '@codetrack/contracts';
import { afterCursor, decodeCursor, pageFrom } from '../../lib/cursor.ts';
import { authErrors, toIso } from '../../lib/schemas.ts';

const AuditQuery = PageQuery.extend({
  entityType: z.string().max(64).optional(),
  entityId: z.string().max(64).optional(),
});

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit-log',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['audit'], summary: 'Who did what, newest first', querystring: AuditQuery, response: { 200: pageOf(AuditEntry), ...authErrors } },
    },
    async (req) => {
      const { limit, cursor, entityType, entityId } = req.query;
      const rows = await req.tenant.auditLog.findMany({
        where: { ...afterCursor(decodeCursor(cursor)), ...(entityType ? { entityType } : {}), ...(entityId ? { entityId } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      });
      const page = pageFrom(rows, limit);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((r) => ({ ...r, data: r.data ?? null, createdAt: toIso(r.createdAt) })),
      };
    },
  );
};
