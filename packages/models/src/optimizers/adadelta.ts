/** Adadelta, as tfjs's `AdadeltaOptimizer`. */
import { ClipOptions } from './clip';
import { LearningRate, Optimizer } from './optimizer';

/**
 * tfjs's rule: `update = sqrt(accUpdate + ε) / sqrt(accGrad + ε) · g` using the accumulated squared
 * gradient from *before* this step, then `accGrad = ρ accGrad + (1-ρ) g²`,
 * `accUpdate = ρ accUpdate + (1-ρ) update²`, `value -= lr · update`.
 *
 * tfjs note: TensorFlow/Keras use the accumulator *after* adding this step's g²; we follow tfjs so
 * that training runs match tfjs step for step.
 */
export class AdadeltaOptimizer extends Optimizer {
  static override readonly className: string = 'Adadelta';
  static override readonly configKeys: readonly string[] = ['learningRate', 'rho', 'epsilon'];
  learningRate: number;
  rho: number;
  epsilon: number;

  constructor(learningRate: LearningRate = 0.001, rho = 0.95, epsilon: number | null = null, options?: ClipOptions) {
    super(options);
    this.learningRate = this.initLearningRate(learningRate);
    this.rho = this.checkArg('rho', rho);
    this.epsilon = this.epsilonArg(epsilon);
  }

  protected updateVariable(name: string, value: Float32Array, grad: Float32Array, out: Float32Array): void {
    const n = out.length;
    const accG = this.slot(name, 'accum_grad', n);
    const accU = this.slot(name, 'accum_var', n);
    const { rho, epsilon: eps, learningRate: lr } = this;
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const upd = (Math.sqrt(accU[i] + eps) / Math.sqrt(accG[i] + eps)) * g;
      accG[i] = rho * accG[i] + (1 - rho) * g * g;
      accU[i] = rho * accU[i] + (1 - rho) * upd * upd;
      out[i] = value[i] - lr * upd;
    }
  }
}
