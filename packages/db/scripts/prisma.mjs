#!/usr/bin/env node
// Runs the Prisma CLI the way it works on machines that reach only the npm registry: the schema
// engine runs as WebAssembly through our driver adapter (prisma.config.ts), native engine
// downloads are disabled, and long timers the JS engine leaves behind are unref'd so the CLI
// exits when it is done instead of lingering for up to a minute.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
const preload = pathToFileURL(join(here, 'unref-timers.mjs')).href;

// The schema's datasource must name a URL even when the embedded database is used; the adapter in
// prisma.config.ts decides what is really opened.
const embedded = !process.env.DATABASE_URL;
const databaseEnv = embedded
  ? { DATABASE_URL: 'postgres://embedded.invalid/pglite', CODETRACK_EMBEDDED_DB: '1' }
  : { CODETRACK_EMBEDDED_DB: '' };

const child = spawn(
  process.execPath,
  ['--import', preload, '--import', 'tsx', cli, ...process.argv.slice(2)],
  {
    cwd: join(here, '..'),
    stdio: 'inherit',
    env: {
      ...process.env,
      ...databaseEnv,
      PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false',
      PRISMA_QUERY_ENGINE_LIBRARY: '/bin/false',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
