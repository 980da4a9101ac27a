/**
 * `Sequential`: a linear stack of layers with tfjs's model API — `add`, `compile`, `fit`,
 * `evaluate`, `predict`, `trainOnBatch`, `summary`, weights, `resetStates`.
 *
 * ```js
 * const model = sequential();
 * model.add(layers.lstm({units: 32, inputShape: [20, 1]}));
 * model.add(layers.dense({units: 1, activation: 'sigmoid'}));
 * model.compile({optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy']});
 * const history = await model.fit(x, y, {epochs: 10, batchSize: 32, validationSplit: 0.1});
 * ```
 */
import { add, concat, formatShape, mean, mul, RandomGenerator, reshape, scalar, Tensor, variableGrads } from '@recurrent/core';
import type { Scalar } from '@recurrent/core';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, InputSpec, Layer, LayerVariable } from '@recurrent/layers';
import type { ConfigDict, Shape } from '@recurrent/layers';
import { getLoss, lossName } from '../losses/get_loss';
import type { LossOrMetricFn } from '../losses/losses';
import { getMetric } from '../metrics/get_metric';
import type { ResolvedMetric } from '../metrics/get_metric';
import { Optimizer } from '../optimizers/optimizer';
import { getOptimizer } from '../optimizers/train';
import { BaseCallback, CallbackLike, CallbackList, History, Logs, standardizeCallbacks, TrainingParams } from '../callbacks/callback';
import { canPrintProgress, ProgbarLogger } from '../callbacks/progress_bar';
import {
  checkSameSamples, ClassWeight, classSampleWeights, gatherRows, indexArray, makeBatches, NullableShape, shapeMatches,
  shuffleGenerator, singleTensor, sliceRows,
} from './data';
import { summaryLines, SummaryRow } from './summary';
import { initStreamState, makeStepPlan, planMatches, runStep, StepPlan, StreamState } from './streaming';
import type { IOHandler, SaveResult, TrainingConfig } from '../io/types';
import type { WeightLoadReport } from './load_report';
import { modelTopologyOf, trainingConfigFor } from './model_topology';
import { saveModel, SaveConfig } from './model_save';

/** Args of `sequential()` (tfjs `SequentialArgs`). */
export interface SequentialArgs {
  /** Layers to add, in order (the first needs `inputShape`/`batchInputShape`, or the model builds on first use). */
  layers?: Layer[];
  /** Model name (default 'sequential', 'sequential_1', ...). */
  name?: string;
}

/** A loss given to `compile`: a name, a function `(yTrue, yPred) => perSampleLoss`, or a one-element array/object of those. */
export type LossIdentifier = string | LossOrMetricFn;

/** Args of `compile` (tfjs `ModelCompileArgs`). */
export interface ModelCompileArgs {
  /** An optimizer name ('sgd', 'adam', 'rmsprop', ...) or instance (`train.adam(0.01)`). */
  optimizer: string | Optimizer;
  /** A loss name ('meanSquaredError', 'categoricalCrossentropy', 'mse', ...) or function. */
  loss: LossIdentifier | LossIdentifier[] | { [outputName: string]: LossIdentifier };
  /** Metrics: names ('accuracy', 'mse', ...) or functions, reported in logs under their names. */
  metrics?: LossIdentifier | LossIdentifier[] | { [outputName: string]: LossIdentifier | LossIdentifier[] };
}

/** When `fit` yields to the event loop (and calls `onYield`). */
export type YieldEveryOptions = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** Args of `fit` (tfjs `ModelFitArgs`). */
export interface ModelFitArgs {
  /** Index of the last epoch + 1 (default 1). */
  epochs?: number;
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** 0: silent, 1: progress bar (default, in Node), 2: one line per epoch. Nothing prints without `process.stdout`. */
  verbose?: number;
  /** Callbacks: `BaseCallback`s or objects of hooks (`{onEpochEnd: (epoch, logs) => ...}`). */
  callbacks?: CallbackLike | CallbackLike[];
  /** Fraction of the samples, taken from the END of x and y before shuffling, used for validation only. */
  validationSplit?: number;
  /** `[xVal, yVal]` to evaluate at the end of each epoch (wins over `validationSplit`). */
  validationData?: [Tensor | Tensor[], Tensor | Tensor[]] | Tensor[];
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean | 'batch';
  /** Per-class loss weights `{classIndex: weight}`. */
  classWeight?: ClassWeight | ClassWeight[] | { [outputName: string]: ClassWeight };
  /** Per-sample loss weights, shape [n] (multiplied with class weights when both are given). */
  sampleWeight?: Tensor;
  /** The epoch to start at (for resuming; default 0). */
  initialEpoch?: number;
  /** When to yield to the event loop: 'auto' (every 125 ms in browsers, never in Node), 'batch', 'epoch', 'never', or milliseconds. */
  yieldEvery?: YieldEveryOptions;
  /**
   * Seed of the shuffling order. Without it, shuffling uses core's global generator, which
   * `setSeed(n)` makes reproducible. tfjs note: an addition; tfjs cannot seed `fit`'s shuffling.
   */
  seed?: number;
  /** Not supported with tensor inputs (throws when set), as tfjs. */
  stepsPerEpoch?: number;
  /** Not supported (throws when set). */
  validationSteps?: number;
}

/** Args of `evaluate` (tfjs `ModelEvaluateArgs`). */
export interface ModelEvaluateArgs {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Accepted for tfjs compatibility; evaluate prints nothing. */
  verbose?: number;
  /** Per-sample weights of the loss, shape [n]. */
  sampleWeight?: Tensor;
  /** Not supported (throws when set). */
  steps?: number;
}

/** Args of `predict` (tfjs `ModelPredictArgs`). */
export interface ModelPredictArgs {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Accepted for tfjs compatibility; predict prints nothing. */
  verbose?: boolean;
}

const FIT_KEYS = [
  'epochs', 'batchSize', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'shuffle', 'classWeight',
  'sampleWeight', 'initialEpoch', 'yieldEvery', 'seed', 'stepsPerEpoch', 'validationSteps',
];

function checkKeys(where: string, args: object, known: string[]): void {
  for (const k of Object.keys(args)) {
    if (!known.includes(k)) throw new Error(`${where}: unknown option '${k}'; known options: ${known.join(', ')}.`);
  }
}

function checkPositiveInt(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new Error(`${where}: ${name} must be a positive integer, received ${String(v)}.`);
  }
  return v;
}

/** Mean of a tensor's values as a JS number (accumulated in float64). */
function meanOf(t: Tensor): number {
  const v = t.values;
  if (v.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

function nextTick(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  return new Promise((resolve) => (typeof g.setImmediate === 'function' ? g.setImmediate(resolve) : setTimeout(resolve, 0)));
}

function isBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== 'undefined' && typeof g.document !== 'undefined';
}

/** Unwraps `compile`'s loss/metric given per output (array or object) for our single output. */
function unwrapSingle<T>(value: T | T[] | { [k: string]: T }, what: string): T {
  if (Array.isArray(value)) {
    if (value.length !== 1) throw new Error(`compile: a Sequential model has one output, so ${what} must be one value, received an array of ${value.length}.`);
    return value[0];
  }
  if (value != null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length !== 1) throw new Error(`compile: a Sequential model has one output, so ${what} must be one value, received an object with keys ${keys.join(', ')}.`);
    return (value as { [k: string]: T })[keys[0]];
  }
  return value as T;
}

/** Checks a nullable shape against a layer's InputSpec (unknown dimensions pass). Mirrors `assertInputCompatibility`. */
function assertShapeCompatibility(layer: Layer, shape: NullableShape): void {
  const specs = layer.inputSpec;
  if (!specs || specs.length === 0) return;
  if (specs.length !== 1) throw new Error(`Layer ${layer.name} expects ${specs.length} inputs, but a Sequential model gives it 1.`);
  const spec: InputSpec = specs[0];
  if (!spec) return;
  const fail = (what: string): never => {
    throw new Error(`Input 0 of layer ${layer.name} is incompatible with the layer: ${what}. Full shape received: ${formatShape(shape)}`);
  };
  const ndim = shape.length;
  if (spec.ndim != null && ndim !== spec.ndim) fail(`expected ndim=${spec.ndim}, found ndim=${ndim}`);
  if (spec.minNdim != null && ndim < spec.minNdim) fail(`expected min_ndim=${spec.minNdim}, found ndim=${ndim}`);
  if (spec.maxNdim != null && ndim > spec.maxNdim) fail(`expected max_ndim=${spec.maxNdim}, found ndim=${ndim}`);
  if (spec.axes) {
    for (const key of Object.keys(spec.axes)) {
      const axis = Number(key);
      const expected = spec.axes[axis];
      if (expected == null) continue;
      const actual = axis >= 0 ? shape[axis] : shape[shape.length + axis];
      if (actual != null && actual !== expected) {
        fail(`expected axis ${axis} of input shape to have value ${expected}, but received input with shape ${formatShape(shape)}`);
      }
    }
  }
  if (spec.shape) {
    spec.shape.forEach((d, k) => {
      if (d !== null && shape[k] != null && shape[k] !== d) fail(`expected shape=${formatShape(spec.shape!)}, found shape=${formatShape(shape)}`);
    });
  }
}

/**
 * A linear stack of layers (tfjs `tf.Sequential`). It is itself a Layer, so it can be nested.
 *
 * Weights are listed as tfjs does: the trainable weights of all layers in order, then the
 * non-trainable ones (`getWeights`/`setWeights` use this order).
 */
export class Sequential extends Layer {
  static override className = 'Sequential';

  /** Set to true (e.g. from a callback) to stop `fit` after the current batch. */
  stopTraining = false;
  /** True while `fit` runs. */
  isTraining = false;
  /** The `History` of the last `fit`. */
  history: History | null = null;
  /** How `loadLayersModel` matched the file's weights (null for models not loaded from a file). */
  loadReport: WeightLoadReport | null = null;

  private readonly layers_: Layer[] = [];
  /** Output shape of each layer (null until known). */
  private readonly outputShapes_: (NullableShape | null)[] = [];
  private inputShape_: NullableShape | null = null;
  private optimizer_: Optimizer | null = null;
  private lossFn: LossOrMetricFn | null = null;
  private lossIdentifier: LossIdentifier | null = null;
  private metricIdentifiers: LossIdentifier[] = [];
  private metrics_: ResolvedMetric[] = [];
  private outputMask: Tensor | null = null;
  private stepPlan_: StepPlan | null = null;

  constructor(args: SequentialArgs = {}) {
    args = args ?? {};
    if (typeof args !== 'object' || Array.isArray(args)) {
      throw new Error(`sequential: expected an args object like {layers: [...]}, received ${Array.isArray(args) ? 'an array' : String(args)}.`);
    }
    checkKeys('sequential', args, ['layers', 'name']);
    super({ name: args.name });
    if (args.layers != null) {
      if (!Array.isArray(args.layers)) throw new Error(`sequential: layers must be an array of layers, received ${typeof args.layers}.`);
      for (const layer of args.layers) this.add(layer);
    }
  }

  // ---------------------------------------------------------------- structure

  /** The layers, in order. */
  get layers(): Layer[] {
    return this.layers_.slice();
  }

  /**
   * Appends a layer. When the input shape is known (the first layer has `inputShape` or
   * `batchInputShape`), the layer is checked against the previous layer's output shape and built
   * now; otherwise the model builds on its first call.
   */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) {
      throw new Error(`Sequential ${this.name}: add() expects a layer (e.g. layers.dense({units: 1})), received ${layer === null ? 'null' : typeof layer}.`);
    }
    if (layer === this) throw new Error(`Sequential ${this.name}: a model cannot be added to itself.`);
    if (this.layers_.includes(layer)) throw new Error(`Sequential ${this.name}: layer ${layer.name} is already in the model.`);
    if (this.layers_.some((l) => l.name === layer.name)) {
      throw new Error(`Sequential ${this.name}: all layers added to a Sequential model should have unique names; '${layer.name}' is already used.`);
    }
    let out: NullableShape | null = null;
    const index = this.layers_.length;
    if (index === 0) {
      const given = layer instanceof Sequential ? layer.inputShape_ : layer.batchInputShape ?? null;
      if (given) {
        out = this.connect(layer, given.slice(), null);
        this.inputShape_ = given.slice();
      }
    } else {
      const prev = this.outputShapes_[index - 1];
      if (prev) out = this.connect(layer, prev, this.layers_[index - 1]);
    }
    this.layers_.push(layer);
    this.outputShapes_.push(out);
    this.built = out !== null;
  }

  /** Removes the last layer (Keras/tfjs `pop`). */
  pop(): void {
    if (this.layers_.length === 0) throw new Error(`Sequential ${this.name}: pop() on a model with no layers.`);
    this.layers_.pop();
    this.outputShapes_.pop();
    if (this.layers_.length === 0) {
      this.inputShape_ = null;
      this.built = false;
    }
  }

  /** Checks `layer` against its input shape, builds it, and returns its output shape. */
  private connect(layer: Layer, inShape: NullableShape, prev: Layer | null): NullableShape {
    const context = () =>
      prev
        ? `Sequential ${this.name}: cannot connect layer '${layer.name}' (${layer.getClassName()}) after layer '${prev.name}' ` +
          `(${prev.getClassName()}), whose output shape is ${formatShape(inShape)}: `
        : `Sequential ${this.name}: layer '${layer.name}' (${layer.getClassName()}) cannot take the model input of shape ${formatShape(inShape)}: `;
    let out: Shape | Shape[];
    try {
      assertShapeCompatibility(layer, inShape);
      layer.maybeBuild(inShape);
      out = layer.computeOutputShape(inShape);
    } catch (e) {
      const err = e as Error;
      err.message = context() + err.message;
      throw err;
    }
    if (out.length > 0 && Array.isArray(out[0])) {
      throw new Error(
        context() + `it has ${out.length} outputs, but each layer of a Sequential model must have one output (e.g. set returnState: false).`,
      );
    }
    return (out as Shape).slice();
  }

  /**
   * The layer named `name`, or at position `index` (tfjs: `getLayer(name)`, `getLayer(undefined, index)`;
   * also `getLayer(index)`).
   */
  getLayer(nameOrIndex?: string | number, index?: number): Layer {
    if (index != null || typeof nameOrIndex === 'number') {
      const i = (index ?? nameOrIndex) as number;
      if (!Number.isInteger(i) || i < 0 || i >= this.layers_.length) {
        throw new Error(`Sequential ${this.name}: getLayer: index ${String(i)} is out of range; the model has ${this.layers_.length} layer(s).`);
      }
      return this.layers_[i];
    }
    if (typeof nameOrIndex !== 'string') throw new Error(`Sequential ${this.name}: getLayer needs a layer name or an index.`);
    const found = this.layers_.find((l) => l.name === nameOrIndex);
    if (!found) {
      throw new Error(`Sequential ${this.name}: no layer named '${nameOrIndex}'; layers: ${this.layers_.map((l) => l.name).join(', ') || 'none'}.`);
    }
    return found;
  }

  /** The model's input shape (with a null batch dimension unless fixed). Throws before the model is built. */
  get inputShape(): Shape {
    if (!this.inputShape_) throw new Error(`Sequential ${this.name}: the input shape is not known yet; give the first layer an inputShape, or call the model on data.`);
    return this.inputShape_.slice();
  }

  /** The model's output shape. Throws before the model is built. */
  get outputShape(): Shape {
    const last = this.outputShapes_[this.outputShapes_.length - 1];
    if (!last) throw new Error(`Sequential ${this.name}: the output shape is not known yet; give the first layer an inputShape, or call the model on data.`);
    return last.slice();
  }

  /** Whether any layer keeps state between batches. */
  get stateful(): boolean {
    return this.layers_.some((l) => Boolean((l as { stateful?: boolean }).stateful));
  }

  /** Resets the states of the stateful layers (e.g. between independent sequences). */
  resetStates(): void {
    for (const l of this.layers_) {
      const r = l as unknown as { stateful?: boolean; resetStates?: () => void };
      if (l instanceof Sequential) l.resetStates();
      else if (r.stateful && typeof r.resetStates === 'function') r.resetStates();
    }
  }

  /**
   * Zero recurrent states for `batch` independent streams, as plain data (`{batch, layers: [{name, h, c}, ...]}`,
   * Float32Arrays) for `step`. It can be cloned, stored per user, moved to a worker, or saved with `stateToJSON`.
   */
  initState(batch = 1): StreamState {
    return initStreamState(this.getStepPlan(), batch);
  }

  /**
   * One time step with the state kept outside the model: `xt` is [batch, ...features] (or [batch, 1, ...features])
   * for a model taking [batch, timeSteps, ...features]; returns the output of that step and the next state
   * (`state` is not modified). Step by step it gives what `predict` gives on the whole sequence. Works for
   * recurrent layers and per-step layers (Dense, Activation, Dropout, TimeDistributed, Embedding); throws
   * naming the layer otherwise. The layers' own stateful states are not used or changed.
   */
  step(xt: Tensor, state: StreamState): [Tensor, StreamState] {
    return runStep(this.getStepPlan(), xt, state);
  }

  private getStepPlan(): StepPlan {
    if (!planMatches(this.stepPlan_, this.layers_)) this.stepPlan_ = makeStepPlan(this.name, this.layers_, this.built ? this.inputShape_ : null);
    return this.stepPlan_!;
  }

  // ---------------------------------------------------------------- Layer overrides

  /** Builds every layer from the model's input shape (called on first use when no inputShape was given). */
  override build(inputShape: Shape | Shape[]): void {
    if (this.layers_.length === 0) {
      throw new Error(`Sequential ${this.name}: the model has no layers; add layers with model.add(...) first.`);
    }
    const shape = getExactlyOneShape(this.name, inputShape).slice();
    if (!this.inputShape_) {
      shape[0] = null;
      this.inputShape_ = shape;
    }
    let prevShape: NullableShape = this.inputShape_;
    this.layers_.forEach((layer, i) => {
      if (!this.outputShapes_[i]) this.outputShapes_[i] = this.connect(layer, prevShape, i > 0 ? this.layers_[i - 1] : null);
      prevShape = this.outputShapes_[i]!;
    });
    this.built = true;
  }

  /** Runs the layers in order, threading the mask (`computeMask`) and `training` from layer to layer. */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    if (this.layers_.length === 0) {
      throw new Error(`Sequential ${this.name}: the model has no layers; add layers with model.add(...) first.`);
    }
    let x = getExactlyOneTensor(this.name, inputs);
    let mask = (kwargs?.mask ?? null) as Tensor | null;
    const training = kwargs?.training;
    for (const layer of this.layers_) {
      const kw: CallKwargs = training === undefined ? {} : { training };
      if (mask != null) kw.mask = mask;
      const y = layer.apply(x, kw);
      if (Array.isArray(y)) {
        throw new Error(`Sequential ${this.name}: layer ${layer.name} returned ${y.length} outputs; each layer of a Sequential model must have one.`);
      }
      mask = layer.computeMask(x, mask) as Tensor | null;
      x = y;
    }
    this.outputMask = mask;
    return x;
  }

  /** The output mask of the last call. */
  override computeMask(inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | null {
    void inputs;
    void mask;
    return this.outputMask;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    let shape = getExactlyOneShape(this.name, inputShape);
    for (const layer of this.layers_) shape = getExactlyOneShape(layer.name, layer.computeOutputShape(shape));
    return shape;
  }

  override get trainable(): boolean {
    return this.trainable_;
  }

  /** tfjs: a non-trainable model reports no trainable weights (its layers' flags are unchanged). */
  override set trainable(value: boolean) {
    this.trainable_ = value;
  }

  /** The trainable weights of all layers, in layer order. */
  override get trainableWeights(): LayerVariable[] {
    if (!this.trainable_) return [];
    return this.layers_.flatMap((l) => l.trainableWeights);
  }

  /** The non-trainable weights of all layers (all weights when the model is not trainable). */
  override get nonTrainableWeights(): LayerVariable[] {
    if (!this.trainable_) return this.layers_.flatMap((l) => l.weights);
    return this.layers_.flatMap((l) => l.nonTrainableWeights);
  }

  /** Regularization (and activity) penalties of all layers. */
  override get losses(): Tensor[] {
    return this.layers_.flatMap((l) => l.losses);
  }

  override regularizationLosses(): Tensor[] {
    return this.layers_.flatMap((l) => l.regularizationLosses());
  }

  /** Number of weight elements of all layers. */
  override countParams(): number {
    if (!this.built) {
      throw new Error(`Sequential ${this.name}: countParams() needs a built model; give the first layer an inputShape, or call the model on data first.`);
    }
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Frees all layers' weights (tfjs's result shape). */
  override dispose(): { refCountAfterDispose: number; numDisposedVariables: number } {
    const n = this.weights.length;
    for (const l of this.layers_) l.dispose();
    return { refCountAfterDispose: 0, numDisposedVariables: n };
  }

  /** `{name, layers: [{className, config}]}`, as tfjs's `Sequential.getConfig()`. */
  override getConfig(): ConfigDict {
    return {
      name: this.name,
      layers: this.layers_.map((l) => ({ className: l.getClassName(), config: l.getConfig() })),
    } as ConfigDict;
  }

  /**
   * The Keras-form topology, as tfjs's `model.toJSON(unused, returnString)`: `{class_name: 'Sequential', config:
   * {name, layers: [{class_name, config}]}, keras_version, backend}` with snake_case keys; a JSON string unless
   * `returnString` is false.
   */
  toJSON(unused?: unknown, returnString = true): string | object {
    void unused;
    const topology = modelTopologyOf(this as unknown as Parameters<typeof modelTopologyOf>[0]);
    return returnString ? JSON.stringify(topology) : topology;
  }

  /**
   * Saves the topology and weights (tfjs's layers-model format) through an IO handler or URL: 'file://dir' (Node),
   * 'localstorage://name', 'indexeddb://name', 'downloads://name', 'http(s)://...', `io.withSaveHandler(fn)`.
   * `includeOptimizer: true` adds the training config, so the loaded model comes back compiled.
   */
  async save(handlerOrURL: IOHandler | string, config?: SaveConfig): Promise<SaveResult> {
    return saveModel(this as unknown as Parameters<typeof saveModel>[0], handlerOrURL, config ?? {});
  }

  /** The training config written by `save({includeOptimizer: true})` (tfjs's `getTrainingConfig`). */
  getTrainingConfig(): TrainingConfig {
    this.assertCompiled('getTrainingConfig');
    return trainingConfigFor(this.lossIdentifier!, this.metricIdentifiers, this.optimizer_!);
  }

  /**
   * Prints tfjs's summary table: one row per layer (name (class), input shape, output shape, parameter
   * count), then total / trainable / non-trainable parameter counts.
   */
  summary(
    lineLength?: number,
    positions?: number[],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    printFn: (message?: any, ...optionalParams: any[]) => void = console.log,
  ): void {
    if (!this.built) {
      throw new Error(
        `Sequential ${this.name}: this model has never been called, thus its weights have not yet been created, so no summary ` +
          `can be displayed. Give the first layer an inputShape, or call the model on some data first.`,
      );
    }
    const rows: SummaryRow[] = this.layers_.map((l, i) => {
      const input = i === 0 ? this.inputShape_! : this.outputShapes_[i - 1]!;
      return {
        name: `${l.name} (${l.getClassName()})`,
        inputShape: JSON.stringify([input]),
        outputShape: JSON.stringify(this.outputShapes_[i]),
        params: l.countParams(),
      };
    });
    const count = (ws: LayerVariable[]) => ws.reduce((n, w) => n + w.size, 0);
    for (const line of summaryLines(rows, count(this.trainableWeights), count(this.nonTrainableWeights), lineLength, positions)) {
      printFn(line);
    }
  }

  // ---------------------------------------------------------------- compile

  /** The optimizer set by `compile`. */
  get optimizer(): Optimizer {
    if (!this.optimizer_) throw new Error(`Sequential ${this.name}: no optimizer yet; call model.compile({optimizer, loss}) first.`);
    return this.optimizer_;
  }

  set optimizer(value: Optimizer) {
    this.optimizer_ = getOptimizer(value);
  }

  /** The loss as given to `compile`. */
  get loss(): LossIdentifier | null {
    return this.lossIdentifier;
  }

  /** Whether `compile` has been called. */
  get compiled(): boolean {
    return this.lossFn !== null;
  }

  /** 'loss' followed by the metric names: the keys of the logs (tfjs `metricsNames`). */
  get metricsNames(): string[] {
    return ['loss', ...this.metrics_.map((m) => m.name)];
  }

  /**
   * Sets the optimizer, loss and metrics for training. Names are resolved now, so an unknown
   * optimizer, loss or metric throws here, before any training.
   */
  compile(args: ModelCompileArgs): void {
    if (args == null || typeof args !== 'object') {
      throw new Error(`compile: expected {optimizer, loss, metrics?}, received ${String(args)}.`);
    }
    checkKeys('compile', args, ['optimizer', 'loss', 'metrics']);
    if (args.optimizer == null) throw new Error(`compile: an optimizer is required, e.g. compile({optimizer: 'adam', loss: 'meanSquaredError'}).`);
    if (args.loss == null) throw new Error(`compile: a loss is required, e.g. compile({optimizer: 'adam', loss: 'meanSquaredError'}).`);
    let optimizer: Optimizer;
    let lossFn: LossOrMetricFn;
    const lossId = unwrapSingle(args.loss, 'loss');
    try {
      optimizer = getOptimizer(args.optimizer);
      lossFn = getLoss(lossId);
    } catch (e) {
      (e as Error).message = `compile: ${(e as Error).message}`;
      throw e;
    }
    let metricIds: LossIdentifier[] = [];
    if (args.metrics != null) {
      const m = Array.isArray(args.metrics) || typeof args.metrics !== 'object' ? args.metrics : unwrapSingle(args.metrics, 'metrics');
      metricIds = Array.isArray(m) ? m : [m];
    }
    const resolved = this.resolveMetrics(metricIds, lossId);
    this.optimizer_ = optimizer;
    this.lossFn = lossFn;
    this.lossIdentifier = lossId;
    this.metricIdentifiers = metricIds;
    this.metrics_ = resolved;
  }

  private resolveMetrics(ids: LossIdentifier[], lossId: LossIdentifier): ResolvedMetric[] {
    const out = this.outputShapes_[this.outputShapes_.length - 1] ?? undefined;
    return ids.map((id) => {
      try {
        return getMetric(id, lossId, out);
      } catch (e) {
        (e as Error).message = `compile: ${(e as Error).message}`;
        throw e;
      }
    });
  }

  // ---------------------------------------------------------------- checks

  private assertCompiled(where: string): void {
    if (!this.lossFn || !this.optimizer_) {
      throw new Error(
        `${where}: the model must be compiled before it is trained or evaluated; call model.compile({optimizer: 'adam', loss: 'meanSquaredError'}) first.`,
      );
    }
  }

  /** Builds from `x` when needed, and checks `x` against the model's input shape. */
  private prepareInput(x: Tensor, where: string, name = 'x'): void {
    if (this.layers_.length === 0) throw new Error(`${where}: the model has no layers; add layers with model.add(...) first.`);
    if (!this.built) {
      this.maybeBuild([null, ...x.shape.slice(1)]);
      // 'accuracy' may resolve differently now that the output shape is known.
      if (this.lossIdentifier !== null) this.metrics_ = this.resolveMetrics(this.metricIdentifiers, this.lossIdentifier);
    }
    const expected = this.inputShape_!;
    if (!shapeMatches(x.shape.slice(1), expected.slice(1))) {
      throw new Error(
        `${where}: ${name} has shape ${formatShape(x.shape)}, but the model expects inputs of shape ${formatShape(expected)} ` +
          `(first layer '${this.layers_[0].name}').`,
      );
    }
  }

  /** Checks the targets against the model's output shape for the loss (before any training step). */
  private checkTargets(y: Tensor, where: string, name = 'y'): void {
    const out = this.outputShapes_[this.outputShapes_.length - 1];
    const canonical = this.lossIdentifier === null ? undefined : lossName(this.lossIdentifier);
    if (!out || canonical === undefined) return;
    const yt = y.shape.slice(1);
    const ot = out.slice(1);
    if (canonical === 'sparseCategoricalCrossentropy') {
      const base = ot.slice(0, -1);
      if (shapeMatches(yt, base) || shapeMatches(yt, [...base, 1])) return;
      throw new Error(
        `${where}: ${name} has shape ${formatShape(y.shape)}, but the model's output has shape ${formatShape(out)}; ` +
          `loss sparseCategoricalCrossentropy needs integer class labels of shape ${formatShape([null, ...base])} or ${formatShape([null, ...base, 1])}.`,
      );
    }
    if (canonical === 'ctc') {
      // Padded label ids [batch, maxLabelLength] against per-step logits [batch, timeSteps, numClasses].
      if (yt.length === 1 && ot.length === 2) return;
      throw new Error(
        `${where}: ${name} has shape ${formatShape(y.shape)}, but loss ctc needs padded label ids of shape ` +
          `[batch, maxLabelLength] and a model output of shape [batch, timeSteps, numClasses] (the output has shape ${formatShape(out)}).`,
      );
    }
    if (shapeMatches(yt, ot)) return;
    let hint = '';
    const classes = ot[ot.length - 1];
    if (canonical === 'categoricalCrossentropy' && (shapeMatches(yt, ot.slice(0, -1)) || shapeMatches(yt, [...ot.slice(0, -1), 1]))) {
      hint = ` For integer class labels use loss 'sparseCategoricalCrossentropy', or one-hot encode them (oneHot(labels, ${classes})).`;
    }
    throw new Error(
      `${where}: ${name} has shape ${formatShape(y.shape)}, but the model's output has shape ${formatShape(out)}; ` +
        `loss ${canonical} needs targets of the output's shape ${formatShape([null, ...ot])}.${hint}`,
    );
  }

  private sampleWeightTensor(sw: unknown, n: number, where: string): Float32Array {
    if (!(sw instanceof Tensor) || sw.rank !== 1 || sw.shape[0] !== n) {
      throw new Error(
        `${where}: sampleWeight must be a 1D Tensor with one weight per sample ([${n}]), received ` +
          `${sw instanceof Tensor ? `shape ${formatShape(sw.shape)}` : String(sw)}.`,
      );
    }
    return Float32Array.from(sw.values as ArrayLike<number>);
  }

  // ---------------------------------------------------------------- loss and steps

  /** The per-batch objective and the prediction it was computed from. */
  private forwardLoss(x: Tensor, y: Tensor, sampleWeight: Tensor | null, training: boolean): { loss: Tensor; yPred: Tensor } {
    const yPred = this.apply(x, { training }) as Tensor;
    let perSample = this.lossFn!(y, yPred);
    if (sampleWeight) {
      if (perSample.rank === 0) {
        throw new Error(`fit: the loss returned a scalar, so sample or class weights cannot be applied; a loss must return one value per sample.`);
      }
      const shape = [sampleWeight.shape[0], ...new Array(perSample.rank - 1).fill(1)];
      perSample = mul(perSample, reshape(sampleWeight, shape));
    }
    let loss = mean(perSample);
    for (const penalty of this.losses) loss = add(loss, penalty);
    return { loss, yPred };
  }

  /**
   * The scalar that `fit` minimizes on a batch: the mean over the batch of the per-sample loss
   * (times `sampleWeight` when given) plus the layers' regularization losses, computed with
   * `training` (default true: dropout active). Differentiable with `variableGrads`.
   */
  trainingLoss(x: Tensor, y: Tensor, sampleWeight: Tensor | null = null, training = true): Tensor {
    this.assertCompiled('trainingLoss');
    return this.forwardLoss(x, y, sampleWeight, training).loss;
  }

  /** One optimizer step on a batch; returns [loss, ...metrics] computed before the update (as tfjs). */
  private trainStep(x: Tensor, y: Tensor, sampleWeight: Tensor | null, vars: LayerVariable[]): number[] {
    let yPred: Tensor | null = null;
    const { value, grads } = variableGrads(() => {
      const r = this.forwardLoss(x, y, sampleWeight, true);
      yPred = r.yPred;
      return r.loss;
    }, vars);
    if (vars.length > 0) this.optimizer_!.applyGradients(grads, vars);
    // Keras applies constraints after each update (tfjs skips them in fit).
    for (const v of vars) if (v.constraint) v.assign(v.constraint.apply(v));
    const out = [value.values[0]];
    for (const m of this.metrics_) out.push(meanOf(m.fn(y, yPred!)));
    return out;
  }

  /** [loss, ...metrics] over `x`, `y` in batches, each the batch-size-weighted mean of batch means (as tfjs). */
  private testLoop(x: Tensor, y: Tensor, batchSize: number, sampleWeights: Float32Array | null): number[] {
    const n = x.shape[0];
    const sums = new Float64Array(1 + this.metrics_.length);
    for (const [start, end] of makeBatches(n, batchSize)) {
      const xb = sliceRows(x, start, end);
      const yb = sliceRows(y, start, end);
      const yPred = this.apply(xb, { training: false }) as Tensor;
      let perSample = this.lossFn!(yb, yPred);
      if (sampleWeights) {
        const w = new Tensor(sampleWeights.slice(start, end), [end - start], 'float32');
        perSample = mul(perSample, reshape(w, [end - start, ...new Array(perSample.rank - 1).fill(1)]));
      }
      const size = end - start;
      sums[0] += meanOf(perSample) * size;
      this.metrics_.forEach((m, i) => (sums[i + 1] += meanOf(m.fn(yb, yPred)) * size));
    }
    return Array.from(sums, (s) => s / n);
  }

  // ---------------------------------------------------------------- inference

  /** Outputs for `x`, computed in batches of `batchSize` (default 32) in inference mode. */
  predict(x: Tensor | Tensor[], args: ModelPredictArgs = {}): Tensor {
    const xt = singleTensor(x, 'x', 'predict');
    checkKeys('predict', args ?? {}, ['batchSize', 'verbose']);
    const batchSize = checkPositiveInt('predict', 'batchSize', args?.batchSize ?? 32);
    this.prepareInput(xt, 'predict');
    const n = xt.shape[0];
    if (n <= batchSize) return this.apply(xt, { training: false }) as Tensor;
    const outs = makeBatches(n, batchSize).map(([s, e]) => this.apply(sliceRows(xt, s, e), { training: false }) as Tensor);
    return concat(outs, 0);
  }

  /** Outputs for one batch `x`, in inference mode. */
  predictOnBatch(x: Tensor | Tensor[]): Tensor {
    const xt = singleTensor(x, 'x', 'predictOnBatch');
    this.prepareInput(xt, 'predictOnBatch');
    return this.apply(xt, { training: false }) as Tensor;
  }

  /**
   * The loss (and metrics) on `x`, `y` in inference mode, in batches: a scalar, or
   * `[loss, ...metrics]` when metrics were compiled (tfjs).
   *
   * tfjs note: as tfjs, the reported loss leaves out regularization penalties (Keras includes them).
   */
  evaluate(x: Tensor | Tensor[], y: Tensor | Tensor[], args: ModelEvaluateArgs = {}): Scalar | Scalar[] {
    const where = 'evaluate';
    this.assertCompiled(where);
    checkKeys(where, args ?? {}, ['batchSize', 'verbose', 'sampleWeight', 'steps']);
    if (args?.steps != null) throw new Error(`evaluate: steps is not supported for tensor inputs; use batchSize.`);
    const xt = singleTensor(x, 'x', where);
    const yt = singleTensor(y, 'y', where);
    checkSameSamples(xt, yt, where);
    const batchSize = checkPositiveInt(where, 'batchSize', args?.batchSize ?? 32);
    this.prepareInput(xt, where);
    this.checkTargets(yt, where);
    const sw = args?.sampleWeight != null ? this.sampleWeightTensor(args.sampleWeight, xt.shape[0], where) : null;
    const outs = this.testLoop(xt, yt, batchSize, sw).map((v) => scalar(v) as Scalar);
    return this.metrics_.length === 0 ? outs[0] : outs;
  }

  // ---------------------------------------------------------------- training

  /**
   * One gradient step on the batch `x`, `y`; resolves to the loss, or `[loss, ...metrics]` when
   * metrics were compiled (values before the update, as tfjs).
   */
  async trainOnBatch(x: Tensor | Tensor[], y: Tensor | Tensor[]): Promise<number | number[]> {
    const where = 'trainOnBatch';
    this.assertCompiled(where);
    const xt = singleTensor(x, 'x', where);
    const yt = singleTensor(y, 'y', where);
    checkSameSamples(xt, yt, where);
    this.prepareInput(xt, where);
    this.checkTargets(yt, where);
    const out = this.trainStep(xt, yt, null, this.trainableWeights);
    return this.metrics_.length === 0 ? out[0] : out;
  }

  /**
   * Trains for `epochs` passes over `x`, `y` (tfjs `fit`). Resolves to the `History` of per-epoch
   * logs: `loss` and metrics (batch-size-weighted means of the per-batch values, computed before
   * each update), and `val_loss`/`val_<metric>` when validating.
   *
   * Everything is checked before the first step: compile, data shapes against the model and loss,
   * options. Set `model.stopTraining = true` (e.g. in a callback) to stop after the current batch.
   */
  async fit(x: Tensor | Tensor[], y: Tensor | Tensor[], args: ModelFitArgs = {}): Promise<History> {
    const where = 'fit';
    args = args ?? {};
    if (typeof args !== 'object') throw new Error(`fit: args must be an object like {epochs: 10}, received ${typeof args}.`);
    checkKeys(where, args, FIT_KEYS);
    this.assertCompiled(where);
    if (this.isTraining) throw new Error(`fit: cannot start training because another fit() call is ongoing on model ${this.name}.`);
    if (args.stepsPerEpoch != null) throw new Error(`fit: stepsPerEpoch is not supported for tensor inputs; use batchSize.`);
    if (args.validationSteps != null) throw new Error(`fit: validationSteps is not supported; validation runs over all validation samples.`);

    let xAll = singleTensor(x, 'x', where);
    let yAll = singleTensor(y, 'y', where);
    checkSameSamples(xAll, yAll, where);
    const epochs = args.epochs ?? 1;
    if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit: epochs must be a non-negative integer, received ${String(args.epochs)}.`);
    const initialEpoch = args.initialEpoch ?? 0;
    if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
      throw new Error(`fit: initialEpoch must be a non-negative integer, received ${String(args.initialEpoch)}.`);
    }
    const batchSize = checkPositiveInt(where, 'batchSize', args.batchSize ?? 32);
    const verbose = args.verbose ?? 1;
    const shuffle = args.shuffle ?? true;
    if (shuffle === 'batch') throw new Error(`fit: shuffle: 'batch' is not implemented (as in tfjs); use true or false.`);
    if (typeof shuffle !== 'boolean') throw new Error(`fit: shuffle must be true or false, received ${String(shuffle)}.`);
    if (args.seed != null && !Number.isFinite(args.seed)) throw new Error(`fit: seed must be a number, received ${String(args.seed)}.`);
    this.prepareInput(xAll, where);
    this.checkTargets(yAll, where);

    // Per-sample weights over all of x (sliced with the data below).
    let weights: Float32Array | null = null;
    if (args.sampleWeight != null) weights = this.sampleWeightTensor(args.sampleWeight, xAll.shape[0], where);
    if (args.classWeight != null) {
      // A ClassWeight maps class indices to numbers; an array or {outputName: ClassWeight} holds one per output.
      const raw = args.classWeight as unknown;
      const perOutput = Array.isArray(raw) || (raw !== null && typeof raw === 'object' && Object.values(raw).some((v) => typeof v === 'object'));
      const cw = (perOutput ? unwrapSingle(raw as ClassWeight[], 'classWeight') : raw) as ClassWeight;
      const c = classSampleWeights(yAll, cw, where);
      if (weights) for (let i = 0; i < c.length; i++) weights[i] *= c[i];
      else weights = c;
    }

    // Validation data: explicit, or the last fraction of the samples (before shuffling, as tfjs/Keras).
    let xVal: Tensor | null = null;
    let yVal: Tensor | null = null;
    if (args.validationData != null) {
      const vd = args.validationData;
      if (!Array.isArray(vd) || vd.length !== 2) {
        throw new Error(
          `fit: validationData must be [xVal, yVal]${Array.isArray(vd) && vd.length === 3 ? ' (validation sample weights are not supported)' : ''}, ` +
            `received ${Array.isArray(vd) ? `an array of ${vd.length}` : typeof vd}.`,
        );
      }
      xVal = singleTensor(vd[0], 'validationData[0]', where);
      yVal = singleTensor(vd[1], 'validationData[1]', where);
      checkSameSamples(xVal, yVal, where, ['validationData x', 'validationData y']);
      this.prepareInput(xVal, where, 'validationData x');
      this.checkTargets(yVal, where, 'validationData y');
    } else if (args.validationSplit != null && args.validationSplit !== 0) {
      const split = args.validationSplit;
      if (typeof split !== 'number' || !(split > 0 && split < 1)) {
        throw new Error(`fit: validationSplit must be a number in [0, 1), received ${String(split)}.`);
      }
      const n = xAll.shape[0];
      const splitAt = Math.floor(n * (1 - split));
      if (splitAt === 0 || splitAt === n) {
        throw new Error(
          `fit: validationSplit ${split} of ${n} samples leaves ${splitAt === 0 ? 'no training' : 'no validation'} samples; ` +
            `use more samples or another split.`,
        );
      }
      xVal = sliceRows(xAll, splitAt, n);
      yVal = sliceRows(yAll, splitAt, n);
      xAll = sliceRows(xAll, 0, splitAt);
      yAll = sliceRows(yAll, 0, splitAt);
      if (weights) weights = weights.slice(0, splitAt);
    }
    const doValidation = xVal !== null;

    // Callbacks: progress (verbose, Node), the user's, then History (as tfjs).
    const list: BaseCallback[] = [];
    if (verbose > 0 && canPrintProgress()) list.push(new ProgbarLogger({ verbose }));
    list.push(...standardizeCallbacks(args.callbacks));
    const history = new History();
    list.push(history);
    const callbackList = new CallbackList(list);

    const numSamples = xAll.shape[0];
    const batches = makeBatches(numSamples, batchSize);
    const labels = this.metricsNames;
    const params: TrainingParams = {
      epochs,
      initialEpoch,
      samples: numSamples,
      steps: batches.length,
      batchSize,
      verbose,
      doValidation,
      metrics: doValidation ? [...labels, ...labels.map((l) => `val_${l}`)] : labels,
    };
    callbackList.setParams(params);
    callbackList.setModel(this);
    for (const c of list) c.validationData = doValidation ? [xVal!, yVal!] : null;

    const yieldEvery = args.yieldEvery ?? 'auto';
    let yieldMs: number | null = null;
    if (typeof yieldEvery === 'number') {
      if (!(yieldEvery >= 0)) throw new Error(`fit: yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds, received ${yieldEvery}.`);
      yieldMs = yieldEvery;
    } else if (yieldEvery === 'auto') {
      yieldMs = isBrowser() ? 125 : null;
    } else if (!['batch', 'epoch', 'never'].includes(yieldEvery)) {
      throw new Error(`fit: yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds, received '${String(yieldEvery)}'.`);
    }
    const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
    let lastYield = now();

    const rng: RandomGenerator | null = shuffle ? shuffleGenerator(args.seed) : null;
    const vars = this.trainableWeights;
    this.isTraining = true;
    this.stopTraining = false;
    this.history = history;
    let lastLogs: Logs = {};
    try {
      await callbackList.onTrainBegin();
      for (let epoch = initialEpoch; epoch < epochs; epoch++) {
        await callbackList.onEpochBegin(epoch);
        const order = rng ? indexArray(numSamples, rng) : null;
        const sums = new Float64Array(labels.length);
        let seen = 0;
        for (let b = 0; b < batches.length; b++) {
          const [start, end] = batches[b];
          const size = end - start;
          const batchLogs: Logs = { batch: b, size };
          await callbackList.onBatchBegin(b, batchLogs);
          const xb = order ? gatherRows(xAll, order, start, end) : sliceRows(xAll, start, end);
          const yb = order ? gatherRows(yAll, order, start, end) : sliceRows(yAll, start, end);
          let wb: Tensor | null = null;
          if (weights) {
            const w = new Float32Array(size);
            for (let i = 0; i < size; i++) w[i] = weights[order ? order[start + i] : start + i];
            wb = new Tensor(w, [size], 'float32');
          }
          const outs = this.trainStep(xb, yb, wb, vars);
          labels.forEach((label, i) => {
            batchLogs[label] = outs[i];
            sums[i] += outs[i] * size;
          });
          seen += size;
          await callbackList.onBatchEnd(b, batchLogs);
          if (yieldEvery === 'batch' || (yieldMs !== null && now() - lastYield >= yieldMs)) {
            await nextTick();
            lastYield = now();
            await callbackList.onYield(epoch, b, batchLogs);
          }
          if (this.stopTraining) break;
        }
        const epochLogs: Logs = {};
        labels.forEach((label, i) => (epochLogs[label] = seen > 0 ? sums[i] / seen : NaN));
        if (doValidation) {
          const valOuts = this.testLoop(xVal!, yVal!, batchSize, null);
          labels.forEach((label, i) => (epochLogs[`val_${label}`] = valOuts[i]));
        }
        await callbackList.onEpochEnd(epoch, epochLogs);
        lastLogs = epochLogs;
        if (yieldEvery === 'epoch') {
          await nextTick();
          await callbackList.onYield(epoch, batches.length - 1, epochLogs);
        }
        if (this.stopTraining) break;
      }
      await callbackList.onTrainEnd(lastLogs);
    } finally {
      this.isTraining = false;
    }
    return history;
  }
}

/**
 * Creates a `Sequential` model (tfjs `tf.sequential`).
 *
 * ```js
 * const model = sequential({layers: [layers.dense({units: 8, inputShape: [4], activation: 'relu'}), layers.dense({units: 1})]});
 * ```
 */
export function sequential(args?: SequentialArgs): Sequential {
  return new Sequential(args);
}
