import * as tf from '@tensorflow/tfjs';
import { grad, mul, randomNormal, sum, Tensor, tensor } from '@recurrent/core';
import { Embedding, GlobalAveragePooling1D, GlobalMaxPooling1D, layers } from '@recurrent/layers';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { runLayerHarness } from '../helpers/layer_harness';
import { toTf } from '../helpers/tfjs_compare';

runLayerHarness({
  make: () => layers.globalAveragePooling1d(),
  inputShape: [2, 5, 3],
  expectedOutputShape: [2, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

runLayerHarness({
  title: 'GlobalAveragePooling1D channelsFirst with a mask',
  make: () => layers.globalAveragePooling1d({ dataFormat: 'channelsFirst' }),
  inputShape: [2, 3, 4],
  kwargs: {
    mask: tensor(
      [
        [1, 1, 0, 1],
        [0, 1, 1, 1],
      ],
      undefined,
      'bool',
    ),
  },
  expectedOutputShape: [2, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

runLayerHarness({
  make: () => layers.globalMaxPooling1d(),
  inputShape: [2, 5, 3],
  expectedOutputShape: [2, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

runLayerHarness({
  title: 'GlobalMaxPooling1D with a mask',
  make: () => layers.globalMaxPool1d(),
  inputShape: [2, 4, 3],
  kwargs: {
    mask: tensor(
      [
        [1, 1, 0, 1],
        [0, 0, 0, 1],
      ],
      undefined,
      'bool',
    ),
  },
  expectedOutputShape: [2, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

const x = tensor([
  [
    [1, -2],
    [3, 4],
    [-5, 6],
  ],
  [
    [0.5, 1],
    [2, -3],
    [10, 20],
  ],
]);
const mask = tensor(
  [
    [1, 1, 0],
    [0, 0, 1],
  ],
  undefined,
  'bool',
);

function expectArray(t: Tensor, expected: number[][], tol = 1e-6): void {
  expect(t.shape).toEqual([expected.length, expected[0].length]);
  const v = t.dataSync();
  expected.flat().forEach((e, i) => expect(Math.abs(v[i] - e)).toBeLessThanOrEqual(tol));
}

describe('GlobalAveragePooling1D', () => {
  it('averages over the steps (hand-worked), and over the unmasked steps only when masked', () => {
    const p = new GlobalAveragePooling1D();
    expectArray(p.apply(x) as Tensor, [
      [-1 / 3, 8 / 3],
      [12.5 / 3, 6],
    ]);
    // Keras 3: Σ mask·x / Σ mask
    expectArray(p.apply(x, { mask }) as Tensor, [
      [2, 1],
      [10, 20],
    ]);
    // numeric 0/1 masks mean the same; a fully masked sample gives 0 (Keras would give NaN)
    expectArray(
      p.apply(x, {
        mask: tensor([
          [1, 1, 0],
          [0, 0, 0],
        ]),
      }) as Tensor,
      [
        [2, 1],
        [0, 0],
      ],
    );
    expectArray(p.apply(x, { mask: [mask] }) as Tensor, [
      [2, 1],
      [10, 20],
    ]);
    expect(p.computeMask(x, mask)).toBeNull();
  });

  it('channelsFirst pools over the last axis', () => {
    const p = new GlobalAveragePooling1D({ dataFormat: 'channelsFirst' });
    const xt = x.transpose([0, 2, 1]);
    expectArray(p.apply(xt) as Tensor, [
      [-1 / 3, 8 / 3],
      [12.5 / 3, 6],
    ]);
    expectArray(p.apply(xt, { mask }) as Tensor, [
      [2, 1],
      [10, 20],
    ]);
    expect(p.computeOutputShape([null, 2, 3])).toEqual([null, 2]);
  });

  it('matches tf.layers.globalAveragePooling1d without a mask (values, input gradient, config keys)', async () => {
    await tf.setBackend('cpu');
    const input = randomNormal([3, 7, 4], 0, 1, 'float32', 5);
    const w = randomNormal([3, 4], 0, 1, 'float32', 6);
    const ours = new GlobalAveragePooling1D();
    const theirs = tf.layers.globalAveragePooling1d({});
    const out = (ours.apply(input) as Tensor).dataSync();
    const ref = (theirs.apply(toTf(input)) as tf.Tensor).dataSync();
    out.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThanOrEqual(1e-5));
    const g = grad((xx) => sum(mul(ours.apply(xx) as Tensor, w)))(input).dataSync();
    const tg = tf
      .grad((xx: tf.Tensor) => tf.sum(tf.mul(theirs.apply(xx) as tf.Tensor, toTf(w))))(toTf(input))
      .dataSync();
    g.forEach((v, i) => expect(Math.abs(v - tg[i])).toBeLessThanOrEqual(1e-6));
    expect(Object.keys(ours.getConfig())).toEqual(expect.arrayContaining(Object.keys(theirs.getConfig())));
  });

  it('gradients match finite differences, with and without a mask', () => {
    const p = new GlobalAveragePooling1D();
    const input = randomInput([2, 3, 2], 1);
    checkGradients((xx) => p.apply(xx) as Tensor, [input]);
    const r = checkGradients((xx) => p.apply(xx, { mask }) as Tensor, [input]);
    // masked steps get no gradient
    expect(r.analytic[0][2 * 2]).toBe(0);
    expect(r.analytic[0][3 * 2]).toBe(0);
  });

  it('rejects inputs that are not rank 3 and masks of the wrong shape, naming the layer', () => {
    const p = new GlobalAveragePooling1D({ name: 'gap' });
    expect(() => p.apply(tensor([[1, 2]]))).toThrow(
      'Input 0 of layer gap is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: [1,2]',
    );
    expect(() =>
      p.apply(x, {
        mask: tensor(
          [
            [1, 1],
            [0, 1],
          ],
          undefined,
          'bool',
        ),
      }),
    ).toThrow('Layer gap: the mask must have shape [batch, steps] = [2,3] for input of shape [2,3,2], received [2,2].');
    expect(() => new GlobalAveragePooling1D({ dataFormat: 'nhwc' as 'channelsLast', name: 'gap2' })).toThrow(/gap2: dataFormat must be/);
  });
});

describe('GlobalMaxPooling1D', () => {
  it('takes the max over the steps (hand-worked), and over the unmasked steps only when masked', () => {
    const p = new GlobalMaxPooling1D();
    expectArray(p.apply(x) as Tensor, [
      [3, 6],
      [10, 20],
    ]);
    expectArray(p.apply(x, { mask }) as Tensor, [
      [3, 4],
      [10, 20],
    ]);
    expectArray(
      p.apply(x, {
        mask: tensor(
          [
            [0, 0, 1],
            [1, 1, 0],
          ],
          undefined,
          'bool',
        ),
      }) as Tensor,
      [
        [-5, 6],
        [2, 1],
      ],
    );
    // a fully masked sample gives 0
    expectArray(
      p.apply(x, {
        mask: tensor([
          [0, 0, 0],
          [1, 0, 0],
        ]),
      }) as Tensor,
      [
        [0, 0],
        [0.5, 1],
      ],
    );
    expectArray(new GlobalMaxPooling1D({ dataFormat: 'channelsFirst' }).apply(x.transpose([0, 2, 1]), { mask }) as Tensor, [
      [3, 4],
      [10, 20],
    ]);
  });

  it('matches tf.layers.globalMaxPooling1d without a mask (values and input gradient)', async () => {
    await tf.setBackend('cpu');
    const input = randomNormal([3, 7, 4], 0, 1, 'float32', 7);
    const w = randomNormal([3, 4], 0, 1, 'float32', 8);
    const ours = new GlobalMaxPooling1D();
    const theirs = tf.layers.globalMaxPooling1d({});
    const out = (ours.apply(input) as Tensor).dataSync();
    const ref = (theirs.apply(toTf(input)) as tf.Tensor).dataSync();
    out.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThanOrEqual(1e-6));
    const g = grad((xx) => sum(mul(ours.apply(xx) as Tensor, w)))(input).dataSync();
    const tg = tf
      .grad((xx: tf.Tensor) => tf.sum(tf.mul(theirs.apply(xx) as tf.Tensor, toTf(w))))(toTf(input))
      .dataSync();
    g.forEach((v, i) => expect(Math.abs(v - tg[i])).toBeLessThanOrEqual(1e-6));
  });

  it('gradients match finite differences, with and without a (partly fully-masked) mask', () => {
    const p = new GlobalMaxPooling1D();
    const input = randomInput([2, 4, 3], 2);
    checkGradients((xx) => p.apply(xx) as Tensor, [input]);
    const m = tensor(
      [
        [1, 0, 1, 1],
        [0, 0, 0, 0],
      ],
      undefined,
      'bool',
    );
    const r = checkGradients((xx) => p.apply(xx, { mask: m }) as Tensor, [input]);
    expect(Array.from(r.analytic[0].slice(12)).every((v) => v === 0)).toBe(true);
  });

  it('rejects inputs that are not rank 3, naming the layer', () => {
    expect(() => new GlobalMaxPooling1D({ name: 'gmp' }).apply(randomNormal([2, 3, 4, 5]))).toThrow(
      'Input 0 of layer gmp is incompatible with the layer: expected ndim=3, found ndim=4. Full shape received: [2,3,4,5]',
    );
  });
});

describe('Embedding(maskZero) → global pooling', () => {
  it('pools only the embeddings of non-padding ids', () => {
    const emb = new Embedding({ inputDim: 4, outputDim: 2, maskZero: true });
    const ids = tensor(
      [
        [2, 3, 0, 0],
        [1, 0, 0, 0],
      ],
      undefined,
      'int32',
    );
    emb.apply(ids);
    emb.setWeights([
      tensor([
        [100, 100],
        [1, -1],
        [2, 4],
        [6, -2],
      ]),
    ]);
    const seq = emb.apply(ids) as Tensor;
    const mask = emb.computeMask(ids);
    expectArray(new GlobalAveragePooling1D().apply(seq, { mask }) as Tensor, [
      [4, 1],
      [1, -1],
    ]);
    expectArray(new GlobalMaxPooling1D().apply(seq, { mask }) as Tensor, [
      [6, 4],
      [1, -1],
    ]);
  });
});
