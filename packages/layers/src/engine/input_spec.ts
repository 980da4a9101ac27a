/** InputSpec: what a layer accepts (rank, feature sizes), checked on every apply. */
import { DataType, formatShape } from '@recurrent/core';

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
    throw new Error(
      `Layer ${layerName} expects ${specs.length} input(s), but it received ${inputs.length} input tensor(s) ` +
        `(shapes ${inputs.map((x) => formatShape(x.shape)).join(', ')}).`,
    );
  }
  inputs.forEach((x, i) => {
    const spec = specs[i];
    if (!spec) return;
    const fail = (what: string): never => {
      throw new Error(
        `Input ${i} of layer ${layerName} is incompatible with the layer: ${what}. Full shape received: ${formatShape(x.shape)}`,
      );
    };
    const ndim = x.shape.length;
    if (spec.ndim !== undefined && spec.ndim !== null && ndim !== spec.ndim) fail(`expected ndim=${spec.ndim}, found ndim=${ndim}`);
    if (spec.minNdim !== undefined && spec.minNdim !== null && ndim < spec.minNdim) {
      fail(`expected min_ndim=${spec.minNdim}, found ndim=${ndim}`);
    }
    if (spec.maxNdim !== undefined && spec.maxNdim !== null && ndim > spec.maxNdim) {
      fail(`expected max_ndim=${spec.maxNdim}, found ndim=${ndim}`);
    }
    if (spec.dtype !== undefined && x.dtype !== undefined && x.dtype !== spec.dtype) fail(`expected dtype=${spec.dtype}, found dtype=${x.dtype}`);
    if (spec.axes) {
      for (const key of Object.keys(spec.axes)) {
        const axis = Number(key);
        const expected = spec.axes[axis];
        if (expected === null || expected === undefined) continue;
        const actual = axis >= 0 ? x.shape[axis] : x.shape[x.shape.length + axis];
        if (actual !== null && actual !== expected) {
          fail(`expected axis ${axis} of input shape to have value ${expected}, but received input with shape ${formatShape(x.shape)}`);
        }
      }
    }
    if (spec.shape) {
      spec.shape.forEach((d, k) => {
        if (d !== null && x.shape[k] !== null && x.shape[k] !== d) fail(`expected shape=${formatShape(spec.shape!)}, found shape=${formatShape(x.shape)}`);
      });
    }
  });
}
