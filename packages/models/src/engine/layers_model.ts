/**
 * `LayersModel` (tfjs `tf.LayersModel`, Keras `Model`/`Functional`): a graph of layers from symbolic inputs to
 * symbolic outputs, itself a Layer (so it nests). `model({inputs, outputs})` makes one; `Sequential` is one too.
 * The graph itself is `GraphModel` (model_graph.ts); this class adds compile/fit/evaluate/predict/save/step, with
 * the loops in `../trainers/`.
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
import { Tensor, ValueError } from '@recurrent/core';
import type { Scalar } from '@recurrent/core';
import { inCallScope, isTextVectorization, Layer } from '@recurrent/layers';
import type { TextVectorization } from '@recurrent/layers';
import type { Shape } from '@recurrent/layers';
import type { History } from '../callbacks/callback';
import type { IOHandler, SaveResult, TrainingConfig } from '../io/types';
import { Optimizer } from '../optimizers/optimizer';
import { getOptimizer } from '../optimizers/train';
import { CompiledState, ModelCompileArgs, resolveCompileArgs, resolveMetrics, metricsNamesOf } from '../trainers/compile';
import { checkInputShapes, checkSameSampleCount, entryLabel, standardizeData, stringRows } from '../trainers/data_adapter';
import type { ModelData, ModelInput } from '../trainers/data_adapter';
import { evaluateModel, evaluateWithSums, ModelEvaluateArgs, ModelPredictArgs, predictLoop } from '../trainers/evaluate';
import type { ModelFitArgs } from '../trainers/fit';
import { forwardLoss, trainOnBatchStep } from '../trainers/train_step';
import { batchSteps } from '../trainers/batch_steps';
import type { BatchSteps } from '../trainers/batch_steps';
import { sampleWeightsPerOutput } from '../trainers/checks';
import type { SampleWeightArg } from '../trainers/checks';
import { checkTargetShape, noTargets } from '../trainers/targets';
import { isDatasetLike } from '../trainers/data_adapter';
import { isInputNode } from './graph';
import type { GraphTopology } from './graph';
import type { WeightLoadReport } from './load_report';
import { GraphModel, LayersModelArgs } from './model_graph';
import { trainingConfigFor } from './model_topology';
import type { SaveConfig } from './model_save';
import { initStreamState, makeStepPlan, planMatches, runStep, StepPlan } from './streaming';
import type { StreamState } from './streaming_state';
import type { ModelEvaluateDatasetArgs, ModelFitDatasetArgs } from './fit_dataset';
import type { Dataset } from '../data/dataset';
import type { ModelPredictDatasetArgs } from './dataset_calls';

export type { LayersModelArgs } from './model_graph';

/**
 * A model: a graph of layers with tfjs's model API — `compile`, `fit`, `evaluate`, `predict`, `trainOnBatch`,
 * `summary`, `getLayer`, weights, `save`, `toJSON`, `resetStates`, and streaming `initState`/`step`.
 *
 * Weights are listed as tfjs does: the trainable weights of all layers (in `layers` order), then the
 * non-trainable ones (`getWeights`/`setWeights` use this order).
 */
export class LayersModel extends GraphModel {
  static override className = 'Model';

  /** Set to true (e.g. from a callback) to stop `fit` after the current batch. */
  stopTraining = false;
  /** True while `fit` runs. */
  isTraining = false;
  /** The `History` of the last `fit`. */
  history: History | null = null;
  /** How `loadLayersModel` matched the file's weights (null for models not loaded from a file). */
  loadReport: WeightLoadReport | null = null;

  private compiled_: CompiledState | null = null;
  private stepPlan_: StepPlan | null = null;

  constructor(args: LayersModelArgs) {
    super(args);
  }

  /**
   * Saves the topology and weights (tfjs's layers-model format) through an IO handler or URL: 'file://dir' (Node),
   * 'localstorage://name', 'indexeddb://name', 'downloads://name', 'http(s)://...', `io.withSaveHandler(fn)`.
   * `includeOptimizer: true` adds the training config and the optimizer's state, so the loaded model comes back compiled
   * and its training continues where it stopped.
   */
  async save(handlerOrURL: IOHandler | string, config?: SaveConfig): Promise<SaveResult> {
    // Imported on first use (with the URL routers and their handlers), as fit's loop.
    const { saveModel } = await import('./model_save');
    return saveModel(this, handlerOrURL, config ?? {});
  }

  /** The training config written by `save({includeOptimizer: true})` (tfjs's `getTrainingConfig`). */
  getTrainingConfig(): TrainingConfig {
    const state = this.compiledFor('getTrainingConfig');
    return trainingConfigFor(state, this.outputNames);
  }

  // ---------------------------------------------------------------- compile

  /** The optimizer set by `compile`. */
  get optimizer(): Optimizer {
    if (!this.compiled_) throw new ValueError(`Model ${this.name}: no optimizer yet; call model.compile({optimizer, loss}) first.`);
    return this.compiled_.optimizer;
  }

  set optimizer(value: Optimizer) {
    if (!this.compiled_) throw new ValueError(`Model ${this.name}: set the optimizer with model.compile({optimizer, loss}) first.`);
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
      throw new ValueError(
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
    if (s.lossFns.length > 0 && names.length !== s.lossFns.length) {
      throw new ValueError(`Model ${this.name}: compiled for ${s.lossFns.length} output(s), but the model has ${names.length}.`);
    }
    s.metrics = resolveMetrics(s.metricIds, s.lossIds, this.knownOutputShapes());
    s.weightedMetrics = resolveMetrics(s.weightedMetricIds, s.lossIds, this.knownOutputShapes());
    s.metricsNames = metricsNamesOf(names, s.metrics, s.weightedMetrics, s.lossFns.length > 0);
  }

  // ---------------------------------------------------------------- data

  /**
   * Builds the model when it is built on first use (Sequential). Called with the model's input data before it
   * runs. @internal
   */
  protected ensureBuiltFor(_xs: Tensor[]): void {}

  /** The inputs as a list, checked against the model's input shapes. @internal */
  prepareInputs(x: unknown, where: string, what = 'x'): Tensor[] {
    this.assertNotDisposed(where);
    const texts = stringRows(x, what, where);
    if (texts) x = this.vectorizeTexts(texts, where, what);
    const built = this.hasGraph;
    const names = built ? this.inputNames : ['input'];
    const xs = standardizeData(x, names, what, where);
    if (!built) {
      this.ensureBuiltFor(xs);
      this.refreshCompiledForShapes();
    }
    // The graph's own input list (no copy) and the label only when it goes into an error: this runs on every predict.
    const graphInputs = this.graph.inputs;
    const shapes: Shape[] = [];
    for (const t of graphInputs) shapes.push(t.shape);
    checkInputShapes(xs, shapes, built ? names : this.inputNames, where, what, () => this.firstLayerLabel());
    // As tfjs and Keras: several inputs hold the same samples (predict's batching slices them together).
    if (xs.length > 1) checkSameSampleCount([{ tensors: xs, names: this.inputNames, what }], where);
    return xs;
  }

  /** Token ids of `texts` from the `TextVectorization` layer taking the model's input, or an error naming `what`. */
  private vectorizeTexts(texts: string[], where: string, what: string): Tensor {
    const layer = this.textInputLayer();
    if (!layer) {
      throw new ValueError(
        `${where}: ${what} is an array of strings, but the model's input does not go into a TextVectorization layer` +
          `${this.firstLayerLabel() ? ` (${this.firstLayerLabel()})` : ''}; vectorize the texts first, or start the model with layers.textVectorization().`,
      );
    }
    return layer.vectorize(texts);
  }

  /** The `TextVectorization` layer that takes the model's only input directly, or null. @internal */
  protected textInputLayer(): TextVectorization | null {
    if (!this.hasGraph || this.inputs.length !== 1) return null;
    const inp = this.inputs[0];
    for (const node of this.graph.nodes) {
      if (isTextVectorization(node.outboundLayer) && node.inputTensors.length === 1 && node.inputTensors[0] === inp) {
        return node.outboundLayer;
      }
    }
    return null;
  }

  /** How errors name the layer taking the input ('first layer 'lstm'' for a Sequential). @internal */
  protected firstLayerLabel(): string | null {
    return null;
  }

  /** Inputs and targets as lists, checked against the model and its losses. @internal used by the trainers. */
  prepareData(x: unknown, y: unknown, where: string, what: [string, string] = ['x', 'y']): { xs: Tensor[]; ys: Tensor[] } {
    const xs = this.prepareInputs(x, where, what[0]);
    const names = this.outputNames;
    if (y == null) return { xs, ys: noTargets(this.compiled_, names, where, what[1]) };
    // A 1-D target [n] for an output [null, 1] is one column (tfjs's standardizeInputData, Keras 3's
    // squeeze_or_expand_to_same_rank): binary labels for a Dense(1, sigmoid), regression targets for a Dense(1).
    const ys = standardizeData(y, names, what[1], where).map((yt, i) => {
      const os = this.outputs[i]?.shape;
      return yt.rank === 1 && os?.length === 2 && os[1] === 1 ? yt.reshape([yt.shape[0], 1]) : yt;
    });
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
      ys.forEach((yt, i) => checkTargetShape(yt, shapes[i], state.lossIds[i], where, entryLabel(what[1], names, i)));
    }
    return { xs, ys };
  }

  /**
   * Runs the model on one tensor per input; one tensor per output. The inputs were checked by `prepareInputs`
   * (every caller goes through it), so a built model runs its graph directly, without `apply`'s second check
   * of the same shapes. @internal used by the trainers.
   */
  runOutputs(xs: Tensor[], training: boolean): Tensor[] {
    const x = xs.length === 1 ? xs[0] : xs;
    const out = (this.built && !this.activityRegularizer ? this.call(x, { training }) : this.apply(x, { training })) as Tensor | Tensor[];
    return Array.isArray(out) ? out : [out];
  }

  // ---------------------------------------------------------------- inference

  /**
   * Outputs for `x`, computed in batches of `batchSize` (default 32) in inference mode; a list for several outputs.
   * Given a Dataset of x batches (or of `{xs, ys}` batches, ys ignored), resolves to the outputs of all its batches
   * concatenated, as Keras 3's `predict(dataset)`: `await model.predict(ds)`.
   */
  predict(x: ModelInput, args?: ModelPredictArgs): Tensor | Tensor[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  predict(x: Dataset<any>, args?: ModelPredictDatasetArgs): Promise<Tensor | Tensor[]>;
  predict(x: ModelInput | Dataset, args: ModelPredictArgs | ModelPredictDatasetArgs = {}): Tensor | Tensor[] | Promise<Tensor | Tensor[]> {
    if (isDatasetLike(x)) return import('./dataset_calls').then((d) => d.predictOnDataset(this, x as Dataset, args));
    const xs = this.prepareInputs(x, 'predict');
    const outs = predictLoop(this, xs, args as ModelPredictArgs);
    return outs.length === 1 ? outs[0] : outs;
  }

  /** Outputs for one batch `x`, in inference mode. */
  predictOnBatch(x: ModelInput): Tensor | Tensor[] {
    const xs = this.prepareInputs(x, 'predictOnBatch');
    const outs = this.runOutputs(xs, false);
    return outs.length === 1 ? outs[0] : outs;
  }

  /**
   * The loss (and metrics) on `x`, `y` in inference mode, in batches: a scalar, or `[loss, ...]` when there are
   * per-output losses or metrics (tfjs). `sampleWeight` is [n] or [n, timeSteps] (per time step, sequence outputs).
   *
   * The loss includes the layers' regularization penalties, as `fit`'s loss and Keras 3's evaluate. Given a Dataset
   * of batches, resolves to `evaluateDataset`'s result (Keras's `steps` is its `batches`): `await model.evaluate(ds)`.
   * tfjs note: tfjs's evaluate leaves the penalties out of the reported loss. tfjs 4.22's evaluate of a model with
   * several outputs returns one value more than its metricsNames (the first output's loss, then loss, ...), so its
   * `val_*` logs are shifted by one; here the values follow metricsNames (class_weight_multi_output.test.ts).
   */
  evaluate(x: ModelInput, y?: ModelData | null, args?: ModelEvaluateArgs): Scalar | Scalar[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  evaluate(x: Dataset<any>, args?: ModelEvaluateArgs): Promise<Scalar | Scalar[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  evaluate(x: Dataset<any>, y: null | undefined, args?: ModelEvaluateArgs): Promise<Scalar | Scalar[]>;
  evaluate(
    x: ModelInput | Dataset,
    y?: ModelData | ModelEvaluateArgs | null,
    args: ModelEvaluateArgs = {},
  ): Scalar | Scalar[] | Promise<Scalar | Scalar[]> {
    if (isDatasetLike(x)) return import('./dataset_calls').then((d) => d.evaluateOnDataset(this, x as Dataset, y, args));
    return evaluateModel(this, x, y, args);
  }

  // ---------------------------------------------------------------- training

  /**
   * The scalar that `fit` minimizes on a batch: Σ lossWeight · mean per-output loss (times `sampleWeight` when
   * given) plus the layers' regularization losses, with `training` (default true). Differentiable with `variableGrads`.
   */
  trainingLoss(x: ModelInput, y: ModelData | null, sampleWeight: SampleWeightArg | null = null, training = true): Tensor {
    const state = this.compiledFor('trainingLoss');
    const { xs, ys } = this.prepareData(x, y, 'trainingLoss');
    const weights = sampleWeightsPerOutput(sampleWeight, ys, this.outputNames, 'trainingLoss');
    return forwardLoss(this, state, xs, ys, weights, training, true, 'trainingLoss').loss;
  }

  /**
   * One gradient step on the batch `x`, `y`; resolves to the loss, or `[loss, ...]` when there are per-output
   * losses or metrics (values before the update, as tfjs). `sampleWeight` (Keras's `train_on_batch` argument) is
   * one tensor for every output, or one per output (array in output order or `{outputName: tensor}`, null/missing
   * for none); each is [batch] or [batch, timeSteps] (per time step of a sequence output).
   *
   * ```js
   * await m.trainOnBatch(x, y, tensor2d([[1, 1, 0], [1, 0, 0]]));  // [batch 2, timeSteps 3]: padded steps weigh 0
   * ```
   */
  async trainOnBatch(x: ModelInput, y?: ModelData | null, sampleWeight: SampleWeightArg | null = null): Promise<number | number[]> {
    const { values } = trainOnBatchStep(this, x, y, sampleWeight);
    return values.length === 1 ? values[0] : values;
  }

  /** `trainOnBatch` and `evaluate` with the weighted metrics' sums, for `fitDataset`/`evaluateDataset` (internal). */
  [batchSteps](): BatchSteps {
    return {
      trainOnBatch: (x, y, sampleWeight) => trainOnBatchStep(this, x, y, sampleWeight),
      evaluate: (x, y, args) => evaluateWithSums(this, x, y, args),
    };
  }

  /**
   * Trains for `epochs` passes over `x`, `y` (tfjs `fit`); x and y are one tensor, one per input/output, or
   * `{name: tensor}` (x may be texts, `string[]`, when the model's input goes into a `TextVectorization` layer).
   * Resolves to the `History` of per-epoch logs (`loss`, per-output losses, metrics, and their
   * `val_` forms when validating). Everything is checked before the first step. Given a Dataset of batches (Keras 3's
   * `fit(dataset, {epochs})`), trains with `fitDataset`: `stepsPerEpoch` and `validationSteps` are its
   * `batchesPerEpoch` / `validationBatches`; batchSize, validationSplit, sampleWeight, shuffle and seed are refused.
   */
  fit(x: ModelInput, y?: ModelData | null, args?: ModelFitArgs): Promise<History>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fit(x: Dataset<any>, args?: ModelFitArgs): Promise<History>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fit(x: Dataset<any>, y: null | undefined, args?: ModelFitArgs): Promise<History>;
  async fit(x: ModelInput | Dataset, y?: ModelData | ModelFitArgs | null, args: ModelFitArgs = {}): Promise<History> {
    // Keras 3's fit(dataset, epochs=...): fitDataset with the options mapped.
    if (isDatasetLike(x)) return (await import('./dataset_calls')).fitOnDataset(this, x as Dataset, y, args);
    // The loop (with callbacks) is imported on first use, so an application that never trains does not bundle it.
    const { fitLoop } = await import('../trainers/fit');
    return fitLoop(this, x, y, args);
  }

  /**
   * Trains on a dataset of batches (tfjs `fitDataset`): each element is `{xs, ys}` or `[xs, ys]` (tensors, arrays or
   * `{name: tensor}` per input/output); streams, so data that does not fit in memory trains with flat memory.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async fitDataset(dataset: Dataset<any>, args: ModelFitDatasetArgs): Promise<History> {
    const { fitDataset } = await import('./fit_dataset'); // imported on first use, as fit's loop
    return fitDataset(this, dataset, args);
  }

  /** Loss (and metrics) over a dataset of batches in inference mode (tfjs `evaluateDataset`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async evaluateDataset(dataset: Dataset<any>, args: ModelEvaluateDatasetArgs = {}): Promise<Scalar | Scalar[]> {
    const { evaluateDataset } = await import('./fit_dataset'); // imported on first use, as fit's loop
    return evaluateDataset(this, dataset, args);
  }

  // ---------------------------------------------------------------- streaming

  /**
   * Zero recurrent states (and causal Conv1D input windows) for `batch` independent streams, as plain data
   * (`{batch, layers: [{name, h, c}, ...]}`, Float32Arrays) for `step`. It can be cloned, stored per user, moved to a worker, or saved with `stateToJSON`.
   */
  initState(batch = 1): StreamState {
    return initStreamState(this.getStepPlan(), batch);
  }

  /**
   * One time step with the state kept outside the model: `xt` is [batch, ...features] for a model taking
   * [batch, timeSteps, ...features]; returns the output of that step and the next state (`state` is not modified).
   * Works for models whose layers form one chain of recurrent, causal Conv1D (strides 1) and per-step layers; throws
   * naming the layer otherwise.
   */
  step(xt: Tensor, state: StreamState): [Tensor, StreamState] {
    // A call of its own: losses that layers add while stepping replace the previous call's (none pile up).
    return inCallScope(this, () => runStep(this.getStepPlan(), xt, state));
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
    throw new ValueError(
      `Model ${modelName}: step() runs models with one input and one output; this one has ${graph.inputs.length} and ${graph.outputs.length}.`,
    );
  }
  const out: Layer[] = [];
  for (const node of graph.nodes) {
    const layer = node.outboundLayer;
    if (isInputNode(node)) continue;
    if (node.inputTensors.length !== 1 || node.outputTensors.length !== 1) {
      throw new ValueError(
        `Model ${modelName}: step() cannot run layer '${layer.name}' (${layer.getClassName()}): it takes ${node.inputTensors.length} input(s) ` +
          `and gives ${node.outputTensors.length} output(s); step() runs models whose layers form one chain.`,
      );
    }
    if (out.includes(layer)) throw new ValueError(`Model ${modelName}: step() cannot run the shared layer '${layer.name}' twice.`);
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
