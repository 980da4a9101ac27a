/**
 * ctcLoss (its gradient too) and ctcDecode against Keras 3's own numbers (fixtures/ctc/keras_ctc.json, written by
 * generate_keras_ctc.py with Keras 3.15 on TensorFlow 2.21: keras.ops.ctc_loss / ctc_decode, tape gradients).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ctcDecode, ctcLoss, grad, sum, Tensor, tensor, tensor1d } from '../../src';

interface Enc {
  shape: number[];
  values: number[];
}
const K = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/ctc/keras_ctc.json'), 'utf8')) as {
  keras_version: string;
  logits: Enc;
  y_true: Enc;
  loss: Enc;
  grad_sum: Enc;
  logit_lengths: number[];
  label_lengths: number[];
  loss_lengths: Enc;
  grad_sum_lengths: Enc;
  seq_lengths: number[];
  decode: {
    options: { strategy: 'greedy' | 'beam_search'; merge_repeated?: boolean; beam_width?: number; top_paths?: number };
    decoded: Enc;
    scores: Enc;
  }[];
};

const logits = tensor(K.logits.values, K.logits.shape);
const labels = tensor(K.y_true.values, K.y_true.shape, 'int32');
const int1d = (v: number[]): Tensor => tensor1d(v, 'int32');

function expectClose(got: ArrayLike<number>, want: number[], what: string, rtol = 1e-5, atol = 1e-5): void {
  let worst = got.length === want.length ? 0 : Infinity;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (atol + rtol * Math.abs(want[i])));
  if (!(worst <= 1))
    throw new Error(`${what} differs from Keras (worst ratio ${worst}):\n got  ${Array.from(got).join(', ')}\n want ${want.join(', ')}`);
}

describe(`ctcLoss as Keras ${K.keras_version} ops.ctc_loss`, () => {
  test('every step used (label lengths = entries != 0): losses and d(Σ loss)/d(logits)', () => {
    const labelLengths = int1d(
      K.y_true.values.reduce((acc, v, i) => ((acc[Math.floor(i / K.y_true.shape[1])] += v !== 0 ? 1 : 0), acc), [0, 0, 0, 0]),
    );
    const steps = int1d(new Array<number>(K.logits.shape[0]).fill(K.logits.shape[1]));
    expectClose(ctcLoss(labels, logits, labelLengths, steps).dataSync(), K.loss.values, 'loss');
    const g = grad((x) => sum(ctcLoss(labels, x, labelLengths, steps)))(logits);
    expectClose(g.dataSync(), K.grad_sum.values, 'gradient');
  });

  test('shorter logit lengths: losses, and zero gradients past each length', () => {
    const f = (x: Tensor) => ctcLoss(labels, x, int1d(K.label_lengths), int1d(K.logit_lengths));
    expectClose(f(logits).dataSync(), K.loss_lengths.values, 'loss');
    expectClose(grad((x) => sum(f(x)))(logits).dataSync(), K.grad_sum_lengths.values, 'gradient');
  });
});

describe(`ctcDecode as Keras ${K.keras_version} ops.ctc_decode`, () => {
  test.each(K.decode.map((d) => [JSON.stringify(d.options), d] as const))('%s', (_title, d) => {
    const [decoded, scores] = ctcDecode(logits, int1d(K.seq_lengths), {
      strategy: d.options.strategy,
      mergeRepeated: d.options.merge_repeated,
      beamWidth: d.options.beam_width,
      topPaths: d.options.top_paths,
    });
    expect(decoded.shape).toEqual(d.decoded.shape);
    expect(Array.from(decoded.dataSync())).toEqual(d.decoded.values);
    expectClose(scores.dataSync(), d.scores.values, 'scores');
  });
});
