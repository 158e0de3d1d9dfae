import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queues } from '@codetrack/contracts';
import { encryptConnectionSecrets, generateConnectionId } from '@codetrack/db';
import { createStripeAdapter } from '@codetrack/integrations';
import { signedStripeWebhook, startStripeEmulator, stripeInvoicePaid, type StripeEmulator, type StripeInvoice } from '@codetrack/testkit';
import { startTestWorker, useTestApp } from '../helpers.ts';
import { testSyncSettings, waitFor } from '../sync/helpers.ts';
import { addCode, postWebhook, setUpShop, waitForInbox, webhookSecrets, type Shop } from './fixtures.ts';

// Subscription payments arrive as invoice.paid, whose discounts are only `di_` ids. The worker asks
// Stripe (here the emulator) which promotion codes those were before it attributes the sale.

const ctx = useTestApp({ WEBHOOK_RATE_LIMIT_MAX: '10000' });
let emulator: StripeEmulator;
let stopWorker: () => Promise<void>;
let shop: Shop;
let connectionId: string;
let codeId: string;
let promoId: string;
const now = Math.floor(Date.now() / 1000) - 60;

beforeAll(async () => {
  emulator = await startStripeEmulator();
  stopWorker = await startTestWorker(ctx, { sync: { ...testSyncSettings, encryptionKeys: ctx.app.config.encryptionKeys } });
  shop = await setUpShop(ctx);

  // A Stripe connection pointed at the emulator, its credentials stored as the connections API stores them.
  connectionId = generateConnectionId();
  const columns = encryptConnectionSecrets(ctx.app.config.encryptionKeys, connectionId, { credentials: { secretKey: emulator.state.apiKey }, webhookSecret: webhookSecrets.stripe });
  await ctx.db.connection.create({
    data: { id: connectionId, workspaceId: shop.workspaceId, programId: shop.program.id, platform: 'stripe', name: 'Stripe (emulator)', status: 'connected', apiBaseUrl: emulator.url, ...columns },
  });

  // The partner's code, synced to Stripe: the promotion code exists there and our SyncLink holds its promo_ id.
  const code = await addCode(ctx, shop, { code: 'SUBS20', partnerId: shop.partner.id });
  const adapter = createStripeAdapter({ apiBaseUrl: emulator.url, credentials: { secretKey: emulator.state.apiKey } });
  const couponSpec = { id: shop.coupon.id, name: 'Subscribers', discountType: 'percent', percentOffBps: 2000, amountOff: null, currency: null, duration: 'forever', durationInMonths: null } as const;
  const coupon = await adapter.upsertCoupon({ coupon: couponSpec, platformId: null, idempotencyKey: `coupon-${shop.coupon.id}` });
  const restrictions = { firstTimeOnly: false, minimumAmount: null, minimumAmountCurrency: null, expiresAt: null, maxRedemptions: null };
  const created = await adapter.createPromotionCode({ code: { id: code.id, code: 'SUBS20', active: true, coupon: couponSpec, restrictions }, couponPlatformId: coupon.platformId, idempotencyKey: `code-${code.id}` });
  await ctx.factories.syncLink({ workspaceId: shop.workspaceId, connectionId, entityId: code.id, promotionCodeId: code.id, platformId: created.platformId, state: 'synced' });
  codeId = code.id;
  promoId = created.platformId;
});
afterAll(async () => {
  await stopWorker?.();
  await emulator?.close();
});

/** The invoice.paid Stripe sends: 100.00 of goods, 20.00 off, 16.00 tax, discounts by id only (on the invoice or its line). */
function invoicePaid(input: { invoiceId: string; customerId: string; discounts?: string[]; lineDiscounts?: string[] }) {
  const payload = stripeInvoicePaid({ eventId: `evt_${input.invoiceId}`, subtotal: 10_000, discount: 2_000, tax: 1_600, created: now, ...input });
  return signedStripeWebhook({ secret: webhookSecrets.stripe, payload });
}

const discountIdsOf = (invoice: StripeInvoice) => ({ discounts: invoice.discounts, lineDiscounts: invoice.lines.data.flatMap((l) => l.discounts) });

const invoiceLookups = (invoiceId: string) => emulator.requests.filter((r) => r.method === 'GET' && r.path === `/v1/invoices/${invoiceId}`);
const saleOf = (platformOrderId: string) => ctx.db.sale.findUnique({ where: { connectionId_platformOrderId: { connectionId, platformOrderId } } });

async function expectCredited(platformOrderId: string) {
  const sale = await saleOf(platformOrderId);
  expect(sale).toMatchObject({ attributionSource: 'code', partnerId: shop.partner.id, promotionCodeId: codeId, netAmount: 8_000, discountAmount: 2_000, status: 'paid' });
  expect(sale?.attribution).toMatchObject({ platformDiscountIds: [promoId], unresolvedDiscountIds: [] });
  const commissions = await ctx.db.commission.findMany({ where: { saleId: sale!.id } });
  expect(commissions).toEqual([expect.objectContaining({ kind: 'earning', amount: 1_600, status: 'pending', partnerId: shop.partner.id })]);
}

describe('Stripe invoice.paid with discounts given only as di_ ids', () => {
  it('credits the code\'s partner with the commission, through the promotion code Stripe names for the discount', async () => {
    const invoice = emulator.addInvoice({ customer: 'cus_sub_1', subtotal: 10_000, discounts: [{ promotionCode: promoId, amount: 2_000 }] });
    expect(invoice.discounts).toEqual([expect.stringMatching(/^di_/)]);

    expect((await postWebhook(ctx.app, 'stripe', connectionId, invoicePaid({ invoiceId: invoice.id, customerId: 'cus_sub_1', ...discountIdsOf(invoice) }))).statusCode).toBe(200);
    await waitForInbox(ctx, connectionId);

    await expectCredited(invoice.id);
    expect(invoiceLookups(invoice.id)).toHaveLength(1);
    expect(await ctx.db.webhookEvent.findFirst({ where: { connectionId, dedupeKey: `evt_${invoice.id}` } })).toMatchObject({ status: 'processed', attempts: 1 });
  });

  it('retries when Stripe answers 500 to the lookup, books no sale meanwhile, then credits the partner', async () => {
    const invoice = emulator.addInvoice({ customer: 'cus_sub_2', subtotal: 10_000, discounts: [{ promotionCode: promoId, amount: 2_000, on: 'line' }] });
    emulator.failNext({ status: 500, match: { method: 'GET', path: `/v1/invoices/${invoice.id}` } });

    expect((await postWebhook(ctx.app, 'stripe', connectionId, invoicePaid({ invoiceId: invoice.id, customerId: 'cus_sub_2', ...discountIdsOf(invoice) }))).statusCode).toBe(200);
    const delivery = await waitFor(() => ctx.db.webhookEvent.findFirst({ where: { connectionId, dedupeKey: `evt_${invoice.id}` } }), 'the delivery to be stored');
    // The failed attempt is over once its job waits for the retry: nothing may be booked by then.
    const queue = ctx.jobs.queue(queues.webhooks);
    await waitFor(async () => (await (await queue.getJob(`webhook-${delivery.id}`))?.getState()) === 'delayed', 'the job to wait for its retry');
    expect(invoiceLookups(invoice.id)).toHaveLength(1);
    expect(await saleOf(invoice.id)).toBeNull();

    await waitForInbox(ctx, connectionId);
    await expectCredited(invoice.id);
    expect(invoiceLookups(invoice.id).length).toBeGreaterThanOrEqual(2);
    expect(await ctx.db.webhookEvent.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: 'processed', attempts: 2 });
  });

  it('books the sale without the code, showing the discount as unresolved, when the invoice is gone from Stripe', async () => {
    const invoice = { id: 'in_deleted_1' };
    expect((await postWebhook(ctx.app, 'stripe', connectionId, invoicePaid({ invoiceId: invoice.id, customerId: 'cus_sub_3', discounts: ['di_deleted_1'] }))).statusCode).toBe(200);
    await waitForInbox(ctx, connectionId);

    const sale = await saleOf(invoice.id);
    expect(sale).toMatchObject({ attributionSource: 'none', partnerId: null, netAmount: 8_000 });
    const detail = await ctx.app.inject({ method: 'GET', url: `/api/sales/${sale!.id}`, headers: shop.merchant.headers });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().attribution).toMatchObject({ platformDiscountIds: [], unresolvedDiscountIds: ['di_deleted_1'] });
    expect(await ctx.db.commission.count({ where: { saleId: sale!.id } })).toBe(0);
    expect(invoiceLookups(invoice.id)).toHaveLength(1);
  });
});
