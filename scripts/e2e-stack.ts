// The whole product for browser end-to-end tests, in one process, on fresh state:
//
//   - a new Postgres database cloned from the migrated template (packages/db testing helpers,
//     server TEST_DATABASE_URL), dropped again on exit;
//   - its own Redis key prefix (TEST_REDIS_URL), deleted on exit;
//   - the Stripe emulator (packages/testkit) on a free port;
//   - the API and the worker (apps/api startApi, apps/worker startWorker) in this process;
//   - the BUILT SPAs served from their dist folders by a small static server that also proxies
//     /api, /webhooks, /r, /t.js, /docs and /healthz to the API (same origin, as in production
//     behind a reverse proxy, so the session cookie and CSRF work unchanged).
//
// Usage (build the apps first: `pnpm --filter @codetrack/admin build`):
//   tsx scripts/e2e-stack.ts [--admin] [--portal]          (default: --admin)
//
// When everything listens it prints ONE line of JSON on stdout, prefixed with E2E_STACK=, e.g.
//   E2E_STACK={"apiUrl":"http://127.0.0.1:41234","adminUrl":"http://127.0.0.1:41235",
//              "portalUrl":null,"stripe":{"url":"http://127.0.0.1:41236","apiKey":"sk_test_emulator"},
//              "database":"ct_test_…","redisPrefix":"cttest:…"}
// and keeps running until SIGTERM/SIGINT (or stdin closes), then cleans up. Everything else
// (logs) goes to stderr. A Playwright globalSetup spawns it and reads that line; tests send signed
// webhooks themselves with the testkit builders (signedStripeWebhook) to `${apiUrl}/webhooks/…`.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { request as httpRequest, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { loadApiConfig } from '../apps/api/src/config.ts';
import { startApi } from '../apps/api/src/main.ts';
import { loadWorkerConfig } from '../apps/worker/src/config.ts';
import { startWorker } from '../apps/worker/src/main.ts';
import { createPrismaClient } from '../packages/db/src/index.ts';
import { createTestDatabase, createTestRedisPrefix, prepareTemplateDatabase, testRedisUrl } from '../packages/db/src/testing/index.ts';
import { startStripeEmulator } from '../packages/testkit/src/index.ts';

const root = resolve(import.meta.dirname, '..');
const proxied = /^\/(api|webhooks|r|docs|healthz|readyz)(\/|\?|$)|^\/t\.js(\?|$)/;
const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const cleanups: (() => Promise<unknown>)[] = [];

/** A port nobody listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

function proxy(apiUrl: URL, req: IncomingMessage, res: ServerResponse): void {
  const upstream = httpRequest(
    { host: apiUrl.hostname, port: apiUrl.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'bad_gateway', message: 'The API is not answering' } }));
  });
  req.pipe(upstream);
}

/** Serves a Vite build: files as they are, any other path gets index.html (client-side routes). */
function serveSpa(distDir: string, apiUrl: URL, port: number): Promise<Server> {
  const index = join(distDir, 'index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: build the app first (pnpm --filter <app> build)`);
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (proxied.test(url)) return proxy(apiUrl, req, res);
    const path = normalize(decodeURIComponent(url.split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
    const file = join(distDir, path);
    const isAsset = file.startsWith(distDir) && existsSync(file) && statSync(file).isFile();
    const target = isAsset ? file : index;
    res.writeHead(200, {
      'content-type': mimeTypes[extname(target)] ?? 'application/octet-stream',
      // Hashed assets never change; index.html must always be fresh.
      'cache-control': isAsset && path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(target).pipe(res);
  });
  return new Promise((resolveServer) => server.listen(port, '127.0.0.1', () => resolveServer(server)));
}

async function main() {
  const args = new Set(process.argv.slice(2));
  const withPortal = args.has('--portal');
  const withAdmin = args.has('--admin') || !withPortal;

  const template = await prepareTemplateDatabase();
  const database = await createTestDatabase(template);
  cleanups.push(database.drop);
  const redis = createTestRedisPrefix();
  cleanups.push(redis.cleanup);

  const stripe = await startStripeEmulator();
  cleanups.push(() => stripe.close());

  const [apiPort, adminPort, portalPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const adminUrl = withAdmin ? `http://127.0.0.1:${adminPort}` : null;
  const portalUrl = withPortal ? `http://127.0.0.1:${portalPort}` : null;

  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    // Webhook URLs shown to the merchant point at the API itself.
    PUBLIC_URL: apiUrl,
    APP_ORIGINS: [adminUrl ?? `http://127.0.0.1:${adminPort}`, portalUrl ?? `http://127.0.0.1:${portalPort}`].join(','),
    // Invitation and password-reset mails link here (apps/api config PORTAL_URL).
    PORTAL_URL: portalUrl ?? `http://127.0.0.1:${portalPort}`,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: testRedisUrl,
    REDIS_PREFIX: redis.prefix,
    // Sign-ups and sign-ins of a test run come from one address in quick succession.
    LOGIN_RATE_LIMIT_MAX: '1000',
    SIGNUP_RATE_LIMIT_MAX: '1000',
    SWEEP_INTERVAL_MS: '2000',
    SWEEP_OLDER_THAN_MS: '2000',
    SYNC_BACKOFF_BASE_MS: '200',
    SYNC_BACKOFF_MAX_MS: '2000',
  };

  const db = createPrismaClient({ databaseUrl: database.url, poolSize: 10 });
  cleanups.unshift(() => db.$disconnect());
  const worker = await startWorker(loadWorkerConfig(env), { db });
  cleanups.unshift(worker.close);
  const api = await startApi(loadApiConfig(env), { db });
  cleanups.unshift(api.close);

  const apiTarget = new URL(apiUrl);
  if (adminUrl) {
    const server = await serveSpa(join(root, 'apps/admin/dist'), apiTarget, adminPort);
    cleanups.unshift(() => new Promise((done) => server.close(done)));
  }
  if (portalUrl) {
    const server = await serveSpa(join(root, 'apps/portal/dist'), apiTarget, portalPort);
    cleanups.unshift(() => new Promise((done) => server.close(done)));
  }

  const info = {
    apiUrl,
    adminUrl,
    portalUrl,
    stripe: { url: stripe.url, apiKey: stripe.state.apiKey },
    database: database.name,
    redisPrefix: redis.prefix,
  };
  process.stdout.write(`E2E_STACK=${JSON.stringify(info)}\n`);
}

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups) await cleanup().catch((err: unknown) => console.error('cleanup failed:', err));
  process.exit(code);
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
// A parent that dies without signalling closes our stdin: do not outlive it.
process.stdin.on('end', () => void stop(0));
process.stdin.resume();
main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  void stop(1);
});
