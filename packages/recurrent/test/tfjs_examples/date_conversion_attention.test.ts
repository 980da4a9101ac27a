/**
 * tfjs-examples `date-conversion-attention` (model.js createModel / runSeq2SeqInference, train.js
 * generateDataForTraining / run, date_format.js), written as its user writes it, in tfjs and in recurrent: a
 * custom `GetLastTimestepLayer extends tf.layers.Layer` registered with serialization.registerClass, a functional
 * tf.model with two masked embeddings (maskZero), an encoder LSTM whose last step starts the decoder LSTM
 * (initialState), dot/softmax/dot attention, concatenate and two timeDistributed denses; fit on
 * [encoderInput, decoderInput] with validationData, save/load, and the greedy decoding loop with a second
 * model whose outputs add the 'attention' layer's output.
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
  ourArtifacts,
  summaryRows,
  snapshot,
  tfjsArtifacts,
} from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Lib = typeof tf | typeof rc;
// The same calls in both libraries; `any` because the two namespaces are different types.
/* eslint-disable @typescript-eslint/no-explicit-any */

// date_format.js, with four of its input formats.
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const INPUT_LENGTH = 12;
const OUTPUT_LENGTH = 10;
const INPUT_VOCAB =
  '\n0123456789/-., ' +
  MONTHS.join('')
    .split('')
    .filter((c, i, a) => a.indexOf(c) === i)
    .join('');
const OUTPUT_VOCAB = '\n\t0123456789-';
const START_CODE = 1;
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
type DateTuple = [number, number, number];
const INPUT_FNS = [
  (d: DateTuple) => `${two(d[2])}${MONTHS[d[1] - 1]}${d[0]}`,
  (d: DateTuple) => `${two(d[1])}/${two(d[2])}/${`${d[0]}`.slice(2)}`,
  (d: DateTuple) => `${MONTHS[d[1] - 1]} ${two(d[2])}, ${d[0]}`,
  (d: DateTuple) => `${d[0]}${two(d[1])}${two(d[2])}`,
];
const iso = (d: DateTuple) => `${d[0]}-${two(d[1])}-${two(d[2])}`;

function encodeInputDateStrings(lib: Lib, dateStrings: string[]): any {
  const x = (lib as any).buffer([dateStrings.length, INPUT_LENGTH], 'float32');
  dateStrings.forEach((s, i) => {
    for (let j = 0; j < INPUT_LENGTH; ++j) if (j < s.length) x.set(INPUT_VOCAB.indexOf(s[j]), i, j);
  });
  return x.toTensor();
}

function encodeOutputDateStrings(lib: Lib, dateStrings: string[]): any {
  const x = (lib as any).buffer([dateStrings.length, OUTPUT_LENGTH], 'int32');
  dateStrings.forEach((s, i) => {
    (lib as any).util.assert(s.length === OUTPUT_LENGTH, `Date string is not in ISO format: "${s}"`);
    for (let j = 0; j < OUTPUT_LENGTH; ++j) x.set(OUTPUT_VOCAB.indexOf(s[j]), i, j);
  });
  return x.toTensor();
}

/** train.js dateTuplesToTensor, verbatim in both libraries (ones·START_CODE, concat, slice, tile, oneHot). */
function dateTuplesToTensor(lib: Lib, dateTuples: DateTuple[]): any {
  const t = lib as any;
  return t.tidy(() => {
    const inputStrings: string[] = [];
    INPUT_FNS.map((fn) => dateTuples.map((d) => fn(d))).forEach((inputs) => inputStrings.push(...inputs));
    const encoderInput = encodeInputDateStrings(lib, inputStrings);
    const targets = dateTuples.map(iso);
    let decoderInput = encodeOutputDateStrings(lib, targets).asType('float32');
    decoderInput = t
      .concat(
        [
          t.ones([decoderInput.shape[0], 1]).mul(START_CODE),
          decoderInput.slice([0, 0], [decoderInput.shape[0], decoderInput.shape[1] - 1]),
        ],
        1,
      )
      .tile([INPUT_FNS.length, 1]);
    const decoderOutput = t.oneHot(encodeOutputDateStrings(lib, targets), OUTPUT_VOCAB.length).tile([INPUT_FNS.length, 1, 1]);
    return { encoderInput, decoderInput, decoderOutput };
  });
}

/** model.js GetLastTimestepLayer, written against either library's tf.layers.Layer. */
function getLastTimestepLayerClass(lib: Lib): any {
  const t = lib as any;
  class GetLastTimestepLayer extends t.layers.Layer {
    constructor(config?: object) {
      super(config || {});
      // (sic) the example's spelling: tfjs's property is supportsMasking, so this sets nothing in either library.
      this.supportMasking = true;
    }
    computeOutputShape(inputShape: (number | null)[]) {
      const outputShape = inputShape.slice();
      outputShape.splice(outputShape.length - 2, 1);
      return outputShape;
    }
    call(input: any) {
      if (Array.isArray(input)) input = input[0];
      const inputRank = input.shape.length;
      t.util.assert(inputRank === 3, `Invalid input rank: ${inputRank}`);
      return input.gather([input.shape[1] - 1], 1).squeeze([1]);
    }
    static get className() {
      return 'GetLastTimestepLayer';
    }
  }
  t.serialization.registerClass(GetLastTimestepLayer);
  return GetLastTimestepLayer;
}

/** model.js createModel (embeddingDims and lstmUnits tiny). */
function createModel(lib: Lib, inputVocabSize: number, outputVocabSize: number, inputLength: number, outputLength: number): any {
  const t = lib as any;
  const GetLastTimestepLayer = getLastTimestepLayerClass(lib);
  const embeddingDims = 6;
  const lstmUnits = 5;
  const encoderInput = t.input({ shape: [inputLength] });
  const decoderInput = t.input({ shape: [outputLength] });
  let encoder = t.layers.embedding({ inputDim: inputVocabSize, outputDim: embeddingDims, inputLength, maskZero: true }).apply(encoderInput);
  encoder = t.layers.lstm({ units: lstmUnits, returnSequences: true }).apply(encoder);
  const encoderLast = new GetLastTimestepLayer({ name: 'encoderLast' }).apply(encoder);
  let decoder = t.layers
    .embedding({ inputDim: outputVocabSize, outputDim: embeddingDims, inputLength: outputLength, maskZero: true })
    .apply(decoderInput);
  decoder = t.layers.lstm({ units: lstmUnits, returnSequences: true }).apply(decoder, { initialState: [encoderLast, encoderLast] });
  let attention = t.layers.dot({ axes: [2, 2] }).apply([decoder, encoder]);
  attention = t.layers.activation({ activation: 'softmax', name: 'attention' }).apply(attention);
  const context = t.layers.dot({ axes: [2, 1], name: 'context' }).apply([attention, encoder]);
  const decoderCombinedContext = t.layers.concatenate().apply([context, decoder]);
  let output = t.layers.timeDistributed({ layer: t.layers.dense({ units: lstmUnits, activation: 'tanh' }) }).apply(decoderCombinedContext);
  output = t.layers.timeDistributed({ layer: t.layers.dense({ units: outputVocabSize, activation: 'softmax' }) }).apply(output);
  const model = t.model({ inputs: [encoderInput, decoderInput], outputs: output });
  model.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
  return model;
}

/** model.js runSeq2SeqInference: greedy decoding with predict, then the two-output model for the attention. */
function runSeq2SeqInference(
  lib: Lib,
  model: any,
  inputStr: string,
  getAttention: boolean,
): { outputStr: string; attention?: Float32Array; steps: number[] } {
  const t = lib as any;
  return t.tidy(() => {
    const encoderInput = encodeInputDateStrings(lib, [inputStr]);
    const decoderInput = t.buffer([1, OUTPUT_LENGTH]);
    decoderInput.set(START_CODE, 0, 0);
    const steps: number[] = [];
    for (let i = 1; i < OUTPUT_LENGTH; ++i) {
      const predictOut = model.predict([encoderInput, decoderInput.toTensor()]);
      steps.push(...predictOut.dataSync().slice((i - 1) * OUTPUT_VOCAB.length, i * OUTPUT_VOCAB.length));
      const output = predictOut.argMax(2).dataSync()[i - 1];
      predictOut.dispose();
      decoderInput.set(output, 0, i);
    }
    const result: { outputStr: string; attention?: Float32Array; steps: number[] } = { outputStr: '', steps };
    let finalStepModel = model;
    if (getAttention) {
      finalStepModel = t.model({ inputs: model.inputs, outputs: model.outputs.concat([model.getLayer('attention').output]) });
    }
    const finalPredictOut = finalStepModel.predict([encoderInput, decoderInput.toTensor()]);
    let decoderFinalOutput;
    if (getAttention) {
      decoderFinalOutput = finalPredictOut[0];
      result.attention = Float32Array.from(finalPredictOut[1].dataSync());
      expect(finalPredictOut[1].shape).toEqual([1, OUTPUT_LENGTH, INPUT_LENGTH]);
    } else {
      decoderFinalOutput = finalPredictOut;
    }
    const last = decoderFinalOutput.argMax(2).dataSync()[OUTPUT_LENGTH - 1];
    for (let i = 1; i < decoderInput.shape[1]; ++i) result.outputStr += OUTPUT_VOCAB[decoderInput.get(0, i)];
    result.outputStr += OUTPUT_VOCAB[last];
    return result;
  });
}

const TRAIN: DateTuple[] = [
  [1987, 3, 14],
  [2003, 11, 2],
  [1961, 7, 28],
];
const VAL: DateTuple[] = [[2031, 1, 9]];

test('date-conversion-attention: fit with validationData, decoding, attention output and save/load agree with tfjs', async () => {
  const theirs = createModel(tf, INPUT_VOCAB.length, OUTPUT_VOCAB.length, INPUT_LENGTH, OUTPUT_LENGTH) as tf.LayersModel;
  const ours = createModel(rc, INPUT_VOCAB.length, OUTPUT_VOCAB.length, INPUT_LENGTH, OUTPUT_LENGTH) as rc.LayersModel;
  expect(summaryRows(captureSummary(ours))).toEqual(summaryRows(captureSummary(theirs)));
  copyWeights(theirs, ours);
  const initial = snapshot(theirs);

  const tTrain = dateTuplesToTensor(tf, TRAIN);
  const rTrain = dateTuplesToTensor(rc, TRAIN);
  const tVal = dateTuplesToTensor(tf, VAL);
  const rVal = dateTuplesToTensor(rc, VAL);
  for (const k of ['encoderInput', 'decoderInput', 'decoderOutput']) {
    expect(rTrain[k].shape).toEqual(tTrain[k].shape);
    expectClose(`data ${k}`, rTrain[k].dataSync(), tTrain[k].dataSync(), 0, 1e-12);
  }

  // train.js passes shuffle: true; each library shuffles with its own generator, so the comparison uses false.
  const fitArgs = (v: any): any => ({
    epochs: 3,
    batchSize: 4,
    shuffle: false,
    verbose: 0,
    validationData: [[v.encoderInput, v.decoderInput], v.decoderOutput],
  });
  const th = await theirs.fit([tTrain.encoderInput, tTrain.decoderInput], tTrain.decoderOutput, fitArgs(tVal));
  const rh = await ours.fit([rTrain.encoderInput, rTrain.decoderInput], rTrain.decoderOutput, fitArgs(rVal));
  expect(Object.keys(rh.history).sort()).toEqual(Object.keys(th.history).sort());
  // 9 Adam steps through two LSTMs, a softmax attention and float32 sums in different orders: 1e-4 relative.
  expectHistoryClose(th.history, rh.history, ['loss', 'val_loss'], 1e-4);
  expectWeightsClose(theirs, ours, 1e-4, 1e-5);
  expectMoved(initial, ours);

  // train.js's own call (shuffle: true) runs too; it is left out of the comparison, each library shuffling its way.
  const literal = await ours.fit([rTrain.encoderInput, rTrain.decoderInput], rTrain.decoderOutput, {
    epochs: 1,
    batchSize: 4,
    shuffle: true,
    verbose: 0,
    validationData: [[rVal.encoderInput, rVal.decoderInput], rVal.decoderOutput],
  });
  expect(Object.keys(literal.history).sort()).toEqual(['loss', 'val_loss']);
  copyWeights(theirs, ours); // back to tfjs's trained weights

  // Greedy decoding of a validation date, with and without the attention output.
  for (const getAttention of [false, true]) {
    const input = INPUT_FNS[2](VAL[0]);
    const t = runSeq2SeqInference(tf, theirs, input, getAttention);
    const r = runSeq2SeqInference(rc, ours, input, getAttention);
    expect(r.outputStr).toEqual(t.outputStr);
    expect(r.outputStr).toHaveLength(OUTPUT_LENGTH);
    // Softmax probabilities after training, as the weights: 1e-4 relative.
    expectClose('decoding step probabilities', r.steps, t.steps, 1e-4, 1e-6);
    if (getAttention) expectClose('attention matrix', r.attention!, t.attention!, 1e-4, 1e-6);
  }

  // Save / load both ways (the custom layer is registered in both libraries).
  const tOut = (theirs.predict([tVal.encoderInput, tVal.decoderInput]) as tf.Tensor).dataSync();
  const fromTfjs = await rc.loadLayersModel(rc.io.fromMemory(await tfjsArtifacts(theirs)));
  expectClose('ours loading tfjs', (fromTfjs.predict([rVal.encoderInput, rVal.decoderInput]) as rc.Tensor).dataSync(), tOut, 1e-4, 1e-6);
  const inTfjs = await tf.loadLayersModel(tf.io.fromMemory((await ourArtifacts(ours)) as tf.io.ModelArtifacts));
  expectClose('tfjs loading ours', (inTfjs.predict([tVal.encoderInput, tVal.decoderInput]) as tf.Tensor).dataSync(), tOut, 1e-4, 1e-6);
});
