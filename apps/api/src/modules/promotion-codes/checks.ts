import { findPlatformsRejectingCode, findReservedWord, generateRandomCode, normalizeCode, suggestFreeCodes, validateCodeFormat, type Platform } from '@codetrack/core';
import type { CodeCheck } from '@codetrack/contracts';
import type { TenantDb } from '@codetrack/db';

type Problem = CodeCheck['problems'][number];

/** Everything wrong with a code for a coupon syncing to `platforms`, before touching the database. */
export function findCodeProblems(code: string, platforms: Platform[], reservedWords: string[]): Problem[] {
  const normalized = normalizeCode(code);
  const problems: Problem[] = validateCodeFormat(normalized).map((p) => ({ code: p.problem, message: p.message }));
  for (const r of findPlatformsRejectingCode(normalized, platforms)) {
    problems.push({ code: 'rejected_by_platform', platform: r.platform, message: r.reason });
  }
  const reserved = findReservedWord(normalized, reservedWords);
  if (reserved) problems.push({ code: 'reserved_word', message: `Codes may not contain the reserved word "${reserved.toUpperCase()}".` });
  return problems;
}

/**
 * Two or three free alternatives to a taken code that every platform of the coupon accepts. The
 * codes sharing the prefix are loaded once, so the check per candidate is a set look-up.
 */
export async function suggestCodes(db: TenantDb, code: string, platforms: Platform[], reservedWords: string[]): Promise<string[]> {
  const base = normalizeCode(code).replace(/[^A-Z0-9_-]/g, '').slice(0, 24);
  const rows = await db.promotionCode.findMany({ where: { normalizedCode: { startsWith: base } }, select: { normalizedCode: true } });
  const taken = new Set(rows.map((r) => r.normalizedCode));
  const acceptable = (c: string) => !taken.has(c) && findCodeProblems(c, platforms, reservedWords).length === 0;
  const suggestions = suggestFreeCodes({ code: base, isTaken: (c) => !acceptable(c), count: 3 });
  // Platforms that refuse '-' (Paddle) get letters-and-digits suffixes instead.
  for (let attempt = 0; suggestions.length < 2 && attempt < 20; attempt++) {
    const candidate = `${base.replace(/[-_]/g, '')}${generateRandomCode({ length: 3 })}`.slice(0, 32);
    if (acceptable(candidate) && !suggestions.includes(candidate)) suggestions.push(candidate);
  }
  return suggestions;
}
