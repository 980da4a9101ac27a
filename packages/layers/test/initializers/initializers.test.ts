import { Tensor } from '@recurrent/core';
import {
  computeFans,
  deserialize,
  getInitializer,
  GlorotUniform,
  Initializer,
  initializers,
  Orthogonal,
  serializeInitializer,
  VarianceScaling,
} from '@recurrent/layers';

function stats(t: Tensor): { mean: number; variance: number; min: number; max: number } {
  const v = t.dataSync();
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    s += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = s / v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return { mean, variance: ss / v.length, min, max };
}

describe('computeFans (tfjs semantics)', () => {
  it('rank 2, conv ranks 3-5 and other ranks', () => {
    expect(computeFans([3, 5])).toEqual([3, 5]);
    expect(computeFans([2, 3, 4, 5])).toEqual([4 * 6, 5 * 6]);
    expect(computeFans([7, 3, 4])).toEqual([21, 28]);
    expect(computeFans([16])).toEqual([4, 4]);
    expect(computeFans([2, 2, 2, 2, 2, 2])).toEqual([8, 8]);
  });
});

describe('initializers', () => {
  it('zeros, ones, constant, identity', () => {
    expect(Array.from(initializers.zeros().apply([2, 2]).dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(initializers.ones().apply([3]).dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(initializers.constant({ value: 2.5 }).apply([2]).dataSync())).toEqual([2.5, 2.5]);
    expect(initializers.identity({ gain: 3 }).apply([2, 2]).arraySync()).toEqual([
      [3, 0],
      [0, 3],
    ]);
    // Non-square shapes as Keras 3 (keras.initializers.Identity(gain=2.0)((3, 4)) and Identity()((4, 3)), printed by
    // Keras 3.15): ones on the main diagonal. tfjs refuses them.
    expect(initializers.identity({ gain: 2 }).apply([3, 4]).arraySync()).toEqual([
      [2, 0, 0, 0],
      [0, 2, 0, 0],
      [0, 0, 2, 0],
    ]);
    expect(initializers.identity().apply([4, 3]).arraySync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    expect(() => initializers.identity().apply([2, 3, 4])).toThrow(/Identity: .*2D shapes \[rows, cols\], received \[2,3,4\]/);
  });

  it('randomUniform / randomNormal / truncatedNormal follow their parameters', () => {
    const u = stats(initializers.randomUniform({ minval: -2, maxval: 4, seed: 1 }).apply([200, 100]));
    expect(u.min).toBeGreaterThanOrEqual(-2);
    expect(u.max).toBeLessThan(4);
    expect(u.mean).toBeCloseTo(1, 1);
    expect(u.variance).toBeCloseTo(36 / 12, 1);
    const n = stats(initializers.randomNormal({ mean: 1, stddev: 2, seed: 2 }).apply([200, 100]));
    expect(n.mean).toBeCloseTo(1, 1);
    expect(Math.sqrt(n.variance)).toBeCloseTo(2, 1);
    const t = stats(initializers.truncatedNormal({ stddev: 0.5, seed: 3 }).apply([200, 100]));
    expect(t.max).toBeLessThanOrEqual(1.0000001);
    expect(t.min).toBeGreaterThanOrEqual(-1.0000001);
    // Defaults as tfjs: ±0.05 and stddev 0.05.
    const d = stats(initializers.randomUniform().apply([1000]));
    expect(d.max).toBeLessThan(0.05);
    expect(d.min).toBeGreaterThanOrEqual(-0.05);
  });

  it('a seed gives the same values on every call', () => {
    const i = initializers.glorotNormal({ seed: 42 });
    expect(i.apply([5, 5]).dataSync()).toEqual(i.apply([5, 5]).dataSync());
  });

  it('glorotUniform draws within ±sqrt(6/(fanIn+fanOut)) with variance limit²/3', () => {
    const [fanIn, fanOut] = [300, 200];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const s = stats(initializers.glorotUniform({ seed: 4 }).apply([fanIn, fanOut]));
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeGreaterThan(0.99 * limit);
    expect(Math.abs(s.variance / ((limit * limit) / 3) - 1)).toBeLessThan(0.03);
  });

  it.each([
    ['glorotNormal', 2 / (300 + 200)],
    ['heNormal', 2 / 300],
    ['heUniform', 2 / 300],
    ['leCunNormal', 1 / 300],
    ['leCunUniform', 1 / 300],
  ] as const)('%s has variance %f (scale / n)', (name, variance) => {
    const s = stats(initializers[name]({ seed: 5 }).apply([300, 200]));
    expect(Math.abs(s.mean)).toBeLessThan(0.01 * Math.sqrt(variance) * 10);
    expect(Math.abs(s.variance / variance - 1)).toBeLessThan(0.03);
  });

  it.each([
    ['fanIn', 'normal', 3 / 40],
    ['fanOut', 'uniform', 3 / 60],
    ['fanAvg', 'truncatedNormal', 3 / 50],
    ['fan_in', 'untruncated_normal', 3 / 40],
  ] as const)('varianceScaling mode %s, distribution %s has variance scale/n', (mode, distribution, variance) => {
    const init = initializers.varianceScaling({ scale: 3, mode, distribution, seed: 6 });
    const s = stats(init.apply([40, 60]));
    expect(Math.abs(s.variance / variance - 1)).toBeLessThan(0.05);
  });

  it('varianceScaling truncated draws stay within 2 of their (corrected) stddev', () => {
    const s = stats(initializers.varianceScaling({ scale: 1, mode: 'fanIn', seed: 7 }).apply([100, 100]));
    const stddev = Math.sqrt(1 / 100) / 0.87962566103423978;
    expect(s.max).toBeLessThanOrEqual(2 * stddev + 1e-6);
  });

  it.each([[[6, 4]], [[4, 6]], [[5, 5]], [[2, 3, 4]], [[64, 256]]])('orthogonal %j: QᵀQ = gain²·I on the smaller side', (shape) => {
    const gain = 1.5;
    const w = initializers.orthogonal({ gain, seed: 8 }).apply(shape as number[]);
    expect(w.shape).toEqual(shape);
    const cols = (shape as number[])[(shape as number[]).length - 1];
    const rows = w.size / cols;
    const v = w.dataSync();
    const byRows = rows <= cols; // the fewer vectors are orthonormal
    const count = byRows ? rows : cols;
    const len = byRows ? cols : rows;
    const at = (k: number, i: number) => (byRows ? v[k * cols + i] : v[i * cols + k]);
    let worst = 0;
    for (let a = 0; a < count; a++) {
      for (let b = a; b < count; b++) {
        let d = 0;
        for (let i = 0; i < len; i++) d += at(a, i) * at(b, i);
        worst = Math.max(worst, Math.abs(d - (a === b ? gain * gain : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('orthogonal is seeded, and rank < 2 throws', () => {
    const o = new Orthogonal({ seed: 3 });
    expect(o.apply([4, 4]).dataSync()).toEqual(o.apply([4, 4]).dataSync());
    expect(() => o.apply([4])).toThrow(/Orthogonal: the shape must have rank >= 2, received \[4\]/);
  });

  it('lookup by camelCase, snake_case and class name; unknown names list the known ones', () => {
    expect(getInitializer('glorotUniform')).toBeInstanceOf(GlorotUniform);
    expect(getInitializer('glorot_uniform')).toBeInstanceOf(GlorotUniform);
    expect(getInitializer('GlorotUniform')).toBeInstanceOf(GlorotUniform);
    expect(getInitializer('orthogonal')).toBeInstanceOf(Orthogonal);
    expect(getInitializer('he_normal').getClassName()).toBe('HeNormal');
    expect(getInitializer('lecun_uniform').getClassName()).toBe('LeCunUniform');
    expect(() => getInitializer('glorot')).toThrow(/Unknown initializer 'glorot'. Known initializers: .*GlorotUniform.*Zeros/);
  });

  it('serialize / deserialize round trips with tfjs class names and config keys', () => {
    const cases: [Initializer, string, object][] = [
      [initializers.zeros(), 'Zeros', {}],
      [initializers.constant({ value: 3 }), 'Constant', { value: 3 }],
      [initializers.randomUniform({ minval: 0, maxval: 1, seed: 2 }), 'RandomUniform', { minval: 0, maxval: 1, seed: 2 }],
      [initializers.randomNormal(), 'RandomNormal', { mean: 0, stddev: 0.05, seed: null }],
      [initializers.truncatedNormal({ seed: 1 }), 'TruncatedNormal', { mean: 0, stddev: 0.05, seed: 1 }],
      [
        initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'uniform' }),
        'VarianceScaling',
        { scale: 2, mode: 'fanOut', distribution: 'uniform', seed: null },
      ],
      [initializers.glorotUniform({ seed: 1 }), 'GlorotUniform', { seed: 1 }],
      [initializers.glorotNormal(), 'GlorotNormal', { seed: null }],
      [initializers.heNormal(), 'HeNormal', { seed: null }],
      [initializers.heUniform(), 'HeUniform', { seed: null }],
      [initializers.leCunNormal(), 'LeCunNormal', { seed: null }],
      [initializers.leCunUniform(), 'LeCunUniform', { seed: null }],
      [initializers.orthogonal({ gain: 2 }), 'Orthogonal', { gain: 2, seed: null }],
      [initializers.identity({ gain: 0.5 }), 'Identity', { gain: 0.5 }],
    ];
    for (const [init, className, config] of cases) {
      const s = serializeInitializer(init);
      expect(s).toEqual({ className, config });
      const back = deserialize<Initializer>(JSON.parse(JSON.stringify(s)), 'initializer');
      expect(back.constructor).toBe(init.constructor);
      expect(back.getConfig()).toEqual(config);
    }
    // A tfjs-written preset ('VarianceScaling' with the full config) loads too.
    const tfjsGlorot = getInitializer({
      className: 'VarianceScaling',
      config: { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null },
    });
    expect(tfjsGlorot).toBeInstanceOf(VarianceScaling);
  });

  it('bad args are reported', () => {
    expect(() => initializers.varianceScaling({ mode: 'fanSideways' as never })).toThrow(/unknown mode 'fanSideways'/);
    expect(() => initializers.varianceScaling({ scale: -1 })).toThrow(/scale must be a non-negative number, received -1/);
    expect(() => initializers.constant({} as never)).toThrow(/Constant initializer: expected args \{value: number\}/);
  });
});
