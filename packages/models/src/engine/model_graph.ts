/**
 * `GraphModel`: the structure of a model — a graph of layers from symbolic inputs to symbolic outputs, itself a
 * Layer (so it nests): the topology, running it, weights, config, `toJSON` and `summary`. `LayersModel` adds the
 * training and inference API (compile, fit, evaluate, predict, step) on top; `Sequential` builds its graph layer
 * by layer.
 */
import { Tensor, ValueError } from '@recurrent/core';
import { CallKwargs, InputLayer, Layer, LayerVariable, SymbolicTensor, checkArgKeys, inCallScope } from '@recurrent/layers';
import type { ConfigDict, Shape } from '@recurrent/layers';
import { buildGraph, GraphTopology } from './graph';
import { graphOutputShapes, runGraph } from './graph_execution';
import { functionalConfigOf } from './functional_config';
import { modelTopologyOf } from './model_topology';
import { graphSummaryLines } from './graph_summary';
import { modelDisposedError } from './fit_guards';

/** Args of `model()` (tfjs `ContainerArgs`). */
export interface LayersModelArgs {
  /** The symbolic input(s), from `input()`. */
  inputs: SymbolicTensor | SymbolicTensor[];
  /** The symbolic output(s), from `layer.apply(...)`. */
  outputs: SymbolicTensor | SymbolicTensor[];
  /** Model name (default 'model', 'model_1', ...). */
  name?: string;
}

/** The graph part of a model (see the file comment); use `LayersModel` / `model()`. */
export class GraphModel extends Layer {
  static override className = 'Model';
  /** True for subclasses that make their graph after construction (Sequential: layer by layer). */
  protected static readonly buildsGraphLater: boolean = false;

  private inputs_: SymbolicTensor[] = [];
  private outputs_: SymbolicTensor[] = [];
  private graph_: GraphTopology | null = null;
  private outputMasks_: (Tensor | null)[] = [];
  private disposed_ = false;

  constructor(args: LayersModelArgs) {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw new ValueError(
        `model: expected an args object {inputs, outputs, name?}, received ${Array.isArray(args) ? 'an array' : String(args)}.`,
      );
    }
    checkArgKeys('model', args, ['inputs', 'outputs', 'name']);
    super({ name: args.name });
    if (!(new.target as typeof GraphModel).buildsGraphLater || args.inputs !== undefined || args.outputs !== undefined) {
      if (args.inputs == null) throw new ValueError(`model ${this.name}: inputs are required (symbolic tensors from input()).`);
      if (args.outputs == null) throw new ValueError(`model ${this.name}: outputs are required (symbolic tensors from layer.apply).`);
      const inputs = Array.isArray(args.inputs) ? args.inputs : [args.inputs];
      const outputs = Array.isArray(args.outputs) ? args.outputs : [args.outputs];
      if (inputs.length === 0) throw new ValueError(`model ${this.name}: inputs is an empty list.`);
      if (outputs.length === 0) throw new ValueError(`model ${this.name}: outputs is an empty list.`);
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
      throw new ValueError(
        `Model ${this.name}: the model is not built yet; give the first layer an inputShape, or call the model on data first.`,
      );
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
        throw new ValueError(`Model ${this.name}: getLayer: index ${String(i)} is out of range; the model has ${layers.length} layer(s).`);
      }
      return layers[i];
    }
    if (typeof nameOrIndex !== 'string') throw new ValueError(`Model ${this.name}: getLayer needs a layer name or an index.`);
    const found = layers.find((l) => l.name === nameOrIndex);
    if (!found) {
      throw new ValueError(
        `Model ${this.name}: no layer named '${nameOrIndex}'; layers: ${layers.map((l) => l.name).join(', ') || 'none'}.`,
      );
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
      if (l instanceof GraphModel) l.resetStates();
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
      throw new ValueError(
        `Model ${this.name} expects ${graph.inputs.length} input(s) (${this.inputNames.join(', ')}), received ${xs.length}.`,
      );
    }
    const maskArg = kwargs?.mask ?? null;
    const masks = maskArg === null ? [] : Array.isArray(maskArg) ? maskArg : [maskArg];
    // The model's own call scope: fit/evaluate/predict call it directly; the losses its layers added last time go.
    const run = inCallScope(this, () => runGraph(graph, xs, kwargs?.training, masks));
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
    const shapes = (
      graph.inputs.length === 1 && !(inputShape.length > 0 && Array.isArray(inputShape[0])) ? [inputShape] : inputShape
    ) as Shape[];
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

  /** Regularization (and activity) penalties of all layers, and the losses they (or the model) added with `addLoss`. */
  override get losses(): Tensor[] {
    return [...this.weightLayers().flatMap((l) => l.losses), ...this.ownAddedLosses()];
  }

  override clearAddedLosses(): void {
    super.clearAddedLosses();
    for (const l of this.weightLayers()) l.clearAddedLosses();
  }

  override regularizationLosses(): Tensor[] {
    return this.weightLayers().flatMap((l) => l.regularizationLosses());
  }

  /** Number of weight elements of all layers. */
  override countParams(): number {
    if (!this.built) {
      throw new ValueError(
        `Model ${this.name}: countParams() needs a built model; give the first layer an inputShape, or call the model on data first.`,
      );
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
  protected assertNotDisposed(where = 'predict'): void {
    if (this.disposed_) throw modelDisposedError(where, this.name);
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
      throw new ValueError(
        `Model ${this.name}: this model has never been called, thus its weights have not yet been created, so no summary ` +
          `can be displayed. Give the first layer an inputShape, or call the model on some data first.`,
      );
    }
    for (const line of graphSummaryLines(this, lineLength, positions)) printFn(line);
  }
}
