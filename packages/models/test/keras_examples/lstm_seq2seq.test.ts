/**
 * keras.io "Character-level recurrent sequence-to-sequence model" (lstm_seq2seq) ported to recurrent as a Keras
 * user writes it: the training model (encoder LSTM with returnState, decoder LSTM started from the encoder's
 * states, Dense softmax) trained with 'rmsprop', then the page's inference models built from the trained (saved
 * and loaded) model's layers, and its greedy decode loop feeding states in and out step by step. Every number is
 * Keras 3.15's (fixtures/keras/examples/lstm_seq2seq.json, generate.py beside it), from the same start weights.
 */
import { argMax, Tensor, tensor } from '@recurrent/core';
import { input, layers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import { io, loadLayersModel, LayersModel, model } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { Enc, expectClose, expectHistory, expectWeightsClose, History, kerasWeightList, NamedWeight, readFixture, t } from './fixture';

const REF = readFixture<{
  input_characters: string[];
  target_characters: string[];
  latent_dim: number;
  encoder_input_data: Enc;
  decoder_input_data: Enc;
  decoder_target_data: Enc;
  start_weights: NamedWeight[];
  history: History;
  trained_weights: NamedWeight[];
  layer_classes: string[];
  decoded: { sentence: string; steps: { probs?: Enc; h: Enc; c: Enc; token?: number }[] }[];
}>('lstm_seq2seq');

const numEncoderTokens = REF.input_characters.length;
const numDecoderTokens = REF.target_characters.length;
const latentDim = REF.latent_dim;
const maxDecoderSeqLength = REF.decoder_input_data.shape[1];
const targetTokenIndex = new Map(REF.target_characters.map((c, i) => [c, i]));

beforeEach(() => resetNameCounters());

/** The page's training model, in our API. */
function trainingModel(): LayersModel {
  const encoderInputs = input({ shape: [null, numEncoderTokens] });
  // Keras 3's LSTM gates use 'sigmoid'; ours default to tfjs's 'hardSigmoid' (cells/lstm_cell.ts says so).
  const encoder = layers.lstm({ units: latentDim, returnState: true, recurrentActivation: 'sigmoid' });
  const [, stateH, stateC] = encoder.apply(encoderInputs) as SymbolicTensor[];
  const encoderStates = [stateH, stateC];
  const decoderInputs = input({ shape: [null, numDecoderTokens] });
  const decoderLstm = layers.lstm({ units: latentDim, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid' });
  const [decoderSeq] = decoderLstm.apply(decoderInputs, { initialState: encoderStates }) as SymbolicTensor[];
  const decoderDense = layers.dense({ units: numDecoderTokens, activation: 'softmax' });
  const decoderOutputs = decoderDense.apply(decoderSeq) as SymbolicTensor;
  return model({ inputs: [encoderInputs, decoderInputs], outputs: decoderOutputs });
}

async function trained(): Promise<{ m: LayersModel; history: { [k: string]: unknown[] } }> {
  const m = trainingModel();
  m.setWeights(kerasWeightList(m.getWeights(), REF.start_weights));
  m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const h = await m.fit([t(REF.encoder_input_data), t(REF.decoder_input_data)], t(REF.decoder_target_data), {
    batchSize: 4,
    epochs: 3,
    validationSplit: 0.2,
    shuffle: false, // the page shuffles; off here so every number is determined
    verbose: 0,
  });
  return { m, history: h.history as { [k: string]: unknown[] } };
}

test(`training: loss, accuracy, val_loss, val_accuracy per epoch and the weights after are Keras ${REF.keras_version}'s ('rmsprop' is Keras's rule)`, async () => {
  const { m, history } = await trained();
  expectHistory(history, REF.history, 'fit');
  expectWeightsClose(m.getWeights(), REF.trained_weights, 1e-5, 1e-6);
});

test('inference: encoder and decoder models built from the saved-and-loaded model decode step by step as Keras', async () => {
  const { m: trainedModel } = await trained();
  // The page saves the model and loads it back before building the inference models.
  let artifacts: ModelArtifacts | undefined;
  await trainedModel.save(
    io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })),
  );
  const loaded = await loadLayersModel(io.fromMemory(artifacts!));
  expect(loaded.layers.map((l) => l.getClassName())).toEqual(REF.layer_classes);
  // The loaded model is the trained one (Keras compares its decoding with these weights).
  expectWeightsClose(
    loaded.getWeights(),
    trainedModel.getWeights().map((w, i) => ({ ...REF.trained_weights[i], values: Array.from(w.dataSync()) })),
    0,
    0,
  );

  const encoderInputs = (loaded.input as SymbolicTensor[])[0];
  const [, stateHEnc, stateCEnc] = loaded.layers[2].output as SymbolicTensor[];
  const encoderModel = model({ inputs: encoderInputs, outputs: [stateHEnc, stateCEnc] });

  const decoderInputs = (loaded.input as SymbolicTensor[])[1];
  const decoderStateInputH = input({ shape: [latentDim] });
  const decoderStateInputC = input({ shape: [latentDim] });
  const decoderStatesInputs = [decoderStateInputH, decoderStateInputC];
  const decoderLstm = loaded.layers[3];
  const [decoderSeq, stateHDec, stateCDec] = decoderLstm.apply(decoderInputs, { initialState: decoderStatesInputs }) as SymbolicTensor[];
  const decoderOutputs = loaded.layers[4].apply(decoderSeq) as SymbolicTensor;
  const decoderModel = model({ inputs: [decoderInputs, ...decoderStatesInputs], outputs: [decoderOutputs, stateHDec, stateCDec] });

  const oneHot = (index: number): Tensor => {
    const v = new Array<number>(numDecoderTokens).fill(0);
    v[index] = 1;
    return tensor(v, [1, 1, numDecoderTokens]);
  };
  const encoderData = t(REF.encoder_input_data);
  for (let seqIndex = 0; seqIndex < REF.decoded.length; seqIndex++) {
    const want = REF.decoded[seqIndex];
    const inputSeq = encoderData.slice([seqIndex, 0, 0], [1, -1, -1]);
    let statesValue = encoderModel.predict(inputSeq) as Tensor[];
    expectClose(statesValue[0].dataSync(), want.steps[0].h.values, `sequence ${seqIndex} encoder h`);
    expectClose(statesValue[1].dataSync(), want.steps[0].c.values, `sequence ${seqIndex} encoder c`);
    let targetSeq = oneHot(targetTokenIndex.get('\t')!);
    let decodedSentence = '';
    for (let step = 1; ; step++) {
      const [outputTokens, h, c] = decoderModel.predict([targetSeq, ...statesValue]) as Tensor[];
      const ref = want.steps[step];
      expectClose(outputTokens.dataSync(), ref.probs!.values, `sequence ${seqIndex} step ${step} probabilities`);
      expectClose(h.dataSync(), ref.h.values, `sequence ${seqIndex} step ${step} h`);
      expectClose(c.dataSync(), ref.c.values, `sequence ${seqIndex} step ${step} c`);
      const sampledTokenIndex = argMax(outputTokens.reshape([numDecoderTokens])).dataSync()[0];
      expect(sampledTokenIndex).toBe(ref.token);
      const sampledChar = REF.target_characters[sampledTokenIndex];
      decodedSentence += sampledChar;
      if (sampledChar === '\n' || decodedSentence.length > maxDecoderSeqLength) break;
      targetSeq = oneHot(sampledTokenIndex);
      statesValue = [h, c];
    }
    expect(decodedSentence).toBe(want.sentence);
  }
});
