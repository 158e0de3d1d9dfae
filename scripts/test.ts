// `npm test`: every test of the workspace on real Postgres and Redis (Vitest), then the SPAs are
// built and the Playwright end-to-end tests run in Debian's Chromium against the real stack, then
// the quick variants of the proof suite (`pnpm bench --quick`, `pnpm faults --quick`: correctness
// of every benchmark and of the fault-injection run in about two minutes; their speed targets are
// judged only by the full runs). Arguments go to Vitest alone, so
// `npm test -- apps/api/src/modules/auth/routes.test.ts` runs one file (add `--e2e` to also run the
// browser tests after it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, resolveRedis } from './services.ts';

const root = join(import.meta.dirname, '..');
const chromium = '/usr/bin/chromium';
const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function main() {
  const { hostname, port } = new URL(databaseUrl);
  if (!(await canConnect(hostname, Number(port || 5432)))) {
    console.error(
      [
        `Postgres is needed for the tests and ${hostname}:${port || 5432} does not answer.`,
        '  - set TEST_DATABASE_URL to a server where the user may create databases, or',
        '  - start one with Docker:          docker compose up -d postgres',
        '  - or install it (Debian/Ubuntu):  sudo apt-get install -y postgresql && sudo service postgresql start',
      ].join('\n'),
    );
    return 1;
  }
  const redis = await resolveRedis(process.env.TEST_REDIS_URL ?? process.env.REDIS_URL);
  const env = { ...process.env, TEST_DATABASE_URL: databaseUrl, TEST_REDIS_URL: redis.url };
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;
  const args = process.argv.slice(2).filter((a) => a !== '--e2e');
  const coverageOnly = args.every((a) => a === '--coverage');
  const e2e = coverageOnly || process.argv.includes('--e2e');
  try {
    const unit = run('pnpm', ['exec', 'vitest', 'run', ...args]);
    if (unit !== 0 || !e2e) return unit;
    if (!existsSync(chromium)) {
      console.error(`The browser tests need Debian's Chromium at ${chromium}: sudo apt-get install -y chromium`);
      return 1;
    }
    console.log('\n== building the admin app and the partner portal');
    if (run('pnpm', ['--filter', '@codetrack/admin', '--filter', '@codetrack/portal', 'build']) !== 0) return 1;
    if (run('pnpm', ['--filter', '@codetrack/admin', '--filter', '@codetrack/portal', 'size']) !== 0) return 1;
    console.log('\n== Playwright: merchant admin app');
    const admin = run('pnpm', ['--filter', '@codetrack/admin', 'e2e']);
    console.log('\n== Playwright: partner portal');
    const portal = run('pnpm', ['--filter', '@codetrack/portal', 'e2e']);
    if (admin || portal) return admin || portal;
    console.log('\n== proof suite, quick variants: pnpm bench --quick');
    const bench = run('pnpm', ['bench', '--quick']);
    console.log('\n== proof suite, quick variants: pnpm faults --quick');
    const faults = run('pnpm', ['faults', '--quick']);
    return bench || faults;
  } finally {
    redis.child?.kill();
  }
}

process.exit(await main());
