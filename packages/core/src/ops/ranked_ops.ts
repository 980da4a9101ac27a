/**
 * tfjs's rank-checked wrappers: reverse1d..reverse4d, slice1d..slice4d, concat1d..concat4d, pad1d..pad4d. Each
 * refuses a tensor of another rank with a ValueError, then calls the general op (`reverse`, `slice`, `concat`, `pad`).
 */
import { Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape } from '../shape';
import { ValueError } from '../errors';
import { reverse, pad } from './tile_pad';
import { slice, concat } from './slice_concat';

function ofRank(op: string, x: TensorLike, rank: number, argName = 'x'): Tensor {
  const t = convertToTensor(x, argName, op);
  if (t.rank !== rank) {
    throw new ValueError(`${op}: argument '${argName}' must have rank ${rank}, received rank ${t.rank} (shape ${formatShape(t.shape)}).`);
  }
  return t;
}

/** Reverses a 1-D tensor. `reverse1d(tensor1d([1, 2, 3]))` → [3, 2, 1]. */
export function reverse1d(x: TensorLike): Tensor {
  return reverse(ofRank('reverse1d', x, 1));
}
/** Reverses a 2-D tensor along `axis` (all axes by default). `reverse2d(x, 0)` flips the rows. */
export function reverse2d(x: TensorLike, axis?: number | number[]): Tensor {
  return reverse(ofRank('reverse2d', x, 2), axis);
}
/** Reverses a 3-D tensor `[batch, timeSteps, features]` along `axis` (all by default); `reverse3d(x, 1)` reverses time. */
export function reverse3d(x: TensorLike, axis?: number | number[]): Tensor {
  return reverse(ofRank('reverse3d', x, 3), axis);
}
/** Reverses a 4-D tensor along `axis` (all by default). `reverse4d(x, [1, 2])`. */
export function reverse4d(x: TensorLike, axis?: number | number[]): Tensor {
  return reverse(ofRank('reverse4d', x, 4), axis);
}

/** `size` elements of a 1-D tensor from `begin` (size −1: to the end). `slice1d(tensor1d([1, 2, 3]), 1, 2)` → [2, 3]. */
export function slice1d(x: TensorLike, begin: number, size: number): Tensor {
  return slice(ofRank('slice1d', x, 1), [begin], [size]);
}
/** A `[rows, cols]` block of a 2-D tensor from `begin`. `slice2d(x, [0, 1], [2, -1])`. */
export function slice2d(x: TensorLike, begin: [number, number], size: [number, number]): Tensor {
  return slice(ofRank('slice2d', x, 2), begin, size);
}
/** A block of a 3-D tensor `[batch, timeSteps, features]`. `slice3d(x, [0, 2, 0], [-1, 1, -1])` is step 2. */
export function slice3d(x: TensorLike, begin: [number, number, number], size: [number, number, number]): Tensor {
  return slice(ofRank('slice3d', x, 3), begin, size);
}
/** A block of a 4-D tensor. `slice4d(x, [0, 0, 0, 1], [-1, -1, -1, 2])`. */
export function slice4d(x: TensorLike, begin: [number, number, number, number], size: [number, number, number, number]): Tensor {
  return slice(ofRank('slice4d', x, 4), begin, size);
}

function concatOfRank(op: string, rank: number, tensors: TensorLike[], axis: number): Tensor {
  if (!Array.isArray(tensors)) throw new ValueError(`${op}: argument 'tensors' must be an array of tensors, received ${typeof tensors}.`);
  return concat(
    tensors.map((t, i) => ofRank(op, t, rank, `tensors[${i}]`)),
    axis,
  );
}
/** Joins 1-D tensors. `concat1d([tensor1d([1]), tensor1d([2, 3])])` → [1, 2, 3]. */
export function concat1d(tensors: TensorLike[]): Tensor {
  return concatOfRank('concat1d', 1, tensors, 0);
}
/** Joins 2-D tensors along `axis`. `concat2d([a, b], 1)` puts `b`'s columns after `a`'s. */
export function concat2d(tensors: TensorLike[], axis: number): Tensor {
  return concatOfRank('concat2d', 2, tensors, axis);
}
/** Joins 3-D tensors `[batch, timeSteps, features]` along `axis`; `concat3d([fw, bw], 2)` as a bidirectional concat. */
export function concat3d(tensors: TensorLike[], axis: number): Tensor {
  return concatOfRank('concat3d', 3, tensors, axis);
}
/** Joins 4-D tensors along `axis`. `concat4d([a, b], 3)`. */
export function concat4d(tensors: TensorLike[], axis: number): Tensor {
  return concatOfRank('concat4d', 4, tensors, axis);
}

/** Pads a 1-D tensor by `[before, after]`. `pad1d(tensor1d([1, 2]), [1, 0])` → [0, 1, 2]. */
export function pad1d(x: TensorLike, paddings: [number, number], constantValue = 0): Tensor {
  return pad(ofRank('pad1d', x, 1), [paddings], constantValue);
}
/** Pads a 2-D tensor, one `[before, after]` pair per axis. `pad2d(x, [[0, 0], [1, 1]])`. */
export function pad2d(x: TensorLike, paddings: [[number, number], [number, number]], constantValue = 0): Tensor {
  return pad(ofRank('pad2d', x, 2), paddings, constantValue);
}
/** Pads a 3-D tensor `[batch, timeSteps, features]`; `pad3d(x, [[0, 0], [2, 0], [0, 0]])` pre-pads time by 2. */
export function pad3d(x: TensorLike, paddings: [[number, number], [number, number], [number, number]], constantValue = 0): Tensor {
  return pad(ofRank('pad3d', x, 3), paddings, constantValue);
}
/** Pads a 4-D tensor, one `[before, after]` pair per axis. */
export function pad4d(
  x: TensorLike,
  paddings: [[number, number], [number, number], [number, number], [number, number]],
  constantValue = 0,
): Tensor {
  return pad(ofRank('pad4d', x, 4), paddings, constantValue);
}
