/**
 * Losses a layer adds while it runs (Keras's `self.add_loss(value)` inside `call`, tfjs's `Layer.addLoss`): which
 * values `addLoss` takes, and the call scope that clears them. As Keras, the losses added during a call replace those
 * of the previous call: they are cleared when an outermost call starts (a layer or model applied by the user, or a
 * model run by fit/evaluate/predict), so a layer shared within one model call keeps the losses of all its calls.
 */
import { cast, Tensor, ValueError } from '@recurrent/core';

/** A loss for `addLoss`: a tensor computed in `call` (cleared at the next call), or a function computing one (tfjs). */
export type AddedLoss = Tensor | (() => Tensor);

/** What the call scope needs of a layer (a model clears its layers' losses too). */
export interface ClearsAddedLosses {
  clearAddedLosses(): void;
}

let callDepth = 0;

/** Runs `f` as a call of `layer`: when no other call is running, the layer's added losses are cleared first. */
export function inCallScope<T>(layer: ClearsAddedLosses, f: () => T): T {
  if (callDepth === 0) layer.clearAddedLosses();
  callDepth++;
  try {
    return f();
  } finally {
    callDepth--;
  }
}

/** The losses given to `addLoss` as a checked list: float32 tensors, and functions (called when the losses are read). */
export function checkAddedLosses(layerName: string, value: AddedLoss | AddedLoss[]): AddedLoss[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v, i) => {
    const what = Array.isArray(value) ? `loss ${i}` : 'the loss';
    if (typeof v === 'function') return v;
    if (!(v instanceof Tensor)) {
      const got = v === null ? 'null' : (v as object)?.constructor?.name === 'SymbolicTensor' ? 'a symbolic tensor' : typeof v;
      throw new ValueError(
        `Layer ${layerName}: addLoss: ${what} must be a Tensor computed in call() (Keras add_loss) or a function returning one ` +
          `(tfjs), received ${got}.`,
      );
    }
    if (v.isDisposed) throw new ValueError(`Layer ${layerName}: addLoss: ${what} is a disposed Tensor.`);
    return v.dtype === 'float32' ? v : cast(v, 'float32');
  });
}
