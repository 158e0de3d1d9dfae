import { describe, expect, it } from 'vitest';
import { apiKeyHeaders, createProgramFor, signUpMerchant, useTestApp } from '../../../test/helpers.ts';

const ctx = useTestApp();

async function setup(opts: { platforms?: ('stripe' | 'paddle' | 'woocommerce' | 'shopify')[]; defaults?: Record<string, unknown> } = {}) {
  const m = await signUpMerchant(ctx.app);
  const program = await createProgramFor(ctx.app, m);
  const connectionIds = [];
  for (const platform of opts.platforms ?? []) {
    connectionIds.push((await ctx.factories.connection({ workspaceId: m.workspaceId, programId: program.id, platform, status: 'connected' })).id);
  }
  const coupon = (
    await ctx.app.inject({
      method: 'POST',
      url: `/api/programs/${program.id}/coupons`,
      headers: m.headers,
      payload: { name: 'Partner 20%', discountType: 'percent', percentOffBps: 2000, connectionIds, defaultRestrictions: opts.defaults ?? {} },
    })
  ).json();
  const partner = await ctx.factories.partner({ workspaceId: m.workspaceId, programId: program.id, name: 'John Smith', firstName: 'John', lastName: 'Smith' });
  return { m, program, coupon, partner, connectionIds };
}

const create = (couponId: string, headers: Record<string, string>, payload: Record<string, unknown>) =>
  ctx.app.inject({ method: 'POST', url: `/api/coupons/${couponId}/promotion-codes`, headers, payload });

describe('promotion codes', () => {
  it('creates a code for a partner: trimmed, upper-cased for uniqueness, coupon defaults merged, outbox rows pending', async () => {
    const { m, coupon, partner, connectionIds } = await setup({ platforms: ['stripe'], defaults: { firstTimeOnly: true, maxRedemptions: 100 } });
    const res = await create(coupon.id, m.headers, { code: '  john20 ', partnerId: partner.id, restrictions: { minimumAmount: 5000, maxRedemptions: 50 } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      code: 'john20',
      normalizedCode: 'JOHN20',
      partner: { id: partner.id },
      restrictions: { firstTimeOnly: true, minimumAmount: 5000, minimumAmountCurrency: 'USD', maxRedemptions: 50, expiresAt: null },
      status: 'active',
      source: 'manual',
      sync: [{ connectionId: connectionIds[0], platform: 'stripe', state: 'pending' }],
    });
    const history = await ctx.app.inject({ method: 'GET', url: `/api/promotion-codes/${res.json().id}/assignments`, headers: m.headers });
    expect(history.json().items).toEqual([expect.objectContaining({ partnerId: partner.id, unassignedAt: null })]);
  });

  it('makes a random readable code when the code is blank', async () => {
    const { m, coupon } = await setup();
    const res = await create(coupon.id, m.headers, { code: '' });
    expect(res.statusCode).toBe(201);
    expect(res.json().normalizedCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
  });

  it('names what is wrong with a code: characters, length, the platform that would reject it, reserved words', async () => {
    const { m, coupon } = await setup({ platforms: ['paddle'] });
    const bad = await create(coupon.id, m.headers, { code: 'no spaces!' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('body.code');
    expect(bad.json().error.message).toMatch(/letters, digits/);

    const paddle = await create(coupon.id, m.headers, { code: 'JOHN-20' });
    expect(paddle.statusCode).toBe(400);
    expect(paddle.json().error.code).toBe('code_rejected_by_platform');
    expect(paddle.json().error.message).toContain('Paddle');

    expect((await create(coupon.id, m.headers, { code: 'AB' })).json().error.message).toMatch(/at least 3/);
    await ctx.app.inject({ method: 'PATCH', url: '/api/workspace', headers: m.headers, payload: { reservedWords: ['free'] } });
    const reserved = await create(coupon.id, m.headers, { code: 'FREEBIE' });
    expect(reserved.json().error.code).toBe('code_reserved_word');
    expect(await ctx.db.promotionCode.count({ where: { workspaceId: m.workspaceId } })).toBe(0);
  });

  it('answers a taken code (any case, any coupon) with 409 and free suggestions', async () => {
    const { m, program, coupon } = await setup();
    const other = (await ctx.app.inject({ method: 'POST', url: `/api/programs/${program.id}/coupons`, headers: m.headers, payload: { name: 'Other', discountType: 'percent', percentOffBps: 1000 } })).json();
    await create(coupon.id, m.headers, { code: 'SARAH20' });
    await create(coupon.id, m.headers, { code: 'SARAH20-2' });
    const res = await create(other.id, m.headers, { code: 'sarah20' });
    expect(res.statusCode).toBe(409);
    const error = res.json().error;
    expect(error.code).toBe('promotion_code_taken');
    expect(error.suggestions.length).toBeGreaterThanOrEqual(2);
    expect(error.suggestions).not.toContain('SARAH20-2');
    for (const s of error.suggestions) expect((await create(other.id, m.headers, { code: s })).statusCode).toBe(201);
  });

  it('gives one 201 and one 409 for two concurrent creates of the same code in different case', async () => {
    const { m, coupon } = await setup();
    const [a, b] = await Promise.all([create(coupon.id, m.headers, { code: 'RACE10' }), create(coupon.id, m.headers, { code: 'race10' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect(await ctx.db.promotionCode.count({ where: { workspaceId: m.workspaceId, normalizedCode: 'RACE10' } })).toBe(1);
  });

  it('keeps disabled and deleted codes reserved; enable brings a disabled code back', async () => {
    const { m, coupon } = await setup();
    const code = (await create(coupon.id, m.headers, { code: 'KEEPME' })).json();
    const disabled = await ctx.app.inject({ method: 'POST', url: `/api/promotion-codes/${code.id}/disable`, headers: m.headers, payload: { reason: 'Partner left' } });
    expect(disabled.json()).toMatchObject({ status: 'disabled', disabledReason: 'Partner left' });
    expect((await create(coupon.id, m.headers, { code: 'keepme' })).statusCode).toBe(409);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/promotion-codes/${code.id}/enable`, headers: m.headers })).json().status).toBe('active');
    const deleted = await ctx.app.inject({ method: 'DELETE', url: `/api/promotion-codes/${code.id}`, headers: m.headers });
    expect(deleted.json().status).toBe('deleted');
    expect((await create(coupon.id, m.headers, { code: 'KEEPME' })).statusCode).toBe(409);
    const change = await ctx.app.inject({ method: 'POST', url: `/api/promotion-codes/${code.id}/enable`, headers: m.headers });
    expect(change.statusCode).toBe(409);
    expect(change.json().error.code).toBe('promotion_code_deleted');
  });

  it('reassigns a code and keeps the history', async () => {
    const { m, program, coupon, partner } = await setup();
    const second = await ctx.factories.partner({ workspaceId: m.workspaceId, programId: program.id, name: 'Sarah Lee' });
    const code = (await create(coupon.id, m.headers, { code: 'MOVEME', partnerId: partner.id })).json();
    const moved = await ctx.app.inject({ method: 'POST', url: `/api/promotion-codes/${code.id}/assign`, headers: m.headers, payload: { partnerId: second.id } });
    expect(moved.json().partner.id).toBe(second.id);
    const history = (await ctx.app.inject({ method: 'GET', url: `/api/promotion-codes/${code.id}/assignments`, headers: m.headers })).json().items;
    expect(history.map((h: { partnerId: string }) => h.partnerId)).toEqual([partner.id, second.id]);
    expect(history[0].unassignedAt).not.toBeNull();
    expect(history[1].unassignedAt).toBeNull();
    const foreignProgram = await createProgramFor(ctx.app, m);
    const stranger = await ctx.factories.partner({ workspaceId: m.workspaceId, programId: foreignProgram.id });
    const refused = await ctx.app.inject({ method: 'POST', url: `/api/promotion-codes/${code.id}/assign`, headers: m.headers, payload: { partnerId: stranger.id } });
    expect(refused.statusCode).toBe(400);
  });

  it('updates restrictions and refuses an expiry in the past', async () => {
    const { m, coupon } = await setup();
    const code = (await create(coupon.id, m.headers, { code: 'LIMITS' })).json();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const ok = await ctx.app.inject({ method: 'PATCH', url: `/api/promotion-codes/${code.id}`, headers: m.headers, payload: { restrictions: { expiresAt: future, maxRedemptions: 5 } } });
    expect(ok.json().restrictions).toMatchObject({ expiresAt: future, maxRedemptions: 5 });
    const past = await ctx.app.inject({ method: 'PATCH', url: `/api/promotion-codes/${code.id}`, headers: m.headers, payload: { restrictions: { expiresAt: '2020-01-01T00:00:00Z' } } });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details[0].path).toBe('body.restrictions.expiresAt');
  });

  it('checks a code live for the form', async () => {
    const { m, coupon } = await setup({ platforms: ['paddle'] });
    await create(coupon.id, m.headers, { code: 'TAKEN1' });
    const taken = (await ctx.app.inject({ method: 'POST', url: '/api/promotion-codes/validate', headers: m.headers, payload: { couponId: coupon.id, code: 'taken1' } })).json();
    expect(taken).toMatchObject({ ok: false, normalizedCode: 'TAKEN1', problems: [{ code: 'promotion_code_taken' }] });
    expect(taken.suggestions.length).toBeGreaterThanOrEqual(2);
    for (const s of taken.suggestions) expect(s).toMatch(/^[A-Z0-9]+$/);
    const dash = (await ctx.app.inject({ method: 'POST', url: '/api/promotion-codes/validate', headers: m.headers, payload: { couponId: coupon.id, code: 'A-B-C' } })).json();
    expect(dash.problems).toEqual([expect.objectContaining({ code: 'rejected_by_platform', platform: 'paddle' })]);
    const free = (await ctx.app.inject({ method: 'POST', url: '/api/promotion-codes/validate', headers: m.headers, payload: { couponId: coupon.id, code: 'FREE1' } })).json();
    expect(free).toMatchObject({ ok: true, problems: [] });
  });

  it('searches a program by partner, coupon, status, sync state and prefix, with keyset pages and a total', async () => {
    const { m, program, coupon, partner } = await setup({ platforms: ['stripe'] });
    const ids: Record<string, string> = {};
    for (const c of ['ALPHA1', 'ALPHA2', 'ALPHA3', 'BETA1']) ids[c] = (await create(coupon.id, m.headers, { code: c, ...(c === 'BETA1' ? { partnerId: partner.id } : {}) })).json().id;
    await ctx.app.inject({ method: 'POST', url: `/api/promotion-codes/${ids.ALPHA3}/disable`, headers: m.headers, payload: {} });
    await ctx.db.syncLink.updateMany({ where: { promotionCodeId: ids.ALPHA1 }, data: { state: 'failed', lastError: 'boom' } });
    const q = (query: string) => ctx.app.inject({ method: 'GET', url: `/api/promotion-codes?programId=${program.id}&${query}`, headers: m.headers }).then((r) => r.json());

    const prefix = await q('prefix=alp&limit=2');
    expect(prefix.total).toBe(3);
    expect(prefix.items.map((i: { code: string }) => i.code)).toEqual(['ALPHA3', 'ALPHA2']);
    const next = await q(`prefix=alp&limit=2&cursor=${prefix.nextCursor}`);
    expect(next.items.map((i: { code: string }) => i.code)).toEqual(['ALPHA1']);
    expect(next.nextCursor).toBeNull();
    expect((await q(`partnerId=${partner.id}`)).items.map((i: { code: string }) => i.code)).toEqual(['BETA1']);
    expect((await q('status=disabled')).items.map((i: { code: string }) => i.code)).toEqual(['ALPHA3']);
    expect((await q('syncState=failed')).items.map((i: { code: string }) => i.code)).toEqual(['ALPHA1']);
    expect((await q(`couponId=${coupon.id}`)).total).toBe(4);
    const perCoupon = await ctx.app.inject({ method: 'GET', url: `/api/coupons/${coupon.id}/promotion-codes?status=active`, headers: m.headers });
    expect(perCoupon.json()).toMatchObject({ total: 3, totalExact: true });
  });

  it('counts the total exactly up to 10,000 codes, then says there are more', async () => {
    const { m, program, coupon, partner } = await setup();
    await ctx.db.$executeRaw`
      INSERT INTO "PromotionCode" ("workspaceId", "programId", "couponId", "code", "normalizedCode", "updatedAt")
      SELECT ${m.workspaceId}, ${program.id}, ${coupon.id}, 'BULK' || i, 'BULK' || i, now() FROM generate_series(1, 10005) AS i`;
    await create(coupon.id, m.headers, { code: 'OWNED1', partnerId: partner.id });
    const q = (query: string) => ctx.app.inject({ method: 'GET', url: `/api/promotion-codes?programId=${program.id}&${query}`, headers: m.headers }).then((r) => r.json());
    expect(await q('limit=5')).toMatchObject({ total: 10_000, totalExact: false });
    expect(await q(`partnerId=${partner.id}`)).toMatchObject({ total: 1, totalExact: true });
    expect(await q('prefix=BULK1000')).toMatchObject({ total: 7, totalExact: true }); // BULK1000 and BULK10000-10005
  });

  it('gives another workspace 404 on every route and a viewer 403 on writes', async () => {
    const { m, coupon, partner } = await setup();
    const b = await signUpMerchant(ctx.app);
    const code = (await create(coupon.id, m.headers, { code: 'MINE1', partnerId: partner.id })).json();
    const routes = [
      ['GET', `/api/coupons/${coupon.id}/promotion-codes`, undefined],
      ['POST', `/api/coupons/${coupon.id}/promotion-codes`, { code: 'STEAL1' }],
      ['POST', `/api/coupons/${coupon.id}/promotion-codes/generate/preview`, { pattern: '{FIRSTNAME}{AMOUNT}' }],
      ['POST', `/api/coupons/${coupon.id}/promotion-codes/generate`, { pattern: '{FIRSTNAME}{AMOUNT}' }],
      ['GET', `/api/promotion-codes?programId=${coupon.programId}`, undefined],
      ['POST', '/api/promotion-codes/validate', { couponId: coupon.id, code: 'X1X' }],
      ['GET', `/api/promotion-codes/${code.id}`, undefined],
      ['PATCH', `/api/promotion-codes/${code.id}`, { restrictions: { maxRedemptions: 1 } }],
      ['POST', `/api/promotion-codes/${code.id}/assign`, { partnerId: null }],
      ['GET', `/api/promotion-codes/${code.id}/assignments`, undefined],
      ['POST', `/api/promotion-codes/${code.id}/disable`, {}],
      ['POST', `/api/promotion-codes/${code.id}/enable`, undefined],
      ['DELETE', `/api/promotion-codes/${code.id}`, undefined],
    ] as const;
    for (const [method, url, body] of routes) {
      const res = await ctx.app.inject({ method, url, headers: b.headers, ...(body ? { payload: body } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const job = await ctx.db.bulkJob.create({ data: { workspaceId: m.workspaceId, type: 'generate_codes' } });
    expect((await ctx.app.inject({ method: 'GET', url: `/api/jobs/${job.id}`, headers: b.headers })).statusCode).toBe(404);
    expect((await ctx.db.promotionCode.findUniqueOrThrow({ where: { id: code.id } })).status).toBe('active');

    const viewer = await apiKeyHeaders(ctx.app, m, 'viewer');
    for (const [method, url, body] of routes) {
      const res = await ctx.app.inject({ method, url, headers: viewer, ...(body ? { payload: body } : {}) });
      const isRead = method === 'GET' || url.endsWith('/validate');
      expect(res.statusCode, `viewer ${method} ${url}`).toBe(isRead ? 200 : 403);
    }
  });
});
