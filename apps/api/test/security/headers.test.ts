import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signUpMerchant, useTestApp } from '../helpers.ts';

// Security basics of every response: helmet's headers, CORS limited to the app origins, and
// session cookies marked Secure in production.

const appOrigin = 'https://admin.codetrack.test';

describe('in development and tests', () => {
  const ctx = useTestApp({ APP_ORIGINS: `${appOrigin},https://partners.codetrack.test` });

  it('sends helmet security headers on API responses', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/me' });
    expect(res.statusCode).toBe(401);
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'strict-transport-security': expect.stringContaining('max-age='),
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows the app origins with credentials and nobody else', async () => {
    const allowed = await ctx.app.inject({ method: 'OPTIONS', url: '/api/programs', headers: { origin: appOrigin, 'access-control-request-method': 'POST' } });
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(appOrigin);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');

    for (const origin of ['https://evil.example', 'https://admin.codetrack.test.evil.example', 'null']) {
      const refused = await ctx.app.inject({ method: 'OPTIONS', url: '/api/programs', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(refused.headers['access-control-allow-origin'], origin).toBeUndefined();
      const simple = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: { origin } });
      expect(simple.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
  });

  it('does not mark cookies Secure over plain HTTP in development', async () => {
    const credentials = { email: `dev-${Date.now()}@example.test`, password: 'correct horse battery' };
    await signUpMerchant(ctx.app, credentials);
    const login = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: credentials });
    expect(login.statusCode).toBe(200);
    expect(login.cookies.find((c) => c.name === 'ct_session')?.secure).toBeFalsy();
  });
});

describe('in production', () => {
  const ctx = useTestApp({
    NODE_ENV: 'production',
    COOKIE_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEYS: `prod:${randomBytes(32).toString('base64')}`,
  });

  it('marks the session and CSRF cookies Secure, HttpOnly and SameSite=Lax', async () => {
    const credentials = { email: `prod-${Date.now()}@example.test`, password: 'correct horse battery' };
    await signUpMerchant(ctx.app, credentials);
    const login = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: credentials });
    expect(login.statusCode).toBe(200);
    expect(login.cookies.find((c) => c.name === 'ct_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    expect(login.cookies.length).toBeGreaterThan(1);
    for (const cookie of login.cookies) expect(cookie, cookie.name).toMatchObject({ secure: true, httpOnly: true });
  });
});
