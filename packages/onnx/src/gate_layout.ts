import { ValueError } from '@recurrent/core';
/**
 * Gate orders and weight layouts. ONNX's recurrent operators take W [dirs, G·hidden, input],
 * R [dirs, G·hidden, hidden], B [dirs, 2·G·hidden] (input biases, then recurrent biases), gates in
 * the order LSTM i,o,f,c; GRU z,r,h; RNN one gate. Keras kernels are [input, G·units] in LSTM i,f,c,o /
 * GRU z,r,h; PyTorch's weight_ih is [G·hidden, input] in LSTM i,f,g,o / GRU r,z,n.
 */

/** `map[k]` = the source gate index of ONNX gate k. */
export type GateMap = readonly number[];

/** Keras LSTM i,f,c,o → ONNX i,o,f,c. */
export const KERAS_LSTM_GATES: GateMap = [0, 3, 1, 2];
/** Keras GRU z,r,h → ONNX z,r,h. */
export const KERAS_GRU_GATES: GateMap = [0, 1, 2];
/** PyTorch LSTM i,f,g,o → ONNX i,o,f,c. */
export const TORCH_LSTM_GATES: GateMap = [0, 3, 1, 2];
/** PyTorch GRU r,z,n → ONNX z,r,h. */
export const TORCH_GRU_GATES: GateMap = [1, 0, 2];
/** One gate. */
export const SINGLE_GATE: GateMap = [0];

/**
 * A Keras kernel [rows, G·units] (row-major) → ONNX [G·units, rows] with gates reordered:
 * out[k·U + u, r] = kernel[r, map[k]·U + u].
 */
export function kerasKernelToOnnx(kernel: ArrayLike<number>, rows: number, units: number, map: GateMap): Float32Array {
  const G = map.length;
  if (kernel.length !== rows * G * units) {
    throw new ValueError(`onnx.exportModel: a kernel of ${kernel.length} values does not have shape [${rows}, ${G * units}].`);
  }
  const out = new Float32Array(G * units * rows);
  for (let k = 0; k < G; k++) {
    for (let u = 0; u < units; u++) {
      const src = map[k] * units + u;
      const dst = (k * units + u) * rows;
      for (let r = 0; r < rows; r++) out[dst + r] = kernel[r * G * units + src];
    }
  }
  return out;
}

/** A PyTorch weight [G·hidden, cols] → the same layout with gates reordered (rows k·H + h ← map[k]·H + h). */
export function torchWeightToOnnx(weight: ArrayLike<number>, hidden: number, cols: number, map: GateMap): Float32Array {
  const G = map.length;
  if (weight.length !== G * hidden * cols) {
    throw new ValueError(`onnx.exportModel: a weight of ${weight.length} values does not have shape [${G * hidden}, ${cols}].`);
  }
  const out = new Float32Array(G * hidden * cols);
  for (let k = 0; k < G; k++) {
    const src = map[k] * hidden * cols;
    out.set(Array.prototype.slice.call(weight, src, src + hidden * cols) as number[], k * hidden * cols);
  }
  return out;
}

/** A bias vector [G·units] with gates reordered. */
export function reorderGates(bias: ArrayLike<number>, units: number, map: GateMap): Float32Array {
  return torchWeightToOnnx(bias, units, 1, map);
}

/** Concatenates float arrays. */
export function concatFloats(parts: ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p as ArrayLike<number>, at);
    at += p.length;
  }
  return out;
}
