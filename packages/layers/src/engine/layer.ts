/**
 * The Layer base class, tfjs-layers/Keras style: lazy `build` from the first input shape, weights via
 * `addWeight`, `apply` → `call` on concrete tensors, or a recorded graph node on symbolic tensors (functional
 * models), InputSpec checks, weights get/set in tfjs order, config round trips and regularization losses.
 */
import { add, cast, DataType, div, formatShape, Tensor, ValueError, NotImplementedError } from '@recurrent/core';
import type { Constraint } from '../constraints/constraint';
import { getInitializer, InitializerIdentifier } from '../initializers';
import { Initializer } from '../initializers/initializer';
import type { Regularizer } from '../regularizers/regularizer';
import type { ConfigDict, SerializableKind } from '../serialization/registry';
import { assertInputCompatibility, InputSpec } from './input_spec';
import { createLayerVariable, LayerVariable } from './layer_variable';
import { toSnakeCase, uniqueLayerName, weightNamePrefix, withNameScope } from './naming';
import type { Node } from './node';
import { applySymbolic, isSymbolicCall } from './symbolic_call';
import type { LayerStepFunction } from './step_function';
import { SymbolicTensor } from './symbolic_tensor';
import { chargeWeight } from './weight_creation';
import { checkLayerArgs } from './layer_args';
import { AddedLoss, checkAddedLosses, inCallScope } from './added_losses';
import type { CallKwargs, LayerArgs, Shape, SymbolicCallKwargs } from './layer_args';

let nextLayerId = 0;

interface RegularizedWeight {
  weight: LayerVariable;
  regularizer: Regularizer;
}

/**
 * Base class of all layers. Subclasses set `static className`, take one `XxxArgs` object,
 * create weights in `build(inputShape)` with `addWeight`, compute in `call(inputs, kwargs)`,
 * and extend `getConfig()` and `computeOutputShape()`.
 *
 * ```ts
 * class Scale extends Layer {
 *   static className = 'Scale';
 *   private w!: LayerVariable;
 *   override build(inputShape: Shape) { this.w = this.addWeight('w', [inputShape[inputShape.length - 1]!], 'float32', 'ones'); }
 *   override call(x: Tensor) { return mul(x, this.w); }
 * }
 * ```
 */
export class Layer {
  /** Registry kind, inherited by subclasses. */
  static readonly serializableKind: SerializableKind = 'layer';
  /** Serialized class name; every subclass sets its own. */
  static className = 'Layer';

  /** Unique id. */
  readonly id: number;
  /** Layer name (unique by default). */
  readonly name: string;
  /** Dtype of weights and inputs. */
  readonly dtype: DataType;
  /** Input shape including the batch dimension, when given at construction. */
  readonly batchInputShape?: Shape;
  /** Whether `build` has run. */
  built = false;
  /** Whether the layer propagates (or consumes) input masks. */
  supportsMasking = false;
  /** Checked against every input in `apply`; set in the constructor or `build`. */
  inputSpec: InputSpec[] | null = null;
  /** Penalty on the layer's output divided by the batch size (as Keras), recorded on each `apply` (in `losses`). */
  activityRegularizer: Regularizer | null = null;
  /** One node per symbolic call of this layer (functional graphs), in call order. */
  inboundNodes: Node[] = [];
  /** The nodes of other layers' calls that take this layer's outputs. */
  outboundNodes: Node[] = [];

  protected trainable_: boolean;
  private trainableWeights_: LayerVariable[] = [];
  private nonTrainableWeights_: LayerVariable[] = [];
  private addedWeightNames: string[] = [];
  private regularizedWeights: RegularizedWeight[] = [];
  private activityLosses: Tensor[] = [];
  private addedLosses: Tensor[] = [];
  private lossFns: (() => Tensor)[] = [];
  private initialWeights: Tensor[] | null;

  constructor(args: LayerArgs = {}) {
    args = args ?? {};
    checkLayerArgs(this.getClassName(), args);
    this.id = nextLayerId++;
    this.name = args.name || uniqueLayerName(toSnakeCase(this.getClassName()));
    this.trainable_ = args.trainable ?? true;
    if (args.batchInputShape) {
      this.batchInputShape = args.batchInputShape.slice();
    } else if (args.inputShape) {
      this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    }
    this.dtype = args.dtype ?? args.inputDType ?? 'float32';
    this.initialWeights = args.weights ?? null;
  }

  /** The serialized class name (the static className, or the JS class name if a subclass forgot it). */
  getClassName(): string {
    const ctor = this.constructor as typeof Layer;
    return Object.prototype.hasOwnProperty.call(ctor, 'className') ? ctor.className : ctor.name;
  }

  // ---------------------------------------------------------------- building

  /** Creates the weights for inputs of `inputShape`. Subclasses override it (no need to call super). */
  build(_inputShape: Shape | Shape[]): void {
    this.built = true;
  }

  /**
   * Builds once: calls `build(inputShape)`, marks the layer built and sets the `weights` given at
   * construction. `apply` calls this; a model may call it with a shape containing nulls.
   *
   * The build runs in the weight-name scope `scope` (default: this layer's name), as tfjs's `apply`
   * does. A layer that builds a child passes the child's scope: `null` to add none (an RNN's cell
   * weights are 'lstm/kernel'), or a segment such as 'RNNCell_0' or 'forward_lstm'.
   */
  maybeBuild(inputShape: Shape | Shape[], scope: string | null = this.name): void {
    if (this.built) return;
    if (scope === null) this.build(inputShape);
    else withNameScope(scope, () => this.build(inputShape));
    this.built = true;
    if (this.initialWeights) {
      const w = this.initialWeights;
      this.initialWeights = null;
      this.setWeights(w);
    }
  }

  /**
   * Adds a weight named `${scope}/${name}` (the active name scopes; `${this.name}/${name}` outside any), initialized by `initializer` (default glorotUniform),
   * trainable unless `trainable` is false or the layer is not trainable. Call it from `build`.
   */
  addWeight(
    name: string,
    shape: Shape,
    dtype?: DataType,
    initializer?: Initializer | InitializerIdentifier,
    regularizer?: Regularizer | null,
    trainable?: boolean,
    constraint?: Constraint | null,
  ): LayerVariable {
    if (this.addedWeightNames.includes(name)) {
      throw new ValueError(`Layer ${this.name}: duplicate weight name '${name}'.`);
    }
    if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
      throw new ValueError(
        `Layer ${this.name}: weight '${name}' needs a fully known shape of non-negative integers, received ${Array.isArray(shape) ? formatShape(shape) : String(shape)}.`,
      );
    }
    const concrete = shape as number[];
    const d = dtype ?? this.dtype;
    const init = getInitializer(initializer ?? 'glorotUniform');
    // A loader's policy (engine/weight_creation.ts) may refuse the weight before it is allocated, or skip its initializer.
    let value = chargeWeight(this.name, name, concrete, d) ?? init.apply(concrete, d);
    if (value.dtype !== d) value = cast(value, d);
    const isTrainable = (trainable ?? true) && this.trainable_;
    const weight = createLayerVariable(value, d, `${weightNamePrefix(this.name)}/${name}`, isTrainable, constraint ?? null);
    this.addedWeightNames.push(name);
    if (trainable ?? true) this.trainableWeights_.push(weight);
    else this.nonTrainableWeights_.push(weight);
    if (regularizer) this.regularizedWeights.push({ weight, regularizer });
    return weight;
  }

  // ---------------------------------------------------------------- calling

  /**
   * Runs the layer. On concrete tensors: builds on the first call from the input shape, checks `inputSpec`,
   * calls `call`, and records the activity-regularization penalty. On symbolic tensors (from `input()` or
   * another layer's output): builds from the shapes and returns symbolic outputs, recording the call as a
   * node of the graph (`inboundNodes`), so `model({inputs, outputs})` can run it later.
   *
   * ```js
   * const x = input({shape: [10, 4]});
   * const [seq, h, c] = layers.lstm({units: 8, returnSequences: true, returnState: true}).apply(x);
   * ```
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: SymbolicCallKwargs): SymbolicTensor | SymbolicTensor[];
  apply(inputs: Tensor | Tensor[], kwargs?: CallKwargs): Tensor | Tensor[];
  apply(
    inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[],
    kwargs?: CallKwargs | SymbolicCallKwargs,
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
  apply(
    inputsGiven: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[],
    kwargsGiven: CallKwargs | SymbolicCallKwargs = {},
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    const [inputs, kwargs] = this.standardizeCallArgs(inputsGiven as Tensor | Tensor[], (kwargsGiven ?? {}) as CallKwargs);
    if (isSymbolicCall(inputs, kwargs)) return applySymbolic(this, inputs, kwargs);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    for (let i = 0; i < list.length; i++) {
      const x = list[i];
      if (!(x instanceof Tensor)) {
        throw new ValueError(`Layer ${this.name}: input ${i} must be a Tensor, received ${x === null ? 'null' : typeof x}.`);
      }
    }
    if (!this.built) {
      assertInputCompatibility(this.name, this.inputSpec, list);
      const shapes = list.map((x) => x.shape.slice() as Shape);
      this.maybeBuild(Array.isArray(inputs) ? shapes : shapes[0]);
    }
    assertInputCompatibility(this.name, this.inputSpec, list);
    const output = inCallScope(this, () => this.call(inputs, kwargs));
    if (this.activityRegularizer) {
      const outs = Array.isArray(output) ? output : [output];
      // Keras (2 and 3) divides the penalty by the batch size, so it does not grow with the batch.
      this.activityLosses = outs.map((o) => {
        const penalty = this.activityRegularizer!.apply(o);
        return o.rank > 0 && o.shape[0] > 0 ? div(penalty, o.shape[0]) : penalty;
      });
    }
    return output;
  }

  /**
   * Rewrites `apply`'s arguments before the call (concrete or symbolic); the base returns them unchanged. Recurrent
   * layers move `apply([x, ...states])` into `initialState` here.
   */
  protected standardizeCallArgs(inputs: Tensor | Tensor[], kwargs: CallKwargs): [Tensor | Tensor[], CallKwargs] {
    return [inputs, kwargs];
  }

  // ---------------------------------------------------------------- graph (functional models)

  private singleNode(what: string): Node {
    if (this.inboundNodes.length === 0) {
      throw new ValueError(`Layer ${this.name} has never been called on a symbolic tensor, so it has no ${what}.`);
    }
    if (this.inboundNodes.length > 1) {
      throw new ValueError(
        `Layer ${this.name} has been called ${this.inboundNodes.length} times (shared layer), so its ${what} is ambiguous; ` +
          `use layer.inboundNodes[i] instead.`,
      );
    }
    return this.inboundNodes[0];
  }

  /** The symbolic input(s) of the layer's only call (tfjs `layer.input`). */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const node = this.singleNode('input');
    const main = node.inputTensors.slice(0, node.callArgs.numInputs);
    return node.callArgs.inputsIsList ? main : main[0];
  }

  /** The symbolic output(s) of the layer's only call (tfjs `layer.output`). */
  get output(): SymbolicTensor | SymbolicTensor[] {
    const outs = this.singleNode('output').outputTensors;
    return outs.length === 1 ? outs[0] : outs;
  }

  /** The output shape(s) of the layer's calls (tfjs `layer.outputShape`); throws when calls disagree. */
  get outputShape(): Shape | Shape[] {
    if (this.inboundNodes.length === 0) {
      throw new ValueError(`Layer ${this.name} has never been called on a symbolic tensor, so its output shape is not defined.`);
    }
    const shapes = this.inboundNodes.map((n) => JSON.stringify(n.outputShapes));
    if (shapes.some((s) => s !== shapes[0])) {
      throw new ValueError(
        `Layer ${this.name} has multiple inbound nodes with different output shapes; use layer.inboundNodes[i].outputShapes.`,
      );
    }
    return this.inboundNodes[0].outputShapes;
  }

  /** The layer's computation. Subclasses override it; the base returns the input unchanged. */
  call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor | Tensor[] {
    return inputs;
  }

  /**
   * Output shape for an input shape (nulls allowed); the base returns the input shape. Symbolic calls pass their
   * non-tensor kwargs (e.g. `returnAttentionScores`) as `kwargs`.
   */
  computeOutputShape(inputShape: Shape | Shape[], _kwargs?: CallKwargs): Shape | Shape[] {
    return inputShape;
  }

  /**
   * Streaming hook: for a layer that acts on each time step alone, a function computing it on ONE step
   * [batch, ...features] → [batch, ...outFeatures] in inference mode; null (the default) when the layer needs the
   * whole sequence. A model's `step()` (streaming inference) runs the layers before and after its recurrent layers
   * through this hook, so a custom layer streams by overriding it. To refuse with a reason (e.g. an unsupported
   * option), throw `new StepRefusal(this, 'why')`. Recurrent layers and causal Conv1D keep a state and are streamed
   * by the model engine itself.
   *
   * ```ts
   * class Scale extends Layer {
   *   static className = 'Scale';
   *   override call(x: Tensor) { return mul(x, scalar(2)); }
   *   override stepFunction() { return (xt: Tensor) => this.call(xt); }   // [batch, features] → [batch, features]
   * }
   * ```
   */
  stepFunction(): LayerStepFunction | null {
    return null;
  }

  /**
   * The output mask for an input mask. Layers that support masking pass it through by default;
   * other layers return null, and throw if given a mask (as tfjs).
   */
  computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[] | null): Tensor | Tensor[] | null {
    if (!this.supportsMasking) {
      if (mask !== null && mask !== undefined) {
        const masks = Array.isArray(mask) ? mask : [mask];
        if (masks.some((m) => m !== null && m !== undefined)) {
          throw new NotImplementedError(`Layer ${this.name} does not support masking, but was passed an input mask.`);
        }
      }
      return null;
    }
    return mask ?? null;
  }

  // ---------------------------------------------------------------- weights

  /** Whether the layer's weights are trained. Setting false moves all weights to `nonTrainableWeights`. */
  get trainable(): boolean {
    return this.trainable_;
  }

  set trainable(value: boolean) {
    this.trainable_ = value;
    for (const w of this.trainableWeights_) w.trainable = value;
  }

  /** Trainable weights (empty when the layer is not trainable). */
  get trainableWeights(): LayerVariable[] {
    return this.trainable_ ? this.trainableWeights_.filter((w) => w.trainable) : [];
  }

  /** Non-trainable weights (all weights when the layer is not trainable). */
  get nonTrainableWeights(): LayerVariable[] {
    if (this.trainable_) return [...this.trainableWeights_.filter((w) => !w.trainable), ...this.nonTrainableWeights_];
    return [...this.trainableWeights_, ...this.nonTrainableWeights_];
  }

  /** All weights: trainable then non-trainable, as tfjs. */
  get weights(): LayerVariable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  /** Copies of the weight values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => w.read());
  }

  /**
   * Sets the weight values, in `getWeights()` order. Throws naming the layer, the weight and both
   * shapes on a shape mismatch, or when the count differs.
   */
  setWeights(weights: Tensor[]): void {
    const params = this.weights;
    this.checkWeightValues(params, weights);
    params.forEach((p, i) => {
      const w = weights[i];
      p.assign(w.dtype === p.dtype ? w : cast(w, p.dtype));
    });
  }

  /**
   * Throws, as `setWeights` does, unless `weights` is an array of Tensors matching `params` in count and
   * shapes. For layers that set their weights through inner layers (Bidirectional).
   */
  protected checkWeightValues(params: LayerVariable[], weights: Tensor[]): void {
    if (!Array.isArray(weights)) {
      throw new ValueError(`Layer ${this.name}: setWeights expects an array of Tensors, received ${typeof weights}.`);
    }
    if (weights.length !== params.length) {
      const expected = params.map((p) => `${p.originalName} ${formatShape(p.shape)}`).join(', ');
      throw new ValueError(
        `Layer ${this.name}: setWeights was given ${weights.length} weight(s) but the layer has ${params.length}` +
          (this.built ? ` (${expected || 'none'})` : ' (the layer is not built yet; apply it to an input first)') +
          '.',
      );
    }
    params.forEach((p, i) => {
      const w = weights[i];
      if (!(w instanceof Tensor)) {
        throw new ValueError(`Layer ${this.name}: setWeights value ${i} for weight '${p.originalName}' is not a Tensor.`);
      }
      if (w.shape.length !== p.shape.length || w.shape.some((d, k) => d !== p.shape[k])) {
        // Keras's GRU weights (its default resetAfter: true) given to a tfjs-default GRU (resetAfter: false).
        const kerasGruBias =
          p.originalName.endsWith('bias') &&
          p.shape.length === 1 &&
          p.shape[0] % 3 === 0 &&
          formatShape(w.shape) === formatShape([2, p.shape[0]]);
        throw new ValueError(
          `Layer ${this.name}: weight '${p.originalName}' has shape ${formatShape(p.shape)}, but setWeights received a value of shape ${formatShape(w.shape)}` +
            (kerasGruBias
              ? "; a [2, 3·units] bias is Keras's GRU with resetAfter: true (its default): create the GRU with resetAfter: true."
              : '.'),
        );
      }
    });
  }

  /** Number of weight elements. Throws if the layer is not built. */
  countParams(): number {
    if (!this.built) {
      throw new ValueError(
        `Layer ${this.name}: countParams() was called before the layer was built; apply it to an input (or call build(inputShape)) first.`,
      );
    }
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /**
   * Regularization penalties: one scalar per regularized weight, computed now (so inside a
   * gradient scope they are differentiable), the activity penalties of the last `apply`, and the losses added with
   * `addLoss` (those of the last call, then the functions' values computed now).
   */
  get losses(): Tensor[] {
    return [...this.regularizationLosses(), ...this.activityLosses, ...this.ownAddedLosses()];
  }

  /** The losses added with `addLoss` to this layer itself (not its sublayers). @internal */
  ownAddedLosses(): Tensor[] {
    return [...this.addedLosses, ...this.lossFns.map((f) => f())];
  }

  /**
   * Adds a loss that training adds to the compiled loss (Keras's `self.add_loss(value)` inside `call`; tfjs's
   * `addLoss(fn)`). A Tensor computed in `call` from the inputs (a CTC loss from labels given as an input, an
   * activity penalty) counts for this call only: the losses of the previous call are dropped when the next outermost
   * call starts, as Keras. A function `() => Tensor` (tfjs's form) stays and is computed each time the losses are
   * read. `fit` adds the sum of every element of each added loss to the loss it minimizes and logs (as Keras 3, so
   * a [batch, 1] loss column counts as its sum); `evaluate` reports it too; `predict` ignores it. A model whose
   * layers add losses may be compiled without a loss and trained without `y`.
   *
   * ```ts
   * class ActivityPenalty extends Layer {
   *   static className = 'ActivityPenalty';
   *   override call(x: Tensor) { this.addLoss(mul(scalar(0.1), mean(square(x)))); return x; }
   * }
   * ```
   */
  // tfjs note: tfjs's addLoss takes functions only, and its `losses` lists those functions (`calculateLosses()` computes
  // them); here `losses` holds the computed tensors (Keras), and a tensor computed in call may be added (Keras add_loss).
  addLoss(losses: AddedLoss | AddedLoss[]): void {
    for (const l of checkAddedLosses(this.name, losses)) {
      if (typeof l === 'function') this.lossFns.push(l);
      else this.addedLosses.push(l);
    }
  }

  /** Drops the tensors added with `addLoss` by the previous call (a model drops its layers' too). @internal */
  clearAddedLosses(): void {
    if (this.addedLosses.length > 0) this.addedLosses = [];
  }

  /** The weight-regularization penalties, computed from the current weight values. */
  regularizationLosses(): Tensor[] {
    return this.regularizedWeights.map(({ weight, regularizer }) => regularizer.apply(weight));
  }

  /** Sum of `losses` as a scalar tensor, or null when there are none. */
  totalLoss(): Tensor | null {
    const l = this.losses;
    return l.length === 0 ? null : l.reduce((a, b) => add(a, b));
  }

  /** Frees the weights' variable names (the values are garbage-collected). */
  dispose(): void {
    for (const w of [...this.trainableWeights_, ...this.nonTrainableWeights_]) w.dispose();
  }

  // ---------------------------------------------------------------- config

  /** The constructor args that rebuild this layer (subclasses add theirs to `super.getConfig()`). */
  getConfig(): ConfigDict {
    const config: ConfigDict = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) config.batchInputShape = this.batchInputShape.slice();
    config.dtype = this.dtype;
    return config;
  }

  /**
   * Rebuilds a layer from `getConfig()` output: `Dense.fromConfig(config)`, or tfjs style
   * `Dense.fromConfig(Dense, config)`.
   */
  static fromConfig<T extends Layer>(this: new (args: ConfigDict) => T, clsOrConfig: unknown, config?: ConfigDict): T {
    if (typeof clsOrConfig === 'function') return new (clsOrConfig as new (args: ConfigDict) => T)(config ?? {});
    return new this((clsOrConfig as ConfigDict) ?? {});
  }
}

export { firstInputShape, getExactlyOneTensor, getExactlyOneShape } from './layer_args';
export type { Shape, LayerArgs, CallKwargs, SymbolicCallKwargs } from './layer_args';
