/** SGD with momentum, as tfjs's `MomentumOptimizer`. */
import { ClipOptions } from './clip';
import { LearningRate } from './optimizer';
import { SGDOptimizer } from './sgd';

/**
 * tfjs's rule: `accum = momentum * accum + g`, then
 * `value -= lr * (g + momentum * accum)` with Nesterov, else `value -= lr * accum`.
 */
export class MomentumOptimizer extends SGDOptimizer {
  static override readonly className: string = 'Momentum';
  static override readonly configKeys: readonly string[] = ['learningRate', 'momentum', 'useNesterov'];
  momentum: number;
  useNesterov: boolean;

  constructor(learningRate: LearningRate, momentum: number, useNesterov = false, options?: ClipOptions) {
    super(learningRate, options);
    this.momentum = this.checkArg('momentum', momentum);
    this.useNesterov = Boolean(useNesterov);
  }

  /** Sets the momentum (tfjs API). */
  setMomentum(momentum: number): void {
    this.momentum = this.checkArg('momentum', momentum);
  }

  override slotLayout(): Array<[string, number]> {
    return [['momentum', 0]];
  }

  protected override updateVariable(name: string, value: Float32Array, grad: Float32Array, out: Float32Array): void {
    const lr = this.learningRate;
    const m = this.momentum;
    const accum = this.slot(name, 'momentum', out.length);
    if (this.useNesterov) {
      for (let i = 0; i < out.length; i++) {
        const a = m * accum[i] + grad[i];
        accum[i] = a;
        out[i] = value[i] - lr * (grad[i] + m * a);
      }
    } else {
      for (let i = 0; i < out.length; i++) {
        const a = m * accum[i] + grad[i];
        accum[i] = a;
        out[i] = value[i] - lr * a;
      }
    }
  }
}
