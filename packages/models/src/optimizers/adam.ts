/** Adam, as tfjs's `AdamOptimizer`. */
import { ClipOptions } from './clip';
import { LearningRate, Optimizer } from './optimizer';

/**
 * tfjs's rule: `m = β1 m + (1-β1) g`, `v = β2 v + (1-β2) g²`,
 * `value -= lr * (m / (1-β1ᵗ)) / (sqrt(v / (1-β2ᵗ)) + ε)`, where the powers βᵗ are
 * accumulated products kept in float32 like tfjs's `accBeta` variables.
 * tfjs note: Keras 3's Adam (also for a Keras file's training_config) adds ε to sqrt(v) before the bias
 * correction, i.e. ε·sqrt(1-β2ᵗ) here: steps differ where |g| is within a few orders of ε (measured against
 * Keras 3.15 in test/engine/keras_train_step.test.ts); this class keeps tfjs's (and PyTorch's) rule.
 */
export class AdamOptimizer extends Optimizer {
  static override readonly className: string = 'Adam';
  static override readonly configKeys: readonly string[] = ['learningRate', 'beta1', 'beta2', 'epsilon'];
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  private accBeta1: number;
  private accBeta2: number;
  private c1 = 1;
  private c2 = 1;

  constructor(learningRate: LearningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, options?: ClipOptions) {
    super(options);
    this.learningRate = this.initLearningRate(learningRate);
    this.beta1 = this.checkArg('beta1', beta1);
    this.beta2 = this.checkArg('beta2', beta2);
    this.epsilon = this.epsilonArg(epsilon);
    this.accBeta1 = Math.fround(this.beta1);
    this.accBeta2 = Math.fround(this.beta2);
  }

  protected override beginStep(): void {
    this.c1 = 1 - this.accBeta1;
    this.c2 = 1 - this.accBeta2;
  }

  protected override endStep(): void {
    this.accBeta1 = Math.fround(this.accBeta1 * this.beta1);
    this.accBeta2 = Math.fround(this.accBeta2 * this.beta2);
  }

  protected updateVariable(name: string, value: Float32Array, grad: Float32Array, out: Float32Array): void {
    const n = out.length;
    const m = this.slot(name, 'm', n);
    const v = this.slot(name, 'v', n);
    const { beta1: b1, beta2: b2, learningRate: lr, epsilon: eps, c1, c2 } = this;
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      out[i] = value[i] - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
    }
  }

  override slotLayout(): Array<[string, number]> {
    return [
      ['m', 0],
      ['v', 0],
    ];
  }

  /** tfjs's `setWeights`: the β powers after `iterations` steps, `β^(iterations+1)` in float32. */
  override scalarsAt(iterations: number): { [name: string]: number } {
    return {
      accBeta1: Math.fround(Math.fround(this.beta1) ** (iterations + 1)),
      accBeta2: Math.fround(Math.fround(this.beta2) ** (iterations + 1)),
    };
  }

  protected override stepScalars(): { [name: string]: number } {
    return { accBeta1: this.accBeta1, accBeta2: this.accBeta2 };
  }

  protected override setStepScalars(s: { [name: string]: number }): void {
    this.accBeta1 = s.accBeta1 ?? Math.fround(this.beta1);
    this.accBeta2 = s.accBeta2 ?? Math.fround(this.beta2);
  }

  override dispose(): void {
    super.dispose();
    this.accBeta1 = Math.fround(this.beta1);
    this.accBeta2 = Math.fround(this.beta2);
  }
}
