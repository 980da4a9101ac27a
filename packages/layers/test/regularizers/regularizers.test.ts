import * as tf from '@tensorflow/tfjs';
import { tensor } from '@recurrent/core';
import { checkGradients } from '@recurrent/test-utils';
import { deserialize, getRegularizer, L1L2, Regularizer, regularizers, serializeRegularizer } from '@recurrent/layers';

describe('regularizers', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const w = [
    [0.5, -1.5],
    [2, -0.25],
  ];

  it.each([
    ['l1', { l1: 0.3 }],
    ['l2', { l2: 0.2 }],
    ['l1l2', { l1: 0.1, l2: 0.4 }],
    ['l1l2', {}],
    ['l1', {}],
    ['l2', {}],
    ['l1l2', { l1: 0.2 }],
  ] as const)('%s %j matches tfjs and the formula', (name, args) => {
    const ours = (regularizers[name] as (a: object) => Regularizer)(args).apply(tensor(w));
    expect(ours.shape).toEqual([]);
    const theirs = (tf.regularizers[name] as (a: object) => { apply(x: tf.Tensor): tf.Tensor })(args).apply(tf.tensor(w));
    expect(ours.dataSync()[0]).toBeCloseTo(theirs.dataSync()[0], 5);
  });

  it('l1l2 penalty is l1·Σ|w| + l2·Σw² (defaults 0.01 as tfjs)', () => {
    const flat = w.flat();
    const e = flat.reduce((s, v) => s + 0.01 * Math.abs(v) + 0.01 * v * v, 0);
    expect(new L1L2().apply(tensor(w)).dataSync()[0]).toBeCloseTo(e, 6);
  });

  it('lookup, serialization and errors', () => {
    expect(getRegularizer('l2')!.getConfig()).toEqual({ l1: 0, l2: 0.01 });
    expect(getRegularizer('L1L2')).toBeInstanceOf(L1L2);
    expect(getRegularizer(null)).toBeNull();
    const s = serializeRegularizer(regularizers.l1l2({ l1: 0.5, l2: 0 }));
    expect(s).toEqual({ className: 'L1L2', config: { l1: 0.5, l2: 0 } });
    expect(deserialize<L1L2>(s!, 'regularizer').l1).toBe(0.5);
    expect(() => getRegularizer('l3')).toThrow(/Unknown regularizer 'l3'. Known regularizers: L1L2/);
    expect(() => regularizers.l1({ l1: -1 })).toThrow(/L1L2: l1 must be a non-negative number, received -1/);
  });
});

describe('L1L2 regularizer: gradient of the penalty (weights away from the kink of |w| at 0)', () => {
  it('l1, l2 and both', () => {
    const w = tensor([0.5, -1.5, 2, -0.25, 0.1, -0.7], [2, 3]);
    for (const r of [regularizers.l1({ l1: 0.3 }), regularizers.l2({ l2: 0.2 }), regularizers.l1l2({ l1: 0.1, l2: 0.4 })]) {
      checkGradients((a) => r.apply(a), [w]);
    }
  });
});
