/**
 * The built-in layer classes by className, each imported on first use: what the asynchronous
 * `loadLayersModel` uses, so that an application bundles (in chunks it loads) only the classes its model files
 * name, while tfjs's behaviour stays (any built-in class loads with no extra code). The synchronous lookups
 * (`deserialize`, `modelFromArtifacts`, `fromConfig`) use the static list (builtins.ts); a test checks that both
 * name the same classes.
 */
import type { BuiltinClasses, SerializableClass } from './registry';
import { registeredClassNames } from './registry';

/** className → [import of the class, true when it checks its own args (builtin_layers.ts SELF_VALIDATING)]. */
const LAYER_IMPORTS: { [className: string]: [() => Promise<SerializableClass>, boolean?] } = {
  Activation: [() => import('../layers/activation').then((m) => m.Activation)],
  Dense: [() => import('../layers/dense').then((m) => m.Dense)],
  Dropout: [() => import('../layers/dropout').then((m) => m.Dropout)],
  Flatten: [() => import('../layers/flatten').then((m) => m.Flatten)],
  InputLayer: [() => import('../layers/input_layer').then((m) => m.InputLayer)],
  Permute: [() => import('../layers/permute').then((m) => m.Permute)],
  RepeatVector: [() => import('../layers/repeat_vector').then((m) => m.RepeatVector)],
  Reshape: [() => import('../layers/reshape').then((m) => m.Reshape)],
  Embedding: [() => import('../layers/embedding').then((m) => m.Embedding)],
  Masking: [() => import('../layers/masking').then((m) => m.Masking)],
  SpatialDropout1D: [() => import('../layers/spatial_dropout1d').then((m) => m.SpatialDropout1D)],
  GlobalAveragePooling1D: [() => import('../layers/global_average_pooling1d').then((m) => m.GlobalAveragePooling1D)],
  GlobalMaxPooling1D: [() => import('../layers/global_max_pooling1d').then((m) => m.GlobalMaxPooling1D)],
  LayerNormalization: [() => import('../layers/layer_normalization').then((m) => m.LayerNormalization)],
  SimpleRNNCell: [() => import('../cells/simple_rnn_cell').then((m) => m.SimpleRNNCell)],
  GRUCell: [() => import('../cells/gru_cell').then((m) => m.GRUCell)],
  LSTMCell: [() => import('../cells/lstm_cell').then((m) => m.LSTMCell)],
  StackedRNNCells: [() => import('../cells/stacked_rnn_cells').then((m) => m.StackedRNNCells)],
  RNN: [() => import('../recurrent/rnn').then((m) => m.RNN)],
  SimpleRNN: [() => import('../recurrent/simple_rnn').then((m) => m.SimpleRNN)],
  GRU: [() => import('../recurrent/gru').then((m) => m.GRU)],
  LSTM: [() => import('../recurrent/lstm').then((m) => m.LSTM)],
  Concatenate: [() => import('../layers/merge/concatenate').then((m) => m.Concatenate), true],
  Add: [() => import('../layers/merge/add').then((m) => m.Add), true],
  Subtract: [() => import('../layers/merge/subtract').then((m) => m.Subtract), true],
  Multiply: [() => import('../layers/merge/multiply').then((m) => m.Multiply), true],
  Average: [() => import('../layers/merge/average').then((m) => m.Average), true],
  Maximum: [() => import('../layers/merge/maximum').then((m) => m.Maximum), true],
  Minimum: [() => import('../layers/merge/minimum').then((m) => m.Minimum), true],
  Dot: [() => import('../layers/merge/dot').then((m) => m.Dot), true],
  ConvLSTM2DCell: [() => import('../cells/conv_lstm2d_cell').then((m) => m.ConvLSTM2DCell), true],
  ConvLSTM2D: [() => import('../recurrent/conv_lstm2d').then((m) => m.ConvLSTM2D), true],
  ConvLSTM1DCell: [() => import('../cells/conv_lstm1d_cell').then((m) => m.ConvLSTM1DCell), true],
  ConvLSTM1D: [() => import('../recurrent/conv_lstm1d').then((m) => m.ConvLSTM1D), true],
  Attention: [() => import('../layers/attention').then((m) => m.Attention), true],
  AdditiveAttention: [() => import('../layers/additive_attention').then((m) => m.AdditiveAttention), true],
  MultiHeadAttention: [() => import('../layers/multi_head_attention').then((m) => m.MultiHeadAttention), true],
  BahdanauAttentionCell: [() => import('../cells/bahdanau_attention_cell').then((m) => m.BahdanauAttentionCell), true],
  Conv1D: [() => import('../layers/convolutional/conv1d').then((m) => m.Conv1D), true],
  SeparableConv1D: [() => import('../layers/convolutional/separable_conv1d').then((m) => m.SeparableConv1D), true],
  DepthwiseConv1D: [() => import('../layers/convolutional/depthwise_conv1d').then((m) => m.DepthwiseConv1D), true],
  MaxPooling1D: [() => import('../layers/pooling/max_pooling1d').then((m) => m.MaxPooling1D), true],
  MaxPool1D: [() => import('../layers/pooling/max_pooling1d').then((m) => m.MaxPool1D), true],
  AveragePooling1D: [() => import('../layers/pooling/average_pooling1d').then((m) => m.AveragePooling1D), true],
  AvgPool1D: [() => import('../layers/pooling/average_pooling1d').then((m) => m.AvgPool1D), true],
  UpSampling1D: [() => import('../layers/reshaping/up_sampling1d').then((m) => m.UpSampling1D), true],
  ZeroPadding1D: [() => import('../layers/reshaping/zero_padding1d').then((m) => m.ZeroPadding1D), true],
  Cropping1D: [() => import('../layers/reshaping/cropping1d').then((m) => m.Cropping1D), true],
  BatchNormalization: [() => import('../layers/normalization/batch_normalization').then((m) => m.BatchNormalization), true],
  GaussianNoise: [() => import('../layers/noise/gaussian_noise').then((m) => m.GaussianNoise), true],
  GaussianDropout: [() => import('../layers/noise/gaussian_dropout').then((m) => m.GaussianDropout), true],
  AlphaDropout: [() => import('../layers/noise/alpha_dropout').then((m) => m.AlphaDropout), true],
  ActivityRegularization: [() => import('../layers/regularization/activity_regularization').then((m) => m.ActivityRegularization), true],
  LeakyReLU: [() => import('../layers/advanced_activations/leaky_relu').then((m) => m.LeakyReLU), true],
  PReLU: [() => import('../layers/advanced_activations/prelu').then((m) => m.PReLU), true],
  ELU: [() => import('../layers/advanced_activations/elu').then((m) => m.ELU), true],
  ThresholdedReLU: [() => import('../layers/advanced_activations/thresholded_relu').then((m) => m.ThresholdedReLU), true],
  Softmax: [() => import('../layers/advanced_activations/softmax').then((m) => m.Softmax), true],
  ReLU: [() => import('../layers/advanced_activations/relu').then((m) => m.ReLU), true],
  TextVectorization: [() => import('../layers/preprocessing/text_vectorization').then((m) => m.TextVectorization), true],
  Rescaling: [() => import('../layers/preprocessing/rescaling').then((m) => m.Rescaling), true],
  CategoryEncoding: [() => import('../layers/preprocessing/category_encoding').then((m) => m.CategoryEncoding), true],
  Conv2D: [() => import('../layers/convolutional/conv2d').then((m) => m.Conv2D), true],
  MaxPooling2D: [() => import('../layers/pooling/max_pooling2d').then((m) => m.MaxPooling2D), true],
  MaxPool2D: [() => import('../layers/pooling/max_pooling2d').then((m) => m.MaxPool2D), true],
  AveragePooling2D: [() => import('../layers/pooling/average_pooling2d').then((m) => m.AveragePooling2D), true],
  AvgPool2D: [() => import('../layers/pooling/average_pooling2d').then((m) => m.AvgPool2D), true],
  GlobalAveragePooling2D: [() => import('../layers/pooling/global_average_pooling2d').then((m) => m.GlobalAveragePooling2D), true],
  GlobalAvgPool2D: [() => import('../layers/pooling/global_average_pooling2d').then((m) => m.GlobalAvgPool2D), true],
  GlobalMaxPooling2D: [() => import('../layers/pooling/global_max_pooling2d').then((m) => m.GlobalMaxPooling2D), true],
  GlobalMaxPool2D: [() => import('../layers/pooling/global_max_pooling2d').then((m) => m.GlobalMaxPool2D), true],
  ZeroPadding2D: [() => import('../layers/reshaping/zero_padding2d').then((m) => m.ZeroPadding2D), true],
  UpSampling2D: [() => import('../layers/reshaping/up_sampling2d').then((m) => m.UpSampling2D), true],
  Cropping2D: [() => import('../layers/reshaping/cropping2d').then((m) => m.Cropping2D), true],
  TimeDistributed: [() => import('../wrappers/time_distributed').then((m) => m.TimeDistributed)],
  Bidirectional: [() => import('../wrappers/bidirectional').then((m) => m.Bidirectional)],
};

/** The className of every built-in layer class (cells and wrappers included), sorted. */
export const BUILTIN_LAYER_NAMES: readonly string[] = Object.keys(LAYER_IMPORTS).sort();

/**
 * The built-in layer classes among `names` (other names are skipped: custom classes come from the registry),
 * imported, as the registry's lookups take them.
 *
 * ```js
 * const builtins = await importBuiltinLayers(['LSTM', 'Dense']);
 * ```
 */
export async function importBuiltinLayers(names: Iterable<string>): Promise<BuiltinClasses> {
  const wanted = [...new Set(names)].filter((n) => Object.prototype.hasOwnProperty.call(LAYER_IMPORTS, n));
  const classes = await Promise.all(wanted.map((n) => LAYER_IMPORTS[n][0]()));
  return { classes, selfValidating: classes.filter((_, i) => LAYER_IMPORTS[wanted[i]][1] === true) };
}

/** Every layer class name a lookup can find without importing: the registered ones and the built-in ones, sorted. */
export function knownLayerClassNames(): string[] {
  return [...new Set([...registeredClassNames('layer'), ...BUILTIN_LAYER_NAMES])].sort();
}
