/**
 * tfjs-examples `addition-rnn` (index.js: CharacterTable, generateData, createAndCompileModel, the training
 * loop), written as its user writes it, in tfjs and in recurrent: a one-hot encoder RNN (SimpleRNN, GRU or LSTM
 * with recurrentInitializer 'GlorotNormal'), repeatVector, a decoder RNN returning sequences, a timeDistributed
 * dense and a softmax activation, compiled with categoricalCrossentropy / 'adam' / ['accuracy']; fit one epoch at
 * a time with validationData, then decode predictions with argMax inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import * as rc from '../../src';
import {
  captureSummary,
  copyWeights,
  expectClose,
  expectHistoryClose,
  expectMoved,
  expectWeightsClose,
  lcgData,
  ourArtifacts,
  summaryRows,
  tfjsArtifacts,
  snapshot,
} from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Lib = typeof tf | typeof rc;
// The same calls in both libraries; `any` because the two namespaces are different types.
/* eslint-disable @typescript-eslint/no-explicit-any */

const CHARS = '0123456789+ ';
const DIGITS = 2;
const MAX_LEN = DIGITS + 1 + DIGITS;

/** The example's CharacterTable, over either library. */
class CharacterTable {
  readonly charIndices: Record<string, number> = {};
  readonly indicesChar: Record<number, string> = {};
  readonly size: number;
  constructor(
    private readonly lib: Lib,
    chars: string,
  ) {
    this.size = chars.length;
    for (let i = 0; i < this.size; ++i) {
      this.charIndices[chars[i]] = i;
      this.indicesChar[i] = chars[i];
    }
  }

  encodeBatch(strings: string[], numRows: number): any {
    const buf = (this.lib as any).buffer([strings.length, numRows, this.size]);
    strings.forEach((str, n) => {
      for (let i = 0; i < str.length; ++i) buf.set(1, n, i, this.charIndices[str[i]]);
    });
    return buf.toTensor().as3D(strings.length, numRows, this.size);
  }

  decode(x: any, calcArgmax = true): string {
    if (calcArgmax) x = x.argMax(1);
    let output = '';
    for (const index of Array.from(x.dataSync() as ArrayLike<number>)) output += this.indicesChar[index];
    return output;
  }
}

/** generateData without Math.random (an LCG), so both libraries get the same questions. */
function generateData(numExamples: number): [string, string][] {
  const r = lcgData(numExamples * 2, 5);
  const out: [string, string][] = [];
  for (let i = 0; i < numExamples; i++) {
    const a = Math.floor(((r[2 * i] + 1) / 2) * 10 ** DIGITS);
    const b = Math.floor(((r[2 * i + 1] + 1) / 2) * 10 ** DIGITS);
    const q = `${a}+${b}`;
    const ans = `${a + b}`;
    out.push([q + ' '.repeat(MAX_LEN - q.length), ans + ' '.repeat(DIGITS + 1 - ans.length)]);
  }
  return out;
}

/** createAndCompileModel of index.js, the same source for both libraries (hiddenSize tiny). */
function createAndCompileModel(lib: Lib, hiddenSize: number, rnnType: string, vocabularySize: number): any {
  const L = lib.layers as any;
  const model = (lib as any).sequential({});
  const rnn = { SimpleRNN: L.simpleRNN, GRU: L.gru, LSTM: L.lstm }[rnnType] as (a: object) => unknown;
  model.add(rnn({ units: hiddenSize, recurrentInitializer: 'GlorotNormal', inputShape: [MAX_LEN, vocabularySize] }));
  model.add(L.repeatVector({ n: DIGITS + 1 }));
  model.add(rnn({ units: hiddenSize, recurrentInitializer: 'GlorotNormal', returnSequences: true }));
  model.add(L.timeDistributed({ layer: L.dense({ units: vocabularySize }) }));
  model.add(L.activation({ activation: 'softmax' }));
  model.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  return model;
}

describe.each(['SimpleRNN', 'GRU', 'LSTM'])('addition-rnn %s', (rnnType) => {
  test('training iterations (fit 1 epoch with validationData), accuracy keys, decoded predictions agree with tfjs', async () => {
    const data = generateData(20);
    const trainData = data.slice(0, 16);
    const testData = data.slice(16);
    const tTable = new CharacterTable(tf, CHARS);
    const rTable = new CharacterTable(rc, CHARS);
    const enc = (table: CharacterTable, d: [string, string][]) => [
      table.encodeBatch(
        d.map((x) => x[0]),
        MAX_LEN,
      ),
      table.encodeBatch(
        d.map((x) => x[1]),
        DIGITS + 1,
      ),
    ];
    const [tTrainXs, tTrainYs] = enc(tTable, trainData);
    const [tTestXs, tTestYs] = enc(tTable, testData);
    const [rTrainXs, rTrainYs] = enc(rTable, trainData);
    const [rTestXs, rTestYs] = enc(rTable, testData);
    expect(rTrainXs.shape).toEqual([16, MAX_LEN, CHARS.length]);
    expectClose('encoded questions', rTrainXs.dataSync(), tTrainXs.dataSync(), 0, 1e-12);

    const theirs = createAndCompileModel(tf, 6, rnnType, CHARS.length);
    const ours = createAndCompileModel(rc, 6, rnnType, CHARS.length);
    expect(summaryRows(captureSummary(ours))).toEqual(summaryRows(captureSummary(theirs)));
    copyWeights(theirs, ours);
    const initial = snapshot(theirs);

    for (let i = 0; i < 3; ++i) {
      // The example's call, plus shuffle: false (each library shuffles with its own generator) and verbose: 0.
      const args = (x: unknown, y: unknown, vx: unknown, vy: unknown) => ({
        epochs: 1,
        batchSize: 8,
        validationData: [vx, vy],
        shuffle: false,
        verbose: 0,
      });
      const th = await theirs.fit(tTrainXs, tTrainYs, args(tTrainXs, tTrainYs, tTestXs, tTestYs));
      const rh = await ours.fit(rTrainXs, rTrainYs, args(rTrainXs, rTrainYs, rTestXs, rTestYs));
      // index.js reads history.history['loss' | 'acc' | 'val_loss' | 'val_acc'][0] and calls toFixed on them.
      for (const k of ['loss', 'acc', 'val_loss', 'val_acc']) expect(typeof rh.history[k][0]).toBe('number');
      // float32 sums in another order: losses agree to ~6 digits after a few Adam steps.
      expectHistoryClose(th.history, rh.history, ['loss', 'val_loss'], 1e-4);
      // Accuracy counts argmax hits over 48 or 12 characters: equal unless two scores tie within 1e-6.
      expectHistoryClose(th.history, rh.history, ['acc', 'val_acc'], 1e-6);
      await tf.nextFrame();
      await rc.nextFrame();
    }
    // 6 Adam steps on float32 sums in different orders: 1e-4 relative (1e-5 absolute near 0).
    expectWeightsClose(theirs, ours, 1e-4, 1e-5);
    expectMoved(initial, ours);

    // The example's display: decode each test example's predicted scores inside tf.tidy.
    const decodeAll = (lib: Lib, model: any, table: CharacterTable, testXs: any) =>
      (lib as any).tidy(() => {
        const predictOut = model.predict(testXs);
        const decoded: string[] = [];
        const scores: number[] = [];
        for (let k = 0; k < testData.length; ++k) {
          const s = predictOut
            .slice([k, 0, 0], [1, predictOut.shape[1], predictOut.shape[2]])
            .as2D(predictOut.shape[1], predictOut.shape[2]);
          decoded.push(table.decode(s));
          scores.push(...s.dataSync());
        }
        return { decoded, scores };
      });
    const t = decodeAll(tf, theirs, tTable, tTestXs);
    const r = decodeAll(rc, ours, rTable, rTestXs);
    expect(r.decoded).toEqual(t.decoded);

    // Saved models load both ways (repeatVector, timeDistributed and the RNN configs) and predict the same.
    const tPred = (theirs.predict(tTestXs) as tf.Tensor).dataSync();
    const fromTfjs = await rc.loadLayersModel(rc.io.fromMemory(await tfjsArtifacts(theirs)));
    expectClose('ours loading tfjs', (fromTfjs.predict(rTestXs) as rc.Tensor).dataSync(), tPred, 1e-4, 1e-6);
    const inTfjs = await tf.loadLayersModel(tf.io.fromMemory((await ourArtifacts(ours)) as tf.io.ModelArtifacts));
    expectClose('tfjs loading ours', (inTfjs.predict(tTestXs) as tf.Tensor).dataSync(), tPred, 1e-4, 1e-6);
    // Softmax outputs after training: 1e-4 relative, as the weights.
    expectClose('predicted character scores', r.scores, t.scores, 1e-4, 1e-6);
  });
});
