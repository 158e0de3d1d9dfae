import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../lib/tokens.ts';
import { apiKeyHeaders, createPartnerFor, createProgramFor, signUpMerchant, useTestApp } from '../../../test/helpers.ts';

const ctx = useTestApp();

// Referral keys are unique across every workspace of the test database, so names carry a tag.
const tag = () => randomBytes(3).toString('hex').replace(/\d/g, (d) => 'abcdefghij'[Number(d)] ?? 'x');

async function setUp() {
  const m = await signUpMerchant(ctx.app);
  const p = await createProgramFor(ctx.app, m);
  return { m, p, url: `/api/programs/${p.id}/partners` };
}

/** The CSV code column creates codes on the program's auto-code coupon; give the program one. */
async function useCodeCoupon(m: { headers: Record<string, string> }, programId: string) {
  const coupon = (await ctx.app.inject({ method: 'POST', url: `/api/programs/${programId}/coupons`, headers: m.headers, payload: { name: '10%', discountType: 'percent', percentOffBps: 1000 } })).json();
  await ctx.app.inject({ method: 'PATCH', url: `/api/programs/${programId}`, headers: m.headers, payload: { autoCode: { enabled: false, couponId: coupon.id, pattern: null } } });
  return coupon as { id: string };
}

describe('partners: invite and read', () => {
  it('invites a partner with a one-time invitation whose hash alone is stored', async () => {
    const { m, p, url } = await setUp();
    const t = tag();
    const res = await ctx.app.inject({ method: 'POST', url, headers: m.headers, payload: { email: `Ann.${t}@Example.TEST`, name: `Ann ${t} Lee`, firstName: 'Ann', lastName: 'Lee' } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      programId: p.id,
      email: `ann.${t}@example.test`,
      name: `Ann ${t} Lee`,
      firstName: 'Ann',
      lastName: 'Lee',
      status: 'invited',
      referralKey: `ann-${t}-lee`,
      referralUrl: `http://127.0.0.1:3000/r/ann-${t}-lee`,
      commissionOverride: null,
    });
    expect(body.invitation.url).toBe(`http://127.0.0.1:5174/accept-invitation?token=${body.invitation.token}`);
    const days = (Date.parse(body.invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.99);
    expect(days).toBeLessThanOrEqual(14);

    const row = await ctx.db.partner.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.invitationTokenHash).toBe(hashToken(body.invitation.token));
    expect(JSON.stringify(row)).not.toContain(body.invitation.token);
    expect(await ctx.db.referralKey.findUnique({ where: { key: body.referralKey } })).toMatchObject({ partnerId: body.id, programId: p.id, workspaceId: m.workspaceId });
    expect(await ctx.db.auditLog.count({ where: { entityId: body.id, action: 'partner.created' } })).toBe(1);

    const read = await ctx.app.inject({ method: 'GET', url: `${url}/${body.id}`, headers: m.headers });
    expect(read.statusCode).toBe(200);
    const { invitation: _invitation, ...partner } = body;
    expect(read.json()).toEqual({ ...partner, codes: [] });
  });

  it('derives unique URL-safe referral keys from names', async () => {
    const { m, p } = await setUp();
    const t = tag();
    const first = await createPartnerFor(ctx.app, m, p.id, { name: `José Núñez ${t}` });
    const second = await createPartnerFor(ctx.app, m, p.id, { name: `Jose  Nunez_${t}!` });
    const third = await createPartnerFor(ctx.app, m, p.id, { name: `JOSE NUNEZ ${t}` });
    expect([first.referralKey, second.referralKey, third.referralKey]).toEqual([`jose-nunez-${t}`, `jose-nunez-${t}-2`, `jose-nunez-${t}-3`]);
    const short = await createPartnerFor(ctx.app, m, p.id, { name: 'Al', email: `al.${t}@example.test` });
    expect(short.referralKey).toBe(`al-${t}`);
    const long = await createPartnerFor(ctx.app, m, p.id, { name: `${t} ${'x'.repeat(60)}` });
    expect(long.referralKey).toMatch(/^[a-z0-9-]{3,40}$/);
  });

  it('refuses a second partner with the same email in the program, but not in another program', async () => {
    const { m, p, url } = await setUp();
    const email = `dup-${tag()}@example.test`;
    await createPartnerFor(ctx.app, m, p.id, { email });
    const again = await ctx.app.inject({ method: 'POST', url, headers: m.headers, payload: { email: email.toUpperCase(), name: 'Someone Else' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('partner_exists');
    const other = await createProgramFor(ctx.app, m, { name: 'Other program' });
    await expect(createPartnerFor(ctx.app, m, other.id, { email })).resolves.toMatchObject({ email });
  });

  it('names every invalid field and refuses an archived program', async () => {
    const { m, p, url } = await setUp();
    const bad = await ctx.app.inject({ method: 'POST', url, headers: m.headers, payload: { email: 'nope', name: '', referralKey: 'No Spaces!' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.email', 'body.name', 'body.referralKey']));
    await ctx.app.inject({ method: 'POST', url: `/api/programs/${p.id}/archive`, headers: m.headers });
    const archived = await ctx.app.inject({ method: 'POST', url, headers: m.headers, payload: { email: `a-${tag()}@example.test`, name: 'Ann' } });
    expect(archived.statusCode).toBe(409);
    expect(archived.json().error.code).toBe('program_archived');
  });

  it('lets exactly one of two concurrent invites claim the same referral key', async () => {
    const { m, url } = await setUp();
    const key = `race-${tag()}`;
    const [a, b] = await Promise.all(
      ['a', 'b'].map((who) => ctx.app.inject({ method: 'POST', url, headers: m.headers, payload: { email: `${who}-${key}@example.test`, name: `Racer ${who}`, referralKey: key } })),
    );
    expect([a?.statusCode, b?.statusCode].sort()).toEqual([201, 409]);
    const loser = a?.statusCode === 409 ? a : b;
    expect(loser?.json().error.code).toBe('referral_key_taken');
    expect(await ctx.db.partner.count({ where: { referralKey: key } })).toBe(1);
  });

  it('lets exactly one of two concurrent invites of the same email through', async () => {
    const { m, p, url } = await setUp();
    const email = `same-${tag()}@example.test`;
    const results = await Promise.all(['One', 'Two'].map((name) => ctx.app.inject({ method: 'POST', url, headers: m.headers, payload: { email, name } })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)?.json().error.code).toBe('partner_exists');
    expect(await ctx.db.partner.count({ where: { programId: p.id } })).toBe(1);
    expect(await ctx.db.referralKey.count({ where: { programId: p.id } })).toBe(1);
  });

  it('gives concurrent invites with the same name different generated keys', async () => {
    const { m, url } = await setUp();
    const name = `Twin ${tag()}`;
    const results = await Promise.all(
      [1, 2, 3].map((i) => ctx.app.inject({ method: 'POST', url, headers: m.headers, payload: { email: `twin${i}-${name.replace(' ', '')}@example.test`, name } })),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.json().referralKey)).size).toBe(3);
  });

  it('refuses a referral key taken in another workspace', async () => {
    const a = await setUp();
    const b = await setUp();
    const key = `shared-${tag()}`;
    await createPartnerFor(ctx.app, a.m, a.p.id, { referralKey: key });
    const res = await ctx.app.inject({ method: 'POST', url: b.url, headers: b.m.headers, payload: { email: `x-${key}@example.test`, name: 'X', referralKey: key } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('referral_key_taken');
    expect(await ctx.db.partner.count({ where: { workspaceId: b.m.workspaceId } })).toBe(0);
  });

  it('shows the codes of a partner but not deleted ones', async () => {
    const { m, p, url } = await setUp();
    const partner = await createPartnerFor(ctx.app, m, p.id);
    const coupon = await ctx.factories.coupon({ workspaceId: m.workspaceId, programId: p.id });
    const code = await ctx.factories.promotionCode({ workspaceId: m.workspaceId, programId: p.id, couponId: coupon.id, partnerId: partner.id, code: `Ann${tag()}` });
    await ctx.factories.promotionCode({ workspaceId: m.workspaceId, programId: p.id, couponId: coupon.id, partnerId: partner.id, deletedAt: new Date() });
    const res = await ctx.app.inject({ method: 'GET', url: `${url}/${partner.id}`, headers: m.headers });
    expect(res.json().codes).toEqual([{ id: code.id, code: code.code, status: 'active', couponId: coupon.id }]);
  });
});

describe('partners: list', () => {
  it('searches name and email case-insensitively, filters by status and pages with a total', async () => {
    const { m, p, url } = await setUp();
    const t = tag();
    const ann = await createPartnerFor(ctx.app, m, p.id, { name: `Ann Walker ${t}`, email: `ann-${t}@walkers.test` });
    const bob = await createPartnerFor(ctx.app, m, p.id, { name: `Bob Stone ${t}`, email: `bob-${t}@WALKERS.test` });
    const cat = await createPartnerFor(ctx.app, m, p.id, { name: `Cat Hill ${t}`, email: `cat-${t}@hills.test` });
    await ctx.app.inject({ method: 'POST', url: `${url}/${cat.id}/suspend`, headers: m.headers });

    const ids = (r: { json: () => { items: { id: string }[] } }) => r.json().items.map((x) => x.id);
    const byName = await ctx.app.inject({ method: 'GET', url: `${url}?q=ANN%20walk`, headers: m.headers });
    expect(ids(byName)).toEqual([ann.id]);
    expect(byName.json().total).toBe(1);
    const byEmail = await ctx.app.inject({ method: 'GET', url: `${url}?q=Walkers.TEST`, headers: m.headers });
    expect(ids(byEmail)).toEqual([bob.id, ann.id]);
    const suspended = await ctx.app.inject({ method: 'GET', url: `${url}?status=suspended`, headers: m.headers });
    expect(ids(suspended)).toEqual([cat.id]);
    expect((await ctx.app.inject({ method: 'GET', url: `${url}?status=gone`, headers: m.headers })).statusCode).toBe(400);

    const first = await ctx.app.inject({ method: 'GET', url: `${url}?limit=2`, headers: m.headers });
    expect(first.json()).toMatchObject({ total: 3 });
    const second = await ctx.app.inject({ method: 'GET', url: `${url}?limit=2&cursor=${first.json().nextCursor}`, headers: m.headers });
    expect([...ids(first), ...ids(second)]).toEqual([cat.id, bob.id, ann.id]);
    expect(second.json()).toMatchObject({ nextCursor: null, total: 3 });
  });
});

describe('partners: update', () => {
  it('changes names, payout email and the commission override, and clears the override', async () => {
    const { m, p, url } = await setUp();
    const partner = await createPartnerFor(ctx.app, m, p.id);
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `${url}/${partner.id}`,
      headers: m.headers,
      payload: { name: 'Johnny S', firstName: 'Johnny', lastName: null, payoutEmail: 'Pay@Johnny.test', commissionOverride: { type: 'fixed', value: 2500, duration: 'months', durationMonths: 6 } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Johnny S',
      firstName: 'Johnny',
      lastName: null,
      payoutEmail: 'pay@johnny.test',
      commissionOverride: { type: 'fixed', value: 2500, duration: 'months', durationMonths: 6 },
    });
    const audit = await ctx.db.auditLog.findFirstOrThrow({ where: { entityId: partner.id, action: 'partner.updated' } });
    expect(audit.data).toMatchObject({ name: 'Johnny S' });

    const cleared = await ctx.app.inject({ method: 'PATCH', url: `${url}/${partner.id}`, headers: m.headers, payload: { commissionOverride: null } });
    expect(cleared.json()).toMatchObject({ commissionOverride: null, name: 'Johnny S' });
    const row = await ctx.db.partner.findUniqueOrThrow({ where: { id: partner.id } });
    expect([row.overrideCommissionType, row.overrideCommissionValue, row.overrideCommissionDuration]).toEqual([null, null, null]);

    const bad = await ctx.app.inject({ method: 'PATCH', url: `${url}/${partner.id}`, headers: m.headers, payload: { commissionOverride: { type: 'percent', value: 20_000, duration: 'months' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.commissionOverride.value', 'body.commissionOverride.durationMonths']));
  });

  it('renames the referral key, keeps the old one for the partner and refuses taken or malformed keys', async () => {
    const { m, p, url } = await setUp();
    const partner = await createPartnerFor(ctx.app, m, p.id);
    const other = await createPartnerFor(ctx.app, m, p.id);
    const fresh = `Fresh-${tag()}`;
    const renamed = await ctx.app.inject({ method: 'PATCH', url: `${url}/${partner.id}`, headers: m.headers, payload: { referralKey: fresh } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ referralKey: fresh.toLowerCase(), referralUrl: `http://127.0.0.1:3000/r/${fresh.toLowerCase()}` });
    const keys = await ctx.db.referralKey.findMany({ where: { partnerId: partner.id }, orderBy: { createdAt: 'asc' } });
    expect(keys.map((k) => k.key)).toEqual([partner.referralKey, fresh.toLowerCase()]);

    const taken = await ctx.app.inject({ method: 'PATCH', url: `${url}/${partner.id}`, headers: m.headers, payload: { referralKey: other.referralKey } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('referral_key_taken');
    const takenOld = await ctx.app.inject({ method: 'PATCH', url: `${url}/${other.id}`, headers: m.headers, payload: { referralKey: partner.referralKey } });
    expect(takenOld.statusCode).toBe(409);

    const back = await ctx.app.inject({ method: 'PATCH', url: `${url}/${partner.id}`, headers: m.headers, payload: { referralKey: partner.referralKey } });
    expect(back.statusCode).toBe(200);
    expect(back.json().referralKey).toBe(partner.referralKey);

    for (const key of ['ab', 'has space', '-lead', 'trail-', 'double--dash', 'x'.repeat(41), 'emoji-🙂']) {
      const res = await ctx.app.inject({ method: 'PATCH', url: `${url}/${partner.id}`, headers: m.headers, payload: { referralKey: key } });
      expect(res.statusCode, key).toBe(400);
    }
  });

  it('refuses a referral key another workspace holds', async () => {
    const a = await setUp();
    const b = await setUp();
    const foreign = await createPartnerFor(ctx.app, a.m, a.p.id);
    const mine = await createPartnerFor(ctx.app, b.m, b.p.id);
    const res = await ctx.app.inject({ method: 'PATCH', url: `${b.url}/${mine.id}`, headers: b.m.headers, payload: { referralKey: foreign.referralKey, name: 'Changed' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('referral_key_taken');
    expect((await ctx.db.partner.findUniqueOrThrow({ where: { id: mine.id } })).name).toBe('John Smith');
  });
});

describe('partners: suspend, reactivate, invitation', () => {
  it('suspends and reactivates to invited, or to active once a password is set', async () => {
    const { m, p, url } = await setUp();
    const partner = await createPartnerFor(ctx.app, m, p.id);
    const suspended = await ctx.app.inject({ method: 'POST', url: `${url}/${partner.id}/suspend`, headers: m.headers });
    expect(suspended.json().status).toBe('suspended');
    expect((await ctx.app.inject({ method: 'POST', url: `${url}/${partner.id}/reactivate`, headers: m.headers })).json().status).toBe('invited');

    await ctx.db.partner.update({ where: { id: partner.id }, data: { passwordHash: 'argon2-hash', status: 'active' } });
    await ctx.app.inject({ method: 'POST', url: `${url}/${partner.id}/suspend`, headers: m.headers });
    expect((await ctx.app.inject({ method: 'POST', url: `${url}/${partner.id}/reactivate`, headers: m.headers })).json().status).toBe('active');
    const actions = await ctx.db.auditLog.findMany({ where: { entityId: partner.id }, orderBy: { createdAt: 'asc' }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(['partner.created', 'partner.suspended', 'partner.reactivated', 'partner.suspended', 'partner.reactivated']);
  });

  it('issues a fresh invitation that replaces the old one, but not for a suspended partner', async () => {
    const { m, p, url } = await setUp();
    const partner = await createPartnerFor(ctx.app, m, p.id);
    const res = await ctx.app.inject({ method: 'POST', url: `${url}/${partner.id}/invitation`, headers: m.headers });
    expect(res.statusCode).toBe(201);
    const { invitation } = res.json();
    expect(invitation.token).not.toBe(partner.invitation.token);
    expect(invitation.url).toContain(`/accept-invitation?token=${invitation.token}`);
    const row = await ctx.db.partner.findUniqueOrThrow({ where: { id: partner.id } });
    expect(row.invitationTokenHash).toBe(hashToken(invitation.token));
    expect(await ctx.db.auditLog.count({ where: { entityId: partner.id, action: 'partner.invitation_issued' } })).toBe(1);

    await ctx.app.inject({ method: 'POST', url: `${url}/${partner.id}/suspend`, headers: m.headers });
    const refused = await ctx.app.inject({ method: 'POST', url: `${url}/${partner.id}/invitation`, headers: m.headers });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('partner_suspended');
  });
});

describe('partners: CSV import and export', () => {
  it('imports every row in one go, with keys and the codes on the program coupon', async () => {
    const { m, p, url } = await setUp();
    const coupon = await useCodeCoupon(m, p.id);
    const t = tag();
    const csv = [
      '\uFEFFEmail,Name,Code',
      `ann-${t}@example.test,Ann ${t},ANN${t}`,
      `"bob-${t}@example.test","Stone, Bob ""${t}""",`,
      '',
      `cat-${t}@example.test,Ann ${t},cat-${t}`,
    ].join('\r\n');
    const res = await ctx.app.inject({ method: 'POST', url: `${url}/import`, headers: m.headers, payload: { csv } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.created).toBe(3);
    const byEmail = Object.fromEntries(body.partners.map((x: { email: string; id: string; referralKey: string }) => [x.email, x]));
    expect(byEmail[`ann-${t}@example.test`].referralKey).toBe(`ann-${t}`);
    expect(byEmail[`cat-${t}@example.test`].referralKey).toBe(`ann-${t}-2`);
    expect(byEmail[`bob-${t}@example.test`].referralKey).toBe(`stone-bob-${t}`);
    expect(body.codes).toEqual([
      { partnerId: byEmail[`ann-${t}@example.test`].id, code: `ANN${t}`.toUpperCase() },
      { partnerId: byEmail[`cat-${t}@example.test`].id, code: `CAT-${t}`.toUpperCase() },
    ]);
    const rows = await ctx.db.partner.findMany({ where: { programId: p.id }, include: { referralKeys: true } });
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.email === `bob-${t}@example.test`)?.name).toBe(`Stone, Bob "${t}"`);
    for (const r of rows) {
      expect(r.status).toBe('invited');
      expect(r.referralKeys.map((k) => k.key)).toEqual([r.referralKey]);
    }
    const codes = await ctx.db.promotionCode.findMany({ where: { programId: p.id }, orderBy: { normalizedCode: 'asc' } });
    expect(codes.map((c) => [c.normalizedCode, c.couponId, c.partnerId])).toEqual([
      [`ANN${t}`.toUpperCase(), coupon.id, byEmail[`ann-${t}@example.test`].id],
      [`CAT-${t}`.toUpperCase(), coupon.id, byEmail[`cat-${t}@example.test`].id],
    ]);
    expect(await ctx.db.auditLog.findFirst({ where: { entityId: p.id, action: 'partners.imported' } })).toMatchObject({ data: { created: 3 } });
  });

  it('imports the maximum of 10,000 rows in one transaction', async () => {
    const { m, p, url } = await setUp();
    const t = tag();
    const csv = ['email,name', ...Array.from({ length: 10_000 }, (_, i) => `bulk${i}-${t}@example.test,Bulk ${t}`)].join('\n');
    const res = await ctx.app.inject({ method: 'POST', url: `${url}/import`, headers: m.headers, payload: { csv } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ created: 10_000, invitationsSent: 10_000 });
    expect(await ctx.db.partner.count({ where: { programId: p.id } })).toBe(10_000);
    const keys = await ctx.db.referralKey.findMany({ where: { programId: p.id }, select: { key: true } });
    expect(new Set(keys.map((k) => k.key)).size).toBe(10_000);
    expect(keys.map((k) => k.key)).toContain(`bulk-${t}-10000`);
  }, 120_000);

  it('lists every bad row and imports nothing', async () => {
    const { m, p, url } = await setUp();
    await useCodeCoupon(m, p.id);
    const t = tag();
    const existing = await createPartnerFor(ctx.app, m, p.id);
    const csv = [
      'email,name,code',
      `ok-${t}@example.test,Okay One,OKAY${t}`,
      `not-an-email,Bad Email,`,
      `ok2-${t}@example.test,Okay Two,`,
      `${existing.email},Already There,`,
      `ok-${t}@example.test,Duplicate,BAD CODE!`,
    ].join('\n');
    const res = await ctx.app.inject({ method: 'POST', url: `${url}/import`, headers: m.headers, payload: { csv } });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('csv_invalid');
    expect(error.details.map((d: { path: string }) => d.path)).toEqual(['row 3: email', 'row 5: email', 'row 6: email', 'row 6: code']);
    expect(error.details[1].message).toContain('already a partner');
    expect(error.details[2].message).toContain('row 2');
    expect(await ctx.db.partner.count({ where: { programId: p.id } })).toBe(1);
    expect(await ctx.db.referralKey.count({ where: { programId: p.id } })).toBe(1);
  });

  it('refuses a file without the needed header, without rows, with an open quote or with too many rows', async () => {
    const { m, p, url } = await setUp();
    const cases: [string, string][] = [
      ['mail,fullname\na@b.test,A', 'row 1'],
      ['email,name\n\n', 'csv'],
      ['email,name\n"a@b.test,Ann\n', 'row 2'],
      ['email,name\na@b.test,Ann,extra', 'row 2'],
      [['email,name', ...Array.from({ length: 10_001 }, (_, i) => `p${i}@x.test,P`)].join('\n'), 'csv'],
    ];
    for (const [csv, path] of cases) {
      const res = await ctx.app.inject({ method: 'POST', url: `${url}/import`, headers: m.headers, payload: { csv } });
      expect(res.statusCode, csv.slice(0, 30)).toBe(400);
      expect(res.json().error.code).toBe('csv_invalid');
      expect(res.json().error.details[0].path).toBe(path);
    }
    expect(await ctx.db.partner.count({ where: { programId: p.id } })).toBe(0);
  });

  it('answers 413 for a body over the limit', async () => {
    const { m, url } = await setUp();
    const res = await ctx.app.inject({ method: 'POST', url: `${url}/import`, headers: m.headers, payload: { csv: 'x'.repeat(1024 * 1024 + 10) } });
    expect(res.statusCode).toBe(413);
  });

  it('exports CSV with escaped fields and neutralised formulas', async () => {
    const { m, p, url } = await setUp();
    const t = tag();
    const plain = await createPartnerFor(ctx.app, m, p.id, { name: `Plain ${t}`, email: `plain-${t}@example.test` });
    const tricky = await createPartnerFor(ctx.app, m, p.id, { name: `Smith, "Jo"\nJr ${t}`, email: `tricky-${t}@example.test` });
    const formula = await createPartnerFor(ctx.app, m, p.id, { name: `=HYPERLINK("x") ${t}`, email: `formula-${t}@example.test` });
    const res = await ctx.app.inject({ method: 'GET', url: `${url}/export`, headers: m.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('attachment');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('email,name,status,referralKey,referralUrl,createdAt');
    expect(res.body).toContain(`formula-${t}@example.test,"'=HYPERLINK(""x"") ${t}",invited,${formula.referralKey},http://127.0.0.1:3000/r/${formula.referralKey},`);
    expect(res.body).toContain(`tricky-${t}@example.test,"Smith, ""Jo""\nJr ${t}",invited,${tricky.referralKey},`);
    expect(res.body).toContain(`plain-${t}@example.test,Plain ${t},invited,${plain.referralKey},http://127.0.0.1:3000/r/${plain.referralKey},${new Date(String(plain.createdAt)).toISOString()}\r\n`);
    expect(res.body.endsWith('\r\n')).toBe(true);

    const filtered = await ctx.app.inject({ method: 'GET', url: `${url}/export?q=plain`, headers: m.headers });
    expect(filtered.body.trim().split('\r\n')).toHaveLength(2);
  });
});

describe('partners: invitations after a CSV import', () => {
  type Mail = { to: string; subject: string; text: string };
  const mailsTo = async (email: string): Promise<Mail[]> =>
    (await ctx.app.inject({ method: 'GET', url: `/api/dev/mailbox?to=${encodeURIComponent(email)}` })).json().items;
  const tokenIn = (mail: Mail) => {
    const match = /accept-invitation\?token=(\S+)/.exec(mail.text);
    if (!match?.[1]) throw new Error(`no invitation link in: ${mail.text}`);
    return decodeURIComponent(match[1]);
  };
  const emailsOf = (t: string, n: number) => Array.from({ length: n }, (_, i) => `imported${i}-${t}@example.test`);
  const csvOf = (emails: string[]) => ['email,name', ...emails.map((e, i) => `${e},Imported ${i}`)].join('\n');

  it('mails each imported partner a one-time invitation whose hash alone is stored, and the link sets a password', async () => {
    const { m, p, url } = await setUp();
    const emails = emailsOf(tag(), 3);
    const res = await ctx.app.inject({ method: 'POST', url: `${url}/import`, headers: m.headers, payload: { csv: csvOf(emails) } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ created: 3, invitationsSent: 3 });

    const tokens = new Map<string, string>();
    for (const email of emails) {
      const mails = await mailsTo(email);
      expect(mails, email).toHaveLength(1);
      expect(mails[0]?.subject).toBe(`You are invited to the ${p.name} partner program`);
      tokens.set(email, tokenIn(mails[0]!));
    }
    expect(new Set(tokens.values()).size).toBe(3);
    const rows = await ctx.db.partner.findMany({ where: { programId: p.id } });
    for (const row of rows) {
      const token = tokens.get(row.email)!;
      expect(row.invitationTokenHash).toBe(hashToken(token));
      expect(row.invitationExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 13.99 * 86_400_000);
      expect(JSON.stringify(row)).not.toContain(token);
    }
    expect(res.body).not.toContain(tokens.get(emails[0]!)!);

    const first = emails[0]!;
    const accepted = await ctx.app.inject({ method: 'POST', url: '/api/portal/invitations/accept', payload: { token: tokens.get(first), password: 'imported password 1' } });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().partner).toMatchObject({ email: first, status: 'active' });
    const again = await ctx.app.inject({ method: 'POST', url: '/api/portal/invitations/accept', payload: { token: tokens.get(first), password: 'another password 1' } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('invitation_invalid');
    const login = await ctx.app.inject({ method: 'POST', url: '/api/portal/login', payload: { programId: p.id, email: first, password: 'imported password 1' } });
    expect(login.statusCode).toBe(200);
  });

  it('sends no mail for a rejected import', async () => {
    const { m, p, url } = await setUp();
    const emails = emailsOf(tag(), 2);
    const res = await ctx.app.inject({ method: 'POST', url: `${url}/import`, headers: m.headers, payload: { csv: `${csvOf(emails)}\nnot-an-email,Broken` } });
    expect(res.statusCode).toBe(400);
    expect(await ctx.db.partner.count({ where: { programId: p.id } })).toBe(0);
    expect(await ctx.db.mailMessage.count({ where: { to: { in: emails } } })).toBe(0);
  });

  it('sends nothing and stores no invitation when sendInvitations is false', async () => {
    const { m, p, url } = await setUp();
    const emails = emailsOf(tag(), 2);
    const res = await ctx.app.inject({ method: 'POST', url: `${url}/import`, headers: m.headers, payload: { csv: csvOf(emails), sendInvitations: false } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ created: 2, invitationsSent: 0 });
    expect(await ctx.db.mailMessage.count({ where: { to: { in: emails } } })).toBe(0);
    const rows = await ctx.db.partner.findMany({ where: { programId: p.id }, select: { invitationTokenHash: true } });
    expect(rows).toEqual([{ invitationTokenHash: null }, { invitationTokenHash: null }]);
  });

  it('keeps the import when mail fails, counts only the mails sent and logs the failures', async () => {
    const { m, p, url } = await setUp();
    const emails = emailsOf(tag(), 3);
    const send = ctx.app.mailer.send.bind(ctx.app.mailer);
    const mailer = vi.spyOn(ctx.app.mailer, 'send').mockImplementation(async (mail) => {
      if (mail.to === emails[1]) throw new Error('SMTP server unreachable');
      await send(mail);
    });
    const warn = vi.spyOn(ctx.app.log, 'warn');
    try {
      const res = await ctx.app.inject({ method: 'POST', url: `${url}/import`, headers: m.headers, payload: { csv: csvOf(emails) } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ created: 3, invitationsSent: 2 });
      const failed = await ctx.db.partner.findFirstOrThrow({ where: { programId: p.id, email: emails[1] } });
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ failed: 1, partnerIds: [failed.id] }), expect.stringContaining('could not be sent'));
    } finally {
      mailer.mockRestore();
      warn.mockRestore();
    }
    expect(await ctx.db.partner.count({ where: { programId: p.id } })).toBe(3);
    expect(await mailsTo(emails[0]!)).toHaveLength(1);
    expect(await mailsTo(emails[1]!)).toHaveLength(0);
    expect(await mailsTo(emails[2]!)).toHaveLength(1);
  });
});

describe('partners: tenancy and roles', () => {
  it('gives another workspace 404 on every route and a viewer 403 on every write', async () => {
    const a = await setUp();
    const b = await setUp();
    const partner = await createPartnerFor(ctx.app, a.m, a.p.id);
    const writes = [
      ['POST', a.url, { email: `new-${tag()}@example.test`, name: 'New' }],
      ['POST', `${a.url}/import`, { csv: `email,name\nnew-${tag()}@example.test,New` }],
      ['PATCH', `${a.url}/${partner.id}`, { name: 'stolen' }],
      ['POST', `${a.url}/${partner.id}/suspend`, undefined],
      ['POST', `${a.url}/${partner.id}/reactivate`, undefined],
      ['POST', `${a.url}/${partner.id}/invitation`, undefined],
    ] as const;
    const reads = [`${a.url}`, `${a.url}/export`, `${a.url}/${partner.id}`];

    for (const [method, url, payload] of writes) {
      const res = await ctx.app.inject({ method, url, headers: b.m.headers, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    for (const url of reads) {
      expect((await ctx.app.inject({ method: 'GET', url, headers: b.m.headers })).statusCode, url).toBe(404);
    }
    // B's own program with A's partner id: still not found.
    for (const url of [`${b.url}/${partner.id}`]) {
      expect((await ctx.app.inject({ method: 'GET', url, headers: b.m.headers })).statusCode).toBe(404);
      expect((await ctx.app.inject({ method: 'PATCH', url, headers: b.m.headers, payload: { name: 'stolen' } })).statusCode).toBe(404);
      expect((await ctx.app.inject({ method: 'POST', url: `${url}/suspend`, headers: b.m.headers })).statusCode).toBe(404);
    }
    const untouched = await ctx.db.partner.findUniqueOrThrow({ where: { id: partner.id } });
    expect(untouched).toMatchObject({ name: 'John Smith', status: 'invited' });
    expect(await ctx.db.partner.count({ where: { programId: a.p.id } })).toBe(1);

    const viewer = await apiKeyHeaders(ctx.app, a.m, 'viewer');
    for (const [method, url, payload] of writes) {
      const res = await ctx.app.inject({ method, url, headers: viewer, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    for (const url of reads) {
      expect((await ctx.app.inject({ method: 'GET', url, headers: viewer })).statusCode, url).toBe(200);
    }
  });

  it('documents every partner route and its responses in OpenAPI', async () => {
    const spec = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const base = '/api/programs/{programId}/partners';
    const expected: [string, string, string[]][] = [
      [base, 'get', ['200', '401', '403', '404']],
      [base, 'post', ['201', '400', '403', '404', '409']],
      [`${base}/import`, 'post', ['201', '400', '403', '404', '409', '413']],
      [`${base}/export`, 'get', ['200', '403', '404']],
      [`${base}/{partnerId}`, 'get', ['200', '404']],
      [`${base}/{partnerId}`, 'patch', ['200', '400', '404', '409']],
      [`${base}/{partnerId}/suspend`, 'post', ['200', '403', '404']],
      [`${base}/{partnerId}/reactivate`, 'post', ['200', '403', '404']],
      [`${base}/{partnerId}/invitation`, 'post', ['201', '403', '404', '409']],
      ['/r/{referralKey}', 'get', ['302', '404']],
      ['/t.js', 'get', ['200']],
    ];
    for (const [path, method, codes] of expected) {
      expect(Object.keys(spec.paths[path]?.[method]?.responses ?? {}), `${method} ${path}`).toEqual(expect.arrayContaining(codes));
    }
    const importBody = spec.paths[`${base}/import`].post.requestBody.content['application/json'].schema;
    expect(importBody.properties.sendInvitations).toMatchObject({ type: 'boolean', default: true, description: expect.stringContaining('invitation') });
    expect(importBody.required).toEqual(['csv']);
  });
});
