import { expect, test, type Page } from '@playwright/test';
import { signedStripeWebhook, stripeCheckoutCompleted } from '../../../packages/testkit/src/index.ts';
import { readStack } from './stack.ts';

const stack = readStack();
const shots = '../../test-results/admin-screenshots';
const webhookSecret = 'whsec_e2e_signing_secret_0123456789';
const partners = [
  { name: 'John Smith', email: 'john@partners.test' },
  { name: 'Maria Garcia', email: 'maria@partners.test' },
  { name: 'Wei Chen', email: 'wei@partners.test' },
];

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

/** The session's CSRF token, for the API calls the test makes beside the UI. */
async function csrfToken(page: Page): Promise<string> {
  const me = await page.request.get(`${stack.adminUrl}/api/me`);
  expect(me.ok()).toBe(true);
  return ((await me.json()) as { csrfToken: string }).csrfToken;
}

test('a merchant goes from sign-up to an approved commission on a code sale', async ({ page }) => {
  const email = `merchant-${Date.now()}@shop.test`;

  await test.step('sign up', async () => {
    await page.goto(`${stack.adminUrl}/sign-up`);
    await page.getByLabel('Your name').fill('Grace Hopper');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByLabel('Workspace name').fill('Compiler Coffee');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { name: 'Programs' })).toBeVisible();
    await expect(page.getByText('Welcome to Codetrack')).toBeVisible();
  });

  let programId = '';
  await test.step('create a program', async () => {
    await page.getByRole('button', { name: 'New program' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New program' });
    await dialog.getByLabel('Program name').fill('Coffee partners');
    await dialog.getByLabel('Landing page URL').fill('https://coffee.example.com');
    await dialog.getByLabel('Commission (%)').fill('10');
    await dialog.getByLabel('Hold period (days)').fill('0');
    await shot(page, '01-new-program');
    await dialog.getByRole('button', { name: 'Create program' }).click();
    await page.waitForURL(/\/programs\/[^/]+\/integrations$/);
    programId = /\/programs\/([^/]+)\/integrations/.exec(page.url())?.[1] ?? '';
    expect(programId).not.toBe('');
  });

  let connectionId = '';
  await test.step('connect the Stripe emulator', async () => {
    await page.getByRole('button', { name: 'Connect a platform' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Connect a payment platform' });
    await dialog.getByLabel('Secret key').fill(stack.stripe.apiKey);
    await dialog.getByLabel('Webhook signing secret').fill(webhookSecret);
    await dialog.getByRole('button', { name: /Advanced/ }).click();
    await dialog.getByLabel('API address').fill(stack.stripe.url);
    await shot(page, '02-connect-stripe');
    await dialog.getByRole('button', { name: 'Connect Stripe' }).click();
    await page.waitForURL(/\/integrations\/[^/]+$/);
    connectionId = page.url().split('/').pop() ?? '';
    await expect(page.getByText(/^Connected to/)).toBeVisible();
    await expect(page.getByText('Signing secret saved: deliveries are verified.')).toBeVisible();
    await expect(page.getByText(`${stack.apiUrl}/webhooks/stripe/${connectionId}`)).toBeVisible();
    await shot(page, '03-connection');
  });

  await test.step('add partners through the API', async () => {
    const token = await csrfToken(page);
    for (const partner of partners) {
      const response = await page.request.post(`${stack.adminUrl}/api/programs/${programId}/partners`, {
        headers: { 'x-csrf-token': token },
        data: partner,
      });
      expect(response.status(), await response.text()).toBe(201);
    }
    await page.getByRole('link', { name: 'Partners' }).click();
    await expect(page.getByRole('table', { name: 'Partners' }).getByRole('row')).toHaveCount(partners.length + 1);
    await shot(page, '04-partners');
  });

  await test.step('create a coupon synced to Stripe', async () => {
    await page.getByRole('link', { name: 'Coupons' }).click();
    await page.getByRole('button', { name: 'New coupon' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'New coupon' });
    await dialog.getByLabel('Coupon name').fill('Partner 20% off');
    await dialog.getByLabel('Discount (%)').fill('20');
    await expect(dialog.getByRole('checkbox', { name: /Stripe/ })).toBeChecked();
    await expect(dialog.getByRole('table', { name: 'Where each restriction is enforced' })).toBeVisible();
    await shot(page, '05-new-coupon');
    await dialog.getByRole('button', { name: 'Create coupon' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('link', { name: 'Partner 20% off' })).toBeVisible();
  });

  await test.step('bulk-generate one code per partner', async () => {
    await page.getByRole('link', { name: 'Promotion codes' }).click();
    await page.getByRole('button', { name: 'Generate codes' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Generate codes for partners' });
    await expect(dialog.getByLabel('Pattern')).toHaveValue('{FIRSTNAME}{AMOUNT}');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.getByRole('region', { name: 'Preview' });
    await expect(preview.getByText('3 codes')).toBeVisible();
    await expect(preview.getByRole('cell', { name: 'JOHN20' })).toBeVisible();
    await shot(page, '06-bulk-preview');
    await dialog.getByRole('button', { name: 'Generate codes' }).click();
    await expect(dialog.getByText(/^Done: 3 of 3/)).toBeVisible({ timeout: 30_000 });
    await page.keyboard.press('Escape');
  });

  await test.step('codes are shown as synced to Stripe', async () => {
    const table = page.getByRole('table', { name: 'Promotion codes' });
    await expect(table.getByRole('row')).toHaveCount(partners.length + 1);
    await expect(
      table.locator('[data-sync-state="synced"]'),
      'every code should reach "Stripe: synced" (needs the worker sync of issue 4)',
    ).toHaveCount(partners.length, { timeout: 60_000 });
    await shot(page, '07-codes-synced');
  });

  await test.step('a signed Stripe order webhook with JOHN20 arrives', async () => {
    const found = await fetch(`${stack.stripe.url}/v1/promotion_codes?code=JOHN20`, { headers: { authorization: `Bearer ${stack.stripe.apiKey}` } });
    const list = (await found.json()) as { data: { id: string; code: string }[] };
    const promotionCode = list.data.find((p) => p.code === 'JOHN20');
    expect(promotionCode, 'JOHN20 should exist in the Stripe emulator').toBeTruthy();
    const payload = stripeCheckoutCompleted({
      eventId: `evt_e2e_${Date.now()}`,
      sessionId: `cs_e2e_${Date.now()}`,
      amountSubtotal: 10_000,
      amountDiscount: 2_000,
      amountTotal: 8_000,
      currency: 'usd',
      promotionCodeId: promotionCode?.id ?? null,
      promotionCode: 'JOHN20',
      email: 'customer@example.com',
      created: Math.floor(Date.now() / 1000),
    });
    const delivery = signedStripeWebhook({ payload, secret: webhookSecret });
    const response = await fetch(`${stack.apiUrl}/webhooks/stripe/${connectionId}`, { method: 'POST', headers: delivery.headers, body: delivery.rawBody });
    expect(response.status, await response.text()).toBe(200);
  });

  await test.step('the sale appears with "code" as its source', async () => {
    await page.getByRole('link', { name: 'Sales' }).click();
    const sales = page.getByRole('table', { name: 'Sales' });
    await expect(sales.locator('[data-source="code"]'), 'the sale should appear, attributed by code (needs the worker webhook processing)').toBeVisible({
      timeout: 60_000,
    });
    await expect(sales.getByRole('cell', { name: 'John Smith' })).toBeVisible();
    await sales.getByRole('button', { name: /Explain order/ }).click();
    const drawer = page.getByRole('dialog', { name: 'Why this sale was attributed' });
    await expect(drawer.getByText('Credited to John Smith')).toBeVisible();
    await expect(drawer.getByText('won')).toBeVisible();
    await shot(page, '08-sale-explanation');
    await page.keyboard.press('Escape');
  });

  await test.step('approve the commission', async () => {
    await page.getByRole('link', { name: 'Commissions' }).click();
    const table = page.getByRole('table', { name: 'Commissions' });
    const row = table.locator('[data-commission-status="pending"]');
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell', { name: '$8.00', exact: true })).toBeVisible();
    await row.getByRole('checkbox').check();
    await page.getByRole('region', { name: 'Bulk actions' }).getByRole('button', { name: 'Approve' }).click();
    await expect(page.getByText('1 commission approved.')).toBeVisible();
    await expect(table.locator('[data-commission-status="approved"]')).toHaveCount(1);
    await shot(page, '09-commission-approved');
  });

  await test.step('dashboard and phone width', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await expect(page.getByText('Revenue', { exact: true })).toBeVisible();
    await expect(page.getByRole('img', { name: /Revenue and commissions per day/ })).toBeVisible();
    await shot(page, '10-dashboard');
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${stack.adminUrl}/programs/${programId}/codes`);
    await expect(page.getByRole('table', { name: 'Promotion codes' })).toBeVisible();
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await expect(page.getByRole('navigation', { name: 'Program' })).toBeVisible();
    await shot(page, '11-phone-navigation');
  });
});
