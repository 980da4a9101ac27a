/**
 * The `layers` factory namespace, as tfjs's `tf.layers`: `layers.dense({units: 3})`.
 * New layers add one line each above the marker.
 */
import { checkArgsOf } from '../serialization/registry';
import { Activation, ActivationArgs } from './activation';
import { Dense, DenseArgs } from './dense';
import { Dropout, DropoutArgs } from './dropout';
import { Flatten, FlattenArgs } from './flatten';
import { InputLayer, InputLayerArgs } from './input_layer';
import { Permute, PermuteArgs } from './permute';
import { RepeatVector, RepeatVectorArgs } from './repeat_vector';
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

/** Constructs `cls` from `args`, then validates the args against its config (unknown keys, booleans, numbers). */
function make<A, T>(cls: new (a: A) => T, args: A): T {
  const obj = new cls(args);
  checkArgsOf(obj, args);
  return obj;
}

/** Factory functions for every built-in layer. */
export const layers = {
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
  // LAYERS-FACTORIES (add new factories above this line)
};
