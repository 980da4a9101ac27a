/**
 * The 'ctc' loss (Keras 3 keras.losses.ctc): label lengths from the padding, logit lengths = all steps, blank 0;
 * usable by name from compile/fit.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ctcLoss, randomNormal, setSeed, Tensor, tensor, tensor1d, tensor2d } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { ctc, getLoss, getMetric, lossName, losses, sequential, train } from '@recurrent/models';

/** Keras 3.15's keras.losses.ctc on these logits and 0-padded labels (core's fixtures/ctc/generate_keras_ctc.py). */
const KERAS = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../core/test/fixtures/ctc/keras_ctc.json'), 'utf8')) as {
  logits: { shape: number[]; values: number[] };
  y_true: { shape: number[]; values: number[] };
  loss: { values: number[] };
};

describe('ctc loss', () => {
  const logits = randomNormal([3, 6, 5], 0, 1, 'float32', 3);

  it('counts the entries before the padding (0, or -1) as the label and uses every time step', () => {
    const y = tensor2d([
      [3, 1, 4, 0],
      [1, 0, 0, 0],
      [2, 2, 3, 4],
    ]);
    const expected = ctcLoss(
      tensor2d(
        [
          [3, 1, 4, 0],
          [1, 0, 0, 0],
          [2, 2, 3, 4],
        ],
        undefined,
        'int32',
      ),
      logits,
      tensor1d([3, 1, 4], 'int32'),
      tensor1d([6, 6, 6], 'int32'),
    ).dataSync();
    const got = ctc(y, logits);
    expect(got.shape).toEqual([3]);
    expect(Array.from(got.dataSync())).toEqual(Array.from(expected));
    const minusOne = ctc(
      tensor2d(
        [
          [3, 1, 4, -1],
          [1, -1, -1, -1],
          [2, 2, 3, 4],
        ],
        undefined,
        'int32',
      ),
      logits,
    );
    expect(Array.from(minusOne.dataSync())).toEqual(Array.from(expected));
  });

  it("equals Keras 3's keras.losses.ctc (labels as fit passes them: float32, 0-padded; an empty row)", () => {
    const got = ctc(tensor(KERAS.y_true.values, KERAS.y_true.shape), tensor(KERAS.logits.values, KERAS.logits.shape)).dataSync();
    KERAS.loss.values.forEach((want, i) => expect(Math.abs(got[i] - want)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want))));
  });

  it('an all-padding row is the empty label; an unalignable label is +Infinity', () => {
    const l = ctc(
      tensor2d([
        [0, 0],
        [1, 1],
      ]),
      randomNormal([2, 2, 3], 0, 1, 'float32', 1),
    ).dataSync();
    expect(l[0]).toBeGreaterThan(0);
    expect(Number.isFinite(l[0])).toBe(true);
    expect(l[1]).toBe(Infinity); // [1, 1] needs 3 steps
  });

  it('is found by name and in the losses namespace', () => {
    expect(getLoss('ctc')).toBe(ctc);
    expect(getLoss('CTC')).toBe(ctc);
    expect(losses.ctc).toBe(ctc);
    expect(lossName(ctc)).toBe('ctc');
    expect(getMetric('ctc').fn).toBe(ctc);
  });

  it('bad input names the argument', () => {
    expect(() => ctc(tensor2d([[1, 0, 2]]), randomNormal([1, 6, 5]))).toThrow(
      /ctc: yTrue\[0\]\[2\] = 2 comes after padding \(0 at column 1\); each row must hold its label first/,
    );
    expect(() => ctc(tensor2d([[1, 5]]), randomNormal([1, 6, 5]))).toThrow(/ctcLoss: labels\[0\]\[1\] = 5 is not a valid label/);
    expect(() => ctc(tensor2d([[1.5, 0]]), randomNormal([1, 6, 5]))).toThrow(/ctc: yTrue\[0\]\[0\] = 1.5 is not an integer label id/);
    expect(() => ctc(tensor2d([[-2, 0]]), randomNormal([1, 6, 5]))).toThrow(/ctc: yTrue\[0\]\[0\] = -2: label ids are >= 1/);
    expect(() => ctc(tensor([1, 2, 3], [1, 3, 1]), randomNormal([1, 6, 5]))).toThrow(
      /ctc: yTrue must be padded labels of shape \[batch, maxLabelLength\].*received shape \[1,3,1\]/,
    );
    expect(() => ctc(tensor2d([[1, 2]]), randomNormal([1, 5]))).toThrow(
      /ctc: yPred must be logits of shape \[batch, timeSteps, numClasses\], received shape \[1,5\]/,
    );
    expect(() =>
      ctc(
        tensor2d([
          [1, 2],
          [1, 0],
        ]),
        randomNormal([1, 6, 5]),
      ),
    ).toThrow(/ctc: yTrue has batch size 2 \(shape \[2,2\]\) but yPred has 1/);
  });
});

describe("compile({loss: 'ctc'}) and fit", () => {
  /** Each label id k (1..4) is shown as a 2-step one-hot pulse on feature k, with a zero step after it. */
  function data(n: number, seed: number): { x: Tensor; y: Tensor } {
    const T = 12;
    const F = 5;
    let s = seed;
    const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const x = new Float32Array(n * T * F);
    const y = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const len = 1 + Math.floor(rand() * 3);
      let t = 0;
      for (let j = 0; j < len; j++) {
        const k = 1 + Math.floor(rand() * 4);
        y[i * 3 + j] = k;
        x[(i * T + t) * F + k] = 1;
        x[(i * T + t + 1) * F + k] = 1;
        t += 3;
      }
    }
    return { x: tensor(x, [n, T, F]), y: tensor(y, [n, 3]) };
  }

  it('trains a per-step dense layer with the CTC loss (loss falls) and checks the target shape', async () => {
    setSeed(2);
    const model = sequential();
    model.add(layers.timeDistributed({ layer: layers.dense({ units: 5 }), inputShape: [12, 5] }));
    model.compile({ optimizer: train.adam(0.05), loss: 'ctc' });
    const { x, y } = data(64, 1);
    const history = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0, seed: 1 });
    const l = history.history.loss as number[];
    expect(l[l.length - 1]).toBeLessThan(l[0] / 3);
    const evalLoss = (model.evaluate(x, y) as Tensor).dataSync()[0];
    expect(evalLoss).toBeCloseTo(ctc(y, model.predict(x)).mean().dataSync()[0], 4);
    await expect(model.fit(x, tensor(new Float32Array(64 * 3), [64, 3, 1]), { epochs: 1, verbose: 0 })).rejects.toThrow(
      /fit: y has shape \[64,3,1\], but loss ctc needs padded label ids of shape \[batch, maxLabelLength\]/,
    );
  });
});
