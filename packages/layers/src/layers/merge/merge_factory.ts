/** The tfjs-style factory of a merge layer: given args it returns the layer, given inputs it applies one. */
import { Tensor } from '@recurrent/core';
import type { Layer } from '../../engine/layer';
import type { SymbolicTensor } from '../../engine/symbolic_tensor';

/**
 * A factory that, as tfjs's `tf.layers.add` etc., returns a new layer when given an args object (or
 * nothing), and when given an array of inputs creates a layer with default args and returns
 * `layer.apply(inputs)`.
 *
 * ```js
 * const sum = layers.add([a, b]);        // a Tensor (a SymbolicTensor for symbolic inputs)
 * const addLayer = layers.add({name: 'sum'});
 * ```
 */
export interface MergeFactory<A, L extends Layer> {
  (inputs: SymbolicTensor[]): SymbolicTensor;
  (inputs: Tensor[]): Tensor;
  (args?: A): L;
}

/** Builds a {@link MergeFactory} from the layer's constructor call. */
export function mergeFactory<A, L extends Layer>(make: (args?: A) => L): MergeFactory<A, L> {
  function factory(inputs: SymbolicTensor[]): SymbolicTensor;
  function factory(inputs: Tensor[]): Tensor;
  function factory(args?: A): L;
  function factory(argsOrInputs?: A | Tensor[] | SymbolicTensor[]): L | Tensor | SymbolicTensor {
    if (Array.isArray(argsOrInputs)) return make().apply(argsOrInputs as Tensor[]) as Tensor;
    return make(argsOrInputs);
  }
  return factory;
}
