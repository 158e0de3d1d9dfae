import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DatabaseTarget } from './adapters.ts';

/** Applies the committed migrations (`prisma migrate deploy`) to Postgres or the PGlite folder.
 * Runs the CLI in a child process, so for PGlite call it before this process opens the folder. */
export function migrateDatabase(target: DatabaseTarget): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
  else delete env.DATABASE_URL;
  if (target.dataDir) env.PGLITE_DIR = target.dataDir;
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const child = spawn(process.execPath, [join(import.meta.dirname, '../scripts/prisma.mjs'), 'migrate', 'deploy'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`));
    });
  });
}
