/** @recurrent/layers — Keras-style layers, cells, initializers and PyTorch-style nn modules. */
import { CORE_VERSION } from '@recurrent/core';

// Nothing runs at import (no registration): lookups find the built-in classes through the modules that
// need them (builtins.ts), so bundlers drop what an application does not use ("sideEffects": false).

/** The package version (one for all recurrent packages: scripts/version.js). */
export const LAYERS_VERSION = CORE_VERSION;

// Engine
export { Layer, getExactlyOneTensor, getExactlyOneShape } from './engine/layer';
export type { LayerArgs, CallKwargs, SymbolicCallKwargs, Shape } from './engine/layer';
export { inCallScope } from './engine/added_losses';
export type { AddedLoss } from './engine/added_losses';
export { StepRefusal, identityStep, applyStep, sequenceOfOneStep } from './engine/step_function';
export type { LayerStepFunction } from './engine/step_function';
export { InputSpec, assertInputCompatibility } from './engine/input_spec';
export type { InputSpecArgs, ShapedInput } from './engine/input_spec';
export { SymbolicTensor, hasSymbolic } from './engine/symbolic_tensor';
export { Node, TENSOR_KWARGS } from './engine/node';
export type { NodeCallArgs, TensorKwarg } from './engine/node';
export { isSymbolicCall, applySymbolic, callArgsFor } from './engine/symbolic_call';
export { LayerVariable, createLayerVariable } from './engine/layer_variable';
export { resetNameCounters, uniqueLayerName, toSnakeCase, withNameScope } from './engine/naming';
export {
  checkArgKeys,
  checkBoolArg,
  checkNumberArg,
  suggestName,
  snakeToCamel,
  warnOnce,
  describeValue,
  LAYER_ARG_KEYS,
} from './engine/args';
export { withWeightCreationPolicy, weightElementsCreated } from './engine/weight_creation';
export type { WeightCreationPolicy } from './engine/weight_creation';
export { nameTable, ownEntry } from './engine/name_table';

// Serialization
export { registerClass, serialize, deserialize as deserializeWith } from './serialization/registry';
export { getRegisteredClass, registeredClassNames, deserialize, lookupByName } from './serialization/builtin_lookup';
export { importBuiltinLayers, knownLayerClassNames, BUILTIN_LAYER_NAMES } from './serialization/builtin_imports';
export type { ConfigDict, SerializedObject, SerializableKind, SerializableClass, BuiltinClasses } from './serialization/registry';
export { registerBuiltins, BUILTIN_CLASSES, BUILTINS } from './builtins';

// Initializers
export { Initializer, computeFans } from './initializers/initializer';
export { Zeros, Ones, Constant } from './initializers/constant';
export type { ConstantArgs } from './initializers/constant';
export { RandomNormal, RandomUniform, TruncatedNormal } from './initializers/random';
export type { RandomNormalArgs, RandomUniformArgs } from './initializers/random';
export {
  VarianceScaling,
  GlorotUniform,
  GlorotNormal,
  HeNormal,
  HeUniform,
  LeCunNormal,
  LeCunUniform,
} from './initializers/variance_scaling';
export type { VarianceScalingArgs, SeedOnlyInitializerArgs, FanMode, Distribution } from './initializers/variance_scaling';
export { Orthogonal } from './initializers/orthogonal';
export type { OrthogonalArgs } from './initializers/orthogonal';
export { Identity } from './initializers/identity';
export type { IdentityArgs } from './initializers/identity';
export { initializers, getInitializer, serializeInitializer } from './initializers';
export type { InitializerIdentifier } from './initializers';

// Regularizers
export { Regularizer } from './regularizers/regularizer';
export { L1L2 } from './regularizers/l1l2';
export type { L1L2Args } from './regularizers/l1l2';
export { regularizers, getRegularizer, serializeRegularizer } from './regularizers';
export type { RegularizerIdentifier } from './regularizers';

// Constraints
export { Constraint } from './constraints/constraint';
export { MaxNorm } from './constraints/max_norm';
export type { MaxNormArgs } from './constraints/max_norm';
export { UnitNorm } from './constraints/unit_norm';
export type { UnitNormArgs } from './constraints/unit_norm';
export { NonNeg } from './constraints/non_neg';
export { MinMaxNorm } from './constraints/min_max_norm';
export type { MinMaxNormArgs } from './constraints/min_max_norm';
export { constraints, getConstraint, serializeConstraint } from './constraints';
export type { ConstraintIdentifier } from './constraints';

// Activation functions
export { ActivationFn } from './activations/activation_fn';
export {
  Linear,
  Relu,
  Relu6,
  Elu,
  Selu,
  Sigmoid,
  HardSigmoid,
  HardSigmoidKeras3,
  Tanh,
  Softmax,
  LogSoftmax,
  Softplus,
  Softsign,
  Swish,
  Mish,
  Gelu,
  GeluNew,
  erfScalar,
} from './activations/activations';
export { getActivation, serializeActivation } from './activations';
export type { ActivationIdentifier } from './activations';

// Layers
export { Dense } from './layers/dense';
export type { DenseArgs } from './layers/dense';
export { Activation } from './layers/activation';
export type { ActivationArgs } from './layers/activation';
export { Dropout } from './layers/dropout';
export type { DropoutArgs } from './layers/dropout';
export { Flatten } from './layers/flatten';
export type { FlattenArgs } from './layers/flatten';
export { Reshape } from './layers/reshape';
export type { ReshapeArgs } from './layers/reshape';
export { Permute } from './layers/permute';
export type { PermuteArgs } from './layers/permute';
export { RepeatVector } from './layers/repeat_vector';
export type { RepeatVectorArgs } from './layers/repeat_vector';
export { TextVectorization } from './layers/preprocessing/text_vectorization';
export type { TextVectorizationArgs } from './layers/preprocessing/text_vectorization';
export { Rescaling } from './layers/preprocessing/rescaling';
export type { RescalingArgs } from './layers/preprocessing/rescaling';
export { CategoryEncoding } from './layers/preprocessing/category_encoding';
export type { CategoryEncodingArgs, CategoryEncodingMode } from './layers/preprocessing/category_encoding';
export {
  isTextVectorization,
  isConv1D,
  isConvLSTMCell,
  cellKindOf,
  exactCellKindOf,
  TEXT_VECTORIZATION_BRAND,
  CONV1D_BRAND,
  CONV_LSTM_CELL_BRAND,
  CELL_KIND_BRAND,
} from './engine/class_brands';
export type { BuiltinCellKind } from './engine/class_brands';
export { InputLayer, input } from './layers/input_layer';
export type { InputLayerArgs, InputArgs } from './layers/input_layer';
export { layers } from './layers/exports_layers';

export { Embedding } from './layers/embedding';
export type { EmbeddingArgs } from './layers/embedding';
export { Masking } from './layers/masking';
export type { MaskingArgs } from './layers/masking';
export { SpatialDropout1D } from './layers/spatial_dropout1d';
export type { SpatialDropout1DArgs } from './layers/spatial_dropout1d';
export { GlobalPooling1D } from './layers/global_pooling1d';
export type { GlobalPooling1DArgs, DataFormat } from './layers/global_pooling1d';
export { GlobalAveragePooling1D } from './layers/global_average_pooling1d';
export type { GlobalAveragePooling1DArgs } from './layers/global_average_pooling1d';
export { GlobalMaxPooling1D } from './layers/global_max_pooling1d';
export type { GlobalMaxPooling1DArgs } from './layers/global_max_pooling1d';
export { LayerNormalization } from './layers/layer_normalization';
export type { LayerNormalizationArgs } from './layers/layer_normalization';
export { Attention } from './layers/attention';
export type { AttentionArgs, AttentionCallKwargs } from './layers/attention';
export { AdditiveAttention } from './layers/additive_attention';
export type { AdditiveAttentionArgs } from './layers/additive_attention';
export { MultiHeadAttention } from './layers/multi_head_attention';
export type { MultiHeadAttentionArgs, MultiHeadAttentionCallKwargs } from './layers/multi_head_attention';
export { Wrapper } from './wrappers/wrapper';
export type { WrapperArgs } from './wrappers/wrapper';
export { TimeDistributed } from './wrappers/time_distributed';
export type { TimeDistributedArgs } from './wrappers/time_distributed';
// Recurrent cells and layers
export { RNNCell, stateSizesOf, outputSizeOf, isRecurrentCell, buildCellInScope, makeDropoutMasks } from './cells/rnn_cell';
export type { RNNCellArgs, RecurrentCell } from './cells/rnn_cell';
export type { BaseRNNCellArgs, CellActivation, CellInitializer, CellRegularizer, CellConstraint } from './cells/cell_options';
export { SimpleRNNCell } from './cells/simple_rnn_cell';
export type { SimpleRNNCellArgs } from './cells/simple_rnn_cell';
export { GRUCell } from './cells/gru_cell';
export type { GRUCellArgs } from './cells/gru_cell';
export { LSTMCell } from './cells/lstm_cell';
export type { LSTMCellArgs } from './cells/lstm_cell';
export { StackedRNNCells } from './cells/stacked_rnn_cells';
export type { StackedRNNCellsArgs } from './cells/stacked_rnn_cells';
export { BahdanauAttentionCell } from './cells/bahdanau_attention_cell';
export type { BahdanauAttentionCellArgs } from './cells/bahdanau_attention_cell';
export { RNN } from './recurrent/rnn';
export { BaseRNN } from './recurrent/base_rnn';
export type { RNNArgs, RNNLayerOptions, ConstantsAwareCell } from './recurrent/base_rnn';
export { SimpleRNN } from './recurrent/simple_rnn';
export type { SimpleRNNArgs } from './recurrent/simple_rnn';
export { GRU } from './recurrent/gru';
export type { GRUArgs } from './recurrent/gru';
export { LSTM } from './recurrent/lstm';
export type { LSTMArgs } from './recurrent/lstm';

// PyTorch-style modules (nn.Module, nn.LSTM, nn.GRU, nn.RNN, cells, Linear, ..., nn.utils, nn.convert)
export * as nn from './nn';
export { Bidirectional } from './wrappers/bidirectional';
export type { BidirectionalArgs, BidirectionalMergeMode } from './wrappers/bidirectional';
export {
  cellKernelResidentBytes,
  cellStepFunction,
  cellSequenceFunction,
  oneStepApply,
  releaseCellKernels,
  sequenceApply,
} from './recurrent/step_kernel';
export type { CellSequenceFunction, CellStepFunction } from './recurrent/step_kernel';
// Merge layers
export { Merge, broadcastMergeShapes } from './layers/merge/merge';
export type { MergeArgs } from './layers/merge/merge';
export type { MergeFactory } from './layers/merge/merge_factory';
export { Add } from './layers/merge/add';
export { Subtract } from './layers/merge/subtract';
export { Multiply } from './layers/merge/multiply';
export { Average } from './layers/merge/average';
export { Maximum } from './layers/merge/maximum';
export { Minimum } from './layers/merge/minimum';
export { Concatenate } from './layers/merge/concatenate';
export type { ConcatenateArgs } from './layers/merge/concatenate';
export { Dot } from './layers/merge/dot';
export type { DotArgs } from './layers/merge/dot';
// Convolutional LSTM
export {
  ConvLSTMCell,
  resolveConvOptions,
  convOutputSpatial,
  CONV_LSTM_CELL_KEYS,
  CONV_LSTM_CELL_KEYS as CONV_LSTM2D_CELL_KEYS,
} from './cells/conv_lstm_cell';
export type { ConvLSTMCellArgs, ConvOptions } from './cells/conv_lstm_cell';
export { ConvLSTM2DCell } from './cells/conv_lstm2d_cell';
export type { ConvLSTM2DCellArgs } from './cells/conv_lstm2d_cell';
export { ConvLSTM1DCell } from './cells/conv_lstm1d_cell';
export type { ConvLSTM1DCellArgs } from './cells/conv_lstm1d_cell';
export { ConvLSTM } from './recurrent/conv_lstm';
export type { ConvLSTMArgs } from './recurrent/conv_lstm';
export { ConvLSTM2D } from './recurrent/conv_lstm2d';
export type { ConvLSTM2DArgs } from './recurrent/conv_lstm2d';
export { ConvLSTM1D } from './recurrent/conv_lstm1d';
export type { ConvLSTM1DArgs } from './recurrent/conv_lstm1d';
// Convolution over time
export { BaseConv1D } from './layers/convolutional/base_conv1d';
export type { BaseConv1DArgs, Conv1DLayerPadding } from './layers/convolutional/base_conv1d';
export { Conv1D } from './layers/convolutional/conv1d';
export type { Conv1DArgs } from './layers/convolutional/conv1d';
export { DepthwiseConv1D } from './layers/convolutional/depthwise_conv1d';
export type { DepthwiseConv1DArgs } from './layers/convolutional/depthwise_conv1d';
export { SeparableConv1D } from './layers/convolutional/separable_conv1d';
export type { SeparableConv1DArgs } from './layers/convolutional/separable_conv1d';
// Pooling and reshaping over time
export { Pooling1D } from './layers/pooling/pooling1d';
export type { Pooling1DArgs } from './layers/pooling/pooling1d';
export { MaxPooling1D, MaxPool1D } from './layers/pooling/max_pooling1d';
export type { MaxPooling1DArgs } from './layers/pooling/max_pooling1d';
export { AveragePooling1D, AvgPool1D } from './layers/pooling/average_pooling1d';
export type { AveragePooling1DArgs } from './layers/pooling/average_pooling1d';
export { UpSampling1D } from './layers/reshaping/up_sampling1d';
export type { UpSampling1DArgs } from './layers/reshaping/up_sampling1d';
export { ZeroPadding1D } from './layers/reshaping/zero_padding1d';
export type { ZeroPadding1DArgs } from './layers/reshaping/zero_padding1d';
export { Cropping1D } from './layers/reshaping/cropping1d';
export type { Cropping1DArgs } from './layers/reshaping/cropping1d';
export { Conv2D } from './layers/convolutional/conv2d';
export type { Conv2DArgs } from './layers/convolutional/conv2d';
export { Pooling2D } from './layers/pooling/pooling2d';
export type { Pooling2DArgs } from './layers/pooling/pooling2d';
export { GlobalPooling2D } from './layers/pooling/global_pooling2d';
export type { GlobalPooling2DArgs } from './layers/pooling/global_pooling2d';
export { MaxPooling2D, MaxPool2D } from './layers/pooling/max_pooling2d';
export type { MaxPooling2DArgs } from './layers/pooling/max_pooling2d';
export { AveragePooling2D, AvgPool2D } from './layers/pooling/average_pooling2d';
export type { AveragePooling2DArgs } from './layers/pooling/average_pooling2d';
export { GlobalAveragePooling2D, GlobalAvgPool2D } from './layers/pooling/global_average_pooling2d';
export type { GlobalAveragePooling2DArgs } from './layers/pooling/global_average_pooling2d';
export { GlobalMaxPooling2D, GlobalMaxPool2D } from './layers/pooling/global_max_pooling2d';
export type { GlobalMaxPooling2DArgs } from './layers/pooling/global_max_pooling2d';
export { ZeroPadding2D } from './layers/reshaping/zero_padding2d';
export type { ZeroPadding2DArgs } from './layers/reshaping/zero_padding2d';
export { UpSampling2D } from './layers/reshaping/up_sampling2d';
export type { UpSampling2DArgs } from './layers/reshaping/up_sampling2d';
export { Cropping2D } from './layers/reshaping/cropping2d';
export type { Cropping2DArgs } from './layers/reshaping/cropping2d';
export { BatchNormalization } from './layers/normalization/batch_normalization';
export type { BatchNormalizationArgs } from './layers/normalization/batch_normalization';
// Noise and regularization layers
export { GaussianNoise } from './layers/noise/gaussian_noise';
export type { GaussianNoiseArgs } from './layers/noise/gaussian_noise';
export { GaussianDropout } from './layers/noise/gaussian_dropout';
export type { GaussianDropoutArgs } from './layers/noise/gaussian_dropout';
export { AlphaDropout } from './layers/noise/alpha_dropout';
export type { AlphaDropoutArgs } from './layers/noise/alpha_dropout';
export { ActivityRegularization } from './layers/regularization/activity_regularization';
export type { ActivityRegularizationArgs } from './layers/regularization/activity_regularization';
// Activation layers (the classes Softmax/ELU/... of activation functions keep their names; these are the layers)
export { LeakyReLU as LeakyReLULayer } from './layers/advanced_activations/leaky_relu';
export type { LeakyReLUArgs } from './layers/advanced_activations/leaky_relu';
export { PReLU as PReLULayer } from './layers/advanced_activations/prelu';
export type { PReLUArgs } from './layers/advanced_activations/prelu';
export { ELU as ELULayer } from './layers/advanced_activations/elu';
export type { ELUArgs } from './layers/advanced_activations/elu';
export { ThresholdedReLU as ThresholdedReLULayer } from './layers/advanced_activations/thresholded_relu';
export type { ThresholdedReLUArgs } from './layers/advanced_activations/thresholded_relu';
export { Softmax as SoftmaxLayer } from './layers/advanced_activations/softmax';
export type { SoftmaxArgs } from './layers/advanced_activations/softmax';
export { ReLU as ReLULayer } from './layers/advanced_activations/relu';
export type { ReLUArgs } from './layers/advanced_activations/relu';
// LAYERS-EXPORTS (add new exports above this line)
