/** Bidirectional: runs a recurrent layer forwards and a copy backwards over a sequence and merges the outputs. */
import { checkArgsOf } from '../serialization/registry';
import { add, concat, formatShape, mul, reverse, Tensor, ValueError } from '@recurrent/core';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
import { stateSizesOf } from '../cells/rnn_cell';
import { RNN } from '../recurrent/rnn';
import { statesFromInputList } from '../recurrent/base_rnn';
import { ConfigDict, deserialize, serialize, SerializedObject } from '../serialization/registry';
import type { BuiltinClasses } from '../serialization/registry';
import { ConvLSTM1D } from '../recurrent/conv_lstm1d';
import { ConvLSTM2D } from '../recurrent/conv_lstm2d';
import { GRU } from '../recurrent/gru';
import { LSTM } from '../recurrent/lstm';
import { SimpleRNN } from '../recurrent/simple_rnn';
import { Wrapper, WrapperArgs } from './wrapper';

/** How the forward and backward outputs are combined (tfjs `BidirectionalMergeMode`). */
export type BidirectionalMergeMode = 'concat' | 'sum' | 'mul' | 'ave';

const MERGE_MODES: (BidirectionalMergeMode | null)[] = ['concat', 'sum', 'mul', 'ave', null];

/** Args of `Bidirectional` (tfjs `BidirectionalLayerArgs`, plus Keras's `backwardLayer`). */
export interface BidirectionalArgs extends WrapperArgs {
  /**
   * The recurrent layer (an `RNN`: `layers.lstm(...)`, `layers.gru(...)`, `layers.simpleRNN(...)`, `layers.rnn(...)`),
   * or its serialized `{className, config}`. It is not used itself: the forward layer is rebuilt from its config.
   */
  layer: RNN | SerializedObject;
  /**
   * How the outputs are combined: 'concat' (default, on the last axis), 'sum', 'mul', 'ave', or null to
   * return `[forwardOutput, backwardOutput]`.
   */
  mergeMode?: BidirectionalMergeMode | null;
  /**
   * The layer that runs backwards (Keras `backward_layer`); default a copy of `layer` with `goBackwards`
   * flipped. Must differ from `layer` in `goBackwards` and agree in `returnSequences`, `returnState` and
   * `stateful`. tfjs note: tfjs has no such option.
   */
  backwardLayer?: RNN | SerializedObject;
}

/** The built-in recurrent layers (found by name when `layer`/`backwardLayer` come serialized). */
const RNN_LAYERS: BuiltinClasses = {
  classes: [RNN, SimpleRNN, GRU, LSTM, ConvLSTM1D, ConvLSTM2D],
  selfValidating: [ConvLSTM1D, ConvLSTM2D],
};

function resolveRnn(owner: string, option: string, value: unknown): RNN {
  let layer: unknown = value;
  if (!(value instanceof Layer) && value !== null && typeof value === 'object') {
    layer = deserialize<Layer>(value as SerializedObject, 'layer', {}, RNN_LAYERS);
  }
  if (!(layer instanceof RNN)) {
    const what = layer instanceof Layer ? `a ${layer.getClassName()} layer (${layer.name})` : value === null ? 'null' : typeof value;
    throw new ValueError(
      `Layer ${owner}: Bidirectional expects args.${option} to be a recurrent layer (an RNN such as layers.lstm({units: 8})), received ${what}.`,
    );
  }
  return layer;
}

/** A fresh, unbuilt copy of `layer` made from its config, with a new name and the given `goBackwards`. */
function recreate(owner: string, layer: RNN, name: string, goBackwards: boolean): RNN {
  const config = { ...layer.getConfig(), name, goBackwards };
  let copy: Layer;
  try {
    // The copy is of the layer's own class (customObjects come first): no lookup by name.
    copy = deserialize<Layer>({ className: layer.getClassName(), config }, 'layer', {
      [layer.getClassName()]: layer.constructor as typeof RNN,
    });
  } catch (e) {
    throw new ValueError(`Layer ${owner}: could not recreate ${layer.name} from its config for Bidirectional: ${(e as Error).message}`);
  }
  if (!(copy instanceof RNN)) throw new ValueError(`Layer ${owner}: ${layer.getClassName()}.fromConfig did not return an RNN layer.`);
  copy.useFusedKernel = layer.useFusedKernel;
  return copy;
}

/**
 * Bidirectional wrapper for recurrent layers: a forward copy of `layer` (named 'forward_' + layer.name) and
 * a backward copy (`goBackwards` flipped, named 'backward_' + layer.name) read the same input; with
 * `returnSequences` the backward outputs are reversed in time so that step t of both lines up, then the two
 * are merged by `mergeMode`. As tfjs:
 *
 * - weights: forward then backward, named 'bidirectional/forward_lstm/kernel', ..., 'bidirectional/backward_lstm/bias';
 *   `getWeights`/`setWeights` use that order.
 * - `returnState`: `[merged, ...forwardStates, ...backwardStates]` (`[forward, backward, ...states]` with mergeMode null).
 * - `initialState` (or `apply([x, ...states])`): the forward layer's states, then the backward layer's.
 * - a mask goes to both layers; `computeMask` gives it back when `returnSequences`.
 * - stateful: both copies are stateful (give the wrapped layer a `batchInputShape`); `resetStates` resets both.
 *
 * ```js
 * const bi = layers.bidirectional({layer: layers.lstm({units: 8, returnSequences: true})});
 * bi.apply(x);   // [batch, timeSteps, 16]
 * ```
 *
 * tfjs note: tfjs calls the inner layers' `call` directly; here they are applied (as Keras does), so an
 * `activityRegularizer` of the wrapped layer counts in `losses` for both directions. `constants` are passed
 * to both layers (Keras; tfjs throws), `weights` are set after the build (Keras; tfjs throws) and
 * `backwardLayer` is accepted (Keras; tfjs has no such option).
 */
export class Bidirectional extends Wrapper {
  static override className = 'Bidirectional';
  /** The layer that reads the sequence in the wrapped layer's direction. */
  readonly forwardLayer: RNN;
  /** The layer that reads it in the other direction. */
  readonly backwardLayer: RNN;
  readonly mergeMode: BidirectionalMergeMode | null;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly stateful: boolean;
  /** The serialized `backwardLayer` argument, kept for `getConfig` (null when not given). */
  private readonly backwardLayerConfig: SerializedObject | null;

  constructor(args: BidirectionalArgs) {
    super(args, RNN_LAYERS);
    const layer = resolveRnn(this.name, 'layer', this.layer);
    const mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MERGE_MODES.includes(mergeMode)) {
      throw new ValueError(
        `Layer ${this.name}: invalid mergeMode ${JSON.stringify(mergeMode)}; expected one of 'concat', 'sum', 'mul', 'ave' or null.`,
      );
    }
    this.mergeMode = mergeMode;
    this.forwardLayer = recreate(this.name, layer, `forward_${layer.name}`, layer.goBackwards);
    if (args.backwardLayer === undefined || args.backwardLayer === null) {
      this.backwardLayerConfig = null;
      this.backwardLayer = recreate(this.name, layer, `backward_${layer.name}`, !layer.goBackwards);
    } else {
      const given = resolveRnn(this.name, 'backwardLayer', args.backwardLayer);
      this.backwardLayerConfig = serialize(given);
      this.backwardLayer = recreate(this.name, given, `backward_${given.name}`, given.goBackwards);
      if (args.trainable === false) this.backwardLayer.trainable = false;
      this.checkBackwardLayer();
    }
    this.returnSequences = layer.returnSequences;
    this.returnState = layer.returnState;
    this.stateful = layer.stateful;
    this.supportsMasking = true;
    this.inputSpec = layer.inputSpec;
    // Validate the option bag once the object is complete (direct `new Bidirectional(...)`; factories and files check too).
    if (new.target === Bidirectional) checkArgsOf(this, args);
  }

  private checkBackwardLayer(): void {
    const f = this.forwardLayer;
    const b = this.backwardLayer;
    if (f.goBackwards === b.goBackwards) {
      throw new ValueError(
        `Layer ${this.name}: the layer and backwardLayer must differ in goBackwards, but both have goBackwards ${f.goBackwards}.`,
      );
    }
    for (const option of ['returnSequences', 'returnState', 'stateful'] as const) {
      if (f[option] !== b[option]) {
        throw new ValueError(
          `Layer ${this.name}: the layer and backwardLayer must have the same ${option}, received ${f[option]} for the layer and ${b[option]} for backwardLayer.`,
        );
      }
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = getExactlyOneShape(this.name, inputShape);
    // Each direction builds in its own scope inside this layer's: 'bidirectional/forward_lstm/kernel'.
    this.forwardLayer.maybeBuild(shape, this.forwardLayer.name);
    this.backwardLayer.maybeBuild(shape, this.backwardLayer.name);
    this.inputSpec = this.forwardLayer.inputSpec;
    this.built = true;
  }

  /** Accepts `apply([x, ...initialStates])` as the RNN layer does. */
  protected override standardizeCallArgs(inputs: Tensor | Tensor[], kwargs: CallKwargs): [Tensor | Tensor[], CallKwargs] {
    return statesFromInputList(this.name, inputs, kwargs);
  }

  /** Splits `states` into the forward layer's and the backward layer's, checking the count. */
  private splitStates(states: Tensor | Tensor[], option: string): [Tensor[], Tensor[]] {
    const list = Array.isArray(states) ? states : [states];
    const nf = stateSizesOf(this.forwardLayer.cell).length;
    const nb = stateSizesOf(this.backwardLayer.cell).length;
    if (list.length !== nf + nb) {
      throw new ValueError(
        `Layer ${this.name}: ${option} expects ${nf + nb} state tensors (the ${nf} of ${this.forwardLayer.name}, then the ${nb} of ` +
          `${this.backwardLayer.name}), received ${list.length}.`,
      );
    }
    return [list.slice(0, nf), list.slice(nf)];
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    const x = getExactlyOneTensor(this.name, inputs);
    const { initialState, ...rest } = kwargs ?? {};
    let forwardKwargs: CallKwargs = rest;
    let backwardKwargs: CallKwargs = rest;
    if (initialState !== undefined && initialState !== null) {
      const [f, b] = this.splitStates(initialState, 'initialState');
      forwardKwargs = { ...rest, initialState: f };
      backwardKwargs = { ...rest, initialState: b };
    }
    const yFwd = this.forwardLayer.apply(x, forwardKwargs);
    const yBwd = this.backwardLayer.apply(x, backwardKwargs);
    let y: Tensor;
    let yRev: Tensor;
    let states: Tensor[] = [];
    if (this.returnState) {
      const f = yFwd as Tensor[];
      const b = yBwd as Tensor[];
      y = f[0];
      yRev = b[0];
      states = [...f.slice(1), ...b.slice(1)];
    } else {
      y = yFwd as Tensor;
      yRev = yBwd as Tensor;
    }
    if (this.returnSequences) yRev = reverse(yRev, 1);

    if (this.mergeMode === null) return [y, yRev, ...states];
    if (this.mergeMode !== 'concat' && (y.rank !== yRev.rank || y.shape.some((d, i) => d !== yRev.shape[i]))) {
      throw new ValueError(
        `Layer ${this.name}: mergeMode '${this.mergeMode}' needs forward and backward outputs of the same shape, received ` +
          `${formatShape(y.shape)} and ${formatShape(yRev.shape)}.`,
      );
    }
    let output: Tensor;
    switch (this.mergeMode) {
      case 'concat':
        output = concat([y, yRev], y.rank - 1);
        break;
      case 'sum':
        output = add(y, yRev);
        break;
      case 'ave':
        output = mul(0.5, add(y, yRev));
        break;
      default:
        output = mul(y, yRev);
    }
    return this.returnState ? [output, ...states] : output;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = getExactlyOneShape(this.name, inputShape);
    const asShapes = (s: Shape | Shape[]): Shape[] =>
      (s.length > 0 && Array.isArray(s[0]) ? (s as Shape[]) : [s as Shape]).map((d) => d.slice());
    const fwd = asShapes(this.forwardLayer.computeOutputShape(shape));
    const bwd = asShapes(this.backwardLayer.computeOutputShape(shape));
    const states = this.returnState ? [...fwd.slice(1), ...bwd.slice(1)] : [];
    let outputs: Shape[];
    if (this.mergeMode === null) {
      outputs = [fwd[0], bwd[0]];
    } else if (this.mergeMode === 'concat') {
      const out = fwd[0].slice();
      const last = out.length - 1;
      const a = out[last];
      const b = bwd[0][last];
      out[last] = a === null || b === null ? null : a + b;
      outputs = [out];
    } else {
      outputs = [fwd[0]];
    }
    const all = [...outputs, ...states];
    return all.length === 1 ? all[0] : all;
  }

  /** The input mask when `returnSequences` (else null), per output as tfjs (null for states). */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | Tensor[] | null {
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const outputMask = this.returnSequences ? m : null;
    const outputMasks = this.mergeMode === null ? [outputMask, outputMask] : [outputMask];
    const stateMasks = this.returnState
      ? [...stateSizesOf(this.forwardLayer.cell), ...stateSizesOf(this.backwardLayer.cell)].map(() => null)
      : [];
    const all = [...outputMasks, ...stateMasks];
    return (all.length === 1 ? all[0] : all) as Tensor | Tensor[] | null;
  }

  // ---------------------------------------------------------------- states

  /** The current states of a stateful layer: the forward layer's, then the backward layer's (null before the first call). */
  get states(): Tensor[] | null {
    const f = this.forwardLayer.states;
    const b = this.backwardLayer.states;
    return f && b ? [...f, ...b] : null;
  }

  /**
   * Resets the states of both layers of a stateful Bidirectional to zeros, or to `states` (the forward
   * layer's states, then the backward layer's).
   */
  resetStates(states?: Tensor | Tensor[]): void {
    if (!this.stateful) {
      throw new ValueError(`Layer ${this.name}: resetStates() can only be called when the wrapped layer is stateful (stateful: true).`);
    }
    if (states === undefined || states === null) {
      this.forwardLayer.resetStates();
      this.backwardLayer.resetStates();
      return;
    }
    const [f, b] = this.splitStates(states, 'resetStates');
    this.forwardLayer.resetStates(f);
    this.backwardLayer.resetStates(b);
  }

  // ---------------------------------------------------------------- weights

  override get trainable(): boolean {
    return this.trainable_;
  }

  override set trainable(value: boolean) {
    this.trainable_ = value;
    // The constructor of Layer sets trainable_ before the inner layers exist.
    if (this.layer) this.layer.trainable = value;
    if (this.forwardLayer) this.forwardLayer.trainable = value;
    if (this.backwardLayer) this.backwardLayer.trainable = value;
  }

  override get trainableWeights(): LayerVariable[] {
    return [...this.forwardLayer.trainableWeights, ...this.backwardLayer.trainableWeights];
  }

  override get nonTrainableWeights(): LayerVariable[] {
    return [...this.forwardLayer.nonTrainableWeights, ...this.backwardLayer.nonTrainableWeights];
  }

  /** The forward layer's weights, then the backward layer's (tfjs order). */
  override getWeights(): Tensor[] {
    return [...this.forwardLayer.getWeights(), ...this.backwardLayer.getWeights()];
  }

  /** Sets the forward layer's weights, then the backward layer's, in `getWeights()` order. */
  override setWeights(weights: Tensor[]): void {
    const fwd = this.forwardLayer.weights;
    this.checkWeightValues([...fwd, ...this.backwardLayer.weights], weights);
    this.forwardLayer.setWeights(weights.slice(0, fwd.length));
    this.backwardLayer.setWeights(weights.slice(fwd.length));
  }

  override get losses(): Tensor[] {
    return [...this.forwardLayer.losses, ...this.backwardLayer.losses];
  }

  override regularizationLosses(): Tensor[] {
    return [...this.forwardLayer.regularizationLosses(), ...this.backwardLayer.regularizationLosses()];
  }

  override clearAddedLosses(): void {
    super.clearAddedLosses();
    this.forwardLayer.clearAddedLosses();
    this.backwardLayer.clearAddedLosses();
  }

  override dispose(): void {
    this.forwardLayer.dispose();
    this.backwardLayer.dispose();
  }

  // ---------------------------------------------------------------- config

  /** tfjs's layout: `{mergeMode, layer: {className, config}, name, ...}`, plus Keras's `backwardLayer` when given. */
  override getConfig(): ConfigDict {
    const config: ConfigDict = { mergeMode: this.mergeMode, ...super.getConfig() };
    if (this.backwardLayerConfig) config.backwardLayer = this.backwardLayerConfig;
    return config;
  }
}
