import * as tf from '@tensorflow/tfjs';
import { mul, randomNormal, sum, Tensor, tensor, variableGrads } from '@recurrent/core';
import { Embedding, initializers, layers, resetNameCounters } from '@recurrent/layers';
import { runLayerHarness } from '../helpers/layer_harness';
import { maxDiff } from '../helpers/tfjs_compare';
import { checkWeightGradients } from '../helpers/weight_grad_check';

const ids = (rows: number[][]) => tensor(rows, undefined, 'int32');

runLayerHarness({
  make: () => new Embedding({ inputDim: 7, outputDim: 3 }),
  inputShape: [2, 4],
  makeInput: () =>
    ids([
      [1, 0, 6, 2],
      [3, 3, 5, 4],
    ]),
  expectedOutputShape: [2, 4, 3],
  expectedWeightShapes: [[7, 3]],
  expectedParamCount: 21,
});

runLayerHarness({
  title: 'Embedding with maskZero, inputLength, regularizer and constraint',
  make: () =>
    layers.embedding({
      inputDim: 5,
      outputDim: 2,
      maskZero: true,
      inputLength: 3,
      embeddingsRegularizer: 'l2',
      embeddingsConstraint: 'nonNeg',
      embeddingsInitializer: initializers.randomNormal({ seed: 3 }),
    }),
  inputShape: [2, 3],
  makeInput: () =>
    ids([
      [1, 0, 4],
      [2, 2, 0],
    ]),
  expectedOutputShape: [2, 3, 2],
  expectedWeightShapes: [[5, 2]],
  expectedParamCount: 10,
});

describe('Embedding', () => {
  beforeEach(() => resetNameCounters());

  it('looks up rows of the table (hand-worked), for int32 and whole-number float32 indices', () => {
    const e = new Embedding({ inputDim: 3, outputDim: 2 });
    e.apply(ids([[0]]));
    e.setWeights([
      tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    ]);
    const expected = [
      [
        [5, 6],
        [1, 2],
      ],
      [
        [3, 4],
        [3, 4],
      ],
    ];
    expect(
      (
        e.apply(
          ids([
            [2, 0],
            [1, 1],
          ]),
        ) as Tensor
      ).arraySync(),
    ).toEqual(expected);
    expect(
      (
        e.apply(
          tensor(
            [
              [2, 0],
              [1, 1],
            ],
            undefined,
            'float32',
          ),
        ) as Tensor
      ).arraySync(),
    ).toEqual(expected);
    // rank 1 and rank 3 indices work too
    expect((e.apply(ids([[1]]).reshape([1])) as Tensor).shape).toEqual([1, 2]);
    expect((e.apply(tensor([[[1, 2]]], undefined, 'int32')) as Tensor).shape).toEqual([1, 1, 2, 2]);
  });

  it('has tfjs names, defaults and config keys (checked against tf.layers.embedding)', () => {
    const e = new Embedding({ inputDim: 5, outputDim: 3 });
    e.apply(ids([[1, 2]]));
    expect(e.name).toBe('embedding');
    expect(e.weights.map((w) => w.originalName)).toEqual(['embedding/embeddings']);
    const config = e.getConfig();
    expect(config).toEqual({
      inputDim: 5,
      outputDim: 3,
      embeddingsInitializer: { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
      embeddingsRegularizer: null,
      activityRegularizer: null,
      embeddingsConstraint: null,
      maskZero: false,
      inputLength: null,
      name: 'embedding',
      trainable: true,
      batchInputShape: [null, null],
      dtype: 'float32',
    });
    const theirs = tf.layers.embedding({ inputDim: 5, outputDim: 3 }).getConfig();
    for (const key of Object.keys(theirs)) if (key !== 'name') expect(Object.keys(config)).toContain(key);
    const table = e.getWeights()[0].dataSync();
    for (const v of table) expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
    expect(new Embedding({ inputDim: 5, outputDim: 3, inputLength: 7 }).batchInputShape).toEqual([null, 7]);
    expect(new Embedding({ inputDim: 5, outputDim: 3, inputLength: 7, batchSize: 4 }).batchInputShape).toEqual([4, 7]);
  });

  it('matches tf.layers.embedding given the same table (outputs and gradient w.r.t. the table)', async () => {
    await tf.setBackend('cpu');
    const ours = new Embedding({ inputDim: 6, outputDim: 4 });
    const theirs = tf.layers.embedding({ inputDim: 6, outputDim: 4 });
    const rows = [
      [1, 5, 0, 5],
      [2, 2, 3, 4],
    ];
    ours.apply(ids(rows));
    theirs.apply(tf.tensor2d(rows, [2, 4], 'int32'));
    const table = ours.getWeights()[0];
    theirs.setWeights([tf.tensor(Array.from(table.dataSync()), table.shape)]);
    const out = (ours.apply(ids(rows)) as Tensor).dataSync();
    const ref = (theirs.apply(tf.tensor2d(rows, [2, 4], 'int32')) as tf.Tensor).dataSync();
    expect(maxDiff(out, ref)).toBeLessThanOrEqual(1e-6);

    const w = randomNormal([2, 4, 4], 0, 1, 'float32', 3);
    const { grads } = variableGrads(() => sum(mul(ours.apply(ids(rows)) as Tensor, w)), ours.trainableWeights);
    const tw = tf.tensor(Array.from(w.dataSync()), w.shape);
    const tg = tf.variableGrads(
      () => tf.sum(tf.mul(theirs.apply(tf.tensor2d(rows, [2, 4], 'int32')) as tf.Tensor, tw)) as tf.Scalar,
      theirs.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val),
    );
    const theirGrad = Object.values(tg.grads)[0];
    expect(maxDiff(grads[ours.trainableWeights[0].name].dataSync(), theirGrad.dataSync())).toBeLessThanOrEqual(1e-5);
  });

  it('gradient w.r.t. the table matches finite differences (repeated indices scatter-add)', () => {
    const e = new Embedding({ inputDim: 4, outputDim: 3 });
    const x = ids([
      [1, 3, 1],
      [0, 1, 3],
    ]);
    e.apply(x);
    e.setWeights([randomNormal([4, 3], 0, 1, 'float32', 8)]);
    const w = randomNormal([2, 3, 3], 0, 1, 'float32', 9);
    checkWeightGradients(e, () => sum(mul(e.apply(x) as Tensor, w)));
    // Row 2 is never looked up: its gradient is exactly zero.
    const { grads } = variableGrads(() => sum(e.apply(x) as Tensor), e.trainableWeights);
    const g = grads[e.trainableWeights[0].name].arraySync() as number[][];
    expect(g).toEqual([
      [1, 1, 1],
      [3, 3, 3],
      [0, 0, 0],
      [2, 2, 2],
    ]);
  });

  it('computeMask is indices != 0 with maskZero, null otherwise', () => {
    const e = new Embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const x = ids([
      [3, 0, 1],
      [0, 0, 4],
    ]);
    e.apply(x);
    const m = e.computeMask(x) as Tensor;
    expect(m.dtype).toBe('bool');
    expect(m.shape).toEqual([2, 3]);
    expect(Array.from(m.dataSync())).toEqual([1, 0, 1, 0, 0, 1]);
    expect(e.supportsMasking).toBe(true);
    const plain = new Embedding({ inputDim: 5, outputDim: 2 });
    expect(plain.computeMask(x)).toBeNull();
    expect(
      plain.computeMask(
        x,
        tensor(
          [
            [1, 1, 1],
            [1, 1, 1],
          ],
          undefined,
          'bool',
        ),
      ),
    ).toBeNull();
  });

  it('rejects out-of-range and non-integer indices naming the layer, the index and inputDim', () => {
    const e = new Embedding({ inputDim: 5, outputDim: 2, name: 'emb' });
    expect(() => e.apply(ids([[1, 5]]))).toThrow(
      'Layer emb: index 5 at position [0,1] of the input with shape [1,2] is out of range [0, 5) for inputDim 5.',
    );
    expect(() => e.apply(ids([[-1, 2]]))).toThrow(/Layer emb: index -1 .*out of range \[0, 5\) for inputDim 5/);
    expect(() => e.apply(tensor([[1, 2.5]]))).toThrow(/Layer emb: index 2.5 at position \[0,1\].*not a whole number.*\[0, 5\)/);
    expect(() => e.apply(tensor([[true, false]], undefined, 'bool'))).toThrow(/Layer emb: indices must be int32 or float32.*bool/);
  });

  it('rejects inputs that disagree with inputLength, and bad args', () => {
    const e = new Embedding({ inputDim: 5, outputDim: 2, inputLength: 3, name: 'emb2' });
    expect(() => e.apply(ids([[1, 2]]))).toThrow(
      /Layer emb2: inputLength is 3, so the input must have shape \[null,3\], but received input of shape \[1,2\]/,
    );
    expect(() => e.apply(ids([[1, 2, 3]]).reshape([1, 3, 1]))).toThrow(/emb2.*inputLength is 3/);
    expect(e.computeOutputShape([null, 3])).toEqual([null, 3, 2]);
    expect(() => new Embedding({ inputDim: 0, outputDim: 2 })).toThrow(/inputDim must be a positive integer, received 0/);
    expect(() => new Embedding({ inputDim: 3, outputDim: 1.5 })).toThrow(/outputDim must be a positive integer, received 1.5/);
  });

  it('regularization loss is the penalty of the table', () => {
    const e = new Embedding({ inputDim: 3, outputDim: 2, embeddingsRegularizer: 'l2', embeddingsInitializer: 'ones' });
    e.apply(ids([[1]]));
    expect(e.losses.length).toBe(1);
    expect(e.losses[0].dataSync()[0]).toBeCloseTo(0.01 * 6, 6);
  });
});
