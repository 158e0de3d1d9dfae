import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AddMemberInput, Id, Member, UpdateMemberInput } from '@codetrack/contracts';
import { authErrors, errorResponses } from '../../lib/schemas.ts';
import { addMember, listMembers, removeMemberOrThrow, updateMemberOrThrow } from './service.ts';

const params = z.object({ memberId: Id });

export const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/members',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['members'], summary: 'Members of the workspace and their roles', response: { 200: z.object({ items: z.array(Member) }), ...authErrors } },
    },
    async (req) => ({ items: await listMembers(req.tenant) }),
  );

  app.post(
    '/api/members',
    {
      config: { access: { merchant: 'owner' } },
      schema: {
        tags: ['members'],
        summary: 'Give an existing user a role in this workspace',
        body: AddMemberInput,
        response: { 201: Member, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req, reply) => reply.status(201).send(await addMember(app.rawDb, req.tenant, req.principal!, req.body)),
  );

  app.patch(
    '/api/members/:memberId',
    {
      config: { access: { merchant: 'owner' } },
      schema: { tags: ['members'], summary: 'Change a member role', params, body: UpdateMemberInput, response: { 200: Member, ...authErrors, ...errorResponses(409) } },
    },
    async (req) => updateMemberOrThrow(req.tenant, req.principal!, req.params.memberId, req.body.role),
  );

  app.delete(
    '/api/members/:memberId',
    {
      config: { access: { merchant: 'owner' } },
      schema: { tags: ['members'], summary: 'Remove a member', params, response: { 204: z.null(), ...authErrors, ...errorResponses(409) } },
    },
    async (req, reply) => {
      await removeMemberOrThrow(req.tenant, req.principal!, req.params.memberId);
      return reply.status(204).send(null);
    },
  );
};
