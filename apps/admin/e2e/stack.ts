/** What scripts/e2e-stack.ts reported (see global-setup.ts). */
export type Stack = {
  apiUrl: string;
  adminUrl: string;
  portalUrl: string | null;
  stripe: { url: string; apiKey: string };
};

export function readStack(): Stack {
  const raw = process.env.E2E_STACK;
  if (!raw) throw new Error('E2E_STACK is not set: run the tests through playwright.config.ts (its globalSetup starts the stack)');
  return JSON.parse(raw) as Stack;
}
