/**
 * tfjs-examples `lstm-text-generation` (model.js createModel / compileModel / fitModel / generateText / sample,
 * data.js TextData, train_node.js main), written as its user writes it, in tfjs and in recurrent: stacked LSTMs
 * (the first with inputShape, the others with `inputShape: undefined`) and a softmax dense, rmsprop,
 * categoricalCrossentropy, one fit per epoch on fresh TensorBuffer data with validationSplit and a callbacks
 * object ({onTrainBegin, onTrainEnd}), then next-character generation with predict in a loop.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as rc from '../../src';
import { captureSummary, copyWeights, expectClose, expectMoved, expectWeightsClose, summaryRows, snapshot } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Lib = typeof tf | typeof rc;
// The same calls in both libraries; `any` because the two namespaces are different types.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** data.js TextData, over either library (the public methods the example uses). */
class TextData {
  readonly charSet: string[] = [];
  readonly indices: Uint16Array;
  exampleBeginIndices: number[] = [];
  private examplePosition = 0;
  constructor(
    private readonly lib: Lib,
    private readonly text: string,
    private readonly len: number,
    sampleStep: number,
  ) {
    for (const c of text) if (this.charSet.indexOf(c) === -1) this.charSet.push(c);
    this.indices = Uint16Array.from(text, (c) => this.charSet.indexOf(c));
    for (let i = 0; i < text.length - len - 1; i += sampleStep) this.exampleBeginIndices.push(i);
    (lib as any).util.shuffle(this.exampleBeginIndices);
  }
  sampleLen() {
    return this.len;
  }
  charSetSize() {
    return this.charSet.length;
  }
  nextDataEpoch(numExamples: number): [any, any] {
    const t = this.lib as any;
    const xsBuffer = new t.TensorBuffer([numExamples, this.len, this.charSet.length]);
    const ysBuffer = new t.TensorBuffer([numExamples, this.charSet.length]);
    for (let i = 0; i < numExamples; ++i) {
      const begin = this.exampleBeginIndices[this.examplePosition % this.exampleBeginIndices.length];
      for (let j = 0; j < this.len; ++j) xsBuffer.set(1, i, j, this.indices[begin + j]);
      ysBuffer.set(1, i, this.indices[begin + this.len]);
      this.examplePosition++;
    }
    return [xsBuffer.toTensor(), ysBuffer.toTensor()];
  }
  getFromCharSet(index: number) {
    return this.charSet[index];
  }
}

/** model.js createModel and compileModel. */
function createModel(lib: Lib, sampleLen: number, charSetSize: number, lstmLayerSizes: number | number[]): any {
  const t = lib as any;
  if (!Array.isArray(lstmLayerSizes)) lstmLayerSizes = [lstmLayerSizes];
  const model = t.sequential();
  for (let i = 0; i < lstmLayerSizes.length; ++i) {
    model.add(
      t.layers.lstm({
        units: lstmLayerSizes[i],
        returnSequences: i < lstmLayerSizes.length - 1,
        inputShape: i === 0 ? [sampleLen, charSetSize] : undefined,
      }),
    );
  }
  model.add(t.layers.dense({ units: charSetSize, activation: 'softmax' }));
  return model;
}

function compileModel(lib: Lib, model: any, learningRate: number): void {
  const optimizer = (lib as any).train.rmsprop(learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
}

/** model.js fitModel: one fit per epoch on fresh data, with the caller's callbacks object. */
async function fitModel(
  model: any,
  textData: TextData,
  numEpochs: number,
  examplesPerEpoch: number,
  batchSize: number,
  validationSplit: number,
  callbacks: object,
) {
  const losses: number[] = [];
  for (let i = 0; i < numEpochs; ++i) {
    const [xs, ys] = textData.nextDataEpoch(examplesPerEpoch);
    // The example's call, plus shuffle: false (each library shuffles with its own generator) and verbose: 0.
    const history = await model.fit(xs, ys, { epochs: 1, batchSize, validationSplit, callbacks, shuffle: false, verbose: 0 });
    losses.push(history.history.loss[0], history.history.val_loss[0]);
    xs.dispose();
    ys.dispose();
  }
  return losses;
}

/**
 * model.js generateText, with the draw passed in: the example's `sample` (multinomial) draws from each
 * library's own generator, so the parity run picks the argmax and records the probabilities of every step.
 */
async function generateText(
  lib: Lib,
  model: any,
  textData: TextData,
  sentenceIndices: number[],
  length: number,
  pick: (preds: any) => number,
) {
  const t = lib as any;
  const sampleLen = model.inputs[0].shape[1];
  const charSetSize = model.inputs[0].shape[2];
  sentenceIndices = sentenceIndices.slice();
  let generated = '';
  const probabilities: number[] = [];
  while (generated.length < length) {
    const inputBuffer = new t.TensorBuffer([1, sampleLen, charSetSize]);
    for (let i = 0; i < sampleLen; ++i) inputBuffer.set(1, 0, i, sentenceIndices[i]);
    const input = inputBuffer.toTensor();
    const output = model.predict(input);
    probabilities.push(...output.dataSync());
    const winnerIndex = pick(t.squeeze(output));
    generated += textData.getFromCharSet(winnerIndex);
    sentenceIndices = sentenceIndices.slice(1);
    sentenceIndices.push(winnerIndex);
    input.dispose();
    output.dispose();
  }
  return { generated, probabilities };
}

/** model.js sample: the Node branch (tf.multinomial of the probabilities, not normalized) or, where
 * env().get('IS_BROWSER'), the browser one (temperature, then normalized probabilities). */
function sample(lib: Lib, preds: any, temperature: any): number {
  const t = lib as any;
  return t.tidy(() => {
    let isNormalized = false;
    if (t.env().get('IS_BROWSER')) {
      const logPreds = t.div(t.log(preds), temperature);
      const expPreds = t.exp(logPreds);
      const sumExpPreds = t.sum(expPreds);
      preds = t.div(expPreds, sumExpPreds);
      isNormalized = true;
    }
    return t.multinomial(preds, 1, null, isNormalized).dataSync()[0];
  });
}

/** Runs `fn` with the IS_BROWSER flag of both libraries set to `isBrowser`. */
function asBrowser<T>(isBrowser: boolean, fn: () => T): T {
  tf.env().set('IS_BROWSER', isBrowser);
  rc.env().set('IS_BROWSER', isBrowser);
  try {
    return fn();
  } finally {
    tf.env().set('IS_BROWSER', false);
    rc.env().reset();
  }
}

const TEXT = 'the cat sat on the mat. the rat ate the hat. a cat, a rat, a mat; that is that. ';

test('lstm-text-generation: stacked LSTM training, callbacks object, generation and save/load agree with tfjs', async () => {
  const sampleLen = 6;
  const tData = new TextData(tf, TEXT, sampleLen, 3);
  const rData = new TextData(rc, TEXT, sampleLen, 3);
  // Both libraries shuffled the example order with their own generators: a permutation each; ours then takes tfjs's.
  expect([...rData.exampleBeginIndices].sort((a, b) => a - b)).toEqual([...tData.exampleBeginIndices].sort((a, b) => a - b));
  rData.exampleBeginIndices = tData.exampleBeginIndices.slice();

  const theirs = createModel(tf, sampleLen, tData.charSetSize(), [5, 4]);
  const ours = createModel(rc, sampleLen, rData.charSetSize(), [5, 4]);
  compileModel(tf, theirs, 1e-2);
  compileModel(rc, ours, 1e-2);
  expect(summaryRows(captureSummary(ours))).toEqual(summaryRows(captureSummary(theirs)));
  copyWeights(theirs, ours);
  const initial = snapshot(theirs);
  expect(ours.inputs[0].shape).toEqual(theirs.inputs[0].shape);

  const seedIndices = Array.from(tData.indices.slice(10, 10 + sampleLen));
  const calls = (lib: Lib, model: any, data: TextData) => {
    const log: string[] = [];
    const generatedAfterEpoch: number[][] = [];
    const callbacks = {
      onTrainBegin: async () => void log.push('trainBegin'),
      onTrainEnd: async () => {
        log.push('trainEnd');
        const { probabilities } = await generateText(lib, model, data, seedIndices, 3, (p) => p.argMax().dataSync()[0]);
        generatedAfterEpoch.push(probabilities);
      },
    };
    return { log, generatedAfterEpoch, callbacks };
  };
  const tc = calls(tf, theirs, tData);
  const rc_ = calls(rc, ours, rData);
  const tLosses = await fitModel(theirs, tData, 3, 12, 4, 0.25, tc.callbacks);
  const rLosses = await fitModel(ours, rData, 3, 12, 4, 0.25, rc_.callbacks);
  expect(rc_.log).toEqual(tc.log);
  // 9 RMSprop steps through two LSTMs, float32 sums in different orders: losses and weights to 1e-4 relative.
  expectClose('train/validation losses per epoch', rLosses, tLosses, 1e-4);
  expectWeightsClose(theirs, ours, 1e-4, 1e-5);
  expectMoved(initial, ours);
  expect(rc_.generatedAfterEpoch).toHaveLength(3);
  rc_.generatedAfterEpoch.forEach((p, i) => expectClose(`probabilities after epoch ${i + 1}`, p, tc.generatedAfterEpoch[i], 1e-4, 1e-6));

  // Greedy generation, 20 characters: the same text, the same probabilities at every step.
  const greedy = (p: any) => p.argMax().dataSync()[0];
  const t = await generateText(tf, theirs, tData, seedIndices, 20, greedy);
  const r = await generateText(rc, ours, rData, seedIndices, 20, greedy);
  expect(r.generated).toEqual(t.generated);
  expectClose('generation probabilities', r.probabilities, t.probabilities, 1e-4, 1e-6);

  // The example's own sample(): both branches draw a valid index in ours, and a certain outcome is drawn always.
  const probs = rc.squeeze(ours.predict(rc.oneHot(rc.tensor1d(seedIndices, 'int32'), rData.charSetSize()).expandDims(0)) as rc.Tensor);
  for (const isBrowser of [false, true]) {
    const k = asBrowser(isBrowser, () => sample(rc, probs, 0.5));
    expect(Number.isInteger(k) && k >= 0 && k < rData.charSetSize()).toBe(true);
  }
  // A certain outcome is drawn always, in both libraries (browser branch: probabilities; Node branch: logits).
  expect(asBrowser(true, () => sample(rc, rc.tensor1d([0, 0, 1, 0]), rc.scalar(0.7)))).toBe(2);
  expect(asBrowser(true, () => sample(tf, tf.tensor1d([0, 0, 1, 0]), tf.scalar(0.7)))).toBe(2);
  expect(sample(rc, rc.tensor1d([-1e9, -1e9, 0, -1e9]), 1)).toBe(2);
  expect(sample(tf, tf.tensor1d([-1e9, -1e9, 0, -1e9]), 1)).toBe(2);

  // train_node.js saves with file://; tfjs loads what we wrote, and so do we.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-text-'));
  try {
    await ours.save(`file://${dir}`);
    const reloaded = await rc.loadLayersModel(`file://${dir}/model.json`);
    const again = await generateText(rc, reloaded, rData, seedIndices, 20, greedy);
    expect(again.generated).toEqual(t.generated);
    const modelJSON = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const weightData = new Uint8Array(fs.readFileSync(path.join(dir, 'weights.bin'))).buffer;
    const inTfjs = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJSON.modelTopology, weightSpecs: modelJSON.weightsManifest[0].weights, weightData }),
    );
    expect((await generateText(tf, inTfjs, tData, seedIndices, 20, greedy)).generated).toEqual(t.generated);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
