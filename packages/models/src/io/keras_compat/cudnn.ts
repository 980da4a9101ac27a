/** CuDNNLSTM / CuDNNGRU → LSTM / GRU, and the weight rewrites Keras applies when loading them. */
import { dropCellSegment } from '../weight_matching';
import type { WeightsManifestEntry } from '../types';
import type { Context, KerasWeightTransform } from './types';
import { at, describe, fail, FN, layerName } from './util';
import { isPositiveInt, type JsonObject } from './json';
import { ValueError } from '@recurrent/core';

/** Keras's per-gate input-kernel conversion from CuDNN layout: `k.T.reshape(k.shape, order='F')`. */
export function cudnnKernelToKeras(values: Float32Array, rows: number, units: number, gates: number): Float32Array {
  const cols = gates * units;
  const out = new Float32Array(rows * cols);
  for (let g = 0; g < gates; g++) {
    for (let r = 0; r < rows; r++) {
      for (let u = 0; u < units; u++) {
        // The gate's block, flattened row-major, read as a [units, rows] matrix W; Keras's kernel is W.T.
        const n = u * rows + r;
        out[r * cols + g * units + u] = values[Math.floor(n / units) * cols + g * units + (n % units)];
      }
    }
  }
  return out;
}

function checkWeightShape(what: string, shape: number[], expected: (number | null)[]): void {
  if (shape.length !== expected.length || expected.some((d, i) => d !== null && d !== shape[i])) {
    throw new ValueError(
      `${FN}: ${what} has shape [${shape.join(',')}] but [${expected.map((d) => (d === null ? '?' : d)).join(',')}] was expected.`,
    );
  }
}

function findWeightName(ctx: Context, prefixes: string[], weight: string, here: string): string {
  const candidates = prefixes.map((p) => `${p}/${weight}`);
  if (ctx.specs === null) return candidates[0];
  if (ctx.specIndex === null) {
    const exact = new Map<string, WeightsManifestEntry>();
    const viaCell = new Map<string, WeightsManifestEntry>();
    for (const sp of ctx.specs) {
      if (!exact.has(sp.name)) exact.set(sp.name, sp);
      const d = dropCellSegment(sp.name);
      if (d !== null && !viaCell.has(d)) viaCell.set(d, sp);
    }
    ctx.specIndex = { exact, viaCell };
  }
  for (const c of candidates) {
    const exact = ctx.specIndex.exact.get(c);
    if (exact) return exact.name;
  }
  for (const c of candidates) {
    const viaCell = ctx.specIndex.viaCell.get(c);
    if (viaCell) return viaCell.name;
  }
  return fail(
    here,
    `the weight specs have no '${weight}' for this layer (looked for ${candidates.map((c) => `'${c}'`).join(', ')}); ` +
      `its CuDNN weights must be converted, so they are needed by name.`,
  );
}

/** Rewrites a CuDNNLSTM / CuDNNGRU entry and its `config` (in place on the copy) into LSTM / GRU and registers its weight rewrites. */
export function convertCuDNN(ctx: Context, entry: JsonObject, config: JsonObject, here: string, copies: string[][]): void {
  const lstm = entry.class_name === 'CuDNNLSTM';
  const units = config.units;
  if (!isPositiveInt(units)) fail(at(here, 'units'), `must be a positive integer, received ${describe(units)}.`);
  const target = lstm ? 'LSTM' : 'GRU';
  entry.class_name = target;
  config.activation = 'tanh';
  config.recurrent_activation = 'sigmoid';
  config.use_bias = true;
  if (lstm) config.unit_forget_bias = config.unit_forget_bias ?? true;
  else config.reset_after = true;
  const who = `${lstm ? 'CuDNNLSTM' : 'CuDNNGRU'} '${layerName(entry)}' → ${target}`;

  for (const prefixes of copies) addCuDNNTransforms(ctx, lstm, units, who, here, prefixes);
}

function addCuDNNTransforms(ctx: Context, lstm: boolean, units: number, who: string, here: string, prefixes: string[]): void {
  const G = lstm ? 4 : 3;
  const kernelName = findWeightName(ctx, prefixes, 'kernel', here);
  const recurrentName = findWeightName(ctx, prefixes, 'recurrent_kernel', here);
  const biasName = findWeightName(ctx, prefixes, 'bias', here);
  // Each weight: the shape the file must declare, and Keras's rewrite of its values.
  const rewrites: Array<{ name: string; what: string; expected: (number | null)[] } & KerasWeightTransform> = [
    {
      name: kernelName,
      what: `weight '${kernelName}' (${who})`,
      expected: [null, G * units],
      description: `${who}: input kernel per gate from CuDNN layout (k.T.reshape(k.shape, order='F'), as Keras)`,
      apply: (values, shape) => ({ values: cudnnKernelToKeras(values, shape[0], units, G), shape: shape.slice() }),
    },
    {
      name: recurrentName,
      what: `weight '${recurrentName}' (${who})`,
      expected: [units, G * units],
      description: `${who}: recurrent kernel per gate transposed (as Keras)`,
      apply: (values, shape) => ({ values: cudnnKernelToKeras(values, units, units, G), shape: shape.slice() }),
    },
    lstm
      ? {
          name: biasName,
          what: `weight '${biasName}' (${who}: CuDNNLSTM bias is [8·units])`,
          expected: [8 * units],
          description: `${who}: bias [8·units] (input then recurrent biases) → [4·units], their sum (as Keras)`,
          apply: (values) => {
            const out = new Float32Array(4 * units);
            for (let i = 0; i < 4 * units; i++) out[i] = values[i] + values[4 * units + i];
            return { values: out, shape: [4 * units] };
          },
        }
      : {
          name: biasName,
          what: `weight '${biasName}' (${who}: CuDNNGRU bias is [6·units])`,
          expected: [6 * units],
          description: `${who}: bias [6·units] → [2, 3·units] (input biases, recurrent biases; GRU reset_after, as Keras)`,
          apply: (values) => ({ values: values.slice(), shape: [2, 3 * units] }),
        },
  ];
  for (const { name, what, expected, description, apply } of rewrites) {
    ctx.weightTransforms[name] = {
      description,
      apply(values, shape) {
        checkWeightShape(what, shape, expected);
        return apply(values, shape);
      },
    };
  }
  if (ctx.specs !== null) {
    // Check the declared shapes now, so a wrong file fails before anything is decoded.
    const specIndex = ctx.specIndex as NonNullable<Context['specIndex']>;
    for (const { name, what, expected } of rewrites) checkWeightShape(what, specIndex.exact.get(name)!.shape, expected);
  }
}
