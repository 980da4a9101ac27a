/**
 * `nn.convert`'s weight level: one recurrent layer's parameters between PyTorch's layout (`weight_ih_l0`, ...) and
 * the Keras layout (`[kernel, recurrentKernel, bias]`), per layer and direction, and for whole modules
 * (`toKerasWeights` / `setFromKerasWeights`). The bias and gate-order rules are in convert.ts's header.
 */
import { describeValue } from '../engine/args';
import { formatShape, shapesEqual, Tensor, ValueError } from '@recurrent/core';
import { checkOptionKeys } from './init';
import type { StateDict } from './module';
import { RNNBase } from './rnn_base';
import { gateCount, kerasBiasToTorch, kerasWeightToTorch, RecurrentMode, torchBiasToKeras, torchWeightToKeras } from './weight_layout';

/** Which direction of a bidirectional layer. */
export type Direction = 'forward' | 'reverse';

/** Keras-layout weights of one layer and direction: `[kernel, recurrentKernel]` or `[kernel, recurrentKernel, bias]`. */
export type KerasWeights = Tensor[];

/** Options of the PyTorch → Keras functions. */
export interface TorchToKerasOptions {
  /** Key prefix inside a larger model's state dict, e.g. 'encoder.lstm.' (default ''). */
  prefix?: string;
}

function suffix(who: string, layerIndex: number, direction: Direction): string {
  if (!Number.isInteger(layerIndex) || layerIndex < 0)
    throw new ValueError(`${who}: layerIndex must be an integer >= 0, received ${describeValue(layerIndex)}.`);
  if (direction !== 'forward' && direction !== 'reverse')
    throw new ValueError(`${who}: direction must be 'forward' or 'reverse', received '${String(direction)}'.`);
  return `_l${layerIndex}${direction === 'reverse' ? '_reverse' : ''}`;
}

function torchToKeras(
  who: string,
  mode: RecurrentMode,
  source: StateDict | RNNBase,
  layerIndex: number,
  direction: Direction,
  options: TorchToKerasOptions,
): KerasWeights {
  checkOptionKeys(who, options, ['prefix']);
  const dict = source instanceof RNNBase ? source.stateDict() : source;
  if (dict === null || typeof dict !== 'object')
    throw new ValueError(
      `${who}: expected a state dict (name → Tensor) or an nn module, received ${dict === null ? 'null' : typeof dict}.`,
    );
  const prefix = options.prefix ?? '';
  const sfx = suffix(who, layerIndex, direction);
  const key = (n: string) => `${prefix}${n}${sfx}`;
  const get = (n: string, required: boolean): Tensor | null => {
    const t = dict[key(n)];
    if (t === undefined || t === null) {
      if (!required) return null;
      const avail = Object.keys(dict)
        .filter((k) => k.startsWith(prefix))
        .slice(0, 12);
      throw new ValueError(
        `${who}: the state dict has no '${key(n)}' (layer ${layerIndex}, ${direction}); it has ${avail.map((k) => `'${k}'`).join(', ') || 'no keys'}${avail.length === 12 ? ', ...' : ''}.`,
      );
    }
    if (!(t instanceof Tensor)) throw new ValueError(`${who}: '${key(n)}' must be a Tensor, received ${typeof t}.`);
    return t;
  };
  if (dict[key('weight_hr')]) {
    throw new ValueError(`${who}: '${key('weight_hr')}' is present: an LSTM with projSize has no Keras equivalent.`);
  }
  const wih = get('weight_ih', true) as Tensor;
  const whh = get('weight_hh', true) as Tensor;
  const G = gateCount(mode);
  if (whh.rank !== 2 || whh.shape[0] % G !== 0 || whh.shape[0] / G !== whh.shape[1]) {
    throw new ValueError(`${who}: '${key('weight_hh')}' must have shape [${G}·hidden, hidden], received ${formatShape(whh.shape)}.`);
  }
  const H = whh.shape[1];
  if (wih.rank !== 2 || wih.shape[0] !== G * H) {
    throw new ValueError(
      `${who}: '${key('weight_ih')}' must have shape [${G * H}, inputSize] (${G}·hidden = ${G * H}), received ${formatShape(wih.shape)}.`,
    );
  }
  const bih = get('bias_ih', false);
  const bhh = get('bias_hh', false);
  for (const [n, b] of [
    ['bias_ih', bih],
    ['bias_hh', bhh],
  ] as const) {
    if (b && !shapesEqual(b.shape, [G * H]))
      throw new ValueError(`${who}: '${key(n)}' must have shape [${G * H}], received ${formatShape(b.shape)}.`);
  }
  if (!!bih !== !!bhh)
    throw new ValueError(`${who}: found only one of '${key('bias_ih')}' and '${key('bias_hh')}'; PyTorch has both or neither.`);
  const out = [torchWeightToKeras(mode, wih, H), torchWeightToKeras(mode, whh, H)];
  const bias = torchBiasToKeras(mode, bih, bhh, H);
  if (bias) out.push(bias);
  return out;
}

function kerasToTorch(who: string, mode: RecurrentMode, weights: KerasWeights, layerIndex: number, direction: Direction): StateDict {
  const sfx = suffix(who, layerIndex, direction);
  if (!Array.isArray(weights) || (weights.length !== 2 && weights.length !== 3) || !weights.every((w) => w instanceof Tensor)) {
    throw new ValueError(
      `${who}: expected [kernel, recurrentKernel] or [kernel, recurrentKernel, bias] Tensors (layer.getWeights()), received ${Array.isArray(weights) ? `${weights.length} value(s)` : typeof weights}.`,
    );
  }
  const [kernel, recurrentKernel, bias] = weights;
  const G = gateCount(mode);
  if (recurrentKernel.rank !== 2 || recurrentKernel.shape[1] !== G * recurrentKernel.shape[0]) {
    throw new ValueError(`${who}: recurrentKernel must have shape [units, ${G}·units], received ${formatShape(recurrentKernel.shape)}.`);
  }
  const H = recurrentKernel.shape[0];
  if (kernel.rank !== 2 || kernel.shape[1] !== G * H) {
    throw new ValueError(`${who}: kernel must have shape [inputDim, ${G * H}] (${G}·units), received ${formatShape(kernel.shape)}.`);
  }
  const out: StateDict = {
    [`weight_ih${sfx}`]: kerasWeightToTorch(mode, kernel, H),
    [`weight_hh${sfx}`]: kerasWeightToTorch(mode, recurrentKernel, H),
  };
  if (bias) {
    const expected = mode === 'GRU' ? [2, G * H] : [G * H];
    if (!shapesEqual(bias.shape, expected)) {
      const hint =
        mode === 'GRU' && shapesEqual(bias.shape, [G * H])
          ? " (a GRU with resetAfter: false computes a different function than PyTorch's GRU and cannot be converted)"
          : '';
      throw new ValueError(`${who}: bias must have shape ${formatShape(expected)}, received ${formatShape(bias.shape)}${hint}.`);
    }
    const [bi, bh] = kerasBiasToTorch(mode, bias, H);
    out[`bias_ih${sfx}`] = bi;
    out[`bias_hh${sfx}`] = bh;
  }
  return out;
}

/** PyTorch LSTM parameters of one layer/direction → Keras LSTM `[kernel [in, 4H], recurrentKernel [H, 4H], bias [4H]]` (bias = bias_ih + bias_hh). */
export function torchToKerasLSTM(
  source: StateDict | RNNBase,
  layerIndex = 0,
  direction: Direction = 'forward',
  options: TorchToKerasOptions = {},
): KerasWeights {
  return torchToKeras('nn.convert.torchToKerasLSTM', 'LSTM', source, layerIndex, direction, options);
}

/** PyTorch GRU parameters → Keras GRU (resetAfter: true) `[kernel [in, 3H], recurrentKernel [H, 3H], bias [2, 3H]]`, gates r, z, n → z, r, h. */
export function torchToKerasGRU(
  source: StateDict | RNNBase,
  layerIndex = 0,
  direction: Direction = 'forward',
  options: TorchToKerasOptions = {},
): KerasWeights {
  return torchToKeras('nn.convert.torchToKerasGRU', 'GRU', source, layerIndex, direction, options);
}

/** PyTorch RNN parameters → Keras SimpleRNN `[kernel [in, H], recurrentKernel [H, H], bias [H]]` (bias = bias_ih + bias_hh). */
export function torchToKerasSimpleRNN(
  source: StateDict | RNNBase,
  layerIndex = 0,
  direction: Direction = 'forward',
  options: TorchToKerasOptions = {},
): KerasWeights {
  return torchToKeras('nn.convert.torchToKerasSimpleRNN', 'RNN', source, layerIndex, direction, options);
}

/** Keras LSTM weights → PyTorch `{weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k} (= bias), bias_hh_l{k} (= zeros)}`. */
export function kerasToTorchLSTM(weights: KerasWeights, layerIndex = 0, direction: Direction = 'forward'): StateDict {
  return kerasToTorch('nn.convert.kerasToTorchLSTM', 'LSTM', weights, layerIndex, direction);
}

/** Keras GRU (resetAfter: true) weights → PyTorch GRU parameters (exact, both biases kept). */
export function kerasToTorchGRU(weights: KerasWeights, layerIndex = 0, direction: Direction = 'forward'): StateDict {
  return kerasToTorch('nn.convert.kerasToTorchGRU', 'GRU', weights, layerIndex, direction);
}

/** Keras SimpleRNN weights → PyTorch RNN parameters (bias in bias_ih, zeros in bias_hh). */
export function kerasToTorchSimpleRNN(weights: KerasWeights, layerIndex = 0, direction: Direction = 'forward'): StateDict {
  return kerasToTorch('nn.convert.kerasToTorchSimpleRNN', 'RNN', weights, layerIndex, direction);
}

/**
 * All Keras-layout weights of an nn.LSTM / nn.GRU / nn.RNN: one entry per layer and direction, in order
 * `[l0 forward, l0 reverse, l1 forward, ...]` (a stack of Keras layers, Bidirectional ones holding forward then backward).
 */
export function toKerasWeights(module: RNNBase): KerasWeights[] {
  if (!(module instanceof RNNBase))
    throw new ValueError(`nn.convert.toKerasWeights: expected an nn.LSTM, nn.GRU or nn.RNN, received ${typeof module}.`);
  if (module.projSize > 0)
    throw new ValueError(`nn.convert.toKerasWeights: nn.${module.kind()} with projSize ${module.projSize} has no Keras equivalent.`);
  const dict = module.stateDict();
  const out: KerasWeights[] = [];
  for (let l = 0; l < module.numLayers; l++) {
    for (let d = 0; d < module.numDirections; d++) {
      out.push(torchToKeras(`nn.convert.toKerasWeights`, module.mode, dict, l, d === 1 ? 'reverse' : 'forward', {}));
    }
  }
  return out;
}

/** Sets an nn.LSTM / nn.GRU / nn.RNN from Keras-layout weights in the order of {@link toKerasWeights} (strict shapes). */
export function setFromKerasWeights(module: RNNBase, weights: KerasWeights[]): void {
  const who = 'nn.convert.setFromKerasWeights';
  if (!(module instanceof RNNBase)) throw new ValueError(`${who}: expected an nn.LSTM, nn.GRU or nn.RNN, received ${typeof module}.`);
  const n = module.numLayers * module.numDirections;
  if (!Array.isArray(weights) || weights.length !== n) {
    throw new ValueError(
      `${who}: nn.${module.kind()} has ${module.numLayers} layer(s) × ${module.numDirections} direction(s) = ${n} weight lists, received ${Array.isArray(weights) ? weights.length : typeof weights}.`,
    );
  }
  const dict: StateDict = {};
  weights.forEach((w, i) => {
    const l = Math.floor(i / module.numDirections);
    const dir: Direction = i % module.numDirections === 1 ? 'reverse' : 'forward';
    if (module.bias !== (w.length === 3)) {
      throw new ValueError(
        `${who}: entry ${i} (layer ${l}, ${dir}) has ${w.length} weights but nn.${module.kind()} has bias=${module.bias} (expects ${module.bias ? 3 : 2}).`,
      );
    }
    Object.assign(dict, kerasToTorch(who, module.mode, w, l, dir));
  });
  module.loadStateDict(dict);
}
