/** Adagrad, as tfjs's `AdagradOptimizer`. */
import { ClipOptions } from './clip';
import { EPSILON, LearningRate, Optimizer } from './optimizer';

/** tfjs's rule: `accum += g²`, `value -= lr · g / sqrt(accum + ε)` with ε = 1e-7 and accum starting at `initialAccumulatorValue`. */
export class AdagradOptimizer extends Optimizer {
  static override readonly className: string = 'Adagrad';
  static override readonly configKeys: readonly string[] = ['learningRate', 'initialAccumulatorValue'];
  learningRate: number;
  initialAccumulatorValue: number;

  constructor(learningRate: LearningRate, initialAccumulatorValue = 0.1, options?: ClipOptions) {
    super(options);
    this.learningRate = this.initLearningRate(learningRate);
    this.initialAccumulatorValue = this.checkArg('initialAccumulatorValue', initialAccumulatorValue);
  }

  override slotLayout(): Array<[string, number]> {
    return [['accumulator', this.initialAccumulatorValue]];
  }

  protected updateVariable(name: string, value: Float32Array, grad: Float32Array, out: Float32Array): void {
    const n = out.length;
    const acc = this.slot(name, 'accumulator', n, this.initialAccumulatorValue);
    const lr = this.learningRate;
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const a = acc[i] + g * g;
      acc[i] = a;
      out[i] = value[i] - (lr * g) / Math.sqrt(a + EPSILON);
    }
  }
}
