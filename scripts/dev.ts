// `npm start`: the whole product on this machine. API and worker run in this process (PGlite,
// the embedded default, allows one process per data folder), admin and portal as Vite servers.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { loadApiConfig } from '../apps/api/src/config.ts';
import { startApi } from '../apps/api/src/main.ts';
import { loadWorkerConfig } from '../apps/worker/src/config.ts';
import { startWorker } from '../apps/worker/src/main.ts';
import { createPrismaClient, defaultPgliteDir, demoLogins, migrateDatabase, seedDemo } from '../packages/db/src/index.ts';
import { resolveRedis } from './services.ts';

const root = join(import.meta.dirname, '..');
const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];

async function main() {
  const redis = await resolveRedis(process.env.REDIS_URL);
  if (redis.child) children.push(redis.child);
  const env = { ...process.env, REDIS_URL: redis.url };
  const apiConfig = loadApiConfig(env);
  const workerConfig = loadWorkerConfig(env);
  const target = apiConfig.database.databaseUrl
    ? { databaseUrl: apiConfig.database.databaseUrl }
    : { dataDir: apiConfig.database.dataDir ?? defaultPgliteDir };

  console.log(target.databaseUrl ? 'Database: Postgres (DATABASE_URL)' : `Database: embedded PGlite in ${target.dataDir}`);
  console.log('Applying migrations ...');
  await migrateDatabase(target);
  const db = createPrismaClient({ ...target, poolSize: apiConfig.database.poolSize });
  const seeded = await seedDemo(db);

  const worker = await startWorker(workerConfig, { db });
  const api = await startApi(apiConfig, { db });
  closers.push(api.close, worker.close, () => db.$disconnect());

  const apiUrl = `http://${apiConfig.host}:${apiConfig.port}`;
  for (const [name, port] of [['admin', 5173], ['portal', 5174]] as const) {
    const child = spawn('pnpm', ['--filter', `@codetrack/${name}`, 'exec', 'vite', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--clearScreen', 'false', '--logLevel', 'warn'], {
      cwd: root,
      env: { ...process.env, API_URL: apiUrl },
      stdio: 'inherit',
    });
    children.push(child);
  }

  console.log(`
Codetrack is running.
  Admin app      http://127.0.0.1:5173
  Partner portal http://127.0.0.1:5174/?program=${seeded.programId}
  API            ${apiUrl}   (OpenAPI: ${apiUrl}/docs)
  Redis          ${redis.url}

Demo merchant: ${demoLogins.merchant.email} / ${demoLogins.merchant.password}
Demo partners: ${demoLogins.partners.map((p) => p.email).join(', ')} / ${demoLogins.partnerPassword}
Press Ctrl+C to stop.`);
}

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  for (const close of closers) await close().catch((err) => console.error(err));
  process.exit(code);
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  void stop(1);
});
