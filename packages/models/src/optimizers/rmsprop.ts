/** RMSProp, as tfjs's `RMSPropOptimizer`. */
import { ClipOptions } from './clip';
import { LearningRate, Optimizer } from './optimizer';
import { ValueError } from '@recurrent/core';

/**
 * tfjs's rule: `ms = ρ ms + (1-ρ) g²`, `mom = momentum·mom + lr·g / sqrt(ms + ε)`, `value -= mom`.
 * Centered: `mg = ρ mg + (1-ρ) g` and the denominator is `sqrt(ms - mg² + ε)`.
 *
 * tfjs note: tfjs's centered variant computes `sqrt(ms - (mg² + ε))` (ε subtracted), which is NaN
 * when a gradient stays at zero; we use TensorFlow's `sqrt(ms - mg² + ε)`.
 */
export class RMSPropOptimizer extends Optimizer {
  static override readonly className: string = 'RMSProp';
  static override readonly configKeys: readonly string[] = ['learningRate', 'decay', 'momentum', 'epsilon', 'centered'];
  learningRate: number;
  decay: number;
  momentum: number;
  epsilon: number;
  centered: boolean;

  constructor(
    learningRate: LearningRate,
    decay = 0.9,
    momentum = 0,
    epsilon: number | null = null,
    centered = false,
    options?: ClipOptions,
  ) {
    super(options);
    if (learningRate == null) throw new ValueError(`${this.getClassName()}: learningRate must be defined.`);
    this.learningRate = this.initLearningRate(learningRate);
    this.decay = this.checkArg('decay', decay);
    this.momentum = this.checkArg('momentum', momentum);
    this.epsilon = this.epsilonArg(epsilon);
    this.centered = Boolean(centered);
  }

  override slotLayout(): Array<[string, number]> {
    return this.centered
      ? [
          ['rms', 0],
          ['momentum', 0],
          ['mg', 0],
        ]
      : [
          ['rms', 0],
          ['momentum', 0],
        ];
  }

  protected updateVariable(name: string, value: Float32Array, grad: Float32Array, out: Float32Array): void {
    const n = out.length;
    const ms = this.slot(name, 'rms', n);
    const mom = this.slot(name, 'momentum', n);
    const { decay: rho, momentum, learningRate: lr, epsilon: eps } = this;
    if (this.centered) {
      const mg = this.slot(name, 'mg', n);
      for (let i = 0; i < n; i++) {
        const g = grad[i];
        const s = rho * ms[i] + (1 - rho) * g * g;
        const a = rho * mg[i] + (1 - rho) * g;
        const mo = momentum * mom[i] + (lr * g) / Math.sqrt(s - a * a + eps);
        ms[i] = s;
        mg[i] = a;
        mom[i] = mo;
        out[i] = value[i] - mo;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const g = grad[i];
        const s = rho * ms[i] + (1 - rho) * g * g;
        const mo = momentum * mom[i] + (lr * g) / Math.sqrt(s + eps);
        ms[i] = s;
        mom[i] = mo;
        out[i] = value[i] - mo;
      }
    }
  }
}
