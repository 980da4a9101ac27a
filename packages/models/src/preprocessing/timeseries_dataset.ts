/**
 * `timeseriesDataset(data, targets, args)`: a dataset of sliding windows over a time series (Keras
 * `timeseries_dataset_from_array`). Window `i` starts at step `startIndex + p_i`
 * (`p_i = i * sequenceStride`) and takes `sequenceLength` steps `samplingRate` apart; its target is
 * `targets[startIndex + p_i]`. Batches are `{xs: [batch, sequenceLength, ...features], ys: [batch, ...]}`.
 *
 * ```js
 * // Predict step t + 10 from steps t .. t + 9:
 * const ds = timeseriesDataset(series.slice([0], [n - 10]), series.slice([10]), {sequenceLength: 10, batchSize: 32});
 * await fitDataset(model, ds, {epochs: 5});
 * ```
 */
import { checkArgKeys } from '@recurrent/layers';
import { Tensor, tensor, ValueError } from '@recurrent/core';
import { Dataset } from '../data/dataset';
import { indexArray, shuffleGenerator } from '../engine/data';

/** Options of `timeseriesDataset` (Keras names, camelCase). */
export interface TimeseriesDatasetArgs {
  /** Steps per window. */
  sequenceLength: number;
  /** Steps between the starts of consecutive windows (default 1). */
  sequenceStride?: number;
  /** Steps between consecutive samples of a window (default 1). */
  samplingRate?: number;
  /** Windows per batch (default 128); null yields single windows. */
  batchSize?: number | null;
  /** Shuffle the window order, anew on every pass over the dataset (each epoch), as Keras (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle. */
  seed?: number;
  /** First step used (default 0). */
  startIndex?: number;
  /** Steps from `endIndex` on are not used (default: all). */
  endIndex?: number;
}

const KEYS = ['sequenceLength', 'sequenceStride', 'samplingRate', 'batchSize', 'shuffle', 'seed', 'startIndex', 'endIndex'];

type Series = Tensor | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

function toTensor(where: string, name: string, v: Series): Tensor {
  if (v instanceof Tensor) {
    if (v.rank === 0) throw new ValueError(`${where}: ${name} must have a time axis, received a scalar tensor.`);
    return v;
  }
  if (v == null || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new ValueError(`${where}: ${name} must be a Tensor or an array of time steps, received ${v === null ? 'null' : typeof v}.`);
  }
  return tensor(Array.from(v as ArrayLike<number>) as number[]);
}

function positiveInt(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
    throw new ValueError(`${where}: ${name} must be a positive integer, received ${String(v)}.`);
  return v;
}

/** Sliding windows of `data` (`[timeSteps, ...features]`) with `targets` (or null), as Keras's `timeseries_dataset_from_array`. */
export function timeseriesDataset(data: Series, targets: Series | null, args: TimeseriesDatasetArgs): Dataset {
  const where = 'timeseriesDataset';
  if (args == null || typeof args !== 'object')
    throw new ValueError(`${where}: args must be an object like {sequenceLength: 10}, received ${String(args)}.`);
  checkArgKeys(where, args, KEYS);
  const x = toTensor(where, 'data', data);
  const y = targets == null ? null : toTensor(where, 'targets', targets);
  const steps = x.shape[0];
  const sequenceLength = positiveInt(where, 'sequenceLength', args.sequenceLength);
  const stride = positiveInt(where, 'sequenceStride', args.sequenceStride ?? 1);
  const rate = positiveInt(where, 'samplingRate', args.samplingRate ?? 1);
  const batchSize = args.batchSize === null ? null : positiveInt(where, 'batchSize', args.batchSize ?? 128);
  const startIndex = args.startIndex ?? 0;
  if (!Number.isInteger(startIndex) || startIndex < 0 || startIndex >= steps) {
    throw new ValueError(
      `${where}: startIndex must be an integer in [0, ${steps}) (data has ${steps} steps), received ${String(args.startIndex)}.`,
    );
  }
  const endIndex = args.endIndex ?? steps;
  if (!Number.isInteger(endIndex) || endIndex <= startIndex || endIndex > steps) {
    throw new ValueError(
      `${where}: endIndex must be an integer in (${startIndex}, ${steps}] (after startIndex, within the ${steps} steps of data), received ${String(args.endIndex)}.`,
    );
  }
  if (args.shuffle != null && typeof args.shuffle !== 'boolean')
    throw new ValueError(`${where}: shuffle must be true or false, received ${String(args.shuffle)}.`);
  let numSeqs = endIndex - startIndex - (sequenceLength - 1) * rate;
  if (y) numSeqs = Math.min(numSeqs, y.shape[0]);
  if (numSeqs <= 0) {
    throw new ValueError(
      `${where}: no complete window: a window spans ${(sequenceLength - 1) * rate + 1} steps (sequenceLength ${sequenceLength}, samplingRate ${rate}), ` +
        `but steps ${startIndex}..${endIndex - 1} hold ${endIndex - startIndex}${y ? ` (targets have ${y.shape[0]})` : ''}.`,
    );
  }
  const starts: number[] = [];
  for (let p = 0; p < numSeqs; p += stride) starts.push(p);
  // Window p's target is targets[startIndex + p] (Keras); past the end Keras's gather fails, so refuse rather than read zeros.
  const lastStart = starts[starts.length - 1];
  if (y && startIndex + lastStart >= y.shape[0]) {
    const dataSeqs = endIndex - startIndex - (sequenceLength - 1) * rate;
    const needed = startIndex + Math.floor((dataSeqs - 1) / stride) * stride + 1;
    throw new ValueError(
      `${where}: targets has ${y.shape[0]} steps, but the window starting at step ${startIndex + lastStart} takes its target there ` +
        `(targets[startIndex + p], as Keras); give at least ${needed} target steps, or a smaller startIndex.`,
    );
  }
  // tfjs note: Keras shuffles with NumPy's generator and a tf.data buffer; ours permutes all windows with core's
  // seeded generator (same windows, another order). As Keras, each pass (epoch) gets a new order; the seed makes
  // the sequence of orders reproducible.
  const rng = args.shuffle ? shuffleGenerator(args.seed) : null;

  const per = x.size / Math.max(1, steps);
  const yPer = y ? y.size / Math.max(1, y.shape[0]) : 0;
  const xv = x.values;
  const yv = y?.values;
  const XCtor = xv.constructor as { new (n: number): typeof xv };
  const window = (list: number[]): { xs: Tensor; ys?: Tensor } => {
    const out = new XCtor(list.length * sequenceLength * per);
    list.forEach((p, i) => {
      for (let k = 0; k < sequenceLength; k++) {
        const t = startIndex + p + k * rate;
        out.set(xv.subarray(t * per, (t + 1) * per), (i * sequenceLength + k) * per);
      }
    });
    const xs = new Tensor(out, [list.length, sequenceLength, ...x.shape.slice(1)], x.dtype);
    if (!y) return { xs };
    const YCtor = yv!.constructor as { new (n: number): typeof xv };
    const yo = new YCtor(list.length * yPer);
    list.forEach((p, i) => yo.set(yv!.subarray((startIndex + p) * yPer, (startIndex + p + 1) * yPer), i * yPer));
    return { xs, ys: new Tensor(yo, [list.length, ...y.shape.slice(1)], y.dtype) };
  };
  const unbatch = (b: { xs: Tensor; ys?: Tensor }) => {
    const xs = new Tensor(b.xs.values, b.xs.shape.slice(1), b.xs.dtype);
    return b.ys ? { xs, ys: new Tensor(b.ys.values, b.ys.shape.slice(1), b.ys.dtype) } : xs;
  };
  const size = batchSize === null ? starts.length : Math.ceil(starts.length / batchSize);
  return new Dataset(async function* () {
    const step = batchSize ?? 1;
    const order = rng ? Array.from(indexArray(starts.length, rng), (k) => starts[k]) : starts;
    for (let i = 0; i < order.length; i += step) {
      const b = window(order.slice(i, i + step));
      if (batchSize === null) yield unbatch(b);
      else yield b.ys ? b : b.xs;
    }
  }, size);
}
