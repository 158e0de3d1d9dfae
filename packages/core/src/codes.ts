import { createSecureRandom, pickIndex } from './random.ts';
import type { RandomSource } from './random.ts';

export type Platform = 'stripe' | 'paddle' | 'woocommerce' | 'shopify';

export const PLATFORMS: readonly Platform[] = ['stripe', 'paddle', 'woocommerce', 'shopify'];

export const CODE_MIN_LENGTH = 3;
export const CODE_MAX_LENGTH = 32;

/** Characters a promotion code may contain anywhere in our product (after normalisation). */
const OUR_CODE_CHARACTERS = /^[A-Za-z0-9_-]$/;

/** Readable alphabet for generated codes: no 0/O, 1/I/L, so codes survive being read aloud. */
export const READABLE_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Trims and upper-cases a code as typed; this is the form codes are unique in. */
export function normalizeCode(raw: string): string {
  return raw.trim().toUpperCase();
}

export type CodeFormatProblemKind = 'empty' | 'too_short' | 'too_long' | 'invalid_characters';

export interface CodeFormatProblem {
  problem: CodeFormatProblemKind;
  message: string;
}

/** Checks a code against our own rules (letters, digits, '-' and '_', 3 to 32 long); empty list = valid. */
export function validateCodeFormat(code: string): CodeFormatProblem[] {
  if (code.length === 0) {
    return [{ problem: 'empty', message: 'Enter a code.' }];
  }
  const problems: CodeFormatProblem[] = [];
  const characters = Array.from(code);
  if (characters.length < CODE_MIN_LENGTH) {
    problems.push({
      problem: 'too_short',
      message: `The code is ${characters.length} characters long; it needs at least ${CODE_MIN_LENGTH}.`,
    });
  }
  if (characters.length > CODE_MAX_LENGTH) {
    problems.push({
      problem: 'too_long',
      message: `The code is ${characters.length} characters long; the limit is ${CODE_MAX_LENGTH}.`,
    });
  }
  const invalid = uniqueInvalidCharacters(characters, OUR_CODE_CHARACTERS);
  if (invalid.length > 0) {
    problems.push({
      problem: 'invalid_characters',
      message: `The code contains ${describeCharacters(invalid)}; use only letters, digits, '-' and '_'.`,
    });
  }
  return problems;
}

export interface PlatformCodeRule {
  platform: Platform;
  label: string;
  /** Tests one character. */
  allowedCharacter: RegExp;
  allowedDescription: string;
  /** null when the platform documents no limit tighter than ours. */
  maxLength: number | null;
  /** How the platform stores the code; every platform matches codes case-insensitively. */
  storedCase: 'as_typed' | 'lower_case';
}

/** What each platform accepts as a code (see docs/PLATFORMS.md). */
export const platformCodeRules: Readonly<Record<Platform, PlatformCodeRule>> = {
  stripe: {
    platform: 'stripe',
    label: 'Stripe',
    allowedCharacter: /^[A-Za-z0-9-]$/,
    allowedDescription: "letters, digits and '-'",
    maxLength: null,
    storedCase: 'as_typed',
  },
  paddle: {
    platform: 'paddle',
    label: 'Paddle',
    allowedCharacter: /^[A-Za-z0-9]$/,
    allowedDescription: 'letters and digits',
    maxLength: 32,
    storedCase: 'as_typed',
  },
  woocommerce: {
    platform: 'woocommerce',
    label: 'WooCommerce',
    allowedCharacter: OUR_CODE_CHARACTERS,
    allowedDescription: "letters, digits, '-' and '_'",
    maxLength: null,
    storedCase: 'lower_case',
  },
  shopify: {
    platform: 'shopify',
    label: 'Shopify',
    allowedCharacter: OUR_CODE_CHARACTERS,
    allowedDescription: "letters, digits, '-' and '_'",
    maxLength: null,
    storedCase: 'as_typed',
  },
};

export interface PlatformRejection {
  platform: Platform;
  reason: string;
}

/** Lists the connected platforms that would refuse this code, each with a readable reason. */
export function findPlatformsRejectingCode(code: string, platforms: readonly Platform[]): PlatformRejection[] {
  const characters = Array.from(code);
  const rejections: PlatformRejection[] = [];
  for (const platform of new Set(platforms)) {
    const rule = platformCodeRules[platform];
    const reasons: string[] = [];
    const invalid = uniqueInvalidCharacters(characters, rule.allowedCharacter);
    if (invalid.length > 0) {
      reasons.push(`${rule.label} allows only ${rule.allowedDescription} in codes, not ${describeCharacters(invalid)}`);
    }
    if (rule.maxLength !== null && characters.length > rule.maxLength) {
      reasons.push(`${rule.label} allows at most ${rule.maxLength} characters, the code has ${characters.length}`);
    }
    if (reasons.length > 0) rejections.push({ platform, reason: reasons.join('; ') });
  }
  return rejections;
}

/** Returns the first reserved word (as listed) that the code contains, ignoring case; null if none. */
export function findReservedWord(code: string, reservedWords: readonly string[]): string | null {
  const haystack = code.toUpperCase();
  for (const word of reservedWords) {
    const needle = word.trim().toUpperCase();
    if (needle.length > 0 && haystack.includes(needle)) return word;
  }
  return null;
}

export interface GenerateRandomCodeOptions {
  length: number;
  random?: RandomSource;
  alphabet?: string;
}

/** Random code from the readable alphabet; pass `random` to make it deterministic in tests. */
export function generateRandomCode({ length, random = createSecureRandom(), alphabet = READABLE_CODE_ALPHABET }: GenerateRandomCodeOptions): string {
  if (!Number.isInteger(length) || length < 1 || length > CODE_MAX_LENGTH) {
    throw new RangeError(`length must be an integer from 1 to ${CODE_MAX_LENGTH}, got ${String(length)}`);
  }
  let code = '';
  for (let i = 0; i < length; i++) {
    code += alphabet[pickIndex(random, alphabet.length)];
  }
  return code;
}

export interface SuggestFreeCodesOptions {
  code: string;
  /** Synchronous check against normalised codes the caller already loaded. */
  isTaken: (normalizedCode: string) => boolean;
  count?: number;
  random?: RandomSource;
}

const NUMBERED_SUGGESTION_LIMIT = 20;
const RANDOM_SUGGESTION_ATTEMPTS = 50;
const RANDOM_SUFFIX_LENGTH = 4;

/**
 * Proposes free alternatives to a taken code: numbered ones first (SUMMER2, SUMMER3 ...; a
 * code ending in a digit gets a dash, JOHN20-2, because JOHN202 reads as a different number),
 * then SUMMER-7KQ2 style random ones. Every suggestion is a valid code and not taken.
 */
export function suggestFreeCodes({ code, isTaken, count = 3, random = createSecureRandom() }: SuggestFreeCodesOptions): string[] {
  const base = normalizeCode(code).replace(/[^A-Z0-9_-]/g, '');
  const suggestions: string[] = [];
  const seen = new Set<string>([base]);
  const offer = (candidate: string): void => {
    if (seen.has(candidate)) return;
    seen.add(candidate);
    if (validateCodeFormat(candidate).length === 0 && !isTaken(candidate)) suggestions.push(candidate);
  };
  if (base.length > 0) {
    const separator = /[0-9]$/.test(base) ? '-' : '';
    for (let n = 2; n <= NUMBERED_SUGGESTION_LIMIT + 1 && suggestions.length < count; n++) {
      offer(appendSuffix(base, `${separator}${n}`));
    }
  }
  for (let attempt = 0; attempt < RANDOM_SUGGESTION_ATTEMPTS && suggestions.length < count; attempt++) {
    const suffix = generateRandomCode({ length: RANDOM_SUFFIX_LENGTH, random });
    offer(base.length > 0 ? appendSuffix(base, `-${suffix}`) : suffix);
  }
  return suggestions;
}

/** Appends a suffix, shortening the base so the result stays within the length limit. */
export function appendSuffix(base: string, suffix: string, maxLength = CODE_MAX_LENGTH): string {
  const room = Math.max(0, maxLength - suffix.length);
  return `${base.slice(0, room)}${suffix}`;
}

function uniqueInvalidCharacters(characters: readonly string[], allowed: RegExp): string[] {
  const invalid = new Set<string>();
  for (const character of characters) {
    if (!allowed.test(character)) invalid.add(character);
  }
  return [...invalid];
}

function describeCharacters(characters: readonly string[]): string {
  return characters.map((c) => (c === ' ' ? 'spaces' : `'${c}'`)).join(', ');
}
