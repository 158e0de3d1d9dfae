import { describe, expect, it } from 'vitest';
import { apiKeyHeaders, createProgramFor, signUpMerchant, useTestApp } from '../../../test/helpers.ts';

const ctx = useTestApp();

async function setup() {
  const m = await signUpMerchant(ctx.app);
  const program = await createProgramFor(ctx.app, m);
  return { m, program };
}

describe('coupons', () => {
  it('creates percent and fixed coupons with defaults and a plain-words description', async () => {
    const { m, program } = await setup();
    const pct = await ctx.app.inject({
      method: 'POST',
      url: `/api/programs/${program.id}/coupons`,
      headers: m.headers,
      payload: { name: 'Podcast 20%', discountType: 'percent', percentOffBps: 2000, defaultRestrictions: { firstTimeOnly: true } },
    });
    expect(pct.statusCode).toBe(201);
    expect(pct.json()).toMatchObject({ discountType: 'percent', percentOffBps: 2000, amountOff: null, duration: 'once', defaultRestrictions: { firstTimeOnly: true }, codesCount: 0, status: 'active' });
    expect(pct.json().description).toContain('20%');

    const fixed = await ctx.app.inject({
      method: 'POST',
      url: `/api/programs/${program.id}/coupons`,
      headers: m.headers,
      payload: { name: '$10 off', discountType: 'fixed', amountOff: 1000, currency: 'usd', duration: 'repeating', durationInMonths: 3 },
    });
    expect(fixed.statusCode).toBe(201);
    expect(fixed.json()).toMatchObject({ amountOff: 1000, currency: 'USD', duration: 'repeating', durationInMonths: 3 });
    const list = await ctx.app.inject({ method: 'GET', url: `/api/programs/${program.id}/coupons`, headers: m.headers });
    expect(list.json().items).toHaveLength(2);
  });

  it('names every invalid field', async () => {
    const { m, program } = await setup();
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/programs/${program.id}/coupons`,
      headers: m.headers,
      payload: { name: 'x', discountType: 'fixed', percentOffBps: 20000, duration: 'repeating' },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.percentOffBps', 'body.amountOff', 'body.currency', 'body.durationInMonths']));
  });

  it('refuses connections of another program', async () => {
    const { m, program } = await setup();
    const other = await createProgramFor(ctx.app, m);
    const connection = await ctx.factories.connection({ workspaceId: m.workspaceId, programId: other.id });
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/programs/${program.id}/coupons`,
      headers: m.headers,
      payload: { name: 'x', discountType: 'percent', percentOffBps: 1000, connectionIds: [connection.id] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_connection');
  });

  it('says per connection which restrictions the platform enforces and which we enforce at attribution', async () => {
    const { m, program } = await setup();
    const stripe = await ctx.factories.connection({ workspaceId: m.workspaceId, programId: program.id, platform: 'stripe', status: 'connected' });
    const paddle = await ctx.factories.connection({ workspaceId: m.workspaceId, programId: program.id, platform: 'paddle', status: 'connected' });
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/programs/${program.id}/coupons`,
      headers: m.headers,
      payload: { name: 'x', discountType: 'percent', percentOffBps: 1000, connectionIds: [stripe.id, paddle.id] },
    });
    const enforcement = res.json().enforcement;
    expect(enforcement.find((e: { platform: string }) => e.platform === 'stripe').restrictions.firstTimeOnly).toBe('platform');
    expect(enforcement.find((e: { platform: string }) => e.platform === 'paddle').restrictions).toMatchObject({ firstTimeOnly: 'attribution', minimumAmount: 'attribution', expiresAt: 'platform' });
    const links = await ctx.db.syncLink.findMany({ where: { couponId: res.json().id } });
    expect(links.map((l) => l.state)).toEqual(['pending', 'pending']);
  });

  it('answers 409 coupon_discount_locked when the discount of a coupon already on Stripe changes, but lets the name change', async () => {
    const { m, program } = await setup();
    const stripe = await ctx.factories.connection({ workspaceId: m.workspaceId, programId: program.id, platform: 'stripe', status: 'connected' });
    const coupon = (
      await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/coupons`, headers: m.headers, payload: { name: 'x', discountType: 'percent', percentOffBps: 1000, connectionIds: [stripe.id] } })
    ).json();
    // Before the coupon exists on Stripe the discount may still change.
    const early = await ctx.app.inject({ method: 'PATCH', url: `/api/coupons/${coupon.id}`, headers: m.headers, payload: { percentOffBps: 1500 } });
    expect(early.statusCode).toBe(200);
    await ctx.db.syncLink.updateMany({ where: { couponId: coupon.id }, data: { platformId: 'stripe_coupon_1', state: 'synced' } });
    const locked = await ctx.app.inject({ method: 'PATCH', url: `/api/coupons/${coupon.id}`, headers: m.headers, payload: { percentOffBps: 2500 } });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error.code).toBe('coupon_discount_locked');
    expect(locked.json().error.message).toContain('Stripe');
    const renamed = await ctx.app.inject({ method: 'PATCH', url: `/api/coupons/${coupon.id}`, headers: m.headers, payload: { name: 'Renamed' } });
    expect(renamed.json()).toMatchObject({ name: 'Renamed', percentOffBps: 1500 });
  });

  it('archives a coupon and marks its codes for deactivation on every platform', async () => {
    const { m, program } = await setup();
    const stripe = await ctx.factories.connection({ workspaceId: m.workspaceId, programId: program.id, platform: 'stripe', status: 'connected' });
    const coupon = (
      await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/coupons`, headers: m.headers, payload: { name: 'x', discountType: 'percent', percentOffBps: 1000, connectionIds: [stripe.id] } })
    ).json();
    const code = (await ctx.app.inject({ method: 'POST', url: `/api/coupons/${coupon.id}/promotion-codes`, headers: m.headers, payload: { code: 'ARCHIVE1' } })).json();
    await ctx.db.syncLink.updateMany({ where: { promotionCodeId: code.id }, data: { state: 'synced' } });
    const res = await ctx.app.inject({ method: 'POST', url: `/api/coupons/${coupon.id}/archive`, headers: m.headers });
    expect(res.json().status).toBe('archived');
    expect((await ctx.db.syncLink.findFirstOrThrow({ where: { promotionCodeId: code.id } })).state).toBe('pending');
    const more = await ctx.app.inject({ method: 'POST', url: `/api/coupons/${coupon.id}/promotion-codes`, headers: m.headers, payload: { code: 'ARCHIVE2' } });
    expect(more.statusCode).toBe(409);
  });

  it('gives another workspace 404 and a viewer 403 on writes', async () => {
    const { m, program } = await setup();
    const b = await signUpMerchant(ctx.app);
    const coupon = (await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/coupons`, headers: m.headers, payload: { name: 'x', discountType: 'percent', percentOffBps: 1000 } })).json();
    const payload = { name: 'y', discountType: 'percent', percentOffBps: 1000 };
    for (const [method, url, body] of [
      ['GET', `/api/programs/${program.id}/coupons`, undefined],
      ['POST', `/api/programs/${program.id}/coupons`, payload],
      ['GET', `/api/coupons/${coupon.id}`, undefined],
      ['PATCH', `/api/coupons/${coupon.id}`, { name: 'z' }],
      ['POST', `/api/coupons/${coupon.id}/archive`, undefined],
    ] as const) {
      const res = await ctx.app.inject({ method, url, headers: b.headers, ...(body ? { payload: body } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const viewer = await apiKeyHeaders(ctx.app, m, 'viewer');
    expect((await ctx.app.inject({ method: 'GET', url: `/api/coupons/${coupon.id}`, headers: viewer })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/coupons`, headers: viewer, payload })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/coupons/${coupon.id}`, headers: viewer, payload: { name: 'z' } })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/coupons/${coupon.id}/archive`, headers: viewer })).statusCode).toBe(403);
  });
});
