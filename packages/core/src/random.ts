import { ValueError } from './errors';
/**
 * Seeded randomness. Every random function takes an optional seed; without one it draws
 * from a global generator that `setSeed` makes reproducible.
 */

/** A small fast PRNG (mulberry32) with uniform and normal draws. */
export class RandomGenerator {
  private state: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.state = hashSeed(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }

  /** Standard normal (Box–Muller), scaled to `mean`, `stddev`. */
  normal(mean = 0, stddev = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + stddev * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + stddev * r * Math.cos(2 * Math.PI * v);
  }

  /** Normal truncated to two standard deviations (redrawn), as tfjs's truncatedNormal. */
  truncatedNormal(mean = 0, stddev = 1): number {
    for (;;) {
      const z = this.normal();
      if (Math.abs(z) <= 2) return mean + stddev * z;
    }
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function hashSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new ValueError(`Random seed must be a finite number, received ${seed}.`);
  let h = Math.floor(seed) ^ 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

let globalGenerator = new RandomGenerator(Date.now() % 2147483647);

/** Makes all unseeded random draws reproducible from here on. */
export function setSeed(seed: number): void {
  globalGenerator = new RandomGenerator(seed);
}

/** The generator for an optional seed: a fresh one for a seed, else the global one. */
export function generatorFor(seed?: number): RandomGenerator {
  return seed === undefined || seed === null ? globalGenerator : new RandomGenerator(seed);
}

/** Fisher–Yates shuffle of `array` in place. */
export function shuffleInPlace<T>(array: T[] | Int32Array | Float32Array, seed?: number): void {
  const g = generatorFor(seed);
  for (let i = array.length - 1; i > 0; i--) {
    const j = g.int(i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
}
