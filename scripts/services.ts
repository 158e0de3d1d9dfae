// Finding (or starting) the services the product and its tests need, with messages that say
// exactly what to run when something is missing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** Sends PING over the Redis protocol; true on +PONG. */
export function pingRedis(url: string, timeoutMs = 1500): Promise<boolean> {
  const { hostname, port, password } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('+PONG')) done(true);
      else if (reply.startsWith('-')) done(false);
    });
    socket.connect(Number(port || 6379), hostname || '127.0.0.1', () => {
      if (password) socket.write(`AUTH ${decodeURIComponent(password)}\r\n`);
      socket.write('PING\r\n');
    });
  });
}

/** True when something accepts TCP connections at host:port. */
export function canConnect(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const redisHelp = [
  'Redis is needed and none is reachable. Either:',
  '  - set REDIS_URL to a Redis you have, or',
  '  - start one with Docker:            docker compose up -d redis',
  '  - or install it (Debian/Ubuntu):    sudo apt-get install -y redis-server',
  '    (macOS: brew install redis) and run this command again: it starts redis-server for you.',
].join('\n');

/**
 * REDIS_URL if set; else 127.0.0.1:6379 if it answers; else a redis-server started here on a free
 * port (stopped with this process); else an error naming the command to get one.
 */
export async function resolveRedis(envUrl: string | undefined): Promise<{ url: string; child?: ChildProcess }> {
  if (envUrl) {
    if (await pingRedis(envUrl)) return { url: envUrl };
    throw new Error(`REDIS_URL=${envUrl} does not answer PING.\n${redisHelp}`);
  }
  const local = 'redis://127.0.0.1:6379';
  if (await pingRedis(local)) return { url: local };
  const which = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (which.status !== 0) throw new Error(redisHelp);
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await pingRedis(url)) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`redis-server did not start on port ${port}.\n${redisHelp}`);
}
