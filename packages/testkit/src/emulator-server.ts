import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The plumbing every platform emulator shares: a real HTTP server on 127.0.0.1, a request log,
 * injected failures (`failNext`) and an optional requests-per-second limit. Each emulator supplies
 * only its wire format: how to parse a body, how its errors look, and its routes.
 */

/** One injected failure. Without `status` (and without `dropConnection`) the request is only delayed. */
export type FailureSpec = {
  /** HTTP status to answer with (401, 429, 500, 503...). The body is the platform's error shape. */
  status?: number;
  /** Sent as `Retry-After` (seconds). */
  retryAfterSeconds?: number;
  /** How many consecutive matching requests fail. Default 1. */
  times?: number;
  /** Wait this long before answering (or before handling normally when no status is given). */
  delayMs?: number;
  /** Destroy the socket without answering (a network failure). */
  dropConnection?: boolean;
  /** Only requests matching this fail; others pass through untouched. */
  match?: { method?: string; path?: string | RegExp };
};

export type LoggedRequest = {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  body: unknown;
  rawBody: string;
  at: Date;
};

export type EmulatorRequest = LoggedRequest & { url: URL };

export type EmulatorReply = { status: number; body: unknown; headers?: Record<string, string> };

export type EmulatorHandle<TState> = {
  url: string;
  port: number;
  state: TState;
  /** Every request received, in order, including ones answered with an injected failure. */
  requests: LoggedRequest[];
  failNext(spec: FailureSpec): void;
  /** Requests per second before answering 429 with Retry-After; null disables the limit. */
  setRateLimit(perSecond: number | null): void;
  close(): Promise<void>;
};

export type EmulatorDefinition<TState> = {
  state: TState;
  parseBody(raw: string, headers: IncomingHttpHeaders): unknown;
  parseQuery(search: URLSearchParams): Record<string, unknown>;
  /** The platform's error body for an injected or rate-limit failure. */
  errorBody(status: number): unknown;
  handle(request: EmulatorRequest, baseUrl: string): EmulatorReply | Promise<EmulatorReply>;
  rateLimitPerSecond?: number | null;
};

type PendingFailure = FailureSpec & { remaining: number };

function matches(failure: PendingFailure, method: string, path: string): boolean {
  const match = failure.match;
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method) return false;
  if (typeof match.path === 'string' && match.path !== path) return false;
  if (match.path instanceof RegExp && !match.path.test(path)) return false;
  return true;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: EmulatorReply): void {
  const payload = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...reply.headers,
  });
  res.end(payload);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts an emulator on 127.0.0.1 with a random port. */
export async function startEmulatorServer<TState>(definition: EmulatorDefinition<TState>): Promise<EmulatorHandle<TState>> {
  const requests: LoggedRequest[] = [];
  const failures: PendingFailure[] = [];
  let rateLimit = definition.rateLimitPerSecond ?? null;
  let windowStart = 0;
  let windowCount = 0;
  let baseUrl = '';

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', baseUrl);
      const method = (req.method ?? 'GET').toUpperCase();
      let body: unknown = null;
      let parseError = false;
      try {
        body = raw.length > 0 ? definition.parseBody(raw, req.headers) : null;
      } catch {
        parseError = true;
      }
      const logged: LoggedRequest = {
        method,
        path: url.pathname,
        query: definition.parseQuery(url.searchParams),
        headers: req.headers,
        body,
        rawBody: raw,
        at: new Date(),
      };
      requests.push(logged);

      const failure = failures.find((f) => matches(f, method, url.pathname));
      if (failure) {
        failure.remaining -= 1;
        if (failure.remaining <= 0) failures.splice(failures.indexOf(failure), 1);
        if (failure.delayMs) await sleep(failure.delayMs);
        if (failure.dropConnection) {
          req.socket.destroy();
          return;
        }
        if (failure.status !== undefined) {
          const headers: Record<string, string> = {};
          if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
          send(res, { status: failure.status, body: definition.errorBody(failure.status), headers });
          return;
        }
      }

      if (rateLimit !== null) {
        const now = Date.now();
        if (now - windowStart >= 1000) {
          windowStart = now;
          windowCount = 0;
        }
        windowCount += 1;
        if (windowCount > rateLimit) {
          const retryAfter = Math.max(1, Math.ceil((windowStart + 1000 - now) / 1000));
          send(res, { status: 429, body: definition.errorBody(429), headers: { 'retry-after': String(retryAfter) } });
          return;
        }
      }

      if (parseError) {
        send(res, { status: 400, body: definition.errorBody(400) });
        return;
      }
      const reply = await definition.handle({ ...logged, url }, baseUrl);
      send(res, reply);
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: definition.errorBody(500) });
      console.error('emulator handler failed', error);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    state: definition.state,
    requests,
    failNext(spec) {
      failures.push({ ...spec, remaining: spec.times ?? 1 });
    },
    setRateLimit(perSecond) {
      rateLimit = perSecond;
      windowStart = 0;
      windowCount = 0;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}

/** Parses `a[b][c]=1&list[0]=x` (form bodies and query strings) into nested objects and arrays. */
export function parseNestedParams(params: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [fullKey, value] of params) {
    const first = fullKey.indexOf('[');
    const path = first === -1 ? [fullKey] : [fullKey.slice(0, first), ...[...fullKey.slice(first).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? '')];
    let node: Record<string, unknown> | unknown[] = root;
    path.forEach((segment, index) => {
      const last = index === path.length - 1;
      const nextSegment = path[index + 1];
      const key = Array.isArray(node) ? (segment === '' ? node.length : Number(segment)) : segment;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[key] = value;
        return;
      }
      if (typeof container[key] !== 'object' || container[key] === null) {
        container[key] = nextSegment === '' || /^\d+$/.test(nextSegment ?? '') ? [] : {};
      }
      node = container[key] as Record<string, unknown> | unknown[];
    });
  }
  return root;
}

let idCounter = 0;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A platform-looking id; the counter prefix keeps ids sortable by creation order. */
export function makeId(prefix: string, length = 24): string {
  idCounter += 1;
  let random = '';
  for (let i = 0; i < length - 6; i += 1) random += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return `${prefix}${String(idCounter).padStart(6, '0')}${random}`;
}
