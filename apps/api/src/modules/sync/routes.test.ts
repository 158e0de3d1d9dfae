import { describe, expect, it } from 'vitest';
import { queues } from '@codetrack/contracts';
import { apiKeyHeaders, createProgramFor, signUpMerchant, useTestApp } from '../../../test/helpers.ts';

const ctx = useTestApp();

async function setup() {
  const m = await signUpMerchant(ctx.app);
  const program = await createProgramFor(ctx.app, m);
  const f = ctx.factories;
  const connection = await f.connection({ workspaceId: m.workspaceId, programId: program.id, platform: 'stripe', status: 'connected' });
  const coupon = await f.coupon({ workspaceId: m.workspaceId, programId: program.id, connections: { create: { workspaceId: m.workspaceId, connectionId: connection.id } } });
  const couponLink = await f.syncLink({ workspaceId: m.workspaceId, connectionId: connection.id, entityType: 'coupon', entityId: coupon.id, couponId: coupon.id, state: 'failed', lastError: 'Stripe rejected the request: bad coupon', attempts: 1 });
  const links = [];
  for (const [code, state] of [['OK1', 'synced'], ['BAD1', 'failed'], ['BAD2', 'failed'], ['WAIT1', 'pending']] as const) {
    const row = await f.promotionCode({ workspaceId: m.workspaceId, programId: program.id, couponId: coupon.id, code });
    links.push(
      await f.syncLink({
        workspaceId: m.workspaceId,
        connectionId: connection.id,
        entityId: row.id,
        promotionCodeId: row.id,
        state,
        attempts: state === 'failed' ? 10 : 1,
        lastError: state === 'failed' ? `Gave up after 10 attempts. Stripe did not answer properly (${code}).` : null,
        lastSyncedAt: state === 'synced' ? new Date() : null,
      }),
    );
  }
  return { m, program, connection, coupon, couponLink, links };
}

describe('sync status API', () => {
  it('counts links per state and lists the failed ones with their code and reason, newest first, in keyset pages', async () => {
    const { m, connection, couponLink, links } = await setup();
    const first = await ctx.app.inject({ method: 'GET', url: `/api/connections/${connection.id}/sync?limit=2`, headers: m.headers });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toMatchObject({ connectionId: connection.id, platform: 'stripe', counts: { pending: 1, synced: 1, failed: 3, deleted: 0 } });
    expect(body.items.map((i: { label: string }) => i.label)).toEqual(['BAD2', 'BAD1']);
    expect(body.items[0]).toMatchObject({ id: links[2]!.id, entityType: 'promotion_code', state: 'failed', attempts: 10, lastError: expect.stringContaining('Gave up after 10 attempts') });
    const next = (await ctx.app.inject({ method: 'GET', url: `/api/connections/${connection.id}/sync?limit=2&cursor=${body.nextCursor}`, headers: m.headers })).json();
    expect(next.items.map((i: { id: string; label: string }) => [i.id, i.label])).toEqual([[couponLink.id, 'Partner discount']]);
    expect(next.nextCursor).toBeNull();
    const pending = (await ctx.app.inject({ method: 'GET', url: `/api/connections/${connection.id}/sync?state=pending`, headers: m.headers })).json();
    expect(pending.items.map((i: { label: string }) => i.label)).toEqual(['WAIT1']);
  });

  it('retries one failed link (with its failed coupon) and every failed link, enqueueing the work', async () => {
    const { m, connection, couponLink, links } = await setup();
    const one = await ctx.app.inject({ method: 'POST', url: `/api/sync-links/${links[1]!.id}/retry`, headers: m.headers });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: links[1]!.id, state: 'pending', attempts: 0, lastError: null });
    expect((await ctx.db.syncLink.findUniqueOrThrow({ where: { id: couponLink.id } })).state).toBe('pending');
    const queued = (await ctx.jobs.queue(queues.sync).getJobs(['waiting', 'prioritized', 'delayed'])).map((j) => j.id);
    expect(queued).toEqual(expect.arrayContaining([`sync-${links[1]!.id}`, `sync-${couponLink.id}`]));

    const synced = await ctx.app.inject({ method: 'POST', url: `/api/sync-links/${links[0]!.id}/retry`, headers: m.headers });
    expect(synced.statusCode).toBe(409);

    const all = await ctx.app.inject({ method: 'POST', url: `/api/connections/${connection.id}/sync/retry-failed`, headers: m.headers });
    expect(all.json()).toEqual({ retried: 1 });
    expect(await ctx.db.syncLink.count({ where: { connectionId: connection.id, state: 'failed' } })).toBe(0);
  });

  it('refuses to repair a reconciliation that has not finished', async () => {
    const { m, connection } = await setup();
    const started = await ctx.app.inject({ method: 'POST', url: `/api/connections/${connection.id}/reconcile`, headers: m.headers });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toMatchObject({ type: 'reconcile', status: 'queued' });
    const repair = await ctx.app.inject({ method: 'POST', url: `/api/connections/${connection.id}/reconcile/${started.json().id}/repair`, headers: m.headers });
    expect(repair.statusCode).toBe(409);
    expect(repair.json().error.code).toBe('reconcile_not_finished');
  });

  it('gives another workspace 404 on every route and a viewer 403 on writes', async () => {
    const { m, connection, links } = await setup();
    const job = await ctx.db.bulkJob.create({ data: { workspaceId: m.workspaceId, type: 'reconcile', params: { connectionId: connection.id }, status: 'completed', result: { counts: { platform: 0, ours: 0, missing: 0, extra: 0, different: 0 }, missing: [], extra: [], different: [], truncated: false } } });
    const routes = [
      ['GET', `/api/connections/${connection.id}/sync`],
      ['POST', `/api/sync-links/${links[1]!.id}/retry`],
      ['POST', `/api/connections/${connection.id}/sync/retry-failed`],
      ['POST', `/api/connections/${connection.id}/import`],
      ['POST', `/api/connections/${connection.id}/reconcile`],
      ['POST', `/api/connections/${connection.id}/reconcile/${job.id}/repair`],
    ] as const;
    const stranger = await signUpMerchant(ctx.app);
    for (const [method, url] of routes) {
      const res = await ctx.app.inject({ method, url, headers: stranger.headers });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect(await ctx.db.bulkJob.count({ where: { workspaceId: m.workspaceId } })).toBe(1);
    expect((await ctx.db.syncLink.findUniqueOrThrow({ where: { id: links[1]!.id } })).state).toBe('failed');

    const viewer = await apiKeyHeaders(ctx.app, m, 'viewer');
    for (const [method, url] of routes) {
      const res = await ctx.app.inject({ method, url, headers: viewer });
      expect(res.statusCode, `viewer ${method} ${url}`).toBe(method === 'GET' ? 200 : 403);
    }
  });
});
