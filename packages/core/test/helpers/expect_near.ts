/**
 * `actual` equals `expected` element by element within `rel` times the largest |expected| (at least 1); both null
 * is equal. Throws naming `what` and the first element that differs. Used to compare a fast path (wasm, threads,
 * a split run) with its reference (the TypeScript kernels, one thread, an unsplit run).
 */
export function expectNear(actual: Float32Array | null, expected: Float32Array | null, what: string, rel = 1e-5): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  const a = actual as Float32Array;
  expect(a.length).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  const tol = rel * scale;
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - expected[i]) <= tol)) throw new Error(`${what}[${i}]: ${a[i]} vs reference ${expected[i]} (tolerance ${tol})`);
  }
}
