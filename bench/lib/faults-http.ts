// HTTP clients of `pnpm faults`: a webhook sender that retries like the platforms do (any non-2xx
// answer or a connection error is tried again, with backoff), and a small client for the merchant
// API that retries the same way where a retry is safe.

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Answers and failures seen by the retrying clients, by status code or error kind. */
export class Tally {
  readonly counts = new Map<string, number>();
  add(key: string) {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  get(key: string) {
    return this.counts.get(key) ?? 0;
  }
  /** "200 x4990, 503 x12, connection error x3" */
  format() {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} x${n}`).join(', ') || 'none';
  }
}

type Attempt = { status: number; body: string } | { error: string };

async function send(url: string, init: { method: string; headers: Record<string, string>; body?: string }, timeoutMs: number): Promise<Attempt> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = (error as Error).name;
    return { error: cause ?? (name === 'TimeoutError' ? 'timeout' : name) };
  }
}

export type RetryOptions = {
  /** Give up after this long (the whole run's deadline, not per try). */
  deadline: number;
  /** Statuses that end the retries as they are (e.g. 409 for an idempotent create). */
  accept?: (status: number) => boolean;
  tally: Tally;
  timeoutMs?: number;
};

/**
 * Sends until a 2xx (or an accepted status) arrives, as a payment platform redelivers a webhook:
 * exponential backoff from 100 ms to 2 s with jitter. `request` is called for every try, so a
 * signature can be made fresh each time. Returns the final answer and how many tries it took.
 */
export async function sendWithRetry(
  url: string,
  request: () => { method: string; headers: Record<string, string>; body?: string },
  options: RetryOptions,
): Promise<{ status: number | null; body: string; tries: number; lastError: string | null }> {
  for (let tries = 1; ; tries += 1) {
    const attempt = await send(url, request(), options.timeoutMs ?? 15_000);
    if ('status' in attempt) {
      options.tally.add(String(attempt.status));
      if ((attempt.status >= 200 && attempt.status < 300) || options.accept?.(attempt.status)) return { status: attempt.status, body: attempt.body, tries, lastError: null };
    } else {
      options.tally.add(attempt.error === 'timeout' ? 'timeout' : `connection error (${attempt.error})`);
    }
    if (Date.now() > options.deadline) {
      return { status: 'status' in attempt ? attempt.status : null, body: 'status' in attempt ? attempt.body : '', tries, lastError: 'error' in attempt ? attempt.error : null };
    }
    const backoff = Math.min(2_000, 100 * 2 ** Math.min(tries - 1, 5));
    await sleep(backoff / 2 + Math.random() * (backoff / 2));
  }
}

/** The merchant API over real HTTP, authenticated with an API key once it has one. */
export class ApiClient {
  headers: Record<string, string> = {};

  constructor(
    readonly baseUrl: string,
    private readonly tally: Tally,
  ) {}

  /** One JSON call without retries (setup, before any fault is injected). */
  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T; setCookies: string[] }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...this.headers, ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as T, setCookies: res.headers.getSetCookie() };
  }

  /** A call that must succeed with `expected`; anything else stops the run with the answer. */
  async expect<T>(expected: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const res = await this.call<T>(method, path, body, headers);
    if (res.status !== expected) throw new Error(`${method} ${path} answered ${res.status}, expected ${expected}: ${JSON.stringify(res.json)}`);
    return res.json;
  }

  /** A JSON call retried on any failure until `accept`ed or the deadline. */
  retrying(method: string, path: string, body: unknown, options: Omit<RetryOptions, 'tally'>) {
    return sendWithRetry(
      `${this.baseUrl}${path}`,
      () => ({ method, headers: { ...this.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      { ...options, tally: this.tally },
    );
  }
}
