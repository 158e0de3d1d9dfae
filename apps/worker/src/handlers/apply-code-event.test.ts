import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_ENCRYPTION_KEYS, encryptConnectionSecrets, generateConnectionId, parseEncryptionKeys } from '@codetrack/db';
import { createAdapter } from '@codetrack/integrations';
import { startStripeEmulator, type StripeEmulator } from '@codetrack/testkit';
import { useWorkerTestContext } from '../../test/helpers.ts';
import { applyCodeEvent } from './apply-code-event.ts';

const ctx = useWorkerTestContext();
const keys = parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEYS);
let stripe: StripeEmulator;

beforeAll(async () => {
  stripe = await startStripeEmulator();
});
afterAll(async () => {
  await stripe?.close();
});

async function setup() {
  const f = ctx.factories;
  const ws = await f.workspace();
  const program = await f.program({ workspaceId: ws.id });
  const connect = async (platform: 'stripe' | 'paddle') => {
    const id = generateConnectionId();
    return f.connection({
      id,
      workspaceId: ws.id,
      programId: program.id,
      platform,
      status: 'connected',
      apiBaseUrl: stripe.url,
      ...encryptConnectionSecrets(keys, id, { credentials: platform === 'stripe' ? { secretKey: stripe.state.apiKey } : { apiKey: 'pdl_unused' }, webhookSecret: null }),
    });
  };
  const connection = await connect('stripe');
  const other = await connect('paddle');
  const coupon = await f.coupon({ workspaceId: ws.id, programId: program.id, connections: { create: [{ workspaceId: ws.id, connectionId: connection.id }, { workspaceId: ws.id, connectionId: other.id }] } });
  const code = await f.promotionCode({ workspaceId: ws.id, programId: program.id, couponId: coupon.id, code: `JOHN${Date.now() % 100000}` });
  const link = await f.syncLink({ workspaceId: ws.id, connectionId: connection.id, entityId: code.id, promotionCodeId: code.id, platformId: `promo_${code.id}`, state: 'synced', lastSyncedVersion: 1 });
  const otherLink = await f.syncLink({ workspaceId: ws.id, connectionId: other.id, entityId: code.id, promotionCodeId: code.id, platformId: `dsc_${code.id}`, state: 'synced', lastSyncedVersion: 1 });
  return { ws, program, connection, coupon, code, link, otherLink };
}

const sync = { encryptionKeys: keys };

describe('platform code events (inbound sync)', () => {
  it('disables a code deactivated on the platform, records its link as in line, and deactivates it on the other platforms', async () => {
    const s = await setup();
    const result = await applyCodeEvent({ db: ctx.db, connectionId: s.connection.id, event: { kind: 'code', action: 'updated', platformId: s.link.platformId!, code: s.code.code, active: false }, sync });
    expect(result).toEqual({ outcome: 'disabled', promotionCodeId: s.code.id });
    const code = await ctx.db.promotionCode.findUniqueOrThrow({ where: { id: s.code.id } });
    expect(code).toMatchObject({ status: 'disabled', disabledReason: 'Deactivated on Stripe', version: 2 });
    expect(await ctx.db.syncLink.findUniqueOrThrow({ where: { id: s.link.id } })).toMatchObject({ state: 'synced', lastSyncedVersion: 2 });
    expect((await ctx.db.syncLink.findUniqueOrThrow({ where: { id: s.otherLink.id } })).state).toBe('pending');
    expect(await ctx.db.auditLog.count({ where: { workspaceId: s.ws.id, action: 'promotion_code.disabled', entityId: s.code.id } })).toBe(1);

    // The same event again changes nothing.
    await applyCodeEvent({ db: ctx.db, connectionId: s.connection.id, event: { kind: 'code', action: 'deactivated', platformId: s.link.platformId!, code: null, active: false }, sync });
    expect((await ctx.db.promotionCode.findUniqueOrThrow({ where: { id: s.code.id } })).version).toBe(2);
  });

  it('disables a code deleted on the platform and marks its link deleted', async () => {
    const s = await setup();
    await applyCodeEvent({ db: ctx.db, connectionId: s.connection.id, event: { kind: 'code', action: 'deleted', platformId: s.link.platformId!, code: null, active: false }, sync });
    expect(await ctx.db.promotionCode.findUniqueOrThrow({ where: { id: s.code.id } })).toMatchObject({ status: 'disabled', disabledReason: 'Deleted on Stripe' });
    expect((await ctx.db.syncLink.findUniqueOrThrow({ where: { id: s.link.id } })).state).toBe('deleted');
  });

  it('lets a newer change of ours win over a platform event that arrives while it is being pushed', async () => {
    const s = await setup();
    await ctx.db.syncLink.update({ where: { id: s.link.id }, data: { state: 'pending' } });
    const result = await applyCodeEvent({ db: ctx.db, connectionId: s.connection.id, event: { kind: 'code', action: 'deactivated', platformId: s.link.platformId!, code: null, active: false }, sync });
    expect(result.outcome).toBe('ignored');
    expect((await ctx.db.promotionCode.findUniqueOrThrow({ where: { id: s.code.id } })).status).toBe('active');
  });

  it('imports a code created on the platform, once', async () => {
    const s = await setup();
    const adapter = createAdapter({ platform: 'stripe', apiBaseUrl: stripe.url, credentials: { secretKey: stripe.state.apiKey } });
    const spec = { id: 'cpn_platform', name: 'Made on Stripe', discountType: 'percent' as const, percentOffBps: 1500, amountOff: null, currency: null, duration: 'once' as const, durationInMonths: null };
    const { platformId: couponPlatformId } = await adapter.upsertCoupon({ coupon: spec, platformId: null, idempotencyKey: `k-${s.code.id}` });
    const none = { firstTimeOnly: false, minimumAmount: null, minimumAmountCurrency: null, expiresAt: null, maxRedemptions: 10 };
    const made = `MADE${Date.now() % 100000}`;
    const { platformId } = await adapter.createPromotionCode({ code: { id: 'pc_platform', code: made, active: true, restrictions: none, coupon: spec }, couponPlatformId, idempotencyKey: `c-${s.code.id}` });

    const event = { kind: 'code' as const, action: 'created' as const, platformId, code: made, active: true };
    const result = await applyCodeEvent({ db: ctx.db, connectionId: s.connection.id, event, sync });
    expect(result.outcome).toBe('imported');
    const imported = await ctx.db.promotionCode.findFirstOrThrow({ where: { workspaceId: s.ws.id, normalizedCode: made } });
    expect(imported).toMatchObject({ source: 'imported', status: 'active', maxRedemptions: 10 });
    const coupon = await ctx.db.coupon.findUniqueOrThrow({ where: { id: imported.couponId } });
    expect(coupon).toMatchObject({ discountType: 'percent', percentOffBps: 1500 });
    expect(await ctx.db.syncLink.findFirst({ where: { connectionId: s.connection.id, entityType: 'coupon', entityId: coupon.id } })).toMatchObject({ platformId: couponPlatformId, state: 'synced' });

    expect((await applyCodeEvent({ db: ctx.db, connectionId: s.connection.id, event, sync })).outcome).toBe('ignored');
    expect(await ctx.db.promotionCode.count({ where: { workspaceId: s.ws.id } })).toBe(2);
  });
});
