/**
 * Finite-difference check of a whole model's training objective (mean per-sample loss × sample
 * weights + regularization) with respect to all its weights, through `variableGrads` as `fit` uses it.
 */
import { customGrad, mul, setSeed, Tensor, tensor, variableGrads } from '@recurrent/core';
import { layers, regularizers } from '@recurrent/layers';
import { Sequential, sequential } from '@recurrent/models';
import { checkGradients } from '@recurrent/test-utils';

/**
 * The model's objective as a function of its weight values: the forward sets the weights and
 * evaluates `trainingLoss`; the backward returns the gradients `variableGrads` computes for the
 * model's trainable weights (what fit applies).
 */
function objective(model: Sequential, x: Tensor, y: Tensor, sampleWeight: Tensor | null): (...ws: Tensor[]) => Tensor {
  return customGrad((...args: unknown[]) => {
    const ws = args.slice(0, -1) as Tensor[];
    model.setWeights(ws);
    const vars = model.trainableWeights;
    const { value, grads } = variableGrads(() => model.trainingLoss(x, y, sampleWeight, true), vars);
    return { value, gradFunc: (dy: Tensor) => vars.map((v) => mul(grads[v.name], dy)) };
  });
}

function seq(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647) * 2 - 1;
  });
}

test('LSTM → Dense softmax with L2 and sample weights: gradients match central differences', () => {
  setSeed(11);
  const model = sequential({
    layers: [
      layers.lstm({ units: 3, inputShape: [4, 2], recurrentActivation: 'sigmoid', kernelRegularizer: regularizers.l2({ l2: 0.01 }) }),
      layers.dense({ units: 3, activation: 'softmax', biasRegularizer: regularizers.l2({ l2: 0.02 }) }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const x = tensor(seq(5 * 4 * 2, 3), [5, 4, 2]);
  const y = tensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0], [5, 3]);
  const sw = tensor([1, 2, 0.5, 1, 1.5], [5]);
  const ws = model.getWeights();
  expect(ws.length).toBe(5);
  checkGradients(objective(model, x, y, sw), ws, { eps: 3e-3, rtol: 2e-2, atol: 2e-3 });
});

test('stacked GRU → SimpleRNN → Dense with meanSquaredError: gradients match central differences', () => {
  setSeed(12);
  const model = sequential({
    layers: [
      layers.gru({ units: 3, inputShape: [3, 2], returnSequences: true, recurrentActivation: 'sigmoid' }),
      layers.simpleRNN({ units: 2 }),
      layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const x = tensor(seq(4 * 3 * 2, 5), [4, 3, 2]);
  const y = tensor([0.5, -0.3, 0.1, 0.8], [4, 1]);
  checkGradients(objective(model, x, y, null), model.getWeights(), { eps: 3e-3, rtol: 2e-2, atol: 2e-3 });
});

test('Masking → LSTM sequences → TimeDistributed Dense with L1 kernel and activity regularizers, temporal sample weights: gradients match central differences', () => {
  setSeed(13);
  const model = sequential({
    layers: [
      layers.masking({ maskValue: 0, inputShape: [4, 2] }),
      layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid', kernelRegularizer: regularizers.l1({ l1: 0.01 }) }),
      layers.timeDistributed({ layer: layers.dense({ units: 2, activityRegularizer: regularizers.l1l2({ l1: 0.01, l2: 0.02 }) }) }),
    ],
  });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const xv = seq(3 * 4 * 2, 7);
  // Sample 0 ends with a masked (all-zero) step, sample 2 has one in the middle.
  for (const [b, t] of [
    [0, 3],
    [2, 1],
  ])
    xv.splice((b * 4 + t) * 2, 2, 0, 0);
  const x = tensor(xv, [3, 4, 2]);
  const y = tensor(seq(3 * 4 * 2, 9), [3, 4, 2]);
  const sw = tensor([1, 1, 1, 0, 0.5, 2, 1, 1, 1, 1, 1.5, 0.25], [3, 4]);
  // The L1 penalty has a kink at 0: keep every weight at least 0.02 away from it (the initializer gave one at 0.001).
  const ws = model.getWeights().map((w) =>
    tensor(
      Float32Array.from(w.dataSync(), (v) => (Math.abs(v) < 0.02 ? (v < 0 ? -0.02 : 0.02) : v)),
      w.shape.slice(),
    ),
  );
  checkGradients(objective(model, x, y, sw), ws, { eps: 3e-3, rtol: 2e-2, atol: 2e-3 });
});
