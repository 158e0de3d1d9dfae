import { Queue, type ConnectionOptions } from 'bullmq';
import type { AnyJob, JobDefinition } from '@codetrack/contracts';
import type { z } from 'zod';

export type QueueSettings = {
  /** ioredis connection options or instance BullMQ connects with. */
  connection: ConnectionOptions;
  /** Redis key prefix for every queue, so several deployments (or test workers) share a Redis. */
  prefix: string;
};

/**
 * Enqueues typed jobs. The payload is validated before it leaves, the job id comes from the job
 * definition (duplicates collapse), and one Queue per queue name is reused.
 */
type Pending = { name: string; data: unknown; opts: Record<string, unknown>; resolve: () => void; reject: (err: unknown) => void };

export class JobProducer {
  private readonly queues = new Map<string, Queue>();
  private readonly pending = new Map<string, Pending[]>();

  constructor(private readonly settings: QueueSettings) {}

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.settings.connection, prefix: this.settings.prefix });
      // A failed enqueue is reported to the caller; the outbox sweeper retries it later.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<P extends z.ZodType>(job: JobDefinition<P>, payload: z.input<P>, opts: { delay?: number } = {}) {
    const parsed = job.payload.parse(payload) as z.infer<P>;
    return this.queue(job.queue).add(job.name, parsed, {
      ...job.options,
      ...(job.jobId ? { jobId: job.jobId(parsed) } : {}),
      ...opts,
    });
  }

  /** Many jobs of one definition, in batches (one round trip per batch). */
  async enqueueMany<P extends z.ZodType>(job: JobDefinition<P>, payloads: z.input<P>[], batchSize = 1000) {
    for (let i = 0; i < payloads.length; i += batchSize) {
      const batch = payloads.slice(i, i + batchSize).map((payload) => {
        const parsed = job.payload.parse(payload) as z.infer<P>;
        return { name: job.name, data: parsed, opts: { ...job.options, ...(job.jobId ? { jobId: job.jobId(parsed) } : {}) } };
      });
      await this.queue(job.queue).addBulk(batch);
    }
  }

  /**
   * Like enqueue, but every call made in the same turn of the event loop goes to Redis as one
   * addBulk per queue: under a burst of webhook deliveries this is one round trip for dozens of
   * jobs instead of one each. The promise settles when the job's batch is added.
   */
  enqueueCoalesced<P extends z.ZodType>(job: JobDefinition<P>, payload: z.input<P>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // Inside the executor: a payload that does not parse rejects instead of throwing.
      const parsed = job.payload.parse(payload) as z.infer<P>;
      let waiting = this.pending.get(job.queue);
      if (!waiting) {
        waiting = [];
        this.pending.set(job.queue, waiting);
        setImmediate(() => this.flush(job.queue));
      }
      waiting.push({ name: job.name, data: parsed, opts: { ...job.options, ...(job.jobId ? { jobId: job.jobId(parsed) } : {}) }, resolve, reject });
    });
  }

  private flush(queueName: string) {
    const batch = this.pending.get(queueName) ?? [];
    this.pending.delete(queueName);
    if (batch.length === 0) return;
    this.queue(queueName)
      .addBulk(batch.map(({ name, data, opts }) => ({ name, data, opts })))
      .then(
        () => batch.forEach((p) => p.resolve()),
        (err: unknown) => batch.forEach((p) => p.reject(err)),
      );
  }

  /** Enqueue after commit; a failure is logged, not thrown: the sweeper picks the row up. */
  async enqueueBestEffort<P extends z.ZodType>(job: JobDefinition<P>, payload: z.input<P>, onError: (err: unknown) => void) {
    try {
      await this.enqueue(job, payload);
    } catch (err) {
      onError(err);
    }
  }

  async close() {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}

export type { AnyJob };
