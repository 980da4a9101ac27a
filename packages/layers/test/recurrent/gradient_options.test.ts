/**
 * Finite-difference gradients of the recurrent layer options that change the backward and that the other
 * recurrent tests check only without a tape or against tfjs (session 7 audit): training mode with zero dropout,
 * the returned states, one time step (the step kernel's tape node), stateful layers, Bidirectional merge modes
 * other than concat/mul, and TimeDistributed around a recurrent layer with a mask.
 */
import { add, mul, sum, Tensor, tensor } from '@recurrent/core';
import { layers, Layer } from '../../src';
import { checkGradients } from '@recurrent/test-utils';
import { checkWeightGradients } from '../helpers/weight_grad_check';
import * as stepKernel from '../../src/recurrent/step_kernel';
import { asList, uniform } from './rnn_test_utils';

/** Builds `layer` on `x` and sets every weight to seeded values in [-0.8, 0.8). */
function built<L extends Layer>(layer: L, x: Tensor, seed: number): L {
  layer.apply(x);
  layer.setWeights(layer.getWeights().map((w, i) => uniform(w.shape.slice(), seed + i, -0.8, 0.8)));
  return layer;
}

/** Σ_k (k + 1)·Σ w_k ⊙ outputs[k]: every output (sequence and states) weighs in. */
function weighted(outs: Tensor | Tensor[], seed: number): Tensor {
  return asList(outs)
    .map((o, k) => sum(mul(o, uniform(o.shape.slice(), seed + k, 0.5, 1.5))))
    .reduce((p, q) => add(p, q));
}

const CELLS: Array<[string, (args: { [k: string]: unknown }) => Layer]> = [
  ['SimpleRNN', (a) => layers.simpleRNN({ units: 3, ...a })],
  ['GRU', (a) => layers.gru({ units: 3, recurrentActivation: 'sigmoid', ...a })],
  ['GRU resetAfter false', (a) => layers.gru({ units: 3, recurrentActivation: 'sigmoid', resetAfter: false, ...a })],
  ['LSTM', (a) => layers.lstm({ units: 3, recurrentActivation: 'sigmoid', ...a })],
];

describe('training mode with dropout 0 (the training kernels): input, initial states and weights', () => {
  for (const [name, make] of CELLS) {
    for (const fused of [true, false]) {
      it(`${name} (${fused ? 'fused' : 'op-by-op'}), returnSequences, returnState, mask`, () => {
        const x = uniform([2, 4, 2], 1);
        const layer = built(make({ returnSequences: true, returnState: true, dropout: 0, recurrentDropout: 0 }), x, 10);
        (layer as unknown as { useFusedKernel: boolean }).useFusedKernel = fused;
        const mask = tensor([1, 1, 0, 1, 1, 1, 1, 0], [2, 4], 'bool');
        const n = asList(layer.apply(x)).length - 1;
        const states = Array.from({ length: n }, (_, i) => uniform([2, 3], 20 + i));
        checkGradients(
          (xx, ...ss) => weighted(layer.apply(xx, { training: true, mask, initialState: ss }) as Tensor[], 30),
          [x, ...states],
        );
        checkWeightGradients(layer, () => weighted(layer.apply(x, { training: true, mask, initialState: states }) as Tensor[], 30));
      });
    }
  }
});

describe('returnSequences false with a mask and goBackwards (the last output of a masked sequence)', () => {
  for (const [name, make] of CELLS) {
    for (const fused of [true, false]) {
      it(`${name} (${fused ? 'fused' : 'op-by-op'})`, () => {
        const x = uniform([3, 4, 2], 8);
        const layer = built(make({ goBackwards: true }), x, 200);
        (layer as unknown as { useFusedKernel: boolean }).useFusedKernel = fused;
        // Row 1 ends masked, row 2 starts masked (the first processed step when going backwards is masked).
        const mask = tensor([1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1], [3, 4], 'bool');
        checkGradients((xx) => layer.apply(xx, { mask }) as Tensor, [x]);
        checkWeightGradients(layer, () => weighted(layer.apply(x, { mask }) as Tensor, 210));
      });
    }
  }
});

describe('one time step in inference under a tape (the step kernel as one node): input, states and weights', () => {
  for (const [name, make] of CELLS) {
    it.each([false, true])(`${name}, returnState, goBackwards, returnSequences %s`, (returnSequences) => {
      const x = uniform([2, 1, 2], 2);
      const layer = built(make({ returnState: true, goBackwards: true, returnSequences }), x, 40);
      const n = asList(layer.apply(x)).length - 1;
      const states = Array.from({ length: n }, (_, i) => uniform([2, 3], 50 + i));
      const spy = jest.spyOn(stepKernel, 'oneStepApply');
      try {
        checkGradients((xx, ...ss) => weighted(layer.apply(xx, { initialState: ss }) as Tensor[], 60), [x, ...states]);
        checkWeightGradients(layer, () => weighted(layer.apply(x, { initialState: states }) as Tensor[], 60));
        // The path was taken (and gave a result) also for the recorded calls.
        expect(spy.mock.results.length).toBeGreaterThan(0);
        expect(spy.mock.results.every((r) => r.value !== null)).toBe(true);
      } finally {
        spy.mockRestore();
      }
    });
  }
});

describe('stateful layers: gradients from the kept states (reset to fixed values before each call)', () => {
  for (const [name, make] of CELLS) {
    it(`${name}, goBackwards, two steps and one step`, () => {
      for (const T of [3, 1]) {
        const x = uniform([2, T, 2], 3);
        const layer = make({ stateful: true, batchInputShape: [2, T, 2], goBackwards: true, returnSequences: true });
        built(layer, x, 70);
        const n = (layer as unknown as { states: Tensor[] }).states.length;
        const s0 = Array.from({ length: n }, (_, i) => uniform([2, 3], 80 + i));
        const run = (xx: Tensor) => {
          (layer as unknown as { resetStates(s: Tensor[]): void }).resetStates(s0);
          return layer.apply(xx) as Tensor;
        };
        checkGradients(run, [x]);
        const w = uniform([2, T, 3], 90, 0.5, 1.5);
        checkWeightGradients(layer, () => sum(mul(run(x), w)));
      }
    });
  }
});

describe('Bidirectional merge modes sum, ave and null (concat and mul are in bidirectional.test.ts)', () => {
  for (const mergeMode of ['sum', 'ave', null] as const) {
    it(`mergeMode ${String(mergeMode)}, GRU, mask, returnState`, () => {
      const x = uniform([2, 3, 2], 4);
      const bi = built(
        layers.bidirectional({ layer: layers.gru({ units: 2, returnSequences: true, returnState: true }), mergeMode }),
        x,
        100,
      );
      const mask = tensor([1, 1, 0, 1, 1, 1], [2, 3], 'bool');
      checkGradients((xx) => weighted(bi.apply(xx, { mask }) as Tensor[], 110), [x]);
      checkWeightGradients(bi, () => weighted(bi.apply(x, { mask }) as Tensor[], 110));
    });
  }
});

describe('TimeDistributed around a layer with weights, and over a mask', () => {
  it('TimeDistributed(Conv1D) on [batch, outer, steps, channels]: input and weights', () => {
    const x = uniform([2, 2, 4, 2], 5);
    const td = built(layers.timeDistributed({ layer: layers.conv1d({ filters: 2, kernelSize: 2 }) }), x, 120);
    checkGradients((xx) => td.apply(xx) as Tensor, [x]);
    const w = uniform([2, 2, 3, 2], 130, 0.5, 1.5);
    checkWeightGradients(td, () => sum(mul(td.apply(x) as Tensor, w)));
  });
  it('TimeDistributed(Dense) with a mask, then an LSTM that consumes it: input and weights', () => {
    const x = uniform([2, 3, 2], 6);
    const td = built(layers.timeDistributed({ layer: layers.dense({ units: 2, activation: 'tanh' }) }), x, 140);
    const mask = tensor([1, 0, 1, 1, 1, 0], [2, 3], 'bool');
    const lstm = built(layers.lstm({ units: 2, recurrentActivation: 'sigmoid' }), x, 150);
    const run = (xx: Tensor) => lstm.apply(td.apply(xx, { mask }) as Tensor, { mask }) as Tensor;
    checkGradients(run, [x]);
    const w = uniform([2, 2], 160, 0.5, 1.5);
    checkWeightGradients(td, () => sum(mul(run(x), w)));
  });
});

describe('structural variants: Bidirectional over a goBackwards layer, TimeDistributed(LSTM), attention cell with an LSTM and an encoder mask', () => {
  it('Bidirectional(LSTM goBackwards: true): input and weights', () => {
    const x = uniform([2, 3, 2], 9);
    const bi = built(layers.bidirectional({ layer: layers.lstm({ units: 2, goBackwards: true, returnSequences: true }) }), x, 220);
    checkGradients((xx) => bi.apply(xx) as Tensor, [x]);
    checkWeightGradients(bi, () => weighted(bi.apply(x) as Tensor, 230));
  });
  it('TimeDistributed(LSTM) on [batch, outer, steps, features]: input and weights', () => {
    const x = uniform([2, 2, 3, 2], 10);
    const td = built(layers.timeDistributed({ layer: layers.lstm({ units: 2, recurrentActivation: 'sigmoid' }) }), x, 240);
    checkGradients((xx) => td.apply(xx) as Tensor, [x]);
    checkWeightGradients(td, () => weighted(td.apply(x) as Tensor, 250));
  });
  it('BahdanauAttentionCell(LSTMCell) with an encoder mask: decoder input, encoder outputs and weights', () => {
    const cell = layers.attentionCell({ cell: layers.lstmCell({ units: 2, recurrentActivation: 'sigmoid' }), units: 2 });
    const layer = layers.rnn({ cell, returnSequences: true });
    const xs = uniform([2, 3, 2], 11);
    const enc = uniform([2, 4, 2], 12);
    const encMask = tensor([1, 1, 1, 0, 1, 1, 0, 0], [2, 4], 'float32');
    layer.apply(xs, { constants: [enc, encMask] });
    layer.setWeights(layer.getWeights().map((w, i) => uniform(w.shape.slice(), 260 + i, -0.8, 0.8)));
    checkGradients((a, m) => layer.apply(a, { constants: [m, encMask] }) as Tensor, [xs, enc]);
    checkWeightGradients(layer, () => weighted(layer.apply(xs, { constants: [enc, encMask] }) as Tensor, 270));
  });
});
