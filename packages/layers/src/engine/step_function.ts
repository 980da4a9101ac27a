/**
 * The per-step streaming hook of layers (`Layer.stepFunction()`): what a model's `step()` runs for a layer that
 * acts on each time step alone. See `Layer.stepFunction` and packages/models/src/engine/streaming.ts.
 */
import { reshape, Tensor } from '@recurrent/core';
import type { Layer } from './layer';

/** One time step of a per-step layer: [batch, ...features] → [batch, ...outFeatures] (inference mode). */
export type LayerStepFunction = (x: Tensor) => Tensor;

/**
 * Thrown by `stepFunction()` when a layer of a streamable kind cannot stream as configured; `step()` reports
 * it as "cannot run layer '<name>' (<class>): <reason>".
 *
 * ```ts
 * if (this.axis !== -1) throw new StepRefusal(this, `its axis is ${this.axis}; step() runs it only on the last axis`);
 * ```
 */
export class StepRefusal extends Error {
  constructor(
    /** The layer that cannot stream. */
    readonly layer: Layer,
    /** Why, as a clause ("its axis is 1; ..."). */
    readonly reason: string,
  ) {
    super(`Layer ${layer.name} (${layer.getClassName()}) cannot run one time step at a time: ${reason}.`);
    this.name = 'StepRefusal';
  }
}

/** The identity step (layers that do nothing in inference: dropout, noise, InputLayer). */
export const identityStep: LayerStepFunction = (x) => x;

/** `layer.apply(x)` in inference mode, for layers that act on the last axis of any rank (Dense, Activation). */
export function applyStep(layer: Layer): LayerStepFunction {
  return (x) => layer.apply(x, { training: false }) as Tensor;
}

/**
 * A layer built for [batch, time, ...features] run on one step as a sequence of length 1:
 * [batch, ...features] → [batch, 1, ...features] → layer → [batch, ...out].
 */
export function sequenceOfOneStep(layer: Layer): LayerStepFunction {
  return (x) => {
    const y = layer.apply(reshape(x, [x.shape[0], 1, ...x.shape.slice(1)]), { training: false }) as Tensor;
    return reshape(y, [y.shape[0], ...y.shape.slice(2)]);
  };
}
