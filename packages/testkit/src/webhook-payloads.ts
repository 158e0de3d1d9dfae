import { signShopifyPayload } from './shopify-emulator.ts';
import { signPaddlePayload, signStripePayload } from './webhook-signing.ts';
import { signWooCommercePayload } from './woocommerce-emulator.ts';

// Webhook payload builders shaped like each platform's documented JSON (Stripe events with
// checkout.session / invoice / charge objects, Paddle Billing notifications, WooCommerce wc/v3
// orders, Shopify REST order and refund bodies), plus helpers that return a delivery signed
// exactly as the platform signs it. Amounts go in as integer minor units and come out in the
// platform's own notation (Stripe integers, Paddle minor-unit strings, Woo/Shopify decimals).

export type SignedDelivery = { rawBody: string; headers: Record<string, string> };
type Json = Record<string, unknown>;

const DEFAULT_TIME = 1_767_225_600; // 2026-01-01T00:00:00Z

/** Minor units as the decimal string WooCommerce and Shopify send: 1999 USD -> "19.99", 500 JPY -> "500". */
export function formatDecimal(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${amount} is not an integer amount`);
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  const negative = amount < 0;
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  return `${negative ? '-' : ''}${whole}${digits === 0 ? '' : `.${text.slice(-digits)}`}`;
}

function formatIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** WordPress `*_gmt` notation: UTC without offset or milliseconds. */
function formatWpGmt(seconds: number): string {
  return formatIso(seconds).slice(0, 19);
}

// --- Stripe -------------------------------------------------------------------------------------

export function stripeEvent(input: { id?: string; type: string; object: Json; created?: number; previousAttributes?: Json }): Json {
  const data: Json = { object: input.object };
  if (input.previousAttributes) data.previous_attributes = input.previousAttributes;
  return {
    id: input.id ?? `evt_${input.type.replace(/\W/g, '_')}_1`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: input.created ?? DEFAULT_TIME,
    data,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: input.type,
  };
}

export type StripeCheckoutInput = {
  eventId?: string;
  type?: 'checkout.session.completed' | 'checkout.session.async_payment_succeeded';
  sessionId?: string;
  paymentIntentId?: string | null;
  invoiceId?: string | null;
  mode?: 'payment' | 'subscription' | 'setup';
  amountSubtotal: number;
  amountDiscount?: number;
  amountTotal: number;
  tax?: number;
  shipping?: number;
  currency?: string;
  /** `promo_...` id as Stripe sends it (unexpanded). */
  promotionCodeId?: string | null;
  /** When set, the promotion code is sent expanded ({ id, code }). */
  promotionCode?: string | null;
  email?: string | null;
  /** Written to metadata.ct_vid. */
  visitorId?: string | null;
  clientReferenceId?: string | null;
  customerId?: string | null;
  paymentStatus?: 'paid' | 'unpaid' | 'no_payment_required';
  created?: number;
};

/** A `checkout.session.completed` event. */
export function stripeCheckoutCompleted(input: StripeCheckoutInput): Json {
  const created = input.created ?? DEFAULT_TIME;
  const mode = input.mode ?? 'payment';
  const promotionCodeId = input.promotionCodeId ?? null;
  const discounts =
    promotionCodeId === null
      ? []
      : [
          {
            coupon: null,
            promotion_code:
              input.promotionCode === undefined || input.promotionCode === null
                ? promotionCodeId
                : { id: promotionCodeId, object: 'promotion_code', active: true, code: input.promotionCode },
          },
        ];
  const sessionId = input.sessionId ?? 'cs_test_a1';
  const session: Json = {
    id: sessionId,
    object: 'checkout.session',
    after_expiration: null,
    allow_promotion_codes: true,
    amount_subtotal: input.amountSubtotal,
    amount_total: mode === 'setup' ? null : input.amountTotal,
    automatic_tax: { enabled: (input.tax ?? 0) > 0, liability: null, status: (input.tax ?? 0) > 0 ? 'complete' : null },
    billing_address_collection: null,
    cancel_url: 'https://shop.example/cancel',
    client_reference_id: input.clientReferenceId ?? null,
    created,
    currency: (input.currency ?? 'usd').toLowerCase(),
    customer: input.customerId ?? null,
    customer_creation: input.customerId ? null : 'if_required',
    customer_details:
      input.email === undefined
        ? null
        : { address: null, email: input.email, name: null, phone: null, tax_exempt: 'none', tax_ids: [] },
    customer_email: null,
    discounts,
    expires_at: created + 86_400,
    invoice: input.invoiceId ?? null,
    livemode: false,
    locale: null,
    metadata: input.visitorId ? { ct_vid: input.visitorId } : {},
    mode,
    payment_intent: input.paymentIntentId === undefined ? (mode === 'payment' ? 'pi_test_a1' : null) : input.paymentIntentId,
    payment_link: null,
    payment_method_types: ['card'],
    payment_status: input.paymentStatus ?? 'paid',
    shipping_cost: input.shipping ? { amount_subtotal: input.shipping, amount_tax: 0, amount_total: input.shipping, shipping_rate: 'shr_test_1' } : null,
    shipping_options: [],
    status: 'complete',
    submit_type: null,
    subscription: mode === 'subscription' ? 'sub_test_a1' : null,
    success_url: 'https://shop.example/thanks',
    total_details: { amount_discount: input.amountDiscount ?? 0, amount_shipping: input.shipping ?? 0, amount_tax: input.tax ?? 0 },
    ui_mode: 'hosted',
    url: null,
  };
  return stripeEvent({ id: input.eventId ?? `evt_${sessionId}`, type: input.type ?? 'checkout.session.completed', object: session, created });
}

/** A Stripe Discount object (what an expanded `di_` reference looks like). */
export function stripeDiscount(input: { id: string; promotionCodeId: string | null; code?: string; couponId?: string }): Json {
  return {
    id: input.id,
    object: 'discount',
    checkout_session: null,
    customer: null,
    end: null,
    invoice: null,
    invoice_item: null,
    promotion_code:
      input.promotionCodeId === null ? null : input.code ? { id: input.promotionCodeId, object: 'promotion_code', code: input.code, active: true } : input.promotionCodeId,
    source: { type: 'coupon', coupon: input.couponId ?? 'co_test_1' },
    start: DEFAULT_TIME,
    subscription: null,
    subscription_item: null,
  };
}

export type StripeInvoiceInput = {
  eventId?: string;
  invoiceId?: string;
  customerId?: string | null;
  email?: string | null;
  currency?: string;
  /** Goods before invoice-level discounts, without tax. */
  subtotal: number;
  discount?: number;
  tax?: number;
  shipping?: number;
  /** Invoice-level discounts: `di_` ids as sent, or Discount objects (see stripeDiscount). */
  discounts?: (string | Json)[];
  /** Discounts on the first line item. */
  lineDiscounts?: (string | Json)[];
  metadata?: Record<string, string>;
  subscriptionMetadata?: Record<string, string>;
  paidAt?: number;
  created?: number;
};

/** An `invoice.paid` event in the 2025-03-31+ invoice shape (`parent`, `total_taxes`). */
export function stripeInvoicePaid(input: StripeInvoiceInput): Json {
  const created = input.created ?? DEFAULT_TIME;
  const currency = (input.currency ?? 'usd').toLowerCase();
  const discount = input.discount ?? 0;
  const tax = input.tax ?? 0;
  const shipping = input.shipping ?? 0;
  const excludingTax = input.subtotal - discount + shipping;
  const total = excludingTax + tax;
  const invoiceId = input.invoiceId ?? 'in_test_a1';
  const refOf = (d: string | Json) => (typeof d === 'string' ? d : String(d.id));
  const allDiscounts = [...(input.discounts ?? []), ...(input.lineDiscounts ?? [])];
  const firstDiscount = allDiscounts[0];
  const invoice: Json = {
    id: invoiceId,
    object: 'invoice',
    account_country: 'US',
    amount_due: total,
    amount_paid: total,
    amount_remaining: 0,
    amount_shipping: shipping,
    attempt_count: 1,
    attempted: true,
    billing_reason: 'subscription_cycle',
    collection_method: 'charge_automatically',
    created,
    currency,
    customer: input.customerId ?? 'cus_test_a1',
    customer_email: input.email ?? null,
    discounts: input.discounts ?? [],
    lines: {
      object: 'list',
      data: [
        {
          id: 'il_test_1',
          object: 'line_item',
          amount: input.subtotal,
          currency,
          description: '1 × Pro plan',
          discount_amounts: (input.lineDiscounts ?? []).map((d) => ({ amount: discount, discount: refOf(d) })),
          discounts: input.lineDiscounts ?? [],
          metadata: {},
          quantity: 1,
        },
      ],
      has_more: false,
      url: `/v1/invoices/${invoiceId}/lines`,
    },
    livemode: false,
    metadata: input.metadata ?? {},
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: input.subscriptionMetadata ?? {}, subscription: 'sub_test_a1' },
    },
    status: 'paid',
    status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: input.paidAt ?? created, voided_at: null },
    subtotal: input.subtotal,
    subtotal_excluding_tax: input.subtotal,
    total,
    total_discount_amounts: firstDiscount === undefined ? [] : [{ amount: discount, discount: refOf(firstDiscount) }],
    total_excluding_tax: excludingTax,
    total_taxes: tax > 0 ? [{ amount: tax, tax_behavior: 'exclusive', tax_rate_details: { tax_rate: 'txr_test_1' }, taxability_reason: 'standard_rated', taxable_amount: excludingTax, type: 'tax_rate_details' }] : [],
  };
  return stripeEvent({ id: input.eventId ?? `evt_${invoiceId}_paid`, type: 'invoice.paid', object: invoice, created });
}

export type StripeChargeRefundedInput = {
  eventId?: string;
  chargeId?: string;
  paymentIntentId?: string | null;
  /** Only older API versions name the invoice on a charge. */
  invoiceId?: string | null;
  amount: number;
  /** Cumulative, as Stripe reports it. */
  amountRefunded: number;
  /** previous_attributes.amount_refunded (the cumulative before this refund). */
  previousAmountRefunded?: number;
  /** When given, sent as `refunds.data` (older API versions or expanded). */
  refunds?: { id: string; amount: number; status?: string; created?: number }[];
  currency?: string;
  created?: number;
};

/** A `charge.refunded` event. */
export function stripeChargeRefunded(input: StripeChargeRefundedInput): Json {
  const created = input.created ?? DEFAULT_TIME;
  const chargeId = input.chargeId ?? 'ch_test_a1';
  const currency = (input.currency ?? 'usd').toLowerCase();
  const charge: Json = {
    id: chargeId,
    object: 'charge',
    amount: input.amount,
    amount_captured: input.amount,
    amount_refunded: input.amountRefunded,
    balance_transaction: 'txn_test_1',
    billing_details: { address: null, email: null, name: null, phone: null },
    captured: true,
    created: created - 3600,
    currency,
    customer: null,
    description: null,
    disputed: false,
    livemode: false,
    metadata: {},
    paid: true,
    payment_intent: input.paymentIntentId === undefined ? 'pi_test_a1' : input.paymentIntentId,
    payment_method: 'pm_test_1',
    receipt_url: null,
    refunded: input.amountRefunded >= input.amount,
    status: 'succeeded',
  };
  if (input.invoiceId) charge.invoice = input.invoiceId;
  if (input.refunds) {
    charge.refunds = {
      object: 'list',
      data: input.refunds.map((r) => ({
        id: r.id,
        object: 'refund',
        amount: r.amount,
        charge: chargeId,
        created: r.created ?? created,
        currency,
        metadata: {},
        payment_intent: charge.payment_intent,
        reason: 'requested_by_customer',
        status: r.status ?? 'succeeded',
      })),
      has_more: false,
      total_count: input.refunds.length,
      url: `/v1/charges/${chargeId}/refunds`,
    };
  }
  const previous: Json = { amount_refunded: input.previousAmountRefunded ?? 0 };
  if (input.previousAmountRefunded === undefined || input.previousAmountRefunded < input.amount) previous.refunded = false;
  return stripeEvent({ id: input.eventId ?? `evt_${chargeId}_refunded_${input.amountRefunded}`, type: 'charge.refunded', object: charge, created, previousAttributes: previous });
}

/** `promotion_code.created|updated` with a minimal promotion code object. */
export function stripePromotionCodeEvent(input: { eventId?: string; type: 'promotion_code.created' | 'promotion_code.updated'; id: string; code: string; active: boolean; couponId?: string }): Json {
  return stripeEvent({
    id: input.eventId,
    type: input.type,
    object: {
      id: input.id,
      object: 'promotion_code',
      active: input.active,
      code: input.code,
      created: DEFAULT_TIME,
      expires_at: null,
      livemode: false,
      max_redemptions: null,
      metadata: {},
      promotion: { type: 'coupon', coupon: input.couponId ?? 'co_test_1' },
      restrictions: { first_time_transaction: false, minimum_amount: null, minimum_amount_currency: null },
      times_redeemed: 0,
    },
  });
}

/** `coupon.created|updated|deleted`. */
export function stripeCouponEvent(input: { eventId?: string; type: 'coupon.created' | 'coupon.updated' | 'coupon.deleted'; id: string; valid?: boolean; percentOff?: number }): Json {
  return stripeEvent({
    id: input.eventId,
    type: input.type,
    object: {
      id: input.id,
      object: 'coupon',
      amount_off: null,
      created: DEFAULT_TIME,
      currency: null,
      duration: 'once',
      livemode: false,
      max_redemptions: null,
      metadata: {},
      name: 'Partner 20%',
      percent_off: input.percentOff ?? 20,
      redeem_by: null,
      times_redeemed: 0,
      valid: input.valid ?? true,
    },
  });
}

export function signedStripeWebhook(input: { payload: unknown; secret: string; timestamp?: number }): SignedDelivery {
  // Stripe sends its events pretty-printed; the signature covers the exact bytes.
  const rawBody = JSON.stringify(input.payload, null, 2);
  const signature = signStripePayload({ payload: rawBody, secret: input.secret, ...(input.timestamp === undefined ? {} : { timestamp: input.timestamp }) });
  return { rawBody, headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'stripe-signature': signature } };
}

// --- Paddle -------------------------------------------------------------------------------------

export function paddleEvent(input: { eventId?: string; eventType: string; occurredAt?: string; data: Json }): Json {
  return {
    event_id: input.eventId ?? 'evt_01hv8x2acma2kk5kd9b3m5aawm',
    event_type: input.eventType,
    occurred_at: input.occurredAt ?? '2026-01-01T00:00:00.000000Z',
    notification_id: 'ntf_01hv8x2af7d2v0tqq2e8cq7mw4',
    data: input.data,
  };
}

export type PaddleTransactionInput = {
  eventId?: string;
  transactionId?: string;
  /** Before discount and tax. */
  subtotal: number;
  discount?: number;
  tax?: number;
  currency?: string;
  discountId?: string | null;
  visitorId?: string | null;
  customerId?: string;
  occurredAt?: string;
};

/** A `transaction.completed` notification (webhooks carry no `customer` entity, so no email). */
export function paddleTransactionCompleted(input: PaddleTransactionInput): Json {
  const currency = (input.currency ?? 'USD').toUpperCase();
  const discount = input.discount ?? 0;
  const tax = input.tax ?? 0;
  const total = input.subtotal - discount + tax;
  const fee = Math.round(total / 20);
  const transactionId = input.transactionId ?? 'txn_01hv8wptq8987qeep44cyrewp9';
  const money = (n: number) => String(n);
  const totals = { subtotal: money(input.subtotal), discount: money(discount), tax: money(tax), total: money(total) };
  const occurredAt = input.occurredAt ?? '2026-01-01T00:00:00.000000Z';
  return paddleEvent({
    eventId: input.eventId ?? `evt_${transactionId.slice(4)}`,
    eventType: 'transaction.completed',
    occurredAt,
    data: {
      id: transactionId,
      status: 'completed',
      customer_id: input.customerId ?? 'ctm_01hv6y1jedq4p1n0yqn5ba3ky4',
      address_id: 'add_01hv8gq3318ktkfengj2r75gfx',
      business_id: null,
      custom_data: input.visitorId ? { ct_vid: input.visitorId } : null,
      origin: 'web',
      collection_mode: 'automatic',
      subscription_id: null,
      invoice_id: 'inv_01hv8x29nsh54c2pgt0hnq0zkx',
      invoice_number: '325-10566',
      billing_details: null,
      billing_period: null,
      currency_code: currency,
      discount_id: input.discountId ?? null,
      created_at: occurredAt,
      updated_at: occurredAt,
      billed_at: occurredAt,
      items: [{ price_id: 'pri_01gsz8x8sawmvhz1pv30nge1ke', price: { id: 'pri_01gsz8x8sawmvhz1pv30nge1ke', tax_mode: 'account_setting' }, quantity: 1, proration: null }],
      details: {
        tax_rates_used: tax > 0 ? [{ tax_rate: '0.2', totals }] : [],
        totals: { ...totals, fee: money(fee), credit: '0', credit_to_balance: '0', balance: '0', grand_total: money(total), earnings: money(total - tax - fee), currency_code: currency },
        adjusted_totals: { ...totals, grand_total: money(total), fee: money(fee), earnings: money(total - tax - fee), currency_code: currency },
        payout_totals: null,
        adjusted_payout_totals: null,
        line_items: [
          {
            id: 'txnitm_01hv8wt98jahpbm1t1tzr06z6n',
            price_id: 'pri_01gsz8x8sawmvhz1pv30nge1ke',
            quantity: 1,
            totals,
            product: { id: 'pro_01gsz4t5hdjse780zja8vvr7jg', name: 'Pro plan' },
            tax_rate: tax > 0 ? '0.2' : '0',
            unit_totals: totals,
          },
        ],
      },
      payments: [{ amount: money(total), status: 'captured', created_at: occurredAt, captured_at: occurredAt, method_details: { type: 'card' } }],
      checkout: { url: 'https://shop.example/pay?_ptxn=' + transactionId },
    },
  });
}

export type PaddleAdjustmentInput = {
  eventId?: string;
  eventType?: 'adjustment.created' | 'adjustment.updated';
  adjustmentId?: string;
  transactionId?: string;
  action?: 'refund' | 'credit' | 'chargeback' | 'chargeback_warning' | 'chargeback_reverse' | 'credit_reverse';
  status?: 'pending_approval' | 'approved' | 'rejected' | 'reversed';
  type?: 'full' | 'partial';
  /** Pre-tax amount adjusted. */
  subtotal: number;
  tax?: number;
  currency?: string;
  occurredAt?: string;
};

/** An `adjustment.created|updated` notification. */
export function paddleAdjustment(input: PaddleAdjustmentInput): Json {
  const currency = (input.currency ?? 'USD').toUpperCase();
  const tax = input.tax ?? 0;
  const total = input.subtotal + tax;
  const fee = Math.round(total / 20);
  const adjustmentId = input.adjustmentId ?? 'adj_01hvgf2s84dr6reszzg29zbvcm';
  const occurredAt = input.occurredAt ?? '2026-01-02T00:00:00.000000Z';
  return paddleEvent({
    eventId: input.eventId ?? `evt_${adjustmentId.slice(4)}_${input.status ?? 'approved'}`,
    eventType: input.eventType ?? 'adjustment.updated',
    occurredAt,
    data: {
      id: adjustmentId,
      action: input.action ?? 'refund',
      type: input.type ?? 'partial',
      transaction_id: input.transactionId ?? 'txn_01hv8wptq8987qeep44cyrewp9',
      subscription_id: null,
      customer_id: 'ctm_01hv6y1jedq4p1n0yqn5ba3ky4',
      reason: 'Customer asked for a refund',
      credit_applied_to_balance: null,
      currency_code: currency,
      status: input.status ?? 'approved',
      items: [
        {
          id: 'adjitm_01hvgf2s9b1pq2c9rz6t8evn0q',
          item_id: 'txnitm_01hv8wt98jahpbm1t1tzr06z6n',
          type: input.type === 'full' ? 'full' : 'partial',
          amount: String(total),
          proration: null,
          totals: { subtotal: String(input.subtotal), tax: String(tax), total: String(total) },
        },
      ],
      totals: { subtotal: String(input.subtotal), tax: String(tax), total: String(total), fee: String(fee), earnings: String(total - tax - fee), currency_code: currency },
      payout_totals: null,
      tax_rates_used: [],
      created_at: occurredAt,
      updated_at: occurredAt,
    },
  });
}

/** `discount.created|updated|imported`. */
export function paddleDiscountEvent(input: { eventId?: string; eventType: 'discount.created' | 'discount.updated' | 'discount.imported'; id: string; code: string | null; status?: 'active' | 'archived' | 'expired' | 'used' }): Json {
  return paddleEvent({
    eventId: input.eventId ?? `evt_${input.id.slice(4)}_${input.eventType.replace('.', '_')}`,
    eventType: input.eventType,
    data: {
      id: input.id,
      status: input.status ?? 'active',
      description: 'Partner code',
      enabled_for_checkout: true,
      code: input.code,
      type: 'percentage',
      amount: '20',
      currency_code: null,
      recur: false,
      maximum_recurring_intervals: null,
      usage_limit: null,
      restrict_to: null,
      expires_at: null,
      custom_data: null,
      created_at: '2026-01-01T00:00:00.000000Z',
      updated_at: '2026-01-01T00:00:00.000000Z',
    },
  });
}

export function signedPaddleWebhook(input: { payload: unknown; secret: string; ts?: number }): SignedDelivery {
  const rawBody = JSON.stringify(input.payload);
  const signature = signPaddlePayload({ body: rawBody, secret: input.secret, ...(input.ts === undefined ? {} : { ts: input.ts }) });
  return { rawBody, headers: { 'content-type': 'application/json', 'paddle-signature': signature } };
}

// --- WooCommerce --------------------------------------------------------------------------------

export type WooOrderInput = {
  id?: number;
  status?: string;
  currency?: string;
  /** Goods before discount, without tax. */
  subtotal: number;
  discount?: number;
  /** All tax (goods and shipping). */
  tax?: number;
  shippingTax?: number;
  shipping?: number;
  /** As WooCommerce stores them (lower-case). */
  couponCodes?: string[];
  /** Positive minor units; rendered as WooCommerce does, a negative `total`. */
  refunds?: { id: number; amount: number; reason?: string }[];
  visitorId?: string | null;
  visitorMetaKey?: '_ct_vid' | 'ct_vid';
  email?: string | null;
  customerId?: number;
  dateCreated?: number;
  dateModified?: number;
  datePaid?: number | null;
};

/** A wc/v3 order as `order.created` / `order.updated` deliver it. */
export function wooOrder(input: WooOrderInput): Json {
  const currency = (input.currency ?? 'USD').toUpperCase();
  const fmt = (n: number) => formatDecimal(n, currency);
  const discount = input.discount ?? 0;
  const tax = input.tax ?? 0;
  const shipping = input.shipping ?? 0;
  const shippingTax = input.shippingTax ?? 0;
  const total = input.subtotal - discount + shipping + tax;
  const created = input.dateCreated ?? DEFAULT_TIME;
  const modified = input.dateModified ?? created + 60;
  const status = input.status ?? 'processing';
  const paid = input.datePaid === undefined ? (['processing', 'completed', 'refunded'].includes(status) ? created + 30 : null) : input.datePaid;
  const codes = input.couponCodes ?? [];
  return {
    id: input.id ?? 727,
    parent_id: 0,
    number: String(input.id ?? 727),
    order_key: 'wc_order_58d2d042d1d',
    created_via: 'checkout',
    version: '9.4.0',
    status,
    currency,
    date_created: formatWpGmt(created),
    date_created_gmt: formatWpGmt(created),
    date_modified: formatWpGmt(modified),
    date_modified_gmt: formatWpGmt(modified),
    discount_total: fmt(discount),
    discount_tax: fmt(0),
    shipping_total: fmt(shipping),
    shipping_tax: fmt(shippingTax),
    cart_tax: fmt(tax - shippingTax),
    total: fmt(total),
    total_tax: fmt(tax),
    prices_include_tax: false,
    customer_id: input.customerId ?? 0,
    customer_ip_address: '203.0.113.7',
    customer_user_agent: 'Mozilla/5.0',
    customer_note: '',
    billing: { first_name: 'Ada', last_name: 'Lovelace', company: '', address_1: '1 Main St', address_2: '', city: 'London', state: '', postcode: 'N1', country: 'GB', email: input.email ?? '', phone: '' },
    shipping: { first_name: 'Ada', last_name: 'Lovelace', company: '', address_1: '1 Main St', address_2: '', city: 'London', state: '', postcode: 'N1', country: 'GB' },
    payment_method: 'stripe',
    payment_method_title: 'Credit card',
    transaction_id: paid === null ? '' : 'ch_test_woo_1',
    date_paid: paid === null ? null : formatWpGmt(paid),
    date_paid_gmt: paid === null ? null : formatWpGmt(paid),
    date_completed: status === 'completed' ? formatWpGmt(modified) : null,
    date_completed_gmt: status === 'completed' ? formatWpGmt(modified) : null,
    cart_hash: 'a1b2c3',
    meta_data: input.visitorId ? [{ id: 901, key: input.visitorMetaKey ?? '_ct_vid', value: input.visitorId }] : [],
    line_items: [
      {
        id: 315,
        name: 'Woo Single',
        product_id: 93,
        variation_id: 0,
        quantity: 1,
        tax_class: '',
        subtotal: fmt(input.subtotal),
        subtotal_tax: fmt(tax - shippingTax),
        total: fmt(input.subtotal - discount),
        total_tax: fmt(tax - shippingTax),
        taxes: [],
        meta_data: [],
        sku: '',
        price: Number(fmt(input.subtotal - discount)),
      },
    ],
    tax_lines: [],
    shipping_lines: shipping > 0 ? [{ id: 316, method_title: 'Flat rate', method_id: 'flat_rate', total: fmt(shipping), total_tax: fmt(shippingTax), taxes: [], meta_data: [] }] : [],
    fee_lines: [],
    coupon_lines: codes.map((code, i) => ({ id: 400 + i, code, discount: fmt(i === 0 ? discount : 0), discount_tax: fmt(0), meta_data: [] })),
    refunds: (input.refunds ?? []).map((r) => ({ id: r.id, reason: r.reason ?? '', total: fmt(-r.amount) })),
    set_paid: false,
  };
}

/** A wc/v3 coupon as `coupon.*` deliver it (`coupon.deleted` sends only `{ id }`). */
export function wooCoupon(input: { id: number; code: string; status?: 'publish' | 'draft' | 'pending' | 'trash' }): Json {
  return {
    id: input.id,
    code: input.code.toLowerCase(),
    amount: '20.00',
    status: input.status ?? 'publish',
    date_created_gmt: formatWpGmt(DEFAULT_TIME),
    date_modified_gmt: formatWpGmt(DEFAULT_TIME + 60),
    discount_type: 'percent',
    description: '',
    date_expires_gmt: null,
    usage_count: 0,
    individual_use: false,
    usage_limit: null,
    usage_limit_per_user: null,
    minimum_amount: '0.00',
    maximum_amount: '0.00',
    email_restrictions: [],
    meta_data: [],
  };
}

export function signedWooCommerceWebhook(input: { payload: unknown; secret: string; topic: string; webhookId?: number; deliveryId?: string; source?: string }): SignedDelivery {
  const rawBody = JSON.stringify(input.payload);
  const [resource = '', event = ''] = input.topic.split('.');
  return {
    rawBody,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'WooCommerce/9.4.0 Hookshot (WordPress/6.7)',
      'x-wc-webhook-source': input.source ?? 'https://shop.example/',
      'x-wc-webhook-topic': input.topic,
      'x-wc-webhook-resource': resource,
      'x-wc-webhook-event': event,
      'x-wc-webhook-signature': signWooCommercePayload({ body: rawBody, secret: input.secret }),
      'x-wc-webhook-id': String(input.webhookId ?? 12),
      'x-wc-webhook-delivery-id': input.deliveryId ?? 'b7d2f3c4e5a6978812345678',
    },
  };
}

/** The unsigned, form-encoded ping WooCommerce posts when a webhook is created. */
export function wooCommercePing(input: { webhookId?: number } = {}): SignedDelivery {
  return { rawBody: `webhook_id=${input.webhookId ?? 12}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

// --- Shopify ------------------------------------------------------------------------------------

export type ShopifyOrderInput = {
  id?: number;
  currency?: string;
  /** Line items before discounts. */
  lineItemsPrice: number;
  totalDiscounts?: number;
  totalTax?: number;
  shipping?: number;
  /** Tax on shipping (part of totalTax). */
  shippingTax?: number;
  taxesIncluded?: boolean;
  discountCodes?: string[];
  financialStatus?: string;
  visitorId?: string | null;
  /** Where the visitor id travels: a cart attribute (note_attributes) or the landing page query. */
  visitorVia?: 'note_attributes' | 'landing_site';
  email?: string | null;
  customerId?: number | null;
  createdAt?: string;
  processedAt?: string;
  cancelledAt?: string | null;
};

function buildMoneySet(amount: number, currency: string): Json {
  const value = formatDecimal(amount, currency);
  return { shop_money: { amount: value, currency_code: currency }, presentment_money: { amount: value, currency_code: currency } };
}

/** A REST-shaped order as `orders/create`, `orders/paid` and `orders/cancelled` deliver it. */
export function shopifyOrder(input: ShopifyOrderInput): Json {
  const currency = (input.currency ?? 'USD').toUpperCase();
  const fmt = (n: number) => formatDecimal(n, currency);
  const discount = input.totalDiscounts ?? 0;
  const tax = input.totalTax ?? 0;
  const shipping = input.shipping ?? 0;
  const shippingTax = input.shippingTax ?? 0;
  const subtotal = input.lineItemsPrice - discount;
  const total = subtotal + shipping + (input.taxesIncluded ? 0 : tax);
  const id = input.id ?? 5807389274221;
  const codes = input.discountCodes ?? [];
  const via = input.visitorVia ?? 'note_attributes';
  const createdAt = input.createdAt ?? '2026-01-01T01:00:00+01:00';
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: '#1001',
    order_number: 1001,
    email: input.email ?? '',
    contact_email: input.email ?? null,
    created_at: createdAt,
    processed_at: input.processedAt ?? createdAt,
    updated_at: createdAt,
    cancelled_at: input.cancelledAt ?? null,
    cancel_reason: input.cancelledAt ? 'customer' : null,
    currency,
    presentment_currency: currency,
    financial_status: input.financialStatus ?? 'paid',
    fulfillment_status: null,
    taxes_included: input.taxesIncluded ?? false,
    total_line_items_price: fmt(input.lineItemsPrice),
    total_line_items_price_set: buildMoneySet(input.lineItemsPrice, currency),
    subtotal_price: fmt(subtotal),
    subtotal_price_set: buildMoneySet(subtotal, currency),
    total_discounts: fmt(discount),
    total_discounts_set: buildMoneySet(discount, currency),
    total_tax: fmt(tax),
    total_tax_set: buildMoneySet(tax, currency),
    total_shipping_price_set: buildMoneySet(shipping, currency),
    total_price: fmt(total),
    total_price_set: buildMoneySet(total, currency),
    total_tip_received: '0.00',
    discount_codes: codes.map((code, i) => ({ code, amount: fmt(i === 0 ? discount : 0), type: 'percentage' })),
    note: null,
    note_attributes: input.visitorId && via === 'note_attributes' ? [{ name: 'ct_vid', value: input.visitorId }] : [],
    landing_site: input.visitorId && via === 'landing_site' ? `/products/tee?utm_source=partner&ct_vid=${encodeURIComponent(input.visitorId)}` : '/',
    referring_site: '',
    source_name: 'web',
    customer:
      input.customerId === null
        ? null
        : { id: input.customerId ?? 7012345678901, email: input.email ?? null, admin_graphql_api_id: `gid://shopify/Customer/${input.customerId ?? 7012345678901}` },
    line_items: [
      { id: 14567890123456, title: 'Tee', quantity: 1, price: fmt(input.lineItemsPrice), price_set: buildMoneySet(input.lineItemsPrice, currency), total_discount: fmt(0), discount_allocations: [], tax_lines: [] },
    ],
    shipping_lines:
      shipping > 0
        ? [{ id: 4567890123456, title: 'Standard', price: fmt(shipping), price_set: buildMoneySet(shipping, currency), tax_lines: shippingTax > 0 ? [{ title: 'VAT', rate: 0.2, price: fmt(shippingTax), price_set: buildMoneySet(shippingTax, currency) }] : [] }]
        : [],
    refunds: [],
  };
}

export type ShopifyRefundInput = {
  id?: number;
  orderId?: number;
  currency?: string;
  /** Refunded line items: subtotal is after discounts, without tax. */
  lineItems?: { lineItemId?: number; quantity?: number; subtotal: number; totalTax?: number }[];
  /** Money returned; defaults to the line items' subtotal plus tax. */
  transactions?: { id?: number; amount: number; kind?: string; status?: string }[];
  createdAt?: string;
};

/** A `refunds/create` body: no discount codes, joined to the order by `order_id`. */
export function shopifyRefund(input: ShopifyRefundInput): Json {
  const currency = (input.currency ?? 'USD').toUpperCase();
  const fmt = (n: number) => formatDecimal(n, currency);
  const lineItems = input.lineItems ?? [];
  const createdAt = input.createdAt ?? '2026-01-05T10:00:00-05:00';
  const transactions = input.transactions ?? [{ amount: lineItems.reduce((sum, l) => sum + l.subtotal + (l.totalTax ?? 0), 0) }];
  const orderId = input.orderId ?? 5807389274221;
  return {
    id: input.id ?? 929361462,
    order_id: orderId,
    admin_graphql_api_id: `gid://shopify/Refund/${input.id ?? 929361462}`,
    created_at: createdAt,
    processed_at: createdAt,
    note: 'Customer return',
    restock: true,
    user_id: null,
    duties: [],
    order_adjustments: [],
    refund_line_items: lineItems.map((l, i) => ({
      id: 104689539 + i,
      line_item_id: l.lineItemId ?? 14567890123456,
      location_id: 24826418,
      quantity: l.quantity ?? 1,
      restock_type: 'return',
      // Shopify's REST body puts the legacy numeric fields beside the money sets.
      subtotal: Number(fmt(l.subtotal)),
      subtotal_set: buildMoneySet(l.subtotal, currency),
      total_tax: Number(fmt(l.totalTax ?? 0)),
      total_tax_set: buildMoneySet(l.totalTax ?? 0, currency),
    })),
    transactions: transactions.map((t, i) => ({
      id: t.id ?? 179259969 + i,
      order_id: orderId,
      kind: t.kind ?? 'refund',
      gateway: 'shopify_payments',
      status: t.status ?? 'success',
      amount: fmt(t.amount),
      currency,
      created_at: createdAt,
      processed_at: createdAt,
      parent_id: 801038806,
    })),
  };
}

/** `discounts/create|update|delete` bodies: the node id and status, never the code. */
export function shopifyDiscountPayload(input: { id: number; automatic?: boolean; status?: 'ACTIVE' | 'EXPIRED' | 'SCHEDULED'; deleted?: boolean }): Json {
  const gid = `gid://shopify/${input.automatic ? 'DiscountAutomaticNode' : 'DiscountCodeNode'}/${input.id}`;
  if (input.deleted) return { admin_graphql_api_id: gid, deleted_at: '2026-01-03T00:00:00-05:00' };
  return { admin_graphql_api_id: gid, title: 'Partner 20%', status: input.status ?? 'ACTIVE', created_at: '2026-01-01T00:00:00-05:00', updated_at: '2026-01-02T00:00:00-05:00' };
}

export function signedShopifyWebhook(input: { payload: unknown; secret: string; topic: string; eventId?: string | null; webhookId?: string; shopDomain?: string; apiVersion?: string }): SignedDelivery {
  const rawBody = JSON.stringify(input.payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': input.topic,
    'x-shopify-hmac-sha256': signShopifyPayload({ body: rawBody, secret: input.secret }),
    'x-shopify-shop-domain': input.shopDomain ?? 'codetrack-test.myshopify.com',
    'x-shopify-api-version': input.apiVersion ?? '2025-10',
    'x-shopify-webhook-id': input.webhookId ?? 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'x-shopify-triggered-at': '2026-01-01T00:00:00.000Z',
  };
  if (input.eventId !== null) headers['x-shopify-event-id'] = input.eventId ?? '98880550-7158-44d4-b7cd-2c97c8a091b5';
  return { rawBody, headers };
}
