import type { Platform } from '@codetrack/contracts';

export type CredentialField = {
  name: string;
  label: string;
  /** Where in the platform's dashboard the merchant finds the value. */
  where: string;
  placeholder?: string;
  secret?: boolean;
  optional?: boolean;
};

/** The credentials each platform needs, in the order its dashboard shows them. */
export const platformFields: Record<Platform, CredentialField[]> = {
  stripe: [
    {
      name: 'secretKey',
      label: 'Secret key',
      where: 'Stripe Dashboard → Developers → API keys → Secret key (sk_live_…), or a restricted key (rk_…) with write access to Coupons and Promotion codes.',
      placeholder: 'sk_live_…',
      secret: true,
    },
    {
      name: 'webhookSigningSecret',
      label: 'Webhook signing secret',
      where: 'After you add this connection’s webhook URL in Stripe: Developers → Webhooks → your endpoint → Signing secret (whsec_…). You can add it later.',
      placeholder: 'whsec_…',
      secret: true,
      optional: true,
    },
  ],
  paddle: [
    {
      name: 'apiKey',
      label: 'API key',
      where: 'Paddle → Developer tools → Authentication → API keys. Give it write access to discounts.',
      secret: true,
    },
    {
      name: 'webhookSecret',
      label: 'Notification secret key',
      where: 'After you add this connection’s webhook URL in Paddle: Developer tools → Notifications → your destination → Secret key. You can add it later.',
      secret: true,
      optional: true,
    },
  ],
  woocommerce: [
    { name: 'storeUrl', label: 'Store URL', where: 'The address of your WordPress site, e.g. https://shop.example.com.', placeholder: 'https://shop.example.com' },
    {
      name: 'consumerKey',
      label: 'Consumer key',
      where: 'WooCommerce → Settings → Advanced → REST API → Add key (Read/Write). Starts with ck_.',
      placeholder: 'ck_…',
      secret: true,
    },
    { name: 'consumerSecret', label: 'Consumer secret', where: 'Shown next to the consumer key when you create it. Starts with cs_.', placeholder: 'cs_…', secret: true },
    {
      name: 'webhookSecret',
      label: 'Webhook secret',
      where: 'WooCommerce → Settings → Advanced → Webhooks → the webhook you add for this connection’s URL → Secret. You can add it later.',
      secret: true,
      optional: true,
    },
    { name: 'storeCurrency', label: 'Store currency', where: 'WooCommerce → Settings → General → Currency. Leave empty to use the program currency.', placeholder: 'USD', optional: true },
  ],
  shopify: [
    { name: 'shopDomain', label: 'Shop domain', where: 'Your permanent shop address, shown in Settings → Domains, like my-shop.myshopify.com.', placeholder: 'my-shop.myshopify.com' },
    {
      name: 'accessToken',
      label: 'Admin API access token',
      where: 'Settings → Apps and sales channels → Develop apps → your app → API credentials → Admin API access token (shpat_…). Needs the discounts and orders scopes.',
      placeholder: 'shpat_…',
      secret: true,
    },
    {
      name: 'appSecret',
      label: 'API secret key',
      where: 'Same page: API secret key. Used to check webhook signatures.',
      secret: true,
      optional: true,
    },
  ],
};
