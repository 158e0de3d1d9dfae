import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorBody } from '@codetrack/contracts';
import { AppError } from '../lib/errors.ts';

type Detail = { path: string; message: string };

function fieldPath(context: string | undefined, instancePath: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  return [context ?? 'body', ...parts].join('.');
}

// Fastify's own client errors, in our stable codes.
const fastifyCodes: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_CSRF_INVALID_TOKEN: 'csrf_invalid',
  FST_CSRF_MISSING_SECRET: 'csrf_invalid',
};

const statusCodes: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

const friendlyMessages: Record<string, string> = {
  invalid_json: 'The request body is not valid JSON',
  payload_too_large: 'The request body is too large',
  csrf_invalid: 'Missing or invalid CSRF token: send the token from /api/me in the x-csrf-token header',
};

/** One error handler for the whole API: every failure leaves as `{error: {code, message}}`, and
 * 5xx details stay in the log. */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, req, reply) => {
      const send = (status: number, body: ErrorBody['error']) => reply.status(status).send({ error: body });

      if (hasZodFastifySchemaValidationErrors(err)) {
        const details: Detail[] = err.validation.map((v) => ({
          path: fieldPath(err.validationContext, v.instancePath),
          message: v.message ?? 'is invalid',
        }));
        const summary = details.map((d) => `${d.path} ${d.message}`).join('; ');
        return send(400, { code: 'validation_failed', message: `Invalid request: ${summary}`, details });
      }
      if (err instanceof AppError) {
        return send(err.status, { code: err.code, message: err.message, ...err.extra });
      }
      if (isResponseSerializationError(err)) {
        req.log.error({ err, cause: err.cause }, 'response did not match its schema');
        return send(500, { code: 'internal_error', message: 'Something went wrong on our side' });
      }
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const code = (err.code && fastifyCodes[err.code]) ?? statusCodes[status] ?? 'bad_request';
        if (status === 429 && err.message) return send(429, { code: 'rate_limited', message: err.message });
        return send(status, { code, message: friendlyMessages[code] ?? err.message });
      }
      if (isDatabaseUnavailable(err)) {
        req.log.error({ err }, 'database unavailable');
        return send(503, { code: 'unavailable', message: 'The service is temporarily unavailable; try again shortly' });
      }
      req.log.error({ err }, 'unhandled error');
      return send(500, { code: 'internal_error', message: 'Something went wrong on our side' });
    });

    app.setNotFoundHandler((req, reply) => {
      reply.status(404).send({ error: { code: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}` } });
    });
  },
  { name: 'errors' },
);

/** Connection failures to Postgres surface as several error shapes (pg, Prisma, driver adapter). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const text = `${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? ''}`;
  return /ECONNREFUSED|ECONNRESET|57P01|57P03|53300|Can't reach database|DatabaseNotReachable|connection terminated|Connection terminated|timeout exceeded when trying to connect/i.test(
    text,
  );
}
