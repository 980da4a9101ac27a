/**
 * Inference paths that keep packed weights between calls (the layers' step kernels: batch-1 `predict` of a
 * whole sequence, stateful one-step `predict`, `model.step`) must see every weight change: after `fit`
 * (an optimizer step), `setWeights` and `loadWeights`-style assignment, predict equals the op-by-op path
 * (`useFusedKernel: false`, `cell.call` per step) on the new weights.
 */
import { randomNormal, Tensor } from '@recurrent/core';
import { layers, RNN } from '@recurrent/layers';
import { sequential } from '@recurrent/models';

function maxDiff(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
}

/** predict with every recurrent layer on the op-by-op path. */
function reference(m: ReturnType<typeof sequential>, x: Tensor): Tensor {
  const rnns = m.layers.filter((l): l is RNN => l instanceof RNN);
  rnns.forEach((l) => (l.useFusedKernel = false));
  try {
    return m.predict(x) as Tensor;
  } finally {
    rnns.forEach((l) => (l.useFusedKernel = true));
  }
}

describe('packed weights follow training and weight changes', () => {
  test('batch-1 sequence predict after fit (adam), then after setWeights', async () => {
    const m = sequential({
      layers: [
        layers.lstm({ units: 6, inputShape: [8, 3], returnSequences: true }),
        layers.gru({ units: 4, resetAfter: true, recurrentActivation: 'sigmoid' }),
      ],
    });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x1 = randomNormal([1, 8, 3], 0, 1, 'float32', 1);
    const before = m.predict(x1) as Tensor;
    expect(maxDiff(before, reference(m, x1))).toBeLessThanOrEqual(2e-6);
    await m.fit(randomNormal([16, 8, 3], 0, 1, 'float32', 2), randomNormal([16, 4], 0, 1, 'float32', 3), {
      epochs: 2,
      batchSize: 4,
      verbose: 0,
    });
    const afterFit = m.predict(x1) as Tensor;
    expect(maxDiff(afterFit, before)).toBeGreaterThan(1e-4);
    expect(maxDiff(afterFit, reference(m, x1))).toBeLessThanOrEqual(2e-6);
    m.setWeights(m.getWeights().map((w, i) => randomNormal(w.shape.slice(), 0, 0.3, 'float32', 10 + i)));
    const afterSet = m.predict(x1) as Tensor;
    expect(maxDiff(afterSet, afterFit)).toBeGreaterThan(1e-4);
    expect(maxDiff(afterSet, reference(m, x1))).toBeLessThanOrEqual(2e-6);
  });

  test('stateful one-step predict and model.step after trainOnBatch', async () => {
    const make = () =>
      sequential({ layers: [layers.lstm({ units: 5, stateful: true, batchInputShape: [1, 1, 3] }), layers.dense({ units: 2 })] });
    const m = make();
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xt = randomNormal([1, 1, 3], 0, 1, 'float32', 4);
    const before = m.predict(xt) as Tensor;
    await m.trainOnBatch(xt, randomNormal([1, 2], 0, 1, 'float32', 5));
    m.resetStates();
    const fast = m.predict(xt) as Tensor;
    expect(maxDiff(fast, before)).toBeGreaterThan(1e-5);
    m.resetStates();
    expect(maxDiff(fast, reference(m, xt))).toBeLessThanOrEqual(2e-6);
    // model.step on a non-stateful twin holding the trained weights.
    const twin = sequential({ layers: [layers.lstm({ units: 5, inputShape: [null, 3] }), layers.dense({ units: 2 })] });
    twin.setWeights(m.getWeights());
    const [y] = twin.step(xt.reshape([1, 3]), twin.initState(1));
    expect(maxDiff(y, fast)).toBeLessThanOrEqual(2e-6);
  });
});
