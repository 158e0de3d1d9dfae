import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '@codetrack/contracts';
import { errorResponses } from '../../lib/schemas.ts';
import { ConnectionCache, receiveWebhook } from './receive-webhook.ts';

const WebhookReceived = z.object({ received: z.literal(true), duplicate: z.boolean() });

/**
 * Webhook ingress. The signature covers the exact bytes, so in this plugin's scope (and only here)
 * every body is kept as a Buffer instead of being parsed: JSON from every platform, WooCommerce's
 * form-encoded ping, and whatever else a platform may send.
 */
export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const bodyLimit = app.config.webhooks.bodyLimit;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));

  const deps = { db: app.rawDb, jobs: app.jobs, keys: app.config.encryptionKeys, log: app.log, connections: new ConnectionCache(5_000) };

  app.post(
    '/webhooks/:platform/:connectionId',
    {
      bodyLimit,
      // Platforms, not browsers, call this route: browser security headers (CSP, frame and
      // referrer policies) mean nothing to them and cost time on every delivery.
      helmet: false,
      config: {
        access: 'public',
        rateLimit: {
          max: app.config.webhooks.rateLimitMax,
          timeWindow: 60_000,
          keyGenerator: (req) => `webhook:${(req.params as { connectionId?: string }).connectionId ?? ''}`,
          // The limiter counts in Redis. While Redis is down the delivery is still stored (Postgres
          // is the inbox, the sweeper enqueues it later), so let it through rather than answer 500:
          // refused deliveries pile up as platform retries, and WooCommerce disables a webhook
          // after a few failed deliveries in a row.
          skipOnError: true,
        },
      },
      schema: {
        tags: ['webhooks'],
        summary: 'Order and code events from a payment platform (signed with the connection\'s webhook secret)',
        params: z.object({ platform: z.string().max(32), connectionId: Id }),
        response: { 200: WebhookReceived, ...errorResponses(400, 401, 404, 413, 429, 503) },
      },
    },
    async (req) =>
      receiveWebhook(deps, {
        platform: req.params.platform,
        connectionId: req.params.connectionId,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        headers: req.headers,
      }),
  );
};
