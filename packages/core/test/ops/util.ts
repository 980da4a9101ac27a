/** Small assertions shared by the op tests. */
import { Tensor } from '../../src';

function flat(x: unknown): number[] {
  if (x instanceof Tensor) return Array.from(x.dataSync());
  if (Array.isArray(x)) return x.flatMap((v) => flat(v));
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  return [x as number];
}

/** Asserts `actual`'s values equal `expected` (nested arrays or a tensor) within `tol` (absolute + relative). */
export function expectClose(actual: Tensor, expected: unknown, tol = 1e-5): void {
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (Number.isNaN(e[i])) return expect(v).toBeNaN();
    if (!Number.isFinite(e[i])) return expect(v).toBe(e[i]);
    const ok = Math.abs(v - e[i]) <= tol * (1 + Math.abs(e[i]));
    if (!ok) throw new Error(`element ${i}: got ${v}, expected ${e[i]} (tol ${tol}); got [${a}], expected [${e}]`);
  });
}

/** Asserts shape, dtype and exact values. */
export function expectTensor(actual: Tensor, shape: number[], dtype: string, values: unknown): void {
  expect(actual.shape).toEqual(shape);
  expect(actual.dtype).toBe(dtype);
  expect(flat(actual)).toEqual(flat(values));
}
