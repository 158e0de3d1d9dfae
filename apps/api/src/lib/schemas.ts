import { ErrorBody } from '@codetrack/contracts';

/** Response schemas for the error codes a route can answer with, in the one error format. */
export function errorResponses<const S extends readonly number[]>(...statuses: S) {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as { [K in S[number]]: typeof ErrorBody };
}

/** Errors every authenticated route can produce. */
export const authErrors = errorResponses(400, 401, 403, 404, 429);

export const toIso = (d: Date) => d.toISOString();
export const toIsoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);
