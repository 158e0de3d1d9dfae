import { beforeAll, describe, expect, it } from 'vitest';
import { acceptPartnerInvitation, apiKeyHeaders, createPartnerFor, createProgramFor, sessionHeaders, signUpMerchant, useTestApp } from '../helpers.ts';
import { listRoutes, loadSpec, sampleBodyOf, type Route, type Spec } from './openapi.ts';

/**
 * The partner side of the tenant-isolation matrix, generated from the route list (the OpenAPI
 * document) so a new portal route cannot be missed. The victim is a partner of program P1 in
 * workspace W1; the attackers are a partner of the same program, a partner of another program of
 * W1 and a partner of workspace W2, each seeded with codes, sales, commissions and clicks.
 *
 * - Every partner-only /api/portal route, called by each attacker with the victim's ids in the
 *   path (404/403), the query and the body (ignored): never a trace of the victim's data, and the
 *   attacker's own data where the route returns any. The victim's row and session are unchanged.
 * - Public /api/portal routes are listed in `publicPortalRoutes` with what each may reveal; a
 *   new public route fails the test until it is listed there.
 * - Merchant sessions and API keys (of the victim's own workspace too) are refused on partner
 *   routes; a partner session is refused on every merchant /api route, also with its token
 *   presented as a merchant session cookie.
 */
const ctx = useTestApp({ LOGIN_RATE_LIMIT_MAX: '1000' });

type Headers = Record<string, string>;
type SessionHeaders = ReturnType<typeof sessionHeaders>;
type Actor = {
  label: string;
  email: string;
  password: string;
  programId: string;
  partnerId: string;
  headers: SessionHeaders;
  /** Strings only this partner's data contains: ids, email, name, referral key, code, order id. */
  markers: string[];
  ids: { codeId: string; commissionId: string; saleId: string; couponId: string; connectionId: string; invitationToken: string };
};

let seq = 0;

/** Invites a partner through the API, accepts the invitation, and seeds their codes, sales, commissions and clicks. */
async function createActor(merchant: { headers: Headers; workspaceId: string }, programId: string, label: string): Promise<Actor> {
  seq += 1;
  const email = `${label}-${seq}-${Date.now()}@partners.test`;
  const name = `${label[0]!.toUpperCase()}${label.slice(1)} Partner`;
  const invited = await createPartnerFor(ctx.app, merchant, programId, { email, name });
  const session = await acceptPartnerInvitation(ctx.app, invited.invitation.token, `${label} password 123`);
  const f = ctx.factories;
  const scope = { workspaceId: merchant.workspaceId, programId };
  const connection = await f.connection({ ...scope, status: 'connected' });
  const coupon = await f.coupon(scope);
  const code = await f.promotionCode({ ...scope, couponId: coupon.id, partnerId: invited.id, code: `${label.toUpperCase()}20X` });
  const platformOrderId = `ord_${label}_1`;
  const sale = await f.sale({ ...scope, connectionId: connection.id, partnerId: invited.id, promotionCodeId: code.id, platformOrderId, attributionSource: 'code' });
  const commission = await f.commission({ ...scope, saleId: sale.id, partnerId: invited.id, amount: 1_234 });
  await f.referralClick({ ...scope, partnerId: invited.id });
  return {
    label,
    email,
    password: session.password,
    programId,
    partnerId: invited.id,
    headers: session.headers,
    markers: [invited.id, email, name, invited.referralKey, code.id, code.code, commission.id, sale.id, platformOrderId],
    ids: { codeId: code.id, commissionId: commission.id, saleId: sale.id, couponId: coupon.id, connectionId: connection.id, invitationToken: invited.invitation.token },
  };
}

/** A fresh portal session of the actor (a route such as logout may end the previous one). */
async function signIn(actor: Actor): Promise<SessionHeaders> {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/portal/login', payload: { programId: actor.programId, email: actor.email, password: actor.password } });
  if (res.statusCode !== 200) throw new Error(`portal login of ${actor.label} failed: ${res.statusCode} ${res.body}`);
  return sessionHeaders(res, res.json().csrfToken);
}

const markersIn = (body: string, actor: Actor) => actor.markers.filter((m) => body.includes(m));
const key = (route: Pick<Route, 'method' | 'path'>) => `${route.method} ${route.path}`;
const isPortal = (route: Route) => route.path.startsWith('/api/portal/');

type World = Awaited<ReturnType<typeof buildWorld>>;

async function buildWorld() {
  const m1 = await signUpMerchant(ctx.app);
  const m2 = await signUpMerchant(ctx.app);
  const p1 = await createProgramFor(ctx.app, m1, { name: 'Program One' });
  const p2 = await createProgramFor(ctx.app, m1, { name: 'Program Two' });
  const q1 = await createProgramFor(ctx.app, m2, { name: 'Foreign Program' });
  const victim = await createActor(m1, p1.id, 'vera');
  const attackers = [await createActor(m1, p1.id, 'sam'), await createActor(m1, p2.id, 'olga'), await createActor(m2, q1.id, 'fred')];
  // The victim's ids under every name a route might take them by, path, query or body.
  const victimIds: Record<string, string> = {
    id: victim.partnerId,
    programId: p1.id,
    partnerId: victim.partnerId,
    workspaceId: m1.workspaceId,
    codeId: victim.ids.codeId,
    promotionCodeId: victim.ids.codeId,
    commissionId: victim.ids.commissionId,
    saleId: victim.ids.saleId,
    couponId: victim.ids.couponId,
    connectionId: victim.ids.connectionId,
  };
  return { m1, m2, p1, victim, attackers, victimIds };
}

/** The victim's ids as a query string, plus a commission cursor that names the victim's commission. */
function victimQuery(world: World) {
  const cursor = Buffer.from(`2100-01-01T00:00:00.000Z|${world.victim.ids.commissionId}`).toString('base64url');
  return new URLSearchParams({ ...world.victimIds, cursor }).toString();
}

function victimUrl(route: Route, world: World, failures: string[]): string | null {
  const unknown = route.params.filter((p) => !(p in world.victimIds));
  if (unknown.length) {
    failures.push(`${key(route)}: unknown path parameter ${unknown.join(', ')} — add it to victimIds`);
    return null;
  }
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => world.victimIds[name]!);
}

/**
 * What each public portal route may answer a partner of another program or workspace who names
 * the victim. Anything not listed here must answer 401 without a session.
 */
const publicPortalRoutes: Record<string, (world: World, attacker: Actor) => Promise<string | null>> = {
  // The sign-in page's branding is public by design: name, logo and colour, nothing about partners.
  'GET /api/portal/program/{programId}': async (world) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/portal/program/${world.p1.id}` });
    const keys = Object.keys(res.json()).sort();
    return res.statusCode === 200 && keys.join() === 'accentColor,id,logoUrl,name' ? null : `${res.statusCode} ${keys.join()}`;
  },
  'POST /api/portal/login': async (world, attacker) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/portal/login', payload: { programId: world.p1.id, email: world.victim.email, password: attacker.password } });
    return res.statusCode === 401 && res.cookies.length === 0 ? null : `victim's email with the attacker's password -> ${res.statusCode}`;
  },
  'POST /api/portal/invitations/accept': async (world) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/portal/invitations/accept', payload: { token: world.victim.ids.invitationToken, password: 'taken over 12345' } });
    return res.statusCode === 400 && res.cookies.length === 0 ? null : `the victim's used invitation -> ${res.statusCode}`;
  },
  'POST /api/portal/password-reset/request': async (world, attacker) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/portal/password-reset/request', headers: attacker.headers, payload: { programId: world.p1.id, email: world.victim.email } });
    const toAttacker = await ctx.db.mailMessage.count({ where: { to: attacker.email.toLowerCase(), subject: { startsWith: 'Reset' } } });
    return res.statusCode === 202 && ['', 'null'].includes(res.body) && toAttacker === 0 ? null : `${res.statusCode} ${res.body}, ${toAttacker} reset mails to the attacker`;
  },
  'POST /api/portal/password-reset/confirm': async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/portal/password-reset/confirm', payload: { token: 'not-a-reset-token-0123456789', password: 'taken over 12345' } });
    return res.statusCode === 400 && res.cookies.length === 0 ? null : `a guessed token -> ${res.statusCode}`;
  },
};

/** Merchant routes anyone may call (sign-up, sign-in, the development mailbox); not partner data. */
const publicMerchantRoutes = new Set(['POST /api/auth/signup', 'POST /api/auth/login', 'GET /api/dev/mailbox']);

describe('portal isolation matrix', () => {
  let world: World;
  let spec: Spec;
  let portalRoutes: Route[];

  beforeAll(async () => {
    world = await buildWorld();
    spec = await loadSpec(ctx.app);
    portalRoutes = listRoutes(spec).filter(isPortal);
  });

  const bodyFor = (route: Route) => (route.method === 'GET' || route.method === 'DELETE' ? undefined : { ...(sampleBodyOf(route, spec) as object | undefined), ...world.victimIds });

  it("never shows a partner another partner's data, whatever ids they send", async () => {
    const failures: string[] = [];
    const partnerRoutes: Route[] = [];
    for (const route of portalRoutes) {
      if (key(route) in publicPortalRoutes) continue;
      const url = victimUrl(route, world, failures);
      if (!url) continue;
      const anonymous = await ctx.app.inject({ method: route.method, url, payload: bodyFor(route) });
      if (anonymous.statusCode !== 401) {
        failures.push(`${key(route)} answers an anonymous caller ${anonymous.statusCode}: make it partner-only or list it in publicPortalRoutes`);
        continue;
      }
      partnerRoutes.push(route);
    }
    expect(partnerRoutes.map(key)).toEqual(expect.arrayContaining(['GET /api/portal/me', 'GET /api/portal/codes', 'GET /api/portal/stats', 'GET /api/portal/commissions', 'PATCH /api/portal/profile']));
    const victimBefore = await ctx.db.partner.findUniqueOrThrow({ where: { id: world.victim.partnerId } });

    for (const attacker of world.attackers) {
      for (const route of partnerRoutes) {
        const url = victimUrl(route, world, failures)!;
        const headers = await signIn(attacker);
        const res = await ctx.app.inject({ method: route.method, url: `${url}?${victimQuery(world)}`, headers, payload: bodyFor(route) });
        const what = `${attacker.label} ${key(route)} -> ${res.statusCode}`;
        const leaked = markersIn(res.body, world.victim);
        if (leaked.length) failures.push(`${what} shows the victim's ${leaked.join(', ')}`);
        if (route.params.length > 0 && ![403, 404].includes(res.statusCode)) failures.push(`${what}: another partner's id must be 404`);
        // Without ids in the path, a read ignores the victim's ids and answers the caller's own data.
        else if (route.params.length === 0 && route.method === 'GET' && res.statusCode !== 200) failures.push(`${what}: ${res.body.slice(0, 160)}`);
        else if (res.statusCode < 300 && res.body && markersIn(res.body, attacker).length === 0) failures.push(`${what}: answered without the caller's own data: ${res.body.slice(0, 160)}`);
      }
      for (const [name, check] of Object.entries(publicPortalRoutes)) {
        const problem = await check(world, attacker);
        if (problem) failures.push(`${attacker.label} ${name}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);

    // The victim is untouched: same row, still signed in, and sees their own data.
    const victimAfter = await ctx.db.partner.findUniqueOrThrow({ where: { id: world.victim.partnerId } });
    expect({ ...victimAfter, updatedAt: null, resetTokenHash: null, resetExpiresAt: null }).toEqual({ ...victimBefore, updatedAt: null, resetTokenHash: null, resetExpiresAt: null });
    for (const route of partnerRoutes.filter((r) => r.method === 'GET')) {
      const res = await ctx.app.inject({ method: 'GET', url: `${victimUrl(route, world, failures)}?${victimQuery(world)}`, headers: world.victim.headers });
      expect(res.statusCode, key(route)).toBe(200);
      // The search for markers can fail: the victim's own answers carry them.
      expect(markersIn(res.body, world.victim).length, key(route)).toBeGreaterThan(0);
      for (const attacker of world.attackers) expect(markersIn(res.body, attacker), `${key(route)} shows ${attacker.label}'s data to the victim`).toEqual([]);
    }
  });

  it('lists only the caller\'s own rows for every partner, both ways', async () => {
    const lists = ['/api/portal/codes', '/api/portal/commissions', '/api/portal/stats'];
    const everyone = [world.victim, ...world.attackers];
    for (const caller of everyone) {
      for (const url of lists) {
        const res = await ctx.app.inject({ method: 'GET', url, headers: await signIn(caller) });
        expect(res.statusCode, `${caller.label} ${url}`).toBe(200);
        expect(markersIn(res.body, caller).length, `${caller.label} ${url} shows their own rows`).toBeGreaterThan(0);
        for (const other of everyone.filter((o) => o !== caller)) expect(markersIn(res.body, other), `${caller.label} ${url} shows ${other.label}'s rows`).toEqual([]);
      }
    }
  });

  it('refuses merchant sessions and API keys on partner routes, even of the partner\'s own workspace', async () => {
    const m1Key = await apiKeyHeaders(ctx.app, world.m1, 'admin');
    const m2Key = await apiKeyHeaders(ctx.app, world.m2, 'admin');
    const m1Token = /ct_session=([^;]+)/.exec(world.m1.headers.cookie)![1]!;
    const merchants: [string, Headers][] = [
      ['own merchant session', world.m1.headers],
      ['own merchant API key', m1Key],
      ['other merchant session', world.m2.headers],
      ['other merchant API key', m2Key],
      ['own merchant session token as a portal cookie', { cookie: `ct_portal=${m1Token}`, 'x-csrf-token': world.m1.headers['x-csrf-token'] }],
    ];
    const failures: string[] = [];
    let checked = 0;
    for (const route of portalRoutes) {
      if (key(route) in publicPortalRoutes) continue;
      const url = victimUrl(route, world, failures);
      if (!url) continue;
      for (const [who, headers] of merchants) {
        const res = await ctx.app.inject({ method: route.method, url: `${url}?${victimQuery(world)}`, headers, payload: bodyFor(route) });
        if (![401, 403].includes(res.statusCode) || markersIn(res.body, world.victim).length) failures.push(`${who} ${key(route)} -> ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
      checked += 1;
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(6);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/portal/me', headers: world.victim.headers })).statusCode).toBe(200);
  });

  it('refuses a partner session on every merchant route, with the ids of the partner\'s own workspace', async () => {
    const f = ctx.factories;
    const workspaceId = world.m1.workspaceId;
    const syncLink = await f.syncLink({ workspaceId, connectionId: world.victim.ids.connectionId, entityId: world.victim.ids.codeId, promotionCodeId: world.victim.ids.codeId });
    const job = await f.bulkJob({ workspaceId, programId: world.p1.id });
    const apiKey = (await ctx.app.inject({ method: 'POST', url: '/api/api-keys', headers: world.m1.headers, payload: { name: 'k' } })).json();
    const member = (await ctx.app.inject({ method: 'GET', url: '/api/members', headers: world.m1.headers })).json().items[0];
    const ids: Record<string, string> = { ...world.victimIds, syncLinkId: syncLink.id, jobId: job.id, apiKeyId: apiKey.id, memberId: member.id };
    const portalToken = /ct_portal=([^;]+)/.exec(world.victim.headers.cookie)![1]!;
    const partnerCredentials: [string, Headers][] = [
      ['partner session', world.victim.headers],
      ['partner session token as a merchant cookie', { cookie: `ct_session=${portalToken}`, 'x-csrf-token': world.victim.headers['x-csrf-token'] }],
    ];
    const failures: string[] = [];
    const checked: string[] = [];
    for (const route of listRoutes(spec)) {
      if (!route.path.startsWith('/api/') || isPortal(route) || publicMerchantRoutes.has(key(route))) continue;
      const unknown = route.params.filter((p) => !(p in ids));
      if (unknown.length) {
        failures.push(`${key(route)}: unknown path parameter ${unknown.join(', ')} — add it to the ids`);
        continue;
      }
      const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]!);
      for (const [who, headers] of partnerCredentials) {
        const res = await ctx.app.inject({ method: route.method, url, headers, payload: bodyFor(route) });
        if (![401, 403, 404].includes(res.statusCode)) failures.push(`${who} ${key(route)} -> ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
      checked.push(key(route));
    }
    expect(failures).toEqual([]);
    expect(checked.length).toBeGreaterThan(30);
    // The partner's session is still the partner's, and the workspace's data is untouched.
    expect((await ctx.app.inject({ method: 'GET', url: '/api/portal/me', headers: world.victim.headers })).json().partner.id).toBe(world.victim.partnerId);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/programs/${world.p1.id}`, headers: world.m1.headers })).json().status).toBe('active');
  });
});
