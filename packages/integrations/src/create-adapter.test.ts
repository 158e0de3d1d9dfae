import { describe, expect, it } from 'vitest';
import { createAdapter, PlatformError } from './index.ts';

describe('createAdapter', () => {
  it('builds the Stripe and Paddle adapters with their capabilities', () => {
    const stripe = createAdapter({ platform: 'stripe', apiBaseUrl: 'http://127.0.0.1:9', credentials: { secretKey: 'sk_test_x' } });
    expect(stripe.platform).toBe('stripe');
    expect(stripe.capabilities).toMatchObject({ couponHoldsCodes: true, firstTimeOnly: true, minimumAmount: true });

    const paddle = createAdapter({ platform: 'paddle', apiBaseUrl: null, credentials: { apiKey: 'pdl_x' } });
    expect(paddle.platform).toBe('paddle');
    expect(paddle.capabilities).toMatchObject({ couponHoldsCodes: false, firstTimeOnly: false, minimumAmount: false, codeMaxLength: 32 });
  });

  it('refuses a connection without its key as unauthorized', () => {
    expect(() => createAdapter({ platform: 'stripe', apiBaseUrl: null, credentials: {} })).toThrow(PlatformError);
    expect(() => createAdapter({ platform: 'paddle', apiBaseUrl: null, credentials: {} })).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });
});
