/**
 * The built-in layers and cells other than the wrappers: what a wrapper (TimeDistributed, Bidirectional) finds
 * by name when its inner layer comes serialized outside a model file (builtins.ts adds the wrappers; a wrapper
 * cannot import them without an import cycle). New layers append their class here.
 */
import { Activation } from './layers/activation';
import { Dense } from './layers/dense';
import { Dropout } from './layers/dropout';
import { Flatten } from './layers/flatten';
import { InputLayer } from './layers/input_layer';
import { Permute } from './layers/permute';
import { RepeatVector } from './layers/repeat_vector';
import { Reshape } from './layers/reshape';
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
import { ConvLSTM2DCell } from './cells/conv_lstm2d_cell';
import { ConvLSTM2D } from './recurrent/conv_lstm2d';
import { ConvLSTM1DCell } from './cells/conv_lstm1d_cell';
import { ConvLSTM1D } from './recurrent/conv_lstm1d';
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
import { Rescaling } from './layers/preprocessing/rescaling';
import { CategoryEncoding } from './layers/preprocessing/category_encoding';
import { Conv2D } from './layers/convolutional/conv2d';
import { MaxPool2D, MaxPooling2D } from './layers/pooling/max_pooling2d';
import { AveragePooling2D, AvgPool2D } from './layers/pooling/average_pooling2d';
import { GlobalAveragePooling2D, GlobalAvgPool2D } from './layers/pooling/global_average_pooling2d';
import { GlobalMaxPool2D, GlobalMaxPooling2D } from './layers/pooling/global_max_pooling2d';
import { ZeroPadding2D } from './layers/reshaping/zero_padding2d';
import { UpSampling2D } from './layers/reshaping/up_sampling2d';
import { Cropping2D } from './layers/reshaping/cropping2d';
import type { BuiltinClasses, SerializableClass } from './serialization/registry';

/**
 * Built-in classes that check their whole option bag in their own constructor (with the Keras-only keys they
 * accept, e.g. BatchNormalization's `synchronized`); the others are checked against their `getConfig()` keys by the
 * registry when deserialized.
 */
export const SELF_VALIDATING: SerializableClass[] = [
  Concatenate,
  Add,
  Subtract,
  Multiply,
  Average,
  Maximum,
  Minimum,
  Dot,
  ConvLSTM2DCell,
  ConvLSTM2D,
  ConvLSTM1DCell,
  ConvLSTM1D,
  Attention,
  AdditiveAttention,
  MultiHeadAttention,
  BahdanauAttentionCell,
  Conv1D,
  SeparableConv1D,
  DepthwiseConv1D,
  MaxPooling1D,
  MaxPool1D,
  AveragePooling1D,
  AvgPool1D,
  UpSampling1D,
  ZeroPadding1D,
  Cropping1D,
  BatchNormalization,
  GaussianNoise,
  GaussianDropout,
  AlphaDropout,
  ActivityRegularization,
  LeakyReLULayer,
  PReLULayer,
  ELULayer,
  ThresholdedReLULayer,
  SoftmaxLayer,
  ReLULayer,
  Conv2D,
  MaxPooling2D,
  MaxPool2D,
  AveragePooling2D,
  AvgPool2D,
  GlobalAveragePooling2D,
  GlobalAvgPool2D,
  GlobalMaxPooling2D,
  GlobalMaxPool2D,
  ZeroPadding2D,
  UpSampling2D,
  Cropping2D,
  TextVectorization,
  Rescaling,
  CategoryEncoding,
];

/** The built-in layers and cells except the wrappers; `selfValidating` as SELF_VALIDATING. */
export const BUILTIN_LAYERS: BuiltinClasses = {
  classes: [
    Activation,
    Dense,
    Dropout,
    Flatten,
    InputLayer,
    Permute,
    RepeatVector,
    Reshape,
    Embedding,
    Masking,
    SpatialDropout1D,
    GlobalAveragePooling1D,
    GlobalMaxPooling1D,
    LayerNormalization,
    SimpleRNNCell,
    GRUCell,
    LSTMCell,
    StackedRNNCells,
    RNN,
    SimpleRNN,
    GRU,
    LSTM,
    ...SELF_VALIDATING,
    // LAYERS (add new classes above this line; self-validating ones to SELF_VALIDATING)
  ],
  selfValidating: SELF_VALIDATING,
};
