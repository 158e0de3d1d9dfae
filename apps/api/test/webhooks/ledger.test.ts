import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeLedger, createSeededRandom, type CommissionRule, type LedgerEvent, type LedgerRow } from '@codetrack/core';
import { signedStripeWebhook, stripeChargeRefunded, stripeCheckoutCompleted, type SignedDelivery } from '@codetrack/testkit';
import { startTestWorker, useTestApp } from '../helpers.ts';
import { addCode, addPartner, postWebhook, setUpShop, webhookSecrets, type Shop } from './fixtures.ts';

// The must-show: a shuffled stream of 1,000 Stripe deliveries (700 distinct events, 300 repeats)
// posted concurrently through the real ingress and processed by two worker runtimes sharing one
// queue ends with the ledger the pure reference (computeLedger) computes from the clean stream.

const ctx = useTestApp({ WEBHOOK_RATE_LIMIT_MAX: '100000', DATABASE_POOL_SIZE: '12' });
const stops: (() => Promise<void>)[] = [];
let shop: Shop;

beforeAll(async () => {
  shop = await setUpShop(ctx);
  stops.push(await startTestWorker(ctx), await startTestWorker(ctx));
});
afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
});

type Stream = { deliveries: SignedDelivery[]; clean: LedgerEvent[] };

function buildStream(input: { seed: number; partners: { id: string; code: string }[]; base: number }): Stream {
  // Seeded (packages/core), so a failing stream can be replayed from its seed.
  const random = createSeededRandom(input.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const rule: CommissionRule = { type: 'percent', value: 2000, duration: 'first_order', durationMonths: null };
  const clean: LedgerEvent[] = [];
  const distinct: SignedDelivery[] = [];
  const sign = (payload: unknown) => signedStripeWebhook({ secret: webhookSecrets.stripe, payload });
  const orders = 450;
  const refundsWanted = 200;
  const cancelsWanted = 50;

  const totals: number[] = [];
  for (let i = 0; i < orders; i += 1) {
    const total = 1_000 + pick(49_000);
    totals.push(total);
    // A quarter of the orders carry no code and stay unattributed.
    const partner = i % 4 === 0 ? null : (input.partners[i % input.partners.length] ?? null);
    const created = input.base + i;
    clean.push({
      type: 'order',
      eventId: `evt_order_${i}`,
      orderId: `pi_ledger_${i}`,
      occurredAt: new Date(created * 1000),
      partnerId: partner?.id ?? null,
      commissionable: partner !== null,
      netAmount: total,
      currency: 'USD',
      rule,
      programCurrency: 'USD',
      isFirstOrder: true,
      boundAt: null,
      holdDays: 30,
    });
    distinct.push(
      sign(
        stripeCheckoutCompleted({
          eventId: `evt_order_${i}`,
          sessionId: `cs_ledger_${i}`,
          paymentIntentId: `pi_ledger_${i}`,
          amountSubtotal: total,
          amountTotal: total,
          ...(partner ? { promotionCodeId: `promo_${partner.code}`, promotionCode: partner.code } : {}),
          email: `buyer-${i}@ledger.test`,
          created,
        }),
      ),
    );
  }

  // Refunds: one or two partial refunds per chosen order, never more than the order's total.
  const refunded = new Map<number, number>();
  for (let r = 0; r < refundsWanted; r += 1) {
    const i = pick(orders);
    const total = totals[i]!;
    const done = refunded.get(i) ?? 0;
    if (done >= total) continue;
    const amount = random() < 0.3 ? total - done : 1 + pick(Math.max(1, Math.floor((total - done) / 2)));
    refunded.set(i, done + amount);
    const refundId = `re_ledger_${r}`;
    const created = input.base + orders + r;
    clean.push({ type: 'refund', eventId: `evt_refund_${r}`, orderId: `pi_ledger_${i}`, refundId, amount, occurredAt: new Date(created * 1000) });
    distinct.push(
      sign(
        stripeChargeRefunded({
          eventId: `evt_refund_${r}`,
          chargeId: `ch_ledger_${i}`,
          paymentIntentId: `pi_ledger_${i}`,
          amount: total,
          amountRefunded: amount,
          refunds: [{ id: refundId, amount, created }],
          created,
        }),
      ),
    );
  }

  const cancelled = new Set<number>();
  for (let c = 0; c < cancelsWanted; c += 1) {
    const i = pick(orders);
    if (cancelled.has(i)) continue;
    cancelled.add(i);
    const created = input.base + orders + refundsWanted + c;
    clean.push({ type: 'cancel', eventId: `evt_cancel_${c}`, orderId: `pi_ledger_${i}`, occurredAt: new Date(created * 1000) });
    const payload = stripeCheckoutCompleted({ eventId: `evt_cancel_${c}`, sessionId: `cs_ledger_${i}`, paymentIntentId: `pi_ledger_${i}`, amountSubtotal: totals[i]!, amountTotal: totals[i]!, created });
    distinct.push(sign({ ...payload, type: 'checkout.session.async_payment_failed' }));
  }

  // Top up to 1,000 deliveries with repeats (~30%), then shuffle (Fisher-Yates).
  const deliveries = [...distinct];
  while (deliveries.length < 1_000) deliveries.push(distinct[pick(distinct.length)]!);
  for (let k = deliveries.length - 1; k > 0; k -= 1) {
    const j = pick(k + 1);
    [deliveries[k], deliveries[j]] = [deliveries[j]!, deliveries[k]!];
  }
  return { deliveries, clean };
}

// Per order: totals and statuses. How the reversed total is split into rows may differ (a
// cancellation processed before a refund reverses everything in one row), the sums may not.
type Comparable = Pick<LedgerRow, 'orderId' | 'partnerId' | 'saleStatus' | 'netAmount' | 'refundedAmount' | 'commissionStatus' | 'balance' | 'earnedAmount' | 'reversedAmount'>;

async function readLedgerFromDatabase(connectionId: string): Promise<Comparable[]> {
  const sales = await ctx.db.sale.findMany({ where: { connectionId }, include: { commissions: true }, orderBy: { platformOrderId: 'asc' } });
  return sales.map((sale) => {
    const earning = sale.commissions.find((c) => c.kind === 'earning');
    const reversed = sale.commissions.filter((c) => c.kind === 'reversal').reduce((sum, c) => sum - c.amount, 0);
    const earned = earning?.amount ?? 0;
    let commissionStatus: LedgerRow['commissionStatus'] = 'none';
    if (earning) commissionStatus = earning.status === 'reversed' ? 'reversed' : reversed > 0 ? 'partially_reversed' : 'earned';
    return {
      orderId: sale.platformOrderId,
      partnerId: sale.partnerId,
      saleStatus: sale.status,
      netAmount: sale.netAmount,
      refundedAmount: sale.refundedAmount,
      commissionStatus,
      balance: earned - reversed,
      earnedAmount: earned,
      reversedAmount: reversed,
    };
  });
}

describe('exactly-once ledger under duplicates, reordering and two workers', () => {
  it('ends with the ledger computeLedger derives from the clean stream', { timeout: 240_000 }, async () => {
    const partners = [shop.partner, await addPartner(ctx, shop), await addPartner(ctx, shop)];
    const withCodes = await Promise.all(partners.map(async (p, i) => ({ id: p.id, code: (await addCode(ctx, shop, { code: `LEDGER${i}`, partnerId: p.id })).normalizedCode })));
    const stream = buildStream({ seed: 20_261_201, partners: withCodes, base: Math.floor(Date.now() / 1000) - 86_400 });
    expect(stream.deliveries).toHaveLength(1_000);
    const connectionId = shop.connections.stripe.id;

    const batch = 50;
    for (let i = 0; i < stream.deliveries.length; i += batch) {
      const responses = await Promise.all(stream.deliveries.slice(i, i + batch).map((d) => postWebhook(ctx.app, 'stripe', connectionId, d)));
      const failed = responses.filter((r) => r.statusCode !== 200);
      expect(failed.map((r) => `${r.statusCode} ${r.body}`)).toEqual([]);
    }

    const distinctEvents = new Set(stream.clean.map((e) => e.eventId)).size;
    expect(await ctx.db.webhookEvent.count({ where: { connectionId } })).toBe(distinctEvents);
    for (const started = Date.now(); ; ) {
      const open = await ctx.db.webhookEvent.count({ where: { connectionId, status: { in: ['received', 'waiting'] } } });
      if (open === 0) break;
      if (Date.now() - started > 200_000) throw new Error(`${open} events never finished`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await ctx.db.webhookEvent.count({ where: { connectionId, status: 'failed' } })).toBe(0);

    const expected = computeLedger(stream.clean);
    expect(expected.waiting).toEqual([]);
    const want: Comparable[] = expected.rows.map((row) => ({
      orderId: row.orderId,
      partnerId: row.partnerId,
      saleStatus: row.saleStatus,
      netAmount: row.netAmount,
      refundedAmount: row.refundedAmount,
      commissionStatus: row.commissionStatus,
      balance: row.balance,
      earnedAmount: row.earnedAmount,
      reversedAmount: row.reversedAmount,
    }));
    const got = await readLedgerFromDatabase(connectionId);
    // Sanity: the stream exercises every branch the comparison is about.
    expect(new Set(want.map((r) => r.commissionStatus))).toEqual(new Set(['none', 'earned', 'partially_reversed', 'reversed']));
    expect(new Set(want.map((r) => r.saleStatus))).toEqual(new Set(['paid', 'partially_refunded', 'refunded', 'cancelled']));
    expect(got).toEqual(want);
  });
});
