import type { Platform } from '@codetrack/contracts';
import { encryptConnectionSecrets, generateConnectionId } from '@codetrack/db';
import type { SignedDelivery } from '@codetrack/testkit';
import type { App } from '../../src/app.ts';
import { createPartnerFor, createProgramFor, signUpMerchant, type TestContext } from '../helpers.ts';

export const webhookSecrets: Record<Platform, string> = {
  stripe: 'whsec_test_codetrack_signing_secret',
  paddle: 'pdl_ntfset_test_secret',
  woocommerce: 'woo-webhook-secret',
  shopify: 'shopify-app-secret',
};

/**
 * A merchant with a program, one active partner, a coupon and a connection per platform whose
 * webhook secret is stored encrypted exactly as the connections API stores it. Connections are
 * written directly: their credentials check against a platform is not what these tests are about.
 */
export async function setUpShop(ctx: TestContext, programOverrides: Record<string, unknown> = {}) {
  const merchant = await signUpMerchant(ctx.app);
  const program = await createProgramFor(ctx.app, merchant, programOverrides);
  const partner = await createPartnerFor(ctx.app, merchant, program.id);
  await ctx.db.partner.update({ where: { id: partner.id }, data: { status: 'active' } });
  const coupon = await ctx.factories.coupon({ workspaceId: merchant.workspaceId, programId: program.id });
  const connections = {} as Record<Platform, { id: string }>;
  for (const platform of ['stripe', 'paddle', 'woocommerce', 'shopify'] as const) {
    connections[platform] = await createConnection(ctx, { workspaceId: merchant.workspaceId, programId: program.id, platform });
  }
  return { merchant, program, partner, coupon, connections, workspaceId: merchant.workspaceId };
}

export async function createConnection(
  ctx: TestContext,
  input: { workspaceId: string; programId: string; platform: Platform; webhookSecret?: string | null; status?: 'connected' | 'disabled' },
) {
  const id = generateConnectionId();
  const secret = input.webhookSecret === undefined ? webhookSecrets[input.platform] : input.webhookSecret;
  const columns = encryptConnectionSecrets(ctx.app.config.encryptionKeys, id, { credentials: { note: 'test' }, webhookSecret: secret });
  return ctx.db.connection.create({
    data: { id, workspaceId: input.workspaceId, programId: input.programId, platform: input.platform, name: input.platform, status: input.status ?? 'connected', ...columns },
  });
}

export type Shop = Awaited<ReturnType<typeof setUpShop>>;

/** A second partner of the same program. */
export async function addPartner(ctx: TestContext, shop: Shop, overrides: Record<string, unknown> = {}) {
  const partner = await createPartnerFor(ctx.app, shop.merchant, shop.program.id, overrides);
  await ctx.db.partner.update({ where: { id: partner.id }, data: { status: 'active' } });
  return partner;
}

export async function addCode(ctx: TestContext, shop: Shop, input: { code: string; partnerId: string | null } & Record<string, unknown>) {
  return ctx.factories.promotionCode({ workspaceId: shop.workspaceId, programId: shop.program.id, couponId: shop.coupon.id, ...input });
}

export function postWebhook(app: App, platform: Platform, connectionId: string, delivery: SignedDelivery) {
  return app.inject({ method: 'POST', url: `/webhooks/${platform}/${connectionId}`, headers: delivery.headers, payload: delivery.rawBody });
}

/**
 * Polls until every delivery of the connection has left `received` (processed, ignored, failed or
 * parked as waiting). A deadline only turns a hang into a readable failure; nothing is timed.
 */
export async function waitForInbox(ctx: TestContext, connectionId: string, deadlineMs = 60_000) {
  const started = Date.now();
  for (;;) {
    const open = await ctx.db.webhookEvent.count({ where: { connectionId, status: 'received' } });
    if (open === 0) return;
    if (Date.now() - started > deadlineMs) throw new Error(`${open} webhook events still unprocessed`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Row counts of every table the webhook path writes, for "nothing was stored" checks. */
export async function countWebhookRows(ctx: TestContext) {
  const [webhookEvents, sales, commissions, customers] = await Promise.all([
    ctx.db.webhookEvent.count(),
    ctx.db.sale.count(),
    ctx.db.commission.count(),
    ctx.db.customer.count(),
  ]);
  return { webhookEvents, sales, commissions, customers };
}
