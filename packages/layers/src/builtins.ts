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
import { Conv1D } from './layers/convolutional/conv1d';
import { DepthwiseConv1D } from './layers/convolutional/depthwise_conv1d';
import { SeparableConv1D } from './layers/convolutional/separable_conv1d';
import { MaxPool1D, MaxPooling1D } from './layers/pooling/max_pooling1d';
import { AveragePooling1D, AvgPool1D } from './layers/pooling/average_pooling1d';
import { UpSampling1D } from './layers/reshaping/up_sampling1d';
import { ZeroPadding1D } from './layers/reshaping/zero_padding1d';
import { Cropping1D } from './layers/reshaping/cropping1d';
import { BatchNormalization } from './layers/normalization/batch_normalization';
import { GaussianNoise } from './layers/noise/gaussian_noise';
import { GaussianDropout } from './layers/noise/gaussian_dropout';
import { AlphaDropout } from './layers/noise/alpha_dropout';
import { ActivityRegularization } from './layers/regularization/activity_regularization';
import { LeakyReLU as LeakyReLULayer } from './layers/advanced_activations/leaky_relu';
import { PReLU as PReLULayer } from './layers/advanced_activations/prelu';
import { ELU as ELULayer } from './layers/advanced_activations/elu';
import { ThresholdedReLU as ThresholdedReLULayer } from './layers/advanced_activations/thresholded_relu';
import { Softmax as SoftmaxLayer } from './layers/advanced_activations/softmax';
import { ReLU as ReLULayer } from './layers/advanced_activations/relu';
import { TimeDistributed } from './wrappers/time_distributed';
import { Bidirectional } from './wrappers/bidirectional';
import { ConvLSTM2DCell } from './cells/conv_lstm2d_cell';
import { ConvLSTM2D } from './recurrent/conv_lstm2d';
import { Add } from './layers/merge/add';
import { Average } from './layers/merge/average';
import { Concatenate } from './layers/merge/concatenate';
import { Dot } from './layers/merge/dot';
import { Maximum } from './layers/merge/maximum';
import { Minimum } from './layers/merge/minimum';
import { Multiply } from './layers/merge/multiply';
import { Subtract } from './layers/merge/subtract';
import { Attention } from './layers/attention';
import { AdditiveAttention } from './layers/additive_attention';
import { MultiHeadAttention } from './layers/multi_head_attention';
import { BahdanauAttentionCell } from './cells/bahdanau_attention_cell';
import { TextVectorization } from './layers/preprocessing/text_vectorization';

/**
 * Built-in classes that check their whole option bag in their own constructor (with the Keras-only keys they
 * accept, e.g. BatchNormalization's `synchronized`); the others are checked against their `getConfig()` keys by the
 * registry (`validateArgsOf`).
 */
const SELF_VALIDATING: SerializableClass[] = [
  Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum, Dot,
  ConvLSTM2DCell, ConvLSTM2D,
  Attention, AdditiveAttention, MultiHeadAttention, BahdanauAttentionCell,
  Conv1D, SeparableConv1D, DepthwiseConv1D,
  MaxPooling1D, MaxPool1D, AveragePooling1D, AvgPool1D, UpSampling1D, ZeroPadding1D, Cropping1D,
  BatchNormalization,
  GaussianNoise, GaussianDropout, AlphaDropout, ActivityRegularization,
  LeakyReLULayer, PReLULayer, ELULayer, ThresholdedReLULayer, SoftmaxLayer, ReLULayer,
  TextVectorization,
];

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
  ...SELF_VALIDATING,
  // BUILTINS (add new classes above this line; self-validating ones to SELF_VALIDATING)
];

let registered = false;

/** Registers every class of BUILTIN_CLASSES (once; later calls do nothing). */
export function registerBuiltins(): void {
  if (registered) return;
  registered = true;
  for (const cls of BUILTIN_CLASSES) {
    registerClass(cls);
    if (!SELF_VALIDATING.includes(cls)) validateArgsOf(cls);
  }
}
