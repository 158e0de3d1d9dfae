// The private infrastructure of `pnpm faults`: a Postgres cluster and a Redis server that this
// script starts on free ports and may restart, and the product's own processes (API, workers)
// started with the entry points production uses. Nothing here touches the shared Postgres on
// :5432 or the shared Redis on :6379.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { migrateDatabase } from '../../packages/db/src/index.ts';

const root = resolve(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function canConnect(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.connect(port, '127.0.0.1', () => finish(true));
  });
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** CPU seconds (user + system, including reaped children) a process has used so far; 0 once it is gone. */
export function processCpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime: fields 14-17 of proc(5), in clock ticks (100 per second on Linux).
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) / 100;
  } catch {
    return 0;
  }
}

/** Pids whose parent is `ppid` (Postgres backends under the postmaster). */
function childPids(ppid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid) pids.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  return pids;
}

// --- Postgres -----------------------------------------------------------------------------------

/** Debian's server binaries (initdb and pg_ctl are not on PATH for every user), newest version first. */
function findPostgresBin(): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], 'bin');
  }
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (fromConfig.status === 0 && existsSync(join(fromConfig.stdout.trim(), 'initdb'))) return fromConfig.stdout.trim();
  throw new Error('initdb was not found (looked in /usr/lib/postgresql/*/bin and pg_config --bindir): install the Postgres server (apt-get install -y postgresql)');
}

/** initdb refuses to run as root: then every Postgres binary runs as the `postgres` user. */
function postgresUser(): { prefix: string[]; uid: number | null; gid: number | null } {
  if (process.getuid?.() !== 0) return { prefix: [], uid: null, gid: null };
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0) throw new Error('running as root, and there is no `postgres` user to run initdb and pg_ctl as');
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function migrationsHash(binDir: string): string {
  const dir = join(root, 'prisma/migrations');
  const hash = createHash('sha256').update(binDir);
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'migration.sql');
    if (existsSync(file)) hash.update(name).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

export type PrivatePostgres = {
  url: string;
  port: number;
  /** CPU seconds of the postmaster and its processes, across restarts. */
  cpuSeconds(): number;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back when this resolves. */
  restart(): Promise<{ downMs: number }>;
  stop(): Promise<void>;
};

/**
 * Starts a Postgres cluster of our own on a free port. The migrated cluster is built once per set of
 * migrations (initdb + `prisma migrate deploy` through migrateDatabase, as the test template is)
 * and kept in the temp folder; each run starts on a copy of it, so a run costs a file copy
 * instead of a migration.
 */
export async function startPrivatePostgres(workDir: string, log: (line: string) => void): Promise<PrivatePostgres> {
  const bin = findPostgresBin();
  const user = postgresUser();
  const run = (args: string[], what: string) => {
    const [command, ...rest] = [...user.prefix, ...args];
    const result = spawnSync(command!, rest, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  };
  const own = (path: string) => {
    if (user.uid !== null && user.gid !== null) spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, path]);
  };
  // The socket goes to the run's folder: never into /var/run/postgresql next to the shared server.
  const options = (port: number, socketDir: string) => `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;

  const template = join(tmpdir(), `codetrack-faults-pg-${migrationsHash(bin)}`);
  if (!existsSync(join(template, 'PG_VERSION'))) {
    const started = Date.now();
    log(`building the migrated Postgres template ${template} (once per set of migrations)`);
    const building = mkdtempSync(`${template}.building-`);
    own(building);
    const data = join(building, 'data');
    run([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], 'initdb');
    const port = await freePort();
    run([join(bin, 'pg_ctl'), '-D', data, '-o', options(port, building), '-l', join(building, 'postgres.log'), '-w', 'start'], 'pg_ctl start (template)');
    try {
      await migrateDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres` });
    } finally {
      run([join(bin, 'pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop'], 'pg_ctl stop (template)');
    }
    try {
      renameSync(data, template);
    } catch (error) {
      // Another run built it at the same time: use theirs.
      if (!existsSync(join(template, 'PG_VERSION'))) throw error;
    }
    rmSync(building, { recursive: true, force: true });
    log(`template built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  const dir = join(workDir, 'postgres');
  mkdirSync(dir, { recursive: true });
  const data = join(dir, 'data');
  cpSync(template, data, { recursive: true });
  own(dir);
  spawnSync('chmod', ['700', data]);
  const port = await freePort();
  const logFile = join(dir, 'postgres.log');
  const pgCtl = (action: string[], what: string) => run([join(bin, 'pg_ctl'), '-D', data, ...action], what);
  pgCtl(['-o', options(port, dir), '-l', logFile, '-w', 'start'], 'pg_ctl start');
  let running = true;
  const currentCpu = () => {
    try {
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return processCpuSeconds(postmaster) + childPids(postmaster).reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
    } catch {
      return 0;
    }
  };
  let cpuBefore = 0;

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    cpuSeconds: () => cpuBefore + currentCpu(),
    async restart() {
      cpuBefore += currentCpu();
      const started = Date.now();
      pgCtl(['-o', options(port, dir), '-l', logFile, '-m', 'fast', '-w', 'restart'], 'pg_ctl restart');
      await waitUntil('Postgres after the restart', () => canConnect(port), 30_000);
      return { downMs: Date.now() - started };
    },
    async stop() {
      if (!running) return;
      running = false;
      if (statSync(data, { throwIfNoEntry: false })) pgCtl(['-m', 'immediate', '-w', 'stop'], 'pg_ctl stop');
    },
  };
}

// --- Redis --------------------------------------------------------------------------------------

export type PrivateRedis = {
  url: string;
  port: number;
  /** Stops the server (nothing is persisted: every key is gone) and starts a new one on the same port after `downMs`. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
  /** CPU seconds, across restarts. */
  cpuSeconds(): number;
};

/** redis-server on a free port without persistence, so a restart loses every queued job. */
export async function startPrivateRedis(workDir: string): Promise<PrivateRedis> {
  const port = await freePort();
  const logFile = join(workDir, 'redis.log');
  let child: ChildProcess | null = null;
  const start = async () => {
    const out = createWriteStream(logFile, { flags: 'a' });
    await new Promise<void>((done) => out.once('open', () => done()));
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', workDir], { stdio: ['ignore', out, out] });
    child.once('error', (error) => console.error(`redis-server failed to start: ${error.message}`));
    await waitUntil('redis-server', () => canConnect(port), 10_000);
  };
  let cpuBefore = 0;
  const stop = async () => {
    const current = child;
    if (!current || current.exitCode !== null) return;
    cpuBefore += processCpuSeconds(current.pid);
    const exited = new Promise<void>((done) => current.once('exit', () => done()));
    current.kill('SIGTERM');
    await exited;
    child = null;
    await waitUntil('the Redis port to close', async () => !(await canConnect(port)), 10_000);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart(downMs) {
      await stop();
      await sleep(downMs);
      await start();
    },
    stop,
    cpuSeconds: () => cpuBefore + processCpuSeconds((child as ChildProcess | null)?.pid),
  };
}

// --- Product processes --------------------------------------------------------------------------

export type ProductProcess = {
  name: string;
  pid(): number | undefined;
  alive(): boolean;
  /** Unexpected exits (not caused by kill9 or stop), with their code or signal. */
  crashes: string[];
  /** CPU seconds used so far, every incarnation together. */
  cpuSeconds(): number;
  /** SIGKILL to the process (its own process group): no shutdown hook runs. */
  kill9(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * One product process: `node --import tsx src/main.ts` in the app's folder, as `pnpm start` runs it
 * but without the tsx CLI's extra parent process, so that SIGKILL reaches the process that holds
 * the jobs. Output goes to a log file; `ready` says when it can take work.
 */
export function defineProcess(input: {
  name: string;
  app: 'api' | 'worker';
  env: Record<string, string>;
  logFile: string;
  ready: (logText: () => string) => Promise<boolean>;
  readyTimeoutMs?: number;
}): ProductProcess {
  let child: ChildProcess | null = null;
  let expectedExit = false;
  let logText = '';
  let cpuBefore = 0;
  const crashes: string[] = [];
  const cwd = join(root, 'apps', input.app);
  return {
    name: input.name,
    crashes,
    cpuSeconds: () => cpuBefore + processCpuSeconds(child?.exitCode === null && child.signalCode === null ? child.pid : undefined),
    pid: () => child?.pid,
    alive: () => child !== null && child.exitCode === null && child.signalCode === null,
    async start() {
      expectedExit = false;
      logText = '';
      const out = createWriteStream(input.logFile, { flags: 'a' });
      await new Promise<void>((done) => out.once('open', () => done()));
      const started = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...input.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      child = started;
      for (const stream of [started.stdout, started.stderr]) {
        stream?.on('data', (chunk: Buffer) => {
          out.write(chunk);
          if (logText.length < 200_000) logText += chunk.toString();
        });
      }
      started.once('exit', (code, signal) => {
        out.end();
        if (!expectedExit) crashes.push(`${input.name} exited unexpectedly (${signal ?? `code ${code}`}); see ${input.logFile}`);
      });
      const deadline = Date.now() + (input.readyTimeoutMs ?? 60_000);
      while (!(await input.ready(() => logText))) {
        if (started.exitCode !== null || started.signalCode !== null) throw new Error(`${input.name} exited while starting:\n${logText.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`${input.name} did not become ready in time:\n${logText.slice(-3000)}`);
        await sleep(100);
      }
    },
    async kill9() {
      const current = child;
      if (!current?.pid || current.exitCode !== null) return;
      expectedExit = true;
      cpuBefore += processCpuSeconds(current.pid);
      const exited = new Promise<void>((done) => current.once('exit', () => done()));
      process.kill(-current.pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      const current = child;
      if (!current?.pid || current.exitCode !== null || current.signalCode !== null) return;
      expectedExit = true;
      const exited = new Promise<void>((done) => current.once('exit', () => done()));
      process.kill(-current.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(-current.pid!, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A fresh folder for one run's data and logs. */
export function createWorkDir(): string {
  return mkdtempSync(join(tmpdir(), 'codetrack-faults-'));
}
