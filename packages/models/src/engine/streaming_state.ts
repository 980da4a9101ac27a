/**
 * The state `model.step` carries (see streaming.ts): plain data, one entry per stateful layer, and its copies —
 * `cloneState`, and `stateToJSON` / `stateFromJSON` for JSON text.
 */
import { ValueError } from '@recurrent/core';

/**
 * The state of one recurrent layer: `h` (and `c` for an LSTM), or `states` for other cells; of a causal Conv1D:
 * `states: [window]`, its last (kernelSize − 1)·dilationRate inputs [batch, window, channels]. Arrays are
 * [batch·size], row-major.
 */
export interface RecurrentLayerState {
  /** The layer's name (checked by `step`). */
  name: string;
  /** Hidden state h [batch, units] (LSTM, GRU, SimpleRNN). */
  h?: Float32Array;
  /** Cell state c [batch, units] (LSTM). */
  c?: Float32Array;
  /** Other cells (stacked, custom, ConvLSTM: h and c as [batch, ...outSpatial, filters]): every state in `cell.stateSize` order. */
  states?: Float32Array[];
}

/** The state of a whole model: one entry per recurrent layer or causal Conv1D, in model order. */
export interface StreamState {
  /** Number of independent streams (rows) the state holds. */
  batch: number;
  layers: RecurrentLayerState[];
}

/** `StreamState` with number arrays instead of typed arrays (what `JSON.stringify` can write). */
export interface StreamStateJSON {
  batch: number;
  layers: { name: string; h?: number[]; c?: number[]; states?: number[][] }[];
}

/** Throws unless `batch` is a positive integer; returns it. */
export function checkBatch(where: string, batch: unknown): number {
  if (typeof batch !== 'number' || !Number.isInteger(batch) || batch <= 0) {
    throw new ValueError(`${where}: batch must be a positive integer, received ${String(batch)}.`);
  }
  return batch;
}

/** A layer's state with each of its arrays (h, c, each of states) replaced by `f(array)`. */
function mapLayerArrays<T>(l: RecurrentLayerState, f: (a: Float32Array) => T): { name: string; h?: T; c?: T; states?: T[] } {
  const out: { name: string; h?: T; c?: T; states?: T[] } = { name: l.name };
  if (l.h) out.h = f(l.h);
  if (l.c) out.c = f(l.c);
  if (l.states) out.states = l.states.map((a) => f(a));
  return out;
}

/** A deep copy of a state (as `structuredClone`, for environments without it). */
export function cloneState(state: StreamState): StreamState {
  return { batch: state.batch, layers: state.layers.map((l) => mapLayerArrays(l, (a) => a.slice())) };
}

/** The state with number arrays, for `JSON.stringify` (float32 values round-trip exactly). */
export function stateToJSON(state: StreamState): StreamStateJSON {
  return { batch: state.batch, layers: state.layers.map((l) => mapLayerArrays(l, (a) => Array.from(a))) };
}

/** A state from `stateToJSON` output (or its `JSON.parse`d text). */
export function stateFromJSON(json: StreamStateJSON | string): StreamState {
  const o = (typeof json === 'string' ? JSON.parse(json) : json) as StreamStateJSON;
  if (!o || typeof o !== 'object' || !Array.isArray(o.layers)) {
    throw new ValueError(
      `stateFromJSON: expected {batch, layers: [...]} as written by stateToJSON, received ${o === null ? 'null' : typeof o}.`,
    );
  }
  checkBatch('stateFromJSON', o.batch);
  const arr = (v: unknown, what: string): Float32Array => {
    if (!Array.isArray(v) || v.some((n) => typeof n !== 'number'))
      throw new ValueError(`stateFromJSON: ${what} must be an array of numbers.`);
    return Float32Array.from(v as number[]);
  };
  return {
    batch: o.batch,
    layers: o.layers.map((l, i) => {
      if (!l || typeof l.name !== 'string') throw new ValueError(`stateFromJSON: layers[${i}] needs a name.`);
      const out: RecurrentLayerState = { name: l.name };
      if (l.h !== undefined) out.h = arr(l.h, `layers[${i}].h`);
      if (l.c !== undefined) out.c = arr(l.c, `layers[${i}].c`);
      if (l.states !== undefined) {
        if (!Array.isArray(l.states)) throw new ValueError(`stateFromJSON: layers[${i}].states must be an array of arrays.`);
        out.states = l.states.map((s, k) => arr(s, `layers[${i}].states[${k}]`));
      }
      return out;
    }),
  };
}
