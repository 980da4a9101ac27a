/**
 * Activations in ONNX: as the `activations` attribute of the LSTM/GRU/RNN operators (a closed list of
 * functions with `activation_alpha`/`activation_beta`), and as nodes after Dense / Activation layers.
 */
import type { GraphBuilder } from './graph_builder';
import { ValueError } from '@recurrent/core';

/** One function of an ONNX recurrent operator's `activations` list. */
export interface RecurrentActivation {
  /** ONNX name ('Tanh', 'Sigmoid', 'HardSigmoid', ...). */
  name: string;
  alpha?: number;
  beta?: number;
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * The ONNX recurrent-operator function for a recurrent's activation name (`getConfig().activation`).
 * tfjs's 'hardSigmoid' is clip(0.2·x + 0.5, 0, 1): ONNX HardSigmoid with alpha 0.2, beta 0.5;
 * 'hardSigmoidKeras3' (Keras 3's relu6(x + 3) / 6) is alpha 1/6, beta 0.5; 'linear' is Affine(1, 0).
 */
export function recurrentActivation(activation: unknown, where: string): RecurrentActivation {
  switch (activation) {
    case 'tanh':
      return { name: 'Tanh' };
    case 'sigmoid':
      return { name: 'Sigmoid' };
    case 'relu':
      return { name: 'Relu' };
    case 'hardSigmoid':
      return { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 };
    case 'hardSigmoidKeras3':
      return { name: 'HardSigmoid', alpha: 1 / 6, beta: 0.5 };
    case 'linear':
      return { name: 'Affine', alpha: 1, beta: 0 };
    case 'elu':
      return { name: 'Elu', alpha: 1 };
    case 'softsign':
      return { name: 'Softsign' };
    case 'softplus':
      return { name: 'Softplus' };
    default:
      throw new ValueError(
        `onnx.exportModel: ${where} cannot be exported: ONNX's recurrent operators have no activation ${JSON.stringify(activation)} ` +
          "(expected one of 'tanh', 'sigmoid', 'relu', 'hardSigmoid', 'hardSigmoidKeras3', 'linear', 'elu', 'softsign', 'softplus').",
      );
  }
}

/**
 * The `activations`, `activation_alpha` and `activation_beta` attribute values for a list of functions.
 * Alphas and betas are listed only for the functions that take them, in order (as ONNX Runtime reads them).
 */
export function recurrentActivationAttrs(fns: RecurrentActivation[]): { names: string[]; alphas: number[]; betas: number[] } {
  const alphas: number[] = [];
  const betas: number[] = [];
  for (const fn of fns) {
    if (fn.alpha !== undefined) alphas.push(fn.alpha);
    if (fn.beta !== undefined) betas.push(fn.beta);
  }
  return { names: fns.map((f) => f.name), alphas, betas };
}

/**
 * Appends the nodes of an element-wise activation (a Keras activation name) applied to `x`; returns the
 * output name (`x` itself for 'linear'). Softmax is over the last axis.
 */
export function emitActivation(g: GraphBuilder, x: string, activation: unknown, where: string): string {
  const one = (op: string, attrs = {}): string => g.addNode(op, [x], attrs, 1, `${where}_${op.toLowerCase()}`)[0];
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return one('Relu');
    case 'sigmoid':
      return one('Sigmoid');
    case 'tanh':
      return one('Tanh');
    case 'softmax':
      return one('Softmax', { axis: { i: -1 } });
    case 'softplus':
      return one('Softplus');
    case 'softsign':
      return one('Softsign');
    case 'elu':
      return one('Elu', { alpha: { f: 1 } });
    case 'selu':
      return one('Selu', { alpha: { f: SELU_ALPHA }, gamma: { f: SELU_SCALE } });
    case 'hardSigmoid':
      return one('HardSigmoid', { alpha: { f: 0.2 }, beta: { f: 0.5 } });
    case 'hardSigmoidKeras3':
      return one('HardSigmoid', { alpha: { f: 1 / 6 }, beta: { f: 0.5 } });
    case 'relu6': {
      const lo = g.addInitializer(`${where}_clip_min`, new Float32Array([0]), []);
      const hi = g.addInitializer(`${where}_clip_max`, new Float32Array([6]), []);
      return g.addNode('Clip', [x, lo, hi], {}, 1, `${where}_relu6`)[0];
    }
    case 'swish': {
      const s = one('Sigmoid');
      return g.addNode('Mul', [x, s], {}, 1, `${where}_swish`)[0];
    }
    case 'mish': {
      const sp = one('Softplus');
      const t = g.addNode('Tanh', [sp], {}, 1, `${where}_tanh`)[0];
      return g.addNode('Mul', [x, t], {}, 1, `${where}_mish`)[0];
    }
    case 'gelu': {
      // x · Φ(x) = x · 0.5 · (1 + erf(x / √2)), the exact GELU (ONNX's Gelu operator needs opset 20).
      const c = g.addInitializer(`${where}_inv_sqrt2`, new Float32Array([Math.SQRT1_2]), []);
      const half = g.addInitializer(`${where}_half`, new Float32Array([0.5]), []);
      const oneC = g.addInitializer(`${where}_one`, new Float32Array([1]), []);
      const e = g.addNode('Erf', [g.addNode('Mul', [x, c], {}, 1, `${where}_scaled`)[0]], {}, 1, `${where}_erf`)[0];
      const p = g.addNode('Mul', [g.addNode('Add', [e, oneC], {}, 1, `${where}_erf1`)[0], half], {}, 1, `${where}_cdf`)[0];
      return g.addNode('Mul', [x, p], {}, 1, `${where}_gelu`)[0];
    }
    default:
      throw new ValueError(
        `onnx.exportModel: ${where} cannot be exported: activation ${JSON.stringify(activation)} has no ONNX form here ` +
          "(expected one of 'linear', 'relu', 'relu6', 'sigmoid', 'hardSigmoid', 'hardSigmoidKeras3', 'tanh', 'softmax', 'softplus', " +
          "'softsign', 'elu', 'selu', 'swish', 'mish', 'gelu').",
      );
  }
}
