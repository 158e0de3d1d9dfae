export type Config = {
  /** Origin of the API, without a trailing slash; '' means same origin (dev proxy or reverse proxy). */
  apiBaseUrl: string;
};

// Checked by hand, not with zod: this runs in each app's entry chunk, where zod/mini cost 16 KB
// gzip in the admin and 5 KB in the portal (150 KB budget) for one optional URL.

/**
 * Checks an app's build-time environment (`import.meta.env`) and throws one readable error listing
 * every problem. Each app calls it once at start; nothing else reads the environment.
 */
export function parseConfig(env: Record<string, unknown>): Config {
  const problems: string[] = [];

  const rawBaseUrl = env.VITE_API_BASE_URL;
  let apiBaseUrl = '';
  if (rawBaseUrl !== undefined && rawBaseUrl !== '') {
    if (typeof rawBaseUrl === 'string' && isHttpUrl(rawBaseUrl)) {
      apiBaseUrl = rawBaseUrl.replace(/\/+$/, '');
    } else {
      problems.push('VITE_API_BASE_URL must be an absolute http(s) URL such as https://api.example.com');
    }
  }

  if (problems.length > 0) {
    throw new Error(`Invalid environment:\n- ${problems.join('\n- ')}`);
  }
  return { apiBaseUrl };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
