/**
 * The Alea generator (Johannes Baagøe's public-domain design), seeded from a string the way the
 * `seedrandom` package seeds it. tfjs's `Dataset.shuffle(bufferSize, seed)` draws from this
 * generator, so using the same one gives the same element order as tfjs for the same seed.
 */

/** Baagøe's "Mash" string hash: a stateful function mapping strings to numbers in [0, 1). */
function makeMash(): (data: string) => number {
  let n = 0xefc8249d;
  return (data: string): number => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000;
    }
    return (n >>> 0) * 2.3283064365386963e-10;
  };
}

/** A seeded Alea stream: `next()` in [0, 1), `int32()` a signed 32-bit integer. */
export class Alea {
  private s0: number;
  private s1: number;
  private s2: number;
  private c = 1;

  constructor(seed: string | number) {
    const mash = makeMash();
    const key = String(seed);
    this.s0 = mash(' ');
    this.s1 = mash(' ');
    this.s2 = mash(' ');
    this.s0 -= mash(key);
    if (this.s0 < 0) this.s0 += 1;
    this.s1 -= mash(key);
    if (this.s1 < 0) this.s1 += 1;
    this.s2 -= mash(key);
    if (this.s2 < 0) this.s2 += 1;
  }

  next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
    return this.s2;
  }

  int32(): number {
    return (this.next() * 0x100000000) | 0;
  }
}
