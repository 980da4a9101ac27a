/**
 * Shared cases of the model save/load tests. Each case builds the same model with either library — recurrent's
 * API mirrors tfjs's, so one builder takes `lib` = recurrent's `{sequential, layers}` or `@tensorflow/tfjs` — and
 * gives an input to predict on.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { Tensor, tensor } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { io, sequential } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';

/** recurrent, shaped as the part of tfjs the builders use. */
export const ours = { sequential, layers };

export interface ModelCase {
  title: string;
  /** The layers, built with `L` = `lib.layers`. */
  build: (L: any) => any[];
  /** Input shape (with batch) and whether the input is integer token ids below `vocab`. */
  input: number[];
  vocab?: number;
  /** Rows/steps to zero (Masking cases). */
  zeroSteps?: Array<[number, number]>;
  /** Can tfjs build/load it? (false: GRU resetAfter true) */
  tfjs?: boolean;
  stateful?: boolean;
}

const B = 3;
const T = 5;
const F = 4;

/** The cases: every layer and the options that change weights or topology. */
export const CASES: ModelCase[] = [
  {
    title: 'LSTM',
    input: [B, T, F],
    build: (L) => [L.lstm({ units: 3, inputShape: [T, F], name: 'lstm' }), L.dense({ units: 2, name: 'dense' })],
  },
  {
    title: 'LSTM options (returnSequences, goBackwards, relu, hardSigmoid, no bias, regularizer, constraint)',
    input: [B, T, F],
    build: (L) => [
      L.lstm({
        units: 3,
        inputShape: [T, F],
        name: 'lstm',
        returnSequences: true,
        goBackwards: true,
        activation: 'relu',
        recurrentActivation: 'hardSigmoid',
        useBias: false,
        kernelRegularizer: 'l1l2',
        recurrentConstraint: 'maxNorm',
        dropout: 0.2,
        recurrentDropout: 0.1,
      }),
      L.flatten({ name: 'flatten' }),
    ],
  },
  {
    title: 'GRU (resetAfter false)',
    input: [B, T, F],
    build: (L) => [L.gru({ units: 3, inputShape: [T, F], name: 'gru', resetAfter: false })],
  },
  {
    title: 'GRU (resetAfter true)',
    input: [B, T, F],
    tfjs: false,
    build: (L) => [L.gru({ units: 3, inputShape: [T, F], name: 'gru', resetAfter: true, returnSequences: true })],
  },
  {
    title: 'SimpleRNN',
    input: [B, T, F],
    build: (L) => [L.simpleRNN({ units: 4, inputShape: [T, F], name: 'simple_rnn', activation: 'relu' })],
  },
  {
    title: 'RNN(GRUCell)',
    input: [B, T, F],
    build: (L) => [L.rnn({ cell: L.gruCell({ units: 3, resetAfter: false }), inputShape: [T, F], name: 'rnn', returnSequences: true })],
  },
  {
    title: 'RNN(stacked cells: LSTMCell, SimpleRNNCell, GRUCell)',
    input: [B, T, F],
    build: (L) => [
      L.rnn({
        cell: [L.lstmCell({ units: 3 }), L.simpleRNNCell({ units: 2 }), L.gruCell({ units: 2, resetAfter: false })],
        inputShape: [T, F],
        name: 'rnn',
      }),
    ],
  },
  ...(['concat', 'sum', 'mul', 'ave'] as const).map((mergeMode): ModelCase => ({
    title: `Bidirectional(LSTM) mergeMode ${mergeMode}`,
    input: [B, T, F],
    build: (L) => [
      L.bidirectional({
        layer: L.lstm({ units: 3, returnSequences: true, name: 'lstm' }),
        mergeMode,
        inputShape: [T, F],
        name: 'bidirectional',
      }),
      L.globalAveragePooling1d({ name: 'gap' }),
    ],
  })),
  {
    title: 'Bidirectional(GRU) + Bidirectional(SimpleRNN)',
    input: [B, T, F],
    build: (L) => [
      L.bidirectional({
        layer: L.gru({ units: 2, returnSequences: true, name: 'gru', resetAfter: false }),
        inputShape: [T, F],
        name: 'bidirectional',
      }),
      L.bidirectional({ layer: L.simpleRNN({ units: 2, name: 'simple_rnn' }), mergeMode: 'sum', name: 'bidirectional_1' }),
    ],
  },
  {
    title: 'TimeDistributed(Dense) after LSTM',
    input: [B, T, F],
    build: (L) => [
      L.lstm({ units: 3, returnSequences: true, inputShape: [T, F], name: 'lstm' }),
      L.timeDistributed({ layer: L.dense({ units: 2, activation: 'softmax', name: 'dense' }), name: 'time_distributed' }),
    ],
  },
  {
    title: 'Embedding(maskZero) → LSTM',
    input: [B, T],
    vocab: 7,
    build: (L) => [
      L.embedding({ inputDim: 7, outputDim: 3, maskZero: true, inputLength: T, name: 'embedding' }),
      L.lstm({ units: 2, name: 'lstm' }),
    ],
  },
  {
    title: 'Masking → GRU',
    input: [B, T, F],
    zeroSteps: [
      [0, 3],
      [0, 4],
      [1, 0],
      [2, 2],
    ],
    build: (L) => [L.masking({ maskValue: 0, inputShape: [T, F], name: 'masking' }), L.gru({ units: 3, name: 'gru', resetAfter: false })],
  },
  {
    title: 'Dropout, SpatialDropout1D, LayerNormalization, Dense, Activation',
    input: [B, T, F],
    build: (L) => [
      L.spatialDropout1d({ rate: 0.3, inputShape: [T, F], name: 'spatial_dropout1d' }),
      L.layerNormalization({ name: 'layer_normalization' }),
      L.simpleRNN({ units: 3, name: 'simple_rnn', returnSequences: true }),
      L.dropout({ rate: 0.5, name: 'dropout' }),
      L.globalMaxPooling1d({ name: 'gmp' }),
      L.dense({ units: 2, name: 'dense', kernelInitializer: 'heNormal', biasInitializer: 'ones' }),
      L.activation({ activation: 'tanh', name: 'activation' }),
    ],
  },
  {
    title: 'Reshape, Permute, RepeatVector, Flatten',
    input: [B, T, F],
    build: (L) => [
      L.reshape({ targetShape: [F, T], inputShape: [T, F], name: 'reshape' }),
      L.permute({ dims: [2, 1], name: 'permute' }),
      L.lstm({ units: 2, name: 'lstm' }),
      L.repeatVector({ n: 3, name: 'repeat_vector' }),
      L.gru({ units: 2, returnSequences: true, name: 'gru', resetAfter: false }),
      L.flatten({ name: 'flatten' }),
    ],
  },
  {
    title: 'stateful LSTM (batchInputShape)',
    input: [2, T, F],
    stateful: true,
    build: (L) => [L.lstm({ units: 3, stateful: true, batchInputShape: [2, T, F], name: 'lstm', returnSequences: true })],
  },
];

/** A deterministic input for a case (token ids when `vocab`, with trailing zeros for masking). */
export function inputValues(c: ModelCase): number[] {
  const n = c.input.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => (c.vocab ? (i * 5 + 3) % c.vocab : Math.sin(0.37 * i + 0.1) * 1.3));
  if (c.vocab) {
    // Row 0 ends with two padding zeros.
    v[c.input[1] - 1] = 0;
    v[c.input[1] - 2] = 0;
  }
  if (c.zeroSteps) {
    const [, t, f] = c.input;
    for (const [b, s] of c.zeroSteps) for (let k = 0; k < f; k++) v[(b * t + s) * f + k] = 0;
  }
  return v;
}

export function oursInput(c: ModelCase): Tensor {
  return tensor(inputValues(c), c.input, c.vocab ? 'int32' : 'float32');
}

export function tfInput(tf: any, c: ModelCase): any {
  return tf.tensor(inputValues(c), c.input, c.vocab ? 'int32' : 'float32');
}

/** A recurrent model of the case. */
export function buildOurs(c: ModelCase): any {
  return ours.sequential({ layers: c.build(ours.layers) });
}

/** A tfjs model of the case. */
export function buildTf(tf: any, c: ModelCase): any {
  return tf.sequential({ layers: c.build(tf.layers) });
}

/** Saves through io.withSaveHandler and returns the artifacts (recurrent or tfjs model; pass the lib's io). */
export async function saveToMemory(model: any, ioLib: any = io, config?: any): Promise<ModelArtifacts> {
  let saved: ModelArtifacts | undefined;
  await model.save(
    ioLib.withSaveHandler(async (a: ModelArtifacts) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    config,
  );
  return saved!;
}

/** Flat float values of a tensor (either library). */
export function values(t: any): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>, Number);
}

export function maxAbsDiff(a: number[], b: number[]): number {
  if (a.length !== b.length) return Infinity;
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

/** A copy of artifacts whose weightData is a fresh ArrayBuffer (so tests can mutate it). */
export function cloneArtifacts(a: ModelArtifacts): ModelArtifacts {
  const data = a.weightData as ArrayBuffer;
  return {
    ...JSON.parse(JSON.stringify({ ...a, weightData: undefined })),
    weightData: data.slice(0),
  };
}
