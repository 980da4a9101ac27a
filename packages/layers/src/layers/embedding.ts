/** Embedding: turns integer indices into dense vectors by looking rows up in a trainable table. */
import { checkArgsOf } from '../serialization/registry';
import { describeArg, describeValue } from '../engine/args';
import { cast, formatShape, gather, notEqual, Tensor, ValueError } from '@recurrent/core';
import { numberArgsMessage } from '../cells/cell_options';
import { Constraint } from '../constraints/constraint';
import { ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../engine/layer';
import { StepRefusal } from '../engine/step_function';
import type { LayerStepFunction } from '../engine/step_function';
import type { LayerVariable } from '../engine/layer_variable';
import { getInitializer, InitializerIdentifier, serializeInitializer } from '../initializers';
import { Initializer } from '../initializers/initializer';
import { getRegularizer, RegularizerIdentifier, serializeRegularizer } from '../regularizers';
import { Regularizer } from '../regularizers/regularizer';
import type { ConfigDict, SerializedObject } from '../serialization/registry';

/** Args of `Embedding` (tfjs `EmbeddingLayerArgs`). */
export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: indices must lie in [0, inputDim). */
  inputDim: number;
  /** Size of each embedding vector. */
  outputDim: number;
  /** Initializer of the table (default randomUniform in [-0.05, 0.05), as tfjs). */
  embeddingsInitializer?: InitializerIdentifier | Initializer | SerializedObject;
  /** Regularizer of the table. */
  embeddingsRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Output regularizer. */
  activityRegularizer?: RegularizerIdentifier | Regularizer | SerializedObject | null;
  /** Constraint of the table. */
  embeddingsConstraint?: ConstraintIdentifier | Constraint | SerializedObject | null;
  /** Whether index 0 is padding: the output mask is `indices != 0` (default false). */
  maskZero?: boolean;
  /** Length of the input sequences (a number, or a list for inputs of rank > 2); checked on apply. */
  inputLength?: number | (number | null)[] | null;
}

function toList(v: number | (number | null)[]): (number | null)[] {
  return Array.isArray(v) ? v.slice() : [v];
}

/**
 * Looks up `embeddings[index]` for every index of the input: [batch, ...dims] → [batch, ...dims, outputDim].
 * Indices may be int32 or float32 holding whole numbers. Weight: 'embeddings' [inputDim, outputDim];
 * its gradient scatter-adds the output gradient into the looked-up rows.
 *
 * ```js
 * const emb = layers.embedding({inputDim: 1000, outputDim: 16, maskZero: true});
 * emb.apply(tensor2d([[4, 9, 0]], [1, 3], 'int32'));   // shape [1, 3, 16]
 * emb.computeMask(ids);                                  // [[true, true, false]]
 * ```
 *
 * tfjs note: tfjs casts the indices to int32 and gathers whatever lies out of range; here an index
 * outside [0, inputDim), or a float index that is not a whole number, throws naming the layer, the
 * index and inputDim.
 */
export class Embedding extends Layer {
  static override className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  readonly maskZero: boolean;
  readonly inputLength: number | (number | null)[] | null;
  embeddings: LayerVariable | null = null;

  constructor(args: EmbeddingArgs) {
    if (typeof args === 'number') throw new ValueError(numberArgsMessage('Embedding', `{inputDim: ${args}, outputDim: 16}`, args));
    if (!args || typeof args !== 'object') {
      throw new ValueError(`Embedding: expected an args object like {inputDim: 1000, outputDim: 16}, received ${describeValue(args)}.`);
    }
    const base: LayerArgs = { ...args };
    if (args.batchInputShape == null && args.inputShape == null) {
      // As tfjs: the input is [batch, inputLength] (or [batch, null]).
      base.batchInputShape = [args.batchSize ?? null, ...(args.inputLength == null ? [null] : toList(args.inputLength))];
    }
    super(base);
    for (const key of ['inputDim', 'outputDim'] as const) {
      const v = args[key];
      if (!Number.isInteger(v) || v <= 0) {
        throw new ValueError(`Layer ${this.name}: ${key} must be a positive integer, received ${describeArg(args, key)}.`);
      }
    }
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.embeddingsInitializer = getInitializer(args.embeddingsInitializer ?? 'randomUniform');
    this.embeddingsRegularizer = getRegularizer(args.embeddingsRegularizer);
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
    this.embeddingsConstraint = getConstraint(args.embeddingsConstraint);
    this.maskZero = args.maskZero ?? false;
    this.inputLength = args.inputLength == null ? null : Array.isArray(args.inputLength) ? args.inputLength.slice() : args.inputLength;
    this.supportsMasking = this.maskZero;
    // Validate the option bag once the object is complete (direct `new Embedding(...)`; factories and files check too).
    if (new.target === Embedding) checkArgsOf(this, args);
  }

  override build(_inputShape: Shape | Shape[]): void {
    this.embeddings = this.addWeight(
      'embeddings',
      [this.inputDim, this.outputDim],
      this.dtype,
      this.embeddingsInitializer,
      this.embeddingsRegularizer,
      true,
      this.embeddingsConstraint,
    );
    this.built = true;
  }

  /** The indices of `x` as an int32 tensor, after checking dtype, whole numbers, range and inputLength. */
  private indicesOf(x: Tensor): Tensor {
    if (x.dtype !== 'int32' && x.dtype !== 'float32') {
      throw new ValueError(`Layer ${this.name}: indices must be int32 or float32 (whole numbers), received dtype ${x.dtype}.`);
    }
    if (x.rank === 0)
      throw new ValueError(`Layer ${this.name}: expected indices of rank >= 1 (e.g. [batch, timeSteps]), received a scalar.`);
    this.checkInputLength(x.shape);
    const v = x.values;
    const n = v.length;
    for (let i = 0; i < n; i++) {
      const id = v[i];
      if (!(id >= 0 && id < this.inputDim && Number.isInteger(id))) {
        const where = `at position [${unravel(i, x.shape)}] of the input with shape ${formatShape(x.shape)}`;
        if (!Number.isInteger(id)) {
          throw new ValueError(
            `Layer ${this.name}: index ${id} ${where} is not a whole number; indices must be integers in [0, ${this.inputDim}).`,
          );
        }
        throw new ValueError(
          `Layer ${this.name}: index ${id} ${where} is out of range [0, ${this.inputDim}) for inputDim ${this.inputDim}.`,
        );
      }
    }
    return x.dtype === 'int32' ? x : cast(x, 'int32');
  }

  private checkInputLength(shape: Shape): void {
    if (this.inputLength == null) return;
    const lens = toList(this.inputLength);
    const rest = shape.slice(1);
    if (lens.length !== rest.length || lens.some((d, k) => d != null && rest[k] != null && d !== rest[k])) {
      throw new ValueError(
        `Layer ${this.name}: inputLength is ${JSON.stringify(this.inputLength)}, so the input must have shape ` +
          `${formatShape([null, ...lens])}, but received input of shape ${formatShape(shape)}.`,
      );
    }
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const x = getExactlyOneTensor(this.name, inputs);
    return gather(this.embeddings!, this.indicesOf(x));
  }

  /** `indices != 0` (bool, the input's shape) when maskZero; otherwise null (any incoming mask is dropped, as tfjs). */
  override computeMask(inputs: Tensor | Tensor[], _mask?: Tensor | Tensor[] | null): Tensor | null {
    if (!this.maskZero) return null;
    return notEqual(getExactlyOneTensor(this.name, inputs), 0);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = getExactlyOneShape(this.name, inputShape);
    if (this.inputLength == null) return [...shape, this.outputDim];
    this.checkInputLength(shape);
    const lens = toList(this.inputLength).map((d, k) => d ?? shape[k + 1]);
    return [shape[0], ...lens, this.outputDim];
  }

  /**
   * Streaming (`step()`): the rows of the embedding matrix for one step of indices [batch] (or [batch, 1]) →
   * [batch, outputDim]; refused with maskZero (step() does not handle masked steps).
   */
  override stepFunction(): LayerStepFunction {
    if (this.maskZero) throw new StepRefusal(this, 'it produces a mask (maskZero: true), and step() does not handle masked steps');
    return (x) => this.lookupStep(x);
  }

  private lookupStep(x: Tensor): Tensor {
    const E = this.weights[0].values as Float32Array;
    const dim = this.outputDim;
    const ids = x.values;
    const batch = x.shape[0];
    const out = new Float32Array(batch * dim);
    for (let b = 0; b < batch; b++) {
      const id = ids[b];
      if (!(id >= 0 && id < this.inputDim) || Math.floor(id) !== id) {
        throw new ValueError(
          `Layer ${this.name}: step() received index ${id} (row ${b}), but indices must be whole numbers in [0, ${this.inputDim}).`,
        );
      }
      out.set(E.subarray(id * dim, (id + 1) * dim), b * dim);
    }
    return new Tensor(out, [batch, dim], 'float32');
  }

  override getConfig(): ConfigDict {
    return {
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serializeInitializer(this.embeddingsInitializer),
      embeddingsRegularizer: serializeRegularizer(this.embeddingsRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      embeddingsConstraint: serializeConstraint(this.embeddingsConstraint),
      maskZero: this.maskZero,
      inputLength: Array.isArray(this.inputLength) ? this.inputLength.slice() : this.inputLength,
      ...super.getConfig(),
    };
  }
}

function unravel(flat: number, shape: readonly number[]): string {
  const coord: number[] = new Array(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    coord[i] = flat % shape[i];
    flat = Math.floor(flat / shape[i]);
  }
  return coord.join(',');
}
