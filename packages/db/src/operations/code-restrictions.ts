import type { CodeRestrictionsInput, DefaultRestrictions } from '@codetrack/contracts';

export type RestrictionColumns = {
  firstTimeOnly: boolean;
  minimumAmount: number | null;
  minimumAmountCurrency: string | null;
  expiresAt: Date | null;
  maxRedemptions: number | null;
};

/** A code's restrictions: the coupon's defaults, overridden field by field by the request. The
 * minimum amount is in the coupon's currency (fixed discounts) or else the program's. */
export function resolveRestrictions(defaults: DefaultRestrictions, input: CodeRestrictionsInput, currency: string): RestrictionColumns {
  const pick = <K extends keyof CodeRestrictionsInput>(key: K) => (input[key] !== undefined ? input[key] : defaults[key]);
  const minimumAmount = pick('minimumAmount') ?? null;
  const expiresAt = pick('expiresAt') ?? null;
  return {
    firstTimeOnly: pick('firstTimeOnly') ?? false,
    minimumAmount,
    minimumAmountCurrency: minimumAmount == null ? null : currency,
    expiresAt: expiresAt ? new Date(expiresAt) : null,
    maxRedemptions: pick('maxRedemptions') ?? null,
  };
}

/** Problems a person can fix, for restrictions that parse but make no sense. */
export function checkRestrictionValues(r: RestrictionColumns, now = new Date()): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (r.expiresAt && r.expiresAt <= now) problems.push({ path: 'body.restrictions.expiresAt', message: 'must be in the future' });
  return problems;
}
