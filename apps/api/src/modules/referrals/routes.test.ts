import { randomBytes } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createPartnerFor, createProgramFor, signUpMerchant, useTestApp, type TestContext } from '../../../test/helpers.ts';

const key = () => `ref-${randomBytes(4).toString('hex')}`;

async function setUp(ctx: TestContext, programOverrides: Record<string, unknown> = {}) {
  const m = await signUpMerchant(ctx.app);
  const p = await createProgramFor(ctx.app, m, { landingUrl: 'https://shop.example.test/welcome?utm_source=partner', cookieLifetimeDays: 45, ...programOverrides });
  const partner = await createPartnerFor(ctx.app, m, p.id, { referralKey: key() });
  return { m, p, partner };
}

type Cookie = { name: string; value: string; path?: string; maxAge?: number; sameSite?: string; httpOnly?: boolean; secure?: boolean };

function visitorCookie(res: { cookies: Cookie[] }) {
  return res.cookies.find((c) => c.name === 'ct_vid');
}

const ctx = useTestApp();

describe('referral links', () => {

  it('records the click without an IP, sets the visitor cookie and redirects with ref and ct_vid', async () => {
    const { m, p, partner } = await setUp(ctx);
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/r/${partner.referralKey}`,
      headers: { referer: 'https://podcast.example.test/episode-12', 'x-forwarded-for': '203.0.113.9' },
      remoteAddress: '198.51.100.7',
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = visitorCookie(res);
    expect(cookie).toMatchObject({ path: '/', maxAge: 45 * 86_400, sameSite: 'Lax' });
    expect(cookie?.value).toMatch(/^v_[A-Za-z0-9_-]{22}$/);
    expect(cookie?.httpOnly).toBeFalsy();
    expect(cookie?.secure).toBeFalsy();

    const location = new URL(String(res.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example.test/welcome');
    expect(Object.fromEntries(location.searchParams)).toEqual({ utm_source: 'partner', ref: partner.referralKey, ct_vid: cookie?.value });

    const clicks = await ctx.db.referralClick.findMany({ where: { partnerId: partner.id } });
    expect(clicks).toHaveLength(1);
    const click = clicks[0]!;
    expect(click).toMatchObject({ workspaceId: m.workspaceId, programId: p.id, visitorId: cookie?.value, landingUrl: location.toString(), referrer: 'https://podcast.example.test/episode-12' });
    expect(JSON.stringify(click)).not.toMatch(/198\.51\.100\.7|203\.0\.113\.9|127\.0\.0\.1/);
    expect(Object.keys(click).sort()).toEqual(['createdAt', 'id', 'landingUrl', 'partnerId', 'programId', 'referrer', 'visitorId', 'workspaceId']);
  });

  it('keeps a well-formed visitor cookie and replaces a malformed one', async () => {
    const { partner } = await setUp(ctx);
    const known = `v_${randomBytes(16).toString('base64url')}`;
    const again = await ctx.app.inject({ method: 'GET', url: `/r/${partner.referralKey}`, cookies: { ct_vid: known } });
    expect(visitorCookie(again)?.value).toBe(known);
    expect(new URL(String(again.headers.location)).searchParams.get('ct_vid')).toBe(known);

    const forged = await ctx.app.inject({ method: 'GET', url: `/r/${partner.referralKey}`, cookies: { ct_vid: 'v_"><script>' } });
    const replaced = visitorCookie(forged)?.value;
    expect(replaced).toMatch(/^v_[A-Za-z0-9_-]{22}$/);
    expect(replaced).not.toBe(known);
    const visitors = await ctx.db.referralClick.findMany({ where: { partnerId: partner.id }, select: { visitorId: true } });
    expect(visitors.map((v) => v.visitorId).sort()).toEqual([known, replaced].sort());
  });

  it('answers 404 in the error format for unknown keys, suspended partners and archived programs, and records nothing', async () => {
    const unknown = await ctx.app.inject({ method: 'GET', url: `/r/${key()}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });

    const { m, p, partner } = await setUp(ctx);
    await ctx.app.inject({ method: 'POST', url: `/api/programs/${p.id}/partners/${partner.id}/suspend`, headers: m.headers });
    const suspended = await ctx.app.inject({ method: 'GET', url: `/r/${partner.referralKey}` });
    expect(suspended.statusCode).toBe(404);
    expect(suspended.json().error.code).toBe('not_found');
    expect(visitorCookie(suspended)).toBeUndefined();

    await ctx.app.inject({ method: 'POST', url: `/api/programs/${p.id}/partners/${partner.id}/reactivate`, headers: m.headers });
    expect((await ctx.app.inject({ method: 'GET', url: `/r/${partner.referralKey}` })).statusCode).toBe(302);
    await ctx.app.inject({ method: 'POST', url: `/api/programs/${p.id}/archive`, headers: m.headers });
    expect((await ctx.app.inject({ method: 'GET', url: `/r/${partner.referralKey}` })).statusCode).toBe(404);
    expect(await ctx.db.referralClick.count({ where: { partnerId: partner.id } })).toBe(1);
  });

  it('keeps redirecting an old key to the same partner after the key changes', async () => {
    const { m, p, partner } = await setUp(ctx);
    const renamed = key();
    const patch = await ctx.app.inject({ method: 'PATCH', url: `/api/programs/${p.id}/partners/${partner.id}`, headers: m.headers, payload: { referralKey: renamed } });
    expect(patch.statusCode).toBe(200);
    const viaOld = await ctx.app.inject({ method: 'GET', url: `/r/${partner.referralKey}` });
    const viaNew = await ctx.app.inject({ method: 'GET', url: `/r/${renamed.toUpperCase()}` });
    expect([viaOld.statusCode, viaNew.statusCode]).toEqual([302, 302]);
    expect(new URL(String(viaOld.headers.location)).searchParams.get('ref')).toBe(partner.referralKey);
    expect(new URL(String(viaNew.headers.location)).searchParams.get('ref')).toBe(renamed);
    const clicks = await ctx.db.referralClick.findMany({ where: { programId: p.id }, select: { partnerId: true } });
    expect(clicks).toEqual([{ partnerId: partner.id }, { partnerId: partner.id }]);
  });

  it('leads a key to its own program whoever is signed in', async () => {
    const a = await setUp(ctx);
    const b = await signUpMerchant(ctx.app);
    const res = await ctx.app.inject({ method: 'GET', url: `/r/${a.partner.referralKey}`, headers: b.headers });
    expect(res.statusCode).toBe(302);
    const clicks = await ctx.db.referralClick.findMany({ where: { partnerId: a.partner.id }, select: { workspaceId: true, programId: true } });
    expect(clicks).toEqual([{ workspaceId: a.m.workspaceId, programId: a.p.id }]);
    expect(await ctx.db.referralClick.count({ where: { workspaceId: b.workspaceId } })).toBe(0);
  });

  it('follows `to` only while it stays on the landing URL origin', async () => {
    const { partner } = await setUp(ctx);
    const go = async (to: string) => {
      const res = await ctx.app.inject({ method: 'GET', url: `/r/${partner.referralKey}?to=${encodeURIComponent(to)}` });
      expect(res.statusCode, to).toBe(302);
      const location = new URL(String(res.headers.location));
      expect(location.searchParams.get('ref'), to).toBe(partner.referralKey);
      return `${location.origin}${location.pathname}`;
    };
    expect(await go('/products/mug?color=blue')).toBe('https://shop.example.test/products/mug');
    expect(await go('https://shop.example.test/sale')).toBe('https://shop.example.test/sale');
    for (const evil of ['https://evil.example.test/phish', '//evil.example.test/x', '/\\evil.example.test', 'javascript:alert(1)', 'http://shop.example.test/sale', 'https://shop.example.test.evil.test/']) {
      expect(await go(evil), evil).toBe('https://shop.example.test/welcome');
    }
    const kept = await ctx.app.inject({ method: 'GET', url: `/r/${partner.referralKey}?to=${encodeURIComponent('/cart?coupon=x')}` });
    expect(new URL(String(kept.headers.location)).searchParams.get('coupon')).toBe('x');
    const tooLong = await ctx.app.inject({ method: 'GET', url: `/r/${partner.referralKey}?to=/${'a'.repeat(3000)}` });
    expect(tooLong.statusCode).toBe(302);
    expect(new URL(String(tooLong.headers.location)).pathname).toBe('/welcome');
  });

  it('serves the embed script for any origin with a one-hour cache', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/t.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.body).toContain('window.Codetrack');
  });
});

/** Runs the embed script against a minimal browser: a URL, a cookie jar and the script tag. */
function runScript(source: string, page: { search: string; cookie?: string; attributes?: Record<string, string>; protocol?: string }) {
  const written: string[] = [];
  let jar = page.cookie ?? '';
  const document = {
    currentScript: { getAttribute: (name: string) => page.attributes?.[name] ?? null },
    get cookie() {
      return jar;
    },
    set cookie(value: string) {
      written.push(value);
      const pair = value.split(';')[0] ?? '';
      jar = [...jar.split('; ').filter((c) => c && !c.startsWith(`${pair.split('=')[0]}=`)), pair].join('; ');
    },
  };
  const window = { location: { search: page.search, protocol: page.protocol ?? 'https:' } } as { location: unknown; Codetrack?: { visitorId(): string | null } };
  runInNewContext(source, { window, document });
  return { visitorId: () => window.Codetrack?.visitorId() ?? null, written };
}

describe('embed script', () => {
  const vid = `v_${'A'.repeat(22)}`;

  it('stores ct_vid from the landing URL for data-cookie-days and exposes it', async () => {
    const source = (await ctx.app.inject({ method: 'GET', url: '/t.js' })).body;
    const page = runScript(source, { search: `?ref=john&ct_vid=${vid}&x=1`, attributes: { 'data-cookie-days': '60' } });
    expect(page.visitorId()).toBe(vid);
    expect(page.written).toEqual([`ct_vid=${vid}; Max-Age=${60 * 86_400}; Path=/; SameSite=Lax; Secure`]);

    const defaults = runScript(source, { search: `?ct_vid=${vid}`, protocol: 'http:', attributes: { 'data-cookie-domain': '.shop.example' } });
    expect(defaults.written).toEqual([`ct_vid=${vid}; Max-Age=${30 * 86_400}; Path=/; SameSite=Lax; Domain=.shop.example`]);
  });

  it('falls back to the cookie on later pages and ignores malformed ids', async () => {
    const source = (await ctx.app.inject({ method: 'GET', url: '/t.js' })).body;
    const later = runScript(source, { search: '', cookie: `theme=dark; ct_vid=${vid}` });
    expect(later.visitorId()).toBe(vid);
    expect(later.written).toEqual([]);
    const forged = runScript(source, { search: '?ct_vid=%3Cscript%3E', cookie: 'ct_vid=nope' });
    expect(forged.visitorId()).toBeNull();
    expect(forged.written).toEqual([]);
  });
});

describe('referral links in production', () => {
  const prod = useTestApp({
    NODE_ENV: 'production',
    COOKIE_SECRET: 'a-production-secret-of-at-least-32-chars',
    ENCRYPTION_KEYS: `test:${randomBytes(32).toString('base64')}`,
  });

  it('marks the visitor cookie Secure', async () => {
    const { partner } = await setUp(prod);
    const res = await prod.app.inject({ method: 'GET', url: `/r/${partner.referralKey}` });
    expect(res.statusCode).toBe(302);
    expect(visitorCookie(res)?.secure).toBe(true);
  });
});
