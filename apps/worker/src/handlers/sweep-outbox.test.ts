import { describe, expect, it } from 'vitest';
import { queues } from '@codetrack/contracts';
import { useWorkerTestContext } from '../../test/helpers.ts';
import { sweepOutbox } from './sweep-outbox.ts';

const ctx = useWorkerTestContext();

describe('outbox sweeper', () => {
  it('re-enqueues pending sync links and unprocessed webhook events older than the cutoff, once', async () => {
    const f = ctx.factories;
    const ws = await f.workspace();
    const program = await f.program({ workspaceId: ws.id });
    const connection = await f.connection({ workspaceId: ws.id, programId: program.id });
    const old = new Date(Date.now() - 120_000);
    const stale = await f.syncLink({ workspaceId: ws.id, connectionId: connection.id, entityId: 'pc_stale' });
    await ctx.db.$executeRaw`UPDATE "SyncLink" SET "updatedAt" = ${old} WHERE id = ${stale.id}`;
    // Fresh: not counted (the cutoff), though the drain job of its connection will push it too.
    await f.syncLink({ workspaceId: ws.id, connectionId: connection.id, entityId: 'pc_fresh' });
    const synced = await f.syncLink({ workspaceId: ws.id, connectionId: connection.id, entityId: 'pc_synced', state: 'synced' });
    await ctx.db.$executeRaw`UPDATE "SyncLink" SET "updatedAt" = ${old} WHERE id = ${synced.id}`;
    const event = await f.webhookEvent({ workspaceId: ws.id, connectionId: connection.id, receivedAt: old });
    await f.webhookEvent({ workspaceId: ws.id, connectionId: connection.id, receivedAt: old, status: 'processed' });

    const first = await sweepOutbox({ db: ctx.db, jobs: ctx.jobs, olderThanMs: 60_000 });
    expect(first).toEqual({ syncLinks: 1, webhookEvents: 1, bulkJobs: 0 });
    const second = await sweepOutbox({ db: ctx.db, jobs: ctx.jobs, olderThanMs: 60_000 });
    expect(second).toEqual({ syncLinks: 1, webhookEvents: 1, bulkJobs: 0 });

    const syncQueue = ctx.jobs.queue(queues.sync);
    const waiting = await syncQueue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(waiting.map((j) => j.id)).toEqual([`drain-${connection.id}`]);
    const webhookQueue = ctx.jobs.queue(queues.webhooks);
    expect((await webhookQueue.getJobs(['waiting'])).map((j) => j.data)).toEqual([{ webhookEventId: event.id }]);
  });
});
