import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Connection, ConnectionListQuery, CreateConnectionInput, Id, UpdateConnectionInput, pageOf } from '@codetrack/contracts';
import { authErrors, errorResponses } from '../../lib/schemas.ts';
import {
  createConnection,
  disableConnectionOrThrow,
  findConnectionOrThrow,
  listConnections,
  toConnectionDto,
  updateConnectionOrThrow,
  verifyConnectionOrThrow,
  type ConnectionDeps,
} from './service.ts';

const programParams = z.object({ programId: Id });
const params = z.object({ programId: Id, connectionId: Id });

export const connectionRoutes: FastifyPluginAsyncZod = async (app) => {
  const depsFor = (req: FastifyRequest): ConnectionDeps => ({ keys: app.config.encryptionKeys, publicUrl: app.config.publicUrl, log: req.log });

  app.get(
    '/api/programs/:programId/connections',
    {
      config: { access: { merchant: 'viewer' } },
      schema: {
        tags: ['connections'],
        summary: 'Platform connections of a program, newest first',
        params: programParams,
        querystring: ConnectionListQuery,
        response: { 200: pageOf(Connection), ...authErrors },
      },
    },
    async (req) => listConnections(req.tenant, req.params.programId, req.query, app.config.publicUrl),
  );

  app.post(
    '/api/programs/:programId/connections',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['connections'],
        summary: 'Connect a payment platform account',
        description:
          'Checks the credentials with one authenticated call and stores the connection either way: `connected`, or `error` with the reason in `lastError`. Credentials and secrets are encrypted and never returned. The response names the webhook URL and the events to enable on the platform.',
        params: programParams,
        body: CreateConnectionInput,
        response: { 201: Connection, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req, reply) => reply.status(201).send(await createConnection(req.tenant, req.principal!, req.params.programId, req.body, depsFor(req))),
  );

  app.get(
    '/api/programs/:programId/connections/:connectionId',
    {
      config: { access: { merchant: 'viewer' } },
      schema: { tags: ['connections'], summary: 'One connection', params, response: { 200: Connection, ...authErrors } },
    },
    async (req) => toConnectionDto(await findConnectionOrThrow(req.tenant, req.params.programId, req.params.connectionId), app.config.publicUrl),
  );

  app.patch(
    '/api/programs/:programId/connections/:connectionId',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['connections'],
        summary: 'Rename a connection, change its API address, or rotate its credentials and webhook secret',
        description: '`platform` must be the connection\'s own. Any change besides the name re-runs the credential check.',
        params,
        body: UpdateConnectionInput,
        response: { 200: Connection, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req) => updateConnectionOrThrow(req.tenant, req.principal!, req.params.programId, req.params.connectionId, req.body, depsFor(req)),
  );

  app.post(
    '/api/programs/:programId/connections/:connectionId/verify',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['connections'],
        summary: 'Check the stored credentials again',
        params,
        response: { 200: Connection, ...authErrors, ...errorResponses(409) },
      },
    },
    async (req) => verifyConnectionOrThrow(req.tenant, req.principal!, req.params.programId, req.params.connectionId, depsFor(req)),
  );

  app.delete(
    '/api/programs/:programId/connections/:connectionId',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['connections'],
        summary: 'Disable a connection',
        description:
          'Stops syncing and refuses its webhooks; the connection stays (status `disabled`) for the history of its sales. Codes already created on the platform are not deleted: deactivate them in the platform if needed.',
        params,
        response: { 200: Connection, ...authErrors },
      },
    },
    async (req) => disableConnectionOrThrow(req.tenant, req.principal!, req.params.programId, req.params.connectionId, app.config.publicUrl),
  );
};
