// A load client in a worker thread, so the HTTP client's own work never runs on the event loop of
// an API served from the bench process. Closed loop: `concurrency` requests in flight, each sent
// as soon as the previous one on its lane answered, over keep-alive connections. Open loop (with
// `rate`): requests leave on a fixed schedule whether or not earlier ones have answered, so
// queueing shows in the latencies.
import { Worker as Thread } from 'node:worker_threads';

export type LoadRequest = { port: number; method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };
export type LoadResult = { ok: number; failed: number; seconds: number; latenciesMs: number[]; statuses: Record<string, number>; bytes: number };

// Plain JavaScript: the thread is started with eval, outside tsx.
const loadScript = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { requests, concurrency, maxSeconds, rate } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const statuses = {};
const latencies = [];
let ok = 0, failed = 0, bytes = 0;
function send(r) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const headers = r.body === undefined ? r.headers : { ...r.headers, 'content-length': Buffer.byteLength(r.body) };
    const req = http.request({ host: '127.0.0.1', port: r.port, method: r.method, path: r.path, headers, agent }, (res) => {
      res.on('data', (chunk) => { bytes += chunk.length; });
      res.on('end', () => {
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
        if (res.statusCode >= 200 && res.statusCode < 300) ok++; else failed++;
        resolve();
      });
    });
    req.on('error', () => { failed++; statuses.error = (statuses.error || 0) + 1; resolve(); });
    req.end(r.body);
  });
}
(async () => {
  const started = process.hrtime.bigint();
  const deadline = maxSeconds ? started + BigInt(Math.round(maxSeconds * 1e9)) : null;
  let next = 0;
  const more = () => next < requests.length && (deadline === null || process.hrtime.bigint() < deadline);
  if (rate) {
    const pending = [];
    const startedMs = Number(started) / 1e6;
    while (more()) {
      const wait = startedMs + next * (1000 / rate) - Number(process.hrtime.bigint()) / 1e6;
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(send(requests[next++]));
    }
    await Promise.all(pending);
  } else {
    await Promise.all(Array.from({ length: concurrency }, async () => { while (more()) await send(requests[next++]); }));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  parentPort.postMessage({ ok, failed, seconds, latenciesMs: latencies, statuses, bytes });
})();
`;

/** Sends the requests in order (closed loop, `concurrency` at a time; open loop at `rate` per second,
 * with `concurrency` as the socket limit) and reports latencies and statuses; with `maxSeconds`,
 * stops sending new ones once that much time has passed. */
export function runLoad(input: { requests: LoadRequest[]; concurrency: number; maxSeconds?: number; rate?: number }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const thread = new Thread(loadScript, { eval: true, workerData: input });
    thread.once('message', (result: LoadResult) => {
      void thread.terminate();
      resolve(result);
    });
    thread.once('error', reject);
  });
}
