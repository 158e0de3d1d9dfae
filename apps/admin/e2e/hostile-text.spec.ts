import { expect, test } from '@playwright/test';
import { readStack } from './stack.ts';

const stack = readStack();

// Names typed as markup (issue 8, item 3): the API stores them verbatim, the app must show them
// as text. Rendered as HTML, any of them would create an element and set window.__xss.
const names = {
  user: '<img src=x onerror="window.__xss=1">',
  workspace: '<svg onload="window.__xss=2">',
  program: '<script>window.__xss=3</script> partners',
  partner: '<img src=x onerror="window.__xss=4"> Smith',
};

test('names written as markup are shown as text and never run', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  // Set up through the API in the page's context, so the browser shares the session cookie.
  const signup = await page.request.post(`${stack.adminUrl}/api/auth/signup`, {
    data: { email: `markup-${Date.now()}@shop.test`, password: 'a-long-enough-password', name: names.user, workspaceName: names.workspace },
  });
  expect(signup.status(), await signup.text()).toBe(201);
  const headers = { 'x-csrf-token': ((await signup.json()) as { csrfToken: string }).csrfToken };
  const program = await page.request.post(`${stack.adminUrl}/api/programs`, {
    headers,
    data: { name: names.program, currency: 'usd', landingUrl: 'https://shop.example.test/', commission: { type: 'percent', value: 1000 } },
  });
  expect(program.status(), await program.text()).toBe(201);
  const programId = ((await program.json()) as { id: string }).id;
  const partner = await page.request.post(`${stack.adminUrl}/api/programs/${programId}/partners`, {
    headers,
    data: { email: `markup-${Date.now()}@partners.test`, name: names.partner },
  });
  expect(partner.status(), await partner.text()).toBe(201);
  const partnerId = ((await partner.json()) as { id: string }).id;

  const pages: [string, string[]][] = [
    ['/programs', [names.workspace, names.program]],
    [`/programs/${programId}/partners`, [names.partner]],
    [`/programs/${programId}/partners/${partnerId}`, [names.partner]],
    ['/settings/members', [names.user]],
  ];
  for (const [path, shown] of pages) {
    await test.step(path, async () => {
      await page.goto(`${stack.adminUrl}${path}`);
      for (const text of shown) await expect(page.getByText(text, { exact: true }).first(), `${text} on ${path}`).toBeVisible();
      // An injected <img src=x> fails to load and runs its handler after the page settles.
      await page.waitForLoadState('networkidle');
      expect(await page.locator('img[src="x"], svg[onload], [onerror]').count(), `an element from a name on ${path}`).toBe(0);
      expect(await page.locator('script', { hasText: '__xss' }).count(), `a script from a name on ${path}`).toBe(0);
      expect(await page.evaluate(() => (window as Window & { __xss?: unknown }).__xss), `a name ran as script on ${path}`).toBeUndefined();
    });
  }
  expect(dialogs).toEqual([]);
});
