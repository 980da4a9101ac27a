/** Wrapper: the base of layers that wrap another layer (TimeDistributed, Bidirectional). */
import { describeArg } from '../engine/args';
import { Tensor, ValueError } from '@recurrent/core';
import { Layer, LayerArgs, Shape } from '../engine/layer';
import type { LayerVariable } from '../engine/layer_variable';
import { ConfigDict, deserialize, serialize, SerializedObject } from '../serialization/registry';
import type { BuiltinClasses } from '../serialization/registry';

/** Args of a wrapper (tfjs `WrapperLayerArgs`). */
export interface WrapperArgs extends LayerArgs {
  /** The wrapped layer, or its serialized `{className, config}` (rebuilt through the layer registry). */
  layer: Layer | SerializedObject;
}

/**
 * Holds `layer`; its weights, trainability and losses are the wrapped layer's (as tfjs). The config
 * nests the wrapped layer as `{className, config}`, and `fromConfig` rebuilds it through the registry.
 */
export abstract class Wrapper extends Layer {
  /** The wrapped layer. */
  readonly layer: Layer;

  /**
   * @param innerClasses the built-in classes a serialized `args.layer` may name (besides registered ones, and
   *   every built-in class while a model file is deserialized).
   */
  constructor(args: WrapperArgs, innerClasses: BuiltinClasses) {
    super(args);
    const inner = args?.layer;
    if (inner instanceof Layer) {
      this.layer = inner;
    } else if (inner && typeof inner === 'object') {
      this.layer = deserialize<Layer>(inner, 'layer', {}, innerClasses);
    } else {
      throw new ValueError(
        `Layer ${this.name}: expected args.layer to be a Layer (e.g. layers.dense({units: 8})), received ${describeArg(args, 'layer')}.`,
      );
    }
    if (args.trainable === false) this.layer.trainable = false;
  }

  /**
   * Builds the wrapped layer for `inputShape` (if not built yet) so that its weights are named
   * `${wrapper name}/${weight name}`, as tfjs/tf.keras name the weights created in a wrapper's scope
   * (e.g. 'time_distributed/kernel').
   *
   * Scopes nest, so an RNN inside a wrapper names its cell weights 'wrapper/rnn_scope/kernel'.
   */
  protected buildWrappedLayer(inputShape: Shape | Shape[]): void {
    // Built inside this wrapper's own scope (see maybeBuild), adding no segment: 'time_distributed/kernel'.
    this.layer.maybeBuild(inputShape, null);
  }

  override get trainable(): boolean {
    return this.layer ? this.layer.trainable : this.trainable_;
  }

  override set trainable(value: boolean) {
    this.trainable_ = value;
    if (this.layer) this.layer.trainable = value;
  }

  override get trainableWeights(): LayerVariable[] {
    return this.layer.trainableWeights;
  }

  override get nonTrainableWeights(): LayerVariable[] {
    return this.layer.nonTrainableWeights;
  }

  override get losses(): Tensor[] {
    return this.layer.losses;
  }

  override regularizationLosses(): Tensor[] {
    return this.layer.regularizationLosses();
  }

  /** The inner layer's added losses go with the wrapper's (its `losses` are the inner layer's). */
  override clearAddedLosses(): void {
    super.clearAddedLosses();
    this.layer.clearAddedLosses();
  }

  override dispose(): void {
    this.layer.dispose();
  }

  override getConfig(): ConfigDict {
    return { layer: serialize(this.layer), ...super.getConfig() };
  }
}
