/**
 * Emits ONNX's LSTM / GRU / RNN operators (layout 0: time-major) and the reshapes around them: batch-major
 * inputs, merging the directions of `Y` [T, dirs, B, H] or `Y_h` [dirs, B, H] (concat, sum, mean, product).
 */
import { RecurrentActivation, recurrentActivationAttrs } from './activations';
import { concatFloats } from './gate_layout';
import type { Attr, GraphBuilder } from './graph_builder';

/** The three ONNX recurrent operators. */
export type RecurrentOpType = 'LSTM' | 'GRU' | 'RNN';

/** How two directions are combined: Keras's `mergeMode` ('concat' is also PyTorch's layout). */
export type DirectionMerge = 'concat' | 'sum' | 'ave' | 'mul';

/** One direction's weights in ONNX layout (see gate_layout.ts). */
export interface DirectionWeights {
  /** [G·hidden, input]. */
  W: Float32Array;
  /** [G·hidden, hidden]. */
  R: Float32Array;
  /** [2·G·hidden] (input then recurrent biases), or null without bias. */
  B: Float32Array | null;
  /** This direction's functions (LSTM f, g, h; GRU f, g; RNN f). */
  activations: RecurrentActivation[];
}

/** An ONNX recurrent node. */
export interface RecurrentOpSpec {
  op: RecurrentOpType;
  hiddenSize: number;
  inputSize: number;
  direction: 'forward' | 'reverse' | 'bidirectional';
  /** One entry, or two (forward, reverse) for 'bidirectional'. */
  directions: DirectionWeights[];
  /** GRU only: 1 applies the reset gate after the recurrent matmul (Keras resetAfter, PyTorch). */
  linearBeforeReset?: boolean;
  /** Stem of the names of its tensors. */
  name: string;
  /** Name of the int32 [batch] sequence_lens input, if any: steps past each length are skipped. */
  sequenceLens?: string;
}

const GATES: { [op in RecurrentOpType]: number } = { LSTM: 4, GRU: 3, RNN: 1 };

/** Adds the recurrent node for time-major `x` [T, B, input]; returns Y [T, dirs, B, H] and Y_h [dirs, B, H]. */
export function emitRecurrentOp(g: GraphBuilder, x: string, spec: RecurrentOpSpec): { y: string; yH: string } {
  const D = spec.directions.length;
  const GH = GATES[spec.op] * spec.hiddenSize;
  const W = g.addInitializer(`${spec.name}_W`, concatFloats(spec.directions.map((d) => d.W)), [D, GH, spec.inputSize]);
  const R = g.addInitializer(`${spec.name}_R`, concatFloats(spec.directions.map((d) => d.R)), [D, GH, spec.hiddenSize]);
  const anyBias = spec.directions.some((d) => d.B !== null);
  const B = anyBias
    ? g.addInitializer(`${spec.name}_B`, concatFloats(spec.directions.map((d) => d.B ?? new Float32Array(2 * GH))), [D, 2 * GH])
    : '';
  const act = recurrentActivationAttrs(spec.directions.flatMap((d) => d.activations));
  const attrs: { [k: string]: Attr } = {
    hidden_size: { i: spec.hiddenSize },
    direction: { s: spec.direction },
    activations: { strings: act.names },
  };
  if (act.alphas.length) attrs.activation_alpha = { floats: act.alphas };
  if (act.betas.length) attrs.activation_beta = { floats: act.betas };
  if (spec.op === 'GRU') attrs.linear_before_reset = { i: spec.linearBeforeReset ? 1 : 0 };
  const inputs = spec.sequenceLens ? [x, W, R, B, spec.sequenceLens] : B ? [x, W, R, B] : [x, W, R];
  const [y, yH] = g.addNode(spec.op, inputs, attrs, [g.uniqueName(`${spec.name}_Y`), g.uniqueName(`${spec.name}_Y_h`)], spec.name);
  return { y, yH };
}

/** Swaps the first two axes of a rank-3 tensor ([B, T, F] ↔ [T, B, F]). */
export function swapBatchTime(g: GraphBuilder, x: string, name: string): string {
  return g.addNode('Transpose', [x], { perm: { ints: [1, 0, 2] } }, 1, name)[0];
}

/** Removes axis `axis` (size 1). */
export function squeeze(g: GraphBuilder, x: string, axis: number, name: string): string {
  return g.addNode('Squeeze', [x, g.addInt64s(`${name}_axes`, [axis])], {}, 1, name)[0];
}

/** Reverses the first axis (time, of a time-major tensor). */
export function reverseFirstAxis(g: GraphBuilder, x: string, name: string): string {
  const starts = g.addInt64s(`${name}_starts`, [-1]);
  const ends = g.addInt64s(`${name}_ends`, [Number.MIN_SAFE_INTEGER]);
  const axes = g.addInt64s(`${name}_axes`, [0]);
  const steps = g.addInt64s(`${name}_steps`, [-1]);
  return g.addNode('Slice', [x, starts, ends, axes, steps], {}, 1, name)[0];
}

/** Sum / mean / product over `axis` (dropped). */
function reduce(g: GraphBuilder, x: string, merge: Exclude<DirectionMerge, 'concat'>, axis: number, name: string): string {
  return g.addReduce(merge === 'sum' ? 'ReduceSum' : merge === 'ave' ? 'ReduceMean' : 'ReduceProd', x, [axis], false, name);
}

/** Y [T, D, B, H] → [T, B, D·H] (concat: forward features first) or [T, B, H] (merged), time-major. */
export function mergeSequence(g: GraphBuilder, y: string, D: number, merge: DirectionMerge, name: string): string {
  if (D === 1) return squeeze(g, y, 1, `${name}_seq`);
  if (merge !== 'concat') return reduce(g, y, merge, 1, `${name}_${merge}`);
  const t = g.addNode('Transpose', [y], { perm: { ints: [0, 2, 1, 3] } }, 1, `${name}_tbdh`)[0];
  return g.addNode('Reshape', [t, g.addInt64s(`${name}_shape`, [0, 0, -1])], {}, 1, `${name}_concat`)[0];
}

/** Y_h [D, B, H] → [B, D·H] (concat) or [B, H] (merged). */
export function mergeLast(g: GraphBuilder, yH: string, D: number, merge: DirectionMerge, name: string): string {
  if (D === 1) return squeeze(g, yH, 0, `${name}_last`);
  if (merge !== 'concat') return reduce(g, yH, merge, 0, `${name}_${merge}`);
  const t = g.addNode('Transpose', [yH], { perm: { ints: [1, 0, 2] } }, 1, `${name}_bdh`)[0];
  return g.addNode('Reshape', [t, g.addInt64s(`${name}_shape`, [0, -1])], {}, 1, `${name}_concat`)[0];
}
