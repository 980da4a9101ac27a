/** The fused kernels against tfjs-layers' LSTM / GRU / SimpleRNN with the same weights (layout and gate order). */
import * as tf from '@tensorflow/tfjs';
import { gruSequence, lstmSequence, simpleRNNSequence, tensor, Tensor } from '../../src';
import { maxAbsDiff } from './cases';
import { randomArray, rng } from './reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const B = 3;
const T = 4;
const D = 3;
const U = 5;

type Kind = 'lstm' | 'gru' | 'simpleRNN';

function compare(kind: Kind, cfg: { goBackwards?: boolean; mask?: boolean; initial?: boolean; recAct?: 'sigmoid' | 'hardSigmoid' }): void {
  const G = kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1;
  const r = rng(21);
  const x = randomArray(r, B * T * D);
  const W = randomArray(r, D * G * U);
  const R = randomArray(r, U * G * U);
  const b = randomArray(r, G * U, -0.5, 0.5);
  const h0 = randomArray(r, B * U);
  const c0 = randomArray(r, B * U);
  // Row 0 starts masked (the output then repeats h0 in tfjs); row 2 ends masked (leading with goBackwards).
  const mask = [0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0];
  const recurrentActivation = cfg.recAct ?? 'hardSigmoid';
  const common = { units: U, returnSequences: true, returnState: true, goBackwards: !!cfg.goBackwards, recurrentActivation };
  const layer =
    kind === 'lstm'
      ? tf.layers.lstm(common)
      : kind === 'gru'
        ? tf.layers.gru(common)
        : tf.layers.simpleRNN({ units: U, returnSequences: true, returnState: true, goBackwards: !!cfg.goBackwards });
  const tx = tf.tensor3d(x, [B, T, D]);
  layer.apply(tx); // builds the weights
  layer.setWeights([tf.tensor2d(W, [D, G * U]), tf.tensor2d(R, [U, G * U]), tf.tensor1d(b)]);
  const kwargs: { initialState?: tf.Tensor[]; mask?: tf.Tensor } = {};
  if (cfg.initial) kwargs.initialState = kind === 'lstm' ? [tf.tensor2d(h0, [B, U]), tf.tensor2d(c0, [B, U])] : [tf.tensor2d(h0, [B, U])];
  if (cfg.mask) kwargs.mask = tf.tensor2d(mask, [B, T], 'bool');
  const theirs = layer.apply(tx, kwargs) as tf.Tensor[];

  const t = (v: number[], shape: number[]) => tensor(Float32Array.from(v)).reshape(shape);
  const opts = {
    activation: 'tanh' as const,
    returnSequences: true,
    goBackwards: !!cfg.goBackwards,
    recurrentActivation,
    mask: cfg.mask ? Float32Array.from(mask) : null,
    resetAfter: false,
    maskedOutputInit: 'initialState' as const, // tfjs rnn repeats states[0] at masked steps
  };
  const h0t = cfg.initial ? t(h0, [B, U]) : null;
  let ours: Tensor[];
  if (kind === 'lstm')
    ours = lstmSequence(t(x, [B, T, D]), t(W, [D, G * U]), t(R, [U, G * U]), t(b, [G * U]), h0t, cfg.initial ? t(c0, [B, U]) : null, opts);
  else if (kind === 'gru') ours = gruSequence(t(x, [B, T, D]), t(W, [D, G * U]), t(R, [U, G * U]), t(b, [G * U]), h0t, opts);
  else ours = simpleRNNSequence(t(x, [B, T, D]), t(W, [D, U]), t(R, [U, U]), t(b, [U]), h0t, opts);

  // tfjs returns [sequences, ...states]; its last output is the last sequence entry.
  expect(maxAbsDiff(ours[1].dataSync(), theirs[0].dataSync())).toBeLessThan(1e-5);
  expect(maxAbsDiff(ours[2].dataSync(), theirs[1].dataSync())).toBeLessThan(1e-5);
  if (kind === 'lstm') expect(maxAbsDiff(ours[3].dataSync(), theirs[2].dataSync())).toBeLessThan(1e-5);
  const seq = ours[1].dataSync();
  const lastFromSeq: number[] = [];
  for (let bb = 0; bb < B; bb++) for (let j = 0; j < U; j++) lastFromSeq.push(seq[(bb * T + T - 1) * U + j]);
  expect(maxAbsDiff(ours[0].dataSync(), lastFromSeq)).toBe(0);
}

describe('fused sequence kernels: same numbers as tfjs-layers', () => {
  for (const kind of ['lstm', 'gru', 'simpleRNN'] as Kind[]) {
    it(`${kind}`, () => compare(kind, {}));
    it(`${kind} with sigmoid gates, initial state`, () => compare(kind, { recAct: 'sigmoid', initial: true }));
    it(`${kind} goBackwards`, () => compare(kind, { goBackwards: true, initial: true }));
    it(`${kind} masked, initial state`, () => compare(kind, { mask: true, initial: true }));
    it(`${kind} masked, goBackwards`, () => compare(kind, { mask: true, goBackwards: true }));
  }
});
