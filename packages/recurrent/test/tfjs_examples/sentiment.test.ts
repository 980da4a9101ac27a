/**
 * tfjs-examples `sentiment` (train.js buildModel / main, index.js predict), written as its user writes it, in
 * tfjs and in recurrent: every model type of buildModel (multihot, flatten, cnn, simpleRNN, lstm,
 * bidirectionalLSTM) on word-index data, compiled with binaryCrossentropy / 'adam' / metrics ['acc'], summary(),
 * fit with validationSplit, evaluate returning [loss, acc] tensors, save to `file://` and to memory, reload both
 * ways, and predict on a tf.buffer-built batch.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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
  snapshot,
  tfjsArtifacts,
} from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const VOCAB = 20;
const MAX_LEN = 10;
const EMBED = 6;
const N = 16;

type Lib = typeof tf | typeof rc;

/** buildModel of train.js, the same source for both libraries (only the sizes are tiny). */
function buildModel(lib: Lib, modelType: string, dropoutRate: number) {
  // The same calls in both libraries; `any` because the two namespaces are different types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const L = lib.layers as any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const model = (lib as any).sequential();
  if (modelType === 'multihot') {
    model.add(L.dense({ units: 5, activation: 'relu', inputShape: [VOCAB] }));
    model.add(L.dense({ units: 5, activation: 'relu' }));
  } else {
    model.add(L.embedding({ inputDim: VOCAB, outputDim: EMBED, inputLength: MAX_LEN }));
    if (modelType === 'flatten') {
      model.add(L.flatten());
    } else if (modelType === 'cnn') {
      model.add(L.dropout({ rate: dropoutRate }));
      model.add(L.conv1d({ filters: 7, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' }));
      model.add(L.globalMaxPool1d({}));
      model.add(L.dense({ units: 5, activation: 'relu' }));
    } else if (modelType === 'simpleRNN') {
      model.add(L.simpleRNN({ units: 5 }));
    } else if (modelType === 'lstm') {
      model.add(L.lstm({ units: 5 }));
    } else if (modelType === 'bidirectionalLSTM') {
      model.add(L.bidirectional({ layer: L.lstm({ units: 4 }), mergeMode: 'concat' }));
    }
  }
  model.add(L.dense({ units: 1, activation: 'sigmoid' }));
  return model;
}

/** Word indices (padded with 0 at the end, as index.js fills its buffer) and a label that depends on them. */
function data(multihot: boolean) {
  const r = lcgData(N * MAX_LEN, 11);
  const seqs: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < N; i++) {
    const len = 4 + (i % 6);
    const seq = Array.from({ length: len }, (_, t) => 1 + Math.floor(((r[i * MAX_LEN + t] + 1) / 2) * (VOCAB - 1)));
    seqs.push(seq);
    labels.push(seq.filter((w) => w < VOCAB / 2).length > len / 2 ? 1 : 0);
  }
  const x = multihot
    ? seqs.flatMap((s) => Array.from({ length: VOCAB }, (_, w) => (s.includes(w) ? 1 : 0)))
    : seqs.flatMap((s) => Array.from({ length: MAX_LEN }, (_, t) => (t < s.length ? s[t] : 0)));
  const shape = multihot ? [N, VOCAB] : [N, MAX_LEN];
  return {
    tx: tf.tensor2d(x, shape as [number, number]),
    ty: tf.tensor2d(labels, [N, 1]),
    rx: rc.tensor2d(x, shape as [number, number]),
    ry: rc.tensor2d(labels, [N, 1]),
  };
}

const MODEL_TYPES = ['multihot', 'flatten', 'cnn', 'simpleRNN', 'lstm', 'bidirectionalLSTM'];

describe.each(MODEL_TYPES)('sentiment %s', (modelType) => {
  test('summary, fit (validationSplit), evaluate and predict agree with tfjs', async () => {
    // Dropout draws different masks in the two libraries, so the training comparison runs with rate 0; the
    // example's rate 0.5 is exercised by the save/load test below (inference only: dropout is the identity).
    const theirs = buildModel(tf, modelType, 0) as tf.Sequential;
    const ours = buildModel(rc, modelType, 0) as rc.Sequential;
    theirs.compile({ loss: 'binaryCrossentropy', optimizer: 'adam', metrics: ['acc'] });
    ours.compile({ loss: 'binaryCrossentropy', optimizer: 'adam', metrics: ['acc'] });
    const tSummary = captureSummary(theirs);
    const rSummary = captureSummary(ours);
    expect(summaryRows(rSummary)).toEqual(summaryRows(tSummary));
    expect(summaryRows(rSummary).length).toBeGreaterThan(4);
    copyWeights(theirs, ours);
    const initial = snapshot(theirs);

    const { tx, ty, rx, ry } = data(modelType === 'multihot');
    // The example fits with tfjs's default shuffle: true; both libraries shuffle with their own generator, so
    // the comparison turns it off (and verbose 0 keeps the test log short: both are the only changes to the call).
    const fitArgs = { epochs: 3, batchSize: 4, validationSplit: 0.25, shuffle: false, verbose: 0 };
    const th = await theirs.fit(tx, ty, fitArgs);
    const rh = await ours.fit(rx, ry, fitArgs);
    expect(Object.keys(rh.history).sort()).toEqual(Object.keys(th.history).sort());
    expect(rh.epoch).toEqual(th.epoch);
    // float32 sums in a different order over 3 epochs × 3 Adam steps: the loss keeps ~6 significant digits.
    expectHistoryClose(th.history, rh.history, ['loss', 'val_loss'], 1e-4);
    // Accuracy is a count over 12 or 4 samples, so it must be equal (no prediction sits at 0.5 within 1e-4).
    expectHistoryClose(th.history, rh.history, ['acc', 'val_acc'], 1e-6);
    // Adam's update divides by sqrt(v) + ε: a float32 rounding in the gradient moves a weight by ~1e-7·lr-scale;
    // after 9 steps the weights agree to 1e-4 relative (1e-5 absolute near 0).
    expectWeightsClose(theirs, ours, 1e-4, 1e-5);
    expectMoved(initial, ours);

    // evaluate returns [loss, acc] as scalar tensors whose data() the example awaits.
    const [tLoss, tAcc] = theirs.evaluate(tx, ty, { batchSize: 4 }) as tf.Scalar[];
    const rEval = ours.evaluate(rx, ry, { batchSize: 4 });
    expect(Array.isArray(rEval)).toBe(true);
    const [rLoss, rAcc] = rEval as rc.Tensor[];
    expect(rLoss.shape).toEqual([]);
    expectClose('evaluate loss', await rLoss.data(), await tLoss.data(), 1e-4);
    expectClose('evaluate acc', await rAcc.data(), await tAcc.data(), 1e-6);

    // index.js: one example in a tf.buffer([1, maxLen], 'float32'), then predict(...).dataSync()[0].
    if (modelType !== 'multihot') {
      const words = [3, 7, 12, 5];
      const tBuf = tf.buffer([1, MAX_LEN], 'float32');
      const rBuf = rc.buffer([1, MAX_LEN], 'float32');
      words.forEach((w, i) => (tBuf.set(w, 0, i), rBuf.set(w, 0, i)));
      const tOut = theirs.predict(tBuf.toTensor()) as tf.Tensor;
      const rOut = ours.predict(rBuf.toTensor()) as rc.Tensor;
      expect(rOut.shape).toEqual([1, 1]);
      expectClose('predicted score', [rOut.dataSync()[0]], [tOut.dataSync()[0] as number], 1e-5);
      rOut.dispose();
    }
    // train.js's own call (default shuffle: true) runs too; it is left out of the comparison.
    const literal = await ours.fit(rx, ry, { epochs: 1, batchSize: 4, validationSplit: 0.25, verbose: 0 });
    expect(Object.keys(literal.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    copyWeights(theirs, ours); // back to tfjs's trained weights

    // A batch: the whole training set.
    expectClose('predict on a batch', (ours.predict(rx) as rc.Tensor).dataSync(), (theirs.predict(tx) as tf.Tensor).dataSync(), 1e-5);
  });

  test('save to file:// and to memory, reload both ways (with the example dropout 0.5)', async () => {
    const theirs = buildModel(tf, modelType, 0.5) as tf.Sequential;
    const ours = buildModel(rc, modelType, 0.5) as rc.Sequential;
    theirs.compile({ loss: 'binaryCrossentropy', optimizer: 'adam', metrics: ['acc'] });
    ours.compile({ loss: 'binaryCrossentropy', optimizer: 'adam', metrics: ['acc'] });
    copyWeights(theirs, ours);
    const { tx, rx } = data(modelType === 'multihot');
    const expected = (theirs.predict(tx) as tf.Tensor).dataSync();

    // train.js: `await model.save(`file://${dir}`)`, then index.js loads model.json.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentiment-'));
    try {
      const result = await ours.save(`file://${dir}`);
      expect(result.modelArtifactsInfo.weightDataBytes).toBeGreaterThan(0);
      expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
      const reloaded = await rc.loadLayersModel(`file://${dir}/model.json`);
      expectClose('our file:// reload', (reloaded.predict(rx) as rc.Tensor).dataSync(), expected, 1e-5);

      // tfjs reads what we wrote (tfjs in node without tfjs-node has no file://: read the files into memory).
      const modelJSON = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const weightData = new Uint8Array(fs.readFileSync(path.join(dir, 'weights.bin'))).buffer;
      const inTfjs = await tf.loadLayersModel(
        tf.io.fromMemory({ modelTopology: modelJSON.modelTopology, weightSpecs: modelJSON.weightsManifest[0].weights, weightData }),
      );
      expectClose('tfjs reading our file', (inTfjs.predict(tx) as tf.Tensor).dataSync(), expected, 1e-5);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // We read what tfjs wrote.
    const fromTfjs = await rc.loadLayersModel(rc.io.fromMemory(await tfjsArtifacts(theirs)));
    expectClose('ours reading tfjs artifacts', (fromTfjs.predict(rx) as rc.Tensor).dataSync(), expected, 1e-5);
    const ourSaved = await ourArtifacts(ours);
    const back = await tf.loadLayersModel(tf.io.fromMemory(ourSaved as tf.io.ModelArtifacts));
    expectClose('tfjs reading our artifacts', (back.predict(tx) as tf.Tensor).dataSync(), expected, 1e-5);
  });
});
