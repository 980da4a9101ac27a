/**
 * Streaming inference with the state kept OUTSIDE the model: `model.initState(batch)` makes a state,
 * `model.step(xt, state)` runs one time step and returns `[output, nextState]`. A state is plain data
 * (typed arrays in plain objects): it can be cloned (`structuredClone`), kept per user or stream, posted
 * to a worker, or saved as JSON with `stateToJSON` / `stateFromJSON`. `step` never modifies the state
 * it is given, so one state can be continued in several ways. Each step returns new arrays, each with a
 * buffer of its own (transferring `h.buffer` to a worker moves nothing else).
 *
 * ```js
 * const model = sequential({layers: [layers.lstm({units: 64, inputShape: [null, 8]}), layers.dense({units: 1})]});
 * let s = model.initState(1);
 * for (const xt of frames) {          // xt: [1, 8]
 *   const [y, next] = model.step(xt, s);
 *   s = next;
 * }
 * ```
 *
 * What can step: recurrent layers (LSTM, GRU, SimpleRNN, RNN over any cell, stacked cells, ConvLSTM1D / ConvLSTM2D
 * with states of the output frame's shape), Conv1D with padding 'causal' and strides 1 (its state keeps the last
 * (kernelSize − 1)·dilationRate inputs, see streaming_conv.ts), and the layers that act on each time step alone,
 * before or after them: Dense, Activation, Dropout / SpatialDropout1D and the noise layers (inference: identity),
 * BatchNormalization and Softmax on the last axis, LayerNormalization over each step's features, the activation layers, PReLU with per-feature slopes, Embedding
 * (without maskZero), InputLayer — each through its own `Layer.stepFunction()`, so a custom layer that implements
 * that hook streams too — and TimeDistributed of ANY layer (one step is the inner layer on the frame: a CNN-LSTM's
 * TimeDistributed(Conv2D) → pooling → Flatten, or an LSTM over each step's sub-steps). After the end of the
 * sequence (a recurrent layer with returnSequences: false), each step's output has the shape predict gives that
 * layer, so every later layer runs on it as in predict (Flatten, Reshape, Dense, RepeatVector, Conv1D, ...): step
 * t's output is predict's on the first t + 1 steps. Refused with an error naming the layer: what needs the whole
 * sequence before its end (Bidirectional, pooling over time, Flatten, RepeatVector, goBackwards), masks, and a
 * recurrent layer after the end (a seq2seq decoder after RepeatVector).
 */
import { cast, formatShape, Tensor, ValueError } from '@recurrent/core';
import { afterEndStep } from './streaming_after_end';
import { checkBatch, type RecurrentLayerState, type StreamState } from './streaming_state';
import { ConvStage, convStage, convStep, convLstmStateShapes } from './streaming_conv';
import {
  BaseRNN,
  cellKindOf,
  cellStepFunction,
  CellStepFunction,
  isConvLSTMCell,
  Layer,
  stateSizesOf,
  LayerStepFunction,
  StepRefusal,
} from '@recurrent/layers';

type MapFn = LayerStepFunction;

interface RecurrentStage {
  kind: 'rnn';
  layer: BaseRNN;
  sizes: number[];
  /** Each state's shape without batch: [size], or [...outSpatial, filters] for a ConvLSTM cell. */
  shapes: number[][];
  /** 'hc' (LSTM), 'h' (GRU, SimpleRNN) or 'states' (other cells). */
  layout: 'hc' | 'h' | 'states';
  fast: CellStepFunction | null;
}

interface MapStage {
  kind: 'map';
  layer: Layer;
  run: MapFn;
}

type Stage = RecurrentStage | MapStage | ConvStage;
/** The stages that carry state from step to step. */
type StatefulStage = RecurrentStage | ConvStage;

/** What `step` runs, worked out once per model structure. */
export interface StepPlan {
  layers: Layer[];
  stages: Stage[];
  /** The stages with a state entry (recurrent layers and causal Conv1D), in model order. */
  recurrent: StatefulStage[];
  /** The per-step input shape without batch (the model input shape minus batch and time). */
  stepShape: (number | null)[];
  modelName: string;
}

function flattenLayers(layers: Layer[]): Layer[] {
  const out: Layer[] = [];
  for (const l of layers) {
    const inner = (l as unknown as { layers?: unknown }).layers;
    if (l.getClassName() === 'Sequential' && Array.isArray(inner)) out.push(...flattenLayers(inner as Layer[]));
    else out.push(l);
  }
  return out;
}

function refuse(modelName: string, layer: Layer, why: string): never {
  throw new ValueError(
    `Sequential ${modelName}: step() cannot run layer '${layer.name}' (${layer.getClassName()}): ${why}. ` +
      `Use predict() on whole sequences for this model.`,
  );
}

/**
 * The layer's own per-step function (`Layer.stepFunction()`, see packages/layers/src/engine/step_function.ts), or
 * null when it needs the sequence; a `StepRefusal` it throws becomes the model's error naming the layer.
 */
function perStepFunction(modelName: string, layer: Layer): MapFn | null {
  try {
    return layer.stepFunction();
  } catch (e) {
    if (e instanceof StepRefusal) refuse(modelName, e.layer, e.reason);
    throw e;
  }
}

/**
 * Works out how to run `layers` one time step at a time, or throws naming the first layer that needs the
 * whole sequence. `inputShape` is the model's (batch and time first).
 */
export function makeStepPlan(modelName: string, layers: Layer[], inputShape: (number | null)[] | null): StepPlan {
  if (layers.length === 0) throw new ValueError(`Sequential ${modelName}: step() on a model with no layers; add layers first.`);
  if (!inputShape) {
    throw new ValueError(
      `Sequential ${modelName}: step() needs a built model; give the first layer an inputShape (e.g. [null, features]) or call predict() once.`,
    );
  }
  if (inputShape.length < 2) {
    throw new ValueError(
      `Sequential ${modelName}: step() needs sequence inputs [batch, timeSteps, ...]; the model input shape is ${formatShape(inputShape)}.`,
    );
  }
  const flat = flattenLayers(layers);
  const stages: Stage[] = [];
  const recurrent: StatefulStage[] = [];
  let sequenceEnded = false;
  for (let i = 0; i < flat.length; i++) {
    const layer = flat[i];
    if (sequenceEnded) {
      stages.push({ kind: 'map', layer, run: afterEndStep(layer, (l, why) => refuse(modelName, l, why)) });
      continue;
    }
    if (layer instanceof BaseRNN) {
      if (layer.goBackwards) refuse(modelName, layer, 'goBackwards needs the whole sequence');
      if (layer.returnState) refuse(modelName, layer, 'returnState gives several outputs');
      const cell = layer.cell;
      const sizes = stateSizesOf(cell);
      const kind = cellKindOf(cell); // as instanceof LSTMCell etc., without importing every cell class
      const layout = kind === 'lstm' ? 'hc' : kind === 'gru' || kind === 'simpleRNN' ? 'h' : 'states';
      const shapes = isConvLSTMCell(cell)
        ? convLstmStateShapes(layer, flat, i, inputShape, (l, why) => refuse(modelName, l, why))
        : sizes.map((n) => [n]);
      const stage: RecurrentStage = {
        kind: 'rnn',
        layer,
        sizes: shapes.map((sh) => sh.reduce((p, q) => p * q, 1)),
        shapes,
        layout,
        fast: cellStepFunction(cell),
      };
      stages.push(stage);
      recurrent.push(stage);
      if (!layer.returnSequences) sequenceEnded = true;
      continue;
    }
    const conv = convStage(layer, (l, why) => refuse(modelName, l, why));
    if (conv) {
      stages.push(conv);
      recurrent.push(conv);
      continue;
    }
    const run = perStepFunction(modelName, layer);
    if (!run) {
      const name = layer.getClassName();
      const why =
        name === 'Bidirectional'
          ? 'a bidirectional layer reads the sequence from both ends, so it needs the whole sequence'
          : name === 'Masking'
            ? 'it produces a mask, and step() does not handle masked steps'
            : 'it is not a recurrent or per-step layer (it needs the whole sequence)';
      refuse(modelName, layer, why);
    }
    stages.push({ kind: 'map', layer, run });
  }
  if (recurrent.length === 0) {
    throw new ValueError(
      `Sequential ${modelName}: step() needs a model with a recurrent layer (LSTM, GRU, SimpleRNN or RNN) or a causal Conv1D.`,
    );
  }
  return { layers: layers.slice(), stages, recurrent, stepShape: inputShape.slice(2), modelName };
}

/** True when `plan` was made for exactly these layers. */
export function planMatches(plan: StepPlan | null, layers: readonly Layer[]): boolean {
  if (!plan || plan.layers.length !== layers.length) return false;
  for (let i = 0; i < layers.length; i++) if (plan.layers[i] !== layers[i]) return false;
  return true;
}

/** Zero states for `batch` streams. */
export function initStreamState(plan: StepPlan, batch = 1): StreamState {
  checkBatch(`Sequential ${plan.modelName}: initState`, batch);
  return {
    batch,
    layers: plan.recurrent.map((st) => {
      const arrays = st.sizes.map((s) => new Float32Array(batch * s));
      return layerState(st, arrays);
    }),
  };
}

function layerState(st: StatefulStage, arrays: Float32Array[]): RecurrentLayerState {
  if (st.layout === 'hc') return { name: st.layer.name, h: arrays[0], c: arrays[1] };
  if (st.layout === 'h') return { name: st.layer.name, h: arrays[0] };
  return { name: st.layer.name, states: arrays };
}

/** A Float32Array, also one made in another realm (structuredClone, postMessage, vm contexts). */
function isFloat32Array(a: unknown): a is Float32Array {
  return a instanceof Float32Array || Object.prototype.toString.call(a) === '[object Float32Array]';
}

/** The arrays of a layer's entry, checked against the stage (names, sizes). */
function stateArrays(plan: StepPlan, st: StatefulStage, entry: RecurrentLayerState | undefined, i: number, batch: number): Float32Array[] {
  if (!entry || typeof entry !== 'object')
    throw new ValueError(`${stepWhere(plan)}: state.layers[${i}] is missing; expected the state of layer '${st.layer.name}'.`);
  if (entry.name !== st.layer.name) {
    throw new ValueError(
      `${stepWhere(plan)}: state.layers[${i}] belongs to layer '${String(entry.name)}', but this model's stateful layer ${i} is '${st.layer.name}'; was the state made by another model?`,
    );
  }
  const arrays = st.layout === 'hc' ? [entry.h, entry.c] : st.layout === 'h' ? [entry.h] : (entry.states ?? []);
  if (arrays.length !== st.sizes.length) {
    throw new ValueError(
      `${stepWhere(plan)}: the state of layer '${st.layer.name}' has ${arrays.length} array(s), expected ${st.sizes.length}.`,
    );
  }
  for (let k = 0; k < arrays.length; k++) {
    const a = arrays[k];
    const n = batch * st.sizes[k];
    if (!isFloat32Array(a) || a.length !== n) {
      const what = st.layout === 'states' ? `states[${k}]` : k === 0 ? 'h' : 'c';
      throw new ValueError(
        `${stepWhere(plan)}: the state of layer '${st.layer.name}' needs ${what} as a Float32Array of ${n} values ([batch ${batch}, ${st.sizes[k]}]), ` +
          `received ${isFloat32Array(a) ? `${a.length} values` : a === null ? 'null' : typeof a}.`,
      );
    }
  }
  return arrays as Float32Array[];
}

/** The error prefix of `step` (built when an error is thrown, not on every step). */
function stepWhere(plan: StepPlan): string {
  return `Sequential ${plan.modelName}: step()`;
}

/**
 * One time step: `xt` is [batch, ...features] (or [batch, 1, ...features]) for the model's input
 * [batch, timeSteps, ...features]; returns the model's output for that step and the next state.
 */
export function runStep(plan: StepPlan, xt: Tensor, state: StreamState): [Tensor, StreamState] {
  if (!(xt instanceof Tensor))
    throw new ValueError(
      `${stepWhere(plan)}: xt must be a Tensor [batch, ${plan.stepShape.join(', ')}], received ${xt === null ? 'null' : typeof xt}.`,
    );
  if (!state || typeof state !== 'object' || !Array.isArray(state.layers)) {
    throw new ValueError(
      `${stepWhere(plan)}: state must be an object made by model.initState(batch) (or returned by step), received ${state === null ? 'null' : typeof state}.`,
    );
  }
  const batch = state.batch;
  let x = xt;
  const want = plan.stepShape;
  const shape = xt.shape;
  const withTime = shape.length === want.length + 2 && shape[1] === 1;
  const okRank = shape.length === want.length + 1 || withTime;
  let ok = okRank && shape[0] === batch;
  if (ok) {
    const off = withTime ? 2 : 1;
    for (let k = 0; k < want.length; k++) if (want[k] !== null && shape[off + k] !== want[k]) ok = false;
  }
  if (!ok) {
    throw new ValueError(
      `${stepWhere(plan)}: xt has shape ${formatShape(shape)}, but one step of this model takes ${formatShape([batch, ...want])} ` +
        `(the state holds batch ${batch}; the model input is [batch, timeSteps, ${want.join(', ')}]).`,
    );
  }
  if (withTime) x = new Tensor(xt.values, [batch, ...shape.slice(2)], xt.dtype);
  if (state.layers.length !== plan.recurrent.length) {
    throw new ValueError(
      `${stepWhere(plan)}: state has ${state.layers.length} layer state(s), but the model has ${plan.recurrent.length} stateful layer(s) (recurrent, causal Conv1D).`,
    );
  }
  const next: RecurrentLayerState[] = [];
  let r = 0;
  for (const st of plan.stages) {
    if (st.kind === 'map') {
      x = st.run(x);
      continue;
    }
    const arrays = stateArrays(plan, st, state.layers[r], r, batch);
    r++;
    if (st.kind === 'conv') {
      const [y, window] = convStep(stepWhere(plan), st, x, arrays[0], batch);
      next.push(layerState(st, [window]));
      x = y;
      continue;
    }
    // Integer or bool steps compute in float32, as the layers' predict does.
    if (x.dtype !== 'float32') x = cast(x, 'float32');
    let newStates: Float32Array[];
    let out: Tensor;
    if (st.fast) {
      newStates = st.fast(x.values as Float32Array, batch, arrays);
      out = new Tensor(newStates[0], [batch, newStates[0].length / batch], 'float32');
    } else {
      // Any other cell: its own one-step call on tensors (inference mode).
      const ins = [x, ...arrays.map((a, k) => new Tensor(a, [batch, ...st.shapes[k]], 'float32'))];
      const res = st.layer.cell.call(ins, { training: false });
      const list = Array.isArray(res) ? res : [res];
      out = list[0];
      newStates = list.slice(1).map((t) => Float32Array.from(t.values as ArrayLike<number>));
    }
    next.push(layerState(st, newStates));
    x = out;
  }
  return [x, { batch, layers: next }];
}
