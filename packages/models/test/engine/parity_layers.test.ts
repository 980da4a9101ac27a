/**
 * Training parity with tfjs for models built from the non-recurrent layers (the recurrent ones are in
 * parity_rnn.test.ts): the same initial weights, several trainOnBatch steps, then every weight (BatchNormalization's
 * moving statistics included), the losses and the predictions agree with tfjs's.
 */
import * as tf from '@tensorflow/tfjs';
import { layers } from '@recurrent/layers';
import { Tensor } from '@recurrent/core';
import { sequential, train } from '@recurrent/models';
import type { LayersModel } from '@recurrent/models';
import { copyWeights, expectWeightsClose, lcgData, oneHotFrom, pair, worstRatio } from './parity_helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 8;
const K = 3;

interface Case {
  title: string;
  /** The same layer list in both libraries (factory name, args), the first one given the input shape. */
  stack: Array<[string, Record<string, unknown>]>;
  inputShape: number[];
  /** Integer ids in [0, vocab) instead of floats. */
  vocab?: number;
}

const CASES: Case[] = [
  {
    title: 'Embedding → Conv1D same → BatchNormalization → PReLU → MaxPooling1D → LayerNormalization → GlobalAveragePooling1D → Dense',
    inputShape: [6],
    vocab: 7,
    stack: [
      ['embedding', { inputDim: 7, outputDim: 4 }],
      ['conv1d', { filters: 5, kernelSize: 3, padding: 'same', useBias: false }],
      ['batchNormalization', { momentum: 0.8 }],
      ['prelu', {}],
      ['maxPooling1d', { poolSize: 2 }],
      ['layerNormalization', {}],
      ['globalAveragePooling1d', {}],
      ['dense', { units: K, activation: 'softmax' }],
    ],
  },
  {
    title: 'Conv1D strides 2 → AveragePooling1D → Flatten → Dense elu → RepeatVector → SimpleRNN → Dense',
    inputShape: [9, 3],
    stack: [
      ['conv1d', { filters: 4, kernelSize: 2, strides: 2, activation: 'relu' }],
      ['averagePooling1d', { poolSize: 2, strides: 1 }],
      ['flatten', {}],
      ['dense', { units: 5, activation: 'elu' }],
      ['repeatVector', { n: 3 }],
      ['simpleRNN', { units: 4 }],
      ['dense', { units: K, activation: 'softmax' }],
    ],
  },
  {
    title: 'Reshape → Permute → Dense → LeakyReLU → GlobalMaxPooling1D → BatchNormalization (rank 2) → Activation → Dense',
    inputShape: [12],
    stack: [
      ['reshape', { targetShape: [4, 3] }],
      ['permute', { dims: [2, 1] }],
      ['dense', { units: 6, useBias: false }],
      ['leakyReLU', { alpha: 0.2 }],
      ['globalMaxPooling1d', {}],
      ['batchNormalization', { epsilon: 0.01 }],
      ['activation', { activation: 'selu' }],
      ['dense', { units: K, activation: 'softmax' }],
    ],
  },
];

function build(c: Case): { theirs: tf.LayersModel; ours: LayersModel } {
  const theirs = tf.sequential();
  const ours = sequential();
  c.stack.forEach(([name, args], i) => {
    const a = i === 0 ? { ...args, inputShape: c.inputShape } : args;
    // Nonzero biases, so they are exercised (tfjs's draws, copied into ours). A layer feeding BatchNormalization has
    // no bias: its gradient would be ~0 and Adam would step on rounding noise. tfjs writes into its args: a copy each.
    const t = (name === 'dense' || name === 'conv1d') && args.useBias !== false ? { ...a, biasInitializer: 'randomNormal' } : { ...a };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    theirs.add((tf.layers as any)[name](t));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    ours.add((layers as any)[name]({ ...a }));
  });
  copyWeights(theirs, ours);
  return { theirs, ours };
}

function batch(c: Case, seed: number): { x: ReturnType<typeof pair>; y: ReturnType<typeof pair> } {
  const size = N * c.inputShape.reduce((a, b) => a * b, 1);
  const raw = lcgData(size, seed);
  const values = c.vocab ? Array.from(raw, (v) => Math.floor(((v + 1) / 2) * c.vocab!)) : raw;
  const labels = Array.from({ length: N }, (_, i) => Math.floor(((raw[i * 2] + 1) / 2) * K));
  return { x: pair(values, [N, ...c.inputShape]), y: pair(oneHotFrom(labels, K), [N, K]) };
}

describe.each(CASES)('$title', (c) => {
  it.each(['sgd', 'adam'] as const)(
    '%s: 4 trainOnBatch steps give the same losses, weights (moving statistics included) and predictions',
    async (opt) => {
      const { theirs, ours } = build(c);
      theirs.compile({
        optimizer: opt === 'sgd' ? tf.train.sgd(0.2) : tf.train.adam(0.02),
        loss: 'categoricalCrossentropy',
        metrics: ['acc'],
      });
      ours.compile({ optimizer: opt === 'sgd' ? train.sgd(0.2) : train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['acc'] });
      for (let step = 0; step < 4; step++) {
        const { x, y } = batch(c, 30 + step);
        const a = (await ours.trainOnBatch(x.r, y.r)) as number[];
        const b = (await theirs.trainOnBatch(x.t, y.t)) as number[];
        expect({ step, ratio: worstRatio(a, b, 1e-4, 1e-5) <= 1 }).toEqual({ step, ratio: true });
      }
      expectWeightsClose(theirs, ours, 2e-4, 2e-5);
      const { x } = batch(c, 99);
      const p = (ours.predict(x.r) as Tensor).dataSync();
      const q = (theirs.predict(x.t) as tf.Tensor).dataSync();
      expect(worstRatio(p, q, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
    },
  );
});
