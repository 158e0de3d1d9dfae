import { platformWebhookEvents, type Platform } from '@codetrack/contracts';
import type { PlatformError } from '@codetrack/integrations';

/** Words a merchant reads on the connection page: why a check failed, and how to set up webhooks. */

const label: Record<Platform, string> = { stripe: 'Stripe', paddle: 'Paddle', woocommerce: 'WooCommerce', shopify: 'Shopify' };

const rejected: Record<Platform, string> = {
  stripe: 'The API key was rejected by Stripe. Check that you copied the secret key of the right account (test or live).',
  paddle: 'The API key was rejected by Paddle. Check that you copied an API key of the right environment (sandbox or live) and that it is not revoked or expired.',
  woocommerce:
    'The consumer key and secret were rejected by the store. Create a REST API key with Read/Write permission under WooCommerce > Settings > Advanced > REST API and copy both values.',
  shopify: 'The access token was rejected by Shopify. Check that you copied the Admin API access token of the app installed on this shop, and that the app is still installed.',
};

const lacksPermission: Record<Platform, string> = {
  stripe: 'Stripe accepted the key, but it may not manage coupons. Use the secret key, or a restricted key with write access to Coupons and Promotion codes.',
  paddle: 'Paddle accepted the API key, but it may not manage discounts. Give the key read and write permission for Discounts.',
  woocommerce: 'The store accepted the key, but it may not manage coupons. Give the REST API key Read/Write permission.',
  shopify: 'Shopify accepted the token, but the app may not manage discounts. Give the app the read_discounts and write_discounts scopes and reinstall it.',
};

const notFound: Record<Platform, (where: string) => string> = {
  stripe: () => 'Stripe answered "not found" to a basic request. If you set an API base URL, check it.',
  paddle: () => 'Paddle answered "not found" to a basic request. If you set an API base URL, check it (the sandbox is https://sandbox-api.paddle.com).',
  woocommerce: (where) =>
    `There is no WooCommerce REST API at ${where}. Check the store URL (the WordPress site address), that WooCommerce is active and that permalinks are not set to "Plain".`,
  shopify: (where) => `No Shopify shop answered at ${where}. Check the shop's permanent domain (my-shop.myshopify.com).`,
};

/** Removes anything the merchant typed as a secret from a platform message before we store it. */
function scrub(message: string, secrets: string[]): string {
  let text = message;
  for (const secret of secrets) if (secret.length >= 4) text = text.split(secret).join('[redacted]');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/**
 * Why a credential check failed, in words a merchant can act on. `where` names the store or shop
 * (WooCommerce, Shopify) or the API address; `secrets` are scrubbed from any platform text we quote.
 */
export function describeCheckFailure(platform: Platform, error: Pick<PlatformError, 'code' | 'status' | 'message'>, where: string, secrets: string[]): string {
  const name = label[platform];
  switch (error.code) {
    case 'unauthorized':
      return rejected[platform];
    case 'forbidden':
      if (platform === 'shopify' && (error.status === 402 || error.status === 423)) {
        return 'Shopify refused access because the shop is frozen (unpaid) or locked. Resolve it in the Shopify admin, then check again.';
      }
      return lacksPermission[platform];
    case 'not_found':
      return notFound[platform](where);
    case 'unavailable':
    case 'timeout': {
      const what = error.code === 'timeout' ? 'no answer in time' : 'the connection failed or the server had an error';
      if (platform === 'woocommerce') return `Could not reach the store at ${where} (${what}). Check the store URL and that the site is online, then try again.`;
      return `Could not reach ${name} at ${where} (${what}). This is usually temporary: try again in a few minutes.`;
    }
    case 'rate_limited':
      return `${name} is limiting requests right now. Try again in a minute.`;
    default:
      return `${name} refused the check: ${scrub(error.message, secrets)}`;
  }
}

const setupSteps: Record<Platform, string> = {
  stripe:
    'In the Stripe Dashboard open Developers > Webhooks and add an endpoint with this URL. Select exactly these events, save, then reveal the signing secret (whsec_...) and save it on this connection as webhookSigningSecret.',
  paddle:
    'In Paddle open Developer tools > Notifications and add a destination of type webhook with this URL. Select exactly these events, save, then copy the secret key and save it on this connection as webhookSecret.',
  woocommerce:
    'In WordPress open WooCommerce > Settings > Advanced > Webhooks and add one webhook per topic below: status Active, delivery URL this URL, API version WP REST API Integration v3, and the same secret on every webhook. Save that secret on this connection as webhookSecret.',
  shopify:
    'Subscribe the app to each topic below with this URL and format JSON (in the app configuration or with the Admin API). Shopify signs app webhooks with the app\'s API secret key: save it on this connection as appSecret. Webhooks created under Settings > Notifications are signed with the key shown on that page instead: save that key.',
};

/** The webhook URL and events for one connection, with the steps to enable them. */
export function describeWebhookSetup(platform: Platform, url: string, secretConfigured: boolean) {
  const pending = secretConfigured ? '' : ' Until the secret is saved, deliveries are refused (the signature cannot be checked).';
  return { url, events: [...platformWebhookEvents[platform]], instructions: setupSteps[platform] + pending, secretConfigured };
}
