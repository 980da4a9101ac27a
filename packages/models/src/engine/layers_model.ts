/**
 * `LayersModel` (tfjs `tf.LayersModel`, Keras `Model`/`Functional`): a graph of layers from symbolic inputs to
 * symbolic outputs, itself a Layer (so it nests). `model({inputs, outputs})` makes one; `Sequential` is one too.
 * This file holds the model's structure, inference and persistence; training lives in `../trainers/`.
 *
 * ```js
 * const enc = input({shape: [null, 8]});
 * const [, h, c] = layers.lstm({units: 16, returnState: true}).apply(enc);
 * const dec = input({shape: [null, 4]});
 * const seq = layers.lstm({units: 16, returnSequences: true}).apply(dec, {initialState: [h, c]});
 * const out = layers.timeDistributed({layer: layers.dense({units: 4, activation: 'softmax'})}).apply(seq);
 * const m = model({inputs: [enc, dec], outputs: out});
 * ```
 */
import { Tensor } from '@recurrent/core';
import type { Scalar } from '@recurrent/core';
import { CallKwargs, InputLayer, Layer, LayerVariable, SymbolicTensor, checkArgKeys } from '@recurrent/layers';
import type { ConfigDict, Shape } from '@recurrent/layers';
import type { History } from '../callbacks/callback';
import type { IOHandler, SaveResult, TrainingConfig } from '../io/types';
import { Optimizer } from '../optimizers/optimizer';
import { getOptimizer } from '../optimizers/train';
import { CompiledState, ModelCompileArgs, resolveCompileArgs, resolveMetrics, metricsNamesOf } from '../trainers/compile';
import { checkInputShapes, checkSameSampleCount, standardizeData } from '../trainers/data_adapter';
import type { ModelData } from '../trainers/data_adapter';
import { evaluateModel, ModelEvaluateArgs, ModelPredictArgs, predictLoop } from '../trainers/evaluate';
import { fitLoop, ModelFitArgs } from '../trainers/fit';
import { forwardLoss, trainStep } from '../trainers/train_step';
import { checkTargetShape } from '../trainers/targets';
import { buildGraph, GraphTopology } from './graph';
import { graphOutputShapes, runGraph } from './graph_execution';
import { functionalConfigOf } from './functional_config';
import type { WeightLoadReport } from './load_report';
import { modelTopologyOf, trainingConfigFor } from './model_topology';
import { saveModel, SaveConfig } from './model_save';
import { initStreamState, makeStepPlan, planMatches, runStep, StepPlan, StreamState } from './streaming';
import { graphSummaryLines } from './graph_summary';

/** Args of `model()` (tfjs `ContainerArgs`). */
export interface LayersModelArgs {
  /** The symbolic input(s), from `input()`. */
  inputs: SymbolicTensor | SymbolicTensor[];
  /** The symbolic output(s), from `layer.apply(...)`. */
  outputs: SymbolicTensor | SymbolicTensor[];
  /** Model name (default 'model', 'model_1', ...). */
  name?: string;
}

/**
 * A model: a graph of layers with tfjs's model API — `compile`, `fit`, `evaluate`, `predict`, `trainOnBatch`,
 * `summary`, `getLayer`, weights, `save`, `toJSON`, `resetStates`, and streaming `initState`/`step`.
 *
 * Weights are listed as tfjs does: the trainable weights of all layers (in `layers` order), then the
 * non-trainable ones (`getWeights`/`setWeights` use this order).
 */
export class LayersModel extends Layer {
  static override className = 'Model';

  /** Set to true (e.g. from a callback) to stop `fit` after the current batch. */
  stopTraining = false;
  /** True while `fit` runs. */
  isTraining = false;
  /** The `History` of the last `fit`. */
  history: History | null = null;
  /** How `loadLayersModel` matched the file's weights (null for models not loaded from a file). */
  loadReport: WeightLoadReport | null = null;

  private inputs_: SymbolicTensor[] = [];
  private outputs_: SymbolicTensor[] = [];
  private graph_: GraphTopology | null = null;
  private compiled_: CompiledState | null = null;
  private outputMasks_: (Tensor | null)[] = [];
  private stepPlan_: StepPlan | null = null;
  private disposed_ = false;

  constructor(args: LayersModelArgs) {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw new Error(`model: expected an args object {inputs, outputs, name?}, received ${Array.isArray(args) ? 'an array' : String(args)}.`);
    }
    checkArgKeys('model', args, ['inputs', 'outputs', 'name']);
    super({ name: args.name });
    if (new.target === LayersModel || args.inputs !== undefined || args.outputs !== undefined) {
      if (args.inputs == null) throw new Error(`model ${this.name}: inputs are required (symbolic tensors from input()).`);
      if (args.outputs == null) throw new Error(`model ${this.name}: outputs are required (symbolic tensors from layer.apply).`);
      const inputs = Array.isArray(args.inputs) ? args.inputs : [args.inputs];
      const outputs = Array.isArray(args.outputs) ? args.outputs : [args.outputs];
      if (inputs.length === 0) throw new Error(`model ${this.name}: inputs is an empty list.`);
      if (outputs.length === 0) throw new Error(`model ${this.name}: outputs is an empty list.`);
      this.setGraph(inputs, outputs);
      this.graph; // checks the topology now
    }
  }

  // ---------------------------------------------------------------- structure

  /** Sets the symbolic inputs and outputs (the topology is worked out on first use). */
  protected setGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): void {
    this.inputs_ = inputs.slice();
    this.outputs_ = outputs.slice();
    this.graph_ = null;
    this.built = true;
  }

  /** Forgets the graph (a Sequential before it is built). */
  protected clearGraph(): void {
    this.inputs_ = [];
    this.outputs_ = [];
    this.graph_ = null;
    this.built = false;
  }

  /** Whether the model has a graph yet (a Sequential gets one once its input shape is known). */
  protected get hasGraph(): boolean {
    return this.outputs_.length > 0;
  }

  /**
   * 1 when the model has a graph: in tfjs/Keras files a nested model's own input→output link counts as its node 0,
   * so its calls in an outer model are numbered from 1. @internal
   */
  selfNodeOffset(): number {
    return this.hasGraph ? 1 : 0;
  }

  /** The worked-out graph. */
  get graph(): GraphTopology {
    if (!this.hasGraph) {
      throw new Error(`Model ${this.name}: the model is not built yet; give the first layer an inputShape, or call the model on data first.`);
    }
    if (this.graph_ === null) this.graph_ = buildGraph(this.name, this.inputs_, this.outputs_);
    return this.graph_;
  }

  /** The symbolic inputs (tfjs `model.inputs`). */
  get inputs(): SymbolicTensor[] {
    return this.graph.inputs.slice();
  }

  /** The symbolic outputs (tfjs `model.outputs`). */
  get outputs(): SymbolicTensor[] {
    return this.graph.outputs.slice();
  }

  /** The only input, or the list of inputs (tfjs `model.input`). */
  override get input(): SymbolicTensor | SymbolicTensor[] {
    const xs = this.inputs;
    return xs.length === 1 ? xs[0] : xs;
  }

  /** The only output, or the list of outputs (tfjs `model.output`). */
  override get output(): SymbolicTensor | SymbolicTensor[] {
    const ys = this.outputs;
    return ys.length === 1 ? ys[0] : ys;
  }

  /** The input layers' names, in input order. */
  get inputNames(): string[] {
    return this.graph.inputLayers.map((l) => l.name);
  }

  /** The output layers' names, in output order (a layer with several outputs is named once per output, as tfjs). */
  get outputNames(): string[] {
    return this.graph.outputLayers.map((l) => l.name);
  }

  /** The input layers. */
  get inputLayers(): InputLayer[] {
    return this.graph.inputLayers.slice();
  }

  /** The layers producing the outputs. */
  get outputLayers(): Layer[] {
    return this.graph.outputLayers.slice();
  }

  /** The layers, input layers first, in tfjs's order (depth, then traversal order). */
  get layers(): Layer[] {
    return this.graph.layers.slice();
  }

  /** The input shape (one shape, or one per input), batch dim null unless fixed. */
  get inputShape(): Shape | Shape[] {
    const shapes = this.inputs.map((x) => x.shape.slice());
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  /** The output shape (one shape, or one per output). */
  override get outputShape(): Shape | Shape[] {
    const shapes = this.outputs.map((y) => y.shape.slice());
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  /**
   * The layer named `name`, or at position `index` in `layers` (tfjs: `getLayer(name)`, `getLayer(undefined, index)`;
   * also `getLayer(index)`).
   */
  getLayer(nameOrIndex?: string | number, index?: number): Layer {
    const layers = this.layers;
    if (index != null || typeof nameOrIndex === 'number') {
      const i = (index ?? nameOrIndex) as number;
      if (!Number.isInteger(i) || i < 0 || i >= layers.length) {
        throw new Error(`Model ${this.name}: getLayer: index ${String(i)} is out of range; the model has ${layers.length} layer(s).`);
      }
      return layers[i];
    }
    if (typeof nameOrIndex !== 'string') throw new Error(`Model ${this.name}: getLayer needs a layer name or an index.`);
    const found = layers.find((l) => l.name === nameOrIndex);
    if (!found) {
      throw new Error(`Model ${this.name}: no layer named '${nameOrIndex}'; layers: ${layers.map((l) => l.name).join(', ') || 'none'}.`);
    }
    return found;
  }

  /** Whether any layer keeps state between batches. */
  get stateful(): boolean {
    return this.layers.some((l) => Boolean((l as { stateful?: boolean }).stateful));
  }

  /** Resets the states of the stateful layers (e.g. between independent sequences). */
  resetStates(): void {
    for (const l of this.layers) {
      const r = l as unknown as { stateful?: boolean; resetStates?: () => void };
      if (l instanceof LayersModel) l.resetStates();
      else if (r.stateful && typeof r.resetStates === 'function') r.resetStates();
    }
  }

  // ---------------------------------------------------------------- Layer overrides

  /** Runs the graph on `inputs` (one tensor per model input), threading `training` and masks. */
  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    this.assertNotDisposed();
    const graph = this.graph;
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    if (xs.length !== graph.inputs.length) {
      throw new Error(`Model ${this.name} expects ${graph.inputs.length} input(s) (${this.inputNames.join(', ')}), received ${xs.length}.`);
    }
    const maskArg = kwargs?.mask ?? null;
    const masks = maskArg === null ? [] : Array.isArray(maskArg) ? maskArg : [maskArg];
    const run = runGraph(graph, xs, kwargs?.training, masks);
    this.outputMasks_ = run.masks;
    return run.outputs.length === 1 ? run.outputs[0] : run.outputs;
  }

  /** The output mask(s) of the last call. */
  override computeMask(_inputs: Tensor | Tensor[], _mask?: Tensor | Tensor[] | null): Tensor | Tensor[] | null {
    const m = this.outputMasks_;
    if (m.length === 0) return null;
    return m.length === 1 ? m[0] : (m as Tensor[]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const graph = this.graph;
    const shapes = (graph.inputs.length === 1 && !(inputShape.length > 0 && Array.isArray(inputShape[0])) ? [inputShape] : inputShape) as Shape[];
    const out = graphOutputShapes(graph, shapes);
    return out.length === 1 ? out[0] : out;
  }

  override get trainable(): boolean {
    return this.trainable_;
  }

  /** tfjs: a non-trainable model reports no trainable weights (its layers' flags are unchanged). */
  override set trainable(value: boolean) {
    this.trainable_ = value;
  }

  /** The layers whose weights are the model's (all layers; a Sequential lists its layers before it is built too). */
  protected weightLayers(): Layer[] {
    return this.hasGraph ? this.layers : [];
  }

  /** The trainable weights of all layers, in layer order. */
  override get trainableWeights(): LayerVariable[] {
    if (!this.trainable_) return [];
    return this.weightLayers().flatMap((l) => l.trainableWeights);
  }

  /** The non-trainable weights of all layers (all weights when the model is not trainable). */
  override get nonTrainableWeights(): LayerVariable[] {
    if (!this.trainable_) return this.weightLayers().flatMap((l) => l.weights);
    return this.weightLayers().flatMap((l) => l.nonTrainableWeights);
  }

  /** Regularization (and activity) penalties of all layers. */
  override get losses(): Tensor[] {
    return this.weightLayers().flatMap((l) => l.losses);
  }

  override regularizationLosses(): Tensor[] {
    return this.weightLayers().flatMap((l) => l.regularizationLosses());
  }

  /** Number of weight elements of all layers. */
  override countParams(): number {
    if (!this.built) {
      throw new Error(`Model ${this.name}: countParams() needs a built model; give the first layer an inputShape, or call the model on data first.`);
    }
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Frees all layers' weights (tfjs's result shape); the model cannot run afterwards. */
  override dispose(): { refCountAfterDispose: number; numDisposedVariables: number } {
    const n = this.weights.length;
    for (const l of this.weightLayers()) l.dispose();
    this.disposed_ = true;
    return { refCountAfterDispose: 0, numDisposedVariables: n };
  }

  /** Throws when the model was disposed. */
  protected assertNotDisposed(): void {
    if (this.disposed_) throw new Error(`Model ${this.name} was disposed (model.dispose()); it cannot run or train any more.`);
  }

  /**
   * The functional config `{name, layers: [{name, className, config, inboundNodes}], inputLayers, outputLayers}`, as
   * tfjs's `LayersModel.getConfig()`.
   */
  override getConfig(): ConfigDict {
    return functionalConfigOf(this.name, this.graph) as ConfigDict;
  }

  /** The model's input shape for the file's first layer (Sequential); graph models carry their InputLayers. */
  get topologyInputShape(): Shape | null {
    return null;
  }

  /**
   * The Keras-form topology, as tfjs's `model.toJSON(unused, returnString)`: `{class_name, config, keras_version,
   * backend}` with snake_case keys; a JSON string unless `returnString` is false.
   */
  toJSON(_unused?: unknown, returnString = true): string | object {
    const topology = modelTopologyOf(this);
    return returnString ? JSON.stringify(topology) : topology;
  }

  /**
   * Saves the topology and weights (tfjs's layers-model format) through an IO handler or URL: 'file://dir' (Node),
   * 'localstorage://name', 'indexeddb://name', 'downloads://name', 'http(s)://...', `io.withSaveHandler(fn)`.
   * `includeOptimizer: true` adds the training config, so the loaded model comes back compiled.
   */
  async save(handlerOrURL: IOHandler | string, config?: SaveConfig): Promise<SaveResult> {
    return saveModel(this, handlerOrURL, config ?? {});
  }

  /** The training config written by `save({includeOptimizer: true})` (tfjs's `getTrainingConfig`). */
  getTrainingConfig(): TrainingConfig {
    const state = this.compiledFor('getTrainingConfig');
    return trainingConfigFor(state, this.outputNames);
  }

  /**
   * Prints tfjs's summary table: one row per layer (name (class), input shape, output shape, parameter count, and
   * for graph models the layers each one receives inputs from), then the parameter counts.
   */
  summary(
    lineLength?: number,
    positions?: number[],
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    printFn: (message?: any, ...optionalParams: any[]) => void = console.log,
  ): void {
    if (!this.built) {
      throw new Error(
        `Model ${this.name}: this model has never been called, thus its weights have not yet been created, so no summary ` +
          `can be displayed. Give the first layer an inputShape, or call the model on some data first.`,
      );
    }
    for (const line of graphSummaryLines(this, lineLength, positions)) printFn(line);
  }

  // ---------------------------------------------------------------- compile

  /** The optimizer set by `compile`. */
  get optimizer(): Optimizer {
    if (!this.compiled_) throw new Error(`Model ${this.name}: no optimizer yet; call model.compile({optimizer, loss}) first.`);
    return this.compiled_.optimizer;
  }

  set optimizer(value: Optimizer) {
    if (!this.compiled_) throw new Error(`Model ${this.name}: set the optimizer with model.compile({optimizer, loss}) first.`);
    this.compiled_.optimizer = getOptimizer(value);
  }

  /** The loss as given to `compile`. */
  get loss(): ModelCompileArgs['loss'] | null {
    return this.compiled_?.lossArg ?? null;
  }

  /** Whether `compile` has been called. */
  get compiled(): boolean {
    return this.compiled_ !== null;
  }

  /** 'loss', per-output losses (several outputs), then the metric names: the keys of the logs (tfjs `metricsNames`). */
  get metricsNames(): string[] {
    return this.compiled_ ? this.compiled_.metricsNames.slice() : ['loss'];
  }

  /**
   * Sets the optimizer, loss(es) and metrics for training. Names are resolved now, so an unknown optimizer, loss
   * or metric throws here, before any training. Losses, `lossWeights` and metrics may be given per output.
   */
  compile(args: ModelCompileArgs): void {
    this.compiled_ = resolveCompileArgs(args, this.outputNamesOrDefault(), this.knownOutputShapes());
  }

  /** Output names, or one placeholder while a Sequential is not built. */
  protected outputNamesOrDefault(): string[] {
    return this.hasGraph ? this.outputNames : ['output'];
  }

  /** Output shapes where known (undefined while a Sequential is not built). */
  protected knownOutputShapes(): (Shape | undefined)[] {
    return this.hasGraph ? this.outputs.map((y) => y.shape.slice()) : [undefined];
  }

  /** The compiled state, or an error naming `where`. @internal used by the trainers. */
  compiledFor(where: string): CompiledState {
    if (!this.compiled_) {
      throw new Error(
        `${where}: the model must be compiled before it is trained or evaluated; call model.compile({optimizer: 'adam', loss: 'meanSquaredError'}) first.`,
      );
    }
    return this.compiled_;
  }

  /** Re-resolves 'accuracy'-style metrics once output shapes are known (a Sequential built on first use). */
  protected refreshCompiledForShapes(): void {
    const s = this.compiled_;
    if (!s) return;
    const names = this.outputNames;
    if (names.length !== s.lossFns.length) {
      throw new Error(`Model ${this.name}: compiled for ${s.lossFns.length} output(s), but the model has ${names.length}.`);
    }
    s.metrics = resolveMetrics(s.metricIds, s.lossIds, this.knownOutputShapes());
    s.metricsNames = metricsNamesOf(names, s.metrics);
  }

  // ---------------------------------------------------------------- data

  /**
   * Builds the model when it is built on first use (Sequential). Called with the model's input data before it
   * runs. @internal
   */
  protected ensureBuiltFor(_xs: Tensor[]): void {
  }

  /** The inputs as a list, checked against the model's input shapes. @internal */
  prepareInputs(x: unknown, where: string, what = 'x'): Tensor[] {
    this.assertNotDisposed();
    const names = this.hasGraph ? this.inputNames : ['input'];
    const xs = standardizeData(x, names, what, where);
    if (!this.hasGraph) {
      this.ensureBuiltFor(xs);
      this.refreshCompiledForShapes();
    }
    checkInputShapes(xs, this.inputs.map((t) => t.shape), this.inputNames, where, what, this.firstLayerLabel());
    return xs;
  }

  /** How errors name the layer taking the input ('first layer 'lstm'' for a Sequential). @internal */
  protected firstLayerLabel(): string | null {
    return null;
  }

  /** Inputs and targets as lists, checked against the model and its losses. @internal used by the trainers. */
  prepareData(x: unknown, y: unknown, where: string, what: [string, string] = ['x', 'y']): { xs: Tensor[]; ys: Tensor[] } {
    const xs = this.prepareInputs(x, where, what[0]);
    const names = this.outputNames;
    const ys = standardizeData(y, names, what[1], where);
    checkSameSampleCount(
      [
        { tensors: xs, names: this.inputNames, what: what[0] },
        { tensors: ys, names, what: what[1] },
      ],
      where,
    );
    const state = this.compiled_;
    if (state) {
      const shapes = this.outputs.map((o) => o.shape);
      ys.forEach((yt, i) => checkTargetShape(yt, shapes[i], state.lossIds[i], where, names.length > 1 ? `${what[1]}['${names[i]}']` : what[1]));
    }
    return { xs, ys };
  }

  /** Runs the model on one tensor per input; one tensor per output. @internal used by the trainers. */
  runOutputs(xs: Tensor[], training: boolean): Tensor[] {
    const out = this.apply(xs.length === 1 ? xs[0] : xs, { training }) as Tensor | Tensor[];
    return Array.isArray(out) ? out : [out];
  }

  // ---------------------------------------------------------------- inference

  /** Outputs for `x`, computed in batches of `batchSize` (default 32) in inference mode; a list for several outputs. */
  predict(x: ModelData, args: ModelPredictArgs = {}): Tensor | Tensor[] {
    const xs = this.prepareInputs(x, 'predict');
    const outs = predictLoop(this, xs, args);
    return outs.length === 1 ? outs[0] : outs;
  }

  /** Outputs for one batch `x`, in inference mode. */
  predictOnBatch(x: ModelData): Tensor | Tensor[] {
    const xs = this.prepareInputs(x, 'predictOnBatch');
    const outs = this.runOutputs(xs, false);
    return outs.length === 1 ? outs[0] : outs;
  }

  /**
   * The loss (and metrics) on `x`, `y` in inference mode, in batches: a scalar, or `[loss, ...]` when there are
   * per-output losses or metrics (tfjs).
   *
   * tfjs note: as tfjs, the reported loss leaves out regularization penalties (Keras includes them).
   */
  evaluate(x: ModelData, y: ModelData, args: ModelEvaluateArgs = {}): Scalar | Scalar[] {
    return evaluateModel(this, x, y, args);
  }

  // ---------------------------------------------------------------- training

  /**
   * The scalar that `fit` minimizes on a batch: Σ lossWeight · mean per-output loss (times `sampleWeight` when
   * given) plus the layers' regularization losses, with `training` (default true). Differentiable with `variableGrads`.
   */
  trainingLoss(x: ModelData, y: ModelData, sampleWeight: Tensor | null = null, training = true): Tensor {
    const state = this.compiledFor('trainingLoss');
    const { xs, ys } = this.prepareData(x, y, 'trainingLoss');
    return forwardLoss(this, state, xs, ys, ys.map(() => sampleWeight), training).loss;
  }

  /**
   * One gradient step on the batch `x`, `y`; resolves to the loss, or `[loss, ...]` when there are per-output
   * losses or metrics (values before the update, as tfjs).
   */
  async trainOnBatch(x: ModelData, y: ModelData): Promise<number | number[]> {
    const where = 'trainOnBatch';
    const state = this.compiledFor(where);
    const { xs, ys } = this.prepareData(x, y, where);
    const out = trainStep(this, state, xs, ys, ys.map(() => null), this.trainableWeights);
    return out.length === 1 ? out[0] : out;
  }

  /**
   * Trains for `epochs` passes over `x`, `y` (tfjs `fit`); x and y are one tensor, one per input/output, or
   * `{name: tensor}`. Resolves to the `History` of per-epoch logs (`loss`, per-output losses, metrics, and their
   * `val_` forms when validating). Everything is checked before the first step.
   */
  async fit(x: ModelData, y: ModelData, args: ModelFitArgs = {}): Promise<History> {
    return fitLoop(this, x, y, args);
  }

  // ---------------------------------------------------------------- streaming

  /**
   * Zero recurrent states for `batch` independent streams, as plain data (`{batch, layers: [{name, h, c}, ...]}`,
   * Float32Arrays) for `step`. It can be cloned, stored per user, moved to a worker, or saved with `stateToJSON`.
   */
  initState(batch = 1): StreamState {
    return initStreamState(this.getStepPlan(), batch);
  }

  /**
   * One time step with the state kept outside the model: `xt` is [batch, ...features] for a model taking
   * [batch, timeSteps, ...features]; returns the output of that step and the next state (`state` is not modified).
   * Works for models whose layers form one chain of recurrent and per-step layers; throws naming the layer otherwise.
   */
  step(xt: Tensor, state: StreamState): [Tensor, StreamState] {
    return runStep(this.getStepPlan(), xt, state);
  }

  /** The layers `step` runs, in order: the model's chain of layers. */
  protected streamingLayers(): Layer[] {
    return chainLayers(this.name, this.graph);
  }

  /** The input shape `step` works from (null while unknown). */
  protected streamingInputShape(): Shape | null {
    return this.hasGraph ? this.inputs[0].shape.slice() : null;
  }

  private getStepPlan(): StepPlan {
    const layers = this.streamingLayers();
    if (!planMatches(this.stepPlan_, layers)) this.stepPlan_ = makeStepPlan(this.name, layers, this.streamingInputShape());
    return this.stepPlan_!;
  }
}

/** The layers of a graph that is one chain (one input, one output, each node one input and one output), in order. */
function chainLayers(modelName: string, graph: GraphTopology): Layer[] {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
    throw new Error(`Model ${modelName}: step() runs models with one input and one output; this one has ${graph.inputs.length} and ${graph.outputs.length}.`);
  }
  const out: Layer[] = [];
  for (const node of graph.nodes) {
    const layer = node.outboundLayer;
    if (layer instanceof InputLayer && node.inputTensors.length === 0) continue;
    if (node.inputTensors.length !== 1 || node.outputTensors.length !== 1) {
      throw new Error(
        `Model ${modelName}: step() cannot run layer '${layer.name}' (${layer.getClassName()}): it takes ${node.inputTensors.length} input(s) ` +
          `and gives ${node.outputTensors.length} output(s); step() runs models whose layers form one chain.`,
      );
    }
    if (out.includes(layer)) throw new Error(`Model ${modelName}: step() cannot run the shared layer '${layer.name}' twice.`);
    out.push(layer);
  }
  return out;
}

/**
 * Creates a functional model from symbolic inputs and outputs (tfjs `tf.model`).
 *
 * ```js
 * const a = input({shape: [5]}), b = input({shape: [3]});
 * const y = layers.dense({units: 1}).apply(layers.concatenate().apply([a, b]));
 * const m = model({inputs: [a, b], outputs: y});
 * ```
 */
export function model(args: LayersModelArgs): LayersModel {
  return new LayersModel(args);
}

