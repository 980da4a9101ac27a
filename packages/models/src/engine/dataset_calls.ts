/**
 * `fit(dataset)`, `evaluate(dataset)` and `predict(dataset)` as Keras 3 users write them: fit and evaluate hand the
 * dataset to `fitDataset` / `evaluateDataset` with their options mapped (Keras's `stepsPerEpoch` / `validationSteps`
 * / `steps` are the batch counts there); predict runs each batch of x and concatenates the outputs. Imported on first
 * use, as fit's loop.
 *
 * tfjs note: tfjs's fit / evaluate / predict refuse datasets (tfjs has fitDataset / evaluateDataset, and no
 * dataset predict). Here evaluate and predict given a dataset return a Promise (their tensor forms stay synchronous),
 * so `await model.evaluate(ds)` / `await model.predict(ds)`.
 */
import { withErrorPrefix } from '../error_prefix';
import { concat, NotImplementedError, Tensor, ValueError } from '@recurrent/core';
import type { Scalar } from '@recurrent/core';
import type { History } from '../callbacks/callback';
import { Dataset } from '../data/dataset';
import type { ModelFitArgs } from '../trainers/fit';
import type { ModelEvaluateArgs } from '../trainers/evaluate';
import { evaluateDataset, fitDataset } from './fit_dataset';
import type { DatasetModel, ModelEvaluateDatasetArgs, ModelFitDatasetArgs } from './fit_dataset';
import { intOption } from '../check_options';
import { checkArgKeys } from '@recurrent/layers';

/** Args of `predict(dataset)`: Keras's `steps` (batches to read; default: the whole dataset). */
export interface ModelPredictDatasetArgs {
  /** Batches to read (default: one whole pass; required for an infinite dataset). */
  steps?: number;
  /** Accepted for tfjs compatibility; prints nothing. */
  verbose?: boolean | number;
}

/** What `predict(dataset)` needs of a model. */
interface PredictModel {
  readonly inputNames: string[];
  predictOnBatch(x: Tensor | Tensor[] | { [name: string]: Tensor }): Tensor | Tensor[];
}

/** Options that mean nothing with a dataset (its batches are made already), with what to do instead. */
const REFUSED: { [key: string]: string } = {
  batchSize: 'batch the dataset itself (dataset.batch(n))',
  validationSplit: 'give validationData (a dataset or [xVal, yVal])',
  sampleWeight: 'yield the weights with each batch ([xs, ys, sampleWeight] or {xs, ys, sampleWeight})',
  shuffle: 'shuffle the dataset itself (dataset.shuffle(bufferSize))',
  seed: 'seed the dataset shuffle (dataset.shuffle(bufferSize, seed))',
};

/** fit's options that have a meaning with a dataset (Keras's names; mapped to fitDataset's). */
const FIT_DATASET_OPTIONS = [
  'epochs',
  'stepsPerEpoch',
  'validationData',
  'validationSteps',
  'verbose',
  'callbacks',
  'initialEpoch',
  'yieldEvery',
  'classWeight',
  'onNonFiniteLoss',
];

/**
 * `(dataset, y, args)` as given: y must be absent (the targets come from the dataset, as Keras), but an options
 * object in y's place (`fit(ds, {epochs: 3})`, the habit of Keras's keyword arguments) is taken as the args.
 */
function datasetArgs<A extends object>(where: string, y: unknown, args: A | undefined): A {
  const isTensors = (v: unknown) => v instanceof Tensor || (Array.isArray(v) && v.some((e) => e instanceof Tensor));
  if (y != null && (isTensors(y) || Object.values(y as object).some((v) => v instanceof Tensor))) {
    throw new ValueError(`${where}: x is a Dataset, so y must be left out (null): the dataset's batches hold the targets.`);
  }
  if (y != null && args != null && Object.keys(args).length > 0) {
    throw new ValueError(
      `${where}: x is a Dataset; give the options once, as ${where}(dataset, options) or ${where}(dataset, null, options).`,
    );
  }
  const a = (y ?? args ?? {}) as A;
  if (typeof a !== 'object') throw new ValueError(`${where}: args must be an object, received ${typeof a}.`);
  const refused = Object.keys(a).filter((k) => k in REFUSED && (a as { [k: string]: unknown })[k] !== undefined);
  if (refused.length > 0) {
    throw new ValueError(
      `${where}: ${refused.join(', ')} cannot be used when x is a Dataset: ${refused.map((k) => REFUSED[k]).join('; ')}.`,
    );
  }
  return a;
}

/** `model.fit(dataset, args)`: `fitDataset` with Keras's option names mapped. */
export function fitOnDataset(model: DatasetModel, dataset: Dataset, y: unknown, given?: ModelFitArgs): Promise<History> {
  const a = datasetArgs('fit', y, given);
  checkArgKeys('fit', a, [...FIT_DATASET_OPTIONS, ...Object.keys(REFUSED)]);
  if (a.onNonFiniteLoss !== undefined) {
    throw new NotImplementedError(`fit: onNonFiniteLoss is not supported when x is a Dataset; use callbacks.terminateOnNaN().`);
  }
  const { epochs, stepsPerEpoch, validationSteps, validationData, ...rest } = a;
  const mapped: ModelFitDatasetArgs = { ...rest, epochs: epochs ?? 1 } as ModelFitDatasetArgs;
  if (stepsPerEpoch !== undefined) mapped.batchesPerEpoch = stepsPerEpoch;
  if (validationSteps !== undefined) mapped.validationBatches = validationSteps;
  if (validationData !== undefined) mapped.validationData = validationData as ModelFitDatasetArgs['validationData'];
  return fitDataset(model, dataset, mapped);
}

/** `model.evaluate(dataset, args)`: `evaluateDataset` (Keras's `steps` is its `batches`). */
export function evaluateOnDataset(
  model: DatasetModel,
  dataset: Dataset,
  y: unknown,
  given?: ModelEvaluateArgs,
): Promise<Scalar | Scalar[]> {
  const a = datasetArgs('evaluate', y, given);
  checkArgKeys('evaluate', a, ['verbose', 'steps', ...Object.keys(REFUSED)]);
  const { steps, ...rest } = a;
  const mapped: ModelEvaluateDatasetArgs = rest as ModelEvaluateDatasetArgs;
  if (steps !== undefined) mapped.batches = steps;
  return evaluateDataset(model, dataset, mapped);
}

/**
 * The x of one dataset element for predict: a Tensor, one per input, `{inputName: Tensor}`, or the x of an
 * `{xs, ys}` / `[xs, ys]` / `[xs, ys, sampleWeight]` batch (the targets are ignored, as Keras).
 */
function elementX(value: unknown, inputNames: string[]): unknown {
  if (Array.isArray(value)) {
    const perInput = value.length === inputNames.length && value.every((v) => v instanceof Tensor);
    return perInput || value.length === 0 || value.length > 3 ? value : value[0];
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Tensor) && 'xs' in value && !inputNames.includes('xs')) {
    return (value as { xs: unknown }).xs;
  }
  return value;
}

/** `model.predict(dataset, args)`: the outputs of every batch of x, concatenated along the batch axis. */
export async function predictOnDataset(model: PredictModel, dataset: Dataset, given?: ModelPredictDatasetArgs): Promise<Tensor | Tensor[]> {
  const where = 'predict';
  if (!(dataset instanceof Dataset)) throw new ValueError(`${where}: expected a Dataset (data.array(...), data.generator(...)).`);
  const args = given ?? {};
  if (typeof args === 'object' && 'batchSize' in args) {
    throw new ValueError(`${where}: batchSize cannot be used when x is a Dataset: ${REFUSED.batchSize}.`);
  }
  checkArgKeys(where, args, ['steps', 'verbose']);
  const steps = args.steps == null ? null : intOption(where, 'steps', args.steps, 1);
  if (steps === null && dataset.size === Infinity) throw new ValueError(`${where}: the dataset is infinite, so steps is required.`);
  const iterator = await dataset.iterator();
  const perBatch: Tensor[][] = [];
  while (steps === null || perBatch.length < steps) {
    const next = await iterator.next();
    if (next.done && next.value == null) break;
    const batch = next.value;
    const out = withErrorPrefix(
      () => `${where}: batch ${perBatch.length} of the dataset: `,
      () => model.predictOnBatch(elementX(batch, model.inputNames) as Tensor),
    );
    perBatch.push(Array.isArray(out) ? out : [out]);
    if (next.done) break;
  }
  if (perBatch.length === 0) throw new ValueError(`${where}: the dataset yielded no batches.`);
  const outs = perBatch[0].map((_o, i) =>
    concat(
      perBatch.map((b) => b[i]),
      0,
    ),
  );
  return outs.length === 1 ? outs[0] : outs;
}
