/**
 * tfjs's chainable methods (`x.add(y)`, `x.reshape(s)`, ...), attached to Tensor.prototype in
 * this one place. Each method calls the op function of the same name.
 */
import { Tensor } from './tensor';
import type { TensorLike } from './convert';
import * as ops from './ops';

declare module './tensor' {
  interface Tensor {
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    neg(): Tensor;
    matMul(b: TensorLike, transposeA?: boolean, transposeB?: boolean): Tensor;
    reshape(shape: number[]): Tensor;
    // CHAINED-DECLARATIONS (keep sorted by topic; add new methods above this line)
  }
}

const methods: { [name: string]: (this: Tensor, ...args: any[]) => Tensor } = {
  add(b: TensorLike) { return ops.add(this, b); },
  sub(b: TensorLike) { return ops.sub(this, b); },
  mul(b: TensorLike) { return ops.mul(this, b); },
  div(b: TensorLike) { return ops.div(this, b); },
  neg() { return ops.neg(this); },
  matMul(b: TensorLike, transposeA?: boolean, transposeB?: boolean) { return ops.matMul(this, b, transposeA, transposeB); },
  reshape(shape: number[]) { return ops.reshape(this, shape); },
  // CHAINED-METHODS (add new methods above this line)
};

/** @internal attaches the methods; called once by the package index. */
export function installChainedOps(): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
  }
}


