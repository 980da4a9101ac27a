/**
 * `TensorBuffer` and `buffer(shape, dtype, values)`: a mutable n-dimensional array to fill element by
 * element and turn into a Tensor (tfjs's `tf.buffer`).
 *
 * ```js
 * const b = buffer([2, 2]);
 * b.set(5, 0, 1);
 * b.get(0, 1);          // 5
 * b.toTensor();         // [[0, 5], [0, 0]]
 * ```
 */
import { DataType, TypedArray } from './dtype';
import { computeStrides, formatShape, sizeFromShape } from './shape';
import { Tensor } from './tensor';
import { ValueError } from './errors';

function arrayFor(dtype: DataType, n: number): TypedArray {
  if (dtype === 'float32') return new Float32Array(n);
  if (dtype === 'int32') return new Int32Array(n);
  if (dtype === 'bool') return new Uint8Array(n);
  throw new ValueError(`buffer: unknown dtype '${String(dtype)}'; expected 'float32', 'int32' or 'bool'.`);
}

/** A mutable array with a shape; `toTensor()` copies it into an (immutable) Tensor. */
export class TensorBuffer {
  readonly shape: number[];
  readonly dtype: DataType;
  readonly size: number;
  readonly strides: number[];
  /** The values, row-major (mutable). */
  values: TypedArray;

  constructor(shape: number[], dtype: DataType = 'float32', values?: TypedArray) {
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new ValueError(`buffer: shape must be an array of non-negative integers, received ${JSON.stringify(shape)}.`);
    }
    this.shape = shape.slice();
    this.dtype = dtype;
    this.size = sizeFromShape(shape);
    this.strides = computeStrides(shape);
    if (values != null) {
      if (values.length !== this.size) {
        throw new ValueError(`buffer: values have ${values.length} elements, but shape ${formatShape(shape)} needs ${this.size}.`);
      }
      this.values = values;
    } else {
      this.values = arrayFor(dtype, this.size);
    }
  }

  /** The rank (number of dimensions). */
  get rank(): number {
    return this.shape.length;
  }

  /**
   * Flat index of the element at `locs` (one index per dimension, checked).
   * tfjs note: tfjs does not check, so its `set` out of range writes nowhere (or to another element); here it throws.
   */
  locToIndex(locs: number[]): number {
    if (locs.length !== this.shape.length) {
      throw new ValueError(
        `TensorBuffer: expected ${this.shape.length} indices for shape ${formatShape(this.shape)}, received ${locs.length}.`,
      );
    }
    let index = 0;
    locs.forEach((l, i) => {
      if (!Number.isInteger(l) || l < 0 || l >= this.shape[i]) {
        throw new ValueError(
          `TensorBuffer: index ${l} is out of range for dimension ${i} of size ${this.shape[i]} (shape ${formatShape(this.shape)}).`,
        );
      }
      index += l * (this.strides[i] ?? 1);
    });
    return index;
  }

  /** The indices of the flat `index`. */
  indexToLoc(index: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.shape.length; i++) {
      const s = this.strides[i] ?? 1;
      out.push(Math.floor(index / s));
      index %= s;
    }
    return out;
  }

  /** Sets the element at `locs` to `value` (tfjs argument order: value first). */
  set(value: number | boolean, ...locs: number[]): void {
    this.values[this.locToIndex(locs)] = Number(value);
  }

  /** The element at `locs`. */
  get(...locs: number[]): number {
    return this.values[this.locToIndex(locs)];
  }

  /** A Tensor with a copy of the values. */
  toTensor(): Tensor {
    return new Tensor(this.values.slice() as TypedArray, this.shape.slice(), this.dtype);
  }
}

/** A `TensorBuffer` of `shape` (zeros, or `values`), as tfjs's `tf.buffer`. */
export function buffer(shape: number[], dtype: DataType = 'float32', values?: TypedArray): TensorBuffer {
  return new TensorBuffer(shape, dtype, values);
}
