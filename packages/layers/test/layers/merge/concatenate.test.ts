/**
 * Concatenate: tfjs parity (values and gradients w.r.t. every input on axes -1, 1, 2, -2), a
 * finite-difference check, shapes with null dims, masks against hand-computed expectations, the
 * factory, the harness and bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor2d } from '@recurrent/core';
import { Concatenate, layers } from '@recurrent/layers';
import { checkGradients } from '@recurrent/test-utils';
import { runLayerHarness } from '../../helpers/layer_harness';
import { boolMask, compareWithTfjs, maskValues, uniform } from './merge_test_utils';

runLayerHarness({
  make: () => layers.concatenate(),
  inputShape: [2, 3, 4],
  makeInput: () => [uniform([2, 3, 4], 1), uniform([2, 3, 2], 2)],
  expectedOutputShape: [2, 3, 6],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});
runLayerHarness({
  title: 'Concatenate axis 1',
  make: () => layers.concatenate({ axis: 1 }),
  inputShape: [2, 3, 4],
  makeInput: () => [uniform([2, 3, 4], 1), uniform([2, 5, 4], 2), uniform([2, 1, 4], 3)],
  expectedOutputShape: [2, 9, 4],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('Concatenate: tfjs parity', () => {
  const cases: { axis?: number; shapes: number[][] }[] = [
    {
      shapes: [
        [2, 3, 4],
        [2, 3, 2],
      ],
    },
    {
      axis: -1,
      shapes: [
        [2, 5],
        [2, 1],
        [2, 3],
      ],
    },
    {
      axis: 1,
      shapes: [
        [2, 3, 4],
        [2, 5, 4],
      ],
    },
    {
      axis: 2,
      shapes: [
        [3, 2, 1, 4],
        [3, 2, 3, 4],
      ],
    },
    {
      axis: -2,
      shapes: [
        [2, 3, 4],
        [2, 1, 4],
        [2, 2, 4],
      ],
    },
  ];
  for (const c of cases) {
    it(`axis ${c.axis ?? 'default'} on ${c.shapes.map((s) => `[${s}]`).join(', ')}: values and gradients w.r.t. every input`, () => {
      const inputs = c.shapes.map((s, i) => uniform(s, 20 + i));
      const args = c.axis === undefined ? {} : { axis: c.axis };
      // tfjs's Concatenate layer treats every negative axis as -1, so axis -2 is compared with tf.concat.
      const theirs = c.axis !== undefined && c.axis < -1 ? (xs: tf.Tensor[]) => tf.concat(xs, c.axis) : tf.layers.concatenate(args);
      const r = compareWithTfjs(new Concatenate(args), theirs, inputs);
      expect(r.valueDiff).toBe(0);
      r.gradDiffs.forEach((d) => expect(d).toBe(0));
    });
  }

  it('finite-difference gradients (axis 1)', () => {
    checkGradients((a, b) => new Concatenate({ axis: 1 }).apply([a, b]) as Tensor, [uniform([2, 2, 3], 30), uniform([2, 1, 3], 31)]);
  });

  it('joins values in order', () => {
    const out = layers.concatenate([
      tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tensor2d([[5], [6]]),
    ]) as Tensor;
    expect(out.arraySync()).toEqual([
      [1, 2, 5],
      [3, 4, 6],
    ]);
  });
});

describe('Concatenate: shapes', () => {
  it('computeOutputShape sums the concat axis (null if any is unknown) and keeps known dims', () => {
    const c = new Concatenate();
    expect(
      c.computeOutputShape([
        [null, 3, 4],
        [null, 3, 2],
      ]),
    ).toEqual([null, 3, 6]);
    expect(
      c.computeOutputShape([
        [null, null, 4],
        [null, 3, 2],
      ]),
    ).toEqual([null, 3, 6]);
    expect(
      c.computeOutputShape([
        [null, 3, null],
        [null, 3, 2],
      ]),
    ).toEqual([null, 3, null]);
    const t = new Concatenate({ axis: 1 });
    expect(
      t.computeOutputShape([
        [null, 3, 4],
        [null, 5, 4],
      ]),
    ).toEqual([null, 8, 4]);
    expect(
      t.computeOutputShape([
        [null, null, 4],
        [null, 5, 4],
      ]),
    ).toEqual([null, null, 4]);
    expect(
      t.computeOutputShape([
        [8, 2, 4],
        [null, 5, 4],
      ]),
    ).toEqual([8, 7, 4]);
  });
});

describe('Concatenate: masks', () => {
  const a = uniform([2, 4, 3], 40);
  const b = uniform([2, 4, 2], 41);
  const ma = boolMask([
    [1, 1, 0, 1],
    [1, 0, 1, 1],
  ]);
  const mb = boolMask([
    [1, 0, 1, 1],
    [0, 1, 1, 1],
  ]);

  it('axis -1: the concatenated masks reduced with all over the features = the AND of the step masks', () => {
    const c = new Concatenate();
    expect(c.supportsMasking).toBe(true);
    expect(maskValues(c.computeMask([a, b], [ma, mb]))).toEqual([
      [1, 0, 0, 1],
      [0, 0, 1, 1],
    ]);
    // An input without a mask counts as all-true.
    expect(maskValues(c.computeMask([a, b], [ma, null]))).toEqual([
      [1, 1, 0, 1],
      [1, 0, 1, 1],
    ]);
    expect(maskValues(c.computeMask([a, b], [null, mb]))).toEqual([
      [1, 0, 1, 1],
      [0, 1, 1, 1],
    ]);
    expect(c.computeMask([a, b], [null, null])).toBeNull();
    expect(c.computeMask([a, b], null)).toBeNull();
  });

  it('axis 1 (time): the masks are joined along time', () => {
    const c = new Concatenate({ axis: 1 });
    const x = uniform([2, 2, 3], 42);
    const y = uniform([2, 3, 3], 43);
    const mx = boolMask([
      [1, 0],
      [0, 1],
    ]);
    const my = boolMask([
      [0, 1, 1],
      [1, 1, 0],
    ]);
    expect(maskValues(c.computeMask([x, y], [mx, my]))).toEqual([
      [1, 0, 0, 1, 1],
      [0, 1, 1, 1, 0],
    ]);
    expect(maskValues(c.computeMask([x, y], [null, my]))).toEqual([
      [1, 1, 0, 1, 1],
      [1, 1, 1, 1, 0],
    ]);
    // Three inputs, the middle one unmasked.
    const z = uniform([2, 1, 3], 44);
    expect(maskValues(c.computeMask([x, z, y], [mx, null, my]))).toEqual([
      [1, 0, 1, 0, 1, 1],
      [0, 1, 1, 1, 1, 0],
    ]);
  });

  it('refuses a mask that does not fit its input, naming the layer', () => {
    const c = new Concatenate({ name: 'cat' });
    expect(() =>
      c.computeMask(
        [a, b],
        [
          boolMask([
            [1, 0, 1],
            [1, 1, 1],
          ]),
          null,
        ],
      ),
    ).toThrow('Layer cat: mask 0 of shape [2,3] does not fit its input of shape [2,4,3].');
    expect(() => c.computeMask([a, b], [ma])).toThrow(
      'Layer cat: expected one mask (or null) per input, received 1 mask(s) for 2 input(s).',
    );
  });
});

describe('Concatenate: bad input', () => {
  it('fewer than 2 inputs', () => {
    expect(() => new Concatenate({ name: 'cat1' }).apply([uniform([2, 3], 1)])).toThrow(
      'Layer cat1: Concatenate needs an array of at least 2 inputs, received 1 input(s).',
    );
    expect(() => new Concatenate({ name: 'cat1b' }).apply(uniform([2, 3], 1))).toThrow('received a single input of shape [2,3]');
  });

  it('mismatched shapes name the layer and both shapes', () => {
    expect(() => new Concatenate({ name: 'cat2' }).apply([uniform([2, 3, 4], 1), uniform([2, 5, 4], 2)])).toThrow(
      'Layer cat2: inputs must have matching shapes except for the concatenation axis -1, but input 0 has shape [2,3,4] and input 1 has shape [2,5,4].',
    );
    expect(() =>
      new Concatenate({ name: 'cat3' }).computeOutputShape([
        [null, 3, 4],
        [null, 3],
        [null, 3, 1],
      ]),
    ).toThrow('Layer cat3: all inputs must have the same rank, but input 0 has shape [null,3,4] and input 1 has shape [null,3].');
    expect(() =>
      new Concatenate({ name: 'cat4', axis: 1 }).computeOutputShape([
        [null, 3, 4],
        [null, 3, null],
        [null, 2, 5],
      ]),
    ).toThrow('input 0 has shape [null,3,4] and input 2 has shape [null,2,5]');
  });

  it('an axis out of range, or not an integer', () => {
    expect(() => new Concatenate({ name: 'cat5', axis: 3 }).apply([uniform([2, 3, 4], 1), uniform([2, 3, 4], 2)])).toThrow(
      'Layer cat5: axis 3 is out of range for inputs of rank 3 (expected an integer in [-3, 2]).',
    );
    expect(() =>
      new Concatenate({ name: 'cat6', axis: -4 }).computeOutputShape([
        [null, 3, 4],
        [null, 3, 4],
      ]),
    ).toThrow('axis -4 is out of range');
    expect(() => new Concatenate({ name: 'cat7', axis: 1.5 })).toThrow('Layer cat7: axis must be an integer, received 1.5.');
    expect(() => new Concatenate({ axes: 1 } as never)).toThrow("Concatenate: unknown option 'axes'; did you mean 'axis'?");
  });

  it('getConfig carries the axis', () => {
    expect(new Concatenate({ axis: 1 }).getConfig().axis).toBe(1);
    expect(new Concatenate().getConfig().axis).toBe(-1);
  });
});
