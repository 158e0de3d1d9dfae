import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '../../..');

/**
 * Starts scripts/e2e-stack.ts (fresh database, Redis prefix, Stripe emulator, API, worker, built
 * admin app) and hands its URLs to the tests as E2E_STACK. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['scripts/e2e-stack.ts', '--admin'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: process.env,
  });
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise<string>((resolveInfo, reject) => {
    const timer = setTimeout(() => reject(new Error('scripts/e2e-stack.ts did not report its URLs within 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`scripts/e2e-stack.ts exited with ${code} before it was ready (see its output above)`)));
    lines.on('line', (line) => {
      if (line.startsWith('E2E_STACK=')) {
        clearTimeout(timer);
        resolveInfo(line.slice('E2E_STACK='.length));
      }
    });
  });
  process.env.E2E_STACK = info;

  return async () => {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 15_000))]);
  };
}
