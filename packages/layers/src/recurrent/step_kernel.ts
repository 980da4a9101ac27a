/**
 * One time step of the built-in cells on Float32Arrays, for streaming inference: a stateful layer fed one
 * step per call, and `Sequential.step`. The fused whole-sequence kernels pay a per-sequence setup (copies
 * of the weights into wasm memory, packing of the recurrent kernel) that dominates at one time step; this
 * path reads the weights in place and does the step's two small matrix-vector products here.
 *
 * Inference only: no dropout, no tape. `oneStepApply` enters autograd as one node whose backward recomputes
 * the step with the differentiable fused op, so gradients stay correct if someone differentiates through it.
 */
import {
  add, customGrad, getKernelActivation, grads, KernelActivation, mul, reshape, SequenceKernel, sum, Tensor,
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

/** Largest packed copy (elements) a cell keeps for its step; bigger cells multiply the float32 weights in place. */
const MAX_PACKED = 1 << 21;

/**
 * The weights of one step as ONE transposed float64 matrix: row j holds output j's weights over the
 * stacked vector v = [x (D values); h (U values)], so each output is a dot product read straight along a
 * row (no float32→float64 conversion per element, four outputs per pass). Rebuilt when a weight's values
 * change (a Variable swaps its values array on assign, so identity tells).
 */
interface Packed {
  kernel: Float32Array | null;
  recurrent: Float32Array | null;
  /** [N, K] with K = D + U. */
  wt: Float64Array;
  K: number;
  /** Scratch for v (float64). */
  v: Float64Array;
}

/** `packed` for the current weights (kernel [D, N], recurrent [U, N]), or null when too big to keep. */
function pack(prev: Packed | null, kernel: Float32Array, recurrent: Float32Array, D: number, U: number, N: number): Packed | null {
  if (prev && prev.kernel === kernel && prev.recurrent === recurrent) return prev;
  const K = D + U;
  if (N * K > MAX_PACKED) return null;
  const wt = prev && prev.wt.length === N * K ? prev.wt : new Float64Array(N * K);
  for (let k = 0; k < D; k++) for (let j = 0, o = k * N; j < N; j++) wt[j * K + k] = kernel[o + j];
  for (let k = 0; k < U; k++) for (let j = 0, o = k * N; j < N; j++) wt[j * K + D + k] = recurrent[o + j];
  return { kernel, recurrent, wt, K, v: prev && prev.v.length === K ? prev.v : new Float64Array(K) };
}

/**
 * z[d + j] += Σ_{k0 ≤ k < k1} wt[j·K + k]·v[k] for j0 ≤ j < j1, with (j1 − j0) a multiple of 4: four
 * outputs per pass over v. (Kept free of never-taken branches: V8 deoptimizes an optimized loop again and
 * again on a branch it has no type feedback for, which made this 4× slower.)
 */
function dotRows4(
  wt: Float64Array, K: number, j0: number, j1: number, k0: number, k1: number, v: Float64Array, z: Float32Array, d: number,
): void {
  for (let j = j0; j < j1; j += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const a = j * K;
    const b = a + K;
    const c = b + K;
    const e = c + K;
    for (let k = k0; k < k1; k++) {
      const vk = v[k];
      s0 += wt[a + k] * vk;
      s1 += wt[b + k] * vk;
      s2 += wt[c + k] * vk;
      s3 += wt[e + k] * vk;
    }
    z[d + j] += s0;
    z[d + j + 1] += s1;
    z[d + j + 2] += s2;
    z[d + j + 3] += s3;
  }
}

/** `dotRows4` one output at a time (the 0–3 leftover outputs). */
function dotRows1(
  wt: Float64Array, K: number, j0: number, j1: number, k0: number, k1: number, v: Float64Array, z: Float32Array, d: number,
): void {
  for (let j = j0; j < j1; j++) {
    let s = 0;
    const a = j * K;
    for (let k = k0; k < k1; k++) s += wt[a + k] * v[k];
    z[d + j] += s;
  }
}

/** z[zOff + j − j0] += Σ_{k0 ≤ k < k1} wt[j·K + k]·v[k] for j0 ≤ j < j1. */
function dotRows(
  wt: Float64Array, K: number, j0: number, j1: number, k0: number, k1: number, v: Float64Array, z: Float32Array, zOff: number,
): void {
  const j4 = j0 + ((j1 - j0) & ~3);
  if (j4 > j0) dotRows4(wt, K, j0, j4, k0, k1, v, z, zOff - j0);
  if (j1 > j4) dotRows1(wt, K, j4, j1, k0, k1, v, z, zOff - j0);
}

/** z[zOff + j] += Σ_k x[xOff + k]·W[k·ldw + wOff + j] for j < N (one row times columns of a row-major matrix). */
function rowTimesMatrix(
  x: Float32Array, xOff: number, K: number, W: Float32Array, ldw: number, wOff: number, N: number, z: Float32Array, zOff: number,
): void {
  let k = 0;
  for (; k + 3 < K; k += 4) {
    const x0 = x[xOff + k];
    const x1 = x[xOff + k + 1];
    const x2 = x[xOff + k + 2];
    const x3 = x[xOff + k + 3];
    const o0 = k * ldw + wOff;
    const o1 = o0 + ldw;
    const o2 = o1 + ldw;
    const o3 = o2 + ldw;
    for (let j = 0; j < N; j++) z[zOff + j] += x0 * W[o0 + j] + x1 * W[o1 + j] + x2 * W[o2 + j] + x3 * W[o3 + j];
  }
  for (; k < K; k++) {
    const x0 = x[xOff + k];
    const o0 = k * ldw + wOff;
    for (let j = 0; j < N; j++) z[zOff + j] += x0 * W[o0 + j];
  }
}

/**
 * Pre-activations of one row: z[zOff + j − j0] = Σ over the chosen parts of v = [x_b; h_b] for outputs
 * j0 ≤ j < j1 (`parts`: 'xh' both, 'x' the input part, 'h' the recurrent part), added to z when
 * `accumulate`. Uses the packed float64 copy when there is one, else the float32 weights in place.
 */
function preActivations(
  p: Packed | null, kernel: Float32Array, recurrent: Float32Array, D: number, U: number, N: number,
  x: Float32Array, xOff: number, h: Float32Array, hOff: number,
  j0: number, j1: number, parts: 'xh' | 'x' | 'h', z: Float32Array, zOff: number, accumulate: boolean,
): void {
  if (!accumulate) z.fill(0, zOff, zOff + j1 - j0);
  if (p) {
    const v = p.v;
    if (parts !== 'h') for (let k = 0; k < D; k++) v[k] = x[xOff + k];
    if (parts !== 'x') for (let k = 0; k < U; k++) v[D + k] = h[hOff + k];
    dotRows(p.wt, p.K, j0, j1, parts === 'h' ? D : 0, parts === 'x' ? D : D + U, v, z, zOff);
    return;
  }
  if (parts !== 'h') rowTimesMatrix(x, xOff, D, kernel, N, j0, j1 - j0, z, zOff);
  if (parts !== 'x') rowTimesMatrix(h, hOff, U, recurrent, N, j0, j1 - j0, z, zOff);
}

function addBias(z: Float32Array, zOff: number, bias: Float32Array | null, bOff: number, n: number): void {
  if (bias) for (let j = 0; j < n; j++) z[zOff + j] += bias[bOff + j];
}

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

function lstmStep(cell: LSTMCell): CellStepFunction | null {
  const acts = kernelActivations(cell.options.activation, cell.recurrentActivation);
  if (!acts) return null;
  const [act, rec] = acts;
  const U = cell.units;
  const GU = 4 * U;
  let z = new Float32Array(0);
  let packed: Packed | null = null;
  return (x, B, [h, c]) => {
    const W = cell.kernel!.values as Float32Array;
    const R = cell.recurrentKernel!.values as Float32Array;
    const D = W.length / GU;
    packed = pack(packed, W, R, D, U, GU);
    const bias = values(cell.bias);
    if (z.length < GU) z = new Float32Array(GU);
    const h2 = new Float32Array(B * U);
    const c2 = new Float32Array(B * U);
    for (let b = 0; b < B; b++) {
      const s = b * U;
      preActivations(packed, W, R, D, U, GU, x, b * D, h, s, 0, GU, 'xh', z, 0, false);
      addBias(z, 0, bias, 0, GU);
      rec.applyInPlace(z, 0, 2 * U);
      act.applyInPlace(z, 2 * U, U);
      rec.applyInPlace(z, 3 * U, U);
      for (let j = 0; j < U; j++) c2[s + j] = z[U + j] * c[s + j] + z[j] * z[2 * U + j];
      act.applyTo(c2, s, h2, s, U);
      for (let j = 0; j < U; j++) h2[s + j] *= z[3 * U + j];
    }
    return [h2, c2];
  };
}

function gruStep(cell: GRUCell): CellStepFunction | null {
  const acts = kernelActivations(cell.options.activation, cell.recurrentActivation);
  if (!acts) return null;
  const [act, rec] = acts;
  const U = cell.units;
  const GU = 3 * U;
  const resetAfter = cell.resetAfter;
  let z = new Float32Array(0);
  let packed: Packed | null = null;
  return (x, B, [h]) => {
    const W = cell.kernel!.values as Float32Array;
    const R = cell.recurrentKernel!.values as Float32Array;
    const D = W.length / GU;
    packed = pack(packed, W, R, D, U, GU);
    const bias = values(cell.bias);
    // z: gates z, r (pre-activation, then activated), candidate input part, candidate recurrent part.
    if (z.length < 4 * U) z = new Float32Array(4 * U);
    const rh = resetAfter ? null : new Float32Array(U);
    const h2 = new Float32Array(B * U);
    for (let b = 0; b < B; b++) {
      const s = b * U;
      preActivations(packed, W, R, D, U, GU, x, b * D, h, s, 0, 2 * U, 'xh', z, 0, false);
      preActivations(packed, W, R, D, U, GU, x, b * D, h, s, 2 * U, GU, 'x', z, 2 * U, false);
      addBias(z, 0, bias, 0, GU);
      if (resetAfter) {
        // rec_h = h·R_h + b_rec_h; gates z, r also get b_rec. hh = act(x_h + r ⊙ rec_h).
        addBias(z, 0, bias, GU, 2 * U);
        preActivations(packed, W, R, D, U, GU, x, b * D, h, s, 2 * U, GU, 'h', z, GU, false);
        addBias(z, GU, bias, GU + 2 * U, U);
        rec.applyInPlace(z, 0, 2 * U);
        for (let j = 0; j < U; j++) z[2 * U + j] += z[U + j] * z[GU + j];
      } else {
        // hh = act(x_h + b_h + (r ⊙ h)·R_h).
        rec.applyInPlace(z, 0, 2 * U);
        for (let j = 0; j < U; j++) rh![j] = z[U + j] * h[s + j];
        preActivations(packed, W, R, D, U, GU, x, b * D, rh!, 0, 2 * U, GU, 'h', z, 2 * U, true);
      }
      act.applyInPlace(z, 2 * U, U);
      for (let j = 0; j < U; j++) {
        const hh = z[2 * U + j];
        h2[s + j] = hh + z[j] * (h[s + j] - hh);
      }
    }
    return [h2];
  };
}

function simpleRNNStep(cell: SimpleRNNCell): CellStepFunction | null {
  const acts = kernelActivations(cell.options.activation);
  if (!acts) return null;
  const [act] = acts;
  const U = cell.units;
  let packed: Packed | null = null;
  return (x, B, [h]) => {
    const W = cell.kernel!.values as Float32Array;
    const R = cell.recurrentKernel!.values as Float32Array;
    const D = W.length / U;
    packed = pack(packed, W, R, D, U, U);
    const bias = values(cell.bias);
    const h2 = new Float32Array(B * U);
    for (let b = 0; b < B; b++) {
      preActivations(packed, W, R, D, U, U, x, b * D, h, b * U, 0, U, 'xh', h2, b * U, false);
      addBias(h2, b * U, bias, 0, U);
    }
    act.applyInPlace(h2, 0, B * U);
    return [h2];
  };
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
