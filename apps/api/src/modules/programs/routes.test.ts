import { describe, expect, it } from 'vitest';
import { apiKeyHeaders, createProgramFor, demoProgramInput, signUpMerchant, useTestApp } from '../../../test/helpers.ts';

const ctx = useTestApp();

describe('programs', () => {
  it('creates a program with its settings and reads it back', async () => {
    const m = await signUpMerchant(ctx.app);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/programs',
      headers: m.headers,
      payload: { ...demoProgramInput, commission: { type: 'fixed', value: 1500, duration: 'months', durationMonths: 12 }, portal: { accentColor: '#112233', logoUrl: null } },
    });
    expect(res.statusCode).toBe(201);
    const program = res.json();
    expect(program).toMatchObject({
      currency: 'USD',
      cookieLifetimeDays: 30,
      holdPeriodDays: 30,
      commission: { type: 'fixed', value: 1500, duration: 'months', durationMonths: 12 },
      autoCode: { enabled: false, couponId: null, pattern: null },
      portal: { accentColor: '#112233', logoUrl: null },
      status: 'active',
    });
    const read = await ctx.app.inject({ method: 'GET', url: `/api/programs/${program.id}`, headers: m.headers });
    expect(read.json()).toEqual(program);
    const audit = await ctx.db.auditLog.findFirst({ where: { entityId: program.id, action: 'program.created' } });
    expect(audit).not.toBeNull();
  });

  it('names every invalid field', async () => {
    const m = await signUpMerchant(ctx.app);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/programs',
      headers: m.headers,
      payload: { name: '', currency: 'dollars', landingUrl: 'javascript:alert(1)', cookieLifetimeDays: 0, commission: { type: 'percent', value: 20000, duration: 'months' } },
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.currency', 'body.landingUrl', 'body.cookieLifetimeDays', 'body.commission.value', 'body.commission.durationMonths']));
    expect(await ctx.db.program.count({ where: { workspaceId: m.workspaceId } })).toBe(0);
  });

  it('updates settings, archives (then refuses changes) and unarchives', async () => {
    const m = await signUpMerchant(ctx.app);
    const p = await createProgramFor(ctx.app, m);
    const upd = await ctx.app.inject({ method: 'PATCH', url: `/api/programs/${p.id}`, headers: m.headers, payload: { cookieLifetimeDays: 60, holdPeriodDays: 14 } });
    expect(upd.json()).toMatchObject({ cookieLifetimeDays: 60, holdPeriodDays: 14, name: demoProgramInput.name });
    expect((await ctx.app.inject({ method: 'POST', url: `/api/programs/${p.id}/archive`, headers: m.headers })).json().status).toBe('archived');
    const blocked = await ctx.app.inject({ method: 'PATCH', url: `/api/programs/${p.id}`, headers: m.headers, payload: { name: 'x' } });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('program_archived');
    const list = await ctx.app.inject({ method: 'GET', url: '/api/programs?status=archived', headers: m.headers });
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/programs/${p.id}/unarchive`, headers: m.headers })).json().status).toBe('active');
  });

  it('rejects auto-codes pointing at a coupon of another program', async () => {
    const m = await signUpMerchant(ctx.app);
    const p = await createProgramFor(ctx.app, m);
    const res = await ctx.app.inject({ method: 'PATCH', url: `/api/programs/${p.id}`, headers: m.headers, payload: { autoCode: { enabled: true, couponId: 'cpn_nope', pattern: '{FIRSTNAME}{AMOUNT}' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_coupon');
  });

  it('pages the list with a keyset cursor', async () => {
    const m = await signUpMerchant(ctx.app);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createProgramFor(ctx.app, m, { name: `P${i}` })).id);
    const first = await ctx.app.inject({ method: 'GET', url: '/api/programs?limit=2', headers: m.headers });
    const second = await ctx.app.inject({ method: 'GET', url: `/api/programs?limit=2&cursor=${first.json().nextCursor}`, headers: m.headers });
    const seen = [...first.json().items, ...second.json().items].map((x: { id: string }) => x.id);
    expect(seen).toEqual([...ids].reverse());
    expect(second.json().nextCursor).toBeNull();
  });

  it('gives another workspace 404 and a viewer 403 on writes', async () => {
    const a = await signUpMerchant(ctx.app);
    const b = await signUpMerchant(ctx.app);
    const p = await createProgramFor(ctx.app, a);
    for (const [method, url] of [
      ['GET', `/api/programs/${p.id}`],
      ['PATCH', `/api/programs/${p.id}`],
      ['POST', `/api/programs/${p.id}/archive`],
      ['POST', `/api/programs/${p.id}/unarchive`],
    ] as const) {
      const res = await ctx.app.inject({ method, url, headers: b.headers, ...(method === 'PATCH' ? { payload: { name: 'stolen' } } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/api/programs', headers: b.headers })).json().items).toEqual([]);

    const viewer = await apiKeyHeaders(ctx.app, a, 'viewer');
    expect((await ctx.app.inject({ method: 'GET', url: `/api/programs/${p.id}`, headers: viewer })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/programs', headers: viewer, payload: demoProgramInput })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/programs/${p.id}`, headers: viewer, payload: { name: 'x' } })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/programs/${p.id}/archive`, headers: viewer })).statusCode).toBe(403);
  });
});
