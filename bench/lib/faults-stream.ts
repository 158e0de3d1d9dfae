// The order stream of `pnpm faults`: Stripe checkout sessions, refunds and failed payments plus
// WooCommerce orders, cumulative refunds and cancellations, with ~30% repeated deliveries, shuffled
// (refunds before their orders, platforms interleaved), and the clean event list per connection
// that the pure reference ledger (computeLedger in packages/core) folds into the expected result.
import { createSeededRandom, type CommissionRule, type LedgerEvent } from '../../packages/core/src/index.ts';
import {
  signedStripeWebhook,
  signedWooCommerceWebhook,
  stripeChargeRefunded,
  stripeCheckoutCompleted,
  wooOrder,
  type SignedDelivery,
} from '../../packages/testkit/src/index.ts';

export type StreamPlatform = 'stripe' | 'woocommerce';

export type Delivery = {
  platform: StreamPlatform;
  /** Distinct event this delivery carries (repeats share it). */
  eventKey: string;
  /** Signs at send time, as the platform does on every attempt (Stripe signatures expire after 300 s). */
  sign: () => SignedDelivery;
};

export type Stream = {
  deliveries: Delivery[];
  distinctEvents: Record<StreamPlatform, number>;
  clean: Record<StreamPlatform, LedgerEvent[]>;
  /** Distinct orders placed with each code: what its redemption counter must end at. */
  redemptions: Map<string, number>;
};

export const webhookSecrets: Record<StreamPlatform, string> = { stripe: 'whsec_faults_signing_secret', woocommerce: 'woo-faults-webhook-secret' };

type OrderFields = Omit<Extract<LedgerEvent, { type: 'order' }>, 'type' | 'eventId' | 'orderId' | 'occurredAt' | 'partnerId' | 'commissionable' | 'netAmount'>;

/**
 * Builds `size` deliveries (70% distinct events, the rest repeats). Program: 20% of the net on the
 * customer's first order, 30 days hold; every buyer is new, so every attributed order earns.
 */
export function buildStream(input: { seed: number; size: number; partners: { id: string; code: string }[]; base: number }): Stream {
  // Seeded (packages/core), so a failing stream can be replayed from its seed.
  const random = createSeededRandom(input.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const rule: CommissionRule = { type: 'percent', value: 2000, duration: 'first_order', durationMonths: null };
  const orderFields: OrderFields = { currency: 'USD', rule, programCurrency: 'USD', isFirstOrder: true, boundAt: null, holdDays: 30 };
  const clean: Record<StreamPlatform, LedgerEvent[]> = { stripe: [], woocommerce: [] };
  const distinct: Delivery[] = [];
  const redemptions = new Map<string, number>();
  // A quarter of the orders carry no code and stay unattributed.
  const partnerFor = (i: number) => (i % 4 === 0 ? null : (input.partners[i % input.partners.length] ?? null));
  const redeem = (code: string | undefined) => {
    if (code) redemptions.set(code, (redemptions.get(code) ?? 0) + 1);
  };

  const distinctTotal = Math.round(input.size * 0.7);
  const budget: Record<StreamPlatform, number> = { stripe: Math.round(distinctTotal * 0.6), woocommerce: 0 };
  budget.woocommerce = distinctTotal - budget.stripe;

  // Stripe: checkout.session.completed, charge.refunded (one refund each, partial or the rest),
  // checkout.session.async_payment_failed (a cancellation), as apps/api/test/webhooks/ledger.test.ts.
  {
    const orders = Math.round(budget.stripe * 0.65);
    const followUps = budget.stripe - orders;
    const totals: number[] = [];
    const sign = (payload: unknown) => () => signedStripeWebhook({ secret: webhookSecrets.stripe, payload });
    for (let i = 0; i < orders; i += 1) {
      const total = 1_000 + pick(49_000);
      const discount = pick(2_000);
      totals.push(total);
      const partner = partnerFor(i);
      const created = input.base + i;
      redeem(partner?.code);
      clean.stripe.push({ type: 'order', eventId: `evt_f_order_${i}`, orderId: `pi_f_${i}`, occurredAt: new Date(created * 1000), partnerId: partner?.id ?? null, commissionable: partner !== null, netAmount: total, ...orderFields });
      const payload = stripeCheckoutCompleted({
        eventId: `evt_f_order_${i}`,
        sessionId: `cs_f_${i}`,
        paymentIntentId: `pi_f_${i}`,
        amountSubtotal: total + discount,
        amountDiscount: discount,
        amountTotal: total,
        ...(partner ? { promotionCodeId: `promo_${partner.code}`, promotionCode: partner.code } : {}),
        email: `buyer-stripe-${i}@faults.test`,
        created,
      });
      distinct.push({ platform: 'stripe', eventKey: `evt_f_order_${i}`, sign: sign(payload) });
    }
    const refunded = new Map<number, number>();
    const cancelled = new Set<number>();
    for (let r = 0; r < followUps; r += 1) {
      const i = pick(orders);
      const total = totals[i]!;
      const created = input.base + orders + r;
      if (r % 4 === 3 && !cancelled.has(i)) {
        cancelled.add(i);
        clean.stripe.push({ type: 'cancel', eventId: `evt_f_cancel_${r}`, orderId: `pi_f_${i}`, occurredAt: new Date(created * 1000) });
        const payload = stripeCheckoutCompleted({ eventId: `evt_f_cancel_${r}`, sessionId: `cs_f_${i}`, paymentIntentId: `pi_f_${i}`, amountSubtotal: total, amountTotal: total, created });
        distinct.push({ platform: 'stripe', eventKey: `evt_f_cancel_${r}`, sign: sign({ ...payload, type: 'checkout.session.async_payment_failed' }) });
        continue;
      }
      const done = refunded.get(i) ?? 0;
      // Nothing left to refund: this follow-up slot refunds nothing, as the budget allows.
      if (done >= total) continue;
      const amount = random() < 0.3 ? total - done : 1 + pick(Math.max(1, Math.floor((total - done) / 2)));
      refunded.set(i, done + amount);
      const refundId = `re_f_${r}`;
      clean.stripe.push({ type: 'refund', eventId: `evt_f_refund_${r}`, orderId: `pi_f_${i}`, refundId, amount, occurredAt: new Date(created * 1000) });
      const payload = stripeChargeRefunded({
        eventId: `evt_f_refund_${r}`,
        chargeId: `ch_f_${i}`,
        paymentIntentId: `pi_f_${i}`,
        amount: total,
        amountRefunded: amount,
        refunds: [{ id: refundId, amount, created }],
        created,
      });
      distinct.push({ platform: 'stripe', eventKey: `evt_f_refund_${r}`, sign: sign(payload) });
    }
  }

  // WooCommerce: order.created, then order.updated deliveries carrying every refund so far
  // (status `refunded` once all is refunded) or the cancellation. No tax or shipping, so the
  // money returned is the net returned.
  {
    const orders = Math.round(budget.woocommerce * 0.65);
    let followUps = budget.woocommerce - orders;
    const base = input.base + 20_000;
    type WooState = { total: number; discount: number; code: string | undefined; created: number; refunds: { id: number; amount: number }[]; updates: number; closed: boolean };
    const states: WooState[] = [];
    const delivery = (i: number, state: WooState, topic: string, status: string, webhookId: number) => {
      const payload = wooOrder({
        id: 10_000 + i,
        status,
        subtotal: state.total + state.discount,
        discount: state.discount,
        couponCodes: state.code ? [state.code.toLowerCase()] : [],
        refunds: state.refunds.map((r) => ({ ...r })),
        email: `buyer-woo-${i}@faults.test`,
        customerId: 50_000 + i,
        dateCreated: state.created,
        dateModified: state.created + 60 + state.updates * 10,
      });
      const eventKey = `woo:${webhookId}:${10_000 + i}:${state.updates}:${status}`;
      const rawBody = JSON.stringify(payload);
      let counter = 0;
      return {
        platform: 'woocommerce' as const,
        eventKey,
        sign: () => {
          const signed = signedWooCommerceWebhook({ secret: webhookSecrets.woocommerce, topic, payload, webhookId, deliveryId: `${eventKey}:${(counter += 1)}` });
          return { rawBody, headers: signed.headers };
        },
      };
    };
    for (let i = 0; i < orders; i += 1) {
      const total = 1_000 + pick(49_000);
      const partner = partnerFor(i + 1);
      const state: WooState = { total, discount: pick(2_000), code: partner?.code, created: base + i, refunds: [], updates: 0, closed: false };
      states.push(state);
      redeem(partner?.code);
      // WooCommerce's date_paid: 30 s after creation for a processing order.
      clean.woocommerce.push({ type: 'order', eventId: `woo_order_${i}`, orderId: String(10_000 + i), occurredAt: new Date((state.created + 30) * 1000), partnerId: partner?.id ?? null, commissionable: partner !== null, netAmount: total, ...orderFields });
      distinct.push(delivery(i, state, 'order.created', 'processing', 21));
    }
    let refundId = 70_000;
    for (let attempts = 0; followUps > 0 && attempts < followUps * 10; attempts += 1) {
      const i = pick(orders);
      const state = states[i]!;
      if (state.closed) continue;
      state.updates += 1;
      const occurredAt = new Date((state.created + 60 + state.updates * 10) * 1000);
      if (state.refunds.length === 0 && random() < 0.25) {
        state.closed = true;
        clean.woocommerce.push({ type: 'cancel', eventId: `woo_cancel_${i}`, orderId: String(10_000 + i), occurredAt });
        distinct.push(delivery(i, state, 'order.updated', 'cancelled', 22));
      } else {
        const done = state.refunds.reduce((sum, r) => sum + r.amount, 0);
        const amount = random() < 0.3 ? state.total - done : 1 + pick(Math.max(1, Math.floor((state.total - done) / 2)));
        refundId += 1;
        state.refunds.push({ id: refundId, amount });
        const full = done + amount >= state.total;
        state.closed = full;
        clean.woocommerce.push({ type: 'refund', eventId: `woo_refund_${refundId}`, orderId: String(10_000 + i), refundId: String(refundId), amount, occurredAt });
        distinct.push(delivery(i, state, 'order.updated', full ? 'refunded' : 'processing', 22));
      }
      followUps -= 1;
    }
  }

  // Top up with repeats (~30%), then shuffle (Fisher-Yates): refunds overtake their orders.
  const deliveries = [...distinct];
  while (deliveries.length < input.size) deliveries.push(distinct[pick(distinct.length)]!);
  for (let k = deliveries.length - 1; k > 0; k -= 1) {
    const j = pick(k + 1);
    [deliveries[k], deliveries[j]] = [deliveries[j]!, deliveries[k]!];
  }
  const distinctEvents = {
    stripe: new Set(distinct.filter((d) => d.platform === 'stripe').map((d) => d.eventKey)).size,
    woocommerce: new Set(distinct.filter((d) => d.platform === 'woocommerce').map((d) => d.eventKey)).size,
  };
  return { deliveries, distinctEvents, clean, redemptions };
}
