import * as z from 'zod/mini';

// zod/mini rather than zod: this runs in the entry chunk, where every kilobyte counts.
const Env = z.object({
  VITE_API_BASE_URL: z.optional(
    z.union([
      z.literal(''),
      z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL such as https://api.example.com' }),
    ]),
  ),
});

export type Config = {
  /** Origin of the API, without a trailing slash; '' means same origin (dev proxy or reverse proxy). */
  apiBaseUrl: string;
};

/** Checks the build-time environment and throws one readable error listing every problem. */
export function parseConfig(env: Record<string, unknown>): Config {
  const parsed = z.safeParse(Env, env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`Invalid environment:\n- ${problems.join('\n- ')}`);
  }
  return { apiBaseUrl: (parsed.data.VITE_API_BASE_URL ?? '').replace(/\/+$/, '') };
}

export const config = parseConfig(import.meta.env);
