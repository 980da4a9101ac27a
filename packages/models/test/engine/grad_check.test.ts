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
