import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paddleTransactionCompleted, signedPaddleWebhook, signedStripeWebhook, stripeChargeRefunded, stripeCheckoutCompleted, stripePromotionCodeEvent } from '@codetrack/testkit';
import { startTestWorker, useTestApp } from '../helpers.ts';
import { addCode, addPartner, postWebhook, setUpShop, waitForInbox, webhookSecrets, type Shop } from './fixtures.ts';

const ctx = useTestApp({ WEBHOOK_RATE_LIMIT_MAX: '10000' });
let stopWorker: () => Promise<void>;
let shop: Shop;

beforeAll(async () => {
  stopWorker = await startTestWorker(ctx);
  shop = await setUpShop(ctx);
});
afterAll(async () => stopWorker?.());

const nowSeconds = () => Math.floor(Date.now() / 1000);

function stripeOrder(input: { id: string; code?: string; visitorId?: string; email?: string; total?: number }) {
  const total = input.total ?? 10_000;
  return signedStripeWebhook({
    secret: webhookSecrets.stripe,
    payload: stripeCheckoutCompleted({
      eventId: `evt_${input.id}`,
      paymentIntentId: `pi_${input.id}`,
      amountSubtotal: total,
      amountTotal: total,
      ...(input.code ? { promotionCodeId: `promo_${input.id}`, promotionCode: input.code } : {}),
      ...(input.visitorId ? { visitorId: input.visitorId } : {}),
      email: input.email ?? `${input.id}@buyers.test`,
      created: nowSeconds() - 10,
    }),
  });
}

async function saleOf(connectionId: string, platformOrderId: string) {
  return ctx.db.sale.findUniqueOrThrow({ where: { connectionId_platformOrderId: { connectionId, platformOrderId } }, include: { commissions: true } });
}

async function postAndProcess(delivery: ReturnType<typeof stripeOrder>, platform: 'stripe' | 'paddle' = 'stripe') {
  const connectionId = shop.connections[platform].id;
  const res = await postWebhook(ctx.app, platform, connectionId, delivery);
  expect(res.statusCode).toBe(200);
  await waitForInbox(ctx, connectionId);
}

describe('attribution of webhook orders', () => {
  it('credits a referral click inside the cookie lifetime when the order has no code', async () => {
    const click = await ctx.factories.referralClick({ workspaceId: shop.workspaceId, programId: shop.program.id, partnerId: shop.partner.id, visitorId: 'vid-cookie-1', createdAt: new Date(Date.now() - 2 * 86_400_000) });
    await postAndProcess(stripeOrder({ id: 'cookie_1', visitorId: click.visitorId }));
    const sale = await saleOf(shop.connections.stripe.id, 'pi_cookie_1');
    expect(sale).toMatchObject({ attributionSource: 'cookie', partnerId: shop.partner.id, referralVisitorId: 'vid-cookie-1' });
    expect(sale.commissions.map((c) => c.amount)).toEqual([2_000]);
  });

  it('lets a partner code beat another partner\'s cookie and keeps both signals with the reason', async () => {
    const other = await addPartner(ctx, shop);
    await ctx.factories.referralClick({ workspaceId: shop.workspaceId, programId: shop.program.id, partnerId: other.id, visitorId: 'vid-both-1', createdAt: new Date(Date.now() - 3_600_000) });
    await addCode(ctx, shop, { code: 'BEATSCOOKIE', partnerId: shop.partner.id });
    await postAndProcess(stripeOrder({ id: 'both_1', code: 'beatscookie', visitorId: 'vid-both-1' }));

    const sale = await saleOf(shop.connections.stripe.id, 'pi_both_1');
    expect(sale).toMatchObject({ attributionSource: 'code', partnerId: shop.partner.id });
    const attribution = sale.attribution as { signals: { kind: string; partnerId: string; accepted: boolean; note: string }[]; explanation: string };
    expect(attribution.signals).toEqual([
      expect.objectContaining({ kind: 'code', partnerId: shop.partner.id, accepted: true }),
      expect.objectContaining({ kind: 'cookie', partnerId: other.id, accepted: false, note: expect.stringContaining('promotion code takes precedence') }),
    ]);
    expect(attribution.explanation).toMatch(/promotion code BEATSCOOKIE/);
    expect(sale.commissions).toHaveLength(1);
  });

  it('records a sale that breaks a restriction Paddle cannot enforce, without a commission and with the reason', async () => {
    await addCode(ctx, shop, { code: 'PADDLEMIN', partnerId: shop.partner.id, minimumAmount: 20_000, minimumAmountCurrency: 'USD' });
    await addCode(ctx, shop, { code: 'PADDLEFIRST', partnerId: shop.partner.id, firstTimeOnly: true });
    const order = (id: string, code: string, subtotal: number) =>
      signedPaddleWebhook({
        secret: webhookSecrets.paddle,
        // Paddle webhooks carry the discount id; the code text arrives only with include=discount.
        payload: { ...paddleTransactionCompleted({ transactionId: id, subtotal, customerId: 'ctm_repeat_customer', occurredAt: new Date().toISOString() }) },
      });
    const withCode = (delivery: ReturnType<typeof order>, code: string) => {
      const payload = JSON.parse(delivery.rawBody) as { data: Record<string, unknown> };
      payload.data.discount = { id: `dsc_${code}`, code };
      return signedPaddleWebhook({ secret: webhookSecrets.paddle, payload });
    };

    await postAndProcess(withCode(order('txn_min_1', 'PADDLEMIN', 10_000), 'PADDLEMIN'), 'paddle');
    const below = await saleOf(shop.connections.paddle.id, 'txn_min_1');
    expect(below).toMatchObject({ attributionSource: 'code', partnerId: shop.partner.id, commissions: [] });
    expect((below.attribution as { noCommissionReason: string }).noCommissionReason).toMatch(/below the minimum/);

    // The same customer's second order with a first-time-only code.
    await postAndProcess(withCode(order('txn_first_2', 'PADDLEFIRST', 10_000), 'PADDLEFIRST'), 'paddle');
    const repeat = await saleOf(shop.connections.paddle.id, 'txn_first_2');
    expect(repeat.commissions).toEqual([]);
    expect((repeat.attribution as { noCommissionReason: string }).noCommissionReason).toMatch(/first-time customers only/);
  });

  it('flags a self-referral and pays nothing for it', async () => {
    await addCode(ctx, shop, { code: 'SELFISH', partnerId: shop.partner.id });
    await postAndProcess(stripeOrder({ id: 'self_1', code: 'SELFISH', email: shop.partner.email.toUpperCase() }));
    const sale = await saleOf(shop.connections.stripe.id, 'pi_self_1');
    expect(sale.flags).toContain('self_referral');
    expect(sale.commissions).toEqual([]);
    expect((sale.attribution as { noCommissionReason: string }).noCommissionReason).toMatch(/self-referral/);
  });

  it('counts redemptions atomically: of six concurrent orders on a code limited to three, exactly three earn', async () => {
    const code = await addCode(ctx, shop, { code: 'ONLYTHREE', partnerId: shop.partner.id, maxRedemptions: 3 });
    const deliveries = Array.from({ length: 6 }, (_, i) => stripeOrder({ id: `limit_${i}`, code: 'ONLYTHREE' }));
    const responses = await Promise.all(deliveries.map((d) => postWebhook(ctx.app, 'stripe', shop.connections.stripe.id, d)));
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    await waitForInbox(ctx, shop.connections.stripe.id);

    expect((await ctx.db.promotionCode.findUniqueOrThrow({ where: { id: code.id } })).timesRedeemed).toBe(3);
    const sales = await ctx.db.sale.findMany({ where: { promotionCodeId: code.id }, include: { commissions: true } });
    expect(sales).toHaveLength(6);
    expect(sales.filter((s) => s.commissions.length === 1)).toHaveLength(3);
    const refused = sales.filter((s) => s.commissions.length === 0);
    expect(refused.map((s) => (s.attribution as { noCommissionReason: string }).noCommissionReason)).toEqual(Array(3).fill(expect.stringMatching(/limit of 3 redemptions/)));
  });

  it('parks a refund that arrives before its order and applies it when the order comes', async () => {
    await addCode(ctx, shop, { code: 'EARLYREFUND', partnerId: shop.partner.id });
    const refund = signedStripeWebhook({
      secret: webhookSecrets.stripe,
      payload: stripeChargeRefunded({ eventId: 'evt_early_refund', paymentIntentId: 'pi_early_1', amount: 10_000, amountRefunded: 10_000, previousAmountRefunded: 0 }),
    });
    await postAndProcess(refund);
    const parked = await ctx.db.webhookEvent.findFirstOrThrow({ where: { connectionId: shop.connections.stripe.id, dedupeKey: 'evt_early_refund' } });
    expect(parked).toMatchObject({ status: 'waiting', waitingForOrderId: 'pi_early_1' });

    await postAndProcess(stripeOrder({ id: 'early_1', code: 'EARLYREFUND' }));
    const sale = await saleOf(shop.connections.stripe.id, 'pi_early_1');
    expect(sale).toMatchObject({ status: 'refunded', refundedAmount: 10_000 });
    expect(sale.commissions.map((c) => [c.kind, c.amount, c.status]).sort()).toEqual([
      ['earning', 2_000, 'reversed'],
      ['reversal', -2_000, 'reversed'],
    ]);
    expect((await ctx.db.webhookEvent.findUniqueOrThrow({ where: { id: parked.id } })).status).toBe('processed');
  });

  it('hands platform code events to inbound sync and records its outcome', async () => {
    const delivery = signedStripeWebhook({ secret: webhookSecrets.stripe, payload: stripePromotionCodeEvent({ eventId: 'evt_code_1', type: 'promotion_code.updated', id: 'promo_unknown_1', code: 'NOTOURS', active: false }) });
    await postAndProcess(delivery);
    const row = await ctx.db.webhookEvent.findFirstOrThrow({ where: { connectionId: shop.connections.stripe.id, dedupeKey: 'evt_code_1' } });
    expect(row).toMatchObject({ status: 'ignored', error: expect.stringMatching(/not linked/) });
  });
});
