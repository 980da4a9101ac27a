/**
 * Activations of the fused recurrent kernels, with derivatives computed from the saved
 * post-activation value y = f(x) (so the kernels never keep pre-activations).
 * Every entry works in place on a range of a Float32Array: no allocation, one call per gate row.
 */
import { WASM_ACTIVATION_NAMES, WasmActivationName } from '../backend/wasm_interface.generated';
import { NotImplementedError } from '../errors';

/**
 * Activation names the fused kernels accept (tfjs/Keras identifiers): 'tanh', 'sigmoid', 'hardSigmoid',
 * 'relu', 'linear', 'softsign', 'elu', 'selu', 'hardSigmoidKeras3'. Defined once with their wasm ids in
 * scripts/wasm_interface.mjs; TABLE below must implement every one (the mapped type enforces it).
 */
export type KernelActivationName = WasmActivationName;

/** An activation as the kernels use it. */
export interface KernelActivation {
  readonly name: KernelActivationName;
  /** f(x) for one value. */
  fn(x: number): number;
  /** f'(x) for one value, from y = f(x). */
  derivFromOutput(y: number): number;
  /** `buf[off + i] = f(buf[off + i])` for `i < n`. */
  applyInPlace(buf: Float32Array, off: number, n: number): void;
  /** `dst[dOff + i] = f(src[sOff + i])` for `i < n`. */
  applyTo(src: Float32Array, sOff: number, dst: Float32Array, dOff: number, n: number): void;
  /** `g[gOff + i] *= f'(x)` where `y[yOff + i] = f(x)`, for `i < n`. */
  scaleByDerivative(y: Float32Array, yOff: number, g: Float32Array, gOff: number, n: number): void;
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function hardSigmoid(x: number): number {
  const y = 0.2 * x + 0.5;
  return y <= 0 ? 0 : y >= 1 ? 1 : y;
}

/** Keras 3's hard_sigmoid: relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1). */
function hardSigmoidKeras3(x: number): number {
  const y = x / 6 + 0.5;
  return y <= 0 ? 0 : y >= 1 ? 1 : y;
}

function makeActivation(name: KernelActivationName, fn: (x: number) => number, derivFromOutput: (y: number) => number): KernelActivation {
  return {
    name,
    fn,
    derivFromOutput,
    applyInPlace(buf, off, n) {
      for (let i = off, end = off + n; i < end; i++) buf[i] = fn(buf[i]);
    },
    applyTo(src, sOff, dst, dOff, n) {
      for (let i = 0; i < n; i++) dst[dOff + i] = fn(src[sOff + i]);
    },
    scaleByDerivative(y, yOff, g, gOff, n) {
      for (let i = 0; i < n; i++) g[gOff + i] *= derivFromOutput(y[yOff + i]);
    },
  };
}

/** Hand-specialised loops for the two activations on every hot path. */
const tanhActivation: KernelActivation = {
  name: 'tanh',
  fn: Math.tanh,
  derivFromOutput: (y) => 1 - y * y,
  applyInPlace(buf, off, n) {
    for (let i = off, end = off + n; i < end; i++) buf[i] = Math.tanh(buf[i]);
  },
  applyTo(src, sOff, dst, dOff, n) {
    for (let i = 0; i < n; i++) dst[dOff + i] = Math.tanh(src[sOff + i]);
  },
  scaleByDerivative(y, yOff, g, gOff, n) {
    for (let i = 0; i < n; i++) {
      const v = y[yOff + i];
      g[gOff + i] *= 1 - v * v;
    }
  },
};

const sigmoidActivation: KernelActivation = {
  name: 'sigmoid',
  fn: sigmoid,
  derivFromOutput: (y) => y * (1 - y),
  applyInPlace(buf, off, n) {
    for (let i = off, end = off + n; i < end; i++) buf[i] = 1 / (1 + Math.exp(-buf[i]));
  },
  applyTo(src, sOff, dst, dOff, n) {
    for (let i = 0; i < n; i++) dst[dOff + i] = 1 / (1 + Math.exp(-src[sOff + i]));
  },
  scaleByDerivative(y, yOff, g, gOff, n) {
    for (let i = 0; i < n; i++) {
      const v = y[yOff + i];
      g[gOff + i] *= v * (1 - v);
    }
  },
};

const TABLE: { [K in KernelActivationName]: KernelActivation } = {
  tanh: tanhActivation,
  sigmoid: sigmoidActivation,
  // clip(0.2x + 0.5, 0, 1) as tfjs and Keras 2; the slope is 0.2 strictly inside (0, 1).
  // tfjs note: Keras 3's 'hard_sigmoid' is relu6(x + 3) / 6 (slope 1/6), a different function.
  hardSigmoid: makeActivation('hardSigmoid', hardSigmoid, (y) => (y > 0 && y < 1 ? 0.2 : 0)),
  // Keras 3's 'hard_sigmoid' (loaded from Keras 3 files): clip(x/6 + 0.5, 0, 1), slope 1/6 strictly inside (0, 1).
  hardSigmoidKeras3: makeActivation('hardSigmoidKeras3', hardSigmoidKeras3, (y) => (y > 0 && y < 1 ? 1 / 6 : 0)),
  // NaN passes through (`x < 0 ? 0 : x`), as tf.relu and the wasm kernel's f32x4.max.
  relu: makeActivation(
    'relu',
    (x) => (x < 0 ? 0 : x),
    (y) => (y > 0 ? 1 : 0),
  ),
  linear: makeActivation(
    'linear',
    (x) => x,
    () => 1,
  ),
  // y = x / (1 + |x|)  ⇒  f'(x) = 1 / (1 + |x|)² = (1 − |y|)².
  softsign: makeActivation(
    'softsign',
    (x) => x / (1 + Math.abs(x)),
    (y) => {
      const a = 1 - Math.abs(y);
      return a * a;
    },
  ),
  // y = x (x > 0), e^x − 1 otherwise  ⇒  f' = 1 or y + 1.
  elu: makeActivation(
    'elu',
    (x) => (x > 0 ? x : Math.expm1(x)),
    (y) => (y > 0 ? 1 : y + 1),
  ),
  // y = s·x (x > 0), s·α(e^x − 1) otherwise  ⇒  f' = s or y + s·α.
  selu: makeActivation(
    'selu',
    (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x)),
    (y) => (y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA),
  ),
};

/** The names accepted by `getKernelActivation`. */
export const KERNEL_ACTIVATION_NAMES: KernelActivationName[] = WASM_ACTIVATION_NAMES.slice();

/** Looks up an activation by its tfjs/Keras name; `kernelName` and `argName` go into the error. */
export function getKernelActivation(name: string, kernelName = 'getKernelActivation', argName = 'activation'): KernelActivation {
  const entry = (TABLE as { [k: string]: KernelActivation | undefined })[name];
  if (!entry || !Object.prototype.hasOwnProperty.call(TABLE, name)) {
    throw new NotImplementedError(
      `${kernelName}: unsupported ${argName} '${name}'; the fused kernels support ${KERNEL_ACTIVATION_NAMES.map((n) => `'${n}'`).join(', ')}.`,
    );
  }
  return entry;
}
