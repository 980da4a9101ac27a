/** Shared helpers of the nn tests: module construction from a reference config, layouts, comparisons. */
import { RandomGenerator, Tensor, tensor } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import type { RefConfig, RefParams } from './reference';

/** Seeded values uniform in [lo, hi). */
export function randArr(n: number, seed: number, lo = -1, hi = 1): number[] {
  const g = new RandomGenerator(seed);
  return Array.from({ length: n }, () => g.uniform(lo, hi));
}

/** Float32-rounded copy (what a float32 tensor of these values holds). */
export function f32(a: number[]): number[] {
  return Array.from(Float32Array.from(a));
}

export function t(values: number[], shape: number[]): Tensor {
  return tensor(Float32Array.from(values), shape, 'float32');
}

export function num(x: Tensor): number[] {
  return Array.from(x.dataSync(), Number);
}

/** Max |a − b| with a length check. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5, what = ''): void {
  const d = maxDiff(actual, expected);
  if (!(d <= tol))
    throw new Error(
      `${what}: max |difference| ${d} > ${tol}\n actual   ${Array.from(actual).slice(0, 8)}\n expected ${Array.from(expected).slice(0, 8)}`,
    );
}

/** [B, T, F] batch-major ↔ [T, B, F] time-major. */
export function swapBT(a: number[], d0: number, d1: number, F: number): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < d0; i++) for (let j = 0; j < d1; j++) for (let f = 0; f < F; f++) out[(j * d0 + i) * F + f] = a[(i * d1 + j) * F + f];
  return out;
}

/** Builds the module of a reference config. */
export function makeModule(cfg: RefConfig, batchFirst: boolean, seed: number, dropout = 0): nn.RNNBase {
  const common = { numLayers: cfg.numLayers, bias: cfg.bias, bidirectional: cfg.bidirectional, batchFirst, seed, dropout };
  switch (cfg.mode) {
    case 'LSTM':
      return new nn.LSTM(cfg.inputSize, cfg.hiddenSize, { ...common, projSize: cfg.projSize });
    case 'GRU':
      return new nn.GRU(cfg.inputSize, cfg.hiddenSize, common);
    case 'RNN_TANH':
      return new nn.RNN(cfg.inputSize, cfg.hiddenSize, { ...common, nonlinearity: 'tanh' });
    default:
      return new nn.RNN(cfg.inputSize, cfg.hiddenSize, { ...common, nonlinearity: 'relu' });
  }
}

/** The module's parameters as plain arrays (float64 copies of the float32 values). */
export function refParamsOf(m: nn.Module): RefParams {
  const out: RefParams = {};
  for (const [k, v] of Object.entries(m.stateDict())) out[k] = num(v);
  return out;
}

/** Runs the module's forwardWithState uniformly: [output, hN, cN | null]. */
export function runModule(m: nn.RNNBase, x: Tensor, h0: Tensor | null, c0: Tensor | null): [Tensor, Tensor, Tensor | null] {
  if (m instanceof nn.LSTM) {
    const [out, [h, c]] = m.forwardWithState(x, h0, c0);
    return [out, h, c];
  }
  const [out, h] = (m as nn.GRU).forwardWithState(x, h0);
  return [out, h, null];
}
