/** SimpleRNNCell: one step of a fully connected RNN, h' = act(x·W + b + h·U). */
import { checkArgsOf } from '../serialization/registry';
import { add, matMul, mul, SequenceKernel, simpleRNNSequence, Tensor } from '@recurrent/core';
import type { CallKwargs, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
import type { ConfigDict } from '../serialization/registry';
import {
  addCellWeights,
  BaseRNNCellArgs,
  cellOptionsConfig,
  checkCellArgs,
  fusedSequenceKernel,
  resolveCellOptions,
  ResolvedCellOptions,
} from './cell_options';
import { RNNCell } from './rnn_cell';
import { CELL_KIND_BRAND } from '../engine/class_brands';

/** Args of `SimpleRNNCell` (tfjs `SimpleRNNCellLayerArgs`); see `BaseRNNCellArgs` for each option. */
export type SimpleRNNCellArgs = BaseRNNCellArgs;

/**
 * One step of a simple RNN: `h' = activation(x·kernel + bias + h·recurrent_kernel)`; the output is h'.
 * Weights: 'kernel' [inputDim, units], 'recurrent_kernel' [units, units], 'bias' [units].
 *
 * ```js
 * const cell = layers.simpleRNNCell({units: 4});
 * const [y, h] = cell.apply([x, h0]);         // one step: x [batch, inputDim], h0 [batch, 4]
 * layers.rnn({cell}).apply(sequence);        // the whole sequence
 * ```
 */
export class SimpleRNNCell extends RNNCell {
  static override className = 'SimpleRNNCell';
  /** @internal Which built-in cell this is (`cellKindOf`, engine/class_brands.ts). */
  get [CELL_KIND_BRAND](): 'simpleRNN' {
    return 'simpleRNN';
  }
  readonly units: number;
  readonly stateSize: number;
  readonly options: ResolvedCellOptions;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: SimpleRNNCellArgs) {
    checkCellArgs('SimpleRNNCell', args);
    super(args);
    this.options = resolveCellOptions(args);
    this.units = args.units;
    this.stateSize = args.units;
    this.setDropout(args.dropout, args.recurrentDropout, args.seed);
    // Validate the option bag once the object is complete (direct `new SimpleRNNCell(...)`; factories and files check too).
    if (new.target === SimpleRNNCell) checkArgsOf(this, args);
  }

  get activation() {
    return this.options.activation;
  }

  get useBias(): boolean {
    return this.options.useBias;
  }

  override build(inputShape: Shape | Shape[]): void {
    const w = addCellWeights(this, this.options, inputShape, 1);
    this.kernel = w.kernel;
    this.recurrentKernel = w.recurrentKernel;
    this.bias = w.bias;
    this.built = true;
  }

  /** One step: `[x [batch, inputDim], h [batch, units]]` → `[h', h']`. */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor[] {
    const [x, [h]] = this.splitStepInputs(inputs);
    const batch = x.shape[0];
    const dm = this.getDropoutMasks(batch, x.shape[x.rank - 1], kwargs.training);
    const rm = this.getRecurrentDropoutMasks(batch, this.units, kwargs.training);
    let z = matMul(dm ? mul(x, dm[0]) : x, this.kernel!);
    if (this.bias) z = add(z, this.bias);
    z = add(z, matMul(rm ? mul(h, rm[0]) : h, this.recurrentKernel!));
    const out = this.options.activation.apply(z);
    return [out, out];
  }

  /** The fused `simpleRNNSequence` for this cell, or null for an activation the kernel lacks. */
  override sequenceKernel(kwargs: CallKwargs): SequenceKernel | null {
    return fusedSequenceKernel(this, kwargs, null, (inputs, states, options) => {
      const [last, seq, h] = simpleRNNSequence(inputs, this.kernel!, this.recurrentKernel!, this.bias, states[0] ?? null, options);
      return [last, seq, [h]];
    });
  }

  override getConfig(): ConfigDict {
    return { ...cellOptionsConfig(this.options, this.dropout, this.recurrentDropout, this.seed), ...super.getConfig() };
  }
}
