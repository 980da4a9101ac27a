/** Adamax, as tfjs's `AdamaxOptimizer`. */
import { ClipOptions } from './clip';
import { LearningRate, Optimizer } from './optimizer';

/**
 * tfjs's rule: `m = β1 m + (1-β1) g`, `u = max(β2 u, |g|)`,
 * `value -= lr / (1 + decay·t) / (1-β1ᵗ) * m / (u + ε)` with t counted from 0.
 *
 * tfjs note: the default epsilon is tfjs's backend epsilon (1e-7), not Keras's 1e-8.
 */
export class AdamaxOptimizer extends Optimizer {
  static override readonly className: string = 'Adamax';
  static override readonly configKeys: readonly string[] = ['learningRate', 'beta1', 'beta2', 'epsilon', 'decay'];
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  decay: number;
  private accBeta1: number;
  private step = 0;
  private scale = 0;

  constructor(
    learningRate: LearningRate = 0.002,
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon: number | null = null,
    decay = 0,
    options?: ClipOptions,
  ) {
    super(options);
    this.learningRate = this.initLearningRate(learningRate);
    this.beta1 = this.checkArg('beta1', beta1);
    this.beta2 = this.checkArg('beta2', beta2);
    this.epsilon = this.epsilonArg(epsilon);
    this.decay = this.checkArg('decay', decay);
    this.accBeta1 = Math.fround(this.beta1);
  }

  protected override beginStep(): void {
    const lr = this.learningRate / (this.step * this.decay + 1);
    this.scale = lr / (1 - this.accBeta1);
  }

  protected override endStep(): void {
    this.step++;
    this.accBeta1 = Math.fround(this.accBeta1 * this.beta1);
  }

  protected updateVariable(name: string, value: Float32Array, grad: Float32Array, out: Float32Array): void {
    const n = out.length;
    const m = this.slot(name, 'm', n);
    const u = this.slot(name, 'v', n);
    const { beta1: b1, beta2: b2, epsilon: eps, scale } = this;
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const a = b2 * u[i];
      const ag = Math.abs(g);
      const ui = a > ag ? a : ag;
      m[i] = mi;
      u[i] = ui;
      out[i] = value[i] - scale * (mi / (ui + eps));
    }
  }

  override slotLayout(): Array<[string, number]> {
    return [
      ['m', 0],
      ['v', 0],
    ];
  }

  /** The step count and β1 power after `iterations` steps (as Adam's in tfjs's `setWeights`). */
  override scalarsAt(iterations: number): { [name: string]: number } {
    return { accBeta1: Math.fround(Math.fround(this.beta1) ** (iterations + 1)), step: iterations };
  }

  protected override stepScalars(): { [name: string]: number } {
    return { accBeta1: this.accBeta1, step: this.step };
  }

  protected override setStepScalars(s: { [name: string]: number }): void {
    this.accBeta1 = s.accBeta1 ?? Math.fround(this.beta1);
    this.step = s.step ?? 0;
  }

  override dispose(): void {
    super.dispose();
    this.step = 0;
    this.accBeta1 = Math.fround(this.beta1);
  }
}
