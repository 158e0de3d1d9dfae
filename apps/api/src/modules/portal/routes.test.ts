import { describe, expect, it } from 'vitest';
import {
  acceptPartnerInvitation,
  apiKeyHeaders,
  createPartnerFor,
  createProgramFor,
  sessionHeaders,
  signUpMerchant,
  useTestApp,
} from '../../../test/helpers.ts';

const PORTAL_URL = 'http://127.0.0.1:5999';
const ctx = useTestApp({ PORTAL_URL, LOGIN_RATE_LIMIT_MAX: '5' });

const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string> = {}, payload?: unknown) =>
  ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

/** A merchant, a program and a partner who has accepted the invitation and is signed in. */
async function setUpPartner(programOverrides: Record<string, unknown> = {}) {
  const merchant = await signUpMerchant(ctx.app);
  const program = await createProgramFor(ctx.app, merchant, programOverrides);
  const invited = await createPartnerFor(ctx.app, merchant, program.id);
  const session = await acceptPartnerInvitation(ctx.app, invited.invitation.token);
  return { merchant, program, partner: invited, session, workspaceId: merchant.workspaceId };
}

type Setup = Awaited<ReturnType<typeof setUpPartner>>;

async function addCoupon(s: Setup, overrides: Record<string, unknown> = {}) {
  return ctx.factories.coupon({ workspaceId: s.workspaceId, programId: s.program.id, ...overrides });
}

const login = (payload: Record<string, unknown>) => inject('POST', '/api/portal/login', {}, payload);

describe('portal sign-in page and sign-in', () => {
  it('shows a program\'s branding without a session, and 404 for an unknown program', async () => {
    const merchant = await signUpMerchant(ctx.app);
    const program = await createProgramFor(ctx.app, merchant, { name: 'Cobol Club', portal: { logoUrl: 'https://cdn.example.test/logo.png', accentColor: '#0a7d4f' } });
    const res = await inject('GET', `/api/portal/program/${program.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: program.id, name: 'Cobol Club', logoUrl: 'https://cdn.example.test/logo.png', accentColor: '#0a7d4f' });
    expect((await inject('GET', '/api/portal/program/prg_nope')).statusCode).toBe(404);
  });

  it('signs an active partner in with the right program, email and password, and nobody else', async () => {
    const s = await setUpPartner();
    const ok = await login({ programId: s.program.id, email: s.partner.email.toUpperCase(), password: s.session.password });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ partner: { id: s.partner.id, status: 'active' }, program: { id: s.program.id }, csrfToken: expect.any(String) });
    expect(ok.cookies.find((c) => c.name === 'ct_portal')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    const other = await createProgramFor(ctx.app, s.merchant);
    const invitedOnly = await createPartnerFor(ctx.app, s.merchant, s.program.id);
    const attempts = [
      { programId: s.program.id, email: s.partner.email, password: 'wrong password 123' },
      { programId: s.program.id, email: 'nobody@example.test', password: s.session.password },
      { programId: other.id, email: s.partner.email, password: s.session.password },
      { programId: s.program.id, email: invitedOnly.email, password: s.session.password },
    ];
    for (const attempt of attempts) {
      const res = await login(attempt);
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toEqual({ code: 'invalid_credentials', message: 'The email or password is not correct' });
    }

    await inject('POST', `/api/programs/${s.program.id}/partners/${s.partner.id}/suspend`, s.merchant.headers);
    const suspended = await login({ programId: s.program.id, email: s.partner.email, password: s.session.password });
    expect(suspended.statusCode).toBe(401);
    expect(suspended.json().error.code).toBe('invalid_credentials');
    // The suspended partner's existing session stops working too.
    expect((await inject('GET', '/api/portal/me', s.session.headers)).statusCode).toBe(401);
  });

  it('limits sign-in attempts per address and email', async () => {
    const s = await setUpPartner();
    const attempt = () => login({ programId: s.program.id, email: s.partner.email, password: 'wrong password 123' });
    for (let i = 0; i < 5; i += 1) expect((await attempt()).statusCode).toBe(401);
    expect((await attempt()).statusCode).toBe(429);
  });

  it('signs out: the cookie session ends, and sign-out needs the CSRF token', async () => {
    const s = await setUpPartner();
    expect((await inject('POST', '/api/portal/logout', { cookie: s.session.headers.cookie })).statusCode).toBe(403);
    const res = await inject('POST', '/api/portal/logout', s.session.headers);
    expect(res.statusCode).toBe(204);
    expect((await inject('GET', '/api/portal/me', s.session.headers)).statusCode).toBe(401);
  });
});

describe('invitations and password reset by mail', () => {
  it('mails the invitation link to the partner; the link sets a password once and signs in', async () => {
    const merchant = await signUpMerchant(ctx.app);
    const program = await createProgramFor(ctx.app, merchant, { name: 'Podcast partners' });
    const invited = await createPartnerFor(ctx.app, merchant, program.id, { name: 'Grace Hopper' });
    expect(invited.invitation.url).toBe(`${PORTAL_URL}/accept-invitation?token=${encodeURIComponent(invited.invitation.token)}`);

    const mailbox = await inject('GET', `/api/dev/mailbox?to=${encodeURIComponent(invited.email)}`);
    expect(mailbox.statusCode).toBe(200);
    const [mail] = mailbox.json().items;
    expect(mail).toMatchObject({ to: invited.email, subject: 'You are invited to the Podcast partners partner program' });
    expect(mail.text).toContain(invited.invitation.url);

    const accepted = await inject('POST', '/api/portal/invitations/accept', {}, { token: invited.invitation.token, password: 'my new password 1' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().partner).toMatchObject({ id: invited.id, status: 'active', name: 'Grace Hopper' });
    const headers = sessionHeaders(accepted, accepted.json().csrfToken);
    expect((await inject('GET', '/api/portal/me', headers)).json().partner.id).toBe(invited.id);

    const again = await inject('POST', '/api/portal/invitations/accept', {}, { token: invited.invitation.token, password: 'another password 1' });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('invitation_invalid');
    expect((await login({ programId: program.id, email: invited.email, password: 'my new password 1' })).statusCode).toBe(200);
  });

  it('mails a fresh link when the merchant re-issues an invitation; the old one stops working', async () => {
    const merchant = await signUpMerchant(ctx.app);
    const program = await createProgramFor(ctx.app, merchant);
    const invited = await createPartnerFor(ctx.app, merchant, program.id);
    const reissued = await inject('POST', `/api/programs/${program.id}/partners/${invited.id}/invitation`, merchant.headers);
    expect(reissued.statusCode).toBe(201);
    const mails = (await inject('GET', `/api/dev/mailbox?to=${encodeURIComponent(invited.email)}`)).json().items;
    expect(mails).toHaveLength(2);
    expect(mails[0].text).toContain(reissued.json().invitation.url);
    const old = await inject('POST', '/api/portal/invitations/accept', {}, { token: invited.invitation.token, password: 'my new password 1' });
    expect(old.statusCode).toBe(400);
  });

  it('refuses an expired invitation and a too-short password', async () => {
    const merchant = await signUpMerchant(ctx.app);
    const program = await createProgramFor(ctx.app, merchant);
    const invited = await createPartnerFor(ctx.app, merchant, program.id);
    const short = await inject('POST', '/api/portal/invitations/accept', {}, { token: invited.invitation.token, password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].path).toBe('body.password');
    await ctx.db.partner.update({ where: { id: invited.id }, data: { invitationExpiresAt: new Date(Date.now() - 1000) } });
    const expired = await inject('POST', '/api/portal/invitations/accept', {}, { token: invited.invitation.token, password: 'my new password 1' });
    expect(expired.statusCode).toBe(400);
    expect((await ctx.db.partner.findUniqueOrThrow({ where: { id: invited.id } })).passwordHash).toBeNull();
  });

  it('resets a password by a mailed token; answers 202 alike for unknown emails; ends other sessions', async () => {
    const s = await setUpPartner();
    const unknown = await inject('POST', '/api/portal/password-reset/request', {}, { programId: s.program.id, email: 'nobody@example.test' });
    expect(unknown.statusCode).toBe(202);
    expect(await ctx.db.mailMessage.count({ where: { to: 'nobody@example.test' } })).toBe(0);

    const requested = await inject('POST', '/api/portal/password-reset/request', {}, { programId: s.program.id, email: s.partner.email });
    expect(requested.statusCode).toBe(202);
    const [mail] = (await inject('GET', `/api/dev/mailbox?to=${encodeURIComponent(s.partner.email)}`)).json().items;
    expect(mail.subject).toMatch(/^Reset your/);
    const link = /(http\S+reset-password\?token=(\S+))/.exec(mail.text);
    expect(link?.[1]?.startsWith(`${PORTAL_URL}/reset-password?token=`)).toBe(true);
    const token = decodeURIComponent(link![2]!);

    const confirmed = await inject('POST', '/api/portal/password-reset/confirm', {}, { token, password: 'brand new password 9' });
    expect(confirmed.statusCode).toBe(200);
    expect((await inject('GET', '/api/portal/me', s.session.headers)).statusCode).toBe(401);
    expect((await login({ programId: s.program.id, email: s.partner.email, password: s.session.password })).statusCode).toBe(401);
    expect((await login({ programId: s.program.id, email: s.partner.email, password: 'brand new password 9' })).statusCode).toBe(200);
    const reused = await inject('POST', '/api/portal/password-reset/confirm', {}, { token, password: 'yet another password 9' });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error.code).toBe('reset_link_invalid');
  });
});

describe('the partner\'s own data', () => {
  it('lists only the partner\'s own codes, with the discount in plain words, uses left, share line and referral link', async () => {
    const s = await setUpPartner({ name: 'Cobol Club' });
    const coupon = await addCoupon(s, { discountType: 'percent', percentOffBps: 2000 });
    const expiresAt = new Date('2099-01-01T00:00:00Z');
    await ctx.factories.promotionCode({ workspaceId: s.workspaceId, programId: s.program.id, couponId: coupon.id, code: 'GRACE20', partnerId: s.partner.id, firstTimeOnly: true, minimumAmount: 5000, minimumAmountCurrency: 'USD', expiresAt, maxRedemptions: 150, timesRedeemed: 50 });
    await ctx.factories.promotionCode({ workspaceId: s.workspaceId, programId: s.program.id, couponId: coupon.id, code: 'GRACEOFF', partnerId: s.partner.id, status: 'disabled' });
    await ctx.factories.promotionCode({ workspaceId: s.workspaceId, programId: s.program.id, couponId: coupon.id, code: 'GONE', partnerId: s.partner.id, deletedAt: new Date() });
    const sibling = await createPartnerFor(ctx.app, s.merchant, s.program.id);
    await ctx.factories.promotionCode({ workspaceId: s.workspaceId, programId: s.program.id, couponId: coupon.id, code: 'SIBLING20', partnerId: sibling.id });

    const res = await inject('GET', '/api/portal/codes', s.session.headers);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.referralUrl).toBe(`http://127.0.0.1:3000/r/${s.partner.referralKey}`);
    expect(body.items.map((c: { code: string }) => c.code)).toEqual(['GRACE20', 'GRACEOFF']);
    expect(body.items[0]).toMatchObject({
      status: 'active',
      discount: '20% off the first order, orders of $50 or more, until 31 Dec 2098, 100 uses left',
      usesLeft: 100,
      restrictions: { firstTimeOnly: true, minimumAmount: 5000, maxRedemptions: 150, expiresAt: expiresAt.toISOString() },
      shareLine: `Use my code GRACE20 for 20% off the first order, orders of $50 or more, until 31 Dec 2098, 100 uses left at Cobol Club: ${body.referralUrl}`,
    });
    expect(body.items[1]).toMatchObject({ status: 'disabled', usesLeft: null });
  });

  it('aggregates clicks, orders, revenue and commissions of the partner only, per day and per code', async () => {
    const s = await setUpPartner({ currency: 'usd' });
    const other = await setUpPartner();
    const sibling = await createPartnerFor(ctx.app, s.merchant, s.program.id);
    const connection = await ctx.factories.connection({ workspaceId: s.workspaceId, programId: s.program.id });
    const coupon = await addCoupon(s);
    const code = await ctx.factories.promotionCode({ workspaceId: s.workspaceId, programId: s.program.id, couponId: coupon.id, code: 'STATS20', partnerId: s.partner.id });
    const day1 = new Date('2026-03-02T10:00:00Z');
    const day2 = new Date('2026-03-04T23:59:00Z');
    const mine = { workspaceId: s.workspaceId, programId: s.program.id, partnerId: s.partner.id };

    await ctx.factories.referralClick({ ...mine, createdAt: day1 });
    await ctx.factories.referralClick({ ...mine, createdAt: day1 });
    await ctx.factories.referralClick({ ...mine, createdAt: new Date('2026-02-28T12:00:00Z') });
    const sale1 = await ctx.factories.sale({ ...mine, connectionId: connection.id, netAmount: 8_000, orderedAt: day1, promotionCodeId: code.id, attributionSource: 'code' });
    const sale2 = await ctx.factories.sale({ ...mine, connectionId: connection.id, netAmount: 5_000, orderedAt: day2, attributionSource: 'cookie' });
    await ctx.factories.sale({ ...mine, connectionId: connection.id, netAmount: 9_999, currency: 'EUR', orderedAt: day2 });
    await ctx.factories.commission({ ...mine, saleId: sale1.id, amount: 1_600, status: 'pending' });
    await ctx.factories.commission({ ...mine, saleId: sale2.id, amount: 1_000, status: 'approved' });
    await ctx.factories.commission({ ...mine, saleId: sale2.id, amount: -400, kind: 'reversal', status: 'approved', sourceKey: 'refund:1' });
    // Another partner of the same program and a partner of another workspace: never counted.
    const siblingSale = await ctx.factories.sale({ workspaceId: s.workspaceId, programId: s.program.id, partnerId: sibling.id, connectionId: connection.id, netAmount: 70_000, orderedAt: day1 });
    await ctx.factories.commission({ workspaceId: s.workspaceId, programId: s.program.id, partnerId: sibling.id, saleId: siblingSale.id, amount: 14_000 });
    await ctx.factories.referralClick({ workspaceId: s.workspaceId, programId: s.program.id, partnerId: sibling.id, createdAt: day1 });
    const otherConnection = await ctx.factories.connection({ workspaceId: other.workspaceId, programId: other.program.id });
    await ctx.factories.sale({ workspaceId: other.workspaceId, programId: other.program.id, partnerId: other.partner.id, connectionId: otherConnection.id, orderedAt: day1 });

    const res = await inject('GET', '/api/portal/stats?from=2026-03-01&to=2026-03-05', s.session.headers);
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    expect(stats).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-05',
      currency: 'USD',
      totals: { clicks: 2, orders: 3, revenue: 13_000, commissions: { pending: 1_600, approved: 600, paid: 0 }, otherCurrencyOrders: 1 },
    });
    expect(stats.perDay.map((d: { date: string }) => d.date)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']);
    expect(stats.perDay[1]).toEqual({ date: '2026-03-02', clicks: 2, orders: 1, revenue: 8_000, commission: 1_600 });
    expect(stats.perDay[3]).toEqual({ date: '2026-03-04', clicks: 0, orders: 2, revenue: 5_000, commission: 600 });
    expect(stats.perCode).toEqual([{ codeId: code.id, code: 'STATS20', orders: 1, revenue: 8_000, commission: 1_600 }]);

    const otherStats = (await inject('GET', '/api/portal/stats?from=2026-03-01&to=2026-03-05', other.session.headers)).json();
    expect(otherStats.totals).toMatchObject({ clicks: 0, orders: 1, revenue: 8_000 });

    const backwards = await inject('GET', '/api/portal/stats?from=2026-03-05&to=2026-03-01', s.session.headers);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.code).toBe('invalid_range');
  });

  it('lists the partner\'s commissions newest first in keyset pages, with the order and its code', async () => {
    const s = await setUpPartner();
    const sibling = await createPartnerFor(ctx.app, s.merchant, s.program.id);
    const connection = await ctx.factories.connection({ workspaceId: s.workspaceId, programId: s.program.id });
    const coupon = await addCoupon(s);
    const code = await ctx.factories.promotionCode({ workspaceId: s.workspaceId, programId: s.program.id, couponId: coupon.id, code: 'LEDGER20', partnerId: s.partner.id });
    const mine = { workspaceId: s.workspaceId, programId: s.program.id, partnerId: s.partner.id };
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const sale = await ctx.factories.sale({ ...mine, connectionId: connection.id, platformOrderId: `ord_${i}`, promotionCodeId: code.id });
      ids.push((await ctx.factories.commission({ ...mine, saleId: sale.id, amount: 100 * (i + 1), createdAt: new Date(Date.now() - (3 - i) * 1000) })).id);
    }
    const siblingSale = await ctx.factories.sale({ workspaceId: s.workspaceId, programId: s.program.id, partnerId: sibling.id, connectionId: connection.id });
    await ctx.factories.commission({ workspaceId: s.workspaceId, programId: s.program.id, partnerId: sibling.id, saleId: siblingSale.id });

    const first = await inject('GET', '/api/portal/commissions?limit=2', s.session.headers);
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    expect(first.json().items[0]).toMatchObject({ amount: 300, status: 'pending', order: { platformOrderId: 'ord_2', code: 'LEDGER20' } });
    const second = await inject('GET', `/api/portal/commissions?limit=2&cursor=${first.json().nextCursor}`, s.session.headers);
    expect(second.json()).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect((await inject('GET', '/api/portal/commissions?status=paid', s.session.headers)).json().items).toEqual([]);
  });

  it('changes the partner\'s own name and payout email only', async () => {
    const s = await setUpPartner();
    const sibling = await createPartnerFor(ctx.app, s.merchant, s.program.id, { name: 'Sibling' });
    const noCsrf = await inject('PATCH', '/api/portal/profile', { cookie: s.session.headers.cookie }, { name: 'X' });
    expect(noCsrf.statusCode).toBe(403);
    const res = await inject('PATCH', '/api/portal/profile', s.session.headers, { name: 'Grace B. Hopper', payoutEmail: 'Payouts@Example.test' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: s.partner.id, name: 'Grace B. Hopper', payoutEmail: 'payouts@example.test' });
    expect((await ctx.db.partner.findUniqueOrThrow({ where: { id: sibling.id } })).name).toBe('Sibling');
    const cleared = await inject('PATCH', '/api/portal/profile', s.session.headers, { payoutEmail: null });
    expect(cleared.json().payoutEmail).toBeNull();
    expect((await inject('PATCH', '/api/portal/profile', s.session.headers, { payoutEmail: 'not-an-email' })).statusCode).toBe(400);
  });
});

describe('who may call the partner routes', () => {
  const partnerRoutes = [
    ['GET', '/api/portal/me'],
    ['GET', '/api/portal/codes'],
    ['GET', '/api/portal/stats'],
    ['GET', '/api/portal/commissions'],
    ['PATCH', '/api/portal/profile'],
    ['POST', '/api/portal/logout'],
  ] as const;

  it('answers 401 without a session and 403 to a merchant session or API key', async () => {
    const s = await setUpPartner();
    const apiKey = await apiKeyHeaders(ctx.app, s.merchant, 'admin');
    for (const [method, url] of partnerRoutes) {
      const payload = method === 'PATCH' ? { name: 'Someone' } : undefined;
      expect((await inject(method, url, {}, payload)).statusCode, `${method} ${url} anonymous`).toBe(401);
      expect((await inject(method, url, s.merchant.headers, payload)).statusCode, `${method} ${url} merchant`).toBe(403);
      expect((await inject(method, url, apiKey, payload)).statusCode, `${method} ${url} api key`).toBe(403);
    }
    expect((await ctx.db.partner.findUniqueOrThrow({ where: { id: s.partner.id } })).name).toBe('John Smith');
  });

  it('does not let a partner session reach merchant routes or other programs\' partners', async () => {
    const s = await setUpPartner();
    expect((await inject('GET', '/api/me', s.session.headers)).statusCode).toBe(401);
    expect((await inject('GET', `/api/programs/${s.program.id}/partners`, s.session.headers)).statusCode).toBe(401);
    expect((await inject('GET', `/api/programs/${s.program.id}/partners/${s.partner.id}`, s.session.headers)).statusCode).toBe(401);
  });
});

describe('development mailbox in production', () => {
  const prod = useTestApp({
    NODE_ENV: 'production',
    COOKIE_SECRET: 'a-production-cookie-secret-of-32-chars!!',
    ENCRYPTION_KEYS: `prod:${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`,
  });

  it('does not exist', async () => {
    const res = await prod.app.inject({ method: 'GET', url: '/api/dev/mailbox' });
    expect(res.statusCode).toBe(404);
    expect(prod.app.printRoutes()).not.toContain('mailbox');
  });
});
