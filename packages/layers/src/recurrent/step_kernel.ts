/**
 * One time step of the built-in cells on Float32Arrays, for streaming inference: a stateful layer fed one
 * step per call, and `Sequential.step`. The fused whole-sequence kernels pay a per-sequence setup (copies
 * of the weights into wasm memory, packing of the recurrent kernel) that dominates at one time step; this
 * path runs core's one-step kernels (`createStepKernel`), which keep the packed weights resident.
 *
 * Inference only: no dropout, no tape. `oneStepApply` enters autograd as one node whose backward recomputes
 * the step with the differentiable fused op, so gradients stay correct if someone differentiates through it.
 *
 * Short sequences at small batch (`sequenceApply`, e.g. `predict` on one [1, 50, 16] sequence) run the same
 * kernel step after step inside wasm: the fused sequence kernel copies and packs the weights on every call and
 * multiplies by the recurrent kernel with a gemm tile meant for many rows, which at batch 1 costs more than
 * the arithmetic; the step kernel keeps the weights packed between calls and multiplies a row by a
 * matrix-vector product.
 */
import {
  add,
  createStepKernel,
  customGrad,
  getKernelActivation,
  grads,
  isRecording,
  KernelActivation,
  mul,
  reshape,
  SequenceKernel,
  StepCellKind,
  StepKernel,
  sum,
  Tensor,
} from '@recurrent/core';
import type { ActivationFn } from '../activations/activation_fn';
import type { Layer } from '../engine/layer';
import { kernelActivationName } from '../cells/cell_options';
import type { GRUCell } from '../cells/gru_cell';
import type { LSTMCell } from '../cells/lstm_cell';
import { flattenStates, nestStates, RNNCell, stateSizesOf } from '../cells/rnn_cell';
import type { SimpleRNNCell } from '../cells/simple_rnn_cell';
import type { StackedRNNCells } from '../cells/stacked_rnn_cells';
import { exactCellKindOf } from '../engine/class_brands';

/**
 * One step: `x` holds `batch` rows of the cell's input, `states` the cell's states ([batch·size] each, in
 * `stateSize` order). Returns NEW state arrays (the inputs are not modified); the step's output is the
 * first of them (h).
 */
export type CellStepFunction = (x: Float32Array, batch: number, states: Float32Array[]) => Float32Array[];

function values(t: Tensor | null): Float32Array | null {
  return t ? (t.values as Float32Array) : null;
}

/** Activations of a cell as kernel activations, or null when one has no kernel twin (custom functions). */
function kernelActivations(...fns: ActivationFn[]): KernelActivation[] | null {
  const out: KernelActivation[] = [];
  for (const f of fns) {
    const name = kernelActivationName(f);
    if (!name) return null;
    out.push(getKernelActivation(name, 'step'));
  }
  return out;
}

/**
 * A whole sequence of inference steps: `xs` holds `batch` rows of `timeSteps` inputs ([batch, timeSteps,
 * inputDim], row-major), `states` the initial states (as `CellStepFunction`). Returns the final states (NEW
 * arrays, the first is h) and, when `wantSequence`, every step's output [batch, timeSteps, units] in
 * processing order (reversed with `goBackwards`), else null.
 */
export type CellSequenceFunction = (
  xs: Float32Array,
  batch: number,
  timeSteps: number,
  states: Float32Array[],
  goBackwards: boolean,
  wantSequence: boolean,
) => { states: Float32Array[]; sequence: Float32Array | null };

/** The inference functions of one built-in cell, sharing one step kernel (and its resident weights). */
interface CellKernels {
  step: CellStepFunction;
  run: CellSequenceFunction;
  /** Frees the kernels' resident memory (a later call creates them again). */
  release(): void;
  /** Bytes of wasm memory the kernels keep resident. */
  residentBytes(): number;
  /** The cell's weights (fixed once the cell is built), for the per-call "is a gradient recorded" check. */
  weights: Tensor[];
}

/**
 * The step and sequence functions of one LSTM/GRU/SimpleRNN cell on core's `createStepKernel` (weights
 * packed once and kept resident, in wasm memory on the wasm backend), or null when one of its activations has
 * no kernel twin. The weights are read at every call: a Variable swaps its values array on assign, so
 * `setWeights` (an identity check) sees later `setWeights`/training.
 */
function coreKernels(cell: LSTMCell | GRUCell | SimpleRNNCell, kind: StepCellKind): CellKernels | null {
  const gated = 'recurrentActivation' in cell; // LSTM and GRU
  const acts = gated ? kernelActivations(cell.options.activation, cell.recurrentActivation) : kernelActivations(cell.options.activation);
  if (!acts) return null;
  const resetAfter = 'resetAfter' in cell && cell.resetAfter;
  const U = cell.units;
  const lstm = kind === 'lstm';
  let k: StepKernel | null = null;
  const kernel = (): StepKernel => {
    const W = cell.kernel!.values as Float32Array;
    const R = cell.recurrentKernel!.values as Float32Array;
    const bias = values(cell.bias);
    if (!k) {
      k = createStepKernel(kind, W, R, bias, { activation: acts[0].name, recurrentActivation: acts[1]?.name, resetAfter });
    } else {
      k.setWeights(W, R, bias);
    }
    return k;
  };
  return {
    // h, c and the sequence get buffers of their own, exactly their size: model.step hands h and c out as
    // state a caller may transfer to a worker (`postMessage(s, [s.layers[0].h.buffer])`), and predict's output
    // may be written out through `.buffer`. Sharing one allocation saved ~0.3 µs of a W4 step but made such a
    // transfer or write carry (or detach) the other arrays too.
    step: (x, B, states) => {
      const h2 = new Float32Array(B * U);
      const c2 = lstm ? new Float32Array(B * U) : null;
      kernel().step(x, states[0], lstm ? states[1] : null, h2, c2, B);
      return lstm ? [h2, c2 as Float32Array] : [h2];
    },
    run: (xs, B, T, [h, c], goBackwards, wantSequence) => {
      const h2 = new Float32Array(B * U);
      const c2 = lstm ? new Float32Array(B * U) : null;
      const sequence = wantSequence ? new Float32Array(B * T * U) : null;
      kernel().run(xs, T, h, lstm ? c : null, h2, c2, { batch: B, goBackwards, sequenceOutputs: sequence });
      return { states: lstm ? [h2, c2 as Float32Array] : [h2], sequence };
    },
    release: () => {
      k?.dispose();
      k = null;
    },
    residentBytes: () => (k ? k.residentBytes : 0),
    weights: cell.weights,
  };
}

function stackedKernels(cell: StackedRNNCells): CellKernels | null {
  const inner = cell.cells.map((c) => cellKernels(c));
  if (inner.some((s) => s === null)) return null;
  const ks = inner as CellKernels[];
  const counts = cell.cells.map((c) => stateSizesOf(c).length);
  return {
    step: (x, B, states) => {
      const nested = nestStates(counts, states);
      let input = x;
      const next: Float32Array[][] = [];
      ks.forEach((k, i) => {
        next[i] = k.step(input, B, nested[i]);
        input = next[i][0];
      });
      return flattenStates(next);
    },
    // Cell i + 1 reads cell i's outputs in processing order, so only the first cell runs backwards.
    run: (xs, B, T, states, goBackwards, wantSequence) => {
      const nested = nestStates(counts, states);
      let input = xs;
      let sequence: Float32Array | null = null;
      const next: Float32Array[][] = [];
      ks.forEach((k, i) => {
        const last = i === ks.length - 1;
        const r = k.run(input, B, T, nested[i], goBackwards && i === 0, !last || wantSequence);
        next[i] = r.states;
        sequence = r.sequence;
        if (!last) input = r.sequence as Float32Array;
      });
      return { states: flattenStates(next), sequence };
    },
    release: () => ks.forEach((k) => k.release()),
    residentBytes: () => ks.reduce((n, k) => n + k.residentBytes(), 0),
    weights: cell.weights,
  };
}

const kernelCache = new WeakMap<Layer, CellKernels | null>();

/** The inference kernels of a built, built-in cell (see `cellStepFunction`), or null. */
function cellKernels(cell: Layer): CellKernels | null {
  if (!cell.built) return null;
  const cached = kernelCache.get(cell);
  if (cached !== undefined) return cached;
  let fn: CellKernels | null = null;
  // Exact classes only: a subclass may override call(). (Checked without importing the classes: class_brands.ts.)
  const kind = exactCellKindOf(cell);
  if (kind === 'stacked') fn = stackedKernels(cell as StackedRNNCells);
  else if (kind !== null) fn = coreKernels(cell as LSTMCell | GRUCell | SimpleRNNCell, kind);
  kernelCache.set(cell, fn);
  return fn;
}

/**
 * The inference step of a built, built-in cell (LSTMCell, GRUCell, SimpleRNNCell, or StackedRNNCells of
 * those) with activations the fused kernels know, or null (custom cells and activations: use `cell.call`).
 * Reads the weights at every call, so later `setWeights`/training is seen.
 */
export function cellStepFunction(cell: Layer): CellStepFunction | null {
  return cellKernels(cell)?.step ?? null;
}

/** The whole-sequence inference function of the same cells as `cellStepFunction` (same kernel), or null. */
export function cellSequenceFunction(cell: Layer): CellSequenceFunction | null {
  return cellKernels(cell)?.run ?? null;
}

/**
 * Frees the resident (wasm) memory of the cell's step kernel, if it has one; a later inference call makes it
 * again. Recurrent layers call it from `dispose()`.
 */
export function releaseCellKernels(cell: Layer): void {
  kernelCache.get(cell)?.release();
}

/** Bytes of wasm memory the cell's inference kernels keep resident (0 when none); a diagnostics and test hook. */
export function cellKernelResidentBytes(cell: Layer): number {
  return kernelCache.get(cell)?.residentBytes() ?? 0;
}

/** Whether an op on x, the states and the weights would be recorded (`isRecording` without building one list per call). */
function recording(x: Tensor, initial: Tensor[], weights: Tensor[]): boolean {
  return isRecording(weights) || isRecording(initial) || (x.requiresGrad && isRecording([x]));
}

/**
 * Runs ONE time step of `cell` on `x` [batch, 1, inputDim] from `initial` states: `[output [batch, units],
 * output as [batch, 1, units], newStates]`, or null when the cell has no inference step. One autograd node:
 * its backward differentiates the cell's fused sequence op (inference mode) over that one step.
 */
export function oneStepApply(cell: Layer, x: Tensor, initial: Tensor[]): [Tensor, Tensor, Tensor[]] | null {
  if (x.rank !== 3 || x.shape[1] !== 1 || x.dtype !== 'float32') return null;
  if (initial.some((s) => s.dtype !== 'float32' || s.rank !== 2)) return null;
  const kernels = cellKernels(cell);
  if (!kernels) return null;
  const step = kernels.step;
  const batch = x.shape[0];
  const n = initial.length;
  if (!recording(x, initial, kernels.weights)) {
    // Inference (predict, stateful streaming): no tape node, so no closures or gradient bookkeeping per call.
    const states: Float32Array[] = [];
    for (const t of initial) states.push(t.values as Float32Array);
    const next = step(x.values as Float32Array, batch, states);
    const units = next[0].length / batch;
    const outStates: Tensor[] = [];
    for (let i = 0; i < next.length; i++) outStates.push(new Tensor(next[i], [batch, initial[i].shape[1]], 'float32'));
    return [new Tensor(next[0], [batch, units], 'float32'), new Tensor(next[0], [batch, 1, units], 'float32'), outStates];
  }
  const inputs = [x, ...initial, ...kernels.weights];
  const op = customGrad((...args: unknown[]) => {
    const ins = args.slice(0, inputs.length) as Tensor[]; // customGrad appends its save function
    const next = step(
      ins[0].values as Float32Array,
      batch,
      ins.slice(1, 1 + n).map((t) => t.values as Float32Array),
    );
    const units = next[0].length / batch;
    const value = [
      new Tensor(next[0], [batch, units], 'float32'),
      new Tensor(next[0], [batch, 1, units], 'float32'),
      ...next.map((v, i) => new Tensor(v, initial[i].shape.slice(), 'float32')),
    ];
    const gradFunc = (dys: Tensor[]): Tensor[] => {
      const kernel = (cell as RNNCell).sequenceKernel({ training: false }) as SequenceKernel;
      return grads((...a: Tensor[]) => {
        const [last, , states] = kernel(a[0], a.slice(1, 1 + n), {
          goBackwards: false,
          mask: null,
          constants: [],
          needPerStepOutputs: false,
        });
        let total = sum(mul(last, add(dys[0], reshape(dys[1], [batch, units]))));
        states.forEach((s, i) => (total = add(total, sum(mul(s, dys[2 + i])))));
        return total;
      })(ins);
    };
    return { value, gradFunc };
  });
  const out = op(...inputs);
  return [out[0], out[1], out.slice(2)];
}

/**
 * Largest batch `sequenceApply` takes. At batch 1 the step kernel (one matrix-vector product per step) ran
 * 3-4x faster than the fused kernel (lstm 16→64 × 50 steps, 32→128 × 20, 64→256 × 100); from 2 rows on both
 * multiply with the same gemm tile and came out within noise of each other, so the fused kernel keeps them.
 */
export const SEQUENCE_APPLY_MAX_BATCH = 1;

/** Zeros shared by every zero initial state of `sequenceApply` (the kernels only read their initial states). */
let sharedZeros = new Float32Array(0);

function zerosOf(n: number): Float32Array {
  if (sharedZeros.length < n) sharedZeros = new Float32Array(n);
  return sharedZeros.subarray(0, n);
}

/**
 * Runs `cell` over the whole sequence `x` [batch, timeSteps, inputDim] from `initial` states (null: zeros), in inference,
 * through the cell's step kernel (weights packed once and kept while the weight arrays are unchanged):
 * `[lastOutput [batch, units], sequenceOutputs [batch, timeSteps, units] (processing order) or null, finalStates]`.
 * Null when this path does not apply: a gradient is being recorded, a cell or activation without a step
 * kernel, non-float32 inputs, or more than `SEQUENCE_APPLY_MAX_BATCH` rows (no masks or dropout: the caller
 * checks). Same numbers as the fused kernel up to float32 rounding (the sums run in another order).
 */
export function sequenceApply(
  cell: Layer,
  x: Tensor,
  initial: Tensor[] | null,
  goBackwards: boolean,
  returnSequences: boolean,
): [Tensor, Tensor | null, Tensor[]] | null {
  if (x.rank !== 3 || x.dtype !== 'float32' || x.shape[0] > SEQUENCE_APPLY_MAX_BATCH || x.shape[0] < 1 || x.shape[1] < 1) return null;
  if (initial) for (const s of initial) if (s.dtype !== 'float32' || s.rank !== 2) return null;
  const kernels = cellKernels(cell);
  if (!kernels || recording(x, initial ?? [], kernels.weights)) return null;
  const run = kernels.run;
  const [batch, T] = x.shape;
  const sizes = initial ? initial.map((t) => t.shape[1]) : stateSizesOf(cell as RNNCell);
  const states: Float32Array[] = [];
  if (initial) for (const t of initial) states.push(t.values as Float32Array);
  else for (const s of sizes) states.push(zerosOf(batch * s));
  const r = run(x.values as Float32Array, batch, T, states, goBackwards, returnSequences);
  const units = r.states[0].length / batch;
  const outStates: Tensor[] = [];
  for (let i = 0; i < r.states.length; i++) outStates.push(new Tensor(r.states[i], [batch, sizes[i]], 'float32'));
  const seq = r.sequence ? new Tensor(r.sequence, [batch, T, units], 'float32') : null;
  return [new Tensor(r.states[0], [batch, units], 'float32'), seq, outStates];
}
