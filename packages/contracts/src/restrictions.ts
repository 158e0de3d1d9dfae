import { z } from 'zod';
import { IsoDateTime, MinorUnits } from './common.ts';

/** Restrictions a promotion code carries. The platform enforces what it can; we enforce the rest
 * at attribution (see packages/integrations capabilities). */
export const Restrictions = z.object({
  firstTimeOnly: z.boolean().default(false),
  minimumAmount: MinorUnits.nullable().default(null),
  expiresAt: IsoDateTime.nullable().default(null),
  maxRedemptions: z.number().int().positive().max(1_000_000_000).nullable().default(null),
});
export type Restrictions = z.infer<typeof Restrictions>;

export const RestrictionName = z.enum(['firstTimeOnly', 'minimumAmount', 'expiresAt', 'maxRedemptions']);
export type RestrictionName = z.infer<typeof RestrictionName>;
