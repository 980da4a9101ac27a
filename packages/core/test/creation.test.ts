import {
  eye,
  fill,
  linspace,
  ones,
  onesLike,
  oneHot,
  randomNormal,
  randomUniform,
  range,
  setSeed,
  tensor,
  truncatedNormal,
  zeros,
  zerosLike,
} from '../src';

function stats(v: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    s += v[i];
    min = Math.min(min, v[i]);
    max = Math.max(max, v[i]);
  }
  const mean = s / v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i] - mean) ** 2;
  return { mean, std: Math.sqrt(ss / v.length), min, max };
}

describe('deterministic creation', () => {
  it('zeros, ones, fill with dtypes', () => {
    expect(zeros([2, 3]).arraySync()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(ones([2], 'int32').dtype).toBe('int32');
    expect(fill([2, 2], 7).arraySync()).toEqual([
      [7, 7],
      [7, 7],
    ]);
    expect(fill([2], 3, 'bool').arraySync()).toEqual([1, 1]);
    expect(zeros([]).shape).toEqual([]);
    expect(() => zeros([2, -1])).toThrow(/fill: shape \[2,-1\] has an invalid dimension -1/);
  });

  it('zerosLike / onesLike keep shape and dtype', () => {
    const x = tensor([[1, 2]], undefined, 'int32');
    expect(zerosLike(x).dtype).toBe('int32');
    expect(onesLike(x).arraySync()).toEqual([[1, 1]]);
  });

  it('eye, square, rectangular and batched', () => {
    expect(eye(2).arraySync()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, 3).arraySync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(eye(2, 2, [2]).shape).toEqual([2, 2, 2]);
  });

  it('range and linspace', () => {
    expect(range(0, 5).arraySync()).toEqual([0, 1, 2, 3, 4]);
    expect(range(4).arraySync()).toEqual([0, 1, 2, 3]);
    expect(range(5, 0, -2).arraySync()).toEqual([5, 3, 1]);
    expect(range(0, 1, 0.25).arraySync()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(range(0, 3, 1, 'int32').dtype).toBe('int32');
    expect(() => range(0, 3, 0)).toThrow(/range: step cannot be 0/);
    expect(linspace(0, 1, 5).arraySync()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(2, 2, 1).arraySync()).toEqual([2]);
    expect(() => linspace(0, 1, 0)).toThrow(/linspace: num must be a positive integer, received 0/);
  });

  it('oneHot: int32 by default (as tfjs), optional on/off values and dtype, out-of-range rows are off', () => {
    const h = oneHot(tensor([0, 2, 5], [3], 'int32'), 3);
    expect(h.dtype).toBe('int32');
    expect(h.arraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    const f = oneHot(tensor([1], [1], 'int32'), 2, 0.9, 0.05, 'float32');
    expect(f.dtype).toBe('float32');
    expect(Array.from(f.dataSync())).toEqual([Math.fround(0.05), Math.fround(0.9)]);
    expect(oneHot([1, 0], 2).arraySync()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(oneHot(tensor([[0], [1]], [2, 1], 'int32'), 2).shape).toEqual([2, 1, 2]);
    expect(() => oneHot(tensor([0.5]), 2)).toThrow(/oneHot: indices must be int32, received float32/);
    expect(() => oneHot([0], 0)).toThrow(/oneHot: depth must be a positive integer, received 0/);
  });
});

describe('random creation', () => {
  const N = 20000;

  it('randomNormal: a seed reproduces; mean and std roughly right', () => {
    const a = randomNormal([N], 2, 3, 'float32', 42).dataSync();
    expect(Array.from(a.slice(0, 10))).toEqual(Array.from(randomNormal([N], 2, 3, 'float32', 42).dataSync().slice(0, 10)));
    expect(Array.from(a.slice(0, 10))).not.toEqual(Array.from(randomNormal([N], 2, 3, 'float32', 43).dataSync().slice(0, 10)));
    const s = stats(a);
    // Standard error of the mean is 3/√N ≈ 0.02.
    expect(Math.abs(s.mean - 2)).toBeLessThan(0.1);
    expect(Math.abs(s.std - 3)).toBeLessThan(0.1);
  });

  it('randomUniform: within [min, max), mean (min+max)/2, std (max-min)/√12', () => {
    const v = randomUniform([N], -1, 3, 'float32', 7).dataSync();
    const s = stats(v);
    expect(s.min).toBeGreaterThanOrEqual(-1);
    expect(s.max).toBeLessThan(3);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.05);
    expect(Math.abs(s.std - 4 / Math.sqrt(12))).toBeLessThan(0.05);
    expect(Array.from(randomUniform([5], 0, 1, 'float32', 7).dataSync())).toEqual(
      Array.from(randomUniform([5], 0, 1, 'float32', 7).dataSync()),
    );
  });

  it('truncatedNormal: within two standard deviations; std of the truncated normal ≈ 0.8796·stdDev', () => {
    const v = truncatedNormal([N], 1, 0.5, 'float32', 3).dataSync();
    const s = stats(v);
    expect(s.min).toBeGreaterThanOrEqual(1 - 2 * 0.5 - 1e-6);
    expect(s.max).toBeLessThanOrEqual(1 + 2 * 0.5 + 1e-6);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.02);
    // Var of N(0,1) truncated to [-2, 2]: 1 - 2·2·φ(2)/(2Φ(2)-1) = 0.7737, std 0.8796.
    expect(Math.abs(s.std - 0.8796 * 0.5)).toBeLessThan(0.02);
  });

  it('setSeed makes unseeded draws reproducible', () => {
    setSeed(123);
    const a = Array.from(randomNormal([5]).dataSync());
    setSeed(123);
    expect(Array.from(randomNormal([5]).dataSync())).toEqual(a);
  });

  it('bad shapes name the function', () => {
    expect(() => randomNormal([2, 1.5])).toThrow(/randomNormal: shape \[2,1.5\] has an invalid dimension 1.5/);
    expect(() => randomUniform([2], 0, 1, 'bool')).toThrow(/randomUniform: dtype bool is not supported/);
  });
});
