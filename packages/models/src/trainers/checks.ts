/** Argument checks shared by the training and evaluation loops, with errors naming the call and the option. */
import { formatShape, Tensor, ValueError } from '@recurrent/core';
import { entryLabel } from './data_adapter';

/** `v` if it is a positive integer, else an error naming the option. */
export function checkPositiveInt(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new ValueError(`${where}: ${name} must be a positive integer, received ${String(v)}.`);
  }
  return v;
}

/**
 * A sample-weight tensor checked for `n` samples: [n] (one weight per sample) or [n, timeSteps] (one per time step
 * of a sequence output, Keras's `sample_weight_mode='temporal'`), as float32. Errors name `name` and both shapes.
 */
export function checkSampleWeight(sw: unknown, n: number, where: string, name = 'sampleWeight'): Tensor {
  if (!(sw instanceof Tensor) || sw.isDisposed || (sw.rank !== 1 && sw.rank !== 2) || sw.shape[0] !== n) {
    throw new ValueError(
      `${where}: ${name} must be a Tensor of shape [${n}] (one weight per sample) or [${n}, timeSteps] (one per time step), received ` +
        `${sw instanceof Tensor ? (sw.isDisposed ? 'a disposed Tensor' : `shape ${formatShape(sw.shape)}`) : String(sw)}.`,
    );
  }
  return sw.dtype === 'float32' ? sw : new Tensor(Float32Array.from(sw.values as ArrayLike<number>), sw.shape.slice(), 'float32');
}

/**
 * Checks a [n, timeSteps] sample weight against the targets of one output before any step: the targets must be a
 * sequence with the same number of time steps. A [n, 1] weight is one weight per sample (as Keras) and fits any
 * targets. `label` names the output in errors.
 */
export function checkTemporalWeightAgainstTarget(sw: Tensor, y: Tensor, where: string, label: string, name = 'sampleWeight'): void {
  if (sw.rank !== 2 || sw.shape[1] === 1) return;
  if (y.rank < 2 || y.shape[1] !== sw.shape[1]) {
    throw new ValueError(
      `${where}: ${name} has shape ${formatShape(sw.shape)} (one weight per time step), but ${label} has shape ${formatShape(y.shape)}; ` +
        `per-time-step weights need targets of shape [batch, ${sw.shape[1]}, ...] (a sequence output).`,
    );
  }
}

/**
 * Sample weights of `fit`, `evaluate` and `trainOnBatch` (Keras `sample_weight`): one tensor for every output, one per
 * output in output order, or `{outputName: tensor}`; null/undefined (or a missing name) leaves that output
 * unweighted. Each tensor is [n] (one weight per sample) or [n, timeSteps] (one per time step of a sequence output).
 * tfjs note: tfjs takes one tensor; Keras takes the three forms (a dict only when y is a dict, and with every output).
 */
export type SampleWeightArg = Tensor | (Tensor | null | undefined)[] | { [outputName: string]: Tensor | null | undefined };

/**
 * `sampleWeight` (one tensor, one per output, or by output name) as one checked tensor or null per output. `what`
 * names the argument in errors ('sampleWeight', 'validationData sampleWeight'), `yWhat` the targets ('y').
 */
export function sampleWeightsPerOutput(
  sw: unknown,
  ys: Tensor[],
  names: string[],
  where: string,
  what = 'sampleWeight',
  yWhat = 'y',
): (Tensor | null)[] {
  if (sw == null) return ys.map(() => null);
  if (ys.length === 0) {
    throw new ValueError(`${where}: ${what} weighs the compiled loss, but ${yWhat} is absent (the model's layers add its losses).`);
  }
  const n = ys[0].shape[0];
  const checked = (w: unknown, name: string, i: number): Tensor => {
    const t = checkSampleWeight(w, n, where, name);
    checkTemporalWeightAgainstTarget(t, ys[i], where, entryLabel(yWhat, names, i), name);
    return t;
  };
  if (sw instanceof Tensor) {
    // One tensor for every output: checked once, named as given.
    const t = checkSampleWeight(sw, n, where, what);
    ys.forEach((y, i) => checkTemporalWeightAgainstTarget(t, y, where, entryLabel(yWhat, names, i), what));
    return ys.map(() => t);
  }
  let list: unknown[];
  if (Array.isArray(sw)) {
    if (sw.length !== names.length) {
      throw new ValueError(
        `${where}: ${what} is an array of ${sw.length}, but the model has ${names.length} output(s) (${names.join(', ')}); ` +
          `give one Tensor (or null) per output, in that order.`,
      );
    }
    list = sw;
  } else if (typeof sw === 'object') {
    const dict = sw as { [k: string]: unknown };
    for (const k of Object.keys(dict)) {
      if (!names.includes(k))
        throw new ValueError(`${where}: unknown output '${k}' in ${what}; the model's outputs are: ${names.join(', ')}.`);
    }
    list = names.map((k) => dict[k] ?? null);
  } else {
    throw new ValueError(
      `${where}: ${what} must be a Tensor, an array with one Tensor (or null) per output or {outputName: Tensor}, received ${typeof sw}.`,
    );
  }
  return list.map((w, i) => (w == null ? null : checked(w, entryLabel(what, names, i), i)));
}
