/**
 * `model.fit(x, y, args)` — written once for every kind of model (Sequential and functional): the data (one
 * tensor, arrays or `{name: tensor}` per input and output) is checked before the first step, split for
 * validation, shuffled per epoch, batched, and trained with callbacks and a History, as tfjs.
 */
import { checkArgKeys } from '@recurrent/layers';
import { RandomGenerator, Tensor, ValueError, NotImplementedError } from '@recurrent/core';
import type { CallbackLike, CallbackModel, History, Logs, TrainingParams } from '../callbacks/callback';
import { logKeys, runEpochs, trainingCallbacks, Yielder } from './loop_support';
import { EpochSums } from './epoch_sums';
import type { YieldEveryOptions } from './loop_support';
import { ClassWeight, classSampleWeights, gatherRows, indexArray, makeBatches, shuffleGenerator, sliceRows } from '../engine/data';
import type { ModelData, ModelInput } from './data_adapter';
import { evaluateLoop } from './evaluate';
import { checkSampleCount, NonFiniteLossPolicy, NonFiniteLossWatch } from '../engine/fit_guards';
import { checkPositiveInt, sampleWeightsPerOutput } from './checks';
import type { SampleWeightArg } from './checks';
import type { Dataset } from '../data/dataset';
import { FitModel, trainStep } from './train_step';

export type { YieldEveryOptions } from './loop_support';

/** Args of `fit` (tfjs `ModelFitArgs`). */
export interface ModelFitArgs {
  /** Index of the last epoch + 1 (default 1). */
  epochs?: number;
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** 0: silent, 1: progress bar (default, in Node), 2: one line per epoch. Nothing prints without `process.stdout`. */
  verbose?: number;
  /** Callbacks: `BaseCallback`s or objects of hooks (`{onEpochEnd: (epoch, logs) => ...}`). */
  callbacks?: CallbackLike | CallbackLike[];
  /** Fraction of the samples, taken from the END of x and y before shuffling, used for validation only. */
  validationSplit?: number;
  /**
   * `[xVal, yVal]` or `[xVal, yVal, sampleWeightVal]` (Keras's tuple; `[xVal]` for a model whose layers add its
   * losses, compiled without one), or a Dataset of batches when x is a Dataset, to evaluate at the end of each epoch (wins over
   * `validationSplit`). `sampleWeightVal` takes the forms of `sampleWeight` and weighs `val_loss`, the per-output
   * validation losses and the weighted metrics.
   */
  validationData?:
    | [ModelInput]
    | [ModelInput, ModelData | null]
    | [ModelInput, ModelData | null, SampleWeightArg | null]
    | Tensor[]
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    | Dataset<any>;
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean | 'batch';
  /** Per-class loss weights `{classIndex: weight}` (one output), or one per output (array or `{outputName: ...}`). */
  classWeight?: ClassWeight | ClassWeight[] | { [outputName: string]: ClassWeight };
  /**
   * Weights of the loss and the weighted metrics (multiplied with class weights): one tensor for every output, or one
   * per output (an array in output order, or `{outputName: tensor}`; null/missing: unweighted). Each is [n], one per
   * sample, or [n, timeSteps], one per time step of a sequence output (Keras's `sample_weight_mode='temporal'`; the
   * loss is then Σ w·l / (batch · timeSteps), as Keras's mean reduction). With `validationSplit`, the rows of the
   * validation samples weigh the validation loss, as Keras 3.
   * tfjs note: Keras 3 refuses `classWeight` together with `sampleWeight` (as `fitDataset` does here); `fit`
   * multiplies them.
   *
   * ```js
   * await m.fit(x, [y1, y2], {sampleWeight: [w, null]});  // weigh output 1 only; or {sampleWeight: {out1: w}}
   * ```
   */
  sampleWeight?: SampleWeightArg;
  /** The epoch to start at (for resuming; default 0). */
  initialEpoch?: number;
  /** When to yield to the event loop: 'auto' (every 125 ms in browsers, never in Node), 'batch', 'epoch', 'never', or milliseconds. */
  yieldEvery?: YieldEveryOptions;
  /**
   * Seed of the shuffling order. Without it, shuffling uses core's global generator, which
   * `setSeed(n)` makes reproducible. tfjs note: an addition; tfjs cannot seed `fit`'s shuffling.
   */
  seed?: number;
  /** Not supported with tensor inputs (throws when set), as tfjs. */
  stepsPerEpoch?: number;
  /** Not supported (throws when set). */
  validationSteps?: number;
  /**
   * What to do when a batch loss is NaN or infinite: 'warn' once (default), 'stop' with an error naming the batch,
   * or 'ignore'. tfjs note: tfjs trains on silently; see also `callbacks.terminateOnNaN()`.
   */
  onNonFiniteLoss?: NonFiniteLossPolicy;
}

const FIT_KEYS = [
  'epochs',
  'batchSize',
  'verbose',
  'callbacks',
  'validationSplit',
  'validationData',
  'shuffle',
  'classWeight',
  'sampleWeight',
  'initialEpoch',
  'yieldEvery',
  'seed',
  'stepsPerEpoch',
  'validationSteps',
  'onNonFiniteLoss',
];

/** Class weights per output (null where none), from fit's (or fitDataset's) `classWeight`. */
export function classWeightsPerOutput(raw: unknown, outputNames: string[], where = 'fit'): (ClassWeight | null)[] {
  if (raw == null) return outputNames.map(() => null);
  if (Array.isArray(raw)) {
    if (raw.length !== outputNames.length) {
      throw new ValueError(
        `${where}: classWeight is an array of ${raw.length}, but the model has ${outputNames.length} output(s); give one per output.`,
      );
    }
    return raw as ClassWeight[];
  }
  const obj = raw as { [k: string]: unknown };
  const perOutput = Object.keys(obj).length > 0 && Object.values(obj).some((v) => v !== null && typeof v === 'object');
  if (!perOutput) {
    if (outputNames.length === 1) return [raw as ClassWeight];
    throw new ValueError(
      `${where}: the model has ${outputNames.length} outputs, so classWeight must be an array or {outputName: {classIndex: weight}} (outputs: ${outputNames.join(', ')}).`,
    );
  }
  for (const k of Object.keys(obj)) {
    if (!outputNames.includes(k))
      throw new ValueError(`${where}: unknown output '${k}' in classWeight; the model's outputs are: ${outputNames.join(', ')}.`);
  }
  return outputNames.map((n) => (obj[n] as ClassWeight | undefined) ?? null);
}

/** Per-sample class weights [n] times the shared weights ([n] or [n, timeSteps]) row by row, as a [n] or [n, T] tensor. */
export function combineWeights(perSample: Float32Array, shared: Tensor | null): Tensor {
  if (!shared) return new Tensor(perSample, [perSample.length], 'float32');
  const cols = shared.rank === 2 ? shared.shape[1] : 1;
  const out = Float32Array.from(shared.values as ArrayLike<number>);
  for (let i = 0; i < perSample.length; i++) for (let j = 0; j < cols; j++) out[i * cols + j] *= perSample[i];
  return new Tensor(out, shared.shape.slice(), 'float32');
}

/** Trains `model` (see `LayersModel.fit`). */
export async function fitLoop(model: FitModel, x: unknown, y: unknown, argsGiven: ModelFitArgs = {}): Promise<History> {
  const where = 'fit';
  const args = argsGiven ?? {};
  if (typeof args !== 'object') throw new ValueError(`fit: args must be an object like {epochs: 10}, received ${typeof args}.`);
  checkArgKeys(where, args, FIT_KEYS);
  const state = model.compiledFor(where);
  if (model.isTraining) throw new ValueError(`fit: cannot start training because another fit() call is ongoing on model ${model.name}.`);
  if (args.stepsPerEpoch != null) throw new NotImplementedError(`fit: stepsPerEpoch is not supported for tensor inputs; use batchSize.`);
  if (args.validationSteps != null)
    throw new NotImplementedError(`fit: validationSteps is not supported; validation runs over all validation samples.`);

  let { xs, ys } = model.prepareData(x, y, where);
  const epochs = args.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new ValueError(`fit: epochs must be a non-negative integer, received ${String(args.epochs)}.`);
  const initialEpoch = args.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw new ValueError(`fit: initialEpoch must be a non-negative integer, received ${String(args.initialEpoch)}.`);
  }
  const batchSize = checkPositiveInt(where, 'batchSize', args.batchSize ?? 32);
  const verbose = args.verbose ?? 1;
  const shuffle = args.shuffle ?? true;
  if (shuffle === 'batch') throw new NotImplementedError(`fit: shuffle: 'batch' is not implemented (as in tfjs); use true or false.`);
  if (typeof shuffle !== 'boolean') throw new ValueError(`fit: shuffle must be true or false, received ${String(shuffle)}.`);
  if (args.seed != null && !Number.isFinite(args.seed)) throw new ValueError(`fit: seed must be a number, received ${String(args.seed)}.`);
  const total = xs[0].shape[0];
  checkSampleCount(where, total, xs[0].shape);
  const lossWatch = new NonFiniteLossWatch(args.onNonFiniteLoss ?? 'warn');

  // Weights of each output over all samples ([n] or [n, timeSteps]; sliced and shuffled with the data below).
  const sampleWeights = sampleWeightsPerOutput(args.sampleWeight, ys, model.outputNames, where);
  if (ys.length === 0 && args.classWeight != null) {
    throw new ValueError(
      `fit: classWeight weighs the compiled loss by the class of y, but y is absent (the model's layers add its losses).`,
    );
  }
  const classWeights = classWeightsPerOutput(args.classWeight, model.outputNames);
  let weights: (Tensor | null)[] = ys.map((yt, i) => {
    const cw = classWeights[i];
    if (!cw) return sampleWeights[i];
    return combineWeights(classSampleWeights(yt, cw, where), sampleWeights[i]);
  });

  // Validation data: explicit, or the last fraction of the samples (before shuffling, as tfjs/Keras).
  let xVal: Tensor[] | null = null;
  let yVal: Tensor[] | null = null;
  // The validation sample weights of each output weigh the validation loss, as Keras 3 (class weights do not).
  let valWeights: (Tensor | null)[] | null = null;
  if (args.validationData != null) {
    const vd = args.validationData as unknown[];
    // [xVal] alone (Keras's (x_val,)) for a model compiled without a loss, whose layers add theirs.
    const xOnly = Array.isArray(vd) && vd.length === 1 && state.lossFns.length === 0;
    if (!Array.isArray(vd) || (vd.length !== 2 && vd.length !== 3 && !xOnly)) {
      throw new ValueError(
        `fit: validationData must be [xVal, yVal] or [xVal, yVal, sampleWeightVal], ` +
          `received ${Array.isArray(vd) ? `an array of ${vd.length}` : typeof vd}.`,
      );
    }
    const v = model.prepareData(vd[0], vd[1], where, ['validationData x', 'validationData y']);
    xVal = v.xs;
    yVal = v.ys;
    valWeights = sampleWeightsPerOutput(vd[2], yVal, model.outputNames, where, 'validationData sampleWeight', 'validationData y');
  } else if (args.validationSplit != null && args.validationSplit !== 0) {
    const split = args.validationSplit;
    if (typeof split !== 'number' || !(split > 0 && split < 1)) {
      throw new ValueError(`fit: validationSplit must be a number in [0, 1), received ${String(split)}.`);
    }
    const splitAt = Math.floor(total * (1 - split));
    if (splitAt === 0 || splitAt === total) {
      throw new ValueError(
        `fit: validationSplit ${split} of ${total} samples leaves ${splitAt === 0 ? 'no training' : 'no validation'} samples; ` +
          `use more samples or another split.`,
      );
    }
    const head = (t: Tensor) => sliceRows(t, 0, splitAt);
    const tail = (t: Tensor) => sliceRows(t, splitAt, total);
    xVal = xs.map(tail);
    yVal = ys.map(tail);
    xs = xs.map(head);
    ys = ys.map(head);
    weights = weights.map((w) => (w ? head(w) : null));
    valWeights = sampleWeights.map((w) => (w ? tail(w) : null));
  }
  const doValidation = xVal !== null;

  // Callbacks: progress (verbose, Node), the user's, then History (as tfjs).
  const run = trainingCallbacks(verbose, args.callbacks);
  const { list, callbackList } = run;

  const numSamples = xs[0].shape[0];
  const batches = makeBatches(numSamples, batchSize);
  const labels = state.metricsNames;
  const params: TrainingParams = {
    epochs,
    initialEpoch,
    samples: numSamples,
    steps: batches.length,
    batchSize,
    verbose,
    doValidation,
    metrics: logKeys(labels, doValidation),
  };
  callbackList.setParams(params);
  callbackList.setModel(model as unknown as CallbackModel);
  const validationPair = doValidation
    ? ([xVal!.length === 1 ? xVal![0] : xVal!, yVal!.length === 1 ? yVal![0] : yVal!] as [Tensor, Tensor])
    : null;
  for (const c of list) c.validationData = validationPair;

  const yielder = new Yielder(where, args.yieldEvery, callbackList);

  const rng: RandomGenerator | null = shuffle ? shuffleGenerator(args.seed) : null;
  const vars = model.trainableWeights;
  return runEpochs(model, run, yielder, initialEpoch, epochs, async (epoch) => {
    const order = rng ? indexArray(numSamples, rng) : null;
    const sums = new EpochSums(labels);
    for (let b = 0; b < batches.length; b++) {
      const [start, end] = batches[b];
      const size = end - start;
      const batchLogs: Logs = { batch: b, size };
      await callbackList.onBatchBegin(b, batchLogs);
      const rows = (t: Tensor) => (order ? gatherRows(t, order, start, end) : sliceRows(t, start, end));
      const xb = xs.map(rows);
      const yb = ys.map(rows);
      const wb = weights.map((w) => (w ? rows(w) : null));
      const step = trainStep(model, state, xb, yb, wb, vars, where);
      lossWatch.observe(epoch, b, step.values[0]);
      sums.add(batchLogs, step.values, size, step.sums);
      await callbackList.onBatchEnd(b, batchLogs);
      await yielder.afterBatch(epoch, b, batchLogs);
      if (model.stopTraining) break;
    }
    const epochLogs: Logs = {};
    labels.forEach((label, i) => (epochLogs[label] = sums.mean(i)));
    if (doValidation) {
      const valOuts = evaluateLoop(model, state, xVal!, yVal!, batchSize, valWeights).values;
      labels.forEach((label, i) => (epochLogs[`val_${label}`] = valOuts[i]));
    }
    return [epochLogs, batches.length - 1];
  });
}
