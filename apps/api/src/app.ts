import Fastify, { type FastifyReply, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import type { Db } from '@codetrack/db';
import type { JobProducer } from '@codetrack/db/jobs';
import type { ApiConfig } from './config.ts';
import { createMailer, type Mailer } from './lib/mailer.ts';
import { apiKeyRoutes } from './modules/api-keys/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { memberRoutes } from './modules/members/routes.ts';
import { programRoutes } from './modules/programs/routes.ts';
import { partnerRoutes } from './modules/partners/routes.ts';
import { referralRoutes } from './modules/referrals/routes.ts';
import { connectionRoutes } from './modules/connections/routes.ts';
import { couponRoutes } from './modules/coupons/routes.ts';
import { promotionCodeRoutes } from './modules/promotion-codes/routes.ts';
import { salesRoutes } from './modules/sales/routes.ts';
import { syncRoutes } from './modules/sync/routes.ts';
import { webhookRoutes } from './modules/webhooks/routes.ts';
import { workspaceRoutes } from './modules/workspace/routes.ts';
import { portalRoutes } from './modules/portal/routes.ts';
import { devRoutes } from './modules/dev/routes.ts';
import { authPlugin, SESSION_COOKIE, PORTAL_COOKIE } from './plugins/auth.ts';
import { errorsPlugin } from './plugins/errors.ts';
import { unstorableTextPlugin } from './plugins/unstorable-text.ts';

export type AppDeps = {
  config: ApiConfig;
  db: Db;
  redis: Redis;
  jobs: JobProducer;
  logger?: FastifyServerOptions['logger'];
  /** Where the API's own logger (level and redaction from the config) writes instead of stdout. */
  logStream?: DestinationStream;
  /** Defaults to SMTP when configured, else the development mailbox. */
  mailer?: Mailer;
};

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobProducer;
    config: ApiConfig;
    mailer: Mailer;
  }
}

/** Builds the API: external plugins, then ours, then the routes (the order fastify/demo uses). */
export async function buildApp(deps: AppDeps) {
  const { config } = deps;
  const app = Fastify({
    logger: deps.logger ?? {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    ajv: undefined,
    // The router answers a malformed percent escape or an over-long path parameter before any
    // hook or error handler runs: give those our error format too.
    frameworkErrors: (error, _req, reply) => {
      const badUrl = error.code === 'FST_ERR_BAD_URL';
      void (reply as FastifyReply)
        .code(error.statusCode ?? 400)
        .send({ error: { code: badUrl ? 'bad_url' : 'path_parameter_too_long', message: badUrl ? 'The URL is not valid (a malformed percent escape)' : 'A path parameter is too long' } });
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('jobs', deps.jobs);
  app.decorate('config', config);
  app.decorate('mailer', deps.mailer ?? createMailer(config.mail, deps.db));

  // External plugins.
  await app.register(helmet, {
    // The Swagger UI at /docs needs its own scripts and styles; everything else is JSON.
    contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'style-src': ["'self'", 'https:', "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } },
  });
  await app.register(cors, { origin: config.appOrigins, credentials: true });
  await app.register(cookie, { secret: config.cookieSecret });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, signed: true },
    // Tokens are bound to the session, so a token from another session is useless.
    getUserInfo: (req) => (req.principal && 'sessionId' in req.principal ? req.principal.sessionId : ''),
    csrfOpts: { hmacKey: config.cookieSecret },
  });
  await app.register(rateLimit, {
    global: false,
    redis: deps.redis,
    nameSpace: `${config.redis.prefix}:rate-limit:`,
    // After validation, so the key can use the parsed body (login is limited per address + email).
    hook: 'preHandler',
    errorResponseBuilder: (_req, ctx) => {
      const err = new Error(`Too many attempts; try again in ${ctx.after}`) as Error & { statusCode: number };
      err.statusCode = 429;
      return err;
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Codetrack API', version: '1.0.0', description: 'Partner programs tracked by promotion codes.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          portalSession: { type: 'apiKey', in: 'cookie', name: PORTAL_COOKIE },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  // Our plugins.
  await app.register(errorsPlugin);
  await app.register(unstorableTextPlugin);
  await app.register(authPlugin, { db: deps.db });

  // Routes.
  await app.register(healthRoutes, { redis: deps.redis });
  await app.register(authRoutes, {
    session: { ttlMs: config.sessionTtlMs, secureCookies: config.secureCookies },
    loginRateLimit: config.loginRateLimit,
    signupRateLimit: config.signupRateLimit,
  });
  await app.register(apiKeyRoutes);
  await app.register(memberRoutes);
  await app.register(workspaceRoutes);
  await app.register(auditRoutes);
  await app.register(programRoutes);
  await app.register(partnerRoutes);
  await app.register(referralRoutes);
  await app.register(connectionRoutes);
  await app.register(couponRoutes);
  await app.register(promotionCodeRoutes);
  await app.register(syncRoutes);
  await app.register(webhookRoutes);
  await app.register(salesRoutes);
  await app.register(portalRoutes, { session: { ttlMs: config.sessionTtlMs, secureCookies: config.secureCookies }, loginRateLimit: config.loginRateLimit, signupRateLimit: config.signupRateLimit });
  // The development mailbox shows every sent mail to anyone: it must not exist in production.
  if (config.env !== 'production') await app.register(devRoutes);

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
