import { describe, expect, it } from 'vitest';
import { parseNestedParams, startEmulatorServer } from './emulator-server.ts';

describe('parseNestedParams', () => {
  it('builds nested objects and arrays from bracket keys', () => {
    const params = new URLSearchParams('code=A&restrictions[minimum_amount]=5&restrictions[first_time_transaction]=true&expand[0]=data.promotion.coupon&expand[1]=x&tags[]=a&tags[]=b&metadata[k]=');
    expect(parseNestedParams(params)).toEqual({
      code: 'A',
      restrictions: { minimum_amount: '5', first_time_transaction: 'true' },
      expand: ['data.promotion.coupon', 'x'],
      tags: ['a', 'b'],
      metadata: { k: '' },
    });
  });
});

describe('startEmulatorServer', () => {
  async function start() {
    return startEmulatorServer({
      state: {},
      parseBody: (raw) => JSON.parse(raw) as unknown,
      parseQuery: (search) => Object.fromEntries(search),
      errorBody: (status) => ({ failed: status }),
      handle: (request) => ({ status: 200, body: { path: request.path } }),
    });
  }

  it('listens on 127.0.0.1, logs requests and injects failures only for matching requests', async () => {
    const emulator = await start();
    try {
      expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
      emulator.failNext({ status: 503, retryAfterSeconds: 3, times: 2, match: { path: '/b' } });
      const a = await fetch(`${emulator.url}/a`);
      const b1 = await fetch(`${emulator.url}/b`, { method: 'POST', body: JSON.stringify({ x: 1 }) });
      const b2 = await fetch(`${emulator.url}/b`);
      const b3 = await fetch(`${emulator.url}/b?q=1`);
      expect([a.status, b1.status, b2.status, b3.status]).toEqual([200, 503, 503, 200]);
      expect(b1.headers.get('retry-after')).toBe('3');
      expect(await b2.json()).toEqual({ failed: 503 });
      expect(emulator.requests.map((r) => [r.method, r.path, r.body, r.query])).toEqual([
        ['GET', '/a', null, {}],
        ['POST', '/b', { x: 1 }, {}],
        ['GET', '/b', null, {}],
        ['GET', '/b', null, { q: '1' }],
      ]);
    } finally {
      await emulator.close();
    }
  });

  it('delays without failing when only delayMs is given', async () => {
    const emulator = await start();
    try {
      emulator.failNext({ delayMs: 150 });
      const started = Date.now();
      const response = await fetch(`${emulator.url}/slow`);
      expect(response.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await emulator.close();
    }
  });

  it('answers 429 with Retry-After above the configured requests per second', async () => {
    const emulator = await start();
    try {
      emulator.setRateLimit(3);
      const statuses = await Promise.all([1, 2, 3, 4, 5].map(() => fetch(`${emulator.url}/x`).then((r) => [r.status, r.headers.get('retry-after')])));
      expect(statuses.filter(([s]) => s === 200)).toHaveLength(3);
      expect(statuses.filter(([s]) => s === 429)).toEqual([[429, '1'], [429, '1']]);
      emulator.setRateLimit(null);
      expect((await fetch(`${emulator.url}/x`)).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });
});
