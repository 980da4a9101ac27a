/**
 * BahdanauAttentionCell: wraps a recurrent cell so that each step attends over the encoder outputs (Bahdanau
 * additive attention with the previous hidden state as the query) and feeds the context to the inner cell.
 */
import {
  add,
  additiveScores,
  concat,
  expandDims,
  formatShape,
  matMul,
  mul,
  reshape,
  softmax,
  squeeze,
  stack,
  sub,
  Tensor,
  ValueError,
} from '@recurrent/core';
import { checkArgKeys, checkNumberArg, LAYER_ARG_KEYS } from '../engine/args';
import type { CallKwargs, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
import { getInitializer, InitializerIdentifier, serializeInitializer } from '../initializers';
import { Initializer } from '../initializers/initializer';
import { deserialize, serialize } from '../serialization/registry';
import type { BuiltinClasses, ConfigDict, SerializedObject } from '../serialization/registry';
import { LEAF_CELLS } from './builtin_cells';
import { StackedRNNCells } from './stacked_rnn_cells';
import { floatMask, MASK_PENALTY } from '../layers/attention_utils';
import { buildCellInScope, isRecurrentCell, outputSizeOf, RecurrentCell, RNNCell, RNNCellArgs, stateSizesOf } from './rnn_cell';

/** The built-in cells an attention cell can wrap (found by name when its cell comes serialized). */
const INNER_CELLS: BuiltinClasses = { classes: [...LEAF_CELLS.classes, StackedRNNCells], selfValidating: LEAF_CELLS.selfValidating };

/** Args of `BahdanauAttentionCell`. */
export interface BahdanauAttentionCellArgs extends RNNCellArgs {
  /** The decoder cell (an instance or `{className, config}`); it receives `[x_t, context_t]` concatenated. */
  cell: RecurrentCell | SerializedObject;
  /** Size of the attention's hidden layer (the `W₁h + W₂e` space). */
  units: number;
  /** Initializer of the attention kernels and of v (default 'glorotUniform'). */
  kernelInitializer?: InitializerIdentifier | Initializer | SerializedObject;
}

/**
 * Attention inside the time loop (Bahdanau et al. 2015): at step t, with h = the inner cell's first state
 * (h_{t−1}) and the encoder outputs e [batch, Te, encDim] given as `constants`,
 *
 *   score_s = vᵀ tanh(W_q h + b + W_m e_s),  α = softmax(score) over s (encoder-mask 0 → −1e9),
 *   c_t = Σ_s α_s e_s,  [y_t, states_t] = cell([x_t, c_t], states_{t−1}).
 *
 * Use it through `layers.rnn({cell})` with `constants: [encoderOutputs]` or `[encoderOutputs, encoderMask]`;
 * W_m e is computed once per sequence. Weights: 'attention_query_kernel' [stateSize, units],
 * 'attention_memory_kernel' [encDim, units], 'attention_bias' [units], 'attention_v' [units], then the inner
 * cell's (named `.../<cell name>/...`). The weights α of the steps run since the last sequence started are
 * in `alignmentHistory()` ([batch, steps, Te]).
 *
 * ```js
 * const enc = layers.lstm({units: 32, returnSequences: true}).apply(xEnc);            // [batch, Te, 32]
 * const dec = layers.rnn({cell: layers.attentionCell({cell: layers.lstmCell({units: 32}), units: 16}), returnSequences: true});
 * const y = dec.apply(xDec, {constants: [enc]});                                        // [batch, Td, 32]
 * ```
 */
export class BahdanauAttentionCell extends RNNCell {
  static override className = 'BahdanauAttentionCell';
  readonly cell: RecurrentCell;
  readonly units: number;
  readonly kernelInitializer: Initializer;
  /** Tells the RNN layer to build this cell with the constants' shapes. */
  readonly buildsWithConstants = true;
  queryKernel: LayerVariable | null = null;
  memoryKernel: LayerVariable | null = null;
  attentionBias: LayerVariable | null = null;
  attentionV: LayerVariable | null = null;
  private readonly preparedKeys = new WeakSet<Tensor>();
  private alignments: Tensor[] = [];

  constructor(args: BahdanauAttentionCellArgs) {
    if (!args || typeof args !== 'object') {
      throw new ValueError(`BahdanauAttentionCell: expected an args object like {cell, units}, received ${String(args)}.`);
    }
    checkArgKeys('BahdanauAttentionCell', args, ['cell', 'units', 'kernelInitializer', ...LAYER_ARG_KEYS]);
    super(args);
    checkNumberArg(this.name, 'units', args.units, { integer: true, min: 1 });
    if (args.units == null) throw new ValueError(`Layer ${this.name}: units (the attention size) is required.`);
    const cell = (
      isRecurrentCell(args.cell)
        ? args.cell
        : args.cell && typeof args.cell === 'object'
          ? deserialize(args.cell as SerializedObject, 'layer', {}, INNER_CELLS)
          : null
    ) as RecurrentCell | null;
    if (!isRecurrentCell(cell)) {
      throw new ValueError(
        `Layer ${this.name}: cell must be a recurrent cell (a Layer with a numeric stateSize), received ${args.cell === null ? 'null' : typeof args.cell}.`,
      );
    }
    this.cell = cell;
    this.units = args.units;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform');
  }

  /** The inner cell's state sizes. */
  get stateSize(): number | number[] {
    return this.cell.stateSize;
  }

  /** The inner cell's output size. */
  override get outputSize(): number {
    return outputSizeOf(this.cell);
  }

  /**
   * Builds from `[stepShape [batch, inputDim], encoderOutputsShape [batch, Te, encDim], encoderMaskShape?]`
   * (the RNN layer passes these when `constants` are given).
   */
  override build(inputShape: Shape | Shape[]): void {
    const shapes = inputShape.length > 0 && Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : null;
    if (!shapes || shapes.length < 2) {
      throw new ValueError(
        `Layer ${this.name}: needs the encoder outputs as constants to build: use layers.rnn({cell}).apply(x, {constants: [encoderOutputs]}) ` +
          `(received only the step input shape ${formatShape((shapes ? shapes[0] : inputShape) as Shape)}).`,
      );
    }
    const [step, memory] = shapes;
    const inputDim = step[step.length - 1];
    const encDim = memory[memory.length - 1];
    if (memory.length !== 3 || typeof encDim !== 'number' || typeof inputDim !== 'number') {
      throw new ValueError(
        `Layer ${this.name}: the encoder outputs (constants[0]) must have shape [batch, Te, encDim] with known encDim and the step input a known last dimension, received ${formatShape(memory)} and ${formatShape(step)}.`,
      );
    }
    const h = stateSizesOf(this.cell)[0];
    this.queryKernel = this.addWeight('attention_query_kernel', [h, this.units], undefined, this.kernelInitializer);
    this.memoryKernel = this.addWeight('attention_memory_kernel', [encDim, this.units], undefined, this.kernelInitializer);
    this.attentionBias = this.addWeight('attention_bias', [this.units], undefined, 'zeros');
    this.attentionV = this.addWeight('attention_v', [this.units], undefined, this.kernelInitializer);
    buildCellInScope(this.cell, this.cell.name, [step[0], inputDim + encDim]);
    this.built = true;
  }

  /** Standalone use: `cell.apply([x, ...states], {constants: [encoderOutputs]})` builds from the constants' shapes. */
  protected override standardizeCallArgs(inputs: Tensor | Tensor[], kwargs: CallKwargs): [Tensor | Tensor[], CallKwargs] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const consts = this.constantList(kwargs);
    if (!this.built && list[0] instanceof Tensor) this.maybeBuild([list[0].shape.slice(), ...consts.map((c) => c.shape.slice())]);
    return [inputs, kwargs];
  }

  private constantList(kwargs: CallKwargs | undefined): Tensor[] {
    const c = kwargs?.constants;
    const list = c === undefined || c === null ? [] : Array.isArray(c) ? c : [c];
    if (list.length === 0) {
      throw new ValueError(
        `Layer ${this.name}: needs constants [encoderOutputs] or [encoderOutputs, encoderMask] (pass them to the RNN layer's apply).`,
      );
    }
    return list;
  }

  /**
   * Once per sequence (the RNN layer calls it): checks the constants and projects the encoder outputs,
   * returning `[encoderOutputs, mask|encoderOutputs, keys]` for the steps. Clears the alignment history.
   */
  prepareConstants(constants: Tensor[]): Tensor[] {
    this.alignments = [];
    const [memory, mask] = this.checkConstants(constants);
    const keys = this.projectMemory(memory);
    this.preparedKeys.add(keys);
    return [memory, mask ?? memory, keys];
  }

  private checkConstants(constants: Tensor[]): [Tensor, Tensor | null] {
    if (constants.length < 1 || constants.length > 2) {
      throw new ValueError(
        `Layer ${this.name}: constants must be [encoderOutputs] or [encoderOutputs, encoderMask], received ${constants.length} tensor(s).`,
      );
    }
    const [memory, mask] = constants;
    const encDim = this.memoryKernel!.shape[0];
    if (memory.rank !== 3 || memory.shape[2] !== encDim) {
      throw new ValueError(
        `Layer ${this.name}: the encoder outputs (constants[0]) must have shape [batch, Te, ${encDim}], received ${formatShape(memory.shape)}.`,
      );
    }
    if (mask && (mask.rank !== 2 || mask.shape[0] !== memory.shape[0] || mask.shape[1] !== memory.shape[1])) {
      throw new ValueError(
        `Layer ${this.name}: the encoder mask (constants[1]) must have shape [${memory.shape[0]}, ${memory.shape[1]}] ([batch, Te]), received ${formatShape(mask.shape)}.`,
      );
    }
    return [memory, mask ? floatMask(mask) : null];
  }

  /** W_m e: [batch, Te, encDim] → [batch, Te, units]. */
  private projectMemory(memory: Tensor): Tensor {
    const [b, te, d] = memory.shape;
    return reshape(matMul(reshape(memory, [b * te, d]), this.memoryKernel!), [b, te, this.units]);
  }

  /** The attention weights α of every step since the current sequence started, [batch, steps, Te] (null before any step). */
  alignmentHistory(): Tensor | null {
    return this.alignments.length === 0 ? null : stack(this.alignments, 1);
  }

  override resetDropoutMasks(): void {
    (this.cell as Partial<RNNCell>).resetDropoutMasks?.call(this.cell);
  }

  /** One step: `[x_t, ...states]` with `kwargs.constants` → `[y_t, ...newStates]` of the inner cell. */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor[] {
    const [x, states] = this.splitStepInputs(inputs);
    const consts = this.constantList(kwargs);
    let memory: Tensor;
    let mask: Tensor | null;
    let keys: Tensor;
    if (consts.length === 3 && this.preparedKeys.has(consts[2])) {
      memory = consts[0];
      mask = consts[1] === consts[0] ? null : consts[1];
      keys = consts[2];
    } else {
      [memory, mask] = this.checkConstants(consts);
      keys = this.projectMemory(memory);
    }
    if (memory.shape[0] !== x.shape[0]) {
      throw new ValueError(
        `Layer ${this.name}: the encoder outputs have batch ${memory.shape[0]} but the step input ${formatShape(x.shape)} has batch ${x.shape[0]}.`,
      );
    }
    const query = add(matMul(states[0], this.queryKernel!), this.attentionBias!); // [batch, units]
    // vᵀ tanh(keys + query) for every encoder step, in one pass.
    let scores = squeeze(additiveScores(expandDims(query, 1), keys, this.attentionV!), [1]); // [batch, Te]
    if (mask) scores = sub(scores, mul(sub(1, mask), MASK_PENALTY));
    const alpha = softmax(scores, -1);
    this.alignments.push(alpha);
    const context = squeeze(matMul(expandDims(alpha, 1), memory), [1]); // [batch, encDim]
    const out = this.cell.call([concat([x, context], -1), ...states], { training: kwargs.training });
    return Array.isArray(out) ? out : [out];
  }

  override get trainableWeights(): LayerVariable[] {
    if (!this.trainable) return [];
    return [...super.trainableWeights, ...this.cell.trainableWeights];
  }

  override get nonTrainableWeights(): LayerVariable[] {
    if (!this.trainable) return [...super.nonTrainableWeights, ...this.cell.weights];
    return [...super.nonTrainableWeights, ...this.cell.nonTrainableWeights];
  }

  override get trainable(): boolean {
    return this.trainable_;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    if (this.cell) this.cell.trainable = value;
  }

  override regularizationLosses(): Tensor[] {
    return [...super.regularizationLosses(), ...this.cell.regularizationLosses()];
  }

  override dispose(): void {
    super.dispose();
    this.cell.dispose();
  }

  override getConfig(): ConfigDict {
    return {
      cell: serialize(this.cell),
      units: this.units,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      ...super.getConfig(),
    };
  }
}
