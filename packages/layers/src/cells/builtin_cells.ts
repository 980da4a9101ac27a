/**
 * The built-in cells that hold no other cell, which a stack or an attention cell finds by name when its
 * cells come serialized (`{className, config}`) outside a model file (a model file's classes are all found).
 */
import type { BuiltinClasses } from '../serialization/registry';
import { ConvLSTM1DCell } from './conv_lstm1d_cell';
import { ConvLSTM2DCell } from './conv_lstm2d_cell';
import { GRUCell } from './gru_cell';
import { LSTMCell } from './lstm_cell';
import { SimpleRNNCell } from './simple_rnn_cell';

/** SimpleRNNCell, GRUCell, LSTMCell, ConvLSTM1DCell and ConvLSTM2DCell (the ConvLSTM cells check their own args). */
export const LEAF_CELLS: BuiltinClasses = {
  classes: [SimpleRNNCell, GRUCell, LSTMCell, ConvLSTM1DCell, ConvLSTM2DCell],
  selfValidating: [ConvLSTM1DCell, ConvLSTM2DCell],
};
