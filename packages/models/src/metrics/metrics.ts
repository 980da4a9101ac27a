/**
 * Metrics as tfjs-layers/Keras define them. Accuracy metrics return one value per sample
 * (reduced over the last axis); precision and recall return a scalar over the whole batch.
 * They are evaluated, not differentiated, so they work directly on the values.
 */
import { Tensor, TensorLike, convertToTensor } from '@recurrent/core';
import { checkSparseLabelShape, sameShapeInputs } from '../losses/losses';

/** Splits a shape into [number of rows, last-axis length]; a scalar is one row of one. */
function rowsOf(shape: number[]): [number, number] {
  const depth = shape.length === 0 ? 1 : shape[shape.length - 1];
  const size = shape.reduce((a, b) => a * b, 1);
  return [depth === 0 ? 0 : size / depth, depth];
}

/** Index of the first maximum in values[off, off + n). */
function argMaxAt(values: ArrayLike<number>, off: number, n: number): number {
  let best = 0;
  let bv = values[off];
  for (let j = 1; j < n; j++) {
    if (values[off + j] > bv) {
      bv = values[off + j];
      best = j;
    }
  }
  return best;
}

/**
 * Fraction of elements (over the last axis) where `yTrue` equals `yPred > threshold`.
 * Returns shape `yPred.shape[:-1]`.
 */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  const [t, p] = sameShapeInputs('binaryAccuracy', yTrue, yPred);
  const [rows, depth] = rowsOf(p.shape);
  const tv = t.values;
  const pv = p.values;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let hits = 0;
    for (let j = 0; j < depth; j++) {
      const k = r * depth + j;
      if (tv[k] === (pv[k] > threshold ? 1 : 0)) hits++;
    }
    out[r] = hits / depth;
  }
  return new Tensor(out, p.shape.slice(0, -1), 'float32');
}

/** 1 where argMax(yTrue) = argMax(yPred) over the last axis, else 0. Returns shape `yPred.shape[:-1]`. */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = sameShapeInputs('categoricalAccuracy', yTrue, yPred);
  const [rows, depth] = rowsOf(p.shape);
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = argMaxAt(t.values, r * depth, depth) === argMaxAt(p.values, r * depth, depth) ? 1 : 0;
  return new Tensor(out, p.shape.slice(0, -1), 'float32');
}

/**
 * 1 where the integer label equals argMax(yPred) over the last axis. `yTrue` has yPred's shape
 * without the class axis, or with a class axis of 1.
 */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const name = 'sparseCategoricalAccuracy';
  const t = convertToTensor(yTrue, 'yTrue', name);
  const p = convertToTensor(yPred, 'yPred', name);
  const batchShape = checkSparseLabelShape(name, t, p);
  const [rows, depth] = rowsOf(p.shape);
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = t.values[r] === argMaxAt(p.values, r * depth, depth) ? 1 : 0;
  return new Tensor(out, batchShape, 'float32');
}

/** Counts true positives, false positives and false negatives with predictions thresholded at 0.5. */
function confusion(name: string, yTrue: TensorLike, yPred: TensorLike): { tp: number; fp: number; fn: number } {
  const [t, p] = sameShapeInputs(name, yTrue, yPred);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const tv = t.values;
  const pv = p.values;
  for (let i = 0; i < tv.length; i++) {
    const predicted = pv[i] > 0.5;
    if (tv[i] === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (tv[i] === 0 && predicted) fp++;
  }
  return { tp, fp, fn };
}

/**
 * tp / (tp + fp) over all elements (0 when nothing is predicted positive); a scalar.
 * tfjs note: predictions are thresholded at 0.5 as Keras's `Precision`; tfjs counts only
 * predictions exactly equal to 1 (the same for 0/1 predictions).
 */
export function precision(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const { tp, fp } = confusion('precision', yTrue, yPred);
  return new Tensor(new Float32Array([tp + fp > 0 ? tp / (tp + fp) : 0]), [], 'float32');
}

/**
 * tp / (tp + fn) over all elements (0 when there are no positives); a scalar.
 * tfjs note: thresholding as in `precision`.
 */
export function recall(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const { tp, fn } = confusion('recall', yTrue, yPred);
  return new Tensor(new Float32Array([tp + fn > 0 ? tp / (tp + fn) : 0]), [], 'float32');
}

/** Coefficient of determination 1 - Σ(y - ŷ)² / Σ(y - mean y)² over all elements; a scalar (tfjs's `r2Score`). */
export function r2Score(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const [t, p] = sameShapeInputs('r2Score', yTrue, yPred);
  const tv = t.values;
  const pv = p.values;
  let m = 0;
  for (let i = 0; i < tv.length; i++) m += tv[i];
  m /= tv.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < tv.length; i++) {
    res += (tv[i] - pv[i]) ** 2;
    tot += (tv[i] - m) ** 2;
  }
  return new Tensor(new Float32Array([1 - res / tot]), [], 'float32');
}
