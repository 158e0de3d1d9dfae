// `npm test`: every test of the workspace on real Postgres and Redis. Arguments go to Vitest, so
// `npm test -- apps/api/src/modules/auth/routes.test.ts` runs one file.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { canConnect, resolveRedis } from './services.ts';

const root = join(import.meta.dirname, '..');
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
  try {
    const result = spawnSync('pnpm', ['exec', 'vitest', 'run', ...process.argv.slice(2)], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, TEST_DATABASE_URL: databaseUrl, TEST_REDIS_URL: redis.url },
    });
    return result.status ?? 1;
  } finally {
    redis.child?.kill();
  }
}

process.exit(await main());
