import { describe, it, expect } from 'vitest';
import {
  InvalidPatternError,
  deriveAmountLabel,
  generateCodesForPartners,
  parsePattern,
  sanitizeCodePart,
  validatePattern,
} from './code-patterns.ts';
import type { PatternPartner } from './code-patterns.ts';
import { validateCodeFormat } from './codes.ts';

function problemsOf(pattern: string, options?: Parameters<typeof validatePattern>[1]): string[] {
  return validatePattern(pattern, options).map((p) => p.problem);
}

describe('sanitizeCodePart', () => {
  it('transliterates accents and removes spaces and punctuation', () => {
    expect(sanitizeCodePart('José Núñez')).toBe('JOSENUNEZ');
    expect(sanitizeCodePart("O'Brien")).toBe('OBRIEN');
    expect(sanitizeCodePart('Zoë-Ann')).toBe('ZOE-ANN');
  });

  it('handles letters that do not decompose', () => {
    expect(sanitizeCodePart('Straße')).toBe('STRASSE');
    expect(sanitizeCodePart('Łukasz Søren Æsir')).toBe('LUKASZSORENAESIR');
  });

  it('drops scripts with no ASCII form', () => {
    expect(sanitizeCodePart('山田')).toBe('');
  });

  it('folds compatibility characters like full-width letters', () => {
    expect(sanitizeCodePart('ＡＢＣ１')).toBe('ABC1');
  });
});

describe('parsePattern', () => {
  it('splits literals and tokens, case-insensitively', () => {
    expect(parsePattern('{firstName}-{AMOUNT}off{random6}').segments).toEqual([
      { kind: 'firstName' },
      { kind: 'literal', text: '-' },
      { kind: 'amount' },
      { kind: 'literal', text: 'OFF' },
      { kind: 'random', length: 6 },
    ]);
  });

  it('treats a bare {RANDOM} as four random characters', () => {
    expect(parsePattern('X{RANDOM}').segments).toEqual([{ kind: 'literal', text: 'X' }, { kind: 'random', length: 4 }]);
  });

  it('sanitizes literal text', () => {
    expect(parsePattern('été {NAME}!').segments).toEqual([{ kind: 'literal', text: 'ETE' }, { kind: 'name' }]);
  });
});

describe('validatePattern', () => {
  it('accepts a usual pattern', () => {
    expect(validatePattern('{FIRSTNAME}{AMOUNT}', { partnerCount: 500, amountLabel: '20' })).toEqual([]);
  });

  it('reports an empty pattern', () => {
    expect(problemsOf('   ')).toEqual(['empty']);
  });

  it('names an unknown token', () => {
    const problems = validatePattern('{FIRSTNAME}{DISCOUNT}');
    expect(problems.map((p) => p.problem)).toEqual(['unknown_token']);
    expect(problems[0]?.message).toContain('{DISCOUNT}');
  });

  it('reports unclosed and unmatched braces', () => {
    expect(problemsOf('{FIRSTNAME')).toContain('unclosed_token');
    expect(problemsOf('{FIRST{LASTNAME}')).toContain('unclosed_token');
    expect(problemsOf('JOHN}')).toContain('unmatched_brace');
  });

  it('limits random tokens to 2..12 characters', () => {
    expect(problemsOf('A{RANDOM1}')).toEqual(['random_length']);
    expect(problemsOf('A{RANDOM13}')).toEqual(['random_length']);
    expect(problemsOf('A{RANDOM2}')).toEqual([]);
    expect(problemsOf('{RANDOM12}')).toEqual([]);
  });

  it('needs a varying token when generating for more than one partner', () => {
    expect(problemsOf('SUMMER{AMOUNT}', { partnerCount: 2, amountLabel: '20' })).toEqual(['no_varying_token']);
    expect(problemsOf('SUMMER{AMOUNT}', { partnerCount: 1, amountLabel: '20' })).toEqual([]);
    expect(problemsOf('SUMMER{RANDOM4}', { partnerCount: 1000 })).toEqual([]);
    expect(problemsOf('{PARTNERKEY}', { partnerCount: 1000 })).toEqual([]);
  });

  it('warns when random characters alone cannot cover the partners', () => {
    expect(problemsOf('SALE{RANDOM2}', { partnerCount: 5000 })).toEqual(['too_few_combinations']);
    expect(problemsOf('SALE{RANDOM3}', { partnerCount: 5000 })).toEqual([]);
  });

  it('needs an amount when the pattern uses {AMOUNT}', () => {
    expect(problemsOf('{FIRSTNAME}{AMOUNT}')).toEqual(['missing_amount']);
    expect(problemsOf('{FIRSTNAME}{AMOUNT}', { amountLabel: '%' })).toEqual(['missing_amount']);
  });

  it('rejects patterns whose fixed part already exceeds 32 characters', () => {
    const problems = validatePattern('VERYLONGPROMOTIONALPREFIX{AMOUNT}{RANDOM6}', { amountLabel: '20' });
    expect(problems.map((p) => p.problem)).toEqual(['too_long']);
    expect(problems[0]?.message).toContain('33');
  });

  it('rejects patterns that can only give codes shorter than 3 characters', () => {
    expect(problemsOf('A{AMOUNT}', { amountLabel: '5' })).toEqual(['too_short']);
    expect(problemsOf('{RANDOM2}')).toEqual(['too_short']);
  });
});

describe('deriveAmountLabel', () => {
  it('labels percentages from basis points', () => {
    expect(deriveAmountLabel({ discountType: 'percent', percentOffBps: 2000 })).toBe('20');
    expect(deriveAmountLabel({ discountType: 'percent', percentOffBps: 1250 })).toBe('12_5');
    expect(deriveAmountLabel({ discountType: 'percent', percentOffBps: 5 })).toBe('0_05');
  });

  it('labels fixed amounts from minor units in the currency', () => {
    expect(deriveAmountLabel({ discountType: 'fixed', amountOff: 1000, currency: 'USD' })).toBe('10');
    expect(deriveAmountLabel({ discountType: 'fixed', amountOff: 1050, currency: 'USD' })).toBe('10_50');
    expect(deriveAmountLabel({ discountType: 'fixed', amountOff: 500, currency: 'JPY' })).toBe('500');
  });
});

/** Runs twice, so a test can check that the output is deterministic. Speed is measured by
 * `pnpm bench:codes`, never by a timed test. */
function runTwice<T>(run: () => T): [T, T] {
  return [run(), run()];
}

const partners: PatternPartner[] = [
  { id: 'p1', firstName: 'John', lastName: 'Smith', name: 'John Smith', referralKey: 'js1' },
  { id: 'p2', firstName: 'john', lastName: 'Doe', name: 'John Doe', referralKey: 'jd' },
  { id: 'p3', firstName: 'José', lastName: 'Núñez', name: 'José Núñez', referralKey: 'jn' },
  { id: 'p4', firstName: 'John', lastName: 'Roe', name: 'John Roe', referralKey: 'jr' },
];

describe('generateCodesForPartners', () => {
  it('expands names and amount and resolves duplicates with numbered suffixes', () => {
    const result = generateCodesForPartners({ pattern: '{FIRSTNAME}{AMOUNT}', partners, amountLabel: '20', taken: new Set(), seed: 1 });
    expect(result.results).toEqual([
      { partnerId: 'p1', code: 'JOHN20' },
      { partnerId: 'p2', code: 'JOHN20-2' },
      { partnerId: 'p3', code: 'JOSE20' },
      { partnerId: 'p4', code: 'JOHN20-3' },
    ]);
    expect(result.collisions).toEqual([
      { partnerId: 'p2', wanted: 'JOHN20', resolvedTo: 'JOHN20-2' },
      { partnerId: 'p4', wanted: 'JOHN20', resolvedTo: 'JOHN20-3' },
    ]);
    expect(result.failures).toEqual([]);
  });

  it('never hands out a code that is already taken in the workspace', () => {
    const taken = new Set(['JOHN20', 'JOHN20-2', 'JOSE20']);
    const result = generateCodesForPartners({ pattern: '{FIRSTNAME}{AMOUNT}', partners, amountLabel: '20', taken, seed: 1 });
    expect(result.results.map((r) => r.code)).toEqual(['JOHN20-3', 'JOHN20-4', 'JOSE20-2', 'JOHN20-5']);
    expect(result.collisions).toHaveLength(4);
  });

  it('re-rolls random characters on a collision instead of numbering', () => {
    const first = generateCodesForPartners({ pattern: 'SALE-{RANDOM4}', partners: partners.slice(0, 1), taken: new Set(), seed: 'abc' });
    const blocked = first.results[0]?.code ?? '';
    const second = generateCodesForPartners({ pattern: 'SALE-{RANDOM4}', partners: partners.slice(0, 1), taken: new Set([blocked]), seed: 'abc' });
    expect(second.collisions).toEqual([{ partnerId: 'p1', wanted: blocked, resolvedTo: second.results[0]?.code }]);
    expect(second.results[0]?.code).toMatch(/^SALE-[A-HJKMNP-Z2-9]{4}$/);
    expect(second.results[0]?.code).not.toBe(blocked);
  });

  it('falls back to numbering when random characters run out', () => {
    // RANDOM2 with a source that keeps producing the same letters: 961 codes taken would be needed, so
    // simulate by taking every two-letter combination the seed would produce plus the fallback.
    const everyPair = new Set<string>();
    const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
    for (const a of alphabet) for (const b of alphabet) everyPair.add(`XY${a}${b}`);
    const result = generateCodesForPartners({ pattern: 'XY{RANDOM2}', partners: partners.slice(0, 1), taken: everyPair, seed: 5 });
    expect(result.results[0]?.code).toMatch(/^XY[A-HJKMNP-Z2-9]{2}-2$/);
  });

  it('transliterates partner names', () => {
    const result = generateCodesForPartners({ pattern: '{LASTNAME}{FIRSTNAME}', partners: partners.slice(2, 3), taken: new Set(), seed: 1 });
    expect(result.results).toEqual([{ partnerId: 'p3', code: 'NUNEZJOSE' }]);
  });

  it('fails a partner who lacks a value the pattern needs, with a reason', () => {
    const result = generateCodesForPartners({
      pattern: '{FIRSTNAME}{AMOUNT}',
      partners: [
        { id: 'a', firstName: 'Ann' },
        { id: 'b', firstName: null },
        { id: 'c', firstName: '山田' },
      ],
      amountLabel: '10',
      taken: new Set(),
      seed: 1,
    });
    expect(result.results).toEqual([{ partnerId: 'a', code: 'ANN10' }]);
    expect(result.failures.map((f) => f.partnerId)).toEqual(['b', 'c']);
    expect(result.failures[0]?.reason).toContain('{FIRSTNAME}');
  });

  it('fails a partner whose code would be too short', () => {
    const result = generateCodesForPartners({ pattern: '{FIRSTNAME}', partners: [{ id: 'a', firstName: 'Al' }], taken: new Set(), seed: 1 });
    expect(result.results).toEqual([]);
    expect(result.failures[0]?.reason).toContain('shorter than 3');
  });

  it('shortens long names so the code fits in 32 characters', () => {
    const result = generateCodesForPartners({
      pattern: '{FIRSTNAME}{LASTNAME}{AMOUNT}',
      partners: [{ id: 'a', firstName: 'Maximilian', lastName: 'Wolfeschlegelsteinhausenbergerdorff' }],
      amountLabel: '15',
      taken: new Set(),
      seed: 1,
    });
    const code = result.results[0]?.code ?? '';
    expect(code).toHaveLength(32);
    expect(code.startsWith('MAXIMILIANWOLFE')).toBe(true);
    expect(code.endsWith('15')).toBe(true);
  });

  it('keeps numbered suffixes within 32 characters', () => {
    const long = { firstName: 'A'.repeat(40) };
    const result = generateCodesForPartners({
      pattern: '{FIRSTNAME}',
      partners: [{ id: 'a', ...long }, { id: 'b', ...long }],
      taken: new Set(),
      seed: 1,
    });
    expect(result.results.map((r) => r.code)).toEqual(['A'.repeat(32), `${'A'.repeat(30)}-2`]);
  });

  it('throws with the problems when the pattern is invalid', () => {
    const run = (): unknown => generateCodesForPartners({ pattern: 'SUMMER', partners, taken: new Set(), seed: 1 });
    expect(run).toThrow(InvalidPatternError);
    try {
      run();
    } catch (error) {
      expect((error as InvalidPatternError).problems.map((p) => p.problem)).toEqual(['no_varying_token']);
    }
  });

  it('generates 100,000 unique, valid codes deterministically', () => {
    const firstNames = ['John', 'Mary', 'José', 'Zoë', 'Ann', 'Li', 'Søren', 'Ahmed', 'Olga', 'Kim'];
    const many: PatternPartner[] = Array.from({ length: 100_000 }, (_, i) => ({
      id: `p${i}`,
      firstName: firstNames[i % firstNames.length] ?? 'X',
      lastName: `L${i % 7}`,
      referralKey: `k${i}`,
    }));
    const taken = new Set(['JOHN20', 'MARY20-2', 'ANN20-5']);
    const input = { pattern: '{FIRSTNAME}{AMOUNT}', partners: many, amountLabel: '20', taken, seed: 'bulk' };

    const [first, second] = runTwice(() => generateCodesForPartners(input));
    expect(second).toEqual(first);

    expect(first.failures).toEqual([]);
    const codes = first.results.map((r) => r.code);
    expect(codes).toHaveLength(100_000);
    expect(new Set(codes).size).toBe(100_000);
    expect(codes.some((c) => taken.has(c))).toBe(false);
    expect(codes.every((c) => validateCodeFormat(c).length === 0)).toBe(true);
    expect(first.results[0]).toEqual({ partnerId: 'p0', code: 'JOHN20-2' });
    expect(first.results[99_990]).toEqual({ partnerId: 'p99990', code: 'JOHN20-10001' });
  });

  it('generates 100,000 random codes uniquely; a different seed gives different codes', () => {
    const many: PatternPartner[] = Array.from({ length: 100_000 }, (_, i) => ({ id: `p${i}` }));
    const input = { pattern: 'VIP-{RANDOM5}', partners: many, taken: new Set<string>(), seed: 11 };
    const [first, second] = runTwice(() => generateCodesForPartners(input));
    expect(second).toEqual(first);
    const codes = first.results.map((r) => r.code);
    expect(new Set(codes).size).toBe(100_000);
    expect(codes.every((c) => /^VIP-[A-HJKMNP-Z2-9]{5}(-\d+)?$/.test(c))).toBe(true);
    const other = generateCodesForPartners({ ...input, seed: 12 });
    expect(other.results.slice(0, 10)).not.toEqual(first.results.slice(0, 10));
  });
});
