/**
 * The per-layer streaming hook `Layer.stepFunction()`: a custom layer that implements it streams inside a model
 * with a recurrent layer (step equals predict), also wrapped in TimeDistributed; one without it, or one that throws
 * `StepRefusal`, is refused naming the layer and the reason (inside TimeDistributed it streams all the same: one step
 * is the inner layer applied to the frame). The built-in per-step layers go through the same hook
 * (their cases are in streaming.test.ts).
 */
import { mul, randomNormal, Tensor, tensor } from '@recurrent/core';
import { Layer, layers, LayerVariable, StepRefusal } from '@recurrent/layers';
import type { LayerStepFunction, Shape } from '@recurrent/layers';
import { sequential } from '@recurrent/models';

const B = 2;
const T = 6;
const F = 4;

/** A per-feature scale x·w with w [features] (weights from a fixed formula, so the layer is not the identity). */
class Scale extends Layer {
  static override className = 'Scale';
  private w!: LayerVariable;
  override build(inputShape: Shape): void {
    const n = inputShape[inputShape.length - 1]!;
    this.w = this.addWeight('w', [n], 'float32', 'ones');
    this.w.assign(
      tensor(
        Float32Array.from({ length: n }, (_, i) => 0.5 + 0.3 * i),
        [n],
        'float32',
      ),
    );
    super.build(inputShape);
  }
  override call(x: Tensor | Tensor[]): Tensor {
    return mul(x as Tensor, this.w.read());
  }
  override stepFunction(): LayerStepFunction | null {
    return (xt) => this.call(xt);
  }
}

/** The same layer without the hook: it cannot say whether it acts on each step alone. */
class OpaqueScale extends Scale {
  static override className = 'OpaqueScale';
  override stepFunction(): LayerStepFunction | null {
    return null;
  }
}

/** A layer that refuses to stream with a reason. */
class Picky extends Scale {
  static override className = 'Picky';
  override stepFunction(): LayerStepFunction | null {
    throw new StepRefusal(this, 'its option "mode" is "global"');
  }
}

function stepOf(x: Tensor, t: number): Tensor {
  const [b, time, f] = x.shape;
  const out = new Float32Array(b * f);
  for (let i = 0; i < b; i++) out.set((x.values as Float32Array).subarray((i * time + t) * f, (i * time + t + 1) * f), i * f);
  return tensor(out, [b, f], 'float32');
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

function expectStepEqualsPredict(model: ReturnType<typeof sequential>): void {
  const x = randomNormal([B, T, F], 0, 1, 'float32', 5);
  const whole = model.predict(x) as Tensor;
  let s = model.initState(B);
  for (let t = 0; t < T; t++) {
    const [y, next] = model.step(stepOf(x, t), s);
    expectClose(y.values, stepOf(whole, t).values);
    s = next;
  }
}

describe('Layer.stepFunction(): custom layers stream', () => {
  test('a custom Scale before and after an LSTM: step equals predict', () => {
    const model = sequential({
      layers: [new Scale({ inputShape: [null, F] }), layers.lstm({ units: 3, returnSequences: true }), new Scale({})],
    });
    expectStepEqualsPredict(model);
  });

  test("TimeDistributed of a custom Scale streams through the inner layer's hook", () => {
    const model = sequential({
      layers: [layers.gru({ units: 3, returnSequences: true, inputShape: [null, F] }), layers.timeDistributed({ layer: new Scale({}) })],
    });
    expectStepEqualsPredict(model);
  });

  test('the base Layer has no step function; the built-in per-step layers do', () => {
    expect(new Layer({}).stepFunction()).toBeNull();
    const dense = layers.dense({ units: 2 });
    const x = randomNormal([B, F], 0, 1, 'float32', 2);
    expectClose(dense.stepFunction()!(x).values, (dense.apply(x) as Tensor).values);
    expect(layers.dropout({ rate: 0.5 }).stepFunction()!(x)).toBe(x);
    expect(layers.globalAveragePooling1d({}).stepFunction()).toBeNull();
  });

  test('a custom layer without the hook is refused, naming it', () => {
    const model = sequential({
      layers: [layers.lstm({ units: 3, returnSequences: true, inputShape: [null, F] }), new OpaqueScale({ name: 'opaque' })],
    });
    expect(() => model.initState(1)).toThrow(/step\(\) cannot run layer 'opaque' \(OpaqueScale\): it is not a recurrent or per-step layer/);
  });

  test("a StepRefusal thrown by the hook becomes the model's error with its reason", () => {
    const model = sequential({ layers: [new Picky({ name: 'picky', inputShape: [null, F] }), layers.lstm({ units: 3 })] });
    expect(() => model.initState(1)).toThrow(
      /step\(\) cannot run layer 'picky' \(Picky\): its option "mode" is "global"\. Use predict\(\)/,
    );
  });

  test('TimeDistributed of a layer without the hook (or refusing it) streams: one step is the inner layer on the frame', () => {
    for (const inner of [new OpaqueScale({ name: 'inner' }), new Picky({ name: 'picky' })]) {
      const td = sequential({
        layers: [
          layers.lstm({ units: 3, returnSequences: true, inputShape: [null, F] }),
          layers.timeDistributed({ layer: inner, name: 'td' }),
        ],
      });
      expectStepEqualsPredict(td);
    }
  });
});
