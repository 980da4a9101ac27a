/**
 * The functional graphs built the same way in tfjs and in recurrent, shared by the parity and file tests.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor } from '@recurrent/core';
import { input, layers, SymbolicTensor } from '@recurrent/layers';
import { LayersModel, model } from '@recurrent/models';
import { lcgData, oneHotFrom, pair } from './parity_helpers';

const N = 10;
const T = 4;
const F = 3;

type TfOut = tf.SymbolicTensor;
/** One case: the two models, inputs, targets and losses. */
export interface Built {
  theirs: tf.LayersModel;
  ours: LayersModel;
  xs: { t: tf.Tensor; r: Tensor }[];
  ys: { t: tf.Tensor; r: Tensor }[];
  losses: string[];
}

const seq = (seed: number, shape: number[]) =>
  pair(
    lcgData(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

function encoderDecoder(): Built {
  const C = 3;
  const T2 = 3;
  const tEnc = tf.input({ shape: [T, F] });
  const [, th, tc] = tf.layers.lstm({ units: 4, returnState: true, recurrentActivation: 'sigmoid' }).apply(tEnc) as TfOut[];
  const tDec = tf.input({ shape: [T2, C] });
  const tSeq = tf.layers
    .lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' })
    .apply(tDec, { initialState: [th, tc] }) as TfOut;
  const tOut = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: C, activation: 'softmax' }) }).apply(tSeq) as TfOut;
  const theirs = tf.model({ inputs: [tEnc, tDec], outputs: tOut });

  const rEnc = input({ shape: [T, F] });
  const [, rh, rc] = layers.lstm({ units: 4, returnState: true, recurrentActivation: 'sigmoid' }).apply(rEnc) as SymbolicTensor[];
  const rDec = input({ shape: [T2, C] });
  const rSeq = layers
    .lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' })
    .apply(rDec, { initialState: [rh, rc] }) as SymbolicTensor;
  const rOut = layers.timeDistributed({ layer: layers.dense({ units: C, activation: 'softmax' }) }).apply(rSeq) as SymbolicTensor;
  const ours = model({ inputs: [rEnc, rDec], outputs: rOut });
  const labels = Array.from({ length: N * T2 }, (_, i) => i % C);
  return {
    theirs,
    ours,
    xs: [seq(1, [N, T, F]), seq(2, [N, T2, C])],
    ys: [pair(oneHotFrom(labels, C), [N, T2, C])],
    losses: ['categoricalCrossentropy'],
  };
}

function twoInputs(): Built {
  const ta = tf.input({ shape: [T, F] });
  const tb = tf.input({ shape: [2] });
  const tg = tf.layers.gru({ units: 3, recurrentActivation: 'sigmoid', resetAfter: false } as never).apply(ta) as TfOut;
  const td = tf.layers.dense({ units: 3, activation: 'tanh' }).apply(tb) as TfOut;
  const tcat = tf.layers.concatenate().apply([tg, td]) as TfOut;
  const theirs = tf.model({ inputs: [ta, tb], outputs: tf.layers.dense({ units: 1 }).apply(tcat) as TfOut });

  const ra = input({ shape: [T, F] });
  const rb = input({ shape: [2] });
  const rg = layers.gru({ units: 3, recurrentActivation: 'sigmoid', resetAfter: false }).apply(ra) as SymbolicTensor;
  const rd = layers.dense({ units: 3, activation: 'tanh' }).apply(rb) as SymbolicTensor;
  const rcat = layers.concatenate([rg, rd]);
  const ours = model({ inputs: [ra, rb], outputs: layers.dense({ units: 1 }).apply(rcat) as SymbolicTensor });
  return { theirs, ours, xs: [seq(3, [N, T, F]), seq(4, [N, 2])], ys: [seq(5, [N, 1])], losses: ['meanSquaredError'] };
}

function twoOutputs(): Built {
  const tx = tf.input({ shape: [T, F] });
  const th = tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }).apply(tx) as TfOut;
  const t1 = tf.layers.dense({ units: 2, activation: 'softmax', name: 'cls' }).apply(th) as TfOut;
  const t2 = tf.layers.dense({ units: 1, name: 'reg' }).apply(th) as TfOut;
  const theirs = tf.model({ inputs: tx, outputs: [t1, t2] });

  const rx = input({ shape: [T, F] });
  const rh = layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }).apply(rx) as SymbolicTensor;
  const r1 = layers.dense({ units: 2, activation: 'softmax', name: 'cls' }).apply(rh) as SymbolicTensor;
  const r2 = layers.dense({ units: 1, name: 'reg' }).apply(rh) as SymbolicTensor;
  const ours = model({ inputs: rx, outputs: [r1, r2] });
  const labels = Array.from({ length: N }, (_, i) => (i * 7) % 2);
  return {
    theirs,
    ours,
    xs: [seq(6, [N, T, F])],
    ys: [pair(oneHotFrom(labels, 2), [N, 2]), seq(7, [N, 1])],
    losses: ['categoricalCrossentropy', 'meanSquaredError'],
  };
}

function sharedLSTM(): Built {
  const ta = tf.input({ shape: [T, F] });
  const tb = tf.input({ shape: [T, F] });
  const tl = tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid' });
  const tcat = tf.layers.concatenate().apply([tl.apply(ta) as TfOut, tl.apply(tb) as TfOut]) as TfOut;
  const theirs = tf.model({ inputs: [ta, tb], outputs: tf.layers.dense({ units: 1 }).apply(tcat) as TfOut });

  const ra = input({ shape: [T, F] });
  const rb = input({ shape: [T, F] });
  const rl = layers.lstm({ units: 3, recurrentActivation: 'sigmoid' });
  const rcat = layers.concatenate([rl.apply(ra) as SymbolicTensor, rl.apply(rb) as SymbolicTensor]);
  const ours = model({ inputs: [ra, rb], outputs: layers.dense({ units: 1 }).apply(rcat) as SymbolicTensor });
  expect(rl.inboundNodes.length).toBe(2);
  return { theirs, ours, xs: [seq(8, [N, T, F]), seq(9, [N, T, F])], ys: [seq(10, [N, 1])], losses: ['meanSquaredError'] };
}

function bidirectionalStates(): Built {
  const T2 = 3;
  const tEnc = tf.input({ shape: [T, F] });
  const [, fh, fc, bh, bc] = tf.layers
    .bidirectional({ layer: tf.layers.lstm({ units: 2, returnState: true, recurrentActivation: 'sigmoid' }) as tf.RNN })
    .apply(tEnc) as TfOut[];
  const th = tf.layers.concatenate().apply([fh, bh]) as TfOut;
  const tc = tf.layers.concatenate().apply([fc, bc]) as TfOut;
  const tDec = tf.input({ shape: [T2, F] });
  const tSeq = tf.layers
    .lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' })
    .apply(tDec, { initialState: [th, tc] }) as TfOut;
  const theirs = tf.model({
    inputs: [tEnc, tDec],
    outputs: tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) }).apply(tSeq) as TfOut,
  });

  const rEnc = input({ shape: [T, F] });
  const [, rfh, rfc, rbh, rbc] = layers
    .bidirectional({ layer: layers.lstm({ units: 2, returnState: true, recurrentActivation: 'sigmoid' }) })
    .apply(rEnc) as SymbolicTensor[];
  const rh = layers.concatenate([rfh, rbh]);
  const rc = layers.concatenate([rfc, rbc]);
  const rDec = input({ shape: [T2, F] });
  const rSeq = layers
    .lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' })
    .apply(rDec, { initialState: [rh, rc] }) as SymbolicTensor;
  const ours = model({
    inputs: [rEnc, rDec],
    outputs: layers.timeDistributed({ layer: layers.dense({ units: 1 }) }).apply(rSeq) as SymbolicTensor,
  });
  return { theirs, ours, xs: [seq(11, [N, T, F]), seq(12, [N, T2, F])], ys: [seq(13, [N, T2, 1])], losses: ['meanSquaredError'] };
}

function maskedEmbedding(): Built {
  const V = 6;
  const ids = Array.from({ length: N * T }, (_, i) => {
    const row = Math.floor(i / T);
    const t = i % T;
    return t >= T - (row % 3) ? 0 : 1 + ((i * 5) % (V - 1)); // trailing padding of 0, 1 or 2 steps
  });
  const x = { t: tf.tensor(ids, [N, T], 'int32'), r: tensor(Int32Array.from(ids), [N, T], 'int32') };
  const tIn = tf.input({ shape: [T], dtype: 'int32' });
  const te = tf.layers.embedding({ inputDim: V, outputDim: 3, maskZero: true }).apply(tIn) as TfOut;
  const tb = tf.layers
    .bidirectional({ layer: tf.layers.lstm({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' }) as tf.RNN })
    .apply(te) as TfOut;
  const theirs = tf.model({ inputs: tIn, outputs: tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) }).apply(tb) as TfOut });

  const rIn = input({ shape: [T], dtype: 'int32' });
  const re = layers.embedding({ inputDim: V, outputDim: 3, maskZero: true }).apply(rIn) as SymbolicTensor;
  const rb = layers
    .bidirectional({ layer: layers.lstm({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' }) })
    .apply(re) as SymbolicTensor;
  const ours = model({ inputs: rIn, outputs: layers.timeDistributed({ layer: layers.dense({ units: 1 }) }).apply(rb) as SymbolicTensor });
  return { theirs, ours, xs: [x], ys: [seq(14, [N, T, 1])], losses: ['meanSquaredError'] };
}

/** The cases, by title. */
export const CASES: [string, () => Built][] = [
  ['encoder–decoder passing LSTM states', encoderDecoder],
  ['two inputs merged with concatenate', twoInputs],
  ['two outputs with two losses', twoOutputs],
  ['one LSTM shared by two inputs', sharedLSTM],
  ['Bidirectional returnState starting a decoder', bidirectionalStates],
  ['Embedding maskZero → Bidirectional → TimeDistributed', maskedEmbedding],
];
