import { Redis } from 'ioredis';
import { createPrismaClient } from '@codetrack/db';
import { JobProducer } from '@codetrack/db/jobs';
import { buildApp } from './app.ts';
import { loadApiConfig } from './config.ts';

/** Starts the API process; stops accepting, drains and closes connections on SIGTERM/SIGINT. */
export async function startApi(config = loadApiConfig(), options: { db?: ReturnType<typeof createPrismaClient> } = {}) {
  const db = options.db ?? createPrismaClient({ ...config.database });
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 2, enableOfflineQueue: false, lazyConnect: false });
  redis.on('error', () => undefined); // /readyz reports it; ioredis reconnects by itself.
  const jobs = new JobProducer({ connection: { url: config.redis.url, maxRetriesPerRequest: 2, enableOfflineQueue: false } as never, prefix: config.redis.prefix });
  const app = await buildApp({ config, db, redis, jobs });
  await app.listen({ host: config.host, port: config.port });

  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    app.log.info('shutting down');
    await app.close();
    await jobs.close();
    redis.disconnect();
    if (!options.db) await db.$disconnect();
  };
  return { app, close };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app, close } = await startApi();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      close().then(
        () => process.exit(0),
        (err) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
