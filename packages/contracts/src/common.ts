import { z } from 'zod';

/** The one error body every route answers with. `code` is stable; `message` is for people. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      suggestions: z.array(z.string()).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Platform = z.enum(['stripe', 'paddle', 'woocommerce', 'shopify']);
export type Platform = z.infer<typeof Platform>;

export const Role = z.enum(['owner', 'admin', 'viewer']);
export type Role = z.infer<typeof Role>;

/** ISO 4217 code, upper-case. */
export const Currency = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 currency code')
  .transform((c) => c.toUpperCase());

/** Money as integer minor units (cents) – never floats. */
export const MinorUnits = z.number().int().nonnegative().max(100_000_000_000);

// Postgres and Prisma store years 0001-9999; the stats' day arithmetic (a 30-day default range,
// the day after `to`) needs a year of headroom on each side. Outside it a date would pass
// validation and fail in the database with a 500.
const EARLIEST_STORABLE = Date.parse('0002-01-01T00:00:00.000Z');
const LATEST_STORABLE = Date.parse('9998-12-31T23:59:59.999Z');
const storable = (at: number) => at >= EARLIEST_STORABLE && at <= LATEST_STORABLE;
const outOfRange = 'must be a date between 0002-01-01 and 9998-12-31';

export const IsoDateTime = z.iso.datetime({ offset: true }).refine((text) => storable(Date.parse(text)), outOfRange);

/** A calendar day (YYYY-MM-DD), in the same storable range. */
export const IsoDay = z.iso.date().refine((text) => storable(Date.parse(`${text}T00:00:00.000Z`)), outOfRange);

export const Id = z.string().min(1).max(64);

/** Keyset pagination: `cursor` is opaque; `limit` 1..200. */
export const PageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
