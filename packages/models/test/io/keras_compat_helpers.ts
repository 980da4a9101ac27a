/** Helpers of the keras_compat tests: fixtures, generated weights, and a by-hand loader through the layer registry. */
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '@recurrent/core';
import { deserialize, Layer } from '@recurrent/layers';
import { convertPythonicToTs } from '../../src/io/case_conversion';
import { applyKerasWeightTransforms, normalizeKerasTopology, NormalizedKerasTopology } from '../../src/io/keras_compat';
import type { WeightsManifestEntry } from '../../src/io/types';
import { matchWeights } from '../../src/io/weight_matching';
import { getWeightSpecs } from '../../src/io/weights';
import { Sequential } from '../../src/engine/sequential';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function fixture(name: string): Json {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'keras', name), 'utf8'));
}

/** Deterministic weight values for a spec: 0.6·sin(1.37·(i + 1) + k) with k from the weight's position. */
export function weightValues(spec: WeightsManifestEntry, k: number): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => 0.6 * Math.sin(1.37 * (i + 1) + 0.9 * k));
}

/** `{name: Tensor}` of generated values for every spec of a model.json (as decodeWeights would give). */
export function generatedWeights(specs: WeightsManifestEntry[]): { [name: string]: Tensor } {
  const out: { [name: string]: Tensor } = {};
  specs.forEach((s, k) => {
    out[s.name] = new Tensor(weightValues(s, k), s.shape.slice(), 'float32');
  });
  return out;
}

export interface LoadedByHand {
  model: Sequential;
  normalized: NormalizedKerasTopology;
  /** expected variable name → file weight name used. */
  sources: Map<string, string>;
  /** The file's weights as generated (before transforms). */
  raw: { [name: string]: Tensor };
}

/**
 * model.json → normalizeKerasTopology → convertPythonicToTs → layers through the registry → Sequential,
 * weights generated for the file's specs, transformed, matched by name and assigned.
 */
export function loadByHand(modelJson: Json, options: { kerasVersion?: string } = {}): LoadedByHand {
  const specs = getWeightSpecs(modelJson.weightsManifest);
  const normalized = normalizeKerasTopology(modelJson.modelTopology, specs, { generatedBy: modelJson.generatedBy, ...options });
  const ts = convertPythonicToTs(normalized.topology);
  expect(ts.className).toBe('Sequential');
  const model = new Sequential(ts.config.name ? { name: ts.config.name } : {});
  for (const conf of ts.config.layers) model.add(deserialize<Layer>({ className: conf.className, config: conf.config }, 'layer'));
  const raw = generatedWeights(specs);
  const weights = applyKerasWeightTransforms(raw, normalized.weightTransforms);
  const variables = model.weights;
  const expectedShapes: { [n: string]: number[] } = {};
  for (const v of variables) expectedShapes[v.originalName] = v.shape.slice();
  const { matched, sources } = matchWeights(
    variables.map((v) => v.originalName),
    weights,
    { expectedShapes },
  );
  for (const v of variables) v.assign(matched.get(v.originalName)!);
  return { model, normalized, sources, raw };
}

/** Row-major float64 copy of a tensor's values. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

/** x [B, T, D] generated: 0.8·cos(0.7·i + 0.3). */
export function inputs(B: number, T: number, D: number): { x: Tensor; xs: number[][][] } {
  const flat = Array.from({ length: B * T * D }, (_, i) => 0.8 * Math.cos(0.7 * i + 0.3));
  const xs = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => flat.slice((b * T + t) * D, (b * T + t + 1) * D)));
  return { x: new Tensor(Float32Array.from(flat), [B, T, D], 'float32'), xs };
}

export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
export const hardSigmoidKeras3 = (v: number): number => Math.min(6, Math.max(0, v + 3)) / 6;
export const hardSigmoidTfjs = (v: number): number => Math.min(1, Math.max(0, 0.2 * v + 0.5));

/** Σ_r x[r] · M[r][col] for a row-major matrix M [rows, cols]. */
export function dotCol(x: number[], M: ArrayLike<number>, cols: number, col: number): number {
  let s = 0;
  for (let r = 0; r < x.length; r++) s += x[r] * M[r * cols + col];
  return s;
}

export function expectAllClose(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol))
      throw new Error(`[${i}]: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
  }
}
