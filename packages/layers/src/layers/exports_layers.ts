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
import { TextVectorization, TextVectorizationArgs } from './preprocessing/text_vectorization';
import { Reshape, ReshapeArgs } from './reshape';
import { Embedding, EmbeddingArgs } from './embedding';
import { Masking, MaskingArgs } from './masking';
import { SpatialDropout1D, SpatialDropout1DArgs } from './spatial_dropout1d';
import { GlobalAveragePooling1D, GlobalAveragePooling1DArgs } from './global_average_pooling1d';
import { GlobalMaxPooling1D, GlobalMaxPooling1DArgs } from './global_max_pooling1d';
import { LayerNormalization, LayerNormalizationArgs } from './layer_normalization';
import { TimeDistributed, TimeDistributedArgs } from '../wrappers/time_distributed';
import { Bidirectional, BidirectionalArgs } from '../wrappers/bidirectional';
import { SimpleRNNCell, SimpleRNNCellArgs } from '../cells/simple_rnn_cell';
import { GRUCell, GRUCellArgs } from '../cells/gru_cell';
import { LSTMCell, LSTMCellArgs } from '../cells/lstm_cell';
import { StackedRNNCells, StackedRNNCellsArgs } from '../cells/stacked_rnn_cells';
import { RNN, RNNArgs } from '../recurrent/rnn';
import { SimpleRNN, SimpleRNNArgs } from '../recurrent/simple_rnn';
import { GRU, GRUArgs } from '../recurrent/gru';
import { LSTM, LSTMArgs } from '../recurrent/lstm';

/** Factory functions for every built-in layer. */
export const layers = {
  activation: (args: ActivationArgs) => new Activation(args),
  dense: (args: DenseArgs) => new Dense(args),
  dropout: (args: DropoutArgs) => new Dropout(args),
  flatten: (args: FlattenArgs = {}) => new Flatten(args),
  inputLayer: (args: InputLayerArgs) => new InputLayer(args),
  permute: (args: PermuteArgs) => new Permute(args),
  repeatVector: (args: RepeatVectorArgs) => new RepeatVector(args),
  textVectorization: (args?: TextVectorizationArgs) => new TextVectorization(args),
  reshape: (args: ReshapeArgs) => new Reshape(args),
  embedding: (args: EmbeddingArgs) => new Embedding(args),
  masking: (args: MaskingArgs = {}) => new Masking(args),
  spatialDropout1d: (args: SpatialDropout1DArgs) => new SpatialDropout1D(args),
  globalAveragePooling1d: (args: GlobalAveragePooling1DArgs = {}) => new GlobalAveragePooling1D(args),
  globalMaxPooling1d: (args: GlobalMaxPooling1DArgs = {}) => new GlobalMaxPooling1D(args),
  globalMaxPool1d: (args: GlobalMaxPooling1DArgs = {}) => new GlobalMaxPooling1D(args),
  layerNormalization: (args: LayerNormalizationArgs = {}) => new LayerNormalization(args),
  timeDistributed: (args: TimeDistributedArgs) => new TimeDistributed(args),
  rnn: (args: RNNArgs) => new RNN(args),
  simpleRNN: (args: SimpleRNNArgs) => new SimpleRNN(args),
  gru: (args: GRUArgs) => new GRU(args),
  lstm: (args: LSTMArgs) => new LSTM(args),
  simpleRNNCell: (args: SimpleRNNCellArgs) => new SimpleRNNCell(args),
  gruCell: (args: GRUCellArgs) => new GRUCell(args),
  lstmCell: (args: LSTMCellArgs) => new LSTMCell(args),
  stackedRNNCells: (args: StackedRNNCellsArgs) => new StackedRNNCells(args),
  bidirectional: (args: BidirectionalArgs) => new Bidirectional(args),
  // LAYERS-FACTORIES (add new factories above this line)
};
