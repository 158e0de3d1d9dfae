import type { ErrorBody } from '@codetrack/contracts';

export type FieldIssue = { path: string; message: string };

/** A failed API call: `code` is the API's stable error code, `status` 0 means no answer at all. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly details: FieldIssue[];
  readonly retryAfterSeconds: number | null;
  /** Alternatives the API proposes, e.g. free codes after promotion_code_taken. */
  readonly suggestions: string[];

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: FieldIssue[];
    retryAfterSeconds?: number | null;
    suggestions?: string[];
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.suggestions = init.suggestions ?? [];
  }

  /** The server's message for one form field; matches `email` as well as `body.email`. */
  fieldMessage(field: string): string | undefined {
    return this.details.find((d) => d.path === field || d.path.endsWith(`.${field}`))?.message;
  }
}

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Defaults to the token of the current session (see setCsrfToken) on unsafe methods. */
  csrfToken?: string;
  signal?: AbortSignal;
};

let apiBaseUrl = '';
let sessionCsrfToken: string | null = null;

/** Where the API is (see parseConfig); '' (the default) means the page's own origin. */
export function setApiBaseUrl(baseUrl: string): void {
  apiBaseUrl = baseUrl;
}

/** Remembers the session's CSRF token so every unsafe request sends it; null after sign-out. */
export function setCsrfToken(token: string | null): void {
  sessionCsrfToken = token;
}

/** fetch with the session cookie, JSON both ways, and every failure turned into an ApiError. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // No content-type without a body: Fastify rejects an empty body declared as JSON.
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const method = options.method ?? 'GET';
  const csrfToken = options.csrfToken ?? (method === 'GET' ? null : sessionCsrfToken);
  if (csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`${apiBaseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'include',
      signal: options.signal,
    });
  } catch (error) {
    // fetch rejects with a TypeError when there is no response (offline, DNS, CORS); an abort is
    // the caller's business and passes through unchanged.
    if (error instanceof TypeError) {
      throw new ApiError({ status: 0, code: 'network_error', message: 'The server could not be reached.' });
    }
    throw error;
  }

  const payload = await readJson(response);
  if (!response.ok) throw toApiError(response, payload);
  if (payload === invalidJson) {
    throw new ApiError({
      status: response.status,
      code: 'unexpected_response',
      message: 'The server sent an answer that could not be read.',
    });
  }
  return payload as T;
}

/** A CSV (or other text) download through the session, e.g. an export. */
export async function apiDownloadText(path: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${apiBaseUrl}${path}`, { credentials: 'include', headers: { accept: 'text/csv, application/json' } });
  } catch (error) {
    if (error instanceof TypeError) {
      throw new ApiError({ status: 0, code: 'network_error', message: 'The server could not be reached.' });
    }
    throw error;
  }
  if (response.ok) return response.text();
  throw toApiError(response, await readJson(response));
}

const invalidJson = Symbol('invalidJson');

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return invalidJson;
  }
}

function toApiError(response: Response, payload: unknown): ApiError {
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
  if (isErrorBody(payload)) {
    const { code, message, details, suggestions } = payload.error;
    return new ApiError({ status: response.status, code, message, details, retryAfterSeconds, suggestions });
  }
  return new ApiError({
    status: response.status,
    code: 'unexpected_response',
    message: `The server answered with status ${response.status}.`,
    retryAfterSeconds,
  });
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const { error } = value;
  if (typeof error !== 'object' || error === null) return false;
  if (!('code' in error) || typeof error.code !== 'string') return false;
  if (!('message' in error) || typeof error.message !== 'string') return false;
  if ('details' in error && error.details !== undefined) {
    return Array.isArray(error.details) && error.details.every(isFieldIssue);
  }
  return true;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return (
    typeof value === 'object' &&
    value !== null &&
    'path' in value &&
    typeof value.path === 'string' &&
    'message' in value &&
    typeof value.message === 'string'
  );
}

function parseRetryAfter(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim());
}

/** The server has no such route at all (a feature not deployed yet), as opposed to a missing record. */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.message.startsWith('No route for');
}
