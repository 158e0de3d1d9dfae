// API and worker processes started the way production starts them (`tsx src/main.ts` in the
// app's folder, configured by environment only), and what they cost in CPU.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export type AppProcess = { name: string; child: ChildProcess; port: number | null; output: () => string; stop: () => Promise<void> };

/** A free TCP port on loopback (the OS picks one, we release it for the process to take). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * Starts apps/<app>/src/main.ts with `env` as its whole configuration (plus PATH and HOME), and
 * resolves once it is ready: the API answers /readyz, the worker has logged "worker started".
 */
export async function startAppProcess(input: { app: 'api' | 'worker'; name: string; env: Record<string, string>; port?: number; timeoutMs?: number }): Promise<AppProcess> {
  const cwd = resolve(root, 'apps', input.app);
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(cwd, 'src/main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...input.env, ...(input.port ? { PORT: String(input.port) } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((done) => child.once('exit', () => {
    exited = true;
    done();
  }));
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };
  const proc: AppProcess = { name: input.name, child, port: input.port ?? null, output: () => output, stop };

  const deadline = Date.now() + (input.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`${input.name} exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${input.name} was not ready in time:\n${output}`);
    }
    if (input.app === 'worker' ? output.includes('worker started') : await ready(input.port!)) return proc;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ready(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
  } catch {
    return false;
  }
}

const ticksPerSecond = 100; // USER_HZ, 100 on every Linux we run on

/** CPU seconds (user + system) a process has used so far, from /proc; null off Linux. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** Busy and total CPU time of the whole machine so far, from /proc/stat; null off Linux. */
export function machineCpuTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}
