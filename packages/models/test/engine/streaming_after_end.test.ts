/**
 * model.step over models that need more than per-step layers around the recurrence: TimeDistributed of any inner
 * layer (a CNN-LSTM over video frames, an LSTM over the sub-steps of each step), ConvLSTM1D / ConvLSTM2D (their
 * state has the frame's shape), and any layer after the end of the sequence (a recurrent layer with
 * returnSequences: false, then Flatten, Reshape, BatchNormalization, RepeatVector, Conv1D, Dense). The reference is
 * the whole-sequence predict of the same model on every prefix: step t's output must equal predict on the first
 * t + 1 steps (predict runs TimeDistributed on the folded batch and the recurrent layers through rnn() or the fused
 * sequence kernels, another path). The refusals that stay keep their messages.
 */
import { randomNormal, Tensor, tensor } from '@recurrent/core';
import { input, Layer, layers, SymbolicTensor } from '@recurrent/layers';
import { model as functionalModel, sequential, stateFromJSON, stateToJSON } from '@recurrent/models';
import type { LayersModel } from '@recurrent/models';

const T = 5;

/** Step t of a [batch, time, ...] tensor as [batch, ...]. */
function stepOf(x: Tensor, t: number): Tensor {
  const [b, time, ...rest] = x.shape;
  const inner = rest.reduce((p, q) => p * q, 1);
  const out = new Float32Array(b * inner);
  for (let i = 0; i < b; i++) out.set((x.values as Float32Array).subarray((i * time + t) * inner, (i * time + t + 1) * inner), i * inner);
  return tensor(out, [b, ...rest], 'float32');
}

/** The first `n` steps of a [batch, time, ...] tensor. */
function prefix(x: Tensor, n: number): Tensor {
  return x.slice(
    x.shape.map(() => 0),
    x.shape.map((d, k) => (k === 1 ? n : d)),
  );
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

/**
 * Steps the model over x [batch, T, ...] (the state through a JSON round trip halfway) and checks every step's
 * output against predict on the prefix up to it (`sequences`: the last step of predict's output sequence).
 */
function expectStepsEqualPrefixPredict(model: LayersModel, x: Tensor, sequences: boolean): void {
  let s = model.initState(x.shape[0]);
  for (let t = 0; t < x.shape[1]; t++) {
    if (t === 2) s = stateFromJSON(JSON.stringify(stateToJSON(s)));
    const [y, next] = model.step(stepOf(x, t), s);
    s = next;
    const whole = model.predict(prefix(x, t + 1)) as Tensor;
    const want = sequences ? stepOf(whole, t) : whole;
    expect(y.shape).toEqual(want.shape);
    expectClose(y.values, want.values);
  }
}

/** Weights of a fixed random draw (seeded), so BatchNormalization is not the identity (variances kept positive). */
function randomizeWeights(model: LayersModel, seed: number): void {
  model.setWeights(
    model.weights.map((w, i) => {
      const r = randomNormal(w.shape, 0, 0.5, 'float32', seed + i);
      return w.name.includes('variance')
        ? tensor(
            Float32Array.from(r.values, (v) => 0.5 + Math.abs(v)),
            w.shape,
            'float32',
          )
        : r;
    }),
  );
}

interface Case {
  name: string;
  /** The per-step input shape (without batch and time). */
  step: number[];
  layers: () => Layer[];
  /** The model returns sequences (compare step t with predict's step t). */
  sequences: boolean;
}

const CASES: Case[] = [
  {
    name: 'CNN-LSTM: TimeDistributed(Conv2D) → TimeDistributed(MaxPooling2D) → TimeDistributed(Flatten) → LSTM → Dense',
    step: [6, 6, 2],
    layers: () => [
      layers.timeDistributed({
        layer: layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', biasInitializer: 'randomNormal' }),
        inputShape: [null, 6, 6, 2],
      }),
      layers.timeDistributed({ layer: layers.maxPooling2d({ poolSize: 2 }) }),
      layers.timeDistributed({ layer: layers.flatten({}) }),
      layers.lstm({ units: 4 }),
      layers.dense({ units: 2 }),
    ],
    sequences: false,
  },
  {
    name: 'TimeDistributed(LSTM) over [batch, time, subSteps, features] → GRU returning sequences',
    step: [3, 4],
    layers: () => [
      layers.timeDistributed({ layer: layers.lstm({ units: 5 }), inputShape: [null, 3, 4] }),
      layers.gru({ units: 3, returnSequences: true }),
    ],
    sequences: true,
  },
  {
    name: 'LSTM (end) → Dense → Reshape → Flatten → Dropout → BatchNormalization (axis 1) → Dense',
    step: [4],
    layers: () => [
      layers.lstm({ units: 6, inputShape: [null, 4] }),
      layers.dense({ units: 6, activation: 'tanh' }),
      layers.reshape({ targetShape: [2, 3] }),
      layers.flatten({}),
      layers.dropout({ rate: 0.5 }),
      layers.batchNormalization({ axis: 1 }),
      layers.dense({ units: 2 }),
    ],
    sequences: false,
  },
  {
    name: 'GRU (end) → RepeatVector → Conv1D (same) → Flatten → Dense',
    step: [4],
    layers: () => [
      layers.gru({ units: 3, inputShape: [null, 4] }),
      layers.repeatVector({ n: 4 }),
      layers.conv1d({ filters: 2, kernelSize: 3, padding: 'same' }),
      layers.flatten({}),
      layers.dense({ units: 2 }),
    ],
    sequences: false,
  },
  {
    name: 'LSTM (end) → Reshape → causal Conv1D (a Conv1D after the end runs as in predict)',
    step: [4],
    layers: () => [
      layers.lstm({ units: 4, inputShape: [null, 4] }),
      layers.reshape({ targetShape: [2, 2] }),
      layers.conv1d({ filters: 1, kernelSize: 2, padding: 'causal' }),
    ],
    sequences: false,
  },
  {
    name: 'ConvLSTM2D (end, padding same) → Flatten → Dense',
    step: [4, 5, 2],
    layers: () => [
      layers.convLstm2d({ filters: 3, kernelSize: 3, padding: 'same', inputShape: [null, 4, 5, 2] }),
      layers.flatten({}),
      layers.dense({ units: 2 }),
    ],
    sequences: false,
  },
  {
    name: 'ConvLSTM2D (padding valid, strides 2, returning sequences) → TimeDistributed(Flatten) → LSTM → Dense',
    step: [5, 5, 2],
    layers: () => [
      layers.convLstm2d({ filters: 2, kernelSize: 2, strides: 2, returnSequences: true, inputShape: [null, 5, 5, 2] }),
      layers.timeDistributed({ layer: layers.flatten({}) }),
      layers.lstm({ units: 3 }),
      layers.dense({ units: 1 }),
    ],
    sequences: false,
  },
  {
    name: 'ConvLSTM1D (padding valid, dilation 2) returning sequences',
    step: [7, 3],
    layers: () => [layers.convLstm1d({ filters: 2, kernelSize: 2, dilationRate: 2, returnSequences: true, inputShape: [null, 7, 3] })],
    sequences: true,
  },
  {
    name: 'ConvLSTM1D (end) → Flatten → Dense',
    step: [6, 2],
    layers: () => [
      layers.convLstm1d({ filters: 3, kernelSize: 3, padding: 'same', inputShape: [null, 6, 2] }),
      layers.flatten({}),
      layers.dense({ units: 2 }),
    ],
    sequences: false,
  },
];

describe('step equals predict on every prefix', () => {
  for (const c of CASES) {
    for (const batch of [1, 3]) {
      test(`${c.name}, batch ${batch}`, () => {
        const model = sequential({ layers: c.layers() });
        randomizeWeights(model, 100);
        const x = randomNormal([batch, T, ...c.step], 0, 1, 'float32', 21 + batch);
        expectStepsEqualPrefixPredict(model, x, c.sequences);
      });
    }
  }

  test('a functional chain input → ConvLSTM2D → Flatten → Dense (the same plan as Sequential)', () => {
    const x0 = input({ shape: [null, 4, 4, 2] });
    const c = layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(x0) as SymbolicTensor;
    const f = layers.flatten({}).apply(c) as SymbolicTensor;
    const m = functionalModel({ inputs: x0, outputs: layers.dense({ units: 2 }).apply(f) as SymbolicTensor });
    randomizeWeights(m, 200);
    expectStepsEqualPrefixPredict(m, randomNormal([2, T, 4, 4, 2], 0, 1, 'float32', 31), false);
  });

  test('a ConvLSTM2D state holds h and c of the output frame shape [batch, rows, cols, filters]', () => {
    const model = sequential({ layers: [layers.convLstm2d({ filters: 3, kernelSize: 3, inputShape: [null, 4, 5, 2], name: 'clstm' })] });
    const s = model.initState(2);
    expect(s.layers).toHaveLength(1);
    expect(s.layers[0].name).toBe('clstm');
    // 'valid' padding: (4 − 2) × (5 − 2) × 3 filters per row.
    expect(s.layers[0].states!.map((a) => a.length)).toEqual([2 * 2 * 3 * 3, 2 * 2 * 3 * 3]);
  });
});

describe('refusals that stay', () => {
  const F = 4;
  test('Flatten before the end of the sequence', () => {
    const model = sequential({
      layers: [
        layers.lstm({ units: 2, returnSequences: true, inputShape: [T, F] }),
        layers.flatten({ name: 'flat' }),
        layers.dense({ units: 1 }),
      ],
    });
    expect(() => model.initState(1)).toThrow(
      /step\(\) cannot run layer 'flat' \(Flatten\): it is not a recurrent or per-step layer \(it needs the whole sequence\)\. Use predict\(\)/,
    );
  });

  test('a recurrent layer after the end (seq2seq: RepeatVector → LSTM), also wrapped', () => {
    const seq2seq = sequential({
      layers: [layers.lstm({ units: 2, inputShape: [null, F] }), layers.repeatVector({ n: 3 }), layers.lstm({ units: 2, name: 'decoder' })],
    });
    expect(() => seq2seq.initState(1)).toThrow(
      /cannot run layer 'decoder' \(LSTM\): it follows a recurrent layer with returnSequences: false/,
    );
    const bi = sequential({
      layers: [
        layers.gru({ units: 2, inputShape: [null, F] }),
        layers.repeatVector({ n: 3 }),
        layers.bidirectional({ layer: layers.lstm({ units: 2 }), name: 'bi' }),
      ],
    });
    expect(() => bi.initState(1)).toThrow(
      /cannot run layer 'bi' \(Bidirectional\): it follows a recurrent layer with returnSequences: false/,
    );
    const td = sequential({
      layers: [
        layers.gru({ units: 2, inputShape: [null, F] }),
        layers.reshape({ targetShape: [1, 1, 2] }),
        layers.timeDistributed({ layer: layers.simpleRNN({ units: 2 }), name: 'td' }),
      ],
    });
    expect(() => td.initState(1)).toThrow(
      /cannot run layer 'td' \(TimeDistributed\): it follows a recurrent layer with returnSequences: false/,
    );
  });

  test('a mask after the end', () => {
    const model = sequential({
      layers: [
        layers.lstm({ units: 2, inputShape: [null, F] }),
        layers.repeatVector({ n: 3 }),
        layers.masking({ name: 'mask' }),
        layers.globalAveragePooling1d({}),
      ],
    });
    expect(() => model.initState(1)).toThrow(
      /cannot run layer 'mask' \(Masking\): it produces a mask, and step\(\) does not handle masked steps/,
    );
  });

  test('Bidirectional and goBackwards before the end', () => {
    const bi = sequential({ layers: [layers.bidirectional({ layer: layers.lstm({ units: 2 }), inputShape: [T, F], name: 'bi' })] });
    expect(() => bi.initState(1)).toThrow(
      /cannot run layer 'bi' \(Bidirectional\): a bidirectional layer reads the sequence from both ends, so it needs the whole sequence/,
    );
    const back = sequential({
      layers: [layers.convLstm1d({ filters: 2, kernelSize: 2, goBackwards: true, inputShape: [T, 4, 2], name: 'back' })],
    });
    expect(() => back.initState(1)).toThrow(/cannot run layer 'back' \(ConvLSTM1D\): goBackwards needs the whole sequence/);
  });

  test('a ConvLSTM2D whose frame size is unknown', () => {
    const model = sequential({
      layers: [layers.convLstm2d({ filters: 2, kernelSize: 3, inputShape: [null, null, null, 2], name: 'clstm' })],
    });
    expect(() => model.initState(1)).toThrow(
      /cannot run layer 'clstm' \(ConvLSTM2D\): its state shape \[null,null,2\] is not known for the input shape \[null,null,null,null,2\]; give the model an inputShape with the frame size/,
    );
  });
});
