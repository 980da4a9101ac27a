/**
 * Nadam (Keras 3 `Nadam`): Adam with Nesterov momentum and Dozat's momentum schedule
 * `μₜ = β1 (1 − ½ · 0.96ᵗ)`:
 * `m̂ = μₜ₊₁ m / (1 − Πμ₁..ₜ₊₁) + (1 − μₜ) g / (1 − Πμ₁..ₜ)`, `v̂ = v / (1 − β2ᵗ)`, `w ← w − lr · m̂ / (√v̂ + ε)`.
 *
 * ```js
 * model.compile({optimizer: train.nadam(2e-3), loss: 'categoricalCrossentropy'});
 * ```
 *
 * tfjs note: tfjs has no Nadam.
 */
import { ClipOptions } from './clip';
import { LearningRate, Optimizer } from './optimizer';

export class NadamOptimizer extends Optimizer {
  static override readonly className: string = 'Nadam';
  static override readonly configKeys: readonly string[] = ['learningRate', 'beta1', 'beta2', 'epsilon'];
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Π μ over the steps so far (Keras's `_u_product`). */
  private uProduct = 1;
  private uT = 0;
  private uT1 = 0;
  private uProductT1 = 0;
  private beta2Power = 1;

  constructor(learningRate: LearningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, options?: ClipOptions) {
    super(options);
    this.learningRate = this.initLearningRate(learningRate);
    this.beta1 = this.checkArg('beta1', beta1);
    this.beta2 = this.checkArg('beta2', beta2);
    this.epsilon = this.epsilonArg(epsilon);
  }

  protected override beginStep(): void {
    const t = this.iterations + 1;
    this.uT = this.beta1 * (1 - 0.5 * Math.pow(0.96, t));
    this.uT1 = this.beta1 * (1 - 0.5 * Math.pow(0.96, t + 1));
    this.uProduct *= this.uT;
    this.uProductT1 = this.uProduct * this.uT1;
    this.beta2Power = Math.pow(this.beta2, t);
  }

  protected updateVariable(name: string, value: Float32Array, grad: Float32Array, out: Float32Array): void {
    const n = out.length;
    const m = this.slot(name, 'm', n);
    const v = this.slot(name, 'v', n);
    const { beta1: b1, beta2: b2, epsilon: eps, learningRate: lr, uT, uT1, uProduct, uProductT1, beta2Power } = this;
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const mi = m[i] + (g - m[i]) * (1 - b1);
      const vi = v[i] + (g * g - v[i]) * (1 - b2);
      m[i] = mi;
      v[i] = vi;
      const mHat = (uT1 * mi) / (1 - uProductT1) + ((1 - uT) * g) / (1 - uProduct);
      const vHat = vi / (1 - beta2Power);
      out[i] = value[i] - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  }

  override slotLayout(): Array<[string, number]> {
    return [
      ['m', 0],
      ['v', 0],
    ];
  }

  /**
   * Π μ after `iterations` steps, multiplied up in the order `beginStep` does. Past step 20000, 0.96ᵗ underflows to 0
   * and every factor is β1 itself, so the rest is one power (a file's step count of 2³¹ must not mean 2³¹ loops).
   */
  override scalarsAt(iterations: number): { [name: string]: number } {
    const looped = Math.min(iterations, 20000);
    let uProduct = 1;
    for (let t = 1; t <= looped; t++) uProduct *= this.beta1 * (1 - 0.5 * Math.pow(0.96, t));
    if (iterations > looped) uProduct *= this.beta1 ** (iterations - looped);
    return { uProduct };
  }

  protected override stepScalars(): { [name: string]: number } {
    return { uProduct: this.uProduct };
  }

  protected override setStepScalars(s: { [name: string]: number }): void {
    this.uProduct = s.uProduct ?? 1;
  }

  override dispose(): void {
    super.dispose();
    this.uProduct = 1;
  }
}
