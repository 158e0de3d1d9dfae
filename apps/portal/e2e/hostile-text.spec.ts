import { expect, request, test } from '@playwright/test';
import { readStack } from './stack.ts';

const stack = readStack();

// Names typed as markup (issue 8, item 3): the API stores them verbatim, the portal must show them
// as text. Rendered as HTML, either would create an element and set window.__xss.
const names = {
  program: '<img src=x onerror="window.__xss=1"> partners',
  partner: '<script>window.__xss=2</script> Smith',
};

test('program and partner names written as markup are shown as text and never run', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  // The merchant side goes through the API; the partner's session is set in the page's context.
  const merchant = await request.newContext({ baseURL: stack.apiUrl });
  const signup = await merchant.post('/api/auth/signup', {
    data: { email: `markup-${Date.now()}@shop.test`, password: 'merchant-password-123', name: 'Mia Merchant', workspaceName: 'Markup shop' },
  });
  expect(signup.status(), await signup.text()).toBe(201);
  const headers = { 'x-csrf-token': ((await signup.json()) as { csrfToken: string }).csrfToken };
  const program = await merchant.post('/api/programs', {
    headers,
    data: { name: names.program, currency: 'usd', landingUrl: 'https://shop.example.test/', commission: { type: 'percent', value: 1000 } },
  });
  expect(program.status(), await program.text()).toBe(201);
  const programId = ((await program.json()) as { id: string }).id;
  const invited = await merchant.post(`/api/programs/${programId}/partners`, {
    headers,
    data: { email: `markup-${Date.now()}@partners.test`, name: names.partner },
  });
  expect(invited.status(), await invited.text()).toBe(201);
  const token = ((await invited.json()) as { invitation: { token: string } }).invitation.token;

  const check = async (where: string) => {
    // An injected <img src=x> fails to load and runs its handler after the page settles.
    await page.waitForLoadState('networkidle');
    expect(await page.locator('img[src="x"], [onerror]').count(), `an element from a name on ${where}`).toBe(0);
    expect(await page.locator('script', { hasText: '__xss' }).count(), `a script from a name on ${where}`).toBe(0);
    expect(await page.evaluate(() => (window as Window & { __xss?: unknown }).__xss), `a name ran as script on ${where}`).toBeUndefined();
  };

  await test.step('the program\'s sign-in page and the invitation mail', async () => {
    await page.goto(`${stack.portalUrl}/?program=${programId}`);
    await expect(page.getByText(names.program, { exact: true }).first()).toBeVisible();
    await check('the sign-in page');
    await page.goto(`${stack.portalUrl}/dev/mailbox`);
    await expect(page.getByText(names.program).first()).toBeVisible();
    await check('the development mailbox');
  });

  const accepted = await page.request.post(`${stack.portalUrl}/api/portal/invitations/accept`, { data: { token, password: 'partner-password-123' } });
  expect(accepted.status(), await accepted.text()).toBe(200);

  for (const path of ['/codes', '/results', '/profile']) {
    await test.step(path, async () => {
      await page.goto(`${stack.portalUrl}${path}`);
      await expect(page.getByText(names.program, { exact: true }).first()).toBeVisible();
      await expect(page.getByText(names.partner, { exact: true }).first()).toBeVisible();
      await check(path);
    });
  }
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveValue(names.partner);
  expect(dialogs).toEqual([]);
});
