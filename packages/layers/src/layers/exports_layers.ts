/**
 * The `layers` factory namespace, as tfjs's `tf.layers`: `layers.dense({units: 3})`.
 * New layers add one line each above the marker.
 */
import { checkArgsOf } from '../serialization/registry';
import { Layer } from '../engine/layer';
import { Activation, ActivationArgs } from './activation';
import { Dense, DenseArgs } from './dense';
import { Dropout, DropoutArgs } from './dropout';
import { Flatten, FlattenArgs } from './flatten';
import { input, InputLayer, InputLayerArgs } from './input_layer';
import { Permute, PermuteArgs } from './permute';
import { RepeatVector, RepeatVectorArgs } from './repeat_vector';
import { TextVectorization, TextVectorizationArgs } from './preprocessing/text_vectorization';
import { Rescaling, RescalingArgs } from './preprocessing/rescaling';
import { CategoryEncoding, CategoryEncodingArgs } from './preprocessing/category_encoding';
import { Reshape, ReshapeArgs } from './reshape';
import { Embedding, EmbeddingArgs } from './embedding';
import { Masking, MaskingArgs } from './masking';
import { SpatialDropout1D, SpatialDropout1DArgs } from './spatial_dropout1d';
import { GlobalAveragePooling1D, GlobalAveragePooling1DArgs } from './global_average_pooling1d';
import { GlobalMaxPooling1D, GlobalMaxPooling1DArgs } from './global_max_pooling1d';
import { LayerNormalization, LayerNormalizationArgs } from './layer_normalization';
import { Conv1D, Conv1DArgs } from './convolutional/conv1d';
import { DepthwiseConv1D, DepthwiseConv1DArgs } from './convolutional/depthwise_conv1d';
import { SeparableConv1D, SeparableConv1DArgs } from './convolutional/separable_conv1d';
import { MaxPooling1D, MaxPooling1DArgs } from './pooling/max_pooling1d';
import { AveragePooling1D, AveragePooling1DArgs } from './pooling/average_pooling1d';
import { UpSampling1D, UpSampling1DArgs } from './reshaping/up_sampling1d';
import { ZeroPadding1D, ZeroPadding1DArgs } from './reshaping/zero_padding1d';
import { Cropping1D, Cropping1DArgs } from './reshaping/cropping1d';
import { Conv2D, Conv2DArgs } from './convolutional/conv2d';
import { MaxPooling2D, MaxPooling2DArgs } from './pooling/max_pooling2d';
import { AveragePooling2D, AveragePooling2DArgs } from './pooling/average_pooling2d';
import { GlobalAveragePooling2D, GlobalAveragePooling2DArgs } from './pooling/global_average_pooling2d';
import { GlobalMaxPooling2D, GlobalMaxPooling2DArgs } from './pooling/global_max_pooling2d';
import { ZeroPadding2D, ZeroPadding2DArgs } from './reshaping/zero_padding2d';
import { UpSampling2D, UpSampling2DArgs } from './reshaping/up_sampling2d';
import { Cropping2D, Cropping2DArgs } from './reshaping/cropping2d';
import { BatchNormalization, BatchNormalizationArgs } from './normalization/batch_normalization';
import { GaussianNoise, GaussianNoiseArgs } from './noise/gaussian_noise';
import { GaussianDropout, GaussianDropoutArgs } from './noise/gaussian_dropout';
import { AlphaDropout, AlphaDropoutArgs } from './noise/alpha_dropout';
import { ActivityRegularization, ActivityRegularizationArgs } from './regularization/activity_regularization';
import { LeakyReLU, LeakyReLUArgs } from './advanced_activations/leaky_relu';
import { PReLU, PReLUArgs } from './advanced_activations/prelu';
import { ELU, ELUArgs } from './advanced_activations/elu';
import { ThresholdedReLU, ThresholdedReLUArgs } from './advanced_activations/thresholded_relu';
import { Softmax, SoftmaxArgs } from './advanced_activations/softmax';
import { ReLU, ReLUArgs } from './advanced_activations/relu';
import { TimeDistributed, TimeDistributedArgs } from '../wrappers/time_distributed';
import { Bidirectional, BidirectionalArgs } from '../wrappers/bidirectional';
import { SimpleRNNCell, SimpleRNNCellArgs } from '../cells/simple_rnn_cell';
import { GRUCell, GRUCellArgs } from '../cells/gru_cell';
import { LSTMCell, LSTMCellArgs } from '../cells/lstm_cell';
import { StackedRNNCells, StackedRNNCellsArgs } from '../cells/stacked_rnn_cells';
import { RNN } from '../recurrent/rnn';
import { RNNCell } from '../cells/rnn_cell';
import type { RNNArgs } from '../recurrent/base_rnn';
import { SimpleRNN, SimpleRNNArgs } from '../recurrent/simple_rnn';
import { GRU, GRUArgs } from '../recurrent/gru';
import { LSTM, LSTMArgs } from '../recurrent/lstm';
import { ConvLSTM2DCell, ConvLSTM2DCellArgs } from '../cells/conv_lstm2d_cell';
import { ConvLSTM2D, ConvLSTM2DArgs } from '../recurrent/conv_lstm2d';
import { ConvLSTM1DCell, ConvLSTM1DCellArgs } from '../cells/conv_lstm1d_cell';
import { ConvLSTM1D, ConvLSTM1DArgs } from '../recurrent/conv_lstm1d';
import { Add } from './merge/add';
import { Average } from './merge/average';
import { Concatenate, ConcatenateArgs } from './merge/concatenate';
import { Dot, DotArgs } from './merge/dot';
import { Maximum } from './merge/maximum';
import { MergeArgs } from './merge/merge';
import { mergeFactory } from './merge/merge_factory';
import { Minimum } from './merge/minimum';
import { Multiply } from './merge/multiply';
import { Subtract } from './merge/subtract';
import { Attention, AttentionArgs } from './attention';
import { BahdanauAttentionCell, BahdanauAttentionCellArgs } from '../cells/bahdanau_attention_cell';
import { AdditiveAttention, AdditiveAttentionArgs } from './additive_attention';
import { MultiHeadAttention, MultiHeadAttentionArgs } from './multi_head_attention';

/** Constructs `cls` from `args`, then validates the args against its config (unknown keys, booleans, numbers). */
function make<A, T>(cls: new (a: A) => T, args: A): T {
  const obj = new cls(args);
  checkArgsOf(obj, args);
  return obj;
}

/** Factory functions for every built-in layer. */
export const layers = {
  /** The base class of custom layers, as tfjs's `tf.layers.Layer`: `class MyLayer extends layers.Layer {...}`. */
  Layer,
  /** The base class of custom cells, as tfjs's `tf.layers.RNNCell`: `class MyCell extends layers.RNNCell {...}`. */
  RNNCell,
  /** The RNN layer class, as tfjs's `tf.layers.RNN` (a class there too): `new layers.RNN({cell})`; `layers.rnn` makes one. */
  RNN,
  /** A symbolic input of a functional model, as tfjs's `tf.layers.input` (the same function as `input`). */
  input,
  activation: (args: ActivationArgs) => make(Activation, args),
  dense: (args: DenseArgs) => make(Dense, args),
  dropout: (args: DropoutArgs) => make(Dropout, args),
  flatten: (args: FlattenArgs = {}) => make(Flatten, args),
  inputLayer: (args: InputLayerArgs) => make(InputLayer, args),
  permute: (args: PermuteArgs) => make(Permute, args),
  repeatVector: (args: RepeatVectorArgs) => make(RepeatVector, args),
  reshape: (args: ReshapeArgs) => make(Reshape, args),
  embedding: (args: EmbeddingArgs) => make(Embedding, args),
  masking: (args: MaskingArgs = {}) => make(Masking, args),
  spatialDropout1d: (args: SpatialDropout1DArgs) => make(SpatialDropout1D, args),
  globalAveragePooling1d: (args: GlobalAveragePooling1DArgs = {}) => make(GlobalAveragePooling1D, args),
  globalMaxPooling1d: (args: GlobalMaxPooling1DArgs = {}) => make(GlobalMaxPooling1D, args),
  globalMaxPool1d: (args: GlobalMaxPooling1DArgs = {}) => make(GlobalMaxPooling1D, args),
  layerNormalization: (args: LayerNormalizationArgs = {}) => make(LayerNormalization, args),
  timeDistributed: (args: TimeDistributedArgs) => make(TimeDistributed, args),
  rnn: (args: RNNArgs) => make(RNN, args),
  simpleRNN: (args: SimpleRNNArgs) => make(SimpleRNN, args),
  gru: (args: GRUArgs) => make(GRU, args),
  lstm: (args: LSTMArgs) => make(LSTM, args),
  simpleRNNCell: (args: SimpleRNNCellArgs) => make(SimpleRNNCell, args),
  gruCell: (args: GRUCellArgs) => make(GRUCell, args),
  lstmCell: (args: LSTMCellArgs) => make(LSTMCell, args),
  stackedRNNCells: (args: StackedRNNCellsArgs) => make(StackedRNNCells, args),
  bidirectional: (args: BidirectionalArgs) => make(Bidirectional, args),
  textVectorization: (args?: TextVectorizationArgs) => new TextVectorization(args),
  concatenate: mergeFactory((args?: ConcatenateArgs) => new Concatenate(args)),
  add: mergeFactory((args?: MergeArgs) => new Add(args)),
  subtract: mergeFactory((args?: MergeArgs) => new Subtract(args)),
  multiply: mergeFactory((args?: MergeArgs) => new Multiply(args)),
  average: mergeFactory((args?: MergeArgs) => new Average(args)),
  maximum: mergeFactory((args?: MergeArgs) => new Maximum(args)),
  minimum: mergeFactory((args?: MergeArgs) => new Minimum(args)),
  dot: (args: DotArgs) => new Dot(args),
  convLstm2d: (args: ConvLSTM2DArgs) => new ConvLSTM2D(args),
  convLstm2dCell: (args: ConvLSTM2DCellArgs) => new ConvLSTM2DCell(args),
  convLstm1d: (args: ConvLSTM1DArgs) => new ConvLSTM1D(args),
  convLstm1dCell: (args: ConvLSTM1DCellArgs) => new ConvLSTM1DCell(args),
  attention: (args: AttentionArgs = {}) => new Attention(args),
  additiveAttention: (args: AdditiveAttentionArgs = {}) => new AdditiveAttention(args),
  multiHeadAttention: (args: MultiHeadAttentionArgs) => new MultiHeadAttention(args),
  attentionCell: (args: BahdanauAttentionCellArgs) => new BahdanauAttentionCell(args),
  conv1d: (args: Conv1DArgs) => new Conv1D(args),
  separableConv1d: (args: SeparableConv1DArgs) => new SeparableConv1D(args),
  depthwiseConv1d: (args: DepthwiseConv1DArgs) => new DepthwiseConv1D(args),
  maxPooling1d: (args: MaxPooling1DArgs = {}) => new MaxPooling1D(args),
  maxPool1d: (args: MaxPooling1DArgs = {}) => new MaxPooling1D(args),
  averagePooling1d: (args: AveragePooling1DArgs = {}) => new AveragePooling1D(args),
  avgPool1d: (args: AveragePooling1DArgs = {}) => new AveragePooling1D(args),
  avgPooling1d: (args: AveragePooling1DArgs = {}) => new AveragePooling1D(args),
  upSampling1d: (args: UpSampling1DArgs = {}) => new UpSampling1D(args),
  zeroPadding1d: (args: ZeroPadding1DArgs = {}) => new ZeroPadding1D(args),
  cropping1d: (args: Cropping1DArgs = {}) => new Cropping1D(args),
  conv2d: (args: Conv2DArgs) => new Conv2D(args),
  maxPooling2d: (args: MaxPooling2DArgs = {}) => new MaxPooling2D(args),
  maxPool2d: (args: MaxPooling2DArgs = {}) => new MaxPooling2D(args),
  averagePooling2d: (args: AveragePooling2DArgs = {}) => new AveragePooling2D(args),
  avgPool2d: (args: AveragePooling2DArgs = {}) => new AveragePooling2D(args),
  avgPooling2d: (args: AveragePooling2DArgs = {}) => new AveragePooling2D(args),
  globalAveragePooling2d: (args: GlobalAveragePooling2DArgs = {}) => new GlobalAveragePooling2D(args),
  globalMaxPooling2d: (args: GlobalMaxPooling2DArgs = {}) => new GlobalMaxPooling2D(args),
  globalMaxPool2d: (args: GlobalMaxPooling2DArgs = {}) => new GlobalMaxPooling2D(args),
  zeroPadding2d: (args: ZeroPadding2DArgs = {}) => new ZeroPadding2D(args),
  upSampling2d: (args: UpSampling2DArgs = {}) => new UpSampling2D(args),
  cropping2d: (args: Cropping2DArgs = {}) => new Cropping2D(args),
  /** tfjs's spelling of cropping2d. */
  cropping2D: (args: Cropping2DArgs = {}) => new Cropping2D(args),
  batchNormalization: (args: BatchNormalizationArgs = {}) => new BatchNormalization(args),
  gaussianNoise: (args: GaussianNoiseArgs) => new GaussianNoise(args),
  gaussianDropout: (args: GaussianDropoutArgs) => new GaussianDropout(args),
  alphaDropout: (args: AlphaDropoutArgs) => new AlphaDropout(args),
  activityRegularization: (args: ActivityRegularizationArgs = {}) => new ActivityRegularization(args),
  leakyReLU: (args: LeakyReLUArgs = {}) => new LeakyReLU(args),
  prelu: (args: PReLUArgs = {}) => new PReLU(args),
  elu: (args: ELUArgs = {}) => new ELU(args),
  thresholdedReLU: (args: ThresholdedReLUArgs = {}) => new ThresholdedReLU(args),
  softmax: (args: SoftmaxArgs = {}) => new Softmax(args),
  reLU: (args: ReLUArgs = {}) => new ReLU(args),
  rescaling: (args: RescalingArgs) => new Rescaling(args),
  categoryEncoding: (args: CategoryEncodingArgs) => new CategoryEncoding(args),
  // LAYERS-FACTORIES (add new factories above this line)
};
