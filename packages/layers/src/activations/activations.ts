/** The built-in activation functions, by tfjs identifier. */
import {
  add,
  customGrad,
  elu,
  GradSaveFunc,
  hardSigmoid,
  logSoftmax,
  mul,
  relu,
  relu6,
  selu,
  sigmoid,
  softmax,
  softplus,
  softsign,
  tanh,
  Tensor,
  tensor,
  ValueError,
} from '@recurrent/core';
import { ActivationFn } from './activation_fn';

/** f(x) = x. */
export class Linear extends ActivationFn {
  static override className = 'linear';

  /** Takes no arguments; numbers (`new Linear(10, 20)`, a PyTorch habit) are refused, pointing to nn.Linear. */
  constructor(...args: unknown[]) {
    super();
    if (args.some((a) => typeof a === 'number')) {
      throw new ValueError(
        `Linear: the top-level Linear is the linear activation function f(x) = x and takes no arguments, received ${args.map(String).join(', ')}; did you mean nn.Linear(inFeatures, outFeatures)? (PyTorch-style modules live in the nn namespace.)`,
      );
    }
  }

  apply(x: Tensor): Tensor {
    return x;
  }
}

/** max(0, x). */
export class Relu extends ActivationFn {
  static override className = 'relu';
  apply(x: Tensor): Tensor {
    return relu(x);
  }
}

/** min(max(0, x), 6). */
export class Relu6 extends ActivationFn {
  static override className = 'relu6';
  apply(x: Tensor): Tensor {
    return relu6(x);
  }
}

/** x for x > 0, else eˣ − 1. */
export class Elu extends ActivationFn {
  static override className = 'elu';
  apply(x: Tensor): Tensor {
    return elu(x);
  }
}

/** Scaled ELU (Klambauer et al. 2017). */
export class Selu extends ActivationFn {
  static override className = 'selu';
  apply(x: Tensor): Tensor {
    return selu(x);
  }
}

/** 1 / (1 + e⁻ˣ). */
export class Sigmoid extends ActivationFn {
  static override className = 'sigmoid';
  apply(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/**
 * clip(0.2·x + 0.5, 0, 1), as tfjs.
 * tfjs note: Keras 3's hard_sigmoid is relu6(x + 3) / 6 (slope 1/6); we keep tfjs's slope 0.2.
 */
export class HardSigmoid extends ActivationFn {
  static override className = 'hardSigmoid';
  apply(x: Tensor): Tensor {
    return hardSigmoid(x);
  }
}

/**
 * Keras 3's hard_sigmoid: relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1) (slope 1/6). Loading a Keras 3 file
 * maps its 'hard_sigmoid' here (models io keras_compat); configs store 'hardSigmoidKeras3'.
 * tfjs note: tfjs has no such activation; its 'hardSigmoid' (ours too) is Keras 2's clip(0.2·x + 0.5, 0, 1).
 */
export class HardSigmoidKeras3 extends ActivationFn {
  static override className = 'hardSigmoidKeras3';
  apply(x: Tensor): Tensor {
    return mul(relu6(add(x, 3)), 1 / 6);
  }
}

/** Hyperbolic tangent. */
export class Tanh extends ActivationFn {
  static override className = 'tanh';
  apply(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** Softmax along `axis` (default the last). */
export class Softmax extends ActivationFn {
  static override className = 'softmax';
  apply(x: Tensor, axis = -1): Tensor {
    return softmax(x, axis);
  }
}

/** log(softmax(x)) along `axis` (default the last), computed stably: x − log Σ exp(x) (tfjs's 'logSoftmax', Keras's 'log_softmax'). */
export class LogSoftmax extends ActivationFn {
  static override className = 'logSoftmax';
  apply(x: Tensor, axis = -1): Tensor {
    return logSoftmax(x, axis);
  }
}

/** log(1 + eˣ). */
export class Softplus extends ActivationFn {
  static override className = 'softplus';
  apply(x: Tensor): Tensor {
    return softplus(x);
  }
}

/** x / (1 + |x|). */
export class Softsign extends ActivationFn {
  static override className = 'softsign';
  apply(x: Tensor): Tensor {
    return softsign(x);
  }
}

/** x · sigmoid(x). */
export class Swish extends ActivationFn {
  static override className = 'swish';
  apply(x: Tensor): Tensor {
    return mul(x, sigmoid(x));
  }
}

/** x · tanh(softplus(x)). */
export class Mish extends ActivationFn {
  static override className = 'mish';
  apply(x: Tensor): Tensor {
    return mul(x, tanh(softplus(x)));
  }
}

/** Exact GELU x · Φ(x) = x · ½(1 + erf(x/√2)) (tfjs's and Keras's default, approximate=false). */
export class Gelu extends ActivationFn {
  static override className = 'gelu';
  apply(x: Tensor): Tensor {
    return geluOp(x);
  }
}

/** GELU's tanh approximation 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (tfjs's 'gelu_new'; Keras's gelu with approximate=true). */
export class GeluNew extends ActivationFn {
  static override className = 'gelu_new';
  apply(x: Tensor): Tensor {
    const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
}

/** erf(x) in float64 (error < 1e-13): Maclaurin series for |x| < 2.5, erfc's continued fraction beyond. */
export function erfScalar(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf(x) = 2/√π Σ (-1)ⁿ x^(2n+1) / (n! (2n+1)); converges fast for |x| < 2.5.
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc(x), x ≥ 2.5 (Lentz's method).
  const tiny = 1e-300;
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? tiny : 1 / d;
    c = ax + an / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (Math.sqrt(Math.PI) * f);
  return x > 0 ? 1 - erfc : erfc - 1;
}

const INV_SQRT2 = 1 / Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** GELU as one tape node: forward x·Φ(x), backward Φ(x) + x·φ(x). */
const geluOp = customGrad((x: Tensor, save: GradSaveFunc) => {
  const xv = x.dataSync();
  const out = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) out[i] = xv[i] * 0.5 * (1 + erfScalar(xv[i] * INV_SQRT2));
  save([x]);
  return {
    value: tensor(out, x.shape.slice(), 'float32'),
    gradFunc: (dy: Tensor, [saved]: Tensor[]) => {
      const sv = saved.dataSync();
      const dv = dy.dataSync();
      const g = new Float32Array(sv.length);
      for (let i = 0; i < sv.length; i++) {
        const v = sv[i];
        g[i] = dv[i] * (0.5 * (1 + erfScalar(v * INV_SQRT2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
      }
      return tensor(g, saved.shape.slice(), 'float32');
    },
  };
}) as (x: Tensor) => Tensor;
