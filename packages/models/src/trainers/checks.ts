/** Argument checks shared by the training and evaluation loops, with errors naming the call and the option. */
import { Tensor } from '@recurrent/core';

/** Throws naming the first key of `args` not in `known`. */
export function checkKeys(where: string, args: object, known: string[]): void {
  for (const k of Object.keys(args)) {
    if (!known.includes(k)) throw new Error(`${where}: unknown option '${k}'; known options: ${known.join(', ')}.`);
  }
}

/** `v` if it is a positive integer, else an error naming the option. */
export function checkPositiveInt(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new Error(`${where}: ${name} must be a positive integer, received ${String(v)}.`);
  }
  return v;
}

/** A per-sample weight vector of n, or an error naming the argument. */
export function sampleWeightArray(sw: unknown, n: number, where: string): Float32Array {
  if (!(sw instanceof Tensor) || sw.rank !== 1 || sw.shape[0] !== n) {
    throw new Error(
      `${where}: sampleWeight must be a 1D Tensor with one weight per sample ([${n}]), received ` +
        `${sw instanceof Tensor ? `shape [${sw.shape.join(',')}]` : String(sw)}.`,
    );
  }
  return Float32Array.from(sw.values as ArrayLike<number>);
}

