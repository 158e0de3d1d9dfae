import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPaddleEmulator } from './paddle-emulator.ts';
import type { PaddleEmulator } from './paddle-emulator.ts';

// The tests read arbitrary wire JSON; typing every Paddle response shape here would add nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = Record<string, any>;

describe('paddle emulator', () => {
  let emulator: PaddleEmulator;
  beforeEach(async () => {
    emulator = await startPaddleEmulator({ apiKey: 'pdl_key' });
  });
  afterEach(async () => {
    await emulator.close();
  });

  async function paddle(method: string, path: string, body?: unknown, auth = 'Bearer pdl_key') {
    const response = await fetch(path.startsWith('http') ? path : `${emulator.url}${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Wire };
  }

  const discount = (code: string, extra: Record<string, unknown> = {}) =>
    paddle('POST', '/discounts', { description: `d ${code}`, type: 'percentage', amount: '10', code, ...extra });

  it('answers bad credentials in Paddle\'s error envelope', async () => {
    const wrong = await paddle('GET', '/discounts', undefined, 'Bearer nope');
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({
      error: { type: 'request_error', code: 'invalid_token', detail: expect.any(String), documentation_url: expect.stringContaining('invalid_token') },
      meta: { request_id: expect.any(String) },
    });
    expect((await paddle('GET', '/discounts', undefined, '')).body.error.code).toBe('authentication_missing');
  });

  it('creates a discount and validates fields like Paddle', async () => {
    const created = await discount('SAVE10', { usage_limit: 5, expires_at: '2031-01-01T00:00:00.000Z', custom_data: { codetrack_id: 'pc_1' } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      id: expect.stringMatching(/^dsc_/),
      status: 'active',
      code: 'SAVE10',
      amount: '10',
      currency_code: null,
      usage_limit: 5,
      expires_at: '2031-01-01T00:00:00Z',
      custom_data: { codetrack_id: 'pc_1' },
    });
    const invalid = await paddle('POST', '/discounts', { type: 'flat', amount: '100', code: 'has-dash' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('invalid_field');
    expect(invalid.body.error.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['description', 'code']));
    const flatWithoutCurrency = await paddle('POST', '/discounts', { description: 'x', type: 'flat', amount: '100' });
    expect(flatWithoutCurrency.body.error.errors).toEqual([expect.objectContaining({ field: 'currency_code' })]);
  });

  it('answers a duplicate active code with 409 discount_code_conflict, in any case', async () => {
    await discount('TWICE');
    const clash = await discount('twice');
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ type: 'request_error', code: 'discount_code_conflict' });
  });

  it('archives via PATCH status and frees the code', async () => {
    const created = await discount('ARCHIVE');
    const archived = await paddle('PATCH', `/discounts/${created.body.data.id}`, { status: 'archived' });
    expect(archived.body.data.status).toBe('archived');
    expect((await discount('archive')).status).toBe(201);
    expect((await paddle('PATCH', `/discounts/${created.body.data.id}`, { status: 'active' })).status).toBe(409);
    expect((await paddle('PATCH', '/discounts/dsc_missing', { status: 'archived' })).status).toBe(404);
    expect((await paddle('PATCH', `/discounts/${created.body.data.id}`, { times_used: 3 })).status).toBe(400);
  });

  it('lists with per_page, after and a full next link, and filters code case-insensitively', async () => {
    const ids: string[] = [];
    for (const code of ['P1', 'P2', 'P3']) ids.push((await discount(code)).body.data.id);
    const page1 = await paddle('GET', '/discounts?per_page=2');
    expect(page1.body.data.map((d: { id: string }) => d.id)).toEqual(ids.slice(0, 2));
    expect(page1.body.meta.pagination).toEqual({ per_page: 2, next: `${emulator.url}/discounts?per_page=2&after=${ids[1]}`, has_more: true, estimated_total: 3 });
    const page2 = await paddle('GET', page1.body.meta.pagination.next);
    expect(page2.body.data.map((d: { id: string }) => d.id)).toEqual([ids[2]]);
    expect(page2.body.meta.pagination.has_more).toBe(false);

    expect((await paddle('GET', '/discounts?code=p2,P3')).body.data.map((d: { code: string }) => d.code)).toEqual(['P2', 'P3']);
    expect((await paddle('GET', `/discounts/${ids[0]}`)).body.data.code).toBe('P1');
  });

  it('answers injected 429s with Retry-After and 5xx as api_error', async () => {
    emulator.failNext({ status: 429, retryAfterSeconds: 4 });
    emulator.failNext({ status: 502 });
    const limited = await paddle('GET', '/discounts');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('4');
    expect(limited.body.error.code).toBe('too_many_requests');
    expect((await paddle('GET', '/discounts')).body.error).toMatchObject({ type: 'api_error', code: 'internal_error' });
  });
});
