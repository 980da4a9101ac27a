/**
 * AdamW (Keras 3 `AdamW`): Adam with decoupled weight decay. Each step first shrinks every variable,
 * `w ← w − lr · weightDecay · w`, then applies Keras 3's Adam update
 * `m ← m + (g − m)(1 − β1)`, `v ← v + (g² − v)(1 − β2)`, `w ← w − lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m / (√v + ε)`.
 *
 * ```js
 * model.compile({optimizer: train.adamw(1e-3, 0.01), loss: 'meanSquaredError'});
 * ```
 *
 * tfjs note: tfjs has no AdamW; the ε placement is Keras 3's (outside the bias correction), unlike tfjs's Adam.
 */
import { ClipOptions } from './clip';
import { LearningRate, Optimizer } from './optimizer';

export class AdamWOptimizer extends Optimizer {
  static override readonly className: string = 'AdamW';
  static override readonly configKeys: readonly string[] = ['learningRate', 'weightDecay', 'beta1', 'beta2', 'epsilon'];
  learningRate: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  private alpha = 0;

  constructor(
    learningRate: LearningRate = 0.001,
    weightDecay = 0.004,
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon: number | null = null,
    options?: ClipOptions,
  ) {
    super(options);
    this.learningRate = this.initLearningRate(learningRate);
    this.weightDecay = this.checkArg('weightDecay', weightDecay);
    this.beta1 = this.checkArg('beta1', beta1);
    this.beta2 = this.checkArg('beta2', beta2);
    this.epsilon = this.epsilonArg(epsilon);
  }

  protected override beginStep(): void {
    const t = this.iterations + 1;
    this.alpha = (this.learningRate * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
  }

  override slotLayout(): Array<[string, number]> {
    return [
      ['m', 0],
      ['v', 0],
    ];
  }

  protected updateVariable(name: string, value: Float32Array, grad: Float32Array, out: Float32Array): void {
    const n = out.length;
    const m = this.slot(name, 'm', n);
    const v = this.slot(name, 'v', n);
    const { beta1: b1, beta2: b2, epsilon: eps, alpha } = this;
    const decay = this.learningRate * this.weightDecay;
    for (let i = 0; i < n; i++) {
      const w = value[i] - value[i] * decay;
      const g = grad[i];
      const mi = m[i] + (g - m[i]) * (1 - b1);
      const vi = v[i] + (g * g - v[i]) * (1 - b2);
      m[i] = mi;
      v[i] = vi;
      out[i] = w - (alpha * mi) / (Math.sqrt(vi) + eps);
    }
  }
}
