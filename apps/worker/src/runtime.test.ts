import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queues, type JobDefinition } from '@codetrack/contracts';
import { useWorkerTestContext } from '../test/helpers.ts';
import { startWorkers, type Handler } from './runtime.ts';

const ctx = useWorkerTestContext();

const echoJob: JobDefinition<z.ZodObject<{ n: z.ZodNumber; waitMs: z.ZodDefault<z.ZodNumber> }>> = {
  queue: 'test-echo',
  name: 'echo',
  payload: z.object({ n: z.number().int(), waitMs: z.number().default(0) }),
  options: { attempts: 3, backoff: { type: 'exponential', delay: 10 }, removeOnComplete: false, removeOnFail: false },
};

function echoHandler(seen: number[]): Handler<z.ZodType> {
  return {
    job: echoJob as unknown as JobDefinition<z.ZodType>,
    run: async (payload) => {
      const p = payload as { n: number; waitMs: number };
      await new Promise((r) => setTimeout(r, p.waitMs));
      seen.push(p.n);
      return p.n * 2;
    },
  };
}

describe('worker runtime', () => {
  it('validates payloads again: a bad payload fails without retries and never reaches the handler', async () => {
    const seen: number[] = [];
    const running = startWorkers({ db: ctx.db, jobs: ctx.jobs, logger: ctx.logger, sweepOlderThanMs: 0 }, { connection: ctx.connection as never, prefix: ctx.prefix, concurrency: 2, handlers: [echoHandler(seen)] });
    try {
      const queue = ctx.jobs.queue(echoJob.queue);
      const good = await ctx.jobs.enqueue(echoJob, { n: 21 });
      const bad = await queue.add('echo', { n: 'not a number' }, { attempts: 3 });
      await expect.poll(async () => (await queue.getJob(good.id!))?.returnvalue, { timeout: 10_000 }).toBe(42);
      await expect.poll(async () => (await queue.getJob(bad.id!))?.failedReason, { timeout: 10_000 }).toMatch(/invalid payload for echo: n/);
      expect((await queue.getJob(bad.id!))?.attemptsMade).toBe(1);
      expect(seen).toEqual([21]);
    } finally {
      await running.close();
    }
  });

  it('lets a running job finish when closed (graceful shutdown)', async () => {
    const seen: number[] = [];
    const running = startWorkers({ db: ctx.db, jobs: ctx.jobs, logger: ctx.logger, sweepOlderThanMs: 0 }, { connection: ctx.connection as never, prefix: ctx.prefix, concurrency: 1, handlers: [echoHandler(seen)] });
    const job = await ctx.jobs.enqueue(echoJob, { n: 7, waitMs: 800 });
    const queue = ctx.jobs.queue(echoJob.queue);
    await expect.poll(async () => queue.getJobState(job.id!), { timeout: 10_000 }).toBe('active');
    await running.close();
    expect(seen).toEqual([7]);
    expect(await queue.getJobState(job.id!)).toBe('completed');
  });

  it('the worker process exits cleanly on SIGTERM and schedules the sweeper', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts')], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: ctx.databaseUrl, REDIS_PREFIX: ctx.prefix, LOG_LEVEL: 'info', SWEEP_INTERVAL_MS: '60000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => output, { timeout: 20_000 }).toContain('worker started');
    const schedulers = await ctx.jobs.queue(queues.maintenance).getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('sweep-outbox');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('waiting for running jobs');
  });

  it('registers the sweeper again when Redis lost it (a restart without persistence), without a process restart', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts')], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: ctx.databaseUrl, REDIS_URL: ctx.connection.url, REDIS_PREFIX: ctx.prefix, LOG_LEVEL: 'info', SWEEP_INTERVAL_MS: '1000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => output, { timeout: 20_000 }).toContain('worker started');
      const queue = ctx.jobs.queue(queues.maintenance);
      const schedulerIds = async () => (await queue.getJobSchedulers()).map((s) => s.key).sort();
      expect(await schedulerIds()).toEqual(['approve-commissions', 'sweep-outbox']);

      // What a Redis restart without persistence does to this deployment: every key is gone.
      const redis = new Redis(ctx.connection.url, { maxRetriesPerRequest: 1 });
      try {
        const keys = await redis.keys(`${ctx.prefix}:*`);
        if (keys.length) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }

      await expect.poll(schedulerIds, { timeout: 10_000 }).toEqual(['approve-commissions', 'sweep-outbox']);
      expect(output).toContain('registered again');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
