/**
 * The PyTorch CTC fixtures (test/fixtures/ctc/ctc_fixtures.json, written by generate_ctc_fixtures.py), parsed:
 * "Infinity" strings become numbers and nested arrays are flattened to float64 arrays.
 */
import * as fs from 'fs';
import * as path from 'path';

/** One fixture case (see the generator's docstring). */
export interface CtcFixtureCase {
  name: string;
  note: string;
  blankIndex: number;
  zeroInfinity: boolean;
  shape: [number, number, number];
  logits: Float32Array;
  labels: number[][];
  labelLengths: number[];
  logitLengths: number[];
  lossNone: number[];
  lossMean: number;
  lossSum: number;
  gradMean: Float64Array | null;
  gradSum: Float64Array | null;
  gradLogProbsSum: Float64Array | null;
}

function num(v: unknown): number {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v as number;
}

function flat(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [num(v)];
}

/** All fixture cases. */
export function loadCtcFixtures(): CtcFixtureCase[] {
  const file = path.join(__dirname, '..', 'fixtures', 'ctc', 'ctc_fixtures.json');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { cases: Record<string, unknown>[] };
  return raw.cases.map((c) => ({
    name: c.name as string,
    note: c.note as string,
    blankIndex: c.blankIndex as number,
    zeroInfinity: c.zeroInfinity as boolean,
    shape: c.shape as [number, number, number],
    logits: Float32Array.from(flat(c.logits)),
    labels: c.labels as number[][],
    labelLengths: c.labelLengths as number[],
    logitLengths: c.logitLengths as number[],
    lossNone: (c.lossNone as unknown[]).map(num),
    lossMean: num(c.lossMean),
    lossSum: num(c.lossSum),
    gradMean: c.gradMean == null ? null : Float64Array.from(flat(c.gradMean)),
    gradSum: c.gradSum == null ? null : Float64Array.from(flat(c.gradSum)),
    gradLogProbsSum: c.gradLogProbsSum == null ? null : Float64Array.from(flat(c.gradLogProbsSum)),
  }));
}

/** Asserts |actual − expected| ≤ tol·max(1, |expected|) elementwise (infinities must match exactly). */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (!Number.isFinite(e)) {
      if (a !== e) throw new Error(`${what}: element ${i} is ${a}, expected ${e}`);
      continue;
    }
    const err = Math.abs(a - e) / Math.max(1, Math.abs(e));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  if (!(worst <= tol))
    throw new Error(`${what}: element ${at} is ${actual[at]}, expected ${expected[at]} (relative error ${worst} > ${tol})`);
}
