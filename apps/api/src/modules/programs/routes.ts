import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateProgramInput, Id, Program, ProgramListQuery, UpdateProgramInput, pageOf } from '@codetrack/contracts';
import { authErrors, errorResponses } from '../../lib/schemas.ts';
import { createProgram, findProgramOrThrow, listPrograms, setProgramStatusOrThrow, toProgramDto, updateProgramOrThrow } from './service.ts';

const params = z.object({ programId: Id });

export const programRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/programs',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['programs'], summary: 'Programs of the workspace, newest first', querystring: ProgramListQuery, response: { 200: pageOf(Program), ...authErrors } },
    },
    async (req) => listPrograms(req.tenant, req.query),
  );

  app.post(
    '/api/programs',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['programs'], summary: 'Create a program', body: CreateProgramInput, response: { 201: Program, ...authErrors } },
    },
    async (req, reply) => reply.status(201).send(await createProgram(req.tenant, req.principal!, req.body)),
  );

  app.get(
    '/api/programs/:programId',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['programs'], summary: 'One program', params, response: { 200: Program, ...authErrors } },
    },
    async (req) => toProgramDto(await findProgramOrThrow(req.tenant, req.params.programId)),
  );

  app.patch(
    '/api/programs/:programId',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['programs'], summary: 'Change program settings', params, body: UpdateProgramInput, response: { 200: Program, ...authErrors, ...errorResponses(409) } },
    },
    async (req) => updateProgramOrThrow(req.tenant, req.principal!, req.params.programId, req.body),
  );

  app.post(
    '/api/programs/:programId/archive',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['programs'], summary: 'Archive a program (it keeps its data and stops accepting changes)', params, response: { 200: Program, ...authErrors } },
    },
    async (req) => setProgramStatusOrThrow(req.tenant, req.principal!, req.params.programId, 'archived'),
  );

  app.post(
    '/api/programs/:programId/unarchive',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['programs'], summary: 'Make an archived program active again', params, response: { 200: Program, ...authErrors } },
    },
    async (req) => setProgramStatusOrThrow(req.tenant, req.principal!, req.params.programId, 'active'),
  );
};
