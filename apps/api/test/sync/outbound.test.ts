import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOutboxJob } from '@codetrack/contracts';
import { useTestApp } from '../helpers.ts';
import { createCode, fixtures, flushTestPrefix, platforms, restrictions, setupMerchant, startSyncWorker, uniqueSuffix, waitForSettled, type Emulator } from './helpers.ts';

const ctx = useTestApp();

describe.each(platforms)('outbound sync to %s, through the API and the worker', (platform) => {
  const fixture = fixtures[platform];
  let emulator: Emulator;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    emulator = await fixture.start();
    stopWorker = await startSyncWorker(ctx);
  });
  afterAll(async () => {
    await stopWorker?.();
    await emulator?.close();
  });

  it('puts a coupon with three partner codes and restrictions on the platform with exactly the mapped fields; an update and a deactivation follow', async () => {
    const setup = await setupMerchant(ctx.app, fixture, emulator);
    const suffix = uniqueSuffix();
    const codes = [];
    for (const name of ['ANNA', 'BEN', 'CARA']) codes.push(await createCode(ctx.app, setup, fixture.codeFor(`${name}-${suffix}`), { restrictions, withPartner: true }));
    const links = await waitForSettled(ctx, setup.connection.id);
    expect(links.filter((l) => l.entityType === 'promotion_code').map((l) => l.state)).toEqual(['synced', 'synced', 'synced']);
    for (const code of codes) {
      const copies = fixture.copies(emulator, code.code);
      expect(copies).toHaveLength(1);
      expect(copies[0]).toMatchObject({ ...fixture.expected, code: fixture.stored(code.code) });
      const link = links.find((l) => l.entityId === code.id);
      expect(link).toMatchObject({ platformId: copies[0]!.id, lastSyncedVersion: 1, lastError: null });
      expect(link?.lastSyncedAt).not.toBeNull();
    }

    const [first, second] = codes as [typeof codes[number], typeof codes[number]];
    const patched = await ctx.app.inject({ method: 'PATCH', url: `/api/promotion-codes/${first.id}`, headers: setup.merchant.headers, payload: { restrictions: { maxRedemptions: 75 } } });
    expect(patched.statusCode).toBe(200);
    const disabled = await ctx.app.inject({ method: 'POST', url: `/api/promotion-codes/${second.id}/disable`, headers: setup.merchant.headers, payload: { reason: 'Partner left' } });
    expect(disabled.statusCode).toBe(200);
    const after = await waitForSettled(ctx, setup.connection.id);
    expect(after.find((l) => l.entityId === first.id)).toMatchObject({ state: 'synced', lastSyncedVersion: 2 });
    expect(after.find((l) => l.entityId === second.id)).toMatchObject({ state: 'synced', lastSyncedVersion: 2 });

    // Stripe cannot edit restrictions in place: the old code is deactivated and a new one replaces it.
    const live = fixture.copies(emulator, first.code).filter((c) => c.active);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ ...fixture.expected, ...(platform === 'stripe' ? { maxRedemptions: 75 } : { usageLimit: 75 }) });
    expect(fixture.copies(emulator, second.code).map((c) => c.active)).toEqual([false]);
  });

  it('makes one object, not two, when creating meets 429 three times and then succeeds', async () => {
    const setup = await setupMerchant(ctx.app, fixture, emulator);
    emulator.failNext({ status: 429, retryAfterSeconds: 0, times: 3, match: fixture.createMatch });
    const code = await createCode(ctx.app, setup, fixture.codeFor(`RATE-${uniqueSuffix()}`));
    const links = await waitForSettled(ctx, setup.connection.id);
    expect(links.find((l) => l.entityId === code.id)).toMatchObject({ state: 'synced', attempts: 4, lastError: null });
    expect(fixture.copies(emulator, code.code)).toHaveLength(1);
  });

  it('makes one object when the answer to a create is lost (the request times out after the platform made it)', async () => {
    const setup = await setupMerchant(ctx.app, fixture, emulator);
    // Handled normally, but after the worker's 1 s timeout: the retry must find or replay the first object.
    emulator.failNext({ delayMs: 1500, match: fixture.createMatch });
    const code = await createCode(ctx.app, setup, fixture.codeFor(`SLOW-${uniqueSuffix()}`));
    const links = await waitForSettled(ctx, setup.connection.id);
    expect(links.find((l) => l.entityId === code.id)?.state).toBe('synced');
    // Let the slow first request finish on the emulator before counting.
    const firstCreate = emulator.requests.find((r) => r.method === fixture.createMatch.method && fixture.createMatch.path.test(r.path));
    await new Promise((r) => setTimeout(r, Math.max(0, (firstCreate?.at.getTime() ?? 0) + 1800 - Date.now())));
    expect(fixture.copies(emulator, code.code).filter((c) => c.active)).toHaveLength(1);
    expect(fixture.copies(emulator, code.code)).toHaveLength(1);
  });

  it('completes once the platform is back after answering 503 and dropping connections', async () => {
    const setup = await setupMerchant(ctx.app, fixture, emulator);
    emulator.failNext({ status: 503, times: 5 });
    emulator.failNext({ dropConnection: true, times: 3 });
    const suffix = uniqueSuffix();
    const codes = [];
    for (const name of ['DOWN', 'UP', 'AGAIN']) codes.push(await createCode(ctx.app, setup, fixture.codeFor(`${name}-${suffix}`)));
    const links = await waitForSettled(ctx, setup.connection.id);
    expect(links.map((l) => l.state).every((s) => s === 'synced')).toBe(true);
    for (const code of codes) expect(fixture.copies(emulator, code.code)).toHaveLength(1);
  });

  it('completes after Redis lost its queues mid-sync: the sweeper finds the pending rows', async () => {
    const setup = await setupMerchant(ctx.app, fixture, emulator);
    const suffix = uniqueSuffix();
    const before = await createCode(ctx.app, setup, fixture.codeFor(`KEEP-${suffix}`));
    await waitForSettled(ctx, setup.connection.id);

    await stopWorker();
    const lost = [];
    for (const name of ['LOST', 'FOUND']) lost.push(await createCode(ctx.app, setup, fixture.codeFor(`${name}-${suffix}`)));
    // What a restarted Redis without persistence holds for this test: nothing.
    await ctx.jobs.close();
    await flushTestPrefix(ctx.redisPrefix);
    stopWorker = await startSyncWorker(ctx);
    expect(await ctx.db.syncLink.count({ where: { connectionId: setup.connection.id, state: 'pending' } })).toBe(2);

    await ctx.jobs.enqueue(sweepOutboxJob, { olderThanMs: 0 });
    const links = await waitForSettled(ctx, setup.connection.id);
    expect(links.map((l) => l.state).every((s) => s === 'synced')).toBe(true);
    for (const code of [before, ...lost]) expect(fixture.copies(emulator, code.code)).toHaveLength(1);
  });

  it('marks a code taken on the platform with another discount failed with the reason, and adopts one with the same discount', async () => {
    const setup = await setupMerchant(ctx.app, fixture, emulator);
    const adapter = fixture.adapter(emulator);
    const seed = async (code: string, percentOffBps: number) => {
      const coupon = { id: 'cpn_merchant', name: 'Merchant own', discountType: 'percent' as const, percentOffBps, amountOff: null, currency: null, duration: 'once' as const, durationInMonths: null };
      const { platformId: couponPlatformId } = await adapter.upsertCoupon({ coupon, platformId: null, idempotencyKey: `seed-${code}` });
      const none = { firstTimeOnly: false, minimumAmount: null, minimumAmountCurrency: null, expiresAt: null, maxRedemptions: null };
      return (await adapter.createPromotionCode({ code: { id: 'pc_merchant', code, active: true, restrictions: none, coupon }, couponPlatformId, idempotencyKey: `seed-code-${code}` })).platformId;
    };
    const suffix = uniqueSuffix();
    const takenCode = fixture.codeFor(`TAKEN-${suffix}`);
    const sameCode = fixture.codeFor(`SAME-${suffix}`);
    await seed(takenCode, 1000);
    const seededId = await seed(sameCode, 2000);

    const taken = await createCode(ctx.app, setup, takenCode);
    const same = await createCode(ctx.app, setup, sameCode);
    const links = await waitForSettled(ctx, setup.connection.id);
    const takenLink = links.find((l) => l.entityId === taken.id);
    expect(takenLink?.state).toBe('failed');
    expect(takenLink?.lastError).toMatch(new RegExp(`The code ${takenCode} already exists on \\w+ .*with a different discount`));
    expect(fixture.copies(emulator, takenCode)).toHaveLength(1);

    expect(links.find((l) => l.entityId === same.id)).toMatchObject({ state: 'synced', lastError: null });
    const audit = await ctx.db.auditLog.findFirst({ where: { workspaceId: setup.merchant.workspaceId, action: 'sync_link.adopted', entityId: same.id } });
    expect(audit?.data).toMatchObject({ platformId: seededId });
    expect(fixture.copies(emulator, sameCode).filter((c) => c.active)).toHaveLength(1);

    const status = await ctx.app.inject({ method: 'GET', url: `/api/connections/${setup.connection.id}/sync`, headers: setup.merchant.headers });
    expect(status.json()).toMatchObject({ counts: { failed: 1 }, items: [{ promotionCodeId: taken.id, label: takenCode, state: 'failed' }] });
  });
});
