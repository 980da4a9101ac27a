/** CategoryEncoding: integer category ids to one-hot, multi-hot or count vectors (Keras / tfjs `CategoryEncoding`). */
import { cast, formatShape, Tensor, tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, checkNumberArg, describeArg, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, getExactlyOneShape, getExactlyOneTensor, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { ConfigDict } from '../../serialization/registry';

/** How `CategoryEncoding` encodes: one id per row, a set of ids, or ids with their counts. */
export type CategoryEncodingMode = 'oneHot' | 'multiHot' | 'count';
const MODES: readonly CategoryEncodingMode[] = ['oneHot', 'multiHot', 'count'];

/** Args of `CategoryEncoding`. */
export interface CategoryEncodingArgs extends LayerArgs {
  /** The number of categories; ids must be in [0, numTokens) (required). */
  numTokens: number;
  /** `'multiHot'` (default): 1 at each id present; `'count'`: how often each id occurs; `'oneHot'`: one id per row. */
  outputMode?: CategoryEncodingMode;
}

/**
 * Encodes int ids as vectors of `numTokens`: input `[batch, ids]` → `[batch, numTokens]` (a 1-D input `[ids]` is one
 * sample → `[numTokens]` for multiHot/count; for oneHot a 1-D `[batch]` or `[batch, 1]` input gives
 * `[batch, numTokens]`). Float ids are truncated to integers (as tfjs casts to int32); ids outside [0, numTokens)
 * are refused. Output float32; no weights, no gradient to the ids.
 *
 * tfjs note: tfjs also takes `countWeights` in the call's kwargs; not supported here (refused by name). For a 1-D
 * input tfjs's multiHot gives counts (its 1-D bincount ignores the binary flag); ours gives 0/1, as Keras.
 *
 * ```js
 * layers.categoryEncoding({numTokens: 4, outputMode: 'count'}).apply(tensor2d([[0, 1, 1]], [1, 3], 'int32'));
 * // [[1, 2, 0, 0]]
 * ```
 */
export class CategoryEncoding extends Layer {
  static override className = 'CategoryEncoding';
  readonly numTokens: number;
  readonly outputMode: CategoryEncodingMode;

  constructor(args: CategoryEncodingArgs) {
    if (!args || !Number.isInteger(args.numTokens) || args.numTokens < 1) {
      throw new ValueError(`CategoryEncoding: numTokens must be a positive integer, received ${describeArg(args, 'numTokens')}.`);
    }
    checkArgKeys('CategoryEncoding', args, ['numTokens', 'outputMode', ...LAYER_ARG_KEYS]);
    super(args);
    checkNumberArg(`Layer ${this.name}`, 'numTokens', args.numTokens, { min: 1, integer: true });
    const mode = args.outputMode ?? 'multiHot';
    if (!MODES.includes(mode)) {
      throw new ValueError(`Layer ${this.name}: outputMode must be one of ${MODES.join(', ')}, received ${JSON.stringify(mode)}.`);
    }
    this.numTokens = args.numTokens;
    this.outputMode = mode;
  }

  /** The encoded shape: rows of `numTokens` (see the class comment); throws for shapes `call` refuses. */
  private encodedShape(shape: Shape): Shape {
    const oneHot = this.outputMode === 'oneHot';
    if (shape.length === 1) return oneHot ? [shape[0], this.numTokens] : [this.numTokens];
    if (shape.length === 2 && (!oneHot || shape[1] === 1)) return [shape[0], this.numTokens];
    throw new ValueError(
      `Layer ${this.name}: input must be ${oneHot ? '[batch] or [batch, 1] for outputMode oneHot' : '[ids] or [batch, ids]'}, received shape ${formatShape(shape)}.`,
    );
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    if (kwargs && 'countWeights' in kwargs) {
      throw new ValueError(
        `Layer ${this.name}: countWeights is not supported (tfjs's CategoryEncoding kwarg); give repeated ids with outputMode 'count'.`,
      );
    }
    const x = getExactlyOneTensor(this.name, inputs);
    const outShape = this.encodedShape(x.shape) as number[];
    const ids = x.dtype === 'int32' ? x.values : cast(x, 'int32').values;
    const n = this.numTokens;
    const perRow = x.rank === 2 ? x.shape[1] : this.outputMode === 'oneHot' ? 1 : x.size;
    const out = new Float32Array(outShape.reduce((a, d) => a * d, 1));
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k];
      if (!(id >= 0 && id < n)) {
        throw new ValueError(
          `Layer ${this.name}: ids must be integers in [0, ${n}) (numTokens ${n}), received ${x.values[k]} at flat index ${k}.`,
        );
      }
      const at = Math.floor(k / perRow) * n + id;
      out[at] = this.outputMode === 'count' ? out[at] + 1 : 1;
    }
    return tensor(out, outShape, 'float32');
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.encodedShape(getExactlyOneShape(this.name, inputShape));
  }

  override getConfig(): ConfigDict {
    return { numTokens: this.numTokens, outputMode: this.outputMode, ...super.getConfig() };
  }
}
