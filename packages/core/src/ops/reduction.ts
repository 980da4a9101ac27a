/**
 * Reductions over axes: sum, mean, max, min, prod, logSumExp, all, any, argMax, argMin, moments.
 * `axis` is a number, a list, or undefined for all axes; `keepDims` keeps reduced axes as size 1.
 */
import { record } from '../engine';
import { allocate, DataType, TypedArray } from '../dtype';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape, parseAxes, parseAxis, sizeFromShape } from '../shape';
import { axesAreContiguous, axesToEndPerm, broadcastIndexMap, reducedShape, reductionLoops } from './op_utils';
import { transposeValues } from './transpose';
import { reshape } from './reshape';
import { square } from './unary';
import { sub } from './arithmetic';
import { ValueError } from '../errors';

/** The values of `x` laid out so the reduced axes form one block: element (o, r, k) at (o·reduce + r)·inner + k. */
function reductionLayout(x: Tensor, axes: number[]): { values: TypedArray; outer: number; reduce: number; inner: number } {
  if (axesAreContiguous(axes)) return { values: x.values, ...reductionLoops(x.shape, axes) };
  const perm = axesToEndPerm(x.rank, axes);
  const values = allocate(x.dtype, x.size);
  transposeValues(x.values, x.shape, perm, values);
  const reduce = sizeFromShape(axes.map((a) => x.shape[a]));
  return { values, outer: reduce === 0 ? 0 : x.size / reduce, reduce, inner: 1 };
}

/** Folds each reduced group with `step` from `init`, then maps the accumulator with `finish(acc, count)`. */
function reduceValues(
  x: Tensor,
  axes: number[],
  outDtype: DataType,
  init: number,
  step: (acc: number, v: number) => number,
  finish: (acc: number, n: number) => number = (acc) => acc,
): TypedArray {
  const { values, reduce, inner } = reductionLayout(x, axes);
  const outSize = sizeFromShape(reducedShape(x.shape, axes, false));
  const outer = inner === 0 ? 0 : outSize / inner;
  const out = allocate(outDtype, outSize);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let acc = init;
      for (let r = 0; r < reduce; r++) acc = step(acc, values[(o * reduce + r) * inner + k]);
      out[o * inner + k] = finish(acc, reduce);
    }
  }
  return out;
}

/**
 * The gradient of a reduction: `dx[i] = dy[g(i)] · d(x[i], y[g(i)])` where `g(i)` is the reduced
 * element that `x[i]` went into.
 */
function reductionGrad(dy: Tensor, x: Tensor, y: Tensor, axes: number[], d: (xv: number, yv: number) => number): Tensor {
  const map = broadcastIndexMap(reducedShape(x.shape, axes, true), x.shape);
  const dv = dy.values;
  const xv = x.values;
  const yv = y.values;
  const out = new Float32Array(x.size);
  for (let i = 0; i < out.length; i++) out[i] = dv[map[i]] * d(xv[i], yv[map[i]]);
  return makeTensor(out, x.shape.slice(), 'float32');
}

function prepare(op: string, x: TensorLike, axis: number | number[] | undefined | null): [Tensor, number[]] {
  const t = convertToTensor(x, 'x', op);
  return [t, parseAxes(op, axis, t.rank)];
}

/** Sum over `axis` (int32 stays int32; bool sums to int32). */
export function sum(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  const [t, axes] = prepare('sum', x, axis);
  const dtype: DataType = t.dtype === 'bool' ? 'int32' : t.dtype;
  const out = makeTensor(
    reduceValues(t, axes, dtype, 0, (a, v) => a + v),
    reducedShape(t.shape, axes, keepDims),
    dtype,
  );
  record('sum', [t], [out], ([dy]) => [reductionGrad(dy, t, out, axes, () => 1)]);
  return out;
}

/** Arithmetic mean over `axis` (float32 result). */
export function mean(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  const [t, axes] = prepare('mean', x, axis);
  const n = sizeFromShape(axes.map((a) => t.shape[a]));
  const out = makeTensor(
    reduceValues(
      t,
      axes,
      'float32',
      0,
      (a, v) => a + v,
      (a, count) => a / count,
    ),
    reducedShape(t.shape, axes, keepDims),
    'float32',
  );
  record('mean', [t], [out], ([dy]) => [reductionGrad(dy, t, out, axes, () => 1 / n)]);
  return out;
}

/** Maximum over `axis`; the gradient goes to every element equal to the maximum (as tfjs). */
export function max(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  return extremum('max', x, axis, keepDims, -Infinity, (a, v) => (v > a || Number.isNaN(v) ? v : a));
}

/** Minimum over `axis`; the gradient goes to every element equal to the minimum (as tfjs). */
export function min(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  return extremum('min', x, axis, keepDims, Infinity, (a, v) => (v < a || Number.isNaN(v) ? v : a));
}

/** `max` / `min`: the reduction from `init` with `pick` (NaN wins), and the gradient to the elements equal to the result. */
function extremum(
  op: 'max' | 'min',
  x: TensorLike,
  axis: number | number[] | null | undefined,
  keepDims: boolean,
  init: number,
  pick: (a: number, v: number) => number,
): Tensor {
  const [t, axes] = prepare(op, x, axis);
  const outShape = reducedShape(t.shape, axes, keepDims);
  // An empty reduced axis has no maximum (numpy raises); an empty result (e.g. a batch of 0) is fine.
  if (t.size === 0 && sizeFromShape(outShape) > 0) {
    throw new ValueError(`${op}: cannot reduce an empty tensor of shape ${formatShape(t.shape)}.`);
  }
  const out = makeTensor(reduceValues(t, axes, t.dtype, init, pick), outShape, t.dtype);
  // tfjs note: as tfjs, each tied element gets the whole gradient; TensorFlow (Keras) and PyTorch's amax split it
  // evenly among the ties (max over [1, 3, 3]: ours and tfjs [0, 1, 1], TensorFlow [0, 0.5, 0.5]).
  record(op, [t], [out], ([dy]) => [reductionGrad(dy, t, out, axes, (v, m) => (v === m ? 1 : 0))]);
  return out;
}

/** Product over `axis` (int32 stays int32). The gradient is the product of the other elements, exact with zeros. */
export function prod(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  const [t, axes] = prepare('prod', x, axis);
  const dtype: DataType = t.dtype === 'bool' ? 'int32' : t.dtype;
  const outShape = reducedShape(t.shape, axes, keepDims);
  const out = makeTensor(
    reduceValues(t, axes, dtype, 1, (a, v) => a * v),
    outShape,
    dtype,
  );
  record('prod', [t], [out], ([dy]) => {
    // Per group: the product of the non-zero elements and the number of zeros.
    const map = broadcastIndexMap(reducedShape(t.shape, axes, true), t.shape);
    const nonZero = new Float64Array(out.size).fill(1);
    const zeros = new Int32Array(out.size);
    const xv = t.values;
    for (let i = 0; i < xv.length; i++) {
      if (xv[i] === 0) zeros[map[i]]++;
      else nonZero[map[i]] *= xv[i];
    }
    const dv = dy.values;
    const g = new Float32Array(t.size);
    for (let i = 0; i < g.length; i++) {
      const j = map[i];
      let others: number;
      if (zeros[j] === 0) others = nonZero[j] / xv[i];
      else if (zeros[j] === 1) others = xv[i] === 0 ? nonZero[j] : 0;
      else others = 0;
      g[i] = dv[j] * others;
    }
    return [makeTensor(g, t.shape.slice(), 'float32')];
  });
  return out;
}

/** log(Σ exp(x)) over `axis`, computed stably by subtracting the maximum first. */
export function logSumExp(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  const [t, axes] = prepare('logSumExp', x, axis);
  const { values, reduce, inner } = reductionLayout(t, axes);
  const outSize = sizeFromShape(reducedShape(t.shape, axes, false));
  const outer = inner === 0 ? 0 : outSize / inner;
  const res = new Float32Array(outSize);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * reduce * inner + k;
      let m = -Infinity;
      for (let r = 0; r < reduce; r++) m = Math.max(m, values[base + r * inner]);
      if (m === -Infinity || m === Infinity) {
        res[o * inner + k] = m;
        continue;
      }
      let s = 0;
      for (let r = 0; r < reduce; r++) s += Math.exp(values[base + r * inner] - m);
      res[o * inner + k] = m + Math.log(s);
    }
  }
  const out = makeTensor(res, reducedShape(t.shape, axes, keepDims), 'float32');
  record('logSumExp', [t], [out], ([dy]) => [reductionGrad(dy, t, out, axes, (v, lse) => Math.exp(v - lse))]);
  return out;
}

/** True where all elements over `axis` are non-zero (bool result). */
export function all(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  const [t, axes] = prepare('all', x, axis);
  return makeTensor(
    reduceValues(t, axes, 'bool', 1, (a, v) => (a && v ? 1 : 0)),
    reducedShape(t.shape, axes, keepDims),
    'bool',
  );
}

/** True where any element over `axis` is non-zero (bool result). */
export function any(x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor {
  const [t, axes] = prepare('any', x, axis);
  return makeTensor(
    reduceValues(t, axes, 'bool', 0, (a, v) => (a || v ? 1 : 0)),
    reducedShape(t.shape, axes, keepDims),
    'bool',
  );
}

function argReduce(op: string, x: TensorLike, axis: number, better: (v: number, best: number) => boolean): Tensor {
  const t = convertToTensor(x, 'x', op);
  if (typeof axis !== 'number') throw new ValueError(`${op}: axis must be a single number, received ${JSON.stringify(axis)}.`);
  const ax = parseAxis(op, axis, t.rank);
  if (t.rank > 0 && t.shape[ax] === 0) throw new ValueError(`${op}: cannot reduce an empty axis ${ax} of shape ${formatShape(t.shape)}.`);
  const { outer, reduce, inner } = reductionLoops(t.shape, t.rank === 0 ? [] : [ax]);
  const xv = t.values;
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * reduce * inner + k;
      let best = xv[base];
      let arg = 0;
      for (let r = 1; r < reduce; r++) {
        const v = xv[base + r * inner];
        if (better(v, best)) {
          best = v;
          arg = r;
        }
      }
      out[o * inner + k] = arg;
    }
  }
  return makeTensor(out, reducedShape(t.shape, t.rank === 0 ? [] : [ax], false), 'int32');
}

/** Index of the maximum along `axis` (default 0, as tfjs); the first on ties; int32 result. */
export function argMax(x: TensorLike, axis = 0): Tensor {
  return argReduce('argMax', x, axis, (v, best) => v > best || (Number.isNaN(v) && !Number.isNaN(best)));
}

/** Index of the minimum along `axis` (default 0, as tfjs); the first on ties; int32 result. */
export function argMin(x: TensorLike, axis = 0): Tensor {
  return argReduce('argMin', x, axis, (v, best) => v < best || (Number.isNaN(v) && !Number.isNaN(best)));
}

/**
 * Mean and variance over `axis` (as tfjs's `moments`), differentiable through both.
 *
 * ```js
 * const { mean, variance } = moments(x, -1, true);   // layer-normalization statistics
 * ```
 */
export function moments(x: TensorLike, axis?: number | number[] | null, keepDims = false): { mean: Tensor; variance: Tensor } {
  const t = convertToTensor(x, 'x', 'moments');
  const axes = parseAxes('moments', axis, t.rank);
  const m = mean(t, axes, true);
  const variance = mean(
    square(sub(t.dtype === 'float32' ? t : makeTensor(Float32Array.from(t.values), t.shape.slice(), 'float32'), m)),
    axes,
    keepDims,
  );
  return { mean: keepDims ? m : reshape(m, reducedShape(t.shape, axes, false)), variance };
}
