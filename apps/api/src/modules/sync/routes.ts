import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const syncRoutes: FastifyPluginAsyncZod = async () => undefined;
