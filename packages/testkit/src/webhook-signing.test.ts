import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { signPaddlePayload, signStripePayload } from './webhook-signing.ts';

describe('webhook signing', () => {
  it('signs Stripe payloads so the SDK verifier accepts them', () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'checkout.session.completed' });
    const header = signStripePayload({ payload, secret: 'whsec_test' });
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = new Stripe('sk_test_x').webhooks.constructEvent(payload, header, 'whsec_test');
    expect(event.id).toBe('evt_1');
    expect(() => new Stripe('sk_test_x').webhooks.constructEvent(payload, header, 'whsec_other')).toThrow();
  });

  it('uses the given Stripe timestamp', () => {
    const header = signStripePayload({ payload: '{}', secret: 's', timestamp: 1_700_000_000 });
    const expected = createHmac('sha256', 's').update('1700000000.{}').digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
  });

  it('signs Paddle payloads as ts=...;h1=HMAC(secret, ts:body)', () => {
    const body = '{"event_id":"evt_01"}';
    const header = signPaddlePayload({ body, secret: 'pdl_ntfset_secret', ts: 1_700_000_000 });
    const expected = createHmac('sha256', 'pdl_ntfset_secret').update(`1700000000:${body}`).digest('hex');
    expect(header).toBe(`ts=1700000000;h1=${expected}`);
    expect(signPaddlePayload({ body, secret: 'x' })).toMatch(/^ts=\d+;h1=[0-9a-f]{64}$/);
  });
});
