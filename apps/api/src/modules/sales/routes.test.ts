import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeyHeaders, createPartnerFor, createProgramFor, signUpMerchant, useTestApp } from '../../../test/helpers.ts';

const ctx = useTestApp();
const DAY = 86_400_000;

type Merchant = Awaited<ReturnType<typeof signUpMerchant>>;
let merchant: Merchant;
let stranger: Merchant;
let programId: string;
let partnerA: string;
let partnerB: string;
let codeId: string;
let couponId: string;
const saleIds: string[] = [];
const earningIds: Record<'due' | 'held' | 'refunded', string> = { due: '', held: '', refunded: '' };

beforeAll(async () => {
  merchant = await signUpMerchant(ctx.app);
  stranger = await signUpMerchant(ctx.app);
  programId = (await createProgramFor(ctx.app, merchant)).id;
  partnerA = (await createPartnerFor(ctx.app, merchant, programId)).id;
  partnerB = (await createPartnerFor(ctx.app, merchant, programId)).id;
  const f = ctx.factories;
  const ws = merchant.workspaceId;
  const connection = await f.connection({ workspaceId: ws, programId });
  const coupon = await f.coupon({ workspaceId: ws, programId });
  couponId = coupon.id;
  codeId = (await f.promotionCode({ workspaceId: ws, programId, couponId, code: 'STATS20', partnerId: partnerA })).id;

  const base = Date.parse('2026-03-01T12:00:00Z');
  // Sale 0: code, partner A, 100.00 net, earning past its hold. Sale 1: code, partner A, refunded
  // 40.00 of 50.00. Sale 2: cookie, partner B, still in hold. Sale 3: unattributed.
  const specs = [
    { partnerId: partnerA, source: 'code' as const, promotionCodeId: codeId, net: 10_000, discount: 2_500, refunded: 0, status: 'paid' as const, at: base },
    { partnerId: partnerA, source: 'code' as const, promotionCodeId: codeId, net: 5_000, discount: 1_250, refunded: 4_000, status: 'partially_refunded' as const, at: base + DAY },
    { partnerId: partnerB, source: 'cookie' as const, promotionCodeId: null, net: 20_000, discount: 0, refunded: 0, status: 'paid' as const, at: base + 2 * DAY },
    { partnerId: null, source: 'none' as const, promotionCodeId: null, net: 3_000, discount: 0, refunded: 0, status: 'paid' as const, at: base + 3 * DAY },
  ];
  for (const [i, s] of specs.entries()) {
    const sale = await f.sale({
      workspaceId: ws,
      programId,
      connectionId: connection.id,
      platformOrderId: `order_${i}`,
      partnerId: s.partnerId,
      attributionSource: s.source,
      promotionCodeId: s.promotionCodeId,
      netAmount: s.net,
      grossAmount: s.net + s.discount,
      discountAmount: s.discount,
      refundedAmount: s.refunded,
      status: s.status,
      orderedAt: new Date(s.at),
      attribution: { signals: [{ kind: 'code', value: 'STATS20', partnerId: s.partnerId, accepted: true, note: 'STATS20 is assigned to the partner' }], explanation: 'Partner gets the sale because of their code.', flags: [], commissionable: true, noCommissionReason: null, reasons: [], platformDiscountIds: [], unresolvedDiscountIds: [] },
    });
    saleIds.push(sale.id);
  }
  const earning = (saleId: string, partnerId: string, amount: number, holdUntil: Date) =>
    f.commission({ workspaceId: ws, programId, saleId, partnerId, amount, currency: 'USD', sourceKey: `order:${saleId}`, holdUntil });
  earningIds.due = (await earning(saleIds[0]!, partnerA, 2_000, new Date(Date.now() - DAY))).id;
  earningIds.refunded = (await earning(saleIds[1]!, partnerA, 1_000, new Date(Date.now() - DAY))).id;
  await f.commission({ workspaceId: ws, programId, saleId: saleIds[1]!, partnerId: partnerA, kind: 'reversal', amount: -800, currency: 'USD', status: 'reversed', sourceKey: 'refund:re_1', holdUntil: new Date() });
  earningIds.held = (await earning(saleIds[2]!, partnerB, 4_000, new Date(Date.now() + 10 * DAY))).id;
});

describe('sales routes', () => {
  it('lists sales newest order first with filters and keyset pages', async () => {
    const first = await ctx.app.inject({ method: 'GET', url: `/api/programs/${programId}/sales?limit=3`, headers: merchant.headers });
    expect(first.statusCode).toBe(200);
    expect(first.json().items.map((s: { platformOrderId: string }) => s.platformOrderId)).toEqual(['order_3', 'order_2', 'order_1']);
    const second = await ctx.app.inject({ method: 'GET', url: `/api/programs/${programId}/sales?limit=3&cursor=${first.json().nextCursor}`, headers: merchant.headers });
    expect(second.json()).toMatchObject({ items: [{ platformOrderId: 'order_0', commissionBalance: 2_000 }], nextCursor: null });

    const filtered = async (query: string) =>
      (await ctx.app.inject({ method: 'GET', url: `/api/programs/${programId}/sales?${query}`, headers: merchant.headers })).json().items.map((s: { platformOrderId: string }) => s.platformOrderId);
    expect(await filtered(`partnerId=${partnerA}`)).toEqual(['order_1', 'order_0']);
    expect(await filtered('source=cookie')).toEqual(['order_2']);
    expect(await filtered('status=partially_refunded')).toEqual(['order_1']);
    expect(await filtered('from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z')).toEqual(['order_2', 'order_1']);
  });

  it('shows one sale with its ledger rows and the attribution explanation', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/sales/${saleIds[1]}`, headers: merchant.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ platformOrderId: 'order_1', source: 'code', commissionBalance: 200, platform: 'stripe' });
    expect(body.attribution.explanation).toMatch(/because of their code/);
    expect(body.attribution.signals[0]).toMatchObject({ kind: 'code', accepted: true });
    expect(body.commissions.map((c: { kind: string; amount: number }) => [c.kind, c.amount])).toEqual([
      ['earning', 1_000],
      ['reversal', -800],
    ]);
  });

  it('aggregates stats per program, partner and code, with filters', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/programs/${programId}/stats`, headers: merchant.headers });
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    expect(stats.totals).toEqual([{ currency: 'USD', orders: 4, revenue: 34_000, discount: 3_750, commissions: { pending: 7_000, approved: 0, paid: 0, reversed: -800, rejected: 0 } }]);
    const byPartner = Object.fromEntries(stats.partners.map((p: { partnerId: string | null; revenue: number }) => [p.partnerId ?? 'none', p.revenue]));
    expect(byPartner).toEqual({ [partnerA]: 11_000, [partnerB]: 20_000, none: 3_000 });
    expect(stats.codes).toEqual([{ promotionCodeId: codeId, code: 'STATS20', partnerId: partnerA, currency: 'USD', orders: 2, revenue: 11_000, discount: 3_750, commissions: { pending: 3_000, approved: 0, paid: 0, reversed: -800, rejected: 0 } }]);
    expect(stats.redemptionsPerDay).toEqual([
      { date: '2026-03-01', promotionCodeId: codeId, redemptions: 1 },
      { date: '2026-03-02', promotionCodeId: codeId, redemptions: 1 },
    ]);

    const filtered = await ctx.app.inject({ method: 'GET', url: `/api/programs/${programId}/stats?couponId=${couponId}&from=2026-03-02T00:00:00Z`, headers: merchant.headers });
    expect(filtered.json().totals).toEqual([{ currency: 'USD', orders: 1, revenue: 1_000, discount: 1_250, commissions: { pending: 1_000, approved: 0, paid: 0, reversed: -800, rejected: 0 } }]);
  });

  it('approves only earnings whose hold is over unless forced, rejects and marks paid, each with audit rows', async () => {
    const approve = await ctx.app.inject({ method: 'POST', url: '/api/commissions/approve', headers: merchant.headers, payload: { ids: [earningIds.due, earningIds.held, 'com_missing'] } });
    expect(approve.statusCode).toBe(200);
    expect(approve.json().changed).toEqual([earningIds.due]);
    expect(approve.json().skipped).toEqual([
      { id: earningIds.held, reason: expect.stringMatching(/hold period runs until/) },
      { id: 'com_missing', reason: 'not_found' },
    ]);
    const forced = await ctx.app.inject({ method: 'POST', url: '/api/commissions/approve', headers: merchant.headers, payload: { ids: [earningIds.held], force: true } });
    expect(forced.json()).toEqual({ changed: [earningIds.held], skipped: [] });

    const reject = await ctx.app.inject({ method: 'POST', url: '/api/commissions/reject', headers: merchant.headers, payload: { ids: [earningIds.refunded, earningIds.due], reason: 'fraud check' } });
    expect(reject.json().changed).toEqual([earningIds.refunded]);
    expect(reject.json().skipped).toEqual([{ id: earningIds.due, reason: 'the commission is approved, not pending' }]);

    const paid = await ctx.app.inject({ method: 'POST', url: '/api/commissions/mark-paid', headers: merchant.headers, payload: { ids: [earningIds.due, earningIds.held, earningIds.refunded] } });
    expect(paid.json().changed.sort()).toEqual([earningIds.due, earningIds.held].sort());
    expect(paid.json().skipped).toEqual([{ id: earningIds.refunded, reason: 'the commission is rejected, not approved' }]);

    const audits = await ctx.db.auditLog.findMany({ where: { workspaceId: merchant.workspaceId, entityType: 'commission' } });
    expect(audits.map((a) => a.action).sort()).toEqual(['commission.approved', 'commission.approved', 'commission.paid', 'commission.paid', 'commission.rejected']);

    const list = await ctx.app.inject({ method: 'GET', url: `/api/programs/${programId}/commissions?status=paid&limit=1`, headers: merchant.headers });
    expect(list.json().items).toHaveLength(1);
    const next = await ctx.app.inject({ method: 'GET', url: `/api/programs/${programId}/commissions?status=paid&limit=1&cursor=${list.json().nextCursor}`, headers: merchant.headers });
    expect([...list.json().items, ...next.json().items].map((c: { id: string }) => c.id).sort()).toEqual([earningIds.due, earningIds.held].sort());
  });

  it('exports the ledger as CSV', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/programs/${programId}/commissions/export?partnerId=${partnerA}`, headers: merchant.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe('id,createdAt,partnerId,saleId,platformOrderId,kind,amountMinor,currency,status,holdUntil,approvedAt,paidAt,reason');
    expect(lines).toHaveLength(4);
    expect(lines.some((l) => l.includes(',reversal,-800,USD,reversed,'))).toBe(true);
  });

  it('answers 404 to another workspace and 403 to a viewer on writes', async () => {
    for (const url of [`/api/programs/${programId}/sales`, `/api/sales/${saleIds[0]}`, `/api/programs/${programId}/commissions`, `/api/programs/${programId}/commissions/export`, `/api/programs/${programId}/stats`]) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: stranger.headers });
      expect([url, res.statusCode]).toEqual([url, 404]);
    }
    const foreign = await ctx.app.inject({ method: 'POST', url: '/api/commissions/reject', headers: stranger.headers, payload: { ids: [earningIds.held] } });
    expect(foreign.json()).toEqual({ changed: [], skipped: [{ id: earningIds.held, reason: 'not_found' }] });

    const viewer = await apiKeyHeaders(ctx.app, merchant, 'viewer');
    expect((await ctx.app.inject({ method: 'GET', url: `/api/programs/${programId}/stats`, headers: viewer })).statusCode).toBe(200);
    for (const path of ['approve', 'reject', 'mark-paid']) {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/commissions/${path}`, headers: viewer, payload: { ids: [earningIds.held] } });
      expect(res.statusCode).toBe(403);
    }
  });
});
