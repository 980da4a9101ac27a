/**
 * RNN: the recurrent layer over any cell (tfjs `tf.layers.rnn`): a cell instance, an array of cells (stacked into
 * a `StackedRNNCells`) or a serialized `{className, config}`, which may name any built-in cell. The layer itself
 * is `BaseRNN` (base_rnn.ts); this class adds only the cell forms and the `cell` entry of its config, so that the
 * layers with their own cell (SimpleRNN/GRU/LSTM/ConvLSTM2D, which extend BaseRNN) do not import every cell.
 */
import { checkArgsOf, deserialize, serialize } from '../serialization/registry';
import type { BuiltinClasses, ConfigDict, SerializedObject } from '../serialization/registry';
import { describeValue } from '../engine/args';
import { numberArgsMessage } from '../cells/cell_options';
import { LEAF_CELLS } from '../cells/builtin_cells';
import { BahdanauAttentionCell } from '../cells/bahdanau_attention_cell';
import { isRecurrentCell, RecurrentCell } from '../cells/rnn_cell';
import { StackedRNNCells } from '../cells/stacked_rnn_cells';
import { badCellError, BaseRNN, RNNArgs } from './base_rnn';
import { ValueError } from '@recurrent/core';

/** The built-in cells (found by name when the cell comes serialized, e.g. a generic RNN's config). */
const CELLS: BuiltinClasses = {
  classes: [...LEAF_CELLS.classes, StackedRNNCells, BahdanauAttentionCell],
  selfValidating: [...(LEAF_CELLS.selfValidating ?? []), BahdanauAttentionCell],
};

function resolveCell(cell: RNNArgs['cell'], args: RNNArgs): RecurrentCell {
  if (Array.isArray(cell)) return new StackedRNNCells({ cells: cell });
  if (isRecurrentCell(cell)) return cell;
  if (cell && typeof cell === 'object' && typeof (cell as SerializedObject).className === 'string') {
    const c = deserialize<RecurrentCell>(cell as SerializedObject, 'layer', {}, CELLS);
    if (isRecurrentCell(c)) return c;
  }
  throw badCellError(cell, args);
}

/**
 * Runs a cell over the time axis of `[batch, timeSteps, ...features]` inputs (everything as `BaseRNN`).
 *
 * - `apply(x, {mask, initialState, constants, training})`: `mask` [batch, timeSteps] (bool or 0/1) skips steps
 *   (states carry over, the output repeats); `initialState` one tensor per state; `constants` are passed to
 *   every step of the cell as `kwargs.constants` (tfjs note: tfjs throws NotImplemented; Keras supports it).
 *   `apply([x, ...initialStates])` works too.
 * - Built-in cells run the fused whole-sequence kernel (one autograd node, hand-written BPTT) unless
 *   `useFusedKernel` is false or constants are given; custom cells run step by step through `cell.call`.
 * - `x instanceof RNN` is true for every recurrent layer (SimpleRNN, GRU, LSTM, ConvLSTM2D extend `BaseRNN`), as
 *   in tfjs where they extend RNN.
 *
 * ```js
 * const layer = layers.rnn({cell: [layers.lstmCell({units: 8}), layers.gruCell({units: 4})], returnSequences: true});
 * const y = layer.apply(x);   // [batch, timeSteps, 4]
 * ```
 */
export class RNN extends BaseRNN {
  static override className = 'RNN';

  constructor(args: RNNArgs) {
    if (typeof args === 'number') throw new ValueError(numberArgsMessage('RNN', '{cell}', args));
    if (!args || typeof args !== 'object')
      throw new ValueError(`RNN: expected an args object like {cell}, received ${describeValue(args)}.`);
    super({ ...args, cell: resolveCell(args.cell, args) });
    // Validate the option bag once the object is complete (direct `new RNN(...)`; factories and files check too).
    if (new.target === RNN) checkArgsOf(this, args);
  }

  /**
   * `x instanceof RNN`: every `BaseRNN` (the recurrent layers with their own cell extend it, not `RNN`, see the
   * file comment); for a subclass of RNN, the usual prototype check.
   */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return this === RNN ? x instanceof BaseRNN : Function.prototype[Symbol.hasInstance].call(this, x);
  }

  /** BaseRNN's config, plus `cell: {className, config}` (for the class `RNN` itself, as tfjs). */
  override getConfig(): ConfigDict {
    const config = super.getConfig();
    if (this.getClassName() === RNN.className) config.cell = serialize(this.cell);
    return config;
  }
}
