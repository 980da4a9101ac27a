/**
 * The mapping between PyTorch's recurrent weight layout and the Keras layout of core's fused sequence
 * kernels, written with differentiable ops. The nn modules call it inside `forward` (so gradients reach the
 * PyTorch-layout parameters) and `nn.convert` uses the same functions for weight conversion.
 *
 * PyTorch: weight_ih [G·hidden, input], weight_hh [G·hidden, hidden], bias_ih and bias_hh [G·hidden];
 *   gate order LSTM i, f, g, o; GRU r, z, n.
 * Keras:   kernel [input, G·units], recurrentKernel [units, G·units], bias [G·units]
 *   (GRU reset_after: [2, 3·units] = [input bias; recurrent bias]); gate order LSTM i, f, c, o; GRU z, r, h.
 */
import { add, concat, gather, reshape, slice, stack, Tensor, tensor, transpose } from '@recurrent/core';

/** Which recurrence: PyTorch's RNN (tanh or relu), LSTM or GRU. */
export type RecurrentMode = 'RNN' | 'LSTM' | 'GRU';

/** Number of gate blocks G. */
export function gateCount(mode: RecurrentMode): number {
  return mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
}

/**
 * Row permutation of the gate blocks from PyTorch order to Keras order (its own inverse): GRU swaps the first
 * two blocks (r, z ↔ z, r); LSTM (i, f, g, o = i, f, c, o) and RNN need none (null).
 */
function gatePermutation(mode: RecurrentMode, hidden: number): Tensor | null {
  if (mode !== 'GRU') return null;
  const idx = new Int32Array(3 * hidden);
  for (let j = 0; j < hidden; j++) {
    idx[j] = hidden + j;
    idx[hidden + j] = j;
    idx[2 * hidden + j] = 2 * hidden + j;
  }
  return tensor(idx, [3 * hidden], 'int32');
}

function reorderRows(mode: RecurrentMode, w: Tensor, hidden: number): Tensor {
  const perm = gatePermutation(mode, hidden);
  return perm ? gather(w, perm, 0) : w;
}

/** PyTorch weight_ih / weight_hh [G·hidden, n] → Keras kernel / recurrentKernel [n, G·hidden]. */
export function torchWeightToKeras(mode: RecurrentMode, weight: Tensor, hidden: number): Tensor {
  return transpose(reorderRows(mode, weight, hidden));
}

/** Keras kernel / recurrentKernel [n, G·hidden] → PyTorch weight [G·hidden, n]. */
export function kerasWeightToTorch(mode: RecurrentMode, kernel: Tensor, hidden: number): Tensor {
  return reorderRows(mode, transpose(kernel), hidden);
}

/**
 * PyTorch's two biases → the kernel's bias: LSTM/RNN `bias_ih + bias_hh` [G·hidden] (the kernel has one bias;
 * gradients flow to both); GRU `[bias_ih; bias_hh]` reordered, [2, 3·hidden] (reset_after keeps them apart).
 * Null when both are null (bias=False).
 */
export function torchBiasToKeras(mode: RecurrentMode, biasIh: Tensor | null, biasHh: Tensor | null, hidden: number): Tensor | null {
  if (!biasIh && !biasHh) return null;
  const G = gateCount(mode);
  const zero = () => tensor(new Float32Array(G * hidden), [G * hidden], 'float32');
  const bi = biasIh ?? zero();
  const bh = biasHh ?? zero();
  if (mode === 'GRU') return stack([reorderRows(mode, bi, hidden), reorderRows(mode, bh, hidden)], 0);
  return add(bi, bh);
}

/**
 * The kernel's bias → PyTorch [bias_ih, bias_hh]. GRU [2, 3·hidden] maps exactly; a one-vector bias (LSTM, RNN)
 * goes into bias_ih with zeros in bias_hh (their sum is what the math uses).
 */
export function kerasBiasToTorch(mode: RecurrentMode, bias: Tensor, hidden: number): [Tensor, Tensor] {
  const G = gateCount(mode);
  if (mode === 'GRU') {
    const rows = [0, 1].map((r) => reshape(slice(bias, [r, 0], [1, G * hidden]), [G * hidden]));
    return [reorderRows(mode, rows[0], hidden), reorderRows(mode, rows[1], hidden)];
  }
  return [bias, tensor(new Float32Array(G * hidden), [G * hidden], 'float32')];
}

/** Concatenation on the last axis (feature axis) — forward then reverse direction, as PyTorch. */
export function concatFeatures(parts: Tensor[]): Tensor {
  return parts.length === 1 ? parts[0] : concat(parts, parts[0].rank - 1);
}
