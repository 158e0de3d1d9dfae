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

export const IsoDateTime = z.iso.datetime({ offset: true });

export const Id = z.string().min(1).max(64);

/** Keyset pagination: `cursor` is opaque; `limit` 1..200. */
export const PageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
