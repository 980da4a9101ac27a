/**
 * `fitDataset(model, dataset, args)` and `evaluateDataset(model, dataset, args)`: training and
 * evaluation over a `Dataset` of batches (tfjs's `model.fitDataset` / `model.evaluateDataset`),
 * written against the model's public API only (`trainOnBatch`, `evaluate`, `metricsNames`,
 * `stopTraining`, `isTraining`), so one implementation serves every kind of model (a model's internal batch steps,
 * when it has them, add the weighted metrics' sums: see trainers/batch_steps.ts). Batches are
 * pulled one at a time, so a generator of any length streams through with flat memory.
 *
 * ```js
 * const ds = data.generator(function* () { for (;;) yield {xs: randomNormal([16, 10, 4]), ys: randomNormal([16, 1])}; });
 * await fitDataset(model, ds, {epochs: 3, batchesPerEpoch: 100, validationData: valDs, validationBatches: 5});
 * ```
 */
import { checkArgKeys } from '@recurrent/layers';
import { Tensor, formatShape, scalar, ValueError, NotImplementedError } from '@recurrent/core';
import type { Scalar } from '@recurrent/core';
import type { CallbackLike, History, Logs, TrainingParams } from '../callbacks/callback';
import { logKeys, runEpochs, trainingCallbacks, Yielder } from '../trainers/loop_support';
import { EpochSums } from '../trainers/epoch_sums';
import type { StepValues, WeightedSums } from '../trainers/epoch_sums';
import { batchStepsOf } from '../trainers/batch_steps';
import type { YieldEveryOptions } from '../trainers/loop_support';
import { Dataset } from '../data/dataset';
import type { DatasetIterator } from '../data/dataset';
import { classWeightsPerOutput } from '../trainers/fit';
import type { SampleWeightArg } from '../trainers/checks';
import { ClassWeight, classSampleWeights } from './data';
import { intOption } from '../check_options';

/** The model API that `fitDataset`/`evaluateDataset` use (every model has it). */
export interface DatasetModel {
  /**
   * One gradient step; resolves to the loss or `[loss, ...metrics]` computed before the update. `sampleWeight`
   * holds the batch's sample weights (one tensor, one per output, or by output name), or the per-sample class weights
   * of each output. Each value weighs its batch size in the epoch mean (a model of this package gives its weighted
   * metrics' sums through an internal path instead, so their means are Keras's Σ w·v / Σ w).
   */
  trainOnBatch(x: Tensor | Tensor[], y: Tensor | Tensor[], sampleWeight?: SampleWeightArg | null): Promise<number | number[]>;
  /** The output names (to match a per-output `classWeight`); a model without them is taken to have one output. */
  readonly outputNames?: string[];
  /** The input names (a batch `{inputName: Tensor}` naming every input of a model with several is its x alone). */
  readonly inputNames?: string[];
  /** Loss (and metrics) in inference mode; each value weighs its batch size (as `trainOnBatch`'s). */
  evaluate(
    x: Tensor | Tensor[],
    y: Tensor | Tensor[] | undefined,
    args?: { batchSize?: number; verbose?: number; sampleWeight?: SampleWeightArg },
  ): Scalar | Scalar[];
  /** 'loss' followed by the metric names. */
  readonly metricsNames: string[];
  stopTraining: boolean;
  isTraining: boolean;
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  name?: string;
}

/** Args of `fitDataset` (tfjs `ModelFitDatasetArgs`). */
export interface ModelFitDatasetArgs {
  /** Index of the last epoch + 1 (required, as tfjs). */
  epochs: number;
  /**
   * Batches per epoch. Without it an epoch is one pass over the dataset (a fresh iterator each
   * epoch); with it one iterator runs across epochs (as tfjs), so the dataset must hold
   * `epochs * batchesPerEpoch` batches (e.g. `.repeat()`).
   */
  batchesPerEpoch?: number;
  /** 0: silent, 1: progress bar (default, in Node), 2: one line per epoch. */
  verbose?: number;
  /** Callbacks: `BaseCallback`s or objects of hooks. */
  callbacks?: CallbackLike | CallbackLike[];
  /**
   * A dataset of batches (as the training dataset's, sample weights included), or `[xVal, yVal]` or
   * `[xVal, yVal, sampleWeightVal]` tensors, evaluated at the end of each epoch.
   */
  validationData?: Dataset | [Tensor | Tensor[], Tensor | Tensor[]] | [Tensor | Tensor[], Tensor | Tensor[], SampleWeightArg | null];
  /** Batch size for tensor validation data (default 32). */
  validationBatchSize?: number;
  /** Batches of a validation dataset to use (default: all of one pass). */
  validationBatches?: number;
  /** The epoch to start at (for resuming; default 0). */
  initialEpoch?: number;
  /** When to yield to the event loop: 'auto' (125 ms in browsers, never in Node), 'batch', 'epoch', 'never', or milliseconds. */
  yieldEvery?: YieldEveryOptions;
  /**
   * Per-class loss weights `{classIndex: weight}` (one output), or one per output (array or `{outputName: ...}`), as
   * `fit`: each batch's samples are weighted by the class of their target (argMax of one-hot rows, or the index).
   * Not with a dataset that yields sample weights (as Keras 3).
   */
  classWeight?: ClassWeight | ClassWeight[] | { [outputName: string]: ClassWeight };
}

/** Args of `evaluateDataset` (tfjs `ModelEvaluateDatasetArgs`). */
export interface ModelEvaluateDatasetArgs {
  /** Batches to evaluate (default: one whole pass). */
  batches?: number;
  /** Accepted for tfjs compatibility; prints nothing. */
  verbose?: number;
}

const FIT_DATASET_KEYS = [
  'epochs',
  'batchesPerEpoch',
  'verbose',
  'callbacks',
  'validationData',
  'validationBatchSize',
  'validationBatches',
  'initialEpoch',
  'yieldEvery',
  'classWeight',
];

function describe(v: unknown): string {
  if (v instanceof Tensor) return `a tensor of shape ${formatShape(v.shape)}`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object with keys [${Object.keys(v as object).join(', ')}]`;
  return `a ${typeof v}`;
}

/** A batch's inputs or targets: a tensor, one per input/output, or a map of input/output name to tensor (passed to the model as is, for models with named inputs). */
type Tensors = Tensor | Tensor[] | { [name: string]: Tensor };
type XY = { xs: Tensors; ys?: Tensors; sampleWeight?: SampleWeightArg };

function isTensors(v: unknown): v is Tensors {
  if (v instanceof Tensor) return true;
  if (Array.isArray(v)) return v.length > 0 && v.every((t) => t instanceof Tensor);
  if (v != null && typeof v === 'object') {
    const vals = Object.values(v);
    return vals.length > 0 && vals.every((t) => t instanceof Tensor);
  }
  return false;
}

/**
 * A dataset element as `{xs, ys}`, with its sample weights when it has them; xs/ys a tensor, an array of tensors (one
 * per input/output) or a map of name to tensor.
 * `{xs}` alone, or `{inputName: Tensor}` naming every input of a model with several (Keras's dataset of x dicts), is
 * x without targets, for a model whose layers add its loss (keras.io's OCR CTCLayer takes its labels as an input).
 * tfjs note: tfjs takes only `{xs, ys}`; we also take `[xs, ys]` and, as Keras's `(x, y, sample_weight)`,
 * `[xs, ys, sampleWeight]` and `{xs, ys, sampleWeight}` (sampleWeight in the forms of fit's).
 */
function standardizeBatch(where: string, value: unknown, batch: number, inputNames: string[] = []): XY {
  let xs: unknown;
  let ys: unknown;
  let sampleWeight: unknown;
  if (Array.isArray(value) && (value.length === 2 || value.length === 3)) [xs, ys, sampleWeight] = value;
  else if (isInputDict(value, inputNames))
    xs = value; // Keras's {inputName: batch} x alone (labels come in as an input)
  else if (value != null && typeof value === 'object' && !(value instanceof Tensor) && 'xs' in value) {
    // {xs} alone: a model whose layers add its losses takes its labels as an input (keras.io's OCR CTCLayer).
    ({ xs, ys, sampleWeight } = value as { xs: unknown; ys?: unknown; sampleWeight?: unknown });
  } else {
    throw new ValueError(
      `${where}: batch ${batch}: the dataset must yield {xs, ys} or [xs, ys] (batch the dataset first, e.g. .batch(32)), received ${describe(value)}. ` +
        `Sample weights come as a third entry: [xs, ys, sampleWeight] or {xs, ys, sampleWeight}.`,
    );
  }
  if (!isTensors(xs))
    throw new ValueError(
      `${where}: batch ${batch}: xs must be a Tensor, an array of Tensors or a map of name to Tensor, received ${describe(xs)}.`,
    );
  if (ys !== undefined && !isTensors(ys))
    throw new ValueError(
      `${where}: batch ${batch}: ys must be a Tensor, an array of Tensors or a map of name to Tensor, received ${describe(ys)}.`,
    );
  // The sample weights are checked (against the batch and its outputs) by trainOnBatch / evaluate.
  return sampleWeight == null
    ? { xs, ys: ys as Tensors | undefined }
    : { xs, ys: ys as Tensors | undefined, sampleWeight: sampleWeight as SampleWeightArg };
}

/** Whether `v` is `{inputName: Tensor}` naming every input of a model with several (Keras's dataset of x dicts). */
function isInputDict(v: unknown, inputNames: string[]): boolean {
  if (inputNames.length < 2 || v === null || typeof v !== 'object' || v instanceof Tensor || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return (
    keys.length === inputNames.length && keys.every((k) => inputNames.includes(k) && (v as { [k: string]: unknown })[k] instanceof Tensor)
  );
}

/** The model's input names (none for a model without them or not built yet). */
function inputNamesOf(model: DatasetModel): string[] {
  try {
    return model.inputNames ?? [];
  } catch {
    return [];
  }
}

/** The model's output names; one placeholder for a model without them or not built yet (a Sequential has one output). */
function outputNamesOf(model: DatasetModel): string[] {
  try {
    return model.outputNames ?? ['output'];
  } catch {
    return ['output'];
  }
}

/** Per-sample weights of each output of one batch from its targets and the class weights (null where none). */
function batchClassWeights(ys: Tensors, classWeights: (ClassWeight | null)[], outputNames: string[], where: string): (Tensor | null)[] {
  let list: (Tensor | undefined)[];
  if (ys instanceof Tensor) list = [ys];
  else if (Array.isArray(ys)) list = ys;
  else list = outputNames.map((n) => (ys as { [name: string]: Tensor })[n]);
  return classWeights.map((cw, i) => {
    const y = list[i];
    if (!cw || !(y instanceof Tensor)) return null; // a missing target is reported by trainOnBatch
    return new Tensor(classSampleWeights(y, cw, where), [y.shape[0]], 'float32');
  });
}

/** `{sampleWeight}` for evaluate's args when there are weights (none: no key, for models whose evaluate knows none). */
function weightArg(sampleWeight: SampleWeightArg | null | undefined): { sampleWeight?: SampleWeightArg } {
  return sampleWeight == null ? {} : { sampleWeight };
}

function batchRows(t: Tensors): number {
  const first = t instanceof Tensor ? t : Array.isArray(t) ? t[0] : Object.values(t)[0];
  return first.rank === 0 ? 1 : first.shape[0];
}

function listOf(v: number | number[] | Scalar | Scalar[]): number[] {
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((e) => (e instanceof Tensor ? (e.values[0] as number) : e));
}

/** Re-throws an error from reading or stepping on a batch with the epoch and batch named (keeps the original as `cause`). */
function withContext(e: unknown, context: string): Error {
  const msg = (e as Error)?.message ?? String(e);
  // The same kind as the original (a ValueError stays one), so callers can still tell kinds apart.
  const Kind = e instanceof ValueError ? ValueError : e instanceof NotImplementedError ? NotImplementedError : Error;
  const err = new Kind(`${context}: ${msg}`);
  (err as Error & { cause?: unknown }).cause = e;
  return err;
}

/**
 * Trains `model` on a dataset of batches (tfjs `model.fitDataset`). Resolves to the `History`:
 * per epoch, `loss` and the metrics (batch-size-weighted means of the per-batch values, computed
 * before each update, as tfjs's BaseLogger) and `val_*` when validating.
 *
 * A batch that fails (wrong shape, a generator that throws) stops training with an error naming
 * the epoch and batch; the model's checks run before the update, so the weights are those after
 * the last good batch.
 */
export async function fitDataset(model: DatasetModel, dataset: Dataset, args: ModelFitDatasetArgs): Promise<History> {
  const where = 'fitDataset';
  if (!(dataset instanceof Dataset))
    throw new ValueError(`${where}: expected a Dataset (data.array(...), data.generator(...)), received ${describe(dataset)}.`);
  if (args == null || typeof args !== 'object')
    throw new ValueError(`${where}: args must be an object like {epochs: 10}, received ${String(args)}.`);
  checkArgKeys(where, args, FIT_DATASET_KEYS);
  if (args.epochs == null) throw new ValueError(`${where}: epochs is required (as tfjs), e.g. fitDataset(model, ds, {epochs: 10}).`);
  const epochs = intOption(where, 'epochs', args.epochs, 0);
  const initialEpoch = intOption(where, 'initialEpoch', args.initialEpoch ?? 0, 0);
  const batchesPerEpoch = args.batchesPerEpoch == null ? null : intOption(where, 'batchesPerEpoch', args.batchesPerEpoch, 1);
  if (batchesPerEpoch === null && dataset.size === Infinity) {
    throw new ValueError(`${where}: the dataset is infinite (repeated without a count), so batchesPerEpoch is required.`);
  }
  const outputNames = outputNamesOf(model);
  const inputNames = inputNamesOf(model);
  const classWeights = args.classWeight != null ? classWeightsPerOutput(args.classWeight, outputNames, where) : null;
  const verbose = args.verbose ?? 1;
  if (model.isTraining)
    throw new ValueError(
      `${where}: cannot start training because another fit() or fitDataset() call is ongoing on model ${model.name ?? ''}.`.replace(
        ' .',
        '.',
      ),
    );
  const validationBatchSize = intOption(where, 'validationBatchSize', args.validationBatchSize ?? 32, 1);
  const validationBatches = args.validationBatches == null ? undefined : intOption(where, 'validationBatches', args.validationBatches, 1);

  let valXY: [Tensor | Tensor[], Tensor | Tensor[], SampleWeightArg | null] | null = null;
  let valDataset: Dataset | null = null;
  const vd = args.validationData;
  if (vd != null) {
    if (vd instanceof Dataset) valDataset = vd;
    else if (Array.isArray(vd) && (vd.length === 2 || vd.length === 3) && isTensors(vd[0]) && isTensors(vd[1])) {
      valXY = [vd[0], vd[1], (vd[2] as SampleWeightArg | undefined) ?? null];
    } else
      throw new ValueError(
        `${where}: validationData must be a Dataset, [xVal, yVal] or [xVal, yVal, sampleWeightVal] tensors, received ${describe(vd)}.`,
      );
  }
  const doValidation = vd != null;

  const run = trainingCallbacks(verbose, args.callbacks);
  const { list, callbackList } = run;
  const yielder = new Yielder(where, args.yieldEvery, callbackList);
  const labels = model.metricsNames;
  const internal = batchStepsOf(model);
  const steps = batchesPerEpoch ?? (dataset.size != null && Number.isFinite(dataset.size) ? dataset.size : null);
  const params: TrainingParams = {
    epochs,
    initialEpoch,
    samples: null as unknown as number,
    steps,
    batchSize: null as unknown as number,
    verbose,
    doValidation,
    metrics: logKeys(labels, doValidation),
  };
  callbackList.setParams(params);
  callbackList.setModel(model);
  for (const c of list) c.validationData = valXY ? ([valXY[0], valXY[1]].flat() as Tensor[]) : null;

  // As tfjs: one iterator before the first epoch, and (without batchesPerEpoch) a fresh one at each
  // epoch's start. The first is then unused, but creating it advances a seeded shuffle's seed sequence
  // as in tfjs, so the batches come in tfjs's order epoch by epoch. Nothing is read from it.
  let iterator: DatasetIterator<unknown>;
  const firstIterator = async () => {
    iterator = await dataset.iterator();
  };
  return runEpochs(
    model,
    run,
    yielder,
    initialEpoch,
    epochs,
    async (epoch) => {
      if (batchesPerEpoch === null) iterator = await dataset.iterator();
      const sums = new EpochSums(labels);
      let batch = 0;
      while (batchesPerEpoch === null || batch < batchesPerEpoch) {
        let next: IteratorResult<unknown, unknown>;
        try {
          next = await iterator.next();
        } catch (e) {
          throw withContext(e, `${where}: reading batch ${batch} of epoch ${epoch + 1}`);
        }
        // Without batchesPerEpoch, a batch that comes with done: true is the epoch's last, as in tfjs.
        if (next.done && (batchesPerEpoch !== null || next.value == null)) {
          if (batchesPerEpoch !== null) {
            // tfjs warns and ends the epoch; the remaining epochs would see no data either.
            console.warn(
              `${where}: batchesPerEpoch is ${batchesPerEpoch}, but the dataset ran out after ${batch} batches of epoch ${epoch + 1}; ` +
                `training stops. Give a dataset with at least batchesPerEpoch * epochs batches (e.g. dataset.repeat()).`,
            );
            model.stopTraining = true;
          }
          break;
        }
        const { xs, ys, sampleWeight } = standardizeBatch(where, next.value, batch, inputNames);
        const size = batchRows(xs);
        const batchLogs: Logs = { batch, size };
        await callbackList.onBatchBegin(batch, batchLogs);
        let step: StepValues;
        try {
          if (classWeights && sampleWeight) {
            throw new ValueError(
              `${where}: classWeight is set, but the dataset also yields sample weights; give one of them (as Keras 3), ` +
                `e.g. multiply the class weights into the sample weights.`,
            );
          }
          if (classWeights && ys === undefined) {
            throw new ValueError(`${where}: classWeight weighs the loss by the class of ys, but the dataset yields {xs} without ys.`);
          }
          const weights = classWeights ? batchClassWeights(ys!, classWeights, outputNames, where) : (sampleWeight ?? null);
          step = internal
            ? internal.trainOnBatch(xs, ys, weights)
            : { values: listOf(await model.trainOnBatch(xs as Tensor | Tensor[], ys as Tensor | Tensor[], weights)), sums: [] };
        } catch (e) {
          throw withContext(e, `${where}: batch ${batch} of epoch ${epoch + 1}`);
        }
        sums.add(batchLogs, step.values, size, step.sums);
        await callbackList.onBatchEnd(batch, batchLogs);
        await yielder.afterBatch(epoch, batch, batchLogs);
        batch++;
        if (next.done || model.stopTraining) break;
      }
      const epochLogs: Logs = {};
      if (sums.seen > 0) labels.forEach((label, i) => (epochLogs[label] = sums.mean(i)));
      if (doValidation) {
        const valOuts = valDataset
          ? listOf(await evaluateDataset(model, valDataset, validationBatches != null ? { batches: validationBatches } : {}))
          : listOf(model.evaluate(valXY![0], valXY![1], { batchSize: validationBatchSize, verbose: 0, ...weightArg(valXY![2]) }));
        labels.forEach((label, i) => (epochLogs[`val_${label}`] = valOuts[i]));
      }
      return [epochLogs, Math.max(0, batch - 1)];
    },
    firstIterator,
  );
}

/**
 * The loss (and metrics) over a dataset of `{xs, ys}` batches in inference mode (tfjs
 * `model.evaluateDataset`): a scalar, or `[loss, ...metrics]`; each the batch-size-weighted mean
 * of the per-batch values. `batches` limits how many batches are read.
 */
export async function evaluateDataset(
  model: DatasetModel,
  dataset: Dataset,
  args: ModelEvaluateDatasetArgs = {},
): Promise<Scalar | Scalar[]> {
  const where = 'evaluateDataset';
  if (!(dataset instanceof Dataset)) throw new ValueError(`${where}: expected a Dataset, received ${describe(dataset)}.`);
  checkArgKeys(where, args ?? {}, ['batches', 'verbose']);
  const limit = args?.batches == null ? null : intOption(where, 'batches', args.batches, 1);
  if (limit === null && dataset.size === Infinity) throw new ValueError(`${where}: the dataset is infinite, so batches is required.`);
  const iterator = await dataset.iterator();
  const internal = batchStepsOf(model);
  const inputNames = inputNamesOf(model);
  const sums = new EpochSums(model.metricsNames);
  let n = 0;
  for (let batch = 0; limit === null || batch < limit; batch++) {
    let next: IteratorResult<unknown, unknown>;
    try {
      next = await iterator.next();
    } catch (e) {
      throw withContext(e, `${where}: reading batch ${batch}`);
    }
    // A batch that comes with done: true is the last one counted, as in tfjs.
    const last = next.done === true;
    if (last) {
      const read = next.value == null ? batch : batch + 1;
      if (limit !== null && read < limit) console.warn(`${where}: batches is ${limit}, but the dataset ran out after ${read} batches.`);
      if (read === batch) break;
    }
    const { xs, ys, sampleWeight } = standardizeBatch(where, next.value, batch, inputNames);
    const size = batchRows(xs);
    let outs: number[];
    let weighted: WeightedSums[] = [];
    try {
      const args = { batchSize: Math.max(1, size), verbose: 0, ...weightArg(sampleWeight) };
      if (internal) {
        const r = internal.evaluate(xs, ys, args);
        outs = listOf(r.outs);
        weighted = r.sums;
      } else {
        outs = listOf(model.evaluate(xs as Tensor | Tensor[], ys as Tensor | Tensor[], args));
      }
    } catch (e) {
      throw withContext(e, `${where}: batch ${batch}`);
    }
    // Each value weighs its batch's size; a weighted metric adds its Σ w·v and Σ w (Keras's Σ w·v / Σ w over all batches).
    sums.add({}, outs, size, weighted);
    n += size;
    if (last) break;
  }
  if (n === 0) throw new ValueError(`${where}: the dataset yielded no batches.`);
  const result = model.metricsNames.map((_l, i) => scalar(sums.mean(i)) as Scalar);
  return result.length === 1 ? result[0] : result;
}
