/**
 * The `layers` factory namespace, as tfjs's `tf.layers`: `layers.dense({units: 3})`.
 * New layers add one line each above the marker.
 */
import { Activation, ActivationArgs } from './activation';
import { Dense, DenseArgs } from './dense';
import { Dropout, DropoutArgs } from './dropout';
import { Flatten, FlattenArgs } from './flatten';
import { InputLayer, InputLayerArgs } from './input_layer';
import { Permute, PermuteArgs } from './permute';
import { RepeatVector, RepeatVectorArgs } from './repeat_vector';
import { Reshape, ReshapeArgs } from './reshape';

/** Factory functions for every built-in layer. */
export const layers = {
  activation: (args: ActivationArgs) => new Activation(args),
  dense: (args: DenseArgs) => new Dense(args),
  dropout: (args: DropoutArgs) => new Dropout(args),
  flatten: (args: FlattenArgs = {}) => new Flatten(args),
  inputLayer: (args: InputLayerArgs) => new InputLayer(args),
  permute: (args: PermuteArgs) => new Permute(args),
  repeatVector: (args: RepeatVectorArgs) => new RepeatVector(args),
  reshape: (args: ReshapeArgs) => new Reshape(args),
  // LAYERS-FACTORIES (add new factories above this line)
};
