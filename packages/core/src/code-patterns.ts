import { CODE_MAX_LENGTH, CODE_MIN_LENGTH, READABLE_CODE_ALPHABET, appendSuffix, generateRandomCode } from './codes.ts';
import { createSeededRandom } from './random.ts';
import type { RandomSource } from './random.ts';
import { getCurrencyFractionDigits } from './money.ts';

export type NameTokenKind = 'firstName' | 'lastName' | 'name';

export type PatternSegment =
  | { kind: 'literal'; text: string }
  | { kind: NameTokenKind }
  | { kind: 'partnerKey' }
  | { kind: 'amount' }
  | { kind: 'random'; length: number };

export type PatternProblemKind =
  | 'empty'
  | 'unclosed_token'
  | 'unmatched_brace'
  | 'unknown_token'
  | 'random_length'
  | 'missing_amount'
  | 'no_varying_token'
  | 'too_few_combinations'
  | 'too_long'
  | 'too_short';

export interface PatternProblem {
  problem: PatternProblemKind;
  message: string;
}

export const RANDOM_TOKEN_MIN_LENGTH = 2;
export const RANDOM_TOKEN_MAX_LENGTH = 12;
const DEFAULT_RANDOM_LENGTH = 4;

const NAME_TOKENS: Readonly<Record<string, PatternSegment>> = {
  FIRSTNAME: { kind: 'firstName' },
  LASTNAME: { kind: 'lastName' },
  NAME: { kind: 'name' },
  PARTNERKEY: { kind: 'partnerKey' },
  AMOUNT: { kind: 'amount' },
};

const TOKEN_LABELS: Readonly<Record<NameTokenKind | 'partnerKey', { token: string; field: string }>> = {
  firstName: { token: '{FIRSTNAME}', field: 'first name' },
  lastName: { token: '{LASTNAME}', field: 'last name' },
  name: { token: '{NAME}', field: 'name' },
  partnerKey: { token: '{PARTNERKEY}', field: 'partner key' },
};

// Letters that NFKD does not decompose into an ASCII base letter plus marks.
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ß: 'SS', ẞ: 'SS', Æ: 'AE', æ: 'AE', Œ: 'OE', œ: 'OE', Ø: 'O', ø: 'O', Đ: 'D', đ: 'D', Ð: 'D', ð: 'D',
  Ł: 'L', ł: 'L', Þ: 'TH', þ: 'TH', ı: 'I', Ħ: 'H', ħ: 'H',
};
const TRANSLITERATION_PATTERN = new RegExp(`[${Object.keys(TRANSLITERATIONS).join('')}]`, 'g');

/** Turns free text into code characters: accents to ASCII, upper-case, anything else dropped. */
export function sanitizeCodePart(text: string): string {
  // Fast path for the common plain-ASCII name; bulk generation calls this for every partner.
  if (/^[A-Za-z0-9_-]*$/.test(text)) return text.toUpperCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(TRANSLITERATION_PATTERN, (c) => TRANSLITERATIONS[c] ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9_-]/g, '');
}

export interface ParsedPattern {
  segments: PatternSegment[];
  problems: PatternProblem[];
}

/** Splits a pattern into literal text and tokens; token names are case-insensitive. */
export function parsePattern(pattern: string): ParsedPattern {
  const segments: PatternSegment[] = [];
  const problems: PatternProblem[] = [];
  let literal = '';
  const flushLiteral = (): void => {
    const text = sanitizeCodePart(literal);
    if (text.length > 0) segments.push({ kind: 'literal', text });
    literal = '';
  };
  let index = 0;
  while (index < pattern.length) {
    const character = pattern[index] ?? '';
    if (character === '}') {
      problems.push({ problem: 'unmatched_brace', message: `There is a '}' without a matching '{' at position ${index + 1}.` });
      index++;
      continue;
    }
    if (character !== '{') {
      literal += character;
      index++;
      continue;
    }
    const close = pattern.indexOf('}', index + 1);
    const nextOpen = pattern.indexOf('{', index + 1);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      problems.push({ problem: 'unclosed_token', message: `The token starting at position ${index + 1} is missing its closing '}'.` });
      index++;
      continue;
    }
    flushLiteral();
    const raw = pattern.slice(index + 1, close);
    const segment = parseToken(raw, problems);
    if (segment) segments.push(segment);
    index = close + 1;
  }
  flushLiteral();
  return { segments, problems };
}

function parseToken(raw: string, problems: PatternProblem[]): PatternSegment | null {
  const name = raw.trim().toUpperCase();
  const known = NAME_TOKENS[name];
  if (known) return known;
  const random = /^RANDOM(\d*)$/.exec(name);
  if (random) {
    const length = random[1] ? Number(random[1]) : DEFAULT_RANDOM_LENGTH;
    if (length < RANDOM_TOKEN_MIN_LENGTH || length > RANDOM_TOKEN_MAX_LENGTH) {
      problems.push({
        problem: 'random_length',
        message: `{${raw}} asks for ${length} random characters; use {RANDOM${RANDOM_TOKEN_MIN_LENGTH}} to {RANDOM${RANDOM_TOKEN_MAX_LENGTH}}.`,
      });
      return null;
    }
    return { kind: 'random', length };
  }
  problems.push({
    problem: 'unknown_token',
    message: `{${raw}} is not a known token; use {FIRSTNAME}, {LASTNAME}, {NAME}, {PARTNERKEY}, {AMOUNT} or {RANDOM4} (2 to 12).`,
  });
  return null;
}

export interface ValidatePatternOptions {
  /** How many partners the pattern will be used for; more than one requires a varying token. */
  partnerCount?: number;
  /** The value {AMOUNT} expands to, e.g. "20" for 20% off. */
  amountLabel?: string | null;
}

/** Everything wrong with a pattern before any code is generated; empty list = usable. */
export function validatePattern(pattern: string, options: ValidatePatternOptions = {}): PatternProblem[] {
  if (pattern.trim().length === 0) {
    return [{ problem: 'empty', message: 'Enter a pattern, for example {FIRSTNAME}{AMOUNT}.' }];
  }
  const { segments, problems } = parsePattern(pattern);
  const partnerCount = options.partnerCount ?? 1;
  const amountLabel = sanitizeCodePart(options.amountLabel ?? '');
  const usesAmount = segments.some((s) => s.kind === 'amount');
  if (usesAmount && amountLabel.length === 0) {
    problems.push({ problem: 'missing_amount', message: 'The pattern uses {AMOUNT} but the coupon has no amount to fill it with.' });
  }
  const hasPartnerToken = segments.some((s) => isPartnerSegment(s));
  const randomLength = segments.reduce((sum, s) => sum + (s.kind === 'random' ? s.length : 0), 0);
  if (partnerCount > 1 && !hasPartnerToken && randomLength === 0) {
    problems.push({
      problem: 'no_varying_token',
      message: 'Every partner would get the same code; add {PARTNERKEY}, a name token or a {RANDOM4} token.',
    });
  } else if (!hasPartnerToken && randomLength > 0 && READABLE_CODE_ALPHABET.length ** randomLength < partnerCount) {
    problems.push({
      problem: 'too_few_combinations',
      message: `{RANDOM${randomLength}} allows only ${READABLE_CODE_ALPHABET.length ** randomLength} different codes for ${partnerCount} partners; use more random characters.`,
    });
  }
  const fixedLength = segments.reduce((sum, s) => sum + fixedSegmentLength(s, amountLabel), 0);
  if (fixedLength > CODE_MAX_LENGTH) {
    problems.push({
      problem: 'too_long',
      message: `Codes from this pattern would be at least ${fixedLength} characters long; the limit is ${CODE_MAX_LENGTH}.`,
    });
  }
  if (!hasPartnerToken && problems.length === 0 && fixedLength < CODE_MIN_LENGTH) {
    problems.push({
      problem: 'too_short',
      message: `Codes from this pattern would be ${fixedLength} characters long; they need at least ${CODE_MIN_LENGTH}.`,
    });
  }
  return problems;
}

function isPartnerSegment(segment: PatternSegment): boolean {
  return segment.kind === 'firstName' || segment.kind === 'lastName' || segment.kind === 'name' || segment.kind === 'partnerKey';
}

function fixedSegmentLength(segment: PatternSegment, amountLabel: string): number {
  switch (segment.kind) {
    case 'literal':
      return segment.text.length;
    case 'random':
      return segment.length;
    case 'amount':
      return amountLabel.length;
    default:
      return 0;
  }
}

export interface AmountLabelInput {
  discountType: 'percent' | 'fixed';
  percentOffBps?: number | null;
  amountOff?: number | null;
  currency?: string | null;
}

/** The {AMOUNT} text for a coupon: 20% -> "20", 12.5% -> "12_5", $10.00 -> "10", $10.50 -> "10_50". */
export function deriveAmountLabel(input: AmountLabelInput): string {
  if (input.discountType === 'percent') {
    const bps = input.percentOffBps ?? 0;
    return joinWholeAndFraction(Math.trunc(bps / 100), bps % 100, 2, true);
  }
  const amount = input.amountOff ?? 0;
  const digits = input.currency ? getCurrencyFractionDigits(input.currency) : 2;
  const scale = 10 ** digits;
  return joinWholeAndFraction(Math.trunc(amount / scale), amount % scale, digits, false);
}

// '_' stands in for the decimal point, which codes cannot contain.
function joinWholeAndFraction(whole: number, fraction: number, digits: number, stripTrailingZeros: boolean): string {
  if (fraction === 0 || digits === 0) return String(whole);
  const text = String(fraction).padStart(digits, '0');
  return `${whole}_${stripTrailingZeros ? text.replace(/0+$/, '') : text}`;
}

export interface PatternPartner {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  name?: string | null;
  referralKey?: string | null;
}

export interface GenerateCodesInput {
  pattern: string;
  partners: readonly PatternPartner[];
  amountLabel?: string | null;
  /** Normalised codes already in use in the workspace (including disabled and deleted ones). */
  taken: ReadonlySet<string>;
  seed: number | string;
}

export interface GeneratedCode {
  partnerId: string;
  code: string;
}

export interface CodeCollision {
  partnerId: string;
  wanted: string;
  resolvedTo: string;
}

export interface CodeGenerationFailure {
  partnerId: string;
  reason: string;
}

export interface GenerateCodesResult {
  results: GeneratedCode[];
  collisions: CodeCollision[];
  failures: CodeGenerationFailure[];
}

export class InvalidPatternError extends Error {
  readonly problems: PatternProblem[];
  constructor(problems: PatternProblem[]) {
    super(`Invalid code pattern: ${problems.map((p) => p.message).join(' ')}`);
    this.name = 'InvalidPatternError';
    this.problems = problems;
  }
}

const RANDOM_REROLLS = 8;

export type CodeGenerationStep =
  | { kind: 'code'; partnerId: string; code: string; wanted: string }
  | { kind: 'failure'; partnerId: string; reason: string };

export interface CodeGeneratorOptions {
  pattern: string;
  amountLabel?: string | null;
  /** Normalised codes already in use in the workspace (including disabled and deleted ones). */
  taken: ReadonlySet<string>;
  seed: number | string;
  /** How many partners will be fed in, for the pattern's capacity check. */
  partnerCount: number;
}

/**
 * The incremental form of generateCodesForPartners: feed partners one at a time, in a stable
 * order, and each gets its code at once. Lets bulk generation stream partners page by page and
 * write as it goes, so memory holds one page plus the set of codes handed out, not every partner.
 * Feeding the same partners in the same order gives exactly generateCodesForPartners' output.
 * Throws InvalidPatternError when validatePattern fails.
 */
export function createCodeGenerator(options: CodeGeneratorOptions): (partner: PatternPartner) => CodeGenerationStep {
  const amountLabel = sanitizeCodePart(options.amountLabel ?? '');
  const problems = validatePattern(options.pattern, { partnerCount: options.partnerCount, amountLabel });
  if (problems.length > 0) throw new InvalidPatternError(problems);
  const { segments } = parsePattern(options.pattern);
  const hasRandom = segments.some((s) => s.kind === 'random');
  const fields = fieldsOfSegments(segments);
  const random = createSeededRandom(options.seed);
  const taken = options.taken;
  const assigned = new Set<string>();
  const isUsed = (code: string): boolean => taken.has(code) || assigned.has(code);
  // Next numbered suffix to try per base code, so a thousand JOHNs cost a thousand checks, not a million.
  const nextSuffix = new Map<string, number>();
  const sanitized = new Map<string, string>();

  return (partner) => {
    const values = resolvePartnerValues(partner, fields, sanitized);
    if (typeof values === 'string') return { kind: 'failure', partnerId: partner.id, reason: values };
    const wanted = expandSegments(segments, values, amountLabel, random);
    if (typeof wanted !== 'string') return { kind: 'failure', partnerId: partner.id, reason: wanted.reason };
    let code = wanted;
    for (let attempt = 0; hasRandom && isUsed(code) && attempt < RANDOM_REROLLS; attempt++) {
      const rerolled = expandSegments(segments, values, amountLabel, random);
      if (typeof rerolled === 'string') code = rerolled;
    }
    if (isUsed(code)) {
      let n = nextSuffix.get(wanted) ?? 2;
      do {
        code = appendSuffix(wanted, `-${n}`);
        n++;
      } while (isUsed(code));
      nextSuffix.set(wanted, n);
    }
    assigned.add(code);
    return { kind: 'code', partnerId: partner.id, code, wanted };
  };
}

/**
 * Expands a pattern for many partners at once. Codes never collide with `taken` or with each
 * other; a collision gets a numbered suffix (JOHN20-2, JOHN20-3 ...) or, when the pattern has
 * random tokens, fresh random characters first. Same input and seed give the same output.
 * Linear in the number of partners. Throws InvalidPatternError when validatePattern fails.
 */
export function generateCodesForPartners(input: GenerateCodesInput): GenerateCodesResult {
  const next = createCodeGenerator({ ...input, partnerCount: input.partners.length });
  const output: GenerateCodesResult = { results: [], collisions: [], failures: [] };
  for (const partner of input.partners) {
    const step = next(partner);
    if (step.kind === 'failure') {
      output.failures.push({ partnerId: step.partnerId, reason: step.reason });
      continue;
    }
    output.results.push({ partnerId: step.partnerId, code: step.code });
    if (step.code !== step.wanted) output.collisions.push({ partnerId: step.partnerId, wanted: step.wanted, resolvedTo: step.code });
  }
  return output;
}

type PartnerValues = Partial<Record<NameTokenKind | 'partnerKey', string>>;
export type PartnerField = NameTokenKind | 'partnerKey';

function fieldsOfSegments(segments: readonly PatternSegment[]): PartnerField[] {
  return [...new Set(segments.map((s) => s.kind).filter((kind): kind is PartnerField => kind === 'firstName' || kind === 'lastName' || kind === 'name' || kind === 'partnerKey'))];
}

/** The partner fields a pattern reads, so bulk generation loads only those. */
export function partnerFieldsOf(pattern: string): PartnerField[] {
  return fieldsOfSegments(parsePattern(pattern).segments);
}

function readPartnerField(partner: PatternPartner, field: PartnerField): string | null | undefined {
  switch (field) {
    case 'firstName':
      return partner.firstName;
    case 'lastName':
      return partner.lastName;
    case 'name':
      return partner.name;
    case 'partnerKey':
      return partner.referralKey;
  }
}

function resolvePartnerValues(
  partner: PatternPartner,
  fields: readonly PartnerField[],
  sanitized: Map<string, string>,
): PartnerValues | string {
  const values: PartnerValues = {};
  for (const field of fields) {
    const raw = readPartnerField(partner, field) ?? '';
    // First names repeat a lot across partners, and Unicode normalisation is the costly step.
    let value = sanitized.get(raw);
    if (value === undefined) {
      value = sanitizeCodePart(raw);
      sanitized.set(raw, value);
    }
    if (value.length === 0) {
      const label = TOKEN_LABELS[field];
      return `The partner has no ${label.field} usable in a code (the pattern uses ${label.token}).`;
    }
    values[field] = value;
  }
  return values;
}

function expandSegments(
  segments: readonly PatternSegment[],
  values: PartnerValues,
  amountLabel: string,
  random: RandomSource,
): string | { reason: string } {
  const parts: string[] = [];
  let length = 0;
  for (const segment of segments) {
    let part: string;
    switch (segment.kind) {
      case 'literal':
        part = segment.text;
        break;
      case 'amount':
        part = amountLabel;
        break;
      case 'random':
        part = generateRandomCode({ length: segment.length, random });
        break;
      default:
        part = values[segment.kind] ?? '';
    }
    parts.push(part);
    length += part.length;
  }
  // Long names are shortened (last name token first) rather than failing: the literal text,
  // amount, key and random part carry the merchant's intent, a name only needs to be recognisable.
  for (let i = segments.length - 1; i >= 0 && length > CODE_MAX_LENGTH; i--) {
    const segment = segments[i];
    const part = parts[i];
    if (!segment || part === undefined || !(segment.kind === 'firstName' || segment.kind === 'lastName' || segment.kind === 'name')) continue;
    const keep = Math.max(1, part.length - (length - CODE_MAX_LENGTH));
    parts[i] = part.slice(0, keep);
    length -= part.length - keep;
  }
  const code = parts.join('');
  if (code.length > CODE_MAX_LENGTH) {
    return { reason: `The code would be ${code.length} characters long; the limit is ${CODE_MAX_LENGTH}.` };
  }
  if (code.length < CODE_MIN_LENGTH) {
    return { reason: `The code "${code}" is shorter than ${CODE_MIN_LENGTH} characters.` };
  }
  return code;
}
