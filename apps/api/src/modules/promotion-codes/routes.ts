import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const promotionCodeRoutes: FastifyPluginAsyncZod = async () => undefined;
