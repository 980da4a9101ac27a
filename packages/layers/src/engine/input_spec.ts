/** InputSpec: what a layer accepts (rank, feature sizes), checked on every apply. */
import { DataType, formatShape, ValueError } from '@recurrent/core';

/** Args of `InputSpec`. */
export interface InputSpecArgs {
  /** Exact rank. */
  ndim?: number;
  /** Minimum rank. */
  minNdim?: number;
  /** Maximum rank. */
  maxNdim?: number;
  /** Required sizes of some axes (negative axes count from the end): `{[-1]: 8}`. */
  axes?: { [axis: number]: number };
  /** Required dtype. */
  dtype?: DataType;
  /** Required shape (null entries match anything). */
  shape?: (number | null)[];
}

/** The expected rank/axes/dtype/shape of one layer input (tfjs/Keras InputSpec). */
export class InputSpec {
  ndim?: number;
  minNdim?: number;
  maxNdim?: number;
  axes?: { [axis: number]: number };
  dtype?: DataType;
  shape?: (number | null)[];

  constructor(args: InputSpecArgs = {}) {
    this.ndim = args.ndim ?? (args.shape ? args.shape.length : undefined);
    this.minNdim = args.minNdim;
    this.maxNdim = args.maxNdim;
    this.axes = args.axes;
    this.dtype = args.dtype;
    this.shape = args.shape;
  }
}

/**
 * Throws unless every input satisfies its spec. Messages follow Keras 3:
 * `Input 0 of layer lstm is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: [32,8]`.
 */
/** What `assertInputCompatibility` reads of an input: a Tensor, or a SymbolicTensor whose `null` dims pass any check. */
export interface ShapedInput {
  readonly shape: readonly (number | null)[];
  readonly dtype?: string;
}

export function assertInputCompatibility(layerName: string, specs: InputSpec[] | null, inputs: ShapedInput[]): void {
  if (!specs || specs.length === 0) return;
  if (specs.length !== inputs.length) {
    throw new ValueError(
      `Layer ${layerName} expects ${specs.length} input(s), but it received ${inputs.length} input tensor(s) ` +
        `(shapes ${inputs.map((x) => formatShape(x.shape)).join(', ')}).`,
    );
  }
  // Plain loops and no closure per input: this runs on every apply, also on the one-step streaming path.
  for (let i = 0; i < inputs.length; i++) {
    const spec = specs[i];
    if (spec) checkOneInput(layerName, spec, inputs[i], i);
  }
}

function incompatible(layerName: string, i: number, x: ShapedInput, what: string): never {
  throw new ValueError(
    `Input ${i} of layer ${layerName} is incompatible with the layer: ${what}. Full shape received: ${formatShape(x.shape)}`,
  );
}

function checkOneInput(layerName: string, spec: InputSpec, x: ShapedInput, i: number): void {
  const ndim = x.shape.length;
  if (spec.ndim !== undefined && spec.ndim !== null && ndim !== spec.ndim)
    incompatible(layerName, i, x, `expected ndim=${spec.ndim}, found ndim=${ndim}`);
  if (spec.minNdim !== undefined && spec.minNdim !== null && ndim < spec.minNdim) {
    incompatible(layerName, i, x, `expected min_ndim=${spec.minNdim}, found ndim=${ndim}`);
  }
  if (spec.maxNdim !== undefined && spec.maxNdim !== null && ndim > spec.maxNdim) {
    incompatible(layerName, i, x, `expected max_ndim=${spec.maxNdim}, found ndim=${ndim}`);
  }
  if (spec.dtype !== undefined && x.dtype !== undefined && x.dtype !== spec.dtype) {
    incompatible(layerName, i, x, `expected dtype=${spec.dtype}, found dtype=${x.dtype}`);
  }
  if (spec.axes) {
    for (const key of Object.keys(spec.axes)) {
      const axis = Number(key);
      const expected = spec.axes[axis];
      if (expected === null || expected === undefined) continue;
      const actual = axis >= 0 ? x.shape[axis] : x.shape[x.shape.length + axis];
      if (actual !== null && actual !== expected) {
        incompatible(
          layerName,
          i,
          x,
          `expected axis ${axis} of input shape to have value ${expected}, but received input with shape ${formatShape(x.shape)}`,
        );
      }
    }
  }
  const shape = spec.shape;
  if (shape) {
    for (let k = 0; k < shape.length; k++) {
      const d = shape[k];
      if (d !== null && x.shape[k] !== null && x.shape[k] !== d)
        incompatible(layerName, i, x, `expected shape=${formatShape(shape)}, found shape=${formatShape(x.shape)}`);
    }
  }
}
