/**
 * Merge: the shared base of the layers that combine a list of inputs (Add, Subtract, Multiply,
 * Average, Maximum, Minimum; Concatenate and Dot reuse its input/mask checks).
 */
import { cast, expandDims, formatShape, logicalAnd, notEqual, Tensor, ValueError } from '@recurrent/core';
import { checkArgKeys, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, Layer, LayerArgs, Shape } from '../../engine/layer';

/** Args of the elementwise merge layers (`Add`, `Multiply`, ...): only the common layer args. */
export type MergeArgs = LayerArgs;

/** Whether `s` is an array of shapes rather than one shape. */
export function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return (
    Array.isArray(s) && s.length > 0 && s.every((d) => Array.isArray(d) || d === null || d === undefined) && s.some((d) => Array.isArray(d))
  );
}

/** A mask as a bool tensor (0/1 number masks become bool). */
export function toBoolMask(m: Tensor): Tensor {
  return m.dtype === 'bool' ? m : notEqual(m, 0);
}

/**
 * Base of the multi-input layers, as tfjs's `Merge`: inputs are a list of at least 2 tensors of
 * equal shape, or shapes that broadcast under Keras's rules (trailing dimensions equal, 1 or
 * missing; the batch sizes equal). Lower-rank inputs get size-1 axes inserted after the batch axis.
 * Subclasses implement `mergeFunction` on inputs of equal rank.
 *
 * The output mask is the AND of the input masks (inputs without a mask count as all-true).
 */
export abstract class Merge extends Layer {
  constructor(args: MergeArgs | undefined, className: string, extraKeys: readonly string[] = []) {
    const a = args ?? {};
    if (typeof a !== 'object' || Array.isArray(a)) {
      const factory = className[0].toLowerCase() + className.slice(1);
      throw new ValueError(
        `${className}: expected an args object, received ${Array.isArray(a) ? 'an array' : String(a)} ` +
          `(to merge tensors call layers.${factory}([a, b]) or new ${className}().apply([a, b])).`,
      );
    }
    checkArgKeys(className, a, [...extraKeys, ...LAYER_ARG_KEYS]);
    super(a);
    this.supportsMasking = true;
  }

  /** Merges inputs that all have the same rank (broadcasting between their dimensions). */
  protected abstract mergeFunction(inputs: Tensor[]): Tensor;

  /** The smallest number of inputs the layer accepts (2), and the largest (Infinity). */
  protected get inputCountRange(): [number, number] {
    return [2, Infinity];
  }

  /** Describes the count requirement for error messages. */
  private countText(): string {
    const [lo, hi] = this.inputCountRange;
    return lo === hi ? `exactly ${lo}` : `at least ${lo}`;
  }

  /** The list of input shapes, or a clear error naming the layer when not a list of enough shapes. */
  protected shapeList(inputShape: Shape | Shape[]): Shape[] {
    if (Array.isArray(inputShape) && inputShape.length === 0) inputShape = [] as Shape[];
    else if (!isShapeList(inputShape)) {
      throw new ValueError(
        `Layer ${this.name}: ${this.getClassName()} needs an array of ${this.countText()} inputs, ` +
          `received a single input${Array.isArray(inputShape) ? ` of shape ${formatShape(inputShape as Shape)}` : ''}.`,
      );
    }
    const [lo, hi] = this.inputCountRange;
    inputShape = inputShape as Shape[];
    if (inputShape.length < lo || inputShape.length > hi) {
      throw new ValueError(
        `Layer ${this.name}: ${this.getClassName()} needs an array of ${this.countText()} inputs, ` +
          `received ${inputShape.length} input(s).`,
      );
    }
    inputShape.forEach((s, i) => {
      if (!Array.isArray(s)) throw new ValueError(`Layer ${this.name}: the shape of input ${i} is unknown (${String(s)}).`);
    });
    return inputShape;
  }

  /** The list of input tensors, or a clear error naming the layer. */
  protected tensorList(inputs: Tensor | Tensor[]): Tensor[] {
    if (!Array.isArray(inputs)) {
      throw new ValueError(
        `Layer ${this.name}: ${this.getClassName()} needs an array of ${this.countText()} inputs, ` +
          `received a single tensor of shape ${formatShape(inputs.shape)}.`,
      );
    }
    this.shapeList(inputs.map((x) => x.shape.slice()));
    return inputs;
  }

  /** The common batch size of the shapes (null when unknown); throws when two known sizes differ. */
  protected batchSizeOf(shapes: Shape[]): number | null {
    let batch: number | null = null;
    let first = -1;
    shapes.forEach((s, i) => {
      if (s.length === 0) {
        throw new ValueError(`Layer ${this.name}: input ${i} is a scalar (shape []); merge inputs need a batch axis.`);
      }
      const b = s[0];
      if (b === null || b === undefined) return;
      if (batch === null) {
        batch = b;
        first = i;
      } else if (b !== batch) {
        throw new ValueError(
          `Layer ${this.name}: cannot merge inputs with different batch sizes: input ${first} has shape ${formatShape(shapes[first])} ` +
            `and input ${i} has shape ${formatShape(s)}.`,
        );
      }
    });
    return batch;
  }

  /**
   * The output shape, as Keras: the batch size, then the broadcast of the non-batch shapes aligned on
   * their last axes (a null dimension gives null). Throws naming the layer and the two incompatible shapes.
   */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.shapeList(inputShape);
    const batch = this.batchSizeOf(shapes);
    let out: Shape = shapes[0].slice(1);
    for (let i = 1; i < shapes.length; i++) {
      const next = broadcastMergeShapes(out, shapes[i].slice(1));
      if (next === null) {
        // Pairwise compatibility implies compatibility of the whole list, so some pair fails: name it.
        let j = 0;
        while (j < i && broadcastMergeShapes(shapes[j].slice(1), shapes[i].slice(1)) !== null) j++;
        throw new ValueError(
          `Layer ${this.name}: inputs must have equal shapes or shapes that broadcast (dimensions equal, 1 or missing, ` +
            `aligned on the last axis), but input ${j} has shape ${formatShape(shapes[j])} and input ${i} has shape ${formatShape(shapes[i])}.`,
        );
      }
      out = next;
    }
    return [batch, ...out];
  }

  /** Validates the input shapes (no weights). */
  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const list = this.tensorList(inputs);
    this.computeOutputShape(list.map((x) => x.shape.slice()));
    const maxRank = Math.max(...list.map((x) => x.rank));
    const same = list.map((x) => {
      let y = x;
      while (y.rank < maxRank) y = expandDims(y, 1);
      return y;
    });
    return this.mergeFunction(same);
  }

  /**
   * The AND of the input masks (tf.keras 2): null when no input has a mask; inputs without one
   * count as all-true. Masks ([batch, timeSteps] usually) broadcast against each other.
   *
   * tfjs note: Keras 3 ORs the masks (None when an input has none) and 3.5+ Maximum/Minimum/Multiply fill
   * masked values; tfjs 4.22 ANDs every mask but the last (its loop stops one early), shaped [1, ...mask]
   * (with two inputs: the first mask alone). This follows tf.keras 2 (AND, values unchanged).
   */
  override computeMask(inputs: Tensor | Tensor[], mask?: Tensor | (Tensor | null)[] | null): Tensor | null {
    const masks = this.maskList(inputs, mask);
    if (masks === null) return null;
    let out: Tensor | null = null;
    for (const m of masks) {
      if (m === null) continue;
      const b = toBoolMask(m);
      out = out === null ? b : logicalAnd(out, b);
    }
    return out;
  }

  /**
   * The masks as a list matching the inputs, or null when there is no mask at all. Throws naming the
   * layer when `mask` is not an array of the inputs' length.
   */
  protected maskList(inputs: Tensor | Tensor[], mask?: Tensor | (Tensor | null)[] | null): (Tensor | null)[] | null {
    if (mask === null || mask === undefined) return null;
    if (!Array.isArray(mask)) {
      throw new ValueError(
        `Layer ${this.name}: mask must be an array with one mask (or null) per input, received a single tensor of shape ${formatShape(mask.shape)}.`,
      );
    }
    if (!Array.isArray(inputs)) {
      throw new ValueError(`Layer ${this.name}: computeMask expects an array of inputs, received a single tensor.`);
    }
    if (mask.length !== inputs.length) {
      throw new ValueError(
        `Layer ${this.name}: expected one mask (or null) per input, received ${mask.length} mask(s) for ${inputs.length} input(s).`,
      );
    }
    const list = mask.map((m) => (m === undefined ? null : m));
    return list.every((m) => m === null) ? null : list;
  }
}

/**
 * The Keras broadcast of two non-batch shapes aligned on their last axes: equal dimensions stay, 1
 * takes the other, null (unknown) gives null, missing leading dimensions come from the longer shape.
 * Returns null when the shapes are incompatible.
 */
export function broadcastMergeShapes(a: Shape, b: Shape): Shape | null {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const out: Shape = long.slice(0, long.length - short.length);
  for (let k = 0; k < short.length; k++) {
    const i = long[long.length - short.length + k];
    const j = short[k];
    if (i === null || j === null || i === undefined || j === undefined || i < 0 || j < 0) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1) out.push(i);
    else if (i !== j) return null;
    else out.push(i);
  }
  return out;
}

/** Casts `x` to float32 unless it already is (for averages of int inputs). */
export function asFloat(x: Tensor): Tensor {
  return x.dtype === 'float32' ? x : cast(x, 'float32');
}
