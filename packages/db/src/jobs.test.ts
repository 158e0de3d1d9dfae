import { afterAll, describe, expect, it } from 'vitest';
import { processWebhookJob } from '@codetrack/contracts';
import { JobProducer } from './jobs.ts';
import { createTestRedisPrefix, testRedisUrl } from './testing/index.ts';

const keys = createTestRedisPrefix();
const jobs = new JobProducer({ connection: { url: testRedisUrl } as never, prefix: keys.prefix });

afterAll(async () => {
  await jobs.close();
  await keys.cleanup();
});

describe('JobProducer.enqueueCoalesced', () => {
  it('adds every job enqueued in one turn of the event loop, each once', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `evt_coalesced_${i}`);
    await Promise.all([...ids, ids[0]!].map((webhookEventId) => jobs.enqueueCoalesced(processWebhookJob, { webhookEventId })));
    const queued = await jobs.queue(processWebhookJob.queue).getJobs(['waiting', 'prioritized', 'delayed']);
    expect(queued.map((j) => (j.data as { webhookEventId: string }).webhookEventId).sort()).toEqual([...ids].sort());
  });

  it('rejects a payload that does not parse without throwing at the call', async () => {
    let pending: Promise<void> | undefined;
    expect(() => (pending = jobs.enqueueCoalesced(processWebhookJob, { webhookEventId: 42 } as never))).not.toThrow();
    await expect(pending).rejects.toThrow(/expected string/);
  });

  it('rejects every caller of a batch Redis refused', async () => {
    const unreachable = new JobProducer({ connection: { host: '127.0.0.1', port: 1, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null } as never, prefix: keys.prefix });
    try {
      const results = await Promise.allSettled(['a', 'b'].map((id) => unreachable.enqueueCoalesced(processWebhookJob, { webhookEventId: `evt_${id}` })));
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await unreachable.close().catch(() => undefined);
    }
  });
});
