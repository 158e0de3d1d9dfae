import { describe, expect, it } from 'vitest';
import { signUpMerchant, useTestApp } from './helpers.ts';

const ctx = useTestApp();

describe('health and docs', () => {
  it('answers /healthz and /readyz when Postgres and Redis are up', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await ctx.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
  });

  it('serves a valid OpenAPI 3 document listing the auth routes with their schemas', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const spec = res.json();
    expect(spec.openapi).toMatch(/^3\./);
    const signup = spec.paths['/api/auth/signup'].post;
    const body = signup.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['email', 'password', 'name', 'workspaceName']));
    expect(Object.keys(signup.responses)).toEqual(expect.arrayContaining(['201', '400', '409']));
    expect(spec.paths['/api/auth/login'].post.responses['401']).toBeDefined();
    expect(spec.paths['/api/me'].get.responses['200']).toBeDefined();
    expect(spec.paths['/api/auth/logout'].post).toBeDefined();
    const ui = await ctx.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});

describe('bad input never gives a 500', () => {
  it('answers malformed JSON with 400 in the error format', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email": ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_json', message: expect.any(String) });
  });

  it('answers wrong types with 400 naming each field', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/signup', payload: { email: 42, password: 'short', name: '', workspaceName: ['x'] } });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('validation_failed');
    const paths = error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.name', 'body.workspaceName']));
    expect(error.message).toContain('body.password');
  });

  it('answers a body over 1 MB with 413', async () => {
    const big = JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(1024 * 1024 + 10) });
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: big });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('answers an unknown route with 404 in the error format', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('answers a wrong content type with 415', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });
});

describe('tenant isolation (the pattern every route copies)', () => {
  it('gives workspace B a 404 for anything of workspace A, by session and by API key', async () => {
    const a = await signUpMerchant(ctx.app);
    const b = await signUpMerchant(ctx.app);
    const created = await ctx.app.inject({ method: 'POST', url: '/api/api-keys', headers: a.headers, payload: { name: 'A key' } });
    const keyOfA = created.json();

    const bySession = await ctx.app.inject({ method: 'DELETE', url: `/api/api-keys/${keyOfA.id}`, headers: b.headers });
    expect(bySession.statusCode).toBe(404);

    const bKey = (await ctx.app.inject({ method: 'POST', url: '/api/api-keys', headers: b.headers, payload: { name: 'B key' } })).json().key;
    const byKey = await ctx.app.inject({ method: 'DELETE', url: `/api/api-keys/${keyOfA.id}`, headers: { authorization: `Bearer ${bKey}` } });
    expect(byKey.statusCode).toBe(404);

    const listB = await ctx.app.inject({ method: 'GET', url: '/api/api-keys', headers: b.headers });
    expect(listB.json().items.map((k: { id: string }) => k.id)).not.toContain(keyOfA.id);

    const membersA = (await ctx.app.inject({ method: 'GET', url: '/api/members', headers: a.headers })).json().items;
    const patch = await ctx.app.inject({ method: 'PATCH', url: `/api/members/${membersA[0].id}`, headers: b.headers, payload: { role: 'viewer' } });
    expect(patch.statusCode).toBe(404);

    const still = await ctx.db.apiKey.findUniqueOrThrow({ where: { id: keyOfA.id } });
    expect(still.revokedAt).toBeNull();
  });
});

describe('API keys and roles', () => {
  it('shows a key once, stores only its hash, and accepts it as a Bearer token', async () => {
    const m = await signUpMerchant(ctx.app);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/api-keys', headers: m.headers, payload: { name: 'Zapier', role: 'viewer' } });
    expect(res.statusCode).toBe(201);
    const { key, id, prefix } = res.json();
    expect(key.startsWith(prefix)).toBe(true);
    const row = await ctx.db.apiKey.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row)).not.toContain(key);

    const list = await ctx.app.inject({ method: 'GET', url: '/api/api-keys', headers: m.headers });
    expect(JSON.stringify(list.json())).not.toContain(key);

    const me = await ctx.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${key}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().role).toBe('viewer');

    const audit = await ctx.db.auditLog.findFirst({ where: { workspaceId: m.workspaceId, action: 'api_key.created' } });
    expect(audit?.entityId).toBe(id);
  });

  it('enforces roles: a viewer key cannot create keys or change the workspace; revoked keys stop working', async () => {
    const m = await signUpMerchant(ctx.app);
    const viewer = (await ctx.app.inject({ method: 'POST', url: '/api/api-keys', headers: m.headers, payload: { name: 'ro', role: 'viewer' } })).json();
    const auth = { authorization: `Bearer ${viewer.key}` };
    expect((await ctx.app.inject({ method: 'POST', url: '/api/api-keys', headers: auth, payload: { name: 'x' } })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'PATCH', url: '/api/workspace', headers: auth, payload: { name: 'x' } })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/workspace', headers: auth })).statusCode).toBe(200);

    await ctx.app.inject({ method: 'DELETE', url: `/api/api-keys/${viewer.id}`, headers: m.headers });
    const after = await ctx.app.inject({ method: 'GET', url: '/api/workspace', headers: auth });
    expect(after.statusCode).toBe(401);
  });

  it('lets an owner change roles but never remove the last owner', async () => {
    const owner = await signUpMerchant(ctx.app);
    const other = await signUpMerchant(ctx.app);
    const added = await ctx.app.inject({ method: 'POST', url: '/api/members', headers: owner.headers, payload: { email: other.email, role: 'viewer' } });
    expect(added.statusCode).toBe(201);
    const members = (await ctx.app.inject({ method: 'GET', url: '/api/members', headers: owner.headers })).json().items;
    const ownerMember = members.find((x: { email: string }) => x.email === owner.email);
    const demote = await ctx.app.inject({ method: 'PATCH', url: `/api/members/${ownerMember.id}`, headers: owner.headers, payload: { role: 'admin' } });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('last_owner');

    // The viewer signs in to the shared workspace and cannot manage members.
    const login = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: other.email, password: other.password, workspaceId: owner.workspaceId } });
    expect(login.json().role).toBe('viewer');
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await ctx.app.inject({ method: 'POST', url: '/api/members', headers: { cookie, 'x-csrf-token': login.json().csrfToken }, payload: { email: owner.email, role: 'admin' } });
    expect(res.statusCode).toBe(403);
  });

  it('keeps reserved words upper-case and unique, and lists the audit log newest first', async () => {
    const m = await signUpMerchant(ctx.app);
    const res = await ctx.app.inject({ method: 'PATCH', url: '/api/workspace', headers: m.headers, payload: { reservedWords: ['free', 'FREE', 'admin'] } });
    expect(res.json().reservedWords).toEqual(['FREE', 'ADMIN']);
    const log = await ctx.app.inject({ method: 'GET', url: '/api/audit-log?limit=1', headers: m.headers });
    expect(log.json().items[0].action).toBe('workspace.updated');
    expect(log.json().nextCursor).toEqual(expect.any(String));
    const next = await ctx.app.inject({ method: 'GET', url: `/api/audit-log?limit=5&cursor=${log.json().nextCursor}`, headers: m.headers });
    expect(next.json().items.map((i: { action: string }) => i.action)).toEqual(['user.signed_up']);
  });
});
