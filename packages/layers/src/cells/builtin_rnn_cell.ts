/**
 * BuiltinRNNCell: what SimpleRNNCell, GRUCell and LSTMCell share: the common options, the weights
 * 'kernel' [inputDim, G·units], 'recurrent_kernel' [units, G·units] and 'bias', the setup of their fused
 * whole-sequence kernels (activation names, the sequence's dropout masks) and their common config entries.
 */
import { formatShape, SequenceKernel, SequenceKernelArgs, SequenceKernelOptions, Tensor } from '@recurrent/core';
import { ActivationFn } from '../activations/activation_fn';
import { firstInputShape } from '../engine/layer';
import type { CallKwargs, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
import type { Initializer } from '../initializers/initializer';
import type { ConfigDict } from '../serialization/registry';
import {
  addCellWeights,
  BaseRNNCellArgs,
  cellOptionsConfig,
  checkCellArgs,
  kernelActivationName,
  resolveCellOptions,
  ResolvedCellOptions,
} from './cell_options';
import { RNNCell } from './rnn_cell';

/**
 * Base of the built-in cells with G gates (SimpleRNN 1, GRU 3, LSTM 4): checks and resolves the common options,
 * draws one dropout mask per gate. Not a class to extend for a cell of your own: use `RNNCell`.
 */
export abstract class BuiltinRNNCell extends RNNCell {
  readonly units: number;
  readonly options: ResolvedCellOptions;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  /** `className` names the cell in the errors on `args`; `gates` is G. */
  protected constructor(
    className: string,
    args: BaseRNNCellArgs,
    private readonly gates: number,
  ) {
    checkCellArgs(className, args);
    super(args);
    this.options = resolveCellOptions(args);
    this.units = args.units;
    this.dropoutMaskCount = gates;
    this.setDropout(args.dropout, args.recurrentDropout, args.seed);
  }

  get activation(): ActivationFn {
    return this.options.activation;
  }

  get useBias(): boolean {
    return this.options.useBias;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.buildWeights(inputShape);
  }

  /**
   * Adds the weights 'kernel' [inputDim, G·units], 'recurrent_kernel' [units, G·units] and, with `useBias`, 'bias'
   * of `bias.shape` (default [G·units]) initialized by `bias.initializer` (default the `biasInitializer` option),
   * and marks the cell built. `inputShape` is x's shape or `[x, ...states]` shapes. Throws naming the layer unless
   * the last dimension of x is known.
   */
  protected buildWeights(inputShape: Shape | Shape[], bias: { shape?: number[]; initializer?: Initializer } = {}): void {
    const shape = firstInputShape(inputShape);
    const inputDim = shape[shape.length - 1];
    if (typeof inputDim !== 'number') {
      throw new Error(`Layer ${this.name}: the last dimension of the input must be known, received input shape ${formatShape(shape)}.`);
    }
    const cols = this.gates * this.units;
    const w = addCellWeights(this, this.options, [inputDim, cols], [this.units, cols], bias.shape ?? [cols], bias.initializer);
    this.kernel = w.kernel;
    this.recurrentKernel = w.recurrentKernel;
    this.bias = w.bias;
    this.built = true;
  }

  /**
   * The cell's fused sequence kernel: `run` calls the cell's core op with the options every op takes (the
   * activation names, `recurrentActivation`'s when given, and the sequence's dropout masks). Null before
   * the cell is built or when an activation has no kernel twin (the layer then runs `call` step by step).
   */
  protected fusedSequenceKernel(
    kwargs: CallKwargs,
    recurrentActivation: ActivationFn | null,
    run: (inputs: Tensor, states: Tensor[], options: SequenceKernelOptions) => [Tensor, Tensor, Tensor[]],
  ): SequenceKernel | null {
    const activation = kernelActivationName(this.options.activation);
    const recurrent = recurrentActivation ? kernelActivationName(recurrentActivation) : undefined;
    if (!activation || recurrent === null || !this.built) return null;
    const training = kwargs.training;
    return (inputs: Tensor, states: Tensor[], args: SequenceKernelArgs) => {
      const [batch, , inputDim] = inputs.shape;
      const inputDropoutMasks = this.getDropoutMasks(batch, inputDim, training);
      const recurrentDropoutMasks = this.getRecurrentDropoutMasks(batch, this.units, training);
      return run(inputs, states, {
        activation,
        recurrentActivation: recurrent,
        goBackwards: args.goBackwards,
        returnSequences: args.needPerStepOutputs,
        mask: args.mask,
        inputDropoutMasks,
        recurrentDropoutMasks,
        maskedOutputInit: 'zeros',
      });
    };
  }

  override getConfig(): ConfigDict {
    return this.cellConfig();
  }

  /**
   * The config: the common options (with `recurrentActivation` after `activation` when given), the cell's own
   * entries `own`, then the layer's.
   */
  protected cellConfig(recurrentActivation?: ActivationFn, own: ConfigDict = {}): ConfigDict {
    return {
      ...cellOptionsConfig(this.options, this.dropout, this.recurrentDropout, this.seed, recurrentActivation),
      ...own,
      ...super.getConfig(),
    };
  }
}
