import { createHmac } from 'node:crypto';
import Stripe from 'stripe';

/** The `Stripe-Signature` header value for a payload, exactly as Stripe signs it (t=...,v1=...). */
export function signStripePayload(input: { payload: string; secret: string; timestamp?: number }): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload: input.payload,
    secret: input.secret,
    timestamp: input.timestamp ?? Math.floor(Date.now() / 1000),
  });
}

/** The `Paddle-Signature` header value: `ts=<unix>;h1=<hex HMAC-SHA256(secret, "<ts>:<body>")>`. */
export function signPaddlePayload(input: { body: string; secret: string; ts?: number }): string {
  const ts = input.ts ?? Math.floor(Date.now() / 1000);
  const h1 = createHmac('sha256', input.secret).update(`${ts}:${input.body}`).digest('hex');
  return `ts=${ts};h1=${h1}`;
}
