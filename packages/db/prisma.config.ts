import { defineConfig } from 'prisma/config';
import { createAdapterFactory } from './src/adapters.ts';

// Prisma's schema engine runs as WebAssembly through a driver adapter: no native engine is ever
// downloaded. With DATABASE_URL it talks to Postgres, without it to the embedded PGlite folder.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: '../../prisma/schema.prisma',
  migrations: { path: '../../prisma/migrations', seed: 'tsx ../../prisma/seed.ts' },
  adapter: async () =>
    createAdapterFactory({
      databaseUrl: process.env.CODETRACK_EMBEDDED_DB ? undefined : process.env.DATABASE_URL,
      dataDir: process.env.PGLITE_DIR,
    }),
});
