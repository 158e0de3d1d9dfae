import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedWebhook, OrderEvent } from '@codetrack/contracts';
import { DEVELOPMENT_ENCRYPTION_KEYS, encryptConnectionSecrets, generateConnectionId, parseEncryptionKeys } from '@codetrack/db';
import { PlatformError, createStripeAdapter, normalizeWebhook } from '@codetrack/integrations';
import { startStripeEmulator, stripeCheckoutCompleted, stripeInvoicePaid, type StripeEmulator } from '@codetrack/testkit';
import { useWorkerTestContext } from '../../test/helpers.ts';
import type { SyncSettings } from '../sync/settings.ts';
import { loadConnectionContext } from './process-webhook.ts';
import { resolveOrderDiscounts } from './resolve-discounts.ts';

const ctx = useWorkerTestContext();
const keys = parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEYS);
const sync: SyncSettings = {
  encryptionKeys: keys,
  rateLimits: { stripeTest: 200, stripeLive: 200, paddle: 200, woocommerce: 200, shopify: 200 },
  headroom: 1,
  maxAttempts: 3,
  backoffBaseMs: 10,
  backoffMaxMs: 100,
  drainConcurrency: 1,
  requestTimeoutMs: 1000,
};

let emulator: StripeEmulator;
let promoId: string;
beforeAll(async () => {
  emulator = await startStripeEmulator();
  const adapter = createStripeAdapter({ apiBaseUrl: emulator.url, credentials: { secretKey: emulator.state.apiKey } });
  const couponSpec = { id: 'cpn_1', name: 'Subscribers', discountType: 'percent', percentOffBps: 2000, amountOff: null, currency: null, duration: 'forever', durationInMonths: null } as const;
  const restrictions = { firstTimeOnly: false, minimumAmount: null, minimumAmountCurrency: null, expiresAt: null, maxRedemptions: null };
  const coupon = await adapter.upsertCoupon({ coupon: couponSpec, platformId: null, idempotencyKey: 'coupon' });
  const code = await adapter.createPromotionCode({ code: { id: 'pc_1', code: 'Sub20', active: true, coupon: couponSpec, restrictions }, couponPlatformId: coupon.platformId, idempotencyKey: 'code' });
  promoId = code.platformId;
});
afterAll(async () => emulator?.close());

/** A Stripe connection pointed at the emulator with `secretKey`, stored encrypted as the API stores it. */
async function stripeConnection(secretKey: string) {
  const ws = await ctx.factories.workspace();
  const program = await ctx.factories.program({ workspaceId: ws.id });
  const id = generateConnectionId();
  const columns = encryptConnectionSecrets(keys, id, { credentials: { secretKey }, webhookSecret: null });
  await ctx.factories.connection({ id, workspaceId: ws.id, programId: program.id, platform: 'stripe', apiBaseUrl: emulator.url, ...columns });
  const context = await loadConnectionContext(ctx.db, id);
  if (!context) throw new Error('connection not found');
  return context;
}

function normalized(payload: unknown): NormalizedWebhook {
  return normalizeWebhook('stripe', { payload, headers: {} });
}

const orderOf = (webhook: NormalizedWebhook) => webhook.events[0] as OrderEvent;
const invoiceRequests = () => emulator.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/invoices/')).length;
const deps = () => ({ db: ctx.db, logger: ctx.logger, sync });

describe('resolveOrderDiscounts', () => {
  it('turns an invoice\'s di_ ids into its promotion codes; a coupon without code is resolved, an id Stripe does not name stays unresolved', async () => {
    const context = await stripeConnection(emulator.state.apiKey);
    const invoice = emulator.addInvoice({
      discounts: [
        { id: 'di_code_1', promotionCode: promoId, amount: 2_000 },
        { id: 'di_coupon_1', coupon: emulator.state.coupons[0]?.id ?? '', amount: 100 },
      ],
    });
    const webhook = normalized(stripeInvoicePaid({ invoiceId: invoice.id, subtotal: 10_000, discount: 2_100, discounts: ['di_code_1', 'di_coupon_1', 'di_elsewhere'] }));
    expect(orderOf(webhook)).toMatchObject({ codes: [], platformDiscountIds: [], unresolvedDiscountIds: ['di_code_1', 'di_coupon_1', 'di_elsewhere'] });

    const resolved = orderOf(await resolveOrderDiscounts(deps(), context, webhook));
    expect(resolved).toMatchObject({ codes: ['SUB20'], platformDiscountIds: [promoId], unresolvedDiscountIds: ['di_elsewhere'] });
    expect({ ...resolved, codes: [], platformDiscountIds: [], unresolvedDiscountIds: [] }).toEqual({ ...orderOf(webhook), codes: [], platformDiscountIds: [], unresolvedDiscountIds: [] });
  });

  it('keeps the ids unresolved when the failure is permanent (bad key, invoice gone)', async () => {
    const badKey = await stripeConnection('sk_test_revoked');
    const webhook = normalized(stripeInvoicePaid({ invoiceId: 'in_any', subtotal: 10_000, discount: 2_000, discounts: ['di_x'] }));
    expect(orderOf(await resolveOrderDiscounts(deps(), badKey, webhook))).toEqual(orderOf(webhook));

    const context = await stripeConnection(emulator.state.apiKey);
    const gone = normalized(stripeInvoicePaid({ invoiceId: 'in_gone', subtotal: 10_000, discount: 2_000, discounts: ['di_y'] }));
    expect(orderOf(await resolveOrderDiscounts(deps(), context, gone))).toMatchObject({ unresolvedDiscountIds: ['di_y'], platformDiscountIds: [] });
  });

  it('throws a retryable failure, and fails the connection\'s next lookups at once for a moment', async () => {
    const context = await stripeConnection(emulator.state.apiKey);
    const invoice = emulator.addInvoice({ discounts: [{ promotionCode: promoId, amount: 2_000 }] });
    const webhook = normalized(stripeInvoicePaid({ invoiceId: invoice.id, subtotal: 10_000, discount: 2_000, discounts: invoice.discounts }));
    emulator.failNext({ status: 500, match: { path: `/v1/invoices/${invoice.id}` } });
    const before = invoiceRequests();
    await expect(resolveOrderDiscounts(deps(), context, webhook)).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    await expect(resolveOrderDiscounts(deps(), context, webhook)).rejects.toBeInstanceOf(PlatformError);
    expect(invoiceRequests() - before).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(orderOf(await resolveOrderDiscounts(deps(), context, webhook))).toMatchObject({ platformDiscountIds: [promoId], unresolvedDiscountIds: [] });
  });

  it('asks nothing for orders that name their codes, unpaid orders and other platforms', async () => {
    const context = await stripeConnection(emulator.state.apiKey);
    const before = invoiceRequests();
    const checkout = normalized(stripeCheckoutCompleted({ amountSubtotal: 10_000, amountDiscount: 2_000, amountTotal: 8_000, promotionCodeId: promoId, promotionCode: 'SUB20' }));
    expect(await resolveOrderDiscounts(deps(), context, checkout)).toBe(checkout);
    const paddle = { ...context, platform: 'paddle' as const };
    const invoice = normalized(stripeInvoicePaid({ subtotal: 10_000, discount: 2_000, discounts: ['di_z'] }));
    expect(await resolveOrderDiscounts(deps(), paddle, invoice)).toBe(invoice);
    const pending = { ...invoice, events: [{ ...orderOf(invoice), status: 'pending' as const }] };
    expect(await resolveOrderDiscounts(deps(), context, pending)).toBe(pending);
    expect(invoiceRequests()).toBe(before);
  });
});
