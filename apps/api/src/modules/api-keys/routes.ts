import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiKey, CreateApiKeyInput, CreatedApiKey, Id } from '@codetrack/contracts';
import { authErrors } from '../../lib/schemas.ts';
import { createApiKey, listApiKeys, revokeApiKeyOrThrow } from './service.ts';

export const apiKeyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/api-keys',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['api-keys'], summary: 'List API keys (never the keys themselves)', response: { 200: z.object({ items: z.array(ApiKey) }), ...authErrors } },
    },
    async (req) => ({ items: await listApiKeys(req.tenant) }),
  );

  app.post(
    '/api/api-keys',
    {
      config: { access: { merchant: 'admin' } },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the key is in this response only',
        body: CreateApiKeyInput,
        response: { 201: CreatedApiKey, ...authErrors },
      },
    },
    async (req, reply) => reply.status(201).send(await createApiKey(req.tenant, req.principal!, req.body)),
  );

  app.delete(
    '/api/api-keys/:apiKeyId',
    {
      config: { access: { merchant: 'admin' } },
      schema: { tags: ['api-keys'], summary: 'Revoke an API key', params: z.object({ apiKeyId: Id }), response: { 200: ApiKey, ...authErrors } },
    },
    async (req) => revokeApiKeyOrThrow(req.tenant, req.principal!, req.params.apiKeyId),
  );
};
