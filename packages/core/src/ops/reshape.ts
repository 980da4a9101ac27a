/** reshape: a new view of the same values with another shape (one dimension may be -1). */
import { record } from '../engine';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape, sizeFromShape } from '../shape';
import { ValueError } from '../errors';

/** Resolves a target shape containing at most one -1 against `size`; throws naming both shapes. */
export function inferReshape(op: string, from: readonly number[], shape: readonly number[]): number[] {
  const size = sizeFromShape(from);
  let unknown = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (unknown !== -1) throw new ValueError(`${op}: shape ${formatShape(shape)} can have at most one -1 dimension.`);
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ValueError(`${op}: shape ${formatShape(shape)} has an invalid dimension ${d}.`);
    } else {
      known *= d;
    }
  });
  const out = shape.slice();
  if (unknown !== -1) {
    if (known === 0 || size % known !== 0) {
      throw new ValueError(`${op}: cannot reshape a tensor of shape ${formatShape(from)} (size ${size}) into shape ${formatShape(shape)}.`);
    }
    out[unknown] = size / known;
  } else if (known !== size) {
    throw new ValueError(
      `${op}: cannot reshape a tensor of shape ${formatShape(from)} (size ${size}) into shape ${formatShape(shape)} (size ${known}).`,
    );
  }
  return out;
}

/** The same values with a new shape; `-1` infers one dimension. */
export function reshape(x: TensorLike, shape: number[]): Tensor {
  const t = convertToTensor(x, 'x', 'reshape');
  const newShape = inferReshape('reshape', t.shape, shape);
  const out = makeTensor(t.values, newShape, t.dtype);
  record('reshape', [t], [out], ([dy]) => [reshape(dy, t.shape)]);
  return out;
}

/**
 * Inserts a dimension of size 1 at `axis` (0..rank; negative counts from the end).
 *
 * ```js
 * expandDims(tensor1d([1, 2]), 1).shape;   // [2, 1]
 * ```
 */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = convertToTensor(x, 'x', 'expandDims');
  const rank = t.rank;
  if (!Number.isInteger(axis) || axis < -(rank + 1) || axis > rank) {
    throw new ValueError(`expandDims: axis ${axis} must be in [${-(rank + 1)}, ${rank}] for x with shape ${formatShape(t.shape)}.`);
  }
  const ax = axis < 0 ? axis + rank + 1 : axis;
  const shape = t.shape.slice();
  shape.splice(ax, 0, 1);
  return reshape(t, shape);
}

/**
 * Removes dimensions of size 1: those listed in `axis`, or all of them.
 *
 * ```js
 * squeeze(zeros([1, 3, 1])).shape;   // [3]
 * ```
 */
export function squeeze(x: TensorLike, axis?: number | number[]): Tensor {
  const t = convertToTensor(x, 'x', 'squeeze');
  const rank = t.rank;
  let axes: number[];
  if (axis === undefined || axis === null) {
    axes = [];
    t.shape.forEach((d, i) => d === 1 && axes.push(i));
  } else {
    axes = (Array.isArray(axis) ? axis : [axis]).map((a) => {
      if (!Number.isInteger(a) || a < -rank || a >= rank) {
        throw new ValueError(`squeeze: axis ${a} is out of range for x with shape ${formatShape(t.shape)}.`);
      }
      const ax = a < 0 ? a + rank : a;
      if (t.shape[ax] !== 1) {
        throw new ValueError(
          `squeeze: cannot squeeze axis ${a} of x with shape ${formatShape(t.shape)}: its size is ${t.shape[ax]}, not 1.`,
        );
      }
      return ax;
    });
  }
  return reshape(
    t,
    t.shape.filter((_, i) => !axes.includes(i)),
  );
}
