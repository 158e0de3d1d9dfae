import { randomInt } from 'node:crypto';

/** A source of uniformly distributed numbers in [0, 1), injectable so tests are deterministic. */
export type RandomSource = () => number;

/** Cryptographically strong random source for codes people will actually use. */
export function createSecureRandom(): RandomSource {
  // 32 bits are plenty for picking characters (randomInt accepts ranges below 2^48).
  const range = 2 ** 32;
  return () => randomInt(0, range) / range;
}

/**
 * Seeded PRNG: sfc32 seeded through cyrb128. Written by hand because it is a dozen lines, has
 * no dependencies, and gives the same sequence on every machine and Node version, which is
 * what "same input + seed => same codes" needs. Not for secrets.
 */
export function createSeededRandom(seed: number | string): RandomSource {
  let [a, b, c, d] = hashSeed(String(seed));
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Picks an integer in [0, size) from a random source, guarding against sources that return 1. */
export function pickIndex(random: RandomSource, size: number): number {
  const index = Math.floor(random() * size);
  return Math.min(Math.max(index, 0), size - 1);
}

// cyrb128: spreads a string over four 32-bit words so similar seeds give unrelated streams.
function hashSeed(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
