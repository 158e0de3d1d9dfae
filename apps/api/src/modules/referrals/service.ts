/*
 * Referral links and the visitor id
 * =================================
 *
 * `GET /r/{referralKey}` records a click, sets the `ct_vid` cookie (on the API's domain) and
 * redirects to the program's landing URL with `?ref=<key>&ct_vid=<visitor id>`. Add the script to
 * every page of the shop; it keeps the visitor id in a first-party cookie on the shop's own domain:
 *
 *   <script src="https://<api>/t.js" data-cookie-days="30" async></script>
 *   ...later, at checkout: const vid = window.Codetrack && window.Codetrack.visitorId();
 *
 * (`data-cookie-days` defaults to 30; use the program's cookie lifetime. `data-cookie-domain`,
 * e.g. ".shop.example", shares the cookie with subdomains such as a separate checkout host.)
 *
 * Pass the visitor id with the order so its webhook carries it:
 *
 * - Stripe Checkout: `client_reference_id: vid` or `metadata: { ct_vid: vid }` when creating the
 *   Checkout Session on your server (read it from the `ct_vid` cookie of the request, or post it
 *   from the page). For Payment Intents / subscriptions use `metadata.ct_vid`.
 * - Paddle (Billing, Paddle.js): `Paddle.Checkout.open({ items, customData: { ct_vid: vid } })`;
 *   the transaction's `custom_data.ct_vid` arrives in the webhook.
 * - WooCommerce: save it as order meta `_ct_vid`: a hidden checkout field filled from the cookie,
 *   stored in the `woocommerce_checkout_create_order` hook
 *   (`$order->update_meta_data('_ct_vid', sanitize_text_field($_COOKIE['ct_vid'] ?? ''))`).
 * - Shopify: a cart attribute `ct_vid` (POST /cart/update.js `{ attributes: { ct_vid: vid } }`),
 *   which shows up as the order's `note_attributes`; or, without theme code, the landing page URL
 *   itself carries `?ct_vid=…`, which Shopify keeps as the order's `landing_site`.
 *
 * A promotion code on the order still beats the visitor id (see attribution in packages/core).
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '@codetrack/db';
import { notFound } from '../../lib/errors.ts';

export const VISITOR_COOKIE = 'ct_vid';

const VISITOR_ID = /^v_[A-Za-z0-9_-]{22}$/;

/** A visitor id: `v_` and 22 URL-safe characters (128 random bits). */
export function createVisitorId(): string {
  return `v_${randomBytes(16).toString('base64url')}`;
}

export function isVisitorId(value: string | undefined): value is string {
  return value !== undefined && VISITOR_ID.test(value);
}

/**
 * Where the link sends the visitor: the landing URL, or `to` when it resolves to the same origin
 * (anything else is ignored, so the link cannot be used as an open redirect), plus `ref` and
 * `ct_vid` added to the query the target already has.
 */
export function buildRedirectTarget(landingUrl: string, to: string | undefined, params: { ref: string; visitorId: string }): string {
  const landing = new URL(landingUrl);
  let target = landing;
  if (to) {
    try {
      const candidate = new URL(to, landing);
      if (candidate.origin === landing.origin) target = candidate;
    } catch {
      // Not a URL at all: keep the landing URL.
    }
  }
  target.searchParams.set('ref', params.ref);
  target.searchParams.set('ct_vid', params.visitorId);
  return target.toString();
}

/**
 * The partner and program behind a public referral key. The caller is anonymous, so this runs on
 * the unscoped client; old keys still point at their partner. A suspended partner or an archived
 * program answers 404, the same as an unknown key.
 */
export async function findReferralTargetOrThrow(db: Db, referralKey: string) {
  const row = await db.referralKey.findUnique({
    where: { key: referralKey.toLowerCase() },
    include: { partner: { include: { program: true } } },
  });
  const partner = row?.partner;
  if (!row || !partner || partner.status === 'suspended' || partner.program.status !== 'active') throw notFound('Referral link');
  return { key: row.key, partner, program: partner.program };
}

/** Stores a click. No IP address or user agent: the visitor id is all attribution needs. */
export async function recordClick(db: Db, click: { workspaceId: string; programId: string; partnerId: string; visitorId: string; landingUrl: string; referrer: string | undefined }) {
  await db.referralClick.create({
    data: {
      workspaceId: click.workspaceId,
      programId: click.programId,
      partnerId: click.partnerId,
      visitorId: click.visitorId,
      landingUrl: click.landingUrl.slice(0, 2000),
      referrer: click.referrer ? click.referrer.slice(0, 2000) : null,
    },
  });
}

/**
 * The script for the merchant's pages: takes `ct_vid` from the landing URL (set by /r/) or from its
 * own cookie, keeps it in a first-party cookie for `data-cookie-days`, and exposes
 * `window.Codetrack.visitorId()`. ES5, no dependencies, so it runs on any shop theme.
 */
export const TRACKING_SCRIPT = `/* Codetrack visitor id. Docs: window.Codetrack.visitorId() returns the id or null. */
(function () {
  var NAME = 'ct_vid';
  var PATTERN = /^v_[A-Za-z0-9_-]{22}$/;
  var script = document.currentScript;
  var days = parseInt(script && script.getAttribute('data-cookie-days'), 10);
  if (!(days > 0 && days <= 730)) days = 30;
  var domain = script && script.getAttribute('data-cookie-domain');

  function readCookie() {
    var match = document.cookie.match(/(?:^|;\\s*)ct_vid=([^;]*)/);
    return match && PATTERN.test(match[1]) ? match[1] : null;
  }

  function readUrl() {
    var match = window.location.search.match(/[?&]ct_vid=([^&#]*)/);
    return match && PATTERN.test(match[1]) ? match[1] : null;
  }

  var fromUrl = readUrl();
  if (fromUrl) {
    document.cookie = NAME + '=' + fromUrl + '; Max-Age=' + days * 86400 + '; Path=/; SameSite=Lax' +
      (domain ? '; Domain=' + domain : '') + (window.location.protocol === 'https:' ? '; Secure' : '');
  }
  var remembered = fromUrl || readCookie();

  window.Codetrack = {
    visitorId: function () {
      return readCookie() || remembered;
    }
  };
})();
`;
