/**
 * `nn.convert`: weight conversion between PyTorch-layout recurrent parameters (nn.LSTM / nn.GRU / nn.RNN state
 * dicts, or a real PyTorch `state_dict()` loaded with `nn.loadStateDictJSON`) and the Keras layout of the
 * Keras-style layers (`[kernel, recurrentKernel, bias]`, as `layer.getWeights()` / `setWeights()`).
 *
 * Biases: PyTorch has two (bias_ih, bias_hh), a Keras LSTM / SimpleRNN one. PyTorch → Keras sums them (exact: the
 * math only uses the sum); Keras → PyTorch puts the bias in bias_ih and zeros in bias_hh. A Keras GRU with
 * `resetAfter: true` has both ([2, 3·units]) and converts exactly both ways; a GRU with `resetAfter: false`
 * computes a different function and cannot be converted. Gate blocks are reordered (GRU r, z, n ↔ z, r, h;
 * LSTM i, f, g, o is Keras's i, f, c, o). An LSTM with projSize has no Keras equivalent.
 *
 * Module level: `toKerasWeights` / `setFromKerasWeights` (all layers and directions), and `toLayers` / `fromLayers`
 * (an nn module with numLayers k ↔ k Keras-style LSTM / GRU / SimpleRNN layers, in `Bidirectional` when bidirectional).
 */
import { ValueError } from '@recurrent/core';
import type { Layer } from '../engine/layer';
import { Dropout as DropoutLayer } from '../layers/dropout';
import { Dropout as NNDropout } from './dropout';
import { Sequential, UnaryModule } from './sequential';
import { convertSimpleLayer } from './convert_simple_layer';
import { checkOptionKeys } from './init';
import { LastStep } from './last_step';
import { GRU as GRULayer } from '../recurrent/gru';
import { LSTM as LSTMLayer } from '../recurrent/lstm';
import { SimpleRNN as SimpleRNNLayer } from '../recurrent/simple_rnn';
import { Bidirectional } from '../wrappers/bidirectional';
import { GRU } from './gru';
import { LSTM } from './lstm';
import { RNN } from './rnn';
import { RNNBase } from './rnn_base';
import type { RecurrentMode } from './weight_layout';

export { LastStep };

export * from './convert_weights';
import { setFromKerasWeights, toKerasWeights } from './convert_weights';

/** Options of {@link toLayers}. */
export interface ToLayersOptions {
  /** Whether the last layer returns the whole sequence (default true, as the nn module's output). */
  returnSequences?: boolean;
}

/**
 * Keras-style layers computing the same function as an nn.LSTM / nn.GRU / nn.RNN: one `LSTM` / `GRU`
 * (resetAfter: true) / `SimpleRNN` layer per nn layer (recurrentActivation 'sigmoid', intermediate layers with
 * returnSequences), wrapped in `Bidirectional` (mergeMode 'concat': forward then backward, as PyTorch) when the
 * module is bidirectional, with `Dropout` layers of the module's rate between them when `dropout` > 0. The layers
 * are built for the module's input size and hold its weights (PyTorch's two biases summed for LSTM / SimpleRNN).
 * Apply them in order, e.g. `sequential({layers: nn.convert.toLayers(lstm)})`. The layers take batch-major input
 * [batch, seq, feature] regardless of the module's `batchFirst`.
 */
export function toLayers(module: RNNBase, options: ToLayersOptions = {}): Layer[] {
  const who = 'nn.convert.toLayers';
  checkOptionKeys(who, options, ['returnSequences']);
  if (!(module instanceof RNNBase)) throw new ValueError(`${who}: expected an nn.LSTM, nn.GRU or nn.RNN, received ${typeof module}.`);
  const weights = toKerasWeights(module);
  const D = module.numDirections;
  const out: Layer[] = [];
  for (let l = 0; l < module.numLayers; l++) {
    const last = l === module.numLayers - 1;
    const common = { units: module.hiddenSize, useBias: module.bias, returnSequences: last ? (options.returnSequences ?? true) : true };
    let layer: Layer;
    if (module.mode === 'LSTM') layer = new LSTMLayer({ ...common, activation: 'tanh', recurrentActivation: 'sigmoid' });
    else if (module.mode === 'GRU')
      layer = new GRULayer({ ...common, activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true });
    else layer = new SimpleRNNLayer({ ...common, activation: module.nonlinearity });
    if (D === 2) layer = new Bidirectional({ layer: layer as LSTMLayer, mergeMode: 'concat' });
    layer.maybeBuild([null, null, l === 0 ? module.inputSize : D * module.hiddenSize]);
    layer.setWeights(weights.slice(l * D, (l + 1) * D).flat());
    out.push(layer);
    if (!last && module.dropout > 0) out.push(new DropoutLayer({ rate: module.dropout }));
  }
  return out;
}

function activationName(a: unknown): string {
  return a && typeof (a as { getClassName?: unknown }).getClassName === 'function'
    ? (a as { getClassName(): string }).getClassName()
    : String(a);
}

/** Options of {@link fromLayers}. */
export interface FromLayersOptions {
  /** `batchFirst` of the new module (default true). */
  batchFirst?: boolean;
}

/**
 * The nn module equivalent to a stack of built Keras-style recurrent layers (all `LSTM`, all `GRU` with
 * resetAfter: true, or all `SimpleRNN`, same units and useBias, no goBackwards; either all plain or all wrapped in
 * `Bidirectional` with mergeMode 'concat', which gives a bidirectional module; optionally `Dropout` layers of
 * one rate between them, which become the module's `dropout`). LSTM/GRU need recurrentActivation 'sigmoid' and
 * activation 'tanh' (PyTorch's fixed functions); SimpleRNN 'tanh' or 'relu'. LSTM / SimpleRNN biases go into
 * bias_ih with zeros in bias_hh. The cells' own input/recurrent dropout has no PyTorch counterpart and is dropped.
 */
export function fromLayers(layers: Layer[], options?: FromLayersOptions): RNNBase;
/**
 * A whole Keras-style model (anything with a `layers` array, e.g. `sequential()`), or a layer list that mixes
 * `Embedding` / `Dense` with recurrent layers, becomes an `nn.Sequential`: Embedding → nn.Embedding (same
 * [inputDim, outputDim] table), each run of recurrent (+ Dropout between) layers → one nn.LSTM / nn.GRU / nn.RNN
 * (as above) followed by `nn.convert.LastStep` when its last layer has returnSequences false, Dense with a linear
 * activation → nn.Linear (weight = kernelᵀ); an `InputLayer` is skipped. Its `stateDict()` is then a PyTorch state
 * dict for an equivalent PyTorch model (keys '0.weight', '1.weight_ih_l0', ...).
 *
 * ```ts
 * const m = sequential({ layers: [layers.embedding({inputDim: 100, outputDim: 8}), layers.lstm({units: 16}), layers.dense({units: 3})] });
 * m.build([null, 5]);
 * const torchLike = nn.convert.fromLayers(m);       // nn.Sequential(Embedding, LSTM, LastStep, Linear)
 * nn.saveSafetensors(torchLike.stateDict());
 * ```
 */
export function fromLayers(model: { layers: Layer[] } | Layer[], options?: FromLayersOptions): RNNBase | Sequential;
export function fromLayers(input: { layers: Layer[] } | Layer[], options: FromLayersOptions = {}): RNNBase | Sequential {
  const who = 'nn.convert.fromLayers';
  checkOptionKeys(who, options, ['batchFirst']);
  const list: unknown = Array.isArray(input)
    ? input
    : input && typeof input === 'object' && Array.isArray((input as { layers?: unknown }).layers)
      ? (input as { layers: Layer[] }).layers
      : null;
  if (!Array.isArray(list))
    throw new ValueError(
      `${who}: expected a model with a layers array or an array of layers, received ${input === null ? 'null' : typeof input}.`,
    );
  const layers = (list as Layer[]).filter((l) => !(l && typeof l.getClassName === 'function' && l.getClassName() === 'InputLayer'));
  const isRecurrentish = (l: unknown) =>
    l instanceof LSTMLayer ||
    l instanceof GRULayer ||
    l instanceof SimpleRNNLayer ||
    l instanceof Bidirectional ||
    l instanceof DropoutLayer;
  if (layers.length > 0 && layers.every(isRecurrentish)) {
    if (Array.isArray(input)) return recurrentStackFromLayers(layers, options);
    // A model made only of recurrent layers: keep LastStep semantics when the last one returns one step.
    const rec = recurrentStackFromLayers(layers, options);
    return lastReturnsSequences(layers) ? rec : new Sequential(rec, new LastStep());
  }
  if (layers.length === 0) throw new ValueError(`${who}: expected a non-empty array of layers.`);
  const modules: UnaryModule[] = [];
  for (let i = 0; i < layers.length;) {
    const layer = layers[i];
    if (isRecurrentish(layer)) {
      let j = i;
      while (j < layers.length && isRecurrentish(layers[j])) j++;
      let run = layers.slice(i, j);
      while (run.length && run[run.length - 1] instanceof DropoutLayer) run = run.slice(0, -1); // a trailing Dropout is its own module
      modules.push(recurrentStackFromLayers(run, { ...options, batchFirst: true }));
      if (!lastReturnsSequences(run)) modules.push(new LastStep());
      for (let k = i + run.length; k < j; k++) modules.push(new NNDropout((layers[k] as DropoutLayer).rate));
      i = j;
      continue;
    }
    modules.push(convertSimpleLayer(who, layer));
    i++;
  }
  return new Sequential(...modules);
}

function lastReturnsSequences(layers: Layer[]): boolean {
  const rec = layers.filter((l) => !(l instanceof DropoutLayer));
  const last = rec[rec.length - 1];
  const inner = last instanceof Bidirectional ? last.forwardLayer : last;
  return !!(inner as LSTMLayer).returnSequences;
}

function recurrentStackFromLayers(layers: Layer[], options: FromLayersOptions = {}): RNNBase {
  const who = 'nn.convert.fromLayers';
  checkOptionKeys(who, options, ['batchFirst']);
  if (!Array.isArray(layers) || layers.length === 0)
    throw new ValueError(
      `${who}: expected a non-empty array of recurrent layers, received ${Array.isArray(layers) ? 'an empty array' : typeof layers}.`,
    );
  type RecLayer = LSTMLayer | GRULayer | SimpleRNNLayer;
  const isRec = (l: unknown): l is RecLayer => l instanceof LSTMLayer || l instanceof GRULayer || l instanceof SimpleRNNLayer;
  const rec: RecLayer[] = [];
  const backward: RecLayer[] = [];
  let wrapped = 0;
  const rates = new Set<number>();
  layers.forEach((layer, i) => {
    if (layer instanceof DropoutLayer) {
      if (i === 0 || i === layers.length - 1 || layers[i - 1] instanceof DropoutLayer) {
        throw new ValueError(
          `${who}: Dropout layer ${layer.name} (position ${i}) must sit between two recurrent layers (PyTorch applies dropout only between stacked layers).`,
        );
      }
      rates.add(layer.rate);
      return;
    }
    if (layer instanceof Bidirectional) {
      if (layer.mergeMode !== 'concat')
        throw new ValueError(
          `${who}: Bidirectional layer ${layer.name} has mergeMode ${JSON.stringify(layer.mergeMode)}; PyTorch concatenates (mergeMode 'concat').`,
        );
      const [f, b] = [layer.forwardLayer, layer.backwardLayer];
      if (!isRec(f) || !isRec(b) || f.getClassName() !== b.getClassName()) {
        throw new ValueError(
          `${who}: Bidirectional layer ${layer.name} must wrap an LSTM, GRU or SimpleRNN layer (the same kind both ways).`,
        );
      }
      if (!layer.built) throw new ValueError(`${who}: layer ${layer.name} is not built; apply it to an input (or call maybeBuild) first.`);
      if (f.goBackwards || !b.goBackwards)
        throw new ValueError(
          `${who}: Bidirectional layer ${layer.name} must run its forward layer forwards and its backward layer backwards.`,
        );
      wrapped++;
      rec.push(f);
      backward.push(b);
      return;
    }
    if (!isRec(layer)) {
      throw new ValueError(
        `${who}: layer ${i} (${(layer as Layer)?.name ?? typeof layer}) must be an LSTM, GRU, SimpleRNN, Bidirectional or Dropout layer.`,
      );
    }
    rec.push(layer);
  });
  if (wrapped > 0 && wrapped !== rec.length)
    throw new ValueError(
      `${who}: either all recurrent layers are Bidirectional or none (nn modules are bidirectional in every layer or none).`,
    );
  const bidirectional = wrapped > 0;
  if (rates.size > 1)
    throw new ValueError(
      `${who}: all Dropout layers must have the same rate (nn modules have one dropout), received ${[...rates].join(', ')}.`,
    );
  const first = rec[0];
  const kind = first.getClassName();
  const mode: RecurrentMode = first instanceof LSTMLayer ? 'LSTM' : first instanceof GRULayer ? 'GRU' : 'RNN';
  [...rec, ...backward].forEach((layer, j) => {
    const i = j % rec.length;
    const name = `layer ${layer.name}`;
    if (layer.getClassName() !== kind)
      throw new ValueError(`${who}: ${name} is a ${layer.getClassName()} but the first is a ${kind}; all must be of one kind.`);
    if (!layer.built) throw new ValueError(`${who}: ${name} is not built; apply it to an input (or call maybeBuild) first.`);
    if (layer.units !== first.units)
      throw new ValueError(`${who}: ${name} has ${layer.units} units but the first has ${first.units}; nn modules have one hiddenSize.`);
    if (layer.useBias !== first.useBias)
      throw new ValueError(`${who}: ${name} has useBias ${layer.useBias} but the first has ${first.useBias}.`);
    if (layer.goBackwards && !bidirectional)
      throw new ValueError(
        `${who}: ${name} has goBackwards: true, which has no unidirectional PyTorch equivalent (wrap it in Bidirectional).`,
      );
    if (i < rec.length - 1 && !layer.returnSequences)
      throw new ValueError(`${who}: ${name} must have returnSequences: true to feed the next layer.`);
    const act = activationName(layer.activation);
    if (mode === 'RNN') {
      if (act !== 'tanh' && act !== 'relu')
        throw new ValueError(`${who}: ${name} has activation '${act}'; PyTorch's RNN supports 'tanh' or 'relu'.`);
      if (act !== activationName(first.activation))
        throw new ValueError(`${who}: ${name} has activation '${act}' but the first has '${activationName(first.activation)}'.`);
    } else {
      const recAct = activationName((layer as LSTMLayer | GRULayer).recurrentActivation);
      if (act !== 'tanh' || recAct !== 'sigmoid') {
        throw new ValueError(
          `${who}: ${name} has activation '${act}' and recurrentActivation '${recAct}'; PyTorch's ${mode} uses 'tanh' and 'sigmoid' (tfjs defaults recurrentActivation to 'hardSigmoid').`,
        );
      }
      if (layer instanceof GRULayer && !layer.resetAfter)
        throw new ValueError(`${who}: ${name} has resetAfter: false, which computes a different function than PyTorch's GRU.`);
    }
  });
  const inputSize = first.getWeights()[0].shape[0];
  const opts = {
    numLayers: rec.length,
    bias: first.useBias,
    bidirectional,
    batchFirst: options.batchFirst ?? true,
    dropout: rates.size ? [...rates][0] : 0,
  };
  const module: RNNBase =
    mode === 'LSTM'
      ? new LSTM(inputSize, first.units, opts)
      : mode === 'GRU'
        ? new GRU(inputSize, first.units, opts)
        : new RNN(inputSize, first.units, { ...opts, nonlinearity: activationName(first.activation) as 'tanh' | 'relu' });
  setFromKerasWeights(
    module,
    rec.flatMap((l, i) => (bidirectional ? [l.getWeights(), backward[i].getWeights()] : [l.getWeights()])),
  );
  return module;
}
