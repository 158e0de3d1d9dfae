import { describe, expect, it } from 'vitest';
import { signUpMerchant, useTestApp } from '../../../test/helpers.ts';

const ctx = useTestApp({ LOGIN_RATE_LIMIT_MAX: '5' });

describe('merchant auth', () => {
  it('signs up, signs in and answers /api/me with the user and workspace', async () => {
    const m = await signUpMerchant(ctx.app, { email: 'Owner@Example.test' });
    expect(m.me.user.email).toBe('owner@example.test');
    expect(m.me.role).toBe('owner');

    const login = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'owner@example.test', password: m.password } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'ct_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(cookie?.path).toBe('/');

    const me = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `ct_session=${cookie!.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { email: 'owner@example.test' }, workspace: { id: m.workspaceId, name: m.workspaceName }, role: 'owner' });
    expect(me.json().csrfToken).toEqual(expect.any(String));

    const row = await ctx.db.user.findUniqueOrThrow({ where: { email: 'owner@example.test' } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('answers a wrong password and an unknown email the same way, without saying which was wrong', async () => {
    const m = await signUpMerchant(ctx.app);
    const wrongPassword = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: m.email, password: 'nope nope nope' } });
    const unknownEmail = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@example.test', password: m.password } });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(unknownEmail.json());
    expect(wrongPassword.json().error.code).toBe('invalid_credentials');
    expect(wrongPassword.cookies.find((c) => c.name === 'ct_session')).toBeUndefined();
  });

  it('rate-limits rapid repeated failed logins with 429', async () => {
    const m = await signUpMerchant(ctx.app);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: m.email, password: `wrong-${i}` } });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expect(res.json().error.code).toBe('rate_limited');
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('refuses an unsafe cookie-authenticated request without the CSRF token', async () => {
    const m = await signUpMerchant(ctx.app);
    const withoutToken = await ctx.app.inject({ method: 'POST', url: '/api/api-keys', headers: { cookie: m.headers.cookie }, payload: { name: 'CI' } });
    expect(withoutToken.statusCode).toBe(403);
    expect(withoutToken.json().error.code).toBe('csrf_invalid');

    const other = await signUpMerchant(ctx.app);
    const foreignToken = await ctx.app.inject({
      method: 'POST',
      url: '/api/api-keys',
      headers: { cookie: m.headers.cookie, 'x-csrf-token': other.headers['x-csrf-token'] },
      payload: { name: 'CI' },
    });
    expect(foreignToken.statusCode).toBe(403);

    const withToken = await ctx.app.inject({ method: 'POST', url: '/api/api-keys', headers: m.headers, payload: { name: 'CI' } });
    expect(withToken.statusCode).toBe(201);
  });

  it('signs out: the session no longer works', async () => {
    const m = await signUpMerchant(ctx.app);
    const out = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: m.headers });
    expect(out.statusCode).toBe(204);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: m.headers.cookie } });
    expect(me.statusCode).toBe(401);
  });

  it('refuses a second account with the same email (any case) with 409', async () => {
    await signUpMerchant(ctx.app, { email: 'dup@example.test' });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { email: 'DUP@example.test', password: 'another long password', name: 'X', workspaceName: 'Y' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('email_taken');
  });

  it('writes audit rows for sign-up and sign-in', async () => {
    const m = await signUpMerchant(ctx.app);
    await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: m.email, password: m.password } });
    const rows = await ctx.db.auditLog.findMany({ where: { workspaceId: m.workspaceId }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => r.action)).toEqual(['user.signed_up', 'user.signed_in']);
  });
});
