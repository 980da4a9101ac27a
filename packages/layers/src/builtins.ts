/**
 * The ONE list of built-in serializable classes, registered by `registerBuiltins()` (called once by
 * the package index; idempotent). New layers, initializers, ... append their class here.
 */
import * as activationFns from './activations/activations';
import { MaxNorm } from './constraints/max_norm';
import { MinMaxNorm } from './constraints/min_max_norm';
import { NonNeg } from './constraints/non_neg';
import { UnitNorm } from './constraints/unit_norm';
import { Constant, Ones, Zeros } from './initializers/constant';
import { Identity } from './initializers/identity';
import { Orthogonal } from './initializers/orthogonal';
import { RandomNormal, RandomUniform, TruncatedNormal } from './initializers/random';
import {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LeCunNormal, LeCunUniform, VarianceScaling,
} from './initializers/variance_scaling';
import { Activation } from './layers/activation';
import { Dense } from './layers/dense';
import { Dropout } from './layers/dropout';
import { Flatten } from './layers/flatten';
import { InputLayer } from './layers/input_layer';
import { Permute } from './layers/permute';
import { RepeatVector } from './layers/repeat_vector';
import { Reshape } from './layers/reshape';
import { L1L2 } from './regularizers/l1l2';
import { registerClass, SerializableClass, validateArgsOf } from './serialization/registry';
import { SimpleRNNCell } from './cells/simple_rnn_cell';
import { GRUCell } from './cells/gru_cell';
import { LSTMCell } from './cells/lstm_cell';
import { StackedRNNCells } from './cells/stacked_rnn_cells';
import { RNN } from './recurrent/rnn';
import { SimpleRNN } from './recurrent/simple_rnn';
import { GRU } from './recurrent/gru';
import { LSTM } from './recurrent/lstm';
import { Embedding } from './layers/embedding';
import { Masking } from './layers/masking';
import { SpatialDropout1D } from './layers/spatial_dropout1d';
import { GlobalAveragePooling1D } from './layers/global_average_pooling1d';
import { GlobalMaxPooling1D } from './layers/global_max_pooling1d';
import { LayerNormalization } from './layers/layer_normalization';
import { TimeDistributed } from './wrappers/time_distributed';
import { Bidirectional } from './wrappers/bidirectional';

/** Every built-in class; its registry kind comes from its base class. */
export const BUILTIN_CLASSES: SerializableClass[] = [
  // initializers
  Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
  GlorotUniform, GlorotNormal, HeNormal, HeUniform, LeCunNormal, LeCunUniform, Orthogonal, Identity,
  // regularizers
  L1L2,
  // constraints
  MaxNorm, UnitNorm, NonNeg, MinMaxNorm,
  // activation functions
  activationFns.Linear, activationFns.Relu, activationFns.Relu6, activationFns.Elu, activationFns.Selu,
  activationFns.Sigmoid, activationFns.HardSigmoid, activationFns.HardSigmoidKeras3, activationFns.Tanh, activationFns.Softmax,
  activationFns.Softplus, activationFns.Softsign, activationFns.Swish, activationFns.Mish, activationFns.Gelu,
  // layers
  Activation, Dense, Dropout, Flatten, InputLayer, Permute, RepeatVector, Reshape,
  Embedding, Masking, SpatialDropout1D, GlobalAveragePooling1D, GlobalMaxPooling1D, LayerNormalization, TimeDistributed,
  SimpleRNNCell, GRUCell, LSTMCell, StackedRNNCells, RNN, SimpleRNN, GRU, LSTM,
  Bidirectional,
  // BUILTINS (add new classes above this line)
];

let registered = false;

/** Registers every class of BUILTIN_CLASSES (once; later calls do nothing). */
export function registerBuiltins(): void {
  if (registered) return;
  registered = true;
  for (const cls of BUILTIN_CLASSES) {
    registerClass(cls);
    validateArgsOf(cls);
  }
}
