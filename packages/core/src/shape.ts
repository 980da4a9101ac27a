import { ValueError } from './errors';
/** Shape helpers: sizes, strides, broadcasting and argument checks shared by all ops. */

/** Number of elements of a tensor of this shape. */
export function sizeFromShape(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Row-major strides of `shape` (the last axis has stride 1). */
export function computeStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** True when both shapes have the same rank and dimensions. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Formats a shape the way error messages print it: `[2,3]`. */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

/** Numpy/tfjs broadcast of two shapes; throws naming the op and both shapes when incompatible. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ValueError(`${op}: operands could not be broadcast together with shapes ${formatShape(a)} and ${formatShape(b)}.`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Axes of `outShape` along which a tensor of `inShape` was broadcast (to sum gradients over). */
export function broadcastedAxes(inShape: readonly number[], outShape: readonly number[]): number[] {
  const axes: number[] = [];
  const offset = outShape.length - inShape.length;
  for (let i = 0; i < outShape.length; i++) {
    const dIn = i - offset >= 0 ? inShape[i - offset] : 1;
    if (dIn === 1 && outShape[i] !== 1) axes.push(i);
    else if (i < offset) axes.push(i);
  }
  return axes;
}

/** Normalizes `axis` (number, array, negative or undefined = all) against `rank`; throws for out-of-range or repeated axes. */
export function parseAxes(op: string, axis: number | number[] | undefined | null, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  const out = list.map((ax) => {
    if (!Number.isInteger(ax) || ax < -rank || ax >= Math.max(rank, 1)) {
      throw new ValueError(`${op}: axis ${ax} is out of range for a tensor of rank ${rank}.`);
    }
    return ax < 0 ? ax + rank : ax;
  });
  const unique = Array.from(new Set(out));
  if (unique.length !== out.length) {
    // As numpy (tfjs reduces such an axis twice: sum(ones([2, 2]), [0, 0]) gives 4 where one sum over axis 0 gives [2, 2]).
    throw new ValueError(`${op}: axis [${list.join(', ')}] names an axis twice (rank ${rank}).`);
  }
  return unique.sort((x, y) => x - y);
}

/** Normalizes one axis that may be negative; throws when out of range. */
export function parseAxis(op: string, axis: number, rank: number): number {
  return parseAxes(op, axis, rank)[0];
}

/** Validates a user-supplied shape: non-negative integers only, total size below 2^31. */
export function assertValidShape(op: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) throw new ValueError(`${op}: shape must be an array of integers, received ${String(shape)}.`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ValueError(`${op}: shape ${formatShape(shape)} has an invalid dimension ${d}; expected non-negative integers.`);
    }
  }
  if (sizeFromShape(shape) >= 2 ** 31) {
    throw new ValueError(`${op}: shape ${formatShape(shape)} has ${sizeFromShape(shape)} elements, over the limit of 2^31.`);
  }
}
