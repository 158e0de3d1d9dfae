import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';

const Health = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.enum(['ok', 'failed'])).optional() });

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

export const healthRoutes: FastifyPluginAsyncZod<{ redis: Redis }> = async (app, opts) => {
  app.get(
    '/healthz',
    { config: { access: 'public' }, schema: { tags: ['health'], summary: 'The process is up', response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: { tags: ['health'], summary: 'Postgres and Redis are reachable', response: { 200: Health, 503: Health } },
    },
    async (_req, reply) => {
      const [database, redis] = await Promise.all([
        withTimeout(app.rawDb.$queryRaw`SELECT 1`, 2000).then(() => 'ok' as const, () => 'failed' as const),
        withTimeout(opts.redis.ping(), 2000).then(() => 'ok' as const, () => 'failed' as const),
      ]);
      const ok = database === 'ok' && redis === 'ok';
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks: { database, redis } });
    },
  );
};
