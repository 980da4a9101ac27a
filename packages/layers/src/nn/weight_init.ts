/**
 * `nn.init`: PyTorch's `torch.nn.init` — fills a parameter in place (`Variable.assign`) and returns it, with PyTorch's
 * fan rules (fanIn = shape[1]·receptive field, fanOut = shape[0]·receptive field) and gains (`calculateGain`).
 *
 * ```ts
 * model.apply((m) => {
 *   if (m instanceof nn.Linear) {
 *     nn.init.xavierUniform_(m.weight);
 *     if (m.bias) nn.init.zeros_(m.bias);
 *   }
 * });
 * ```
 * PyTorch note: the random draws come from our generator (`seed` option, else core's global one set by `setSeed`), so
 * the values differ from torch.manual_seed's; the distributions are PyTorch's.
 */
import { describeValue } from '../engine/args';
import { formatShape, RandomGenerator, Tensor, tensor, Variable, ValueError } from '@recurrent/core';
import { checkOptionKeys, moduleGenerator } from './init';

/** A nonlinearity `calculateGain` knows (PyTorch's names; `leakyRelu` is accepted for `leaky_relu`). */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'leakyRelu'
  | 'selu';

/** The fan `kaimingUniform_` / `kaimingNormal_` preserve ('fanIn' default; PyTorch's 'fan_in' / 'fan_out' accepted). */
export type FanMode = 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';

/** Options of the random fills: `seed` of a fresh generator (default: core's global generator). */
export interface InitRandomOptions {
  seed?: number;
}

/** Options of `uniform_`. */
export interface UniformOptions extends InitRandomOptions {
  /** Lower bound (default 0). */
  a?: number;
  /** Upper bound (default 1). */
  b?: number;
}

/** Options of `normal_`. */
export interface NormalOptions extends InitRandomOptions {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation (default 1). */
  std?: number;
}

/** Options of `xavierUniform_`, `xavierNormal_` and `orthogonal_`. */
export interface GainOptions extends InitRandomOptions {
  /** Scale factor (default 1; e.g. `calculateGain('tanh')`). */
  gain?: number;
}

/** Options of `kaimingUniform_` / `kaimingNormal_`. */
export interface KaimingOptions extends InitRandomOptions {
  /** Negative slope of the leaky ReLU that follows (default 0; used by the 'leaky_relu' gain). */
  a?: number;
  /** 'fanIn' (default) preserves the forward variance, 'fanOut' the backward one. */
  mode?: FanMode;
  /** The nonlinearity that follows (default 'leaky_relu', as PyTorch). */
  nonlinearity?: Nonlinearity;
}

function checkParam(who: string, t: unknown): Variable {
  if (!(t instanceof Variable)) {
    throw new ValueError(
      `nn.init.${who}: tensor must be a Variable (a module parameter such as linear.weight), received ${
        t instanceof Tensor
          ? `a plain Tensor of shape ${formatShape(t.shape)} (tensors are immutable; only Variables are filled in place)`
          : describeValue(t)
      }.`,
    );
  }
  if (t.dtype !== 'float32') throw new ValueError(`nn.init.${who}: tensor must be float32, received ${t.dtype}.`);
  return t;
}

function checkNum(who: string, name: string, v: unknown, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw new ValueError(
      `nn.init.${who}: ${name} must be a finite number${min > -Infinity ? ` >= ${min}` : ''}, received ${describeValue(v)}.`,
    );
  return v;
}

/** Fills `t` with `f(i)` for every element and returns it. */
function fill(t: Variable, f: (i: number) => number): Variable {
  const v = new Float32Array(t.size);
  for (let i = 0; i < v.length; i++) v[i] = f(i);
  t.assign(tensor(v, t.shape.slice(), 'float32'));
  return t;
}

function generator(who: string, options: object | undefined, keys: string[]): RandomGenerator {
  checkOptionKeys(`nn.init.${who}`, options, [...keys, 'seed']);
  const seed = (options as InitRandomOptions | undefined)?.seed;
  if (seed !== undefined) checkNum(who, 'seed', seed);
  return moduleGenerator(seed);
}

/**
 * PyTorch's `_calculate_fan_in_and_fan_out`: [fanIn, fanOut] of a weight of shape [out, in, ...kernel] (at least 2-D).
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (!(t instanceof Tensor))
    throw new ValueError(`nn.init.calculateFanInAndFanOut: tensor must be a Tensor, received ${describeValue(t)}.`);
  if (t.rank < 2) {
    throw new ValueError(
      `nn.init: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions, received shape ${formatShape(t.shape)}.`,
    );
  }
  const receptive = t.shape.slice(2).reduce((a, d) => a * d, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

/**
 * PyTorch's recommended gain for a nonlinearity: 1 for linear / conv / sigmoid, 5/3 for tanh, √2 for relu,
 * √(2 / (1 + slope²)) for leaky_relu (`param` = slope, default 0.01), 3/4 for selu.
 *
 * ```ts
 * nn.init.xavierUniform_(w, { gain: nn.init.calculateGain('tanh') });
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  const gain = Object.prototype.hasOwnProperty.call(GAINS, nonlinearity) ? GAINS[nonlinearity] : undefined;
  if (!gain) {
    throw new ValueError(
      `nn.init.calculateGain: unsupported nonlinearity ${describeValue(nonlinearity)}; expected one of ${Object.keys(GAINS)
        .map((k) => `'${k}'`)
        .join(', ')}.`,
    );
  }
  return gain(param === undefined || param === null ? 0.01 : checkNum('calculateGain', 'param (the negative slope)', param));
}

/** The gain of each nonlinearity (`slope`: leaky_relu's negative slope). */
const GAINS: { [name: string]: (slope: number) => number } = {
  linear: () => 1,
  conv1d: () => 1,
  conv2d: () => 1,
  conv3d: () => 1,
  conv_transpose1d: () => 1,
  conv_transpose2d: () => 1,
  conv_transpose3d: () => 1,
  sigmoid: () => 1,
  tanh: () => 5 / 3,
  relu: () => Math.SQRT2,
  leaky_relu: (slope) => Math.sqrt(2 / (1 + slope * slope)),
  leakyRelu: (slope) => Math.sqrt(2 / (1 + slope * slope)),
  selu: () => 3 / 4,
};

/**
 * Fills with values uniform in [a, b) (defaults 0, 1). `nn.init.uniform_(w, { a: -0.1, b: 0.1 })`.
 */
export function uniform_(tensor: Variable, options: UniformOptions = {}): Variable {
  const t = checkParam('uniform_', tensor);
  const rng = generator('uniform_', options, ['a', 'b']);
  const a = checkNum('uniform_', 'a', options?.a ?? 0);
  const b = checkNum('uniform_', 'b', options?.b ?? 1);
  if (a > b) throw new ValueError(`nn.init.uniform_: a must be <= b, received a = ${a}, b = ${b}.`);
  return fill(t, () => rng.uniform(a, b));
}

/** Fills with values from N(mean, std²) (defaults 0, 1). `nn.init.normal_(w, { std: 0.02 })`. */
export function normal_(tensor: Variable, options: NormalOptions = {}): Variable {
  const t = checkParam('normal_', tensor);
  const rng = generator('normal_', options, ['mean', 'std']);
  const mean = checkNum('normal_', 'mean', options?.mean ?? 0);
  const std = checkNum('normal_', 'std', options?.std ?? 1, 0);
  return fill(t, () => rng.normal(mean, std));
}

/** Fills with `val`. `nn.init.constant_(lstm.bias_ih_l0, 0)`. */
export function constant_(tensor: Variable, val: number): Variable {
  const t = checkParam('constant_', tensor);
  checkNum('constant_', 'val', val);
  return fill(t, () => val);
}

/** Fills with zeros. `if (m.bias) nn.init.zeros_(m.bias)`. */
export function zeros_(tensor: Variable): Variable {
  return fill(checkParam('zeros_', tensor), () => 0);
}

/** Fills with ones. `nn.init.ones_(norm.weight)`. */
export function ones_(tensor: Variable): Variable {
  return fill(checkParam('ones_', tensor), () => 1);
}

/** Xavier/Glorot's standard deviation gain·√(2 / (fanIn + fanOut)). */
function xavierStd(t: Variable, gain: number): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return gain * Math.sqrt(2 / (fanIn + fanOut));
}

/**
 * Glorot/Xavier uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)) (at least 2-D).
 * `nn.init.xavierUniform_(linear.weight)`.
 */
export function xavierUniform_(tensor: Variable, options: GainOptions = {}): Variable {
  const t = checkParam('xavierUniform_', tensor);
  const rng = generator('xavierUniform_', options, ['gain']);
  const bound = Math.sqrt(3) * xavierStd(t, checkNum('xavierUniform_', 'gain', options?.gain ?? 1));
  return fill(t, () => rng.uniform(-bound, bound));
}

/** Glorot/Xavier normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)). `nn.init.xavierNormal_(w)`. */
export function xavierNormal_(tensor: Variable, options: GainOptions = {}): Variable {
  const t = checkParam('xavierNormal_', tensor);
  const rng = generator('xavierNormal_', options, ['gain']);
  const std = xavierStd(t, checkNum('xavierNormal_', 'gain', options?.gain ?? 1));
  return fill(t, () => rng.normal(0, std));
}

/** He/Kaiming's standard deviation gain / √fan, fan chosen by `mode`. */
function kaimingStd(who: string, t: Variable, options: KaimingOptions): number {
  const mode = options?.mode ?? 'fanIn';
  if (!['fanIn', 'fanOut', 'fan_in', 'fan_out'].includes(mode))
    throw new ValueError(`nn.init.${who}: mode must be 'fanIn' or 'fanOut', received ${describeValue(mode)}.`);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const fan = mode === 'fanIn' || mode === 'fan_in' ? fanIn : fanOut;
  const a = checkNum(who, 'a', options?.a ?? 0);
  return calculateGain(options?.nonlinearity ?? 'leaky_relu', a) / Math.sqrt(fan);
}

/**
 * He/Kaiming uniform: U(−bound, bound) with bound = gain·√(3 / fan) (defaults: a = 0, 'fanIn', 'leaky_relu', so
 * gain √2). `nn.init.kaimingUniform_(w, { nonlinearity: 'relu' })`.
 */
export function kaimingUniform_(tensor: Variable, options: KaimingOptions = {}): Variable {
  const t = checkParam('kaimingUniform_', tensor);
  const rng = generator('kaimingUniform_', options, ['a', 'mode', 'nonlinearity']);
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, options);
  return fill(t, () => rng.uniform(-bound, bound));
}

/** He/Kaiming normal: N(0, std²) with std = gain / √fan. `nn.init.kaimingNormal_(w, { mode: 'fanOut' })`. */
export function kaimingNormal_(tensor: Variable, options: KaimingOptions = {}): Variable {
  const t = checkParam('kaimingNormal_', tensor);
  const rng = generator('kaimingNormal_', options, ['a', 'mode', 'nonlinearity']);
  const std = kaimingStd('kaimingNormal_', t, options);
  return fill(t, () => rng.normal(0, std));
}

/**
 * A (semi-)orthogonal matrix times `gain`: the Q of the QR decomposition of a standard-normal [rows, numel/rows]
 * matrix, with R's diagonal made positive (PyTorch's rule), so rows (or columns, whichever are fewer) are
 * orthonormal. At least 2-D; trailing dimensions are flattened. `nn.init.orthogonal_(lstm.weight_hh_l0)`.
 */
export function orthogonal_(tensor: Variable, options: GainOptions = {}): Variable {
  const t = checkParam('orthogonal_', tensor);
  const rng = generator('orthogonal_', options, ['gain']);
  const gain = checkNum('orthogonal_', 'gain', options?.gain ?? 1);
  if (t.rank < 2)
    throw new ValueError(
      `nn.init.orthogonal_: only tensors with 2 or more dimensions are supported, received shape ${formatShape(t.shape)}.`,
    );
  const rows = t.shape[0];
  const cols = t.size / rows;
  if (t.size === 0) return t;
  // Work on the tall orientation m × n (m >= n): columns orthonormalized by modified Gram–Schmidt (twice, for
  // float64 accuracy), which gives the QR factor with a positive diagonal of R — PyTorch's q·sign(diag(r)).
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const a = new Float64Array(m * n); // column-major: column j at a[j*m .. j*m+m)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a[tall ? j * m + i : i * m + j] = rng.normal();
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += a[k * m + i] * a[j * m + i];
        for (let i = 0; i < m; i++) a[j * m + i] -= dot * a[k * m + i];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += a[j * m + i] * a[j * m + i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) a[j * m + i] /= norm;
  }
  return fill(t, (idx) => {
    const i = Math.floor(idx / cols);
    const j = idx % cols;
    return gain * (tall ? a[j * m + i] : a[i * m + j]);
  });
}
