/** Adadelta (Keras 3's update rule; tfjs's class name and config). */
import { ClipOptions } from './clip';
import { LearningRate, Optimizer } from './optimizer';

/**
 * Keras's rule: `accGrad = ρ accGrad + (1-ρ) g²`, then `update = sqrt(accUpdate + ε) / sqrt(accGrad + ε) · g` with
 * that new accumulator, `accUpdate = ρ accUpdate + (1-ρ) update²`, `value -= lr · update`.
 *
 * tfjs note: tfjs divides by the accumulator from *before* adding g²; both accumulators then start at 0 and grow by
 * the same (1-ρ) g² each step, so every update is exactly g and tfjs's Adadelta trains as plain SGD with the
 * learning rate (1 for compile's 'adadelta'). We follow TensorFlow/Keras, which steps as Adadelta.
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

  override slotLayout(): Array<[string, number]> {
    return [
      ['accum_grad', 0],
      ['accum_var', 0],
    ];
  }

  protected updateVariable(name: string, value: Float32Array, grad: Float32Array, out: Float32Array): void {
    const n = out.length;
    const accG = this.slot(name, 'accum_grad', n);
    const accU = this.slot(name, 'accum_var', n);
    const { rho, epsilon: eps, learningRate: lr } = this;
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const ag = rho * accG[i] + (1 - rho) * g * g;
      const upd = (Math.sqrt(accU[i] + eps) / Math.sqrt(ag + eps)) * g;
      accG[i] = ag;
      accU[i] = rho * accU[i] + (1 - rho) * upd * upd;
      out[i] = value[i] - lr * upd;
    }
  }
}
