/** The Tensor: an immutable n-dimensional array of float32, int32 or bool values. */
import { DataType, NestedArray, TypedArray } from './dtype';
import { computeStrides, formatShape, sizeFromShape } from './shape';
import { formatTensor } from './tensor_format';
import type { TapeNode } from './engine';
import { trackTensor, untrackTensor } from './tensor_tracking';
import { ValueError } from './errors';

let nextTensorId = 0;

/**
 * An n-dimensional array. Values live in a typed array on the JS heap, so memory is
 * garbage-collected: `dispose()` and `tidy()` exist for tfjs source compatibility only.
 *
 * Ops are available as functions (`add(a, b)`) and as chainable methods (`a.add(b)`).
 */
export class Tensor {
  /** Unique id, used by the autograd tape. */
  readonly id: number;
  /** Dimensions, e.g. `[batch, timeSteps, features]`. */
  readonly shape: number[];
  /** Element type. */
  readonly dtype: DataType;
  /** Number of elements. */
  readonly size: number;
  /** Set by `dispose()`; reading a disposed tensor throws, as in tfjs. */
  isDisposed = false;
  /**
   * Whether ops on this tensor build the implicit autograd graph used by `backward()` (PyTorch's
   * `requires_grad`). False by default; true for `nn` module parameters (until `requiresGrad_(false)` freezes one),
   * for other Variables passed to an `nn.optim` optimizer, after `requiresGrad_()`, and for every result of an op on
   * such a tensor outside `noGrad()`.
   */
  requiresGrad = false;
  /**
   * The gradient accumulated by `backward()` for a leaf that requires grad (PyTorch's `.grad`); added to on
   * every `backward()`, reset by an optimizer's `zeroGrad()` (to null) or by assigning null.
   */
  grad: Tensor | null = null;
  /** @internal the op node that produced this tensor in the implicit graph (null for leaves). */
  gradFn: TapeNode | null = null;
  /** @internal the backing values; ops read them directly. Never mutated after creation (Variables swap it). */
  protected _values: TypedArray;

  /** @internal use `tensor()` and the other creation functions. */
  constructor(values: TypedArray, shape: number[], dtype: DataType) {
    this.id = nextTensorId++;
    this._values = values;
    this.shape = shape;
    this.dtype = dtype;
    this.size = values.length;
    trackTensor(this, values.byteLength);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Row-major strides of the shape. */
  get strides(): number[] {
    return computeStrides(this.shape);
  }

  /** @internal the backing typed array, shared (do not mutate). */
  get values(): TypedArray {
    if (this.isDisposed) throw new ValueError(`Tensor ${this.id} is disposed and can no longer be used.`);
    return this._values;
  }

  /** The values as a typed array (Float32Array, Int32Array or Uint8Array for bool). Do not mutate it. */
  dataSync(): TypedArray {
    return this.values;
  }

  /** The values, asynchronously, as tfjs's `data()`. */
  data(): Promise<TypedArray> {
    return Promise.resolve(this.dataSync());
  }

  /** The values as nested JS arrays matching the shape (a number for a scalar). */
  arraySync(): NestedArray {
    const values = this.values;
    const shape = this.shape;
    if (shape.length === 0) return this.dtype === 'bool' ? values[0] : values[0];
    const strides = computeStrides(shape);
    const build = (axis: number, offset: number): NestedArray => {
      const out: NestedArray[] = [];
      for (let i = 0; i < shape[axis]; i++) {
        out.push(axis === shape.length - 1 ? values[offset + i] : build(axis + 1, offset + i * strides[axis]));
      }
      return out;
    };
    return build(0, 0);
  }

  /**
   * The value of a one-element tensor (any shape of size 1) as a JS number, as PyTorch's `item()` (bool gives
   * 0 or 1); tfjs code writes `dataSync()[0]`.
   *
   * ```js
   * const loss = lossFn.forward(model.forward(x), y);
   * losses.push(loss.item());
   * ```
   */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(
        `item: only a tensor of one element converts to a number; tensor ${this.id} has shape ${formatShape(this.shape)} (${this.size} elements).`,
      );
    }
    return Number(this.values[0]);
  }

  /** Nested arrays, asynchronously, as tfjs's `array()`. */
  array(): Promise<NestedArray> {
    return Promise.resolve(this.arraySync());
  }

  /** True for a tensor not produced by a recorded op (user-created tensors, parameters): PyTorch's `is_leaf`. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * Sets `requiresGrad` on a leaf tensor (PyTorch's `requires_grad_()`); returns this.
   *
   * ```js
   * const w = randomNormal([3, 2]).requiresGrad_();
   * w.matMul(x).sum().backward();   // fills w.grad
   * ```
   */
  requiresGrad_(requiresGrad = true): this {
    if (!this.isLeaf && !requiresGrad) {
      throw new ValueError(
        `requiresGrad_: tensor ${this.id} was produced by '${this.gradFn!.kernelName}' and is not a leaf; use detach() to get a tensor that does not require grad.`,
      );
    }
    if (requiresGrad && this.dtype !== 'float32') {
      throw new ValueError(`requiresGrad_: only float32 tensors can require gradients, tensor ${this.id} is ${this.dtype}.`);
    }
    this.requiresGrad = !!requiresGrad;
    return this;
  }

  /** The same values as a new leaf that does not require grad (no graph; PyTorch's `detach()`). */
  detach(): Tensor {
    return new Tensor(this.values, this.shape.slice(), this.dtype);
  }

  /** A tensor with the same values (a new id, so the tape sees it as a new value). */
  clone(): Tensor {
    return new Tensor(this.values, this.shape.slice(), this.dtype);
  }

  /** Marks the tensor disposed (memory is garbage-collected; this only guards against later use). */
  dispose(): void {
    if (!this.isDisposed) untrackTensor(this);
    this.isDisposed = true;
  }

  /** Prints the tensor to the console like tfjs's `print()`. */
  print(verbose = false): void {
    console.log(this.toString(verbose));
  }

  /** Human-readable values, as tfjs's `toString()`. */
  toString(verbose = false): string {
    return formatTensor(this.values, this.shape, this.dtype, verbose);
  }
}

/** @internal builds a tensor without copying; the caller hands over ownership of `values`. */
export function makeTensor(values: TypedArray, shape: number[], dtype: DataType): Tensor {
  if (values.length !== sizeFromShape(shape)) {
    // eslint-disable-next-line no-restricted-syntax -- an internal invariant or a missing module, not a user error
    throw new Error(`Internal error: ${values.length} values for shape [${shape.join(',')}].`);
  }
  return new Tensor(values, shape, dtype);
}

/** Rank-specific aliases, as tfjs exports them. */
export type Scalar = Tensor;
export type Tensor1D = Tensor;
export type Tensor2D = Tensor;
export type Tensor3D = Tensor;
export type Tensor4D = Tensor;
export type Rank = number;
