import { describe, it, expect } from 'vitest';
import { createSecureRandom, createSeededRandom, pickIndex } from './random.ts';

describe('createSeededRandom', () => {
  it('gives the same sequence for the same seed', () => {
    const a = createSeededRandom('seed-1');
    const b = createSeededRandom('seed-1');
    const first = Array.from({ length: 20 }, () => a());
    const second = Array.from({ length: 20 }, () => b());
    expect(first).toEqual(second);
  });

  it('gives different sequences for different seeds, numeric or string', () => {
    const a = createSeededRandom(1);
    const b = createSeededRandom(2);
    expect(Array.from({ length: 5 }, () => a())).not.toEqual(Array.from({ length: 5 }, () => b()));
  });

  it('stays in [0, 1) and spreads over the range', () => {
    const random = createSeededRandom(42);
    const buckets = new Array<number>(10).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < 10_000; i++) {
      const value = random();
      if (value < 0 || value >= 1) outOfRange++;
      const bucket = Math.floor(value * 10);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    expect(outOfRange).toBe(0);
    for (const count of buckets) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }
  });
});

describe('createSecureRandom', () => {
  it('returns numbers in [0, 1) that vary', () => {
    const random = createSecureRandom();
    const values = new Set(Array.from({ length: 50 }, () => random()));
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
    expect(values.size).toBeGreaterThan(45);
  });
});

describe('pickIndex', () => {
  it('maps [0, 1) onto the index range', () => {
    expect(pickIndex(() => 0, 5)).toBe(0);
    expect(pickIndex(() => 0.999999, 5)).toBe(4);
    expect(pickIndex(() => 0.5, 4)).toBe(2);
  });

  it('clamps a misbehaving source that returns 1 or a negative number', () => {
    expect(pickIndex(() => 1, 5)).toBe(4);
    expect(pickIndex(() => -0.1, 5)).toBe(0);
  });
});
