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
 * sequence with the same number of time steps. `label` names the output in errors.
 */
export function checkTemporalWeightAgainstTarget(sw: Tensor, y: Tensor, where: string, label: string, name = 'sampleWeight'): void {
  if (sw.rank !== 2) return;
  if (y.rank < 2 || y.shape[1] !== sw.shape[1]) {
    throw new ValueError(
      `${where}: ${name} has shape ${formatShape(sw.shape)} (one weight per time step), but ${label} has shape ${formatShape(y.shape)}; ` +
        `per-time-step weights need targets of shape [batch, ${sw.shape[1]}, ...] (a sequence output).`,
    );
  }
}

/** `sampleWeight` (one tensor, one per output, or by output name) as one checked tensor or null per output. */
export function sampleWeightsPerOutput(sw: unknown, ys: Tensor[], names: string[], where: string): (Tensor | null)[] {
  const n = ys[0].shape[0];
  let list: unknown[];
  if (sw == null) return ys.map(() => null);
  if (sw instanceof Tensor) list = ys.map(() => sw);
  else if (Array.isArray(sw)) {
    if (sw.length !== names.length) {
      throw new ValueError(
        `${where}: sampleWeight is an array of ${sw.length}, but the model has ${names.length} output(s); give one per output.`,
      );
    }
    list = sw;
  } else if (typeof sw === 'object') {
    const dict = sw as { [k: string]: unknown };
    for (const k of Object.keys(dict)) {
      if (!names.includes(k))
        throw new ValueError(`${where}: unknown output '${k}' in sampleWeight; the model's outputs are: ${names.join(', ')}.`);
    }
    list = names.map((k) => dict[k] ?? null);
  } else {
    throw new ValueError(`${where}: sampleWeight must be a Tensor, an array or {outputName: Tensor}, received ${typeof sw}.`);
  }
  return list.map((w, i) => {
    if (w == null) return null;
    const name = entryLabel('sampleWeight', names, i);
    const t = checkSampleWeight(w, n, where, name);
    checkTemporalWeightAgainstTarget(t, ys[i], where, entryLabel('y', names, i), name);
    return t;
  });
}
