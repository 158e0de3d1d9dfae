#!/usr/bin/env node
// The two front-door commands (`npm start`, `npm test`) on a machine that has only Node.js:
// installs pnpm and the workspace's packages when they are missing, then hands over to the
// real runner. Plain JavaScript with no dependencies, because nothing is installed yet.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function hasPnpm() {
  const result = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() === pnpmVersion;
}

function ensurePnpm() {
  if (hasPnpm()) return;
  console.log(`Installing pnpm ${pnpmVersion} (npm i -g pnpm@${pnpmVersion}) ...`);
  if (run('npm', ['install', '--global', `pnpm@${pnpmVersion}`]) !== 0 || !hasPnpm()) {
    console.error(`Could not install pnpm ${pnpmVersion}. Install it yourself with: npm i -g pnpm@${pnpmVersion}`);
    process.exit(1);
  }
}

function ensurePackages() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  const generated = join(root, 'packages', 'db', 'src', 'generated', 'prisma', 'client.ts');
  const fresh = existsSync(marker) && existsSync(generated) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) return;
  console.log('Installing packages (pnpm install --frozen-lockfile) ...');
  if (run('pnpm', ['install', '--frozen-lockfile']) !== 0) process.exit(1);
}

const command = process.argv[2];
const rest = process.argv.slice(3);
ensurePnpm();
ensurePackages();
const script = command === 'test' ? 'scripts/test.ts' : 'scripts/dev.ts';
process.exit(run('pnpm', ['exec', 'tsx', script, ...rest]));
