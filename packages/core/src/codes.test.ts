import { describe, it, expect } from 'vitest';
import {
  appendSuffix,
  findPlatformsRejectingCode,
  findReservedWord,
  generateRandomCode,
  normalizeCode,
  suggestFreeCodes,
  validateCodeFormat,
} from './codes.ts';
import { createSeededRandom } from './random.ts';

describe('normalizeCode', () => {
  it('trims and upper-cases', () => {
    expect(normalizeCode('  summer20 \n')).toBe('SUMMER20');
    expect(normalizeCode('John_Doe-1')).toBe('JOHN_DOE-1');
  });

  it('makes differently typed codes equal', () => {
    expect(normalizeCode('john20')).toBe(normalizeCode(' JOHN20'));
  });
});

describe('validateCodeFormat', () => {
  it('accepts letters, digits, dash and underscore within 3..32 characters', () => {
    expect(validateCodeFormat('ABC')).toEqual([]);
    expect(validateCodeFormat('john_doe-20')).toEqual([]);
    expect(validateCodeFormat('A'.repeat(32))).toEqual([]);
  });

  it('reports an empty code on its own', () => {
    expect(validateCodeFormat('').map((p) => p.problem)).toEqual(['empty']);
  });

  it('rejects codes shorter than 3 or longer than 32 characters', () => {
    expect(validateCodeFormat('AB').map((p) => p.problem)).toEqual(['too_short']);
    const tooLong = validateCodeFormat('A'.repeat(33));
    expect(tooLong.map((p) => p.problem)).toEqual(['too_long']);
    expect(tooLong[0]?.message).toContain('33');
  });

  it('names each bad character once', () => {
    const problems = validateCodeFormat('SUMMER 20% OFF%');
    expect(problems.map((p) => p.problem)).toEqual(['invalid_characters']);
    expect(problems[0]?.message).toContain('spaces');
    expect(problems[0]?.message).toContain("'%'");
    expect(problems[0]?.message.match(/'%'/g)).toHaveLength(1);
  });

  it('rejects accented letters and reports several problems together', () => {
    const problems = validateCodeFormat('É');
    expect(problems.map((p) => p.problem)).toEqual(['too_short', 'invalid_characters']);
  });
});

describe('findPlatformsRejectingCode', () => {
  it('lets every platform accept a plain alphanumeric code', () => {
    expect(findPlatformsRejectingCode('SUMMER20', ['stripe', 'paddle', 'woocommerce', 'shopify'])).toEqual([]);
  });

  it('names Stripe and Paddle for an underscore, not WooCommerce or Shopify', () => {
    const rejections = findPlatformsRejectingCode('JOHN_20', ['stripe', 'paddle', 'woocommerce', 'shopify']);
    expect(rejections.map((r) => r.platform)).toEqual(['stripe', 'paddle']);
    expect(rejections[0]?.reason).toContain('Stripe');
    expect(rejections[0]?.reason).toContain("'_'");
  });

  it('names only Paddle for a dash', () => {
    const rejections = findPlatformsRejectingCode('JOHN-20', ['stripe', 'paddle', 'shopify']);
    expect(rejections).toHaveLength(1);
    expect(rejections[0]?.platform).toBe('paddle');
    expect(rejections[0]?.reason).toContain('letters and digits');
  });

  it("checks Paddle's 32 character limit", () => {
    const rejections = findPlatformsRejectingCode('A'.repeat(33), ['paddle', 'stripe']);
    expect(rejections).toEqual([{ platform: 'paddle', reason: expect.stringContaining('at most 32') }]);
  });

  it('only reports the platforms asked about, once each', () => {
    expect(findPlatformsRejectingCode('JOHN_20', ['shopify'])).toEqual([]);
    expect(findPlatformsRejectingCode('JOHN_20', ['stripe', 'stripe'])).toHaveLength(1);
  });
});

describe('findReservedWord', () => {
  it('finds a reserved word anywhere in the code, ignoring case', () => {
    expect(findReservedWord('FREEMONEY20', ['admin', 'free'])).toBe('free');
    expect(findReservedWord('myadminCode', ['ADMIN'])).toBe('ADMIN');
  });

  it('returns null when nothing matches and ignores blank entries', () => {
    expect(findReservedWord('SUMMER20', ['free', '', '  '])).toBeNull();
    expect(findReservedWord('SUMMER20', [])).toBeNull();
  });
});

describe('generateRandomCode', () => {
  it('uses only readable characters', () => {
    const random = createSeededRandom('readable');
    for (let i = 0; i < 200; i++) {
      expect(generateRandomCode({ length: 12, random })).toMatch(/^[A-HJKMNP-Z2-9]{12}$/);
    }
  });

  it('is deterministic with an injected source', () => {
    expect(generateRandomCode({ length: 8, random: createSeededRandom(7) })).toBe(
      generateRandomCode({ length: 8, random: createSeededRandom(7) }),
    );
  });

  it('maps the random source onto the alphabet ends', () => {
    expect(generateRandomCode({ length: 3, random: () => 0 })).toBe('AAA');
    expect(generateRandomCode({ length: 3, random: () => 0.9999999 })).toBe('999');
  });

  it('produces secure random codes by default', () => {
    const codes = new Set(Array.from({ length: 50 }, () => generateRandomCode({ length: 8 })));
    expect(codes.size).toBe(50);
  });

  it('rejects lengths outside 1..32', () => {
    expect(() => generateRandomCode({ length: 0 })).toThrow(RangeError);
    expect(() => generateRandomCode({ length: 33 })).toThrow(RangeError);
    expect(() => generateRandomCode({ length: 2.5 })).toThrow(RangeError);
  });
});

describe('appendSuffix', () => {
  it('shortens the base so the result fits the limit', () => {
    expect(appendSuffix('JOHN', '-2')).toBe('JOHN-2');
    const long = appendSuffix('A'.repeat(32), '-12');
    expect(long).toHaveLength(32);
    expect(long.endsWith('-12')).toBe(true);
  });
});

describe('suggestFreeCodes', () => {
  it('suggests numbered codes first', () => {
    const taken = new Set(['SUMMER']);
    expect(suggestFreeCodes({ code: 'summer', isTaken: (c) => taken.has(c), random: createSeededRandom(1) })).toEqual([
      'SUMMER2',
      'SUMMER3',
      'SUMMER4',
    ]);
  });

  it('puts a dash before the number when the code ends in a digit', () => {
    const taken = new Set(['JOHN20', 'JOHN20-2']);
    expect(suggestFreeCodes({ code: 'JOHN20', isTaken: (c) => taken.has(c), count: 2, random: createSeededRandom(1) })).toEqual([
      'JOHN20-3',
      'JOHN20-4',
    ]);
  });

  it('skips taken numbers and falls back to random suffixes', () => {
    const random = createSeededRandom('fallback');
    const isTaken = (c: string): boolean => /^SALE\d*$/.test(c);
    const suggestions = suggestFreeCodes({ code: 'SALE', isTaken, count: 3, random });
    expect(suggestions).toHaveLength(3);
    for (const suggestion of suggestions) {
      expect(suggestion).toMatch(/^SALE-[A-HJKMNP-Z2-9]{4}$/);
    }
    expect(new Set(suggestions).size).toBe(3);
  });

  it('keeps suggestions for a 32 character code within the limit and valid', () => {
    const code = 'X'.repeat(32);
    const suggestions = suggestFreeCodes({ code, isTaken: (c) => c === code, random: createSeededRandom(3) });
    expect(suggestions).toHaveLength(3);
    for (const suggestion of suggestions) {
      expect(validateCodeFormat(suggestion)).toEqual([]);
      expect(suggestion).not.toBe(code);
    }
  });

  it('returns fewer suggestions rather than a taken one when nothing free is found', () => {
    const taken = new Set<string>();
    const isTaken = (c: string): boolean => taken.has(c) || c.startsWith('ABC');
    expect(suggestFreeCodes({ code: 'ABC', isTaken, random: () => 0 })).toEqual([]);
  });

  it('strips characters a code cannot contain before building suggestions', () => {
    const suggestions = suggestFreeCodes({ code: 'big sale!', isTaken: () => false, count: 2, random: createSeededRandom(1) });
    expect(suggestions).toEqual(['BIGSALE2', 'BIGSALE3']);
  });
});
