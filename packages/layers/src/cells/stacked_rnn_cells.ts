/** StackedRNNCells: several cells run as one cell (each step feeds the next cell's output upward). */
import { checkArgsOf } from '../serialization/registry';
import { formatShape, SequenceKernel, SequenceKernelArgs, Tensor, tensor, ValueError } from '@recurrent/core';
import { firstInputShape } from '../engine/layer';
import type { CallKwargs, Shape } from '../engine/layer';
import { describeArg } from '../engine/args';
import type { LayerVariable } from '../engine/layer_variable';
import { deserialize, serialize } from '../serialization/registry';
import type { ConfigDict, SerializedObject } from '../serialization/registry';
import { LEAF_CELLS } from './builtin_cells';
import {
  buildCellInScope,
  flattenStates,
  isRecurrentCell,
  nestStates,
  outputSizeOf,
  RecurrentCell,
  RNNCell,
  RNNCellArgs,
  stateSizesOf,
} from './rnn_cell';
import { CELL_KIND_BRAND } from '../engine/class_brands';

/** Args of `StackedRNNCells`. */
export interface StackedRNNCellsArgs extends RNNCellArgs {
  /** The cells, bottom first (instances or `{className, config}`); at least one. */
  cells: (RecurrentCell | SerializedObject)[];
}

/**
 * Several cells as one: at each step cell k receives the output of cell k−1 (cell 0 the input).
 *
 * State order (as tfjs): the flat state list holds the cells in REVERSE order, each cell's own states
 * in order, so `stateSize[0]` is the output size. For cells [lstm(2), simpleRNN(3)] the states are
 * [h_simple, h_lstm, c_lstm]; `returnState` and `initialState` use this order.
 * Weights: the cells' weights, cell 0 first; inside an RNN layer they are named `${layer}/RNNCell_${k}/...`.
 */
export class StackedRNNCells extends RNNCell {
  static override className = 'StackedRNNCells';
  /** @internal Which built-in cell this is (`cellKindOf`, engine/class_brands.ts). */
  get [CELL_KIND_BRAND](): 'stacked' {
    return 'stacked';
  }
  readonly cells: RecurrentCell[];

  constructor(args: StackedRNNCellsArgs) {
    if (!args || typeof args !== 'object' || !Array.isArray(args.cells) || args.cells.length === 0) {
      throw new ValueError(
        `StackedRNNCells: expected {cells: [cell, ...]} with at least one cell, received ${describeArg(args, 'cells')}.`,
      );
    }
    super(args);
    this.cells = args.cells.map((c, k) => {
      const cell = (isRecurrentCell(c) ? c : deserialize(c as SerializedObject, 'layer', {}, LEAF_CELLS)) as RecurrentCell;
      if (!isRecurrentCell(cell)) {
        throw new ValueError(`Layer ${this.name}: cells[${k}] is not a recurrent cell (a Layer with a numeric stateSize).`);
      }
      return cell;
    });
    // Validate the option bag once the object is complete (direct `new StackedRNNCells(...)`; factories and files check too).
    if (new.target === StackedRNNCells) checkArgsOf(this, args);
  }

  /** All cells' state sizes, last cell first (tfjs order). */
  get stateSize(): number[] {
    const out: number[] = [];
    for (const cell of this.cells.slice().reverse()) out.push(...stateSizesOf(cell));
    return out;
  }

  /** The top cell's output size. */
  override get outputSize(): number {
    return outputSizeOf(this.cells[this.cells.length - 1]);
  }

  /** Splits the flat (reverse cell order) state list into one list per cell, cell 0 first. */
  nestStates(states: Tensor[]): Tensor[][] {
    return nestStates(
      this.cells.map((cell) => stateSizesOf(cell).length),
      states,
    );
  }

  /** Flattens per-cell states (cell 0 first) into the flat reverse-cell-order list. */
  flattenStates(nested: Tensor[][]): Tensor[] {
    return flattenStates(nested);
  }

  override build(inputShape: Shape | Shape[]): void {
    let shape = firstInputShape(inputShape).slice();
    this.cells.forEach((cell, k) => {
      buildCellInScope(cell, `RNNCell_${k}`, shape);
      shape = [shape[0], outputSizeOf(cell)];
    });
    this.built = true;
  }

  /** One step of every cell: `[x, ...states]` → `[output of the top cell, ...newStates]` (flat, tfjs order). */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor[] {
    const [x, states] = this.splitStepInputs(inputs);
    const nested = this.nestStates(states);
    let h = x;
    const next: Tensor[][] = [];
    this.cells.forEach((cell, k) => {
      const out = cell.call([h, ...nested[k]], kwargs) as Tensor[];
      h = out[0];
      next.push(out.slice(1));
    });
    return [h, ...this.flattenStates(next)];
  }

  override resetDropoutMasks(): void {
    for (const cell of this.cells) (cell as Partial<RNNCell>).resetDropoutMasks?.call(cell);
  }

  /**
   * The cells' fused kernels chained over the whole sequence (cell k's per-step outputs are cell k+1's
   * inputs), or null unless every cell has one. Equivalent to the step-by-step stack: a masked step keeps
   * every cell's states and repeats the output. With goBackwards only cell 0 reverses; its outputs are
   * already in processing order, so the cells above run forward with the reversed mask.
   */
  override sequenceKernel(kwargs: CallKwargs): SequenceKernel | null {
    const kernels = this.cells.map((c) => (c instanceof RNNCell ? c.sequenceKernel(kwargs) : null));
    if (kernels.some((k) => k === null)) return null;
    return (inputs: Tensor, states: Tensor[], args: SequenceKernelArgs) => {
      const nested = this.nestStates(states);
      let x = inputs;
      let last = inputs;
      const next: Tensor[][] = [];
      const upperMask = args.mask && args.goBackwards ? reverseTime(args.mask) : args.mask;
      kernels.forEach((kernel, k) => {
        const top = k === kernels.length - 1;
        const [l, seq, st] = kernel!(x, nested[k], {
          goBackwards: k === 0 ? args.goBackwards : false,
          mask: k === 0 ? args.mask : upperMask,
          constants: args.constants,
          needPerStepOutputs: top ? args.needPerStepOutputs : true,
        });
        last = l;
        x = seq;
        next.push(st);
      });
      return [last, x, this.flattenStates(next)];
    };
  }

  override get trainableWeights(): LayerVariable[] {
    if (!this.trainable) return [];
    return this.cells.flatMap((c) => c.trainableWeights);
  }

  override get nonTrainableWeights(): LayerVariable[] {
    if (!this.trainable) return this.cells.flatMap((c) => c.weights);
    return this.cells.flatMap((c) => c.nonTrainableWeights);
  }

  override get trainable(): boolean {
    return this.trainable_;
  }

  override set trainable(value: boolean) {
    this.trainable_ = value;
    for (const c of this.cells) c.trainable = value;
  }

  override regularizationLosses(): Tensor[] {
    return this.cells.flatMap((c) => c.regularizationLosses());
  }

  override ownAddedLosses(): Tensor[] {
    return [...super.ownAddedLosses(), ...this.cells.flatMap((c) => c.ownAddedLosses())];
  }

  override clearAddedLosses(): void {
    super.clearAddedLosses();
    for (const c of this.cells) c.clearAddedLosses();
  }

  override dispose(): void {
    for (const c of this.cells) c.dispose();
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = (inputShape.length > 0 && Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    const batch = shapes[0][0] ?? null;
    return [[batch, this.outputSize], ...this.stateSize.map((s) => [batch, s])];
  }

  override getConfig(): ConfigDict {
    return { cells: this.cells.map((c) => serialize(c)), ...super.getConfig() };
  }
}

/** A [batch, time] 0/1 mask with the time axis reversed (not differentiable; masks have no gradient). */
function reverseTime(mask: Tensor): Tensor {
  if (mask.rank !== 2) throw new ValueError(`StackedRNNCells: expected a [batch, time] mask, received ${formatShape(mask.shape)}.`);
  const [B, T] = mask.shape;
  const v = mask.values;
  const out = new Float32Array(B * T);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) out[b * T + t] = v[b * T + (T - 1 - t)];
  return tensor(out, [B, T], 'float32');
}
