import { randomBytes } from 'node:crypto';
import { REFERRAL_KEY_MAX_LENGTH, REFERRAL_KEY_MIN_LENGTH } from '@codetrack/contracts';
import type { TenantDb } from '@codetrack/db';

type Tx = Parameters<Parameters<TenantDb['$transaction']>[0]>[0];

/** Rounds of numbered candidates (`-2`, `-3`, …) before a random suffix ends a long streak of taken keys. */
const NUMBERED_ROUNDS = 10;
const MAX_ROUNDS = 20;

/** Lower-case, URL-safe slug of a name ("José Núñez" -> "jose-nunez"), or null when too short. */
export function slugifyReferralKey(text: string): string | null {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, REFERRAL_KEY_MAX_LENGTH)
    .replace(/-+$/, '');
  return slug.length >= REFERRAL_KEY_MIN_LENGTH ? slug : null;
}

/** The key a new partner asks for: from the name, else the email's local part, else "partner". */
export function deriveBaseReferralKey(name: string, email: string): string {
  return slugifyReferralKey(name) ?? slugifyReferralKey(email.split('@')[0] ?? '') ?? 'partner';
}

/** Candidate `attempt` for a base key: base, base-2, base-3, … (cut so the whole stays within 40). */
function numberKey(base: string, attempt: number): string {
  if (attempt === 0) return base;
  const suffix = `-${attempt + 1}`;
  return `${base.slice(0, REFERRAL_KEY_MAX_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
}

function randomKey(base: string): string {
  const suffix = `-${randomBytes(4).toString('hex')}`;
  return `${base.slice(0, REFERRAL_KEY_MAX_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/**
 * Hands out candidate keys that are distinct within one request: partners of one import with the
 * same name get base, base-2, base-3, … straight away instead of all asking for base.
 */
export function createKeyPlanner() {
  const tried = new Set<string>();
  const nextAttempt = new Map<string, number>();
  return {
    next(base: string, random = false): string {
      let key = random ? randomKey(base) : '';
      let attempt = nextAttempt.get(base) ?? 0;
      while (!key || tried.has(key)) key = random ? randomKey(base) : numberKey(base, attempt++);
      nextAttempt.set(base, attempt);
      tried.add(key);
      return key;
    },
  };
}

export type KeyPlanner = ReturnType<typeof createKeyPlanner>;

/**
 * Claims one exact key for a partner; false when it already exists. ON CONFLICT DO NOTHING leaves
 * the transaction usable (a failed insert would abort it) while the unique index still decides.
 */
export async function claimExactReferralKey(tx: Tx, claim: { key: string; programId: string; partnerId: string }): Promise<boolean> {
  const { count } = await tx.referralKey.createMany({ data: [claim] as never, skipDuplicates: true });
  return count === 1;
}

/** A partner waiting for a key: `key` is the planned first candidate, `base` what retries build on. */
export type KeyClaim = { partnerId: string; programId: string; base: string; key: string };

/**
 * Claims a free referral key for each partner and returns partnerId -> key. Keys are unique across
 * every workspace, which this tenant's accessor cannot read, so instead of checking first it
 * inserts with ON CONFLICT DO NOTHING (skipDuplicates) and keeps what came back: the unique index
 * decides, so two concurrent claims of one key cannot both win. Losers move on to base-2, base-3, …
 */
export async function claimReferralKeys(tx: Tx, planner: KeyPlanner, claims: KeyClaim[]): Promise<Map<string, string>> {
  const claimed = new Map<string, string>();
  let wanted = claims;
  for (let round = 1; wanted.length > 0; round++) {
    if (round > MAX_ROUNDS) throw new Error('could not find free referral keys');
    const inserted = await tx.referralKey.createManyAndReturn({
      data: wanted.map((c) => ({ key: c.key, partnerId: c.partnerId, programId: c.programId })) as never,
      skipDuplicates: true,
      select: { key: true, partnerId: true },
    });
    for (const row of inserted) claimed.set(row.partnerId, row.key);
    wanted = wanted.filter((c) => !claimed.has(c.partnerId)).map((c) => ({ ...c, key: planner.next(c.base, round >= NUMBERED_ROUNDS) }));
  }
  return claimed;
}

/** First and last name from a full name ("Ana María García" -> Ana / María García), so name tokens
 * in code patterns work for partners invited or imported with a single name field. */
export function splitName(name: string): { firstName: string | null; lastName: string | null } {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0 || name.includes(',')) return { firstName: parts[0]?.replace(/,$/, '') ?? null, lastName: null };
  return { firstName: parts[0] ?? null, lastName: parts.length > 1 ? parts.slice(1).join(' ') : null };
}
