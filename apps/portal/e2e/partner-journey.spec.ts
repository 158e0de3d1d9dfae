import { expect, request, test, type APIRequestContext, type Page } from '@playwright/test';
import { signedStripeWebhook, stripeCheckoutCompleted } from '../../../packages/testkit/src/index.ts';
import { readStack } from './stack.ts';

const stack = readStack();
const shots = '../../test-results/portal-screenshots';
const webhookSecret = 'whsec_portal_e2e_signing_secret_0123';
const partner = { name: 'Grace Hopper', email: `grace-${Date.now()}@partners.test` };
const password = 'a-long-enough-password';

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

/** A JSON call as the signed-in merchant; fails the test with the API's answer when it is not `status`. */
async function call<T>(api: APIRequestContext, method: 'POST' | 'GET', path: string, csrfToken: string, data: unknown, status: number): Promise<T> {
  const response = await api.fetch(path, { method, headers: { 'x-csrf-token': csrfToken }, data });
  expect(response.status(), `${method} ${path}: ${await response.text()}`).toBe(status);
  return (await response.json()) as T;
}

test('an invited partner sets a password, copies their code and sees the order and pending commission', async ({ page }) => {
  // The merchant side goes through the API: the admin app has its own end-to-end test.
  const merchant = await request.newContext({ baseURL: stack.apiUrl });
  const signup = await merchant.post('/api/auth/signup', {
    data: { email: `merchant-${Date.now()}@shop.test`, password: 'merchant-password-123', name: 'Mia Merchant', workspaceName: 'Compiler Coffee' },
  });
  expect(signup.status(), await signup.text()).toBe(201);
  const csrf = ((await signup.json()) as { csrfToken: string }).csrfToken;

  const program = await call<{ id: string }>(merchant, 'POST', '/api/programs', csrf, {
    name: 'Coffee partners',
    currency: 'usd',
    landingUrl: 'https://coffee.example.com',
    commission: { type: 'percent', value: 1000, duration: 'first_order' },
    holdPeriodDays: 30,
    portal: { accentColor: '#0a7d4f' },
  }, 201);
  const connection = await call<{ id: string }>(merchant, 'POST', `/api/programs/${program.id}/connections`, csrf, {
    platform: 'stripe',
    secretKey: stack.stripe.apiKey,
    webhookSigningSecret: webhookSecret,
    apiBaseUrl: stack.stripe.url,
  }, 201);
  const coupon = await call<{ id: string }>(merchant, 'POST', `/api/programs/${program.id}/coupons`, csrf, {
    name: 'Partner 20% off',
    discountType: 'percent',
    percentOffBps: 2000,
    connectionIds: [connection.id],
  }, 201);

  await test.step('the merchant invites the partner and assigns a code', async () => {
    const invited = await call<{ id: string }>(merchant, 'POST', `/api/programs/${program.id}/partners`, csrf, partner, 201);
    await call(merchant, 'POST', `/api/coupons/${coupon.id}/promotion-codes`, csrf, { code: 'GRACE20', partnerId: invited.id, restrictions: { maxRedemptions: 100 } }, 201);
  });

  await test.step('the invitation mail is in the development mailbox', async () => {
    await page.goto(`${stack.portalUrl}/dev/mailbox`);
    const mail = page.getByRole('article', { name: new RegExp(`invited to the Coffee partners partner program, to ${partner.email}`) });
    await expect(mail).toBeVisible();
    await shot(page, '01-dev-mailbox');
    await mail.getByRole('link', { name: /accept-invitation\?token=/ }).click();
  });

  await test.step('the partner sets a password', async () => {
    await expect(page.getByRole('heading', { name: 'Welcome! Choose your password' })).toBeVisible();
    await page.getByRole('textbox', { name: 'New password', exact: true }).fill(password);
    await page.getByRole('textbox', { name: 'New password again' }).fill(password);
    await shot(page, '02-set-password');
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await expect(page).toHaveURL(/\/codes$/);
  });

  await test.step('the partner sees the assigned code and copies it', async () => {
    const card = page.getByRole('article', { name: 'Code GRACE20' });
    await expect(card.getByText('20% off, 100 uses left', { exact: true })).toBeVisible();
    await expect(card.getByText('Active', { exact: true })).toBeVisible();
    await card.getByRole('button', { name: 'Copy code GRACE20' }).click();
    await expect(card.getByRole('button', { name: 'Copied code GRACE20' })).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('GRACE20');
    await shot(page, '03-codes-copied');
    await page.getByRole('button', { name: 'Copy referral link' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(new RegExp(`^${stack.apiUrl}/r/[a-z0-9-]+$`));
  });

  await test.step('a signed Stripe order webhook with GRACE20 arrives', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = stripeCheckoutCompleted({
      eventId: `evt_portal_e2e_${now}`,
      sessionId: `cs_portal_e2e_${now}`,
      paymentIntentId: `pi_portal_e2e_${now}`,
      amountSubtotal: 10_000,
      amountDiscount: 2_000,
      amountTotal: 8_000,
      currency: 'usd',
      promotionCodeId: `promo_portal_e2e_${now}`,
      promotionCode: 'GRACE20',
      email: 'customer@example.com',
      created: now,
    });
    const delivery = signedStripeWebhook({ payload, secret: webhookSecret });
    const response = await fetch(`${stack.apiUrl}/webhooks/stripe/${connection.id}`, { method: 'POST', headers: delivery.headers, body: delivery.rawBody });
    expect(response.status, await response.text()).toBe(200);
  });

  await test.step('the portal shows the order and the pending commission', async () => {
    await page.getByRole('link', { name: 'Results' }).click();
    await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();
    const commissions = page.getByRole('region', { name: 'Commissions' });
    // The worker processes the webhook asynchronously: reload until the commission is there.
    await expect(async () => {
      await page.reload();
      await expect(commissions.getByRole('row').filter({ hasText: 'GRACE20' })).toBeVisible({ timeout: 2_000 });
    }, 'the order should reach the portal as a pending commission within 60 s (needs the worker\'s webhook -> sale -> commission pipeline)').toPass({ timeout: 60_000 });
    const row = commissions.getByRole('row').filter({ hasText: 'GRACE20' });
    await expect(row.getByRole('cell', { name: '$80.00' })).toBeVisible();
    await expect(row.getByRole('cell', { name: '$8.00' })).toBeVisible();
    await expect(row.getByText('Pending')).toBeVisible();
    const totals = page.getByRole('group', { name: 'Totals' });
    await expect(totals.getByText('Orders').locator('..')).toContainText('1');
    await expect(totals.getByText('Pending commission').locator('..')).toContainText('$8.00');
    await expect(page.getByRole('figure', { name: 'Clicks, orders and commission per day' }).locator('svg').first()).toBeVisible();
    await shot(page, '04-results');
  });

  await test.step('phone width', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.getByRole('link', { name: 'My codes' }).click();
    await expect(page.getByRole('article', { name: 'Code GRACE20' })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'the codes page should not scroll sideways on a phone').toBeLessThanOrEqual(0);
    await shot(page, '05-phone-codes');
    await page.getByRole('link', { name: 'Results' }).click();
    await expect(page.getByRole('group', { name: 'Totals' })).toBeVisible();
    await shot(page, '06-phone-results');
  });

  await test.step('sign out and back in on the program\'s page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Partner sign-in' })).toBeVisible();
    await expect(page.getByText('Coffee partners')).toBeVisible();
    await page.getByLabel('Email').fill(partner.email);
    await page.getByLabel('Password').fill(password);
    await shot(page, '07-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'My codes' })).toBeVisible();
  });

  await merchant.dispose();
});
