/** reshape: a new view of the same values with another shape (one dimension may be -1). */
import { record } from '../engine';
import { makeTensor, Tensor } from '../tensor';
import { convertToTensor, TensorLike } from '../convert';
import { formatShape, sizeFromShape } from '../shape';

/** Resolves a target shape containing at most one -1 against `size`; throws naming both shapes. */
export function inferReshape(op: string, from: readonly number[], shape: readonly number[]): number[] {
  const size = sizeFromShape(from);
  let unknown = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (unknown !== -1) throw new Error(`${op}: shape ${formatShape(shape)} can have at most one -1 dimension.`);
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: shape ${formatShape(shape)} has an invalid dimension ${d}.`);
    } else {
      known *= d;
    }
  });
  const out = shape.slice();
  if (unknown !== -1) {
    if (known === 0 || size % known !== 0) {
      throw new Error(`${op}: cannot reshape a tensor of shape ${formatShape(from)} (size ${size}) into shape ${formatShape(shape)}.`);
    }
    out[unknown] = size / known;
  } else if (known !== size) {
    throw new Error(`${op}: cannot reshape a tensor of shape ${formatShape(from)} (size ${size}) into shape ${formatShape(shape)} (size ${known}).`);
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
