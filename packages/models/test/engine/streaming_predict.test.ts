/**
 * Stateful streaming through predict: one time step per call takes the RNN layer's lean one-step path.
 * Checked against the whole sequence run at once by a non-stateful twin (fused kernels), and against the
 * op-by-op cell (useFusedKernel: false) for values and gradients through the one-step node.
 */
import { randomNormal, sum, Tensor, variableGrads } from '@recurrent/core';
import { layers, RNN } from '@recurrent/layers';
import { sequential } from '@recurrent/models';

const B = 2;
const T = 6;
const F = 4;

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

const MAKERS: [string, (args: object) => RNN][] = [
  ['LSTM', (a) => layers.lstm({ units: 5, ...a })],
  ['GRU resetAfter true', (a) => layers.gru({ units: 5, resetAfter: true, biasInitializer: 'randomNormal', ...a })],
  ['GRU resetAfter false', (a) => layers.gru({ units: 5, resetAfter: false, biasInitializer: 'randomNormal', ...a })],
  ['SimpleRNN', (a) => layers.simpleRNN({ units: 5, ...a })],
];

describe.each(MAKERS)('%s: stateful one-step predict', (_, make) => {
  test('T calls of one step equal one call on the whole sequence', () => {
    const stream = sequential({ layers: [make({ stateful: true, batchInputShape: [B, 1, F] }), layers.dense({ units: 2 })] });
    const whole = sequential({ layers: [make({ inputShape: [null, F] }), layers.dense({ units: 2 })] });
    whole.setWeights(stream.getWeights());
    const x = randomNormal([B, T, F], 0, 1, 'float32', 3);
    let y: Tensor | null = null;
    for (let t = 0; t < T; t++) y = stream.predict(x.slice([0, t, 0], [B, 1, F]));
    expectClose(y!.values, whole.predict(x).values);
    stream.resetStates();
    const first = stream.predict(x.slice([0, 0, 0], [B, 1, F]));
    expectClose(first.values, whole.predict(x.slice([0, 0, 0], [B, 1, F])).values);
  });

  test('returnSequences / returnState shapes and values match the op-by-op cell; gradients flow', () => {
    const fast = make({ returnSequences: true, returnState: true });
    const x = randomNormal([B, 1, F], 0, 1, 'float32', 4);
    const outs = fast.apply(x) as Tensor[];
    const slow = make({ returnSequences: true, returnState: true });
    slow.apply(x);
    slow.setWeights(fast.getWeights());
    slow.useFusedKernel = false;
    const ref = slow.apply(x) as Tensor[];
    expect(outs.map((t) => t.shape)).toEqual(ref.map((t) => t.shape));
    outs.forEach((o, i) => expectClose(o.values, ref[i].values));
    // Gradients with respect to every weight through the one-step node equal the op-by-op ones.
    const g = (layer: RNN) => {
      const { grads } = variableGrads(() => {
        const [y, ...states] = layer.apply(x) as Tensor[];
        return states.reduce((acc, s) => acc.add(sum(s.mul(s))), sum(y));
      }, layer.trainableWeights);
      return layer.trainableWeights.map((w) => grads[w.name]);
    };
    const gf = g(fast);
    const gs = g(slow);
    gf.forEach((t, i) => expectClose(t.values, gs[i].values, 1e-4));
  });
});
