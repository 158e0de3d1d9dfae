import { DelayedError, type Job } from 'bullmq';

/**
 * Puts the running job back in the queue, delayed, and tells BullMQ so (DelayedError).
 *
 * Why not BullMQ's own retry: its built-in exponential backoff cannot see a platform's
 * Retry-After, and a custom `backoffStrategy` is only consulted for custom backoff types, which
 * the shared job definitions do not use. Moving the job to delayed ourselves gives us the exact
 * delay (Retry-After or exponential with jitter), and the attempts are counted on the SyncLink row
 * in Postgres, which survives a Redis outage, where BullMQ's attemptsMade would start again.
 * Without a lock token (a job run outside a worker) the caller's error is thrown instead, so the
 * queue's ordinary retry still applies.
 */
export async function retryJobLater(job: Job | undefined, delayMs: number, error: Error): Promise<never> {
  if (!job?.token) throw error;
  await job.moveToDelayed(Date.now() + delayMs, job.token);
  throw new DelayedError(`retrying in ${delayMs} ms: ${error.message}`);
}
