/**
 * `Sequential`: a linear stack of layers — a `LayersModel` whose graph is a chain, built layer by layer as they
 * are added (or on first use when the first layer has no input shape), with tfjs's `add`/`pop` and its
 * `{name, layers}` config.
 *
 * ```js
 * const model = sequential();
 * model.add(layers.lstm({units: 32, inputShape: [20, 1]}));
 * model.add(layers.dense({units: 1, activation: 'sigmoid'}));
 * model.compile({optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy']});
 * const history = await model.fit(x, y, {epochs: 10, batchSize: 32, validationSplit: 0.1});
 * ```
 */
import { formatShape, Tensor, ValueError } from '@recurrent/core';
import {
  assertInputCompatibility,
  CallKwargs,
  checkArgKeys,
  getExactlyOneShape,
  InputLayer,
  isTextVectorization,
  Layer,
  SymbolicTensor,
} from '@recurrent/layers';
import type { ConfigDict, Shape, TextVectorization } from '@recurrent/layers';
import { LayersModel } from './layers_model';
import { withErrorPrefix } from '../error_prefix';
import type { ModelInput } from '../trainers/data_adapter';
import type { ModelPredictArgs } from '../trainers/evaluate';
import type { Dataset } from '../data/dataset';
import type { ModelPredictDatasetArgs } from './dataset_calls';

/** Args of `sequential()` (tfjs `SequentialArgs`). */
export interface SequentialArgs {
  /**
   * Layers to add, in order (the first needs `inputShape`/`batchInputShape`, or the model builds on first use). The
   * first may be an `input({shape})` (Keras 3's `Sequential([keras.Input(shape), ...])`).
   */
  layers?: Array<Layer | SymbolicTensor>;
  /** Model name (default 'sequential', 'sequential_1', ...). */
  name?: string;
}

/**
 * A linear stack of layers (tfjs `tf.Sequential`): a `LayersModel`, so it nests in other models and has the whole
 * model API. `layers` lists the added layers (not the input layer made for the first layer's `inputShape`).
 */
export class Sequential extends LayersModel {
  static override className = 'Sequential';
  protected static override readonly buildsGraphLater = true;

  private readonly layers_: Layer[] = [];

  constructor(args: SequentialArgs = {}) {
    args = args ?? {};
    if (typeof args !== 'object' || Array.isArray(args)) {
      throw new ValueError(
        `sequential: expected an args object like {layers: [...]}, received ${Array.isArray(args) ? 'an array' : String(args)}.`,
      );
    }
    checkArgKeys('sequential', args, ['layers', 'name']);
    super({ name: args.name } as never);
    if (args.layers != null) {
      if (!Array.isArray(args.layers))
        throw new ValueError(`sequential: layers must be an array of layers, received ${typeof args.layers}.`);
      for (const layer of args.layers) this.add(layer);
    }
  }

  // ---------------------------------------------------------------- structure

  /** The layers, in order. */
  override get layers(): Layer[] {
    return this.layers_.slice();
  }

  protected override weightLayers(): Layer[] {
    return this.layers_;
  }

  /**
   * Appends a layer. When the input shape is known (the first layer has `inputShape` or `batchInputShape`), the
   * layer is checked against the previous layer's output shape and built now; otherwise the model builds on its
   * first call.
   */
  add(layerOrInput: Layer | SymbolicTensor): void {
    const layer = this.inputLayerOf(layerOrInput);
    if (!(layer instanceof Layer)) {
      throw new ValueError(
        `Sequential ${this.name}: add() expects a layer (e.g. layers.dense({units: 1})), received ${layer === null ? 'null' : typeof layer}.`,
      );
    }
    if (layer === this) throw new ValueError(`Sequential ${this.name}: a model cannot be added to itself.`);
    if (this.layers_.includes(layer)) throw new ValueError(`Sequential ${this.name}: layer ${layer.name} is already in the model.`);
    if (this.layers_.some((l) => l.name === layer.name)) {
      throw new ValueError(
        `Sequential ${this.name}: all layers added to a Sequential model should have unique names; '${layer.name}' is already used.`,
      );
    }
    if (this.layers_.length === 0) {
      const x = this.inputFor(layer);
      if (x) {
        const out = layer instanceof InputLayer ? x : this.connect(layer, x, null);
        this.setGraph([x], [out]);
      }
    } else if (this.hasGraph) {
      const out = this.connect(layer, this.outputs[0], this.layers_[this.layers_.length - 1]);
      this.setGraph(this.inputs, [out]);
    }
    this.layers_.push(layer);
  }

  /**
   * The InputLayer of an `input()` given to `add` (Keras 3's `model.add(keras.Input(shape))`); anything else as is.
   * tfjs note: tfjs's Sequential takes layers only.
   */
  private inputLayerOf(x: Layer | SymbolicTensor): Layer | SymbolicTensor {
    if (!(x instanceof SymbolicTensor)) return x;
    const source = x.sourceLayer;
    if (!(source instanceof InputLayer) || this.layers_.length > 0) {
      throw new ValueError(
        `Sequential ${this.name}: add() takes a SymbolicTensor only from input(), to start the model; received the output of ` +
          `layer '${source.name}' (${source.getClassName()}) after ${this.layers_.length} layer(s) (model({inputs, outputs}) builds other graphs).`,
      );
    }
    return source;
  }

  /** The model input for a first layer that knows its input shape (its own output for an InputLayer), else null. */
  private inputFor(layer: Layer): SymbolicTensor | null {
    if (layer instanceof InputLayer) return layer.inboundNodes[0].outputTensors[0];
    let shape: Shape | null = layer.batchInputShape ?? null;
    if (!shape && layer instanceof LayersModel && layer.built) {
      const s = layer.inputShape;
      if (!(s.length > 0 && Array.isArray(s[0]))) shape = (s as Shape).slice();
    }
    if (!shape) return null;
    return this.makeInput(shape, layer.dtype, layer.name);
  }

  private makeInput(batchShape: Shape, dtype: Layer['dtype'], firstName: string): SymbolicTensor {
    const inputLayer = new InputLayer({ batchInputShape: batchShape, dtype, name: `${firstName}_input` });
    return inputLayer.inboundNodes[0].outputTensors[0];
  }

  /** Applies `layer` to `x` (checking it first), returning its symbolic output; errors say where in the stack. */
  private connect(layer: Layer, x: SymbolicTensor, prev: Layer | null): SymbolicTensor {
    const inShape = x.shape;
    const context = () =>
      prev
        ? `Sequential ${this.name}: cannot connect layer '${layer.name}' (${layer.getClassName()}) after layer '${prev.name}' ` +
          `(${prev.getClassName()}), whose output shape is ${formatShape(inShape)}: `
        : `Sequential ${this.name}: layer '${layer.name}' (${layer.getClassName()}) cannot take the model input of shape ${formatShape(inShape)}: `;
    const out = withErrorPrefix(context, () => {
      assertInputCompatibility(layer.name, layer.inputSpec, [x]);
      if (!layer.built) layer.maybeBuild(inShape.slice());
      return layer.computeOutputShape(inShape.slice());
    });
    if (out.length > 0 && Array.isArray(out[0])) {
      throw new ValueError(
        context() +
          `it has ${out.length} outputs, but each layer of a Sequential model must have one output (e.g. set returnState: false).`,
      );
    }
    return withErrorPrefix(context, () => layer.apply(x) as SymbolicTensor);
  }

  /** Removes the last layer (Keras/tfjs `pop`). */
  pop(): void {
    if (this.layers_.length === 0) throw new ValueError(`Sequential ${this.name}: pop() on a model with no layers.`);
    const layer = this.layers_.pop()!;
    if (!this.hasGraph) return;
    const out = this.outputs[0];
    if (out.sourceLayer === layer && !(layer instanceof InputLayer)) {
      const node = layer.inboundNodes.pop()!;
      for (const t of node.inputTensors) {
        const list = t.sourceLayer.outboundNodes;
        const i = list.lastIndexOf(node);
        if (i >= 0) list.splice(i, 1);
      }
      if (this.layers_.length > 0) {
        this.setGraph(this.inputs, [node.inputTensors[0]]);
        return;
      }
    }
    this.clearGraph();
  }

  /** The model's input shape (with a null batch dimension unless fixed). Throws before the model is built. */
  override get inputShape(): Shape {
    return this.knownShape('input');
  }

  /** The model's output shape. Throws before the model is built. */
  override get outputShape(): Shape {
    return this.knownShape('output');
  }

  private knownShape(which: 'input' | 'output'): Shape {
    if (!this.hasGraph) {
      throw new ValueError(
        `Sequential ${this.name}: the ${which} shape is not known yet; give the first layer an inputShape, or call the model on data.`,
      );
    }
    return (which === 'input' ? this.inputs : this.outputs)[0].shape.slice();
  }

  override get topologyInputShape(): Shape | null {
    return this.hasGraph ? this.inputShape : null;
  }

  // ---------------------------------------------------------------- Layer overrides

  /** Builds every layer from the model's input shape (called on first use when no inputShape was given). */
  override build(inputShape: Shape | Shape[]): void {
    this.assertHasLayers();
    if (this.hasGraph) return;
    const shape = getExactlyOneShape(this.name, inputShape).slice();
    shape[0] = null;
    const first = this.layers_[0];
    let x = this.makeInput(shape, first.dtype, first.name);
    const input = x;
    this.layers_.forEach((layer, i) => {
      x = layer instanceof InputLayer && i === 0 ? x : this.connect(layer, x, i > 0 ? this.layers_[i - 1] : null);
    });
    this.setGraph([input], [x]);
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    this.assertHasLayers();
    return super.call(inputs, kwargs);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    let shape = getExactlyOneShape(this.name, inputShape);
    for (const layer of this.layers_) shape = getExactlyOneShape(layer.name, layer.computeOutputShape(shape));
    return shape;
  }

  private assertHasLayers(): void {
    if (this.layers_.length === 0) {
      throw new ValueError(`Sequential ${this.name}: the model has no layers; add layers with model.add(...) first.`);
    }
  }

  protected override ensureBuiltFor(xs: Tensor[]): void {
    this.assertHasLayers();
    if (xs.length !== 1) {
      throw new ValueError(
        `Sequential ${this.name}: x must be one Tensor (a Sequential model has one input and one output), received an array of ${xs.length}.`,
      );
    }
    // Texts vectorize to a length that varies from call to call (without outputSequenceLength): build for any length.
    const first = this.layers_[0];
    const variableLength = isTextVectorization(first) && first.outputSequenceLength === null && xs[0].rank === 2;
    this.maybeBuild(variableLength ? [null, null] : [null, ...xs[0].shape.slice(1)]);
  }

  /** The first layer when it is a `TextVectorization` (built or not). @internal */
  protected override textInputLayer(): TextVectorization | null {
    const first = this.layers_[0];
    return isTextVectorization(first) ? first : null;
  }

  /** Outputs for `x`, computed in batches of `batchSize` (default 32) in inference mode. */
  override predict(x: ModelInput, args?: ModelPredictArgs): Tensor;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override predict(x: Dataset<any>, args?: ModelPredictDatasetArgs): Promise<Tensor>;
  override predict(x: ModelInput | Dataset, args: ModelPredictArgs | ModelPredictDatasetArgs = {}): Tensor | Promise<Tensor> {
    return super.predict(x as ModelInput, args as ModelPredictArgs) as Tensor | Promise<Tensor>;
  }

  /** Outputs for one batch `x`, in inference mode. */
  override predictOnBatch(x: ModelInput): Tensor {
    return super.predictOnBatch(x) as Tensor;
  }

  protected override firstLayerLabel(): string | null {
    return this.layers_.length > 0 ? `first layer '${this.layers_[0].name}'` : null;
  }

  /** `{name, layers: [{className, config}]}`, as tfjs's `Sequential.getConfig()`. */
  override getConfig(): ConfigDict {
    return {
      name: this.name,
      layers: this.layers_.map((l) => ({ className: l.getClassName(), config: l.getConfig() })),
    } as ConfigDict;
  }

  protected override streamingLayers(): Layer[] {
    if (this.layers_.length === 0) throw new ValueError(`Sequential ${this.name}: step() on a model with no layers; add layers first.`);
    return this.layers_;
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
