import * as tf from '@tensorflow/tfjs';
import { grad, mul, randomNormal, sum, Tensor, tensor, variableGrads } from '@recurrent/core';
import {
  Dense,
  deserialize,
  Dropout,
  initializers,
  Layer,
  LayerNormalization,
  layers,
  resetNameCounters,
  serialize,
  TimeDistributed,
} from '@recurrent/layers';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { runLayerHarness } from '../helpers/layer_harness';
import { maxDiff, toTf } from '../helpers/tfjs_compare';
import { checkWeightGradients } from '../helpers/weight_grad_check';

runLayerHarness({
  make: () => layers.timeDistributed({ layer: layers.dense({ units: 3, activation: 'tanh' }) }),
  inputShape: [2, 4, 5],
  expectedOutputShape: [2, 4, 3],
  expectedWeightShapes: [[5, 3], [3]],
  expectedParamCount: 18,
});

runLayerHarness({
  title: 'TimeDistributed(Dense) on rank-4 input with a kernel regularizer',
  make: () => new TimeDistributed({ layer: new Dense({ units: 2, kernelRegularizer: 'l2' }) }),
  inputShape: [2, 3, 4, 5],
  expectedOutputShape: [2, 3, 4, 2],
  expectedWeightShapes: [[5, 2], [2]],
  expectedParamCount: 12,
});

runLayerHarness({
  title: 'TimeDistributed(LayerNormalization)',
  make: () => new TimeDistributed({ layer: new LayerNormalization({}) }),
  inputShape: [2, 3, 4],
  expectedOutputShape: [2, 3, 4],
  expectedWeightShapes: [[4], [4]],
  expectedParamCount: 8,
});

describe('TimeDistributed', () => {
  beforeEach(() => resetNameCounters());

  it('applies the layer to every time slice (equals the inner layer on each slice)', () => {
    const dense = new Dense({
      units: 2,
      activation: 'relu',
      kernelInitializer: initializers.glorotNormal({ seed: 1 }),
      biasInitializer: 'ones',
    });
    const td = new TimeDistributed({ layer: dense });
    const x = randomNormal([3, 4, 5], 0, 1, 'float32', 2);
    const out = td.apply(x) as Tensor;
    expect(out.shape).toEqual([3, 4, 2]);
    const v = out.arraySync() as number[][][];
    for (let t = 0; t < 4; t++) {
      const slice = x.slice([0, t, 0], [3, 1, 5]).reshape([3, 5]);
      const ref = (dense.apply(slice) as Tensor).arraySync() as number[][];
      for (let b = 0; b < 3; b++) for (let u = 0; u < 2; u++) expect(v[b][t][u]).toBeCloseTo(ref[b][u], 6);
    }
    // batch size and number of steps may change between calls
    expect((td.apply(randomNormal([1, 7, 5])) as Tensor).shape).toEqual([1, 7, 2]);
  });

  it("weights are the inner layer's, named after the wrapper as tfjs; config nests the inner layer", () => {
    const td = layers.timeDistributed({ layer: layers.dense({ units: 2 }) });
    td.apply(randomNormal([1, 2, 3]));
    expect(td.name).toBe('time_distributed');
    expect(td.weights.map((w) => w.originalName)).toEqual(['time_distributed/kernel', 'time_distributed/bias']);
    expect(td.weights).toEqual(td.layer.weights);
    const theirs = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) });
    theirs.apply(tf.zeros([1, 2, 3]));
    const prefix = theirs.name;
    expect(theirs.weights.map((w) => w.name.replace(prefix, 'time_distributed'))).toEqual([
      'time_distributed/kernel',
      'time_distributed/bias',
    ]);
    const config = td.getConfig();
    expect(config.layer).toEqual({ className: 'Dense', config: td.layer.getConfig() });
    expect(Object.keys(config)).toEqual(expect.arrayContaining(Object.keys(theirs.getConfig())));
    const viaRegistry = deserialize<TimeDistributed>(JSON.parse(JSON.stringify(serialize(td))), 'layer');
    expect(viaRegistry.layer).toBeInstanceOf(Dense);
    expect((viaRegistry.layer as Dense).units).toBe(2);
    // a tfjs TimeDistributed config deserializes too
    const fromTfjs = deserialize<TimeDistributed>(
      JSON.parse(JSON.stringify({ className: 'TimeDistributed', config: theirs.getConfig() })),
      'layer',
    );
    expect((fromTfjs.layer as Dense).units).toBe(2);
  });

  it('nests (Keras TimeDistributed(TimeDistributed(Dense)) on 4D input): per-slice Dense, and a direct fromConfig of the nested config', () => {
    const outer = layers.timeDistributed({ layer: layers.timeDistributed({ layer: layers.dense({ units: 2 }) }) });
    const x = randomNormal([2, 3, 4, 5], 0, 1, 'float32', 3);
    const y = outer.apply(x) as Tensor;
    expect(y.shape).toEqual([2, 3, 4, 2]);
    const dense = (outer.layer as TimeDistributed).layer as Dense;
    const [W, b] = dense.getWeights().map((w) => w.dataSync());
    const xs = x.dataSync();
    const ys = y.dataSync();
    for (let row = 0; row < 2 * 3 * 4; row++) {
      for (let u = 0; u < 2; u++) {
        let v = b[u];
        for (let f = 0; f < 5; f++) v += xs[row * 5 + f] * W[f * 2 + u];
        expect(Math.abs(ys[row * 2 + u] - v)).toBeLessThan(1e-5);
      }
    }
    // Outside deserialize and a model file: the nested wrapper's class is found by the wrapper itself.
    const again = (TimeDistributed as typeof Layer).fromConfig(JSON.parse(JSON.stringify(outer.getConfig()))) as TimeDistributed;
    expect(again.layer).toBeInstanceOf(TimeDistributed);
    expect((again.layer as TimeDistributed).layer).toBeInstanceOf(Dense);
  });

  it('trainable, losses and setWeights go to the inner layer', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2, kernelRegularizer: 'l1', kernelInitializer: 'ones' }) });
    td.apply(randomNormal([1, 2, 3]));
    expect(td.losses.length).toBe(1);
    expect(td.losses[0].dataSync()[0]).toBeCloseTo(0.01 * 6, 6);
    td.trainable = false;
    expect(td.layer.trainable).toBe(false);
    expect(td.trainableWeights.length).toBe(0);
    expect(td.getConfig().trainable).toBe(false);
    td.setWeights([
      tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      tensor([1, 1]),
    ]);
    expect(Array.from(td.layer.getWeights()[0].dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    const frozen = new TimeDistributed({ layer: new Dense({ units: 2 }), trainable: false });
    expect(frozen.layer.trainable).toBe(false);
  });

  it('matches tf.layers.timeDistributed(dense): outputs and gradients w.r.t. input and weights (1e-5)', async () => {
    await tf.setBackend('cpu');
    const ours = new TimeDistributed({ layer: new Dense({ units: 3, activation: 'sigmoid' }) });
    const theirs = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'sigmoid' }) });
    const x = randomNormal([2, 5, 4], 0, 1, 'float32', 3);
    const w = randomNormal([2, 5, 3], 0, 1, 'float32', 4);
    ours.apply(x);
    theirs.apply(toTf(x));
    theirs.setWeights(ours.getWeights().map(toTf));
    expect(maxDiff((ours.apply(x) as Tensor).dataSync(), (theirs.apply(toTf(x)) as tf.Tensor).dataSync())).toBeLessThanOrEqual(1e-5);
    const gx = grad((xx) => sum(mul(ours.apply(xx) as Tensor, w)))(x).dataSync();
    const tgx = tf
      .grad((xx: tf.Tensor) => tf.sum(tf.mul(theirs.apply(xx) as tf.Tensor, toTf(w))))(toTf(x))
      .dataSync();
    expect(maxDiff(gx, tgx)).toBeLessThanOrEqual(1e-5);
    const { grads } = variableGrads(() => sum(mul(ours.apply(x) as Tensor, w)), ours.trainableWeights);
    const tvars = theirs.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
    const tg = tf.variableGrads(() => tf.sum(tf.mul(theirs.apply(toTf(x)) as tf.Tensor, toTf(w))) as tf.Scalar, tvars);
    ours.trainableWeights.forEach((v, i) =>
      expect(maxDiff(grads[v.name].dataSync(), tg.grads[tvars[i].name].dataSync())).toBeLessThanOrEqual(1e-5),
    );
  });

  it('gradients w.r.t. input, kernel and bias match finite differences', () => {
    const td = new TimeDistributed({
      layer: new Dense({
        units: 2,
        activation: 'tanh',
        kernelInitializer: initializers.glorotNormal({ seed: 5 }),
        biasInitializer: initializers.randomNormal({ seed: 6 }),
      }),
    });
    const x = randomInput([2, 3, 4], 7);
    td.apply(x);
    checkGradients((xx) => td.apply(xx) as Tensor, [x]);
    const w = randomNormal([2, 3, 2], 0, 1, 'float32', 8);
    checkWeightGradients(td, () => sum(mul(td.apply(x) as Tensor, w)));
  });

  it('passes the mask through, hands the inner layer the folded mask, and forwards training', () => {
    const seen: { mask?: unknown; training?: unknown }[] = [];
    class Spy extends Layer {
      static override className = 'Spy';
      override call(inputs: Tensor | Tensor[], kwargs: { mask?: unknown; training?: unknown }): Tensor | Tensor[] {
        seen.push({ mask: kwargs.mask, training: kwargs.training });
        return inputs;
      }
    }
    const td = new TimeDistributed({ layer: new Spy() });
    const mask = tensor(
      [
        [1, 0, 1],
        [1, 1, 0],
      ],
      undefined,
      'bool',
    );
    const x = randomNormal([2, 3, 4]);
    td.apply(x, { mask, training: true });
    expect((seen[0].mask as Tensor).shape).toEqual([6]);
    expect(Array.from((seen[0].mask as Tensor).dataSync())).toEqual([1, 0, 1, 1, 1, 0]);
    expect(seen[0].training).toBe(true);
    expect(td.computeMask(x, mask)).toBe(mask);
    // dropout inside runs only in training
    const tdDrop = new TimeDistributed({ layer: new Dropout({ rate: 0.5, seed: 1 }) });
    expect((tdDrop.apply(x) as Tensor).dataSync()).toEqual(x.dataSync());
    const dropped = (tdDrop.apply(x, { training: true }) as Tensor).dataSync();
    expect(Array.from(dropped).some((v) => v === 0)).toBe(true);
  });

  it('rejects inputs of rank < 3, a changed feature size and a missing layer, naming the layer', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2 }), name: 'td' });
    expect(() => td.apply(randomNormal([2, 5]))).toThrow(
      'Layer td: TimeDistributed expects inputs of rank >= 3 ([batch, timeSteps, ...]), received input shape [2,5].',
    );
    td.apply(randomNormal([2, 3, 5]));
    expect(() => td.apply(randomNormal([2, 3, 4]))).toThrow(/layer td .*axis 2 .*value 5.*\[2,3,4\]/);
    expect(() => new TimeDistributed({ layer: undefined as unknown as Layer, name: 'td2' })).toThrow(
      /td2: expected args.layer to be a Layer/,
    );
  });
});
