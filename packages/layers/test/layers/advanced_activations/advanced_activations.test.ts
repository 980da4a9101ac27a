/** LeakyReLU, PReLU, ELU, ThresholdedReLU, Softmax and ReLU layers: harness, tfjs parity (values, input and weight gradients), Keras forms, bad input. */
import * as tf from '@tensorflow/tfjs';
import { grads, mul, randomNormal, sum, Tensor, tensor } from '@recurrent/core';
import {
  deserialize,
  ELULayer,
  initializers,
  Layer,
  layers,
  LeakyReLULayer,
  PReLULayer,
  ReLULayer,
  resetNameCounters,
  SoftmaxLayer,
  ThresholdedReLULayer,
} from '@recurrent/layers';
import { checkGradients } from '../../../../core/test/helpers/grad_check';
import { runLayerHarness } from '../../helpers/layer_harness';
import { expectTfjsParity } from '../../helpers/tfjs_layer_parity';
import { checkWeightGradients } from '../../helpers/weight_grad_check';

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

const none = { expectedWeightShapes: [], expectedParamCount: 0, inputShape: [2, 4, 3], expectedOutputShape: [2, 4, 3] };
runLayerHarness({ make: () => layers.leakyReLU(), ...none });
runLayerHarness({ make: () => layers.elu({ alpha: 0.5 }), ...none });
runLayerHarness({ make: () => layers.thresholdedReLU({ theta: 0.2 }), ...none });
runLayerHarness({ make: () => layers.softmax({ axis: 1 }), ...none });
runLayerHarness({ make: () => layers.reLU({ maxValue: 1 }), ...none });
runLayerHarness({
  make: () => layers.prelu({ sharedAxes: [1], alphaInitializer: initializers.randomUniform({ seed: 1 }) }),
  inputShape: [2, 4, 3],
  expectedOutputShape: [2, 4, 3],
  expectedWeightShapes: [[1, 3]],
  expectedParamCount: 3,
});
runLayerHarness({
  title: 'PReLU unshared',
  make: () => layers.prelu({ alphaInitializer: 'randomUniform' }),
  inputShape: [2, 4, 3],
  expectedOutputShape: [2, 4, 3],
  expectedWeightShapes: [[4, 3]],
  expectedParamCount: 12,
});

describe('against tfjs (values, input gradients, weight gradients; 1e-5)', () => {
  // Inputs away from the kinks (|x| ≥ 0.05 from 0, theta and the cap) so the gradients are defined.
  const x = () => {
    const v = Array.from(randomNormal([2, 5, 3], 0, 1.5, 'float32', 3).dataSync()).map((e) => (Math.abs(e) < 0.05 ? 0.3 : e));
    return tensor(v, [2, 5, 3]);
  };
  const cases: Array<[string, () => Layer, () => tf.layers.Layer]> = [
    ['LeakyReLU default (alpha 0.3)', () => new LeakyReLULayer(), () => tf.layers.leakyReLU()],
    ['LeakyReLU alpha 0.1', () => new LeakyReLULayer({ alpha: 0.1 }), () => tf.layers.leakyReLU({ alpha: 0.1 })],
    ['ELU', () => new ELULayer(), () => tf.layers.elu()],
    ['ThresholdedReLU theta 0.5', () => new ThresholdedReLULayer({ theta: 0.53 }), () => tf.layers.thresholdedReLU({ theta: 0.53 })],
    ['Softmax', () => new SoftmaxLayer(), () => tf.layers.softmax({ axis: -1 })],
    ['Softmax axis 2', () => new SoftmaxLayer({ axis: 2 }), () => tf.layers.softmax({ axis: 2 })],
    ['ReLU', () => new ReLULayer(), () => tf.layers.reLU()],
    ['ReLU maxValue 0.83', () => new ReLULayer({ maxValue: 0.83 }), () => tf.layers.reLU({ maxValue: 0.83 })],
    ['PReLU', () => new PReLULayer({ alphaInitializer: initializers.randomUniform({ seed: 2 }) }), () => tf.layers.prelu()],
    [
      'PReLU sharedAxes [1, 2]',
      () => new PReLULayer({ sharedAxes: [1, 2], alphaInitializer: initializers.randomUniform({ seed: 2 }) }),
      () => tf.layers.prelu({ sharedAxes: [1, 2] }),
    ],
  ];
  cases.forEach(([title, ours, theirs]) => {
    it(title, () => {
      // tfjs has no gradient for Greater (its ThresholdedReLU): values only; finite differences below cover ours.
      expectTfjsParity(ours(), theirs(), x(), { gradients: !title.startsWith('ThresholdedReLU') });
    });
  });
  it('Softmax axis 1 (tfjs runs softmax on the last axis only): equals tfjs softmax of the transposed input, values and input gradient', () => {
    const xx = x();
    const dy = randomNormal([2, 5, 3], 0, 1, 'float32', 8);
    const layer = new SoftmaxLayer({ axis: 1 });
    const f = (a: tf.Tensor) => tf.transpose(tf.softmax(tf.transpose(a, [0, 2, 1])), [0, 2, 1]);
    const tx = tf.tensor(Array.from(xx.dataSync()), [2, 5, 3]);
    expect(maxAbs((layer.apply(xx) as Tensor).dataSync(), f(tx).dataSync())).toBeLessThanOrEqual(1e-6);
    const tdy = tf.tensor(Array.from(dy.dataSync()), [2, 5, 3]);
    const tg = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a), tdy)))(tx);
    const [g] = grads((a: Tensor) => sum(mul(layer.apply(a) as Tensor, dy)))([xx]);
    expect(maxAbs(g.dataSync(), tg.dataSync())).toBeLessThanOrEqual(1e-6);
  });
  it('ThresholdedReLU input gradient by finite differences', () => {
    checkGradients((a) => new ThresholdedReLULayer({ theta: 0.53 }).apply(a) as Tensor, [x()]);
  });
  it("config keys are tfjs's", () => {
    const pairs: Array<[Layer, tf.layers.Layer]> = [
      [new LeakyReLULayer(), tf.layers.leakyReLU()],
      [new ELULayer(), tf.layers.elu()],
      [new ThresholdedReLULayer(), tf.layers.thresholdedReLU()],
      [new SoftmaxLayer(), tf.layers.softmax()],
      [new ReLULayer({ maxValue: 2 }), tf.layers.reLU({ maxValue: 2 })],
      [new PReLULayer(), tf.layers.prelu()],
    ];
    for (const [o, t] of pairs) {
      const theirs = t.getConfig();
      const ours = o.getConfig();
      expect(Object.keys(ours).sort()).toEqual([...new Set([...Object.keys(theirs), 'dtype', 'name', 'trainable'])].sort());
      // Softmax: tfjs's default axis is 1 (see the class's tfjs note).
      for (const k of Object.keys(theirs))
        if (!['name', 'trainable', 'dtype'].includes(k) && !(o instanceof SoftmaxLayer))
          expect([k, ours[k]]).toEqual([k, theirs[k] ?? null]);
    }
  });
});

describe('beyond tfjs (float64 formulas, finite differences)', () => {
  it('ELU with alpha ≠ 1 (tfjs refuses it): alpha·(exp(x) − 1) below 0', () => {
    const y = (new ELULayer({ alpha: 0.5 }).apply(tensor([-1, 2, -0.1])) as Tensor).dataSync();
    [0.5 * (Math.exp(-1) - 1), 2, 0.5 * (Math.exp(-0.1) - 1)].forEach((e, i) => expect(Math.abs(y[i] - e)).toBeLessThan(1e-6));
    checkGradients((a) => new ELULayer({ alpha: 0.5 }).apply(a) as Tensor, [tensor([-1, 2, -0.3, 0.7])]);
  });
  it("ReLU with Keras's negativeSlope and threshold", () => {
    const r = new ReLULayer({ maxValue: 3, negativeSlope: 0.1, threshold: 1 });
    const y = (r.apply(tensor([-1, 0.5, 2, 5])) as Tensor).dataSync();
    [0.1 * -2, 0.1 * -0.5, 2, 3].forEach((e, i) => expect(Math.abs(y[i] - e)).toBeLessThan(1e-6));
    expect(r.getConfig()).toMatchObject({ maxValue: 3, negativeSlope: 0.1, threshold: 1 });
    checkGradients((a) => r.apply(a) as Tensor, [tensor([-1, 0.5, 2, 5])]);
  });
  it('ReLU with a threshold: an input equal to the threshold gives 0 (Keras keeps only x > threshold)', () => {
    // Keras 3.15 keras.layers.ReLU(...)(x) for x = [-2, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3]; by Keras's formula
    // x·[x > threshold] clipped to maxValue, minus negativeSlope·relu(threshold − x): 0 at x = threshold.
    const x = tensor([-2, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3]);
    const cases: [ConstructorParameters<typeof ReLULayer>[0], number[]][] = [
      [{ threshold: 1 }, [0, 0, 0, 0, 0, 0, 1.5, 2, 3]],
      [{ threshold: 1, negativeSlope: 0.5 }, [-1.5, -1, -0.75, -0.5, -0.25, 0, 1.5, 2, 3]],
      [{ threshold: 1, maxValue: 2 }, [0, 0, 0, 0, 0, 0, 1.5, 2, 2]],
      [{ threshold: 1, negativeSlope: 0.5, maxValue: 2 }, [-1.5, -1, -0.75, -0.5, -0.25, 0, 1.5, 2, 2]],
    ];
    for (const [args, keras] of cases) {
      const y = (new ReLULayer(args).apply(x) as Tensor).dataSync();
      expect(maxAbs(y, keras)).toBeLessThan(1e-6);
    }
  });
  it('ReLU refuses a negative threshold, as Keras 3 (it would keep negative inputs above it)', () => {
    expect(() => new ReLULayer({ threshold: -1 })).toThrow(/Layer re_lu.*: threshold must be a finite number ≥ 0, received -1/);
  });
  it('LeakyReLU from a Keras 3 file: negative_slope (camel-cased by the loader) is alpha', () => {
    const l = deserialize<Layer>(
      { className: 'LeakyReLU', config: { name: 'l', negativeSlope: 0.2, trainable: true, dtype: 'float32' } },
      'layer',
    );
    expect((l as LeakyReLULayer).alpha).toBe(0.2);
    expect(Array.from((l.apply(tensor([-1])) as Tensor).dataSync())[0]).toBeCloseTo(-0.2, 6);
    expect(l.getConfig().alpha).toBe(0.2);
  });
  it('PReLU weight gradient by finite differences; tfjs weight names', () => {
    const p = new PReLULayer({ sharedAxes: 1, alphaInitializer: 'randomUniform' });
    const x = tensor([
      [
        [-1, 2],
        [-0.5, -3],
      ],
      [
        [1, -2],
        [0.7, -0.2],
      ],
    ]);
    const w = randomNormal([2, 2, 2], 0, 1, 'float32', 5);
    checkWeightGradients(p, () => sum(mul(p.apply(x) as Tensor, w)));
    expect(p.weights.map((v) => v.originalName)).toEqual(['p_re_lu/alpha']);
  });
  it('masks pass through', () => {
    const m = tensor([[1, 0]]);
    for (const l of [
      new LeakyReLULayer(),
      new PReLULayer({ sharedAxes: [1] }),
      new ELULayer(),
      new ThresholdedReLULayer(),
      new SoftmaxLayer(),
      new ReLULayer(),
    ] as Layer[]) {
      l.apply(randomNormal([1, 2, 3]));
      expect(l.computeMask(randomNormal([1, 2, 3]), m)).toBe(m);
    }
  });
});

describe('bad input names the layer', () => {
  it('bad args and shapes', () => {
    expect(() => new PReLULayer({ name: 'p1' }).apply(randomNormal([3]))).toThrow(/p1.*\[3\]/);
    expect(() => new PReLULayer({ name: 'p2' }).build([null, null, 3])).toThrow(
      'Layer p2: alpha needs known sizes on the non-shared axes; input shape [null,null,3]',
    );
    expect(() => new PReLULayer({ sharedAxes: [0], name: 'p3' })).toThrow('Layer p3: sharedAxes must be positive integers');
    expect(() => new SoftmaxLayer({ axis: 3, name: 's' }).apply(randomNormal([2, 3]))).toThrow(
      'Layer s: axis 3 is out of range for input shape [2,3]',
    );
    expect(() => new ReLULayer({ maxValue: -1, name: 'r' })).toThrow('Layer r: maxValue must be a finite number ≥ 0, received -1');
    expect(() => new LeakyReLULayer({ alpha: 0.1, negativeSlope: 0.2, name: 'l' })).toThrow(
      'Layer l: alpha (0.1) and negativeSlope (0.2) name the same slope',
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => new ThresholdedReLULayer({ threshold: 1 } as any)).toThrow("ThresholdedReLU: unknown option 'threshold'");
  });
});
