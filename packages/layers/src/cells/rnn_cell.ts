/**
 * RNNCell: the base of recurrent cells. A cell computes ONE time step,
 * `call([x, ...states], kwargs) → [output, ...newStates]`, and knows nothing of sequences:
 * core `rnn()` and the `RNN` layer own time, masking, direction and state.
 *
 * Also here: the helpers the RNN layer uses for any cell (built-in or user-written):
 * state sizes, building a cell under the layer's weight-name scope, and variational dropout masks.
 */
import { describeValue } from '../engine/args';
import { formatShape, generatorFor, RandomGenerator, SequenceKernel, shapesEqual, Tensor, tensor, ValueError } from '@recurrent/core';
import { CallKwargs, Layer, LayerArgs, Shape } from '../engine/layer';
import type { ConfigDict } from '../serialization/registry';

/**
 * What the RNN layer needs from a cell: a Layer with a `stateSize` and a one-step `call`.
 * Any Layer subclass with these works (it does not have to extend `RNNCell`).
 */
export interface RecurrentCell extends Layer {
  /** Size of each state (a number for one state, an array for several, e.g. LSTM [units, units]). */
  readonly stateSize: number | number[];
  /** Size of the output (default: the first state size). */
  readonly outputSize?: number;
}

/** Args of `RNNCell` (those of every layer). */
export type RNNCellArgs = LayerArgs;

/** The state sizes of a cell as an array. */
export function stateSizesOf(cell: { stateSize: number | number[] }): number[] {
  return Array.isArray(cell.stateSize) ? cell.stateSize.slice() : [cell.stateSize];
}

/** The output size of a cell: `outputSize` when present, else its first state size. */
export function outputSizeOf(cell: { stateSize: number | number[]; outputSize?: number }): number {
  return typeof cell.outputSize === 'number' ? cell.outputSize : stateSizesOf(cell)[0];
}

/**
 * The flat states of stacked cells (the cells in reverse order, as tfjs; each cell's own states in order) as one
 * list per cell, cell 0 first; `counts[k]` is cell k's number of states.
 */
export function nestStates<T>(counts: number[], states: T[]): T[][] {
  const nested: T[][] = [];
  let at = 0;
  for (let k = counts.length - 1; k >= 0; k--) {
    nested[k] = states.slice(at, at + counts[k]);
    at += counts[k];
  }
  return nested;
}

/** Per-cell states (cell 0 first) as the flat list of `nestStates`. */
export function flattenStates<T>(nested: T[][]): T[] {
  const flat: T[] = [];
  for (let k = nested.length - 1; k >= 0; k--) flat.push(...nested[k]);
  return flat;
}

/** True when `x` looks like a recurrent cell (a Layer with a numeric `stateSize`). */
export function isRecurrentCell(x: unknown): x is RecurrentCell {
  if (!(x instanceof Layer)) return false;
  const s = (x as { stateSize?: unknown }).stateSize;
  return typeof s === 'number' || (Array.isArray(s) && s.length > 0 && s.every((v) => typeof v === 'number'));
}

/**
 * Builds `cell` for `inputShape` in the weight-name scope `scope` (see `Layer.maybeBuild`): tfjs names
 * an LSTM layer's weights 'lstm/kernel' (the layer passes `null`: no cell segment) and a stacked
 * cell's 'rnn/RNNCell_0/kernel'. Does nothing when the cell is already built.
 */
export function buildCellInScope(cell: Layer, scope: string | null, inputShape: Shape | Shape[]): void {
  cell.maybeBuild(inputShape, scope);
}

/**
 * `count` variational dropout masks of `shape`: each element is 1/(1 − rate) with probability
 * 1 − rate, else 0 (Keras/tfjs scaling). Drawn from `rng`.
 */
export function makeDropoutMasks(rate: number, shape: number[], count: number, rng: RandomGenerator): Tensor[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const scale = rate < 1 ? 1 / (1 - rate) : 0;
  const out: Tensor[] = [];
  for (let k = 0; k < count; k++) {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.next() >= rate ? scale : 0;
    out.push(tensor(v, shape.slice(), 'float32'));
  }
  return out;
}

/** A dropout rate clipped to [0, 1] as tfjs does; throws naming the layer unless it is a number. */
export function checkRate(layerName: string, name: string, rate: unknown): number {
  if (typeof rate !== 'number' || Number.isNaN(rate)) {
    throw new ValueError(`Layer ${layerName}: ${name} must be a number in [0, 1], received ${describeValue(rate)}.`);
  }
  return Math.min(1, Math.max(0, rate));
}

/**
 * Base class of recurrent cells. A subclass sets `stateSize`, creates its weights in `build(inputShape)`
 * (`inputShape` is one step's `[batch, ...features]`) and implements one step in `call`:
 *
 * ```ts
 * class MinimalRNNCell extends RNNCell {
 *   static override className = 'MinimalRNNCell';
 *   readonly stateSize: number;
 *   constructor(args: {units: number}) { super({}); this.stateSize = args.units; }
 *   override build(s: Shape) { this.kernel = this.addWeight('kernel', [s[s.length - 1]!, this.stateSize]); }
 *   override call([x, h]: Tensor[]) { const y = tanh(add(matMul(x, this.kernel), h)); return [y, y]; }
 * }
 * layers.rnn({cell: new MinimalRNNCell({units: 4})}).apply(x);
 * ```
 *
 * Dropout: cells with `dropout`/`recurrentDropout` draw their masks once per sequence (variational
 * dropout, Keras): the RNN layer calls `resetDropoutMasks()` before each sequence, and the first
 * `getDropoutMasks`/`getRecurrentDropoutMasks` of the sequence draws them (only when `training` is
 * true), later steps reuse them. The fused kernel receives the very same masks.
 */
export abstract class RNNCell extends Layer {
  static override className = 'RNNCell';
  /** Size of each state: a number for one state, an array for several (LSTM [units, units]). */
  abstract readonly stateSize: number | number[];
  /** Fraction of the inputs dropped (variational, training only). 0 by default. */
  dropout = 0;
  /** Fraction of the recurrent state dropped (variational, training only). 0 by default. */
  recurrentDropout = 0;
  /** Seed of the cell's own mask generator, or null for the global generator. */
  seed: number | null = null;
  /** Number of per-gate masks (LSTM 4, GRU 3, SimpleRNN 1), as Keras's per-gate dropout. */
  protected dropoutMaskCount = 1;
  private rng: RandomGenerator | null = null;
  private inputMasks: Tensor[] | null = null;
  private recurrentMasks: Tensor[] | null = null;

  constructor(args: RNNCellArgs = {}) {
    super(args);
  }

  /** Size of the output: the first state size. */
  get outputSize(): number {
    return stateSizesOf(this)[0];
  }

  /** Sets the dropout rates and seed (subclass constructors call this). */
  protected setDropout(dropout: number | undefined, recurrentDropout: number | undefined, seed: number | null | undefined): void {
    this.dropout = checkRate(this.name, 'dropout', dropout ?? 0);
    this.recurrentDropout = checkRate(this.name, 'recurrentDropout', recurrentDropout ?? 0);
    this.seed = seed ?? null;
    this.rng = this.seed === null ? null : generatorFor(this.seed);
  }

  /** Forgets the masks of the previous sequence (the RNN layer calls this before each sequence). */
  resetDropoutMasks(): void {
    this.inputMasks = null;
    this.recurrentMasks = null;
  }

  /**
   * The input dropout masks of the current sequence (`dropoutMaskCount` tensors [batch, inputDim]),
   * drawn on first use; null when not training or `dropout` is 0.
   */
  getDropoutMasks(batch: number, inputDim: number, training: boolean | undefined): Tensor[] | null {
    return this.sequenceDropoutMasks('input', [batch, inputDim], training);
  }

  /** The recurrent dropout masks of the current sequence ([batch, units] each), as `getDropoutMasks`. */
  getRecurrentDropoutMasks(batch: number, units: number, training: boolean | undefined): Tensor[] | null {
    return this.sequenceDropoutMasks('recurrent', [batch, units], training);
  }

  /**
   * The `dropoutMaskCount` masks of `shape` for the inputs (rate `dropout`) or the recurrent state (rate
   * `recurrentDropout`): drawn on the first call of the sequence, then reused while the shape is the same;
   * null when not training or the rate is 0.
   */
  protected sequenceDropoutMasks(kind: 'input' | 'recurrent', shape: number[], training: boolean | undefined): Tensor[] | null {
    const rate = kind === 'input' ? this.dropout : this.recurrentDropout;
    if (!training || rate <= 0) return null;
    const current = kind === 'input' ? this.inputMasks : this.recurrentMasks;
    if (current && shapesEqual(current[0].shape, shape)) return current;
    const masks = makeDropoutMasks(rate, shape, this.dropoutMaskCount, this.rng ?? generatorFor());
    if (kind === 'input') this.inputMasks = masks;
    else this.recurrentMasks = masks;
    return masks;
  }

  /**
   * A whole-sequence fused kernel equivalent to running `call` at every step, or null when this
   * cell (with its current options) has none. The RNN layer attaches it to the step function so
   * core `rnn()` delegates the loop to it. The base class has none.
   */
  sequenceKernel(_kwargs: CallKwargs): SequenceKernel | null {
    return null;
  }

  /** Splits `[x, ...states]` of a step, checking the state count (errors name the cell). */
  protected splitStepInputs(inputs: Tensor | Tensor[]): [Tensor, Tensor[]] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const n = stateSizesOf(this).length;
    if (list.length !== 1 + n) {
      throw new ValueError(
        `Layer ${this.name}: a cell step takes [inputs, ...states] with ${n} state(s), received ${list.length} tensor(s)` +
          ` (shapes ${list.map((t) => (t instanceof Tensor ? formatShape(t.shape) : typeof t)).join(', ')}).`,
      );
    }
    return [list[0], list.slice(1)];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = (inputShape.length > 0 && Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    const batch = shapes[0][0] ?? null;
    return [[batch, this.outputSize], ...stateSizesOf(this).map((s) => [batch, s])];
  }

  override getConfig(): ConfigDict {
    return super.getConfig();
  }
}
