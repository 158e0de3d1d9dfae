import { describe, expect, it } from 'vitest';
import type { Db } from '@codetrack/db';
import { stripeChargeRefunded, stripeCheckoutCompleted } from '@codetrack/testkit';
import { useWorkerTestContext } from '../../test/helpers.ts';
import { applyOrdersBatch } from './apply-orders-batch.ts';
import { loadConnectionContext, prepareWebhookEvent, processWebhook } from './process-webhook.ts';
import { processWebhookBatch } from './process-webhook-batch.ts';

// The batch path must book exactly what the one-delivery path books. Two identical shops get the
// same deliveries; one shop's are processed as ONE batch, the other's one at a time in the same
// order; the sales, earnings, customers, redemption counts and inbox outcomes must be equal.

const ctx = useWorkerTestContext();
const now = Math.floor(Date.now() / 1000) - 60;

async function setUpShop() {
  const f = ctx.factories;
  const ws = await f.workspace();
  const program = await f.program({ workspaceId: ws.id, commissionType: 'percent', commissionValue: 2000, commissionDuration: 'lifetime', cookieLifetimeDays: 30 });
  const alice = await f.partner({ workspaceId: ws.id, programId: program.id, email: `alice-${ws.id}@partners.test`, status: 'active' });
  const bob = await f.partner({ workspaceId: ws.id, programId: program.id, email: `bob-${ws.id}@partners.test`, status: 'active' });
  const coupon = await f.coupon({ workspaceId: ws.id, programId: program.id });
  const code = (text: string, partnerId: string, extra: Record<string, unknown> = {}) =>
    f.promotionCode({ workspaceId: ws.id, programId: program.id, couponId: coupon.id, partnerId, code: text, ...extra });
  await code('ALPHA', alice.id);
  await code('LIMIT1', bob.id, { maxRedemptions: 1 });
  await code('FIRSTONLY', alice.id, { firstTimeOnly: true });
  await f.referralClick({ workspaceId: ws.id, programId: program.id, partnerId: bob.id, visitorId: `v_batch_${ws.id}`, createdAt: new Date((now - 3600) * 1000) });
  const connection = await f.connection({ workspaceId: ws.id, programId: program.id, platform: 'stripe', status: 'connected' });
  const names = new Map([
    [alice.id, 'alice'],
    [bob.id, 'bob'],
  ]);
  return { ws, program, connection, names };
}

type Shop = Awaited<ReturnType<typeof setUpShop>>;

function order(i: string, input: { code?: string; email?: string | null; visitor?: string | null; eventId?: string }) {
  return stripeCheckoutCompleted({
    eventId: input.eventId ?? `evt_${i}`,
    paymentIntentId: `pi_${i}`,
    amountSubtotal: 10_000,
    amountDiscount: input.code ? 1_000 : 0,
    amountTotal: input.code ? 9_000 : 10_000,
    promotionCodeId: input.code ? `promo_${input.code}` : null,
    promotionCode: input.code ?? null,
    email: input.email ?? null,
    visitorId: input.visitor ?? null,
    created: now,
  });
}

/** The deliveries, in the order they are stored: every case the batch path must get right. */
function deliveries(shop: Shop) {
  return [
    order('o1', { code: 'ALPHA', email: 'c1@buyers.test' }),
    order('o2', { code: 'ALPHA', email: 'c1@buyers.test' }), // the same new customer again: not a first order
    order('o3', { code: 'LIMIT1', email: 'c2@buyers.test' }),
    order('o4', { code: 'LIMIT1', email: 'c3@buyers.test' }), // the code's one redemption is used by o3
    order('o5', { email: 'c4@buyers.test', visitor: `v_batch_${shop.ws.id}` }), // cookie
    order('o6', { code: 'FIRSTONLY', email: 'c1@buyers.test' }), // first-time-only, but c1 ordered before
    order('o1', { code: 'ALPHA', email: 'c1@buyers.test', eventId: 'evt_o1_again' }), // a second event of o1
    order('o7', { email: null }), // no signal at all
    order('o8', { code: 'alpha', email: `alice-${shop.ws.id}@partners.test` }), // self-referral
    stripeChargeRefunded({ eventId: 'evt_refund_o3', paymentIntentId: 'pi_o3', amount: 9_000, amountRefunded: 4_500, created: now + 10 }),
    stripeChargeRefunded({ eventId: 'evt_refund_o99', paymentIntentId: 'pi_o99', amount: 9_000, amountRefunded: 9_000, created: now + 10 }),
  ];
}

async function store(shop: Shop) {
  const ids: string[] = [];
  for (const payload of deliveries(shop)) {
    const event = payload as { id: string; type: string };
    const row = await ctx.factories.webhookEvent({ workspaceId: shop.ws.id, connectionId: shop.connection.id, dedupeKey: event.id, topic: event.type, payload: payload as object });
    ids.push(row.id);
  }
  return ids;
}

/** What a merchant sees, with our ids replaced by stable names so two shops compare equal. */
async function snapshot(db: Db, shop: Shop) {
  const name = (id: string | null) => (id === null ? null : (shop.names.get(id) ?? 'unknown'));
  const email = (text: string | null) => text?.replace(shop.ws.id, 'WS') ?? null;
  const sales = await db.sale.findMany({ where: { workspaceId: shop.ws.id }, include: { commissions: true }, orderBy: { platformOrderId: 'asc' } });
  const customers = (await db.customer.findMany({ where: { workspaceId: shop.ws.id } })).sort((a, b) => (email(a.email) ?? '').localeCompare(email(b.email) ?? ''));
  const codes = await db.promotionCode.findMany({ where: { workspaceId: shop.ws.id }, orderBy: { normalizedCode: 'asc' } });
  const events = await db.webhookEvent.findMany({ where: { connectionId: shop.connection.id }, orderBy: { dedupeKey: 'asc' } });
  return {
    sales: sales.map((s) => ({
      order: s.platformOrderId,
      partner: name(s.partnerId),
      source: s.attributionSource,
      flags: s.flags,
      codesSeen: s.codesSeen,
      net: s.netAmount,
      refunded: s.refundedAmount,
      customerEmail: email(s.customerEmail),
      noCommissionReason: (s.attribution as { noCommissionReason?: string | null }).noCommissionReason ?? null,
      commissions: s.commissions.map((c) => ({ kind: c.kind, amount: c.amount, partner: name(c.partnerId), status: c.status, sourceKey: c.sourceKey })).sort((a, b) => a.sourceKey.localeCompare(b.sourceKey)),
    })),
    customers: customers.map((c) => ({ email: email(c.email), orders: c.ordersCount, boundTo: name(c.boundPartnerId), source: c.bindingSource, first: c.firstOrderAt?.toISOString() ?? null })),
    redemptions: codes.map((c) => ({ code: c.normalizedCode, times: c.timesRedeemed })),
    inbox: events.map((e) => ({ key: e.dedupeKey, status: e.status, error: e.error })),
  };
}

describe('processing deliveries in a batch', () => {
  it('books exactly what processing them one at a time books', async () => {
    const batched = await setUpShop();
    const single = await setUpShop();
    const batchIds = await store(batched);
    const singleIds = await store(single);
    const deps = { db: ctx.db, logger: ctx.logger };

    const results = await processWebhookBatch(deps, batchIds);
    for (const id of singleIds) await processWebhook(deps, id);

    expect([...results.values()].filter((r) => r instanceof Error)).toEqual([]);
    const expected = await snapshot(ctx.db, single);
    // The cases above really happened on the one-at-a-time side, so the comparison means something.
    expect(expected.sales.find((s) => s.order === 'pi_o4')?.noCommissionReason).toMatch(/limit of 1 redemptions/);
    expect(expected.sales.find((s) => s.order === 'pi_o5')).toMatchObject({ partner: 'bob', source: 'cookie' });
    expect(expected.sales.find((s) => s.order === 'pi_o3')?.refunded).toBe(4_500);
    expect(expected.inbox.find((e) => e.key === 'evt_refund_o99')?.status).toBe('waiting');
    expect(await snapshot(ctx.db, batched)).toEqual(expected);
  });

  it('books new orders together and leaves known orders and repeats to the one-order path', async () => {
    const shop = await setUpShop();
    const ids = await store(shop);
    // One delivery through the normal path first: its order then already has a sale.
    await processWebhook({ db: ctx.db, logger: ctx.logger }, ids[0]!);
    const context = (await loadConnectionContext(ctx.db, shop.connection.id))!;
    const items = [];
    for (const event of await ctx.db.webhookEvent.findMany({ where: { id: { in: ids.slice(0, 9) } }, orderBy: { receivedAt: 'asc' } })) {
      const prepared = await prepareWebhookEvent({ db: ctx.db, logger: ctx.logger }, { ...event, platform: 'stripe' });
      if ('result' in prepared) throw new Error('unexpected');
      const [only] = prepared.normalized.events;
      if (only?.kind === 'order') items.push({ key: event.dedupeKey, context, order: only });
    }
    const outcome = await applyOrdersBatch(ctx.db, items);
    expect(outcome.applied.map((o) => o.key).sort()).toEqual(['evt_o2', 'evt_o3', 'evt_o4', 'evt_o5', 'evt_o6', 'evt_o7', 'evt_o8']);
    expect(outcome.deferred.map((o) => o.key).sort()).toEqual(['evt_o1', 'evt_o1_again']);
    expect(await ctx.db.sale.count({ where: { workspaceId: shop.ws.id } })).toBe(8);
  });

  it('never passes a redemption limit when batches run at the same time, and counts unlimited codes exactly', async () => {
    const shop = await setUpShop();
    const ids: string[] = [];
    for (let i = 0; i < 24; i += 1) {
      const payload = order(`race${i}`, { code: i % 2 === 0 ? 'LIMIT1' : 'ALPHA', email: `race${i}@buyers.test` }) as { id: string; type: string };
      ids.push((await ctx.factories.webhookEvent({ workspaceId: shop.ws.id, connectionId: shop.connection.id, dedupeKey: payload.id, topic: payload.type, payload: payload as object })).id);
    }
    const deps = { db: ctx.db, logger: ctx.logger };
    const results = await Promise.all([0, 1, 2, 3].map((k) => processWebhookBatch(deps, ids.filter((_, i) => i % 4 === k))));
    expect(results.flatMap((r) => [...r.values()]).filter((r) => r instanceof Error)).toEqual([]);
    const codes = await ctx.db.promotionCode.findMany({ where: { workspaceId: shop.ws.id }, select: { normalizedCode: true, timesRedeemed: true } });
    expect(Object.fromEntries(codes.map((c) => [c.normalizedCode, c.timesRedeemed]))).toEqual({ ALPHA: 12, LIMIT1: 1, FIRSTONLY: 0 });
    const paid = await ctx.db.commission.count({ where: { workspaceId: shop.ws.id } });
    expect(paid).toBe(12 + 1);
  });
});
