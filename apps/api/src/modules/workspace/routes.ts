import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '@codetrack/contracts';
import { recordAudit } from '../../lib/audit.ts';
import { authErrors } from '../../lib/schemas.ts';

const Workspace = z.object({ id: Id, name: z.string(), reservedWords: z.array(z.string()) }).meta({ id: 'Workspace' });
const UpdateWorkspaceInput = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  /** Words no promotion code may contain, compared case-insensitively. */
  reservedWords: z
    .array(z.string().trim().min(2).max(32).regex(/^[A-Za-z0-9_-]+$/, 'may hold letters, digits, - and _ only'))
    .max(500)
    .transform((words) => [...new Set(words.map((w) => w.toUpperCase()))])
    .optional(),
});

export const workspaceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/workspace',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['workspace'], summary: 'Workspace settings', response: { 200: Workspace, ...authErrors } },
    },
    async (req) => {
      const ws = await req.tenant.workspace.findFirstOrThrow();
      return { id: ws.id, name: ws.name, reservedWords: ws.reservedWords };
    },
  );

  app.patch(
    '/api/workspace',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['workspace'], summary: 'Change workspace settings', body: UpdateWorkspaceInput, response: { 200: Workspace, ...authErrors } },
    },
    async (req) => {
      const principal = req.principal!;
      const ws = await req.tenant.workspace.update({ where: { id: principal.workspaceId }, data: req.body });
      await recordAudit(req.tenant, { workspaceId: ws.id, actor: principal, action: 'workspace.updated', entityType: 'workspace', entityId: ws.id, data: req.body });
      return { id: ws.id, name: ws.name, reservedWords: ws.reservedWords };
    },
  );
};
