/** What scripts/e2e-stack.ts reported (see global-setup.ts). */
export type Stack = {
  apiUrl: string;
  portalUrl: string;
  stripe: { url: string; apiKey: string };
};

export function readStack(): Stack {
  const raw = process.env.E2E_STACK;
  if (!raw) throw new Error('E2E_STACK is not set: run the tests through playwright.config.ts (its globalSetup starts the stack)');
  const stack = JSON.parse(raw) as Stack & { portalUrl: string | null };
  if (!stack.portalUrl) throw new Error('The stack serves no portal: global-setup.ts must start scripts/e2e-stack.ts with --portal');
  return stack;
}
