/**
 * A causal Conv1D inside `model.step`: one output step needs the current input and the previous
 * (kernelSize − 1)·dilationRate inputs, which the stream state keeps as `states: [window]` ([batch, window,
 * channels], oldest first, zeros at the start: the zero left padding of 'causal'). Each step convolves
 * [window, xt] with 'valid' padding (one output step), applies the activation and shifts the window by one. Also
 * here: the state shapes of a ConvLSTM1D / ConvLSTM2D (h and c of the output frame's shape).
 *
 * ```js
 * const m = sequential({layers: [layers.conv1d({filters: 8, kernelSize: 3, padding: 'causal', inputShape: [null, 4]}), layers.gru({units: 16})]});
 * let s = m.initState(1);                 // s.layers[0]: {name: 'conv1d', states: [Float32Array(2·4)]}
 * const [y, next] = m.step(xt, s);        // xt: [1, 4]
 * ```
 */
import { conv1d, formatShape, reshape, Tensor, ValueError } from '@recurrent/core';
import { isConv1D } from '@recurrent/layers';
import type { BaseRNN, Conv1D, ConvLSTMCell, Layer, Shape } from '@recurrent/layers';

/** A causal, stride-1 Conv1D run one step at a time; its state is the window of past inputs. */
export interface ConvStage {
  kind: 'conv';
  layer: Conv1D;
  /** One state array of window·channels values per batch row. */
  sizes: [number];
  layout: 'states';
  /** Past input steps kept: (kernelSize − 1)·dilationRate. */
  window: number;
  /** Input channels. */
  channels: number;
}

/**
 * The stage for `layer` when it is a Conv1D that can stream, null when it is not a Conv1D; throws (through
 * `refuse`) for a Conv1D that cannot (padding other than 'causal', strides > 1, not built).
 */
export function convStage(layer: Layer, refuse: (layer: Layer, why: string) => never): ConvStage | null {
  if (!isConv1D(layer)) return null;
  if (layer.padding !== 'causal')
    refuse(layer, `its padding is '${layer.padding}': only padding 'causal' streams (an output step must not see later inputs)`);
  if (layer.strides !== 1) refuse(layer, `its strides are ${layer.strides}: only strides 1 streams (one output step per input step)`);
  const kernel = layer.kernel;
  if (!layer.built || !kernel) refuse(layer, 'it is not built yet (give the model an inputShape)');
  const channels = kernel.shape[1] * layer.groups;
  const window = (layer.kernelSize - 1) * layer.dilationRate;
  return { kind: 'conv', layer, sizes: [window * channels], layout: 'states', window, channels };
}

/** One step: `x` [batch, channels] and the window [batch·window·channels] → output [batch, filters] and the next window. */
export function convStep(where: string, st: ConvStage, x: Tensor, window: Float32Array, batch: number): [Tensor, Float32Array] {
  const { channels: C, window: W, layer } = st;
  if (x.rank !== 2 || x.shape[1] !== C) {
    throw new ValueError(
      `${where}: layer '${layer.name}' (Conv1D) takes one step of shape [${batch}, ${C}], received ${formatShape(x.shape)}.`,
    );
  }
  const xv = x.values;
  const full = new Float32Array(batch * (W + 1) * C);
  for (let b = 0; b < batch; b++) {
    full.set(window.subarray(b * W * C, (b + 1) * W * C), b * (W + 1) * C);
    for (let c = 0; c < C; c++) full[(b * (W + 1) + W) * C + c] = Number(xv[b * C + c]);
  }
  const conv = conv1d(
    new Tensor(full, [batch, W + 1, C], 'float32'),
    layer.kernel!,
    1,
    'valid',
    layer.dilationRate,
    layer.groups,
    layer.bias ?? null,
  );
  const y = layer.activation.apply(conv);
  const next = new Float32Array(batch * W * C);
  for (let b = 0; b < batch; b++) next.set(full.subarray((b * (W + 1) + 1) * C, (b + 1) * (W + 1) * C), b * W * C);
  return [reshape(y, [batch, y.shape[2]]), next];
}

/**
 * The state shapes [...outSpatial, filters] (h, c) of a ConvLSTM layer `flat[at]`, from the model input shape
 * carried through the layers before it; its frame size must be known (a state has a fixed size).
 */
export function convLstmStateShapes(
  layer: BaseRNN,
  flat: Layer[],
  at: number,
  inputShape: Shape,
  refuse: (layer: Layer, why: string) => never,
): number[][] {
  let shape = inputShape;
  for (let k = 0; k < at; k++) {
    const out = flat[k].computeOutputShape(shape);
    shape = (Array.isArray(out[0]) ? out[0] : out) as Shape;
  }
  const cellShapes = (layer.cell as ConvLSTMCell).computeOutputShape([null, ...shape.slice(2)]);
  const state = cellShapes[1].slice(1);
  if (state.some((d) => d === null)) {
    refuse(
      layer,
      `its state shape ${formatShape(state)} is not known for the input shape ${formatShape(shape)}; give the model an inputShape with the frame size`,
    );
  }
  return [state as number[], state as number[]];
}
