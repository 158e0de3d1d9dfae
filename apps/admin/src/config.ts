// zod is not a dependency of this app (only of @codetrack/contracts, which does not re-export it),
// so the few variables are checked by hand here. Nothing else reads import.meta.env.

export type Config = {
  /** Origin of the API, without a trailing slash; '' means same origin (dev proxy or reverse proxy). */
  apiBaseUrl: string;
};

/** Checks the build-time environment and throws one readable error listing every problem. */
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

export const config = parseConfig(import.meta.env);
