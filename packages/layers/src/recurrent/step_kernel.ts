/**
 * One time step of the built-in cells on Float32Arrays, for streaming inference: a stateful layer fed one
 * step per call, and `Sequential.step`. The fused whole-sequence kernels pay a per-sequence setup (copies
 * of the weights into wasm memory, packing of the recurrent kernel) that dominates at one time step; this
 * path runs core's one-step kernels (`createStepKernel`), which keep the packed weights resident.
 *
 * Inference only: no dropout, no tape. `oneStepApply` enters autograd as one node whose backward recomputes
 * the step with the differentiable fused op, so gradients stay correct if someone differentiates through it.
 */
import {
  add, createStepKernel, customGrad, getKernelActivation, grads, KernelActivation, mul, reshape, SequenceKernel, StepCellKind,
  StepKernel, sum, Tensor,
} from '@recurrent/core';
import type { ActivationFn } from '../activations/activation_fn';
import type { Layer } from '../engine/layer';
import { kernelActivationName } from '../cells/cell_options';
import { GRUCell } from '../cells/gru_cell';
import { LSTMCell } from '../cells/lstm_cell';
import { RNNCell, stateSizesOf } from '../cells/rnn_cell';
import { SimpleRNNCell } from '../cells/simple_rnn_cell';
import { StackedRNNCells } from '../cells/stacked_rnn_cells';

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
 * The step of one LSTM/GRU/SimpleRNN cell on core's `createStepKernel` (weights packed once and kept
 * resident, in wasm memory on the wasm backend). The weights are read at every call: a Variable swaps its
 * values array on assign, so `setWeights` (an identity check) sees later `setWeights`/training.
 */
function coreStep(
  cell: LSTMCell | GRUCell | SimpleRNNCell, kind: StepCellKind, acts: KernelActivation[], resetAfter: boolean,
): CellStepFunction {
  const U = cell.units;
  const lstm = kind === 'lstm';
  let k: StepKernel | null = null;
  return (x, B, [h, c]) => {
    const W = cell.kernel!.values as Float32Array;
    const R = cell.recurrentKernel!.values as Float32Array;
    const bias = values(cell.bias);
    if (!k) {
      k = createStepKernel(kind, W, R, bias, { activation: acts[0].name, recurrentActivation: acts[1]?.name, resetAfter });
    } else {
      k.setWeights(W, R, bias);
    }
    const h2 = new Float32Array(B * U);
    const c2 = lstm ? new Float32Array(B * U) : null;
    k.step(x, h, lstm ? c : null, h2, c2, B);
    return lstm ? [h2, c2 as Float32Array] : [h2];
  };
}

function lstmStep(cell: LSTMCell): CellStepFunction | null {
  const acts = kernelActivations(cell.options.activation, cell.recurrentActivation);
  return acts ? coreStep(cell, 'lstm', acts, false) : null;
}

function gruStep(cell: GRUCell): CellStepFunction | null {
  const acts = kernelActivations(cell.options.activation, cell.recurrentActivation);
  return acts ? coreStep(cell, 'gru', acts, cell.resetAfter) : null;
}

function simpleRNNStep(cell: SimpleRNNCell): CellStepFunction | null {
  const acts = kernelActivations(cell.options.activation);
  return acts ? coreStep(cell, 'simpleRNN', acts, false) : null;
}

function stackedStep(cell: StackedRNNCells): CellStepFunction | null {
  const steps = cell.cells.map((c) => cellStepFunction(c));
  if (steps.some((s) => s === null)) return null;
  const counts = cell.cells.map((c) => stateSizesOf(c).length);
  return (x, B, states) => {
    // Flat states hold the cells in reverse order (tfjs), each cell's own states in order.
    const nested: Float32Array[][] = [];
    let at = 0;
    for (let k = counts.length - 1; k >= 0; k--) {
      nested[k] = states.slice(at, at + counts[k]);
      at += counts[k];
    }
    let input = x;
    const next: Float32Array[][] = [];
    steps.forEach((step, k) => {
      next[k] = step!(input, B, nested[k]);
      input = next[k][0];
    });
    const flat: Float32Array[] = [];
    for (let k = next.length - 1; k >= 0; k--) flat.push(...next[k]);
    return flat;
  };
}

const stepCache = new WeakMap<Layer, CellStepFunction | null>();

/**
 * The inference step of a built, built-in cell (LSTMCell, GRUCell, SimpleRNNCell, or StackedRNNCells of
 * those) with activations the fused kernels know, or null (custom cells and activations: use `cell.call`).
 * Reads the weights at every call, so later `setWeights`/training is seen.
 */
export function cellStepFunction(cell: Layer): CellStepFunction | null {
  if (!cell.built) return null;
  if (stepCache.has(cell)) return stepCache.get(cell)!;
  let fn: CellStepFunction | null = null;
  // Exact classes only: a subclass may override call().
  const proto = Object.getPrototypeOf(cell);
  if (proto === LSTMCell.prototype) fn = lstmStep(cell as LSTMCell);
  else if (proto === GRUCell.prototype) fn = gruStep(cell as GRUCell);
  else if (proto === SimpleRNNCell.prototype) fn = simpleRNNStep(cell as SimpleRNNCell);
  else if (proto === StackedRNNCells.prototype) fn = stackedStep(cell as StackedRNNCells);
  stepCache.set(cell, fn);
  return fn;
}

/**
 * Runs ONE time step of `cell` on `x` [batch, 1, inputDim] from `initial` states: `[output [batch, units],
 * output as [batch, 1, units], newStates]`, or null when the cell has no inference step. One autograd node:
 * its backward differentiates the cell's fused sequence op (inference mode) over that one step.
 */
export function oneStepApply(cell: Layer, x: Tensor, initial: Tensor[]): [Tensor, Tensor, Tensor[]] | null {
  if (x.rank !== 3 || x.shape[1] !== 1 || x.dtype !== 'float32') return null;
  if (initial.some((s) => s.dtype !== 'float32' || s.rank !== 2)) return null;
  const step = cellStepFunction(cell);
  if (!step) return null;
  const batch = x.shape[0];
  const n = initial.length;
  const inputs = [x, ...initial, ...cell.weights];
  const op = customGrad((...args: unknown[]) => {
    const ins = args.slice(0, inputs.length) as Tensor[]; // customGrad appends its save function
    const next = step(ins[0].values as Float32Array, batch, ins.slice(1, 1 + n).map((t) => t.values as Float32Array));
    const units = next[0].length / batch;
    const value = [
      new Tensor(next[0], [batch, units], 'float32'),
      new Tensor(next[0], [batch, 1, units], 'float32'),
      ...next.map((v, i) => new Tensor(v, initial[i].shape.slice(), 'float32')),
    ];
    const gradFunc = (dys: Tensor[]): Tensor[] => {
      const kernel = (cell as RNNCell).sequenceKernel({ training: false }) as SequenceKernel;
      return grads((...a: Tensor[]) => {
        const [last, , states] = kernel(a[0], a.slice(1, 1 + n), { goBackwards: false, mask: null, constants: [], needPerStepOutputs: false });
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
