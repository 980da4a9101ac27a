/**
 * Dot: tfjs parity (values and gradients w.r.t. both inputs) for axes 1, 2, [2,2], [2,1], [1,2],
 * negative axes, mixed ranks and normalize; a float64 reference for rank 4 (beyond tfjs);
 * finite-difference gradients; shapes with null dims; null mask; the harness and bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor2d } from '@recurrent/core';
import { Concatenate, Dot, DotArgs, layers } from '@recurrent/layers';
import { checkGradients } from '@recurrent/test-utils';
import { runLayerHarness } from '../../helpers/layer_harness';
import { boolMask, compareWithTfjs, uniform } from './merge_test_utils';

runLayerHarness({
  make: () => layers.dot({ axes: 2 }),
  inputShape: [2, 3, 4],
  makeInput: () => [uniform([2, 3, 4], 1), uniform([2, 5, 4], 2)],
  expectedOutputShape: [2, 3, 5],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});
runLayerHarness({
  title: 'Dot axes [1, 2], normalize',
  make: () => layers.dot({ axes: [1, 2], normalize: true }),
  inputShape: [2, 4, 3],
  makeInput: () => [uniform([2, 4, 3], 1), uniform([2, 5, 4], 2)],
  expectedOutputShape: [2, 3, 5],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('Dot: tfjs parity', () => {
  const cases: { args: DotArgs; shapes: number[][]; out: number[] }[] = [
    {
      args: { axes: 1 },
      shapes: [
        [3, 5],
        [3, 5],
      ],
      out: [3, 1],
    },
    {
      args: { axes: 2 },
      shapes: [
        [2, 3, 4],
        [2, 5, 4],
      ],
      out: [2, 3, 5],
    },
    {
      args: { axes: [2, 2] },
      shapes: [
        [2, 3, 4],
        [2, 5, 4],
      ],
      out: [2, 3, 5],
    },
    {
      args: { axes: 1 },
      shapes: [
        [2, 4, 3],
        [2, 4, 5],
      ],
      out: [2, 3, 5],
    },
    {
      args: { axes: [2, 1] },
      shapes: [
        [2, 3, 4],
        [2, 4, 5],
      ],
      out: [2, 3, 5],
    },
    {
      args: { axes: [1, 2] },
      shapes: [
        [2, 4, 3],
        [2, 5, 4],
      ],
      out: [2, 3, 5],
    },
    {
      args: { axes: -1 },
      shapes: [
        [2, 3, 4],
        [2, 5, 4],
      ],
      out: [2, 3, 5],
    },
    {
      args: { axes: [-1, -2] },
      shapes: [
        [2, 3, 4],
        [2, 4, 5],
      ],
      out: [2, 3, 5],
    },
    {
      args: { axes: [2, 1] },
      shapes: [
        [2, 3, 4],
        [2, 4],
      ],
      out: [2, 3],
    },
    {
      args: { axes: 1 },
      shapes: [
        [2, 4],
        [2, 4, 5],
      ],
      out: [2, 5],
    },
    {
      args: { axes: 1, normalize: true },
      shapes: [
        [3, 5],
        [3, 5],
      ],
      out: [3, 1],
    },
    {
      args: { axes: 2, normalize: true },
      shapes: [
        [2, 3, 4],
        [2, 5, 4],
      ],
      out: [2, 3, 5],
    },
    {
      args: { axes: [1, 2], normalize: true },
      shapes: [
        [2, 4, 3],
        [2, 5, 4],
      ],
      out: [2, 3, 5],
    },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.args)} on ${c.shapes.map((s) => `[${s}]`).join(' · ')} → [${c.out}]`, () => {
      const inputs = c.shapes.map((s, i) => uniform(s, 50 + i));
      const r = compareWithTfjs(new Dot(c.args), tf.layers.dot(c.args as { axes: number | [number, number]; normalize?: boolean }), inputs);
      expect(r.outputShape).toEqual(c.out);
      expect(r.valueDiff).toBeLessThan(1e-5);
      r.gradDiffs.forEach((d) => expect(d).toBeLessThan(1e-5));
      expect(new Dot(c.args).computeOutputShape(c.shapes.map((s) => [null, ...s.slice(1)]))).toEqual([null, ...c.out.slice(1)]);
    });
  }

  it('hand-worked values: [[1,2]]·[[3,4]] = [[11]]; normalize gives the cosine', () => {
    expect((layers.dot({ axes: 1 }).apply([tensor2d([[1, 2]]), tensor2d([[3, 4]])]) as Tensor).arraySync()).toEqual([[11]]);
    const cos = (layers.dot({ axes: 1, normalize: true }).apply([tensor2d([[3, 4]]), tensor2d([[4, 3]])]) as Tensor).dataSync()[0];
    expect(cos).toBeCloseTo(24 / 25, 6);
  });
});

describe('Dot: beyond tfjs (rank 4)', () => {
  it('[b,2,3,4] · [b,4,5] over axes [3,1] equals a float64 contraction', () => {
    const x = uniform([2, 2, 3, 4], 60);
    const y = uniform([2, 4, 5], 61);
    const out = new Dot({ axes: [3, 1] }).apply([x, y]) as Tensor;
    expect(out.shape).toEqual([2, 2, 3, 5]);
    const xv = x.dataSync();
    const yv = y.dataSync();
    const ov = out.dataSync();
    for (let b = 0; b < 2; b++)
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++)
          for (let n = 0; n < 5; n++) {
            let s = 0;
            for (let k = 0; k < 4; k++) s += xv[((b * 2 + i) * 3 + j) * 4 + k] * yv[(b * 4 + k) * 5 + n];
            expect(ov[((b * 2 + i) * 3 + j) * 5 + n]).toBeCloseTo(s, 5);
          }
  });

  it('[b,4,2,3] · [b,3,4] over axes [1,2]: the contracted axis may sit in the middle', () => {
    const x = uniform([2, 4, 2, 3], 62);
    const y = uniform([2, 3, 4], 63);
    const out = new Dot({ axes: [1, 2] }).apply([x, y]) as Tensor;
    expect(out.shape).toEqual([2, 2, 3, 3]);
    const xv = x.dataSync();
    const yv = y.dataSync();
    const ov = out.dataSync();
    for (let b = 0; b < 2; b++)
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++)
          for (let n = 0; n < 3; n++) {
            let s = 0;
            for (let k = 0; k < 4; k++) s += xv[((b * 4 + k) * 2 + i) * 3 + j] * yv[(b * 3 + n) * 4 + k];
            expect(ov[((b * 2 + i) * 3 + j) * 3 + n]).toBeCloseTo(s, 5);
          }
  });
});

describe('Dot: gradients, masks, config', () => {
  it('finite-difference gradients (axes [1,2], normalize and rank 4)', () => {
    checkGradients((a, b) => new Dot({ axes: [1, 2] }).apply([a, b]) as Tensor, [uniform([2, 3, 2], 70), uniform([2, 2, 3], 71)]);
    checkGradients(
      (a, b) => new Dot({ axes: 2, normalize: true }).apply([a, b]) as Tensor,
      [uniform([2, 2, 3], 72), uniform([2, 2, 3], 73)],
    );
    checkGradients((a, b) => new Dot({ axes: [3, 1] }).apply([a, b]) as Tensor, [uniform([1, 2, 2, 3], 74), uniform([1, 3, 2], 75)]);
  });

  it('computeMask returns null even with input masks', () => {
    const x = uniform([2, 3, 4], 80);
    const m = boolMask([
      [1, 0, 1],
      [1, 1, 0],
    ]);
    expect(new Dot({ axes: 2 }).computeMask([x, x], [m, m])).toBeNull();
  });

  it("tfjs's getConfig() builds the same layer here (Dot, and Concatenate)", () => {
    const d = new Dot(tf.layers.dot({ axes: [1, 2], normalize: true, name: 'tf_dot' }).getConfig() as never);
    expect(d.getConfig()).toMatchObject({ axes: [1, 2], normalize: true, name: 'tf_dot' });
    const c = new Concatenate(tf.layers.concatenate({ axis: 1, name: 'tf_cat' }).getConfig() as never);
    expect(c.getConfig()).toMatchObject({ axis: 1, name: 'tf_cat' });
  });

  it('getConfig carries axes and normalize', () => {
    const c = new Dot({ axes: [2, 1], normalize: true }).getConfig();
    expect(c.axes).toEqual([2, 1]);
    expect(c.normalize).toBe(true);
    expect(new Dot({ axes: 1 }).getConfig().normalize).toBe(false);
  });
});

describe('Dot: bad input', () => {
  it('needs exactly 2 inputs', () => {
    const x = uniform([2, 3], 90);
    expect(() => new Dot({ axes: 1, name: 'd1' }).apply([x, x, x])).toThrow(
      'Layer d1: Dot needs an array of exactly 2 inputs, received 3 input(s).',
    );
    expect(() => new Dot({ axes: 1, name: 'd2' }).apply([x])).toThrow('exactly 2 inputs, received 1 input(s)');
  });

  it('contracted dimensions that differ name the layer, the axes and both shapes', () => {
    expect(() => new Dot({ axes: 2, name: 'd3' }).apply([uniform([2, 3, 4], 1), uniform([2, 3, 5], 2)])).toThrow(
      'Layer d3: the contracted dimensions differ: 4 (axis 2 of input 0, shape [2,3,4]) vs 5 (axis 2 of input 1, shape [2,3,5]).',
    );
  });

  it('axes out of range, the batch axis, rank < 2, and bad axes values', () => {
    expect(() =>
      new Dot({ axes: 3, name: 'd4' }).computeOutputShape([
        [null, 3, 4],
        [null, 3, 4],
      ]),
    ).toThrow('Layer d4: axes 3 is out of range for input 0 of shape [null,3,4] (expected an integer in [-3, 2]).');
    expect(() =>
      new Dot({ axes: [1, -4], name: 'd5' }).computeOutputShape([
        [null, 3, 4],
        [null, 3, 4],
      ]),
    ).toThrow('axes [1,-4] is out of range for input 1');
    expect(() =>
      new Dot({ axes: 0, name: 'd6' }).computeOutputShape([
        [null, 3],
        [null, 3],
      ]),
    ).toThrow(
      'Layer d6: axes 0 selects the batch axis 0 of input 0 (shape [null,3]); the dot product is taken per example, over a non-batch axis.',
    );
    expect(() =>
      new Dot({ axes: -2, name: 'd7' }).computeOutputShape([
        [null, 3],
        [null, 3],
      ]),
    ).toThrow('selects the batch axis 0');
    expect(() => new Dot({ axes: 1, name: 'd8' }).computeOutputShape([[null], [null, 3]])).toThrow(
      'Layer d8: inputs must have rank ≥ 2 ([batch, ...]), but input 0 has shape [null].',
    );
    expect(() => new Dot({ axes: 1.5, name: 'd9' } as never)).toThrow(
      'Layer d9: axes must be an integer or an array of two integers, received 1.5.',
    );
    expect(() => new Dot({ axes: [1, 2, 3], name: 'd10' } as never)).toThrow('received [1,2,3]');
    expect(() => new Dot({ name: 'd11' } as never)).toThrow(
      'Layer d11: axes must be an integer or an array of two integers, received undefined.',
    );
    expect(() => new Dot({ axes: 1, normalize: 'true' } as never)).toThrow("normalize must be true or false, received the string 'true'");
    expect(() => new Dot(undefined as never)).toThrow('Dot: expected an args object like {axes: 1}, received undefined.');
  });
});
