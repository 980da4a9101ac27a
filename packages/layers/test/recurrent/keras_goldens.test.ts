/**
 * Keras 3's own expected numbers for its recurrent layers, as goldens from outside this code base: the
 * `test_correctness`, `test_pass_initial_state` and `test_masking` cases of keras-team/keras
 * keras/src/layers/rnn/lstm_test.py, gru_test.py and simple_rnn_test.py (Constant(0.01) kernel,
 * Constant(0.02) recurrent kernel, Constant(0.03) bias, `arange` inputs). Only the numbers are taken.
 *
 * Keras 3's defaults are passed where ours differ (tfjs's): recurrentActivation 'sigmoid' (tfjs:
 * 'hardSigmoid') and GRU resetAfter true (tfjs: false). LSTM unitForgetBias is true in both (Keras adds
 * 1 to the forget-gate bias initializer). Keras asserts with atol = rtol = 1e-5; float32 kernels here.
 */
import { range, Tensor, tensor } from '@recurrent/core';
import { initializers, layers } from '../../src';

const TOL = 2e-5;

const CONSTANTS = {
  kernelInitializer: initializers.constant({ value: 0.01 }),
  recurrentInitializer: initializers.constant({ value: 0.02 }),
  biasInitializer: initializers.constant({ value: 0.03 }),
};

/** np.arange(n).reshape(shape).astype('float32') */
function arange(shape: number[]): Tensor {
  return range(
    0,
    shape.reduce((a, b) => a * b, 1),
  ).reshape(shape);
}

/** Rows of `expected` with each row's value repeated `units` times (Keras's outputs are constant per row). */
function rows(values: number[], units: number): number[][] {
  return values.map((v) => new Array<number>(units).fill(v));
}

function expectClose(actual: Tensor, expected: number[][] | number[][][]): void {
  const flat = (expected as unknown[]).flat(2) as number[];
  const got = Array.from(actual.dataSync());
  expect(got).toHaveLength(flat.length);
  const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - flat[i]) - TOL * Math.abs(flat[i])), 0);
  if (!(worst <= TOL)) throw new Error(`differs from Keras by up to ${worst}:\n got      ${got.join(', ')}\n expected ${flat.join(', ')}`);
}

describe('LSTM: Keras 3 goldens (keras/src/layers/rnn/lstm_test.py)', () => {
  const base = { units: 3, recurrentActivation: 'sigmoid' as const, ...CONSTANTS };
  const x = arange([3, 6, 4]);

  it('test_correctness: default, goBackwards, unitForgetBias false, useBias false', () => {
    expectClose(layers.lstm(base).apply(x) as Tensor, rows([0.6288687, 0.86899155, 0.9460773], 3));
    expectClose(layers.lstm({ ...base, goBackwards: true }).apply(x) as Tensor, rows([0.35622165, 0.74789524, 0.8872726], 3));
    expectClose(layers.lstm({ ...base, unitForgetBias: false }).apply(x) as Tensor, rows([0.57019705, 0.8661914, 0.9459622], 3));
    expectClose(layers.lstm({ ...base, useBias: false }).apply(x) as Tensor, rows([0.54986924, 0.86226785, 0.9443936], 3));
  });

  it('test_pass_initial_state: forward and goBackwards', () => {
    const seq = arange([2, 4, 3]);
    const init = [arange([2, 2]), arange([2, 2])];
    const b2 = { ...base, units: 2 };
    expectClose(layers.lstm(b2).apply(seq, { initialState: init }) as Tensor, [
      [0.20574439, 0.3558822],
      [0.64930826, 0.66276],
    ]);
    expectClose(layers.lstm({ ...b2, goBackwards: true }).apply(seq, { initialState: init }) as Tensor, [
      [0.13281618, 0.2790356],
      [0.5839337, 0.5992567],
    ]);
  });

  it('test_masking: last output, sequences (a masked step repeats the previous output), goBackwards', () => {
    const seq = arange([2, 4, 3]);
    const mask = tensor(
      [
        [1, 1, 1, 0],
        [1, 1, 0, 0],
      ],
      [2, 4],
      'bool',
    );
    const b2 = { ...base, units: 2 };
    expectClose(layers.lstm(b2).apply(seq, { mask }) as Tensor, rows([0.11755939, 0.28556206], 2));
    expectClose(layers.lstm({ ...b2, returnSequences: true }).apply(seq, { mask }) as Tensor, [
      rows([0.0158891, 0.05552048, 0.11755939, 0.11755939], 2),
      rows([0.14185596, 0.28556206, 0.28556206, 0.28556206], 2),
    ]);
    const backwardsMask = tensor(
      [
        [0, 1, 1, 1],
        [0, 0, 1, 1],
      ],
      [2, 4],
      'bool',
    );
    expectClose(layers.lstm({ ...b2, goBackwards: true }).apply(seq, { mask: backwardsMask }) as Tensor, rows([0.15341201, 0.3844719], 2));
  });
});

describe('GRU: Keras 3 goldens (keras/src/layers/rnn/gru_test.py)', () => {
  const base = { units: 3, recurrentActivation: 'sigmoid' as const, resetAfter: true, ...CONSTANTS };
  const x = arange([3, 6, 4]);

  it('test_correctness: default (resetAfter), goBackwards, resetAfter false, useBias false', () => {
    expectClose(layers.gru(base).apply(x) as Tensor, rows([0.5217289, 0.6371659, 0.39384964], 3));
    expectClose(layers.gru({ ...base, goBackwards: true }).apply(x) as Tensor, rows([0.24406259, 0.611516, 0.3928808], 3));
    expectClose(layers.gru({ ...base, resetAfter: false }).apply(x) as Tensor, rows([0.51447755, 0.6426879, 0.40208298], 3));
    expectClose(layers.gru({ ...base, useBias: false }).apply(x) as Tensor, rows([0.49988455, 0.64701194, 0.4103359], 3));
  });

  it('test_pass_initial_state: forward and goBackwards', () => {
    const seq = arange([2, 4, 3]);
    const init = [arange([2, 2])];
    const b2 = { ...base, units: 2 };
    expectClose(layers.gru(b2).apply(seq, { initialState: init }) as Tensor, [
      [0.23774096, 0.33508456],
      [0.83659905, 1.0227708],
    ]);
    expectClose(layers.gru({ ...b2, goBackwards: true }).apply(seq, { initialState: init }) as Tensor, [
      [0.13486053, 0.23261218],
      [0.78257304, 0.9691353],
    ]);
  });

  it('test_masking: last output, sequences, goBackwards', () => {
    const seq = arange([2, 4, 3]);
    const mask = tensor(
      [
        [1, 1, 0, 1],
        [1, 0, 0, 1],
      ],
      [2, 4],
      'bool',
    );
    const b2 = { ...base, units: 2 };
    expectClose(layers.gru(b2).apply(seq, { mask }) as Tensor, rows([0.19393763, 0.30818558], 2));
    expectClose(layers.gru({ ...b2, returnSequences: true }).apply(seq, { mask }) as Tensor, [
      rows([0.03606692, 0.09497581, 0.09497581, 0.19393763], 2),
      rows([0.16051409, 0.16051409, 0.16051409, 0.30818558], 2),
    ]);
    expectClose(layers.gru({ ...b2, goBackwards: true }).apply(seq, { mask }) as Tensor, rows([0.11669192, 0.28380975], 2));
  });
});

describe('SimpleRNN: Keras 3 goldens (keras/src/layers/rnn/simple_rnn_test.py)', () => {
  const base = { units: 4, ...CONSTANTS };
  const x = arange([2, 3, 4]);

  it('test_correctness: forward and goBackwards', () => {
    expectClose(layers.simpleRNN(base).apply(x) as Tensor, rows([0.405432, 0.73605347], 4));
    expectClose(layers.simpleRNN({ ...base, goBackwards: true }).apply(x) as Tensor, rows([0.11144729, 0.5528889], 4));
  });

  it('test_pass_initial_state: forward and goBackwards', () => {
    const seq = arange([2, 4, 3]);
    const init = [arange([2, 4])];
    expectClose(layers.simpleRNN(base).apply(seq, { initialState: init }) as Tensor, rows([0.33621645, 0.6262637], 4));
    expectClose(
      layers.simpleRNN({ ...base, goBackwards: true }).apply(seq, { initialState: init }) as Tensor,
      rows([0.07344437, 0.43043602], 4),
    );
  });

  it('test_masking: last output, sequences, goBackwards', () => {
    const seq = arange([2, 4, 3]);
    const mask = tensor(
      [
        [1, 1, 0, 1],
        [1, 0, 0, 1],
      ],
      [2, 4],
      'bool',
    );
    expectClose(layers.simpleRNN(base).apply(seq, { mask }) as Tensor, rows([0.32951632, 0.61799484], 4));
    expectClose(layers.simpleRNN({ ...base, units: 2, returnSequences: true }).apply(seq, { mask }) as Tensor, [
      rows([0.0599281, 0.15122814, 0.15122814, 0.32394567], 2),
      rows([0.3969304, 0.3969304, 0.3969304, 0.608085], 2),
    ]);
    expectClose(layers.simpleRNN({ ...base, goBackwards: true }).apply(seq, { mask }) as Tensor, rows([0.07376196, 0.43645123], 4));
  });
});
