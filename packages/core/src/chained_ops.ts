/**
 * tfjs's chainable methods (`x.add(y)`, `x.reshape(s)`, ...), attached to Tensor.prototype in
 * this one place. Each method calls the op function of the same name.
 */
import { Tensor } from './tensor';
import type { TensorLike } from './convert';
import type { DataType } from './dtype';
import { formatShape } from './shape';
import * as ops from './ops';
import type { SliceRange } from './ops/slice_concat';
import { backward, BackwardOptions } from './gradients';
import { ValueError } from './errors';

type Axis = number | number[] | null;

declare module './tensor' {
  interface Tensor {
    // arithmetic
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    neg(): Tensor;
    pow(exp: TensorLike): Tensor;
    maximum(b: TensorLike): Tensor;
    minimum(b: TensorLike): Tensor;
    squaredDifference(b: TensorLike): Tensor;
    mod(b: TensorLike): Tensor;
    floorDiv(b: TensorLike): Tensor;
    atan2(b: TensorLike): Tensor;
    matMul(b: TensorLike, transposeA?: boolean, transposeB?: boolean): Tensor;
    dot(b: TensorLike): Tensor;
    // unary math
    abs(): Tensor;
    square(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    reciprocal(): Tensor;
    exp(): Tensor;
    expm1(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tan(): Tensor;
    sign(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    round(): Tensor;
    isNaN(): Tensor;
    isFinite(): Tensor;
    isInf(): Tensor;
    clipByValue(min: number, max: number): Tensor;
    step(alpha?: number): Tensor;
    // activations
    sigmoid(): Tensor;
    logSigmoid(): Tensor;
    hardSigmoid(): Tensor;
    tanh(): Tensor;
    relu(): Tensor;
    relu6(): Tensor;
    elu(): Tensor;
    selu(): Tensor;
    softplus(): Tensor;
    softsign(): Tensor;
    leakyRelu(alpha?: number): Tensor;
    prelu(alpha: TensorLike): Tensor;
    softmax(dim?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    // reductions
    sum(axis?: Axis, keepDims?: boolean): Tensor;
    mean(axis?: Axis, keepDims?: boolean): Tensor;
    max(axis?: Axis, keepDims?: boolean): Tensor;
    min(axis?: Axis, keepDims?: boolean): Tensor;
    prod(axis?: Axis, keepDims?: boolean): Tensor;
    logSumExp(axis?: Axis, keepDims?: boolean): Tensor;
    all(axis?: Axis, keepDims?: boolean): Tensor;
    any(axis?: Axis, keepDims?: boolean): Tensor;
    argMax(axis?: number): Tensor;
    argMin(axis?: number): Tensor;
    // shapes
    reshape(shape: number[]): Tensor;
    reshapeAs(x: Tensor): Tensor;
    flatten(): Tensor;
    asScalar(): Tensor;
    as1D(): Tensor;
    as2D(rows: number, columns: number): Tensor;
    as3D(rows: number, columns: number, depth: number): Tensor;
    as4D(rows: number, columns: number, depth: number, depth2: number): Tensor;
    expandDims(axis?: number): Tensor;
    squeeze(axis?: number | number[]): Tensor;
    transpose(perm?: number[]): Tensor;
    /** tfjs's `(begin, size)`, or deepbox/lucid's per-axis `[[start, end], ...]` ranges (see the `slice` op). */
    slice(begin: number | number[] | SliceRange[], size?: number | number[]): Tensor;
    concat(x: TensorLike | TensorLike[], axis?: number): Tensor;
    stack(x: TensorLike | TensorLike[], axis?: number): Tensor;
    unstack(axis?: number): Tensor[];
    split(numOrSizeSplits: number | number[], axis?: number): Tensor[];
    gather(indices: TensorLike, axis?: number): Tensor;
    reverse(axis?: number | number[]): Tensor;
    /** deepbox/lucid/PyTorch name of `reverse`: the tensor with the order of `axes` reversed. */
    flip(axes?: number | number[]): Tensor;
    /**
     * PyTorch's `loss.backward()`: adds d(this)/d(leaf) to `.grad` of every leaf that requires grad (see
     * core engine.ts). `gradient` is required unless this tensor is a scalar.
     */
    backward(gradient?: Tensor | null, options?: BackwardOptions): void;
    tile(reps: number[]): Tensor;
    pad(paddings: Array<[number, number]>, constantValue?: number): Tensor;
    broadcastTo(shape: number[]): Tensor;
    // comparison and logic
    equal(b: TensorLike): Tensor;
    notEqual(b: TensorLike): Tensor;
    greater(b: TensorLike): Tensor;
    greaterEqual(b: TensorLike): Tensor;
    less(b: TensorLike): Tensor;
    lessEqual(b: TensorLike): Tensor;
    logicalAnd(b: TensorLike): Tensor;
    logicalOr(b: TensorLike): Tensor;
    logicalXor(b: TensorLike): Tensor;
    logicalNot(): Tensor;
    // dtypes
    cast(dtype: DataType): Tensor;
    asType(dtype: DataType): Tensor;
    toFloat(): Tensor;
    toInt(): Tensor;
    toBool(): Tensor;
    // CHAINED-DECLARATIONS (keep sorted by topic; add new methods above this line)
  }
}

/** Reshapes `x` to `shape`, throwing with the chained method's name when the size differs. */
function asShape(method: string, x: Tensor, shape: number[]): Tensor {
  const size = shape.reduce((a, d) => a * d, 1);
  if (size !== x.size) {
    throw new ValueError(
      `${method}: cannot reshape a tensor of shape ${formatShape(x.shape)} (size ${x.size}) into shape ${formatShape(shape)}.`,
    );
  }
  return ops.reshape(x, shape);
}

const methods: { [name: string]: (this: Tensor, ...args: any[]) => Tensor | Tensor[] | void } = {
  // arithmetic
  add(b: TensorLike) {
    return ops.add(this, b);
  },
  sub(b: TensorLike) {
    return ops.sub(this, b);
  },
  mul(b: TensorLike) {
    return ops.mul(this, b);
  },
  div(b: TensorLike) {
    return ops.div(this, b);
  },
  neg() {
    return ops.neg(this);
  },
  pow(exp: TensorLike) {
    return ops.pow(this, exp);
  },
  maximum(b: TensorLike) {
    return ops.maximum(this, b);
  },
  minimum(b: TensorLike) {
    return ops.minimum(this, b);
  },
  squaredDifference(b: TensorLike) {
    return ops.squaredDifference(this, b);
  },
  mod(b: TensorLike) {
    return ops.mod(this, b);
  },
  floorDiv(b: TensorLike) {
    return ops.floorDiv(this, b);
  },
  atan2(b: TensorLike) {
    return ops.atan2(this, b);
  },
  matMul(b: TensorLike, transposeA?: boolean, transposeB?: boolean) {
    return ops.matMul(this, b, transposeA, transposeB);
  },
  dot(b: TensorLike) {
    return ops.dot(this, b);
  },
  // unary math
  abs() {
    return ops.abs(this);
  },
  square() {
    return ops.square(this);
  },
  sqrt() {
    return ops.sqrt(this);
  },
  rsqrt() {
    return ops.rsqrt(this);
  },
  reciprocal() {
    return ops.reciprocal(this);
  },
  exp() {
    return ops.exp(this);
  },
  expm1() {
    return ops.expm1(this);
  },
  log() {
    return ops.log(this);
  },
  log1p() {
    return ops.log1p(this);
  },
  sin() {
    return ops.sin(this);
  },
  cos() {
    return ops.cos(this);
  },
  tan() {
    return ops.tan(this);
  },
  sign() {
    return ops.sign(this);
  },
  floor() {
    return ops.floor(this);
  },
  ceil() {
    return ops.ceil(this);
  },
  round() {
    return ops.round(this);
  },
  isNaN() {
    return ops.isNaN(this);
  },
  isFinite() {
    return ops.isFinite(this);
  },
  isInf() {
    return ops.isInf(this);
  },
  clipByValue(min: number, max: number) {
    return ops.clipByValue(this, min, max);
  },
  step(alpha?: number) {
    return ops.step(this, alpha);
  },
  // activations
  sigmoid() {
    return ops.sigmoid(this);
  },
  logSigmoid() {
    return ops.logSigmoid(this);
  },
  hardSigmoid() {
    return ops.hardSigmoid(this);
  },
  tanh() {
    return ops.tanh(this);
  },
  relu() {
    return ops.relu(this);
  },
  relu6() {
    return ops.relu6(this);
  },
  elu() {
    return ops.elu(this);
  },
  selu() {
    return ops.selu(this);
  },
  softplus() {
    return ops.softplus(this);
  },
  softsign() {
    return ops.softsign(this);
  },
  leakyRelu(alpha?: number) {
    return ops.leakyRelu(this, alpha);
  },
  prelu(alpha: TensorLike) {
    return ops.prelu(this, alpha);
  },
  softmax(dim?: number) {
    return ops.softmax(this, dim);
  },
  logSoftmax(axis?: number) {
    return ops.logSoftmax(this, axis);
  },
  // reductions
  sum(axis?: Axis, keepDims?: boolean) {
    return ops.sum(this, axis, keepDims);
  },
  mean(axis?: Axis, keepDims?: boolean) {
    return ops.mean(this, axis, keepDims);
  },
  max(axis?: Axis, keepDims?: boolean) {
    return ops.max(this, axis, keepDims);
  },
  min(axis?: Axis, keepDims?: boolean) {
    return ops.min(this, axis, keepDims);
  },
  prod(axis?: Axis, keepDims?: boolean) {
    return ops.prod(this, axis, keepDims);
  },
  logSumExp(axis?: Axis, keepDims?: boolean) {
    return ops.logSumExp(this, axis, keepDims);
  },
  all(axis?: Axis, keepDims?: boolean) {
    return ops.all(this, axis, keepDims);
  },
  any(axis?: Axis, keepDims?: boolean) {
    return ops.any(this, axis, keepDims);
  },
  argMax(axis?: number) {
    return ops.argMax(this, axis);
  },
  argMin(axis?: number) {
    return ops.argMin(this, axis);
  },
  // shapes
  reshape(shape: number[]) {
    return ops.reshape(this, shape);
  },
  reshapeAs(x: Tensor) {
    return ops.reshape(this, x.shape);
  },
  flatten() {
    return ops.reshape(this, [this.size]);
  },
  asScalar() {
    return asShape('asScalar', this, []);
  },
  as1D() {
    return ops.reshape(this, [this.size]);
  },
  as2D(rows: number, columns: number) {
    return asShape('as2D', this, [rows, columns]);
  },
  as3D(rows: number, columns: number, depth: number) {
    return asShape('as3D', this, [rows, columns, depth]);
  },
  as4D(rows: number, columns: number, depth: number, depth2: number) {
    return asShape('as4D', this, [rows, columns, depth, depth2]);
  },
  expandDims(axis?: number) {
    return ops.expandDims(this, axis);
  },
  squeeze(axis?: number | number[]) {
    return ops.squeeze(this, axis);
  },
  transpose(perm?: number[]) {
    return ops.transpose(this, perm);
  },
  slice(begin: number | number[] | SliceRange[], size?: number | number[]) {
    return ops.slice(this, begin, size);
  },
  concat(x: TensorLike | TensorLike[], axis?: number) {
    return ops.concat([this, ...(Array.isArray(x) && x[0] instanceof Tensor ? (x as TensorLike[]) : [x as TensorLike])], axis);
  },
  stack(x: TensorLike | TensorLike[], axis?: number) {
    return ops.stack([this, ...(Array.isArray(x) && x[0] instanceof Tensor ? (x as TensorLike[]) : [x as TensorLike])], axis);
  },
  unstack(axis?: number) {
    return ops.unstack(this, axis);
  },
  split(numOrSizeSplits: number | number[], axis?: number) {
    return ops.split(this, numOrSizeSplits, axis);
  },
  gather(indices: TensorLike, axis?: number) {
    return ops.gather(this, indices, axis);
  },
  reverse(axis?: number | number[]) {
    return ops.reverse(this, axis);
  },
  flip(axes?: number | number[]) {
    return ops.reverse(this, axes);
  },
  backward(gradient?: Tensor | null, options?: BackwardOptions) {
    return backward(this, gradient, options);
  },
  tile(reps: number[]) {
    return ops.tile(this, reps);
  },
  pad(paddings: Array<[number, number]>, constantValue?: number) {
    return ops.pad(this, paddings, constantValue);
  },
  broadcastTo(shape: number[]) {
    return ops.broadcastTo(this, shape);
  },
  // comparison and logic
  equal(b: TensorLike) {
    return ops.equal(this, b);
  },
  notEqual(b: TensorLike) {
    return ops.notEqual(this, b);
  },
  greater(b: TensorLike) {
    return ops.greater(this, b);
  },
  greaterEqual(b: TensorLike) {
    return ops.greaterEqual(this, b);
  },
  less(b: TensorLike) {
    return ops.less(this, b);
  },
  lessEqual(b: TensorLike) {
    return ops.lessEqual(this, b);
  },
  logicalAnd(b: TensorLike) {
    return ops.logicalAnd(this, b);
  },
  logicalOr(b: TensorLike) {
    return ops.logicalOr(this, b);
  },
  logicalXor(b: TensorLike) {
    return ops.logicalXor(this, b);
  },
  logicalNot() {
    return ops.logicalNot(this);
  },
  // dtypes
  cast(dtype: DataType) {
    return ops.cast(this, dtype);
  },
  asType(dtype: DataType) {
    return ops.cast(this, dtype);
  },
  toFloat() {
    return ops.cast(this, 'float32');
  },
  toInt() {
    return ops.cast(this, 'int32');
  },
  toBool() {
    return ops.cast(this, 'bool');
  },
  // CHAINED-METHODS (add new methods above this line)
};

/** @internal attaches the methods; called once by the package index. */
export function installChainedOps(): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
}
