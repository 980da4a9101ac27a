// Activations of the fused recurrent kernels on f32x4 lanes, and their derivatives from the output
// y = f(x): the twin of src/kernels/activation_table.ts. The ids (TANH, ...) come from
// interface.generated.ts (scripts/wasm_interface.mjs), as the glue's WASM_ACTIVATION_IDS. exp is a Cephes-style f32 approximation (range reduction by ln 2
// and a degree-6 polynomial, ~1-2 ulp), so results stay within a few ulp of the TypeScript twin.

import {
  ELU, HARD_SIGMOID, HARD_SIGMOID_KERAS3, LINEAR, RELU, SIGMOID, SOFTSIGN, TANH,
} from './interface.generated';
import { madd } from './fma';

const SELU_ALPHA: f32 = 1.6732632423543772848170429916717;
const SELU_SCALE: f32 = 1.0507009873554804934193349852946;

/**
 * x clamped to [lo, hi] per lane, NaN passing through. pmax/pmin (`a < b ? b : a`, `b < a ? b : a`) are one
 * maxps/minps each on x64, where V8 spends ~9 instructions on each IEEE f32x4.max/min (NaN and ±0 fix-ups);
 * with non-zero bounds both give the same values.
 */
@inline
function clamp(x: v128, lo: f32, hi: f32): v128 {
  return f32x4.pmin(f32x4.pmax(x, f32x4.splat(lo)), f32x4.splat(hi));
}

/** e^x per lane (x clamped to [−87.34, 88.38]: e^x ≥ 2^−126, the smallest normal f32). */
@inline
export function expv(x0: v128): v128 {
  let x = clamp(x0, -87.3365447505531, 88.3762626647949);
  const fx = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  const z = f32x4.mul(x, x);
  let y = f32x4.splat(1.9875691500e-4);
  y = madd(y, x, f32x4.splat(1.3981999507e-3));
  y = madd(y, x, f32x4.splat(8.3334519073e-3));
  y = madd(y, x, f32x4.splat(4.1665795894e-2));
  y = madd(y, x, f32x4.splat(1.6666665459e-1));
  y = madd(y, x, f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), x), f32x4.splat(1));
  // 2^n built in the exponent bits, n = fx ∈ [−126, 128] (128 gives +inf): fx + 1.5·2^23 + 127 holds
  // n + 127 ∈ [1, 255] in its low mantissa bits, and the shift moves those into the exponent (cheaper
  // than V8's saturating float→int conversion).
  const pow2n = i32x4.shl(f32x4.add(fx, f32x4.splat(12583039.0)), 23);
  return f32x4.mul(y, pow2n);
}

@inline
function sigmoidv(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x))));
}

/**
 * tanh: a [13/6] rational approximation on x clamped to ±7.9053 (where f32 tanh rounds to ±1), as
 * Eigen's ptanh_float: one division and no exp (about half the work of 1 − 2/(e^{2x} + 1)), within
 * a few ulp on the whole range.
 */
@inline
function tanhv(x0: v128): v128 {
  const x = clamp(x0, -7.90531110763549805, 7.90531110763549805);
  const x2 = f32x4.mul(x, x);
  let p = f32x4.splat(-2.76076847742355e-16);
  p = madd(p, x2, f32x4.splat(2.00018790482477e-13));
  p = madd(p, x2, f32x4.splat(-8.60467152213735e-11));
  p = madd(p, x2, f32x4.splat(5.12229709037114e-8));
  p = madd(p, x2, f32x4.splat(1.48572235717979e-5));
  p = madd(p, x2, f32x4.splat(6.37261928875436e-4));
  p = madd(p, x2, f32x4.splat(4.89352455891786e-3));
  p = f32x4.mul(p, x);
  let q = f32x4.splat(1.19825839466702e-6);
  q = madd(q, x2, f32x4.splat(1.18534705686654e-4));
  q = madd(q, x2, f32x4.splat(2.26843463243900e-3));
  q = madd(q, x2, f32x4.splat(4.89352518554385e-3));
  return f32x4.div(p, q);
}

/** tfjs's hardSigmoid, clamp(0.2·x + 0.5, 0, 1). */
@inline
function hardSigmoidv(x: v128): v128 {
  return clamp(f32x4.add(f32x4.mul(x, f32x4.splat(0.2)), f32x4.splat(0.5)), 0, 1);
}

/** f(x) per lane for activation `id`. */
@inline
export function actv(id: i32, x: v128): v128 {
  switch (id) {
    case TANH: return tanhv(x);
    case SIGMOID: return sigmoidv(x);
    case HARD_SIGMOID: return hardSigmoidv(x);
    case RELU: return f32x4.max(x, f32x4.splat(0));
    case LINEAR: return x;
    case SOFTSIGN: return f32x4.div(x, f32x4.add(f32x4.splat(1), f32x4.abs(x)));
    case HARD_SIGMOID_KERAS3: {
      const y = f32x4.add(f32x4.div(x, f32x4.splat(6)), f32x4.splat(0.5));
      return f32x4.min(f32x4.max(y, f32x4.splat(0)), f32x4.splat(1));
    }
    case ELU: {
      const neg = f32x4.sub(expv(x), f32x4.splat(1));
      return v128.bitselect(x, neg, f32x4.gt(x, f32x4.splat(0)));
    }
    default: {
      const pos = f32x4.mul(x, f32x4.splat(SELU_SCALE));
      const neg = f32x4.mul(f32x4.sub(expv(x), f32x4.splat(1)), f32x4.splat(SELU_SCALE * SELU_ALPHA));
      return v128.bitselect(pos, neg, f32x4.gt(x, f32x4.splat(0)));
    }
  }
}

/** f'(x) per lane from y = f(x). */
@inline
export function dactv(id: i32, y: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  switch (id) {
    case TANH: return f32x4.sub(one, f32x4.mul(y, y));
    case SIGMOID: return f32x4.mul(y, f32x4.sub(one, y));
    case HARD_SIGMOID: return v128.and(f32x4.splat(0.2), v128.and(f32x4.gt(y, zero), f32x4.lt(y, one)));
    case HARD_SIGMOID_KERAS3: return v128.and(f32x4.splat(<f32>(1.0 / 6.0)), v128.and(f32x4.gt(y, zero), f32x4.lt(y, one)));
    case RELU: return v128.and(one, f32x4.gt(y, zero));
    case LINEAR: return one;
    case SOFTSIGN: {
      const a = f32x4.sub(one, f32x4.abs(y));
      return f32x4.mul(a, a);
    }
    case ELU: return v128.bitselect(one, f32x4.add(y, one), f32x4.gt(y, zero));
    default:
      return v128.bitselect(f32x4.splat(SELU_SCALE), f32x4.add(y, f32x4.splat(SELU_SCALE * SELU_ALPHA)), f32x4.gt(y, zero));
  }
}

/** dst[i] = f(src[i]) for i < n (byte pointers; dst may equal src). */
export function applyAct(id: i32, src: usize, dst: usize, n: i32): void {
  let i = 0;
  // The hot activations get loops of their own (no dispatch per vector), several vectors per iteration:
  // V8 keeps this function's many constants in stack slots and reloads them in each iteration, so
  // independent vectors share the reloads (per vector on Zen 4: tanh 3.4 → 3.0 ns with 4, sigmoid 5.1 → 3.3 ns
  // with 8; tanh with 8 spills more and is slower). The rest share one loop.
  if (id == TANH) {
    for (; i + 16 <= n; i += 16) {
      const o = (<usize>i) << 2;
      const a = v128.load(src + o);
      const b = v128.load(src + o, 16);
      const c = v128.load(src + o, 32);
      const d = v128.load(src + o, 48);
      v128.store(dst + o, tanhv(a));
      v128.store(dst + o, tanhv(b), 16);
      v128.store(dst + o, tanhv(c), 32);
      v128.store(dst + o, tanhv(d), 48);
    }
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(dst + o, tanhv(v128.load(src + o)));
    }
  } else if (id == SIGMOID) {
    for (; i + 32 <= n; i += 32) {
      const o = (<usize>i) << 2;
      const a = v128.load(src + o);
      const b = v128.load(src + o, 16);
      const c = v128.load(src + o, 32);
      const d = v128.load(src + o, 48);
      const e = v128.load(src + o, 64);
      const f = v128.load(src + o, 80);
      const g = v128.load(src + o, 96);
      const h = v128.load(src + o, 112);
      v128.store(dst + o, sigmoidv(a));
      v128.store(dst + o, sigmoidv(b), 16);
      v128.store(dst + o, sigmoidv(c), 32);
      v128.store(dst + o, sigmoidv(d), 48);
      v128.store(dst + o, sigmoidv(e), 64);
      v128.store(dst + o, sigmoidv(f), 80);
      v128.store(dst + o, sigmoidv(g), 96);
      v128.store(dst + o, sigmoidv(h), 112);
    }
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(dst + o, sigmoidv(v128.load(src + o)));
    }
  }
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, actv(id, v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(dst + o, f32x4.extract_lane(actv(id, f32x4.splat(load<f32>(src + o))), 0));
  }
}

/** g[i] *= f'(x) where y[i] = f(x), for i < n. */
export function scaleByDerivative(id: i32, y: usize, g: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(g + o, f32x4.mul(v128.load(g + o), dactv(id, v128.load(y + o))));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(g + o, load<f32>(g + o) * f32x4.extract_lane(dactv(id, f32x4.splat(load<f32>(y + o))), 0));
  }
}
