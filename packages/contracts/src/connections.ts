import { z } from 'zod';
import { Currency, Id, IsoDateTime, Platform } from './common.ts';
import { HttpUrl } from './programs.ts';
import { RestrictionName } from './restrictions.ts';

/**
 * A program's link to one payment platform account. Credentials and webhook secrets go in and are
 * never returned: responses only say whether a webhook secret is configured.
 */

export const ConnectionStatus = z.enum(['pending', 'connected', 'error', 'disabled']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

/** The webhook events to enable on each platform, in the platform's own names. */
export const platformWebhookEvents = {
  stripe: [
    'checkout.session.completed',
    'invoice.paid',
    'charge.refunded',
    'coupon.created',
    'coupon.updated',
    'coupon.deleted',
    'promotion_code.created',
    'promotion_code.updated',
  ],
  paddle: ['transaction.completed', 'adjustment.created', 'adjustment.updated', 'discount.created', 'discount.updated', 'discount.imported'],
  woocommerce: ['order.created', 'order.updated', 'coupon.created', 'coupon.updated', 'coupon.deleted'],
  shopify: ['orders/create', 'orders/paid', 'orders/cancelled', 'refunds/create', 'discounts/create', 'discounts/update', 'discounts/delete'],
} as const satisfies Record<Platform, readonly string[]>;

const MYSHOPIFY_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** Shopify's permanent shop domain (`my-shop.myshopify.com`), not a custom storefront domain. */
export function isMyshopifyDomain(domain: string): boolean {
  return MYSHOPIFY_DOMAIN.test(domain);
}

/** A pasted secret: surrounding whitespace (a copied newline) is dropped, inner whitespace is an error. */
function secret(pattern: RegExp | null, message: string) {
  const base = z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'is required')
    .max(500);
  return pattern ? base.regex(pattern, message) : base.regex(/^\S+$/, message);
}

const StripeSecretKey = secret(/^(sk|rk)_(test|live)_\S+$/, 'must be a Stripe secret key (sk_test_/sk_live_) or restricted key (rk_...), not a publishable key');
const StripeWebhookSecret = secret(/^whsec_\S+$/, "must be the endpoint's signing secret (whsec_...)");
const PaddleApiKey = secret(null, 'must be a Paddle API key without spaces');
const PaddleWebhookSecret = secret(null, "must be the notification destination's secret key without spaces");
const WooConsumerKey = secret(/^ck_[A-Za-z0-9]+$/, 'must be a WooCommerce consumer key (ck_...)');
const WooConsumerSecret = secret(/^cs_[A-Za-z0-9]+$/, 'must be a WooCommerce consumer secret (cs_...)');
const WooWebhookSecret = secret(null, 'must be the webhook secret without spaces');
const ShopifyAccessToken = secret(/^shpat_\S+$/, 'must be an Admin API access token (shpat_...)');
const ShopifyAppSecret = secret(null, "must be the app's API secret key without spaces");

/** `my-shop.myshopify.com`; a pasted admin URL is reduced to its host. */
const ShopDomain = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => v.replace(/^https?:\/\//, '').replace(/\/.*$/, ''))
  .pipe(z.string().min(1, 'is required').max(255).regex(/^[a-z0-9.-]+(:\d{1,5})?$/, 'must be a shop domain like my-shop.myshopify.com'));

const common = {
  name: z.string().trim().min(1).max(120).optional(),
  /** Override of the platform's API address: an emulator in tests, Paddle's sandbox, a proxy. */
  apiBaseUrl: HttpUrl.optional(),
};

const StripeFields = { secretKey: StripeSecretKey, webhookSigningSecret: StripeWebhookSecret.optional() };
const PaddleFields = { apiKey: PaddleApiKey, webhookSecret: PaddleWebhookSecret.optional() };
const WooCommerceFields = {
  storeUrl: HttpUrl,
  consumerKey: WooConsumerKey,
  consumerSecret: WooConsumerSecret,
  webhookSecret: WooWebhookSecret.optional(),
  /** The store's currency; defaults to the program's. WooCommerce coupons carry none. */
  storeCurrency: Currency.optional(),
};
const ShopifyFields = { shopDomain: ShopDomain, accessToken: ShopifyAccessToken, appSecret: ShopifyAppSecret.optional() };

/**
 * Webhook secrets are optional here: Stripe and Paddle only issue one after the merchant adds our
 * webhook URL, which contains the id this call creates. Add it afterwards with PATCH.
 */
export const CreateConnectionInput = z
  .discriminatedUnion('platform', [
    z.object({ platform: z.literal('stripe'), ...common, ...StripeFields }),
    z.object({ platform: z.literal('paddle'), ...common, ...PaddleFields }),
    z.object({ platform: z.literal('woocommerce'), ...common, ...WooCommerceFields }),
    z
      .object({ platform: z.literal('shopify'), ...common, ...ShopifyFields })
      .superRefine((input, ctx) => {
        if (!input.apiBaseUrl && !isMyshopifyDomain(input.shopDomain)) {
          ctx.addIssue({ code: 'custom', path: ['shopDomain'], message: 'must be the shop\'s permanent domain, like my-shop.myshopify.com' });
        }
      }),
  ]);
export type CreateConnectionInput = z.infer<typeof CreateConnectionInput>;

const patchCommon = {
  name: z.string().trim().min(1).max(120).optional(),
  /** null removes the override. */
  apiBaseUrl: HttpUrl.nullable().optional(),
};

/**
 * Changes a connection. `platform` must be the connection's own (it selects which secret fields
 * apply). Any change besides the name re-runs the credential check.
 */
export const UpdateConnectionInput = z
  .discriminatedUnion('platform', [
    z.object({ platform: z.literal('stripe'), ...patchCommon, ...z.object(StripeFields).partial().shape }),
    z.object({ platform: z.literal('paddle'), ...patchCommon, ...z.object(PaddleFields).partial().shape }),
    z.object({ platform: z.literal('woocommerce'), ...patchCommon, ...z.object(WooCommerceFields).partial().shape }),
    z.object({ platform: z.literal('shopify'), ...patchCommon, ...z.object(ShopifyFields).partial().shape }),
  ]);
export type UpdateConnectionInput = z.infer<typeof UpdateConnectionInput>;

export const ConnectionListQuery = z.object({
  status: ConnectionStatus.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ConnectionListQuery = z.infer<typeof ConnectionListQuery>;

export const ConnectionWebhook = z.object({
  /** Where the platform must send events for this connection. */
  url: z.string(),
  /** Exactly these events, in the platform's names. */
  events: z.array(z.string()),
  instructions: z.string(),
  /** False until the merchant saves the platform's signing secret; deliveries are refused until then. */
  secretConfigured: z.boolean(),
});

/** Which code restrictions the platform's checkout enforces, and which we enforce when attributing. */
export const ConnectionCapabilities = z.object({
  enforcedByPlatform: z.array(RestrictionName),
  enforcedAtAttribution: z.array(RestrictionName),
});

export const Connection = z
  .object({
    id: Id,
    programId: Id,
    platform: Platform,
    name: z.string(),
    status: ConnectionStatus,
    /** Why the last check failed, in words a merchant can act on. */
    lastError: z.string().nullable(),
    lastCheckedAt: IsoDateTime.nullable(),
    apiBaseUrl: z.string().nullable(),
    /** Non-secret facts about the connected account. */
    account: z.object({ name: z.string().nullable(), storeUrl: z.string().nullable(), shopDomain: z.string().nullable() }),
    webhook: ConnectionWebhook,
    capabilities: ConnectionCapabilities,
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Connection' });
export type Connection = z.infer<typeof Connection>;
