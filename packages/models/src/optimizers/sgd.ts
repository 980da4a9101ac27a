/** Plain stochastic gradient descent, as tfjs's `SGDOptimizer`. */
import { ClipOptions } from './clip';
import { LearningRate, Optimizer } from './optimizer';

/** `value -= learningRate * grad`. */
export class SGDOptimizer extends Optimizer {
  static override readonly className: string = 'SGD';
  static override readonly configKeys: readonly string[] = ['learningRate'];
  learningRate: number;

  constructor(learningRate: LearningRate, options?: ClipOptions) {
    super(options);
    this.learningRate = this.initLearningRate(learningRate);
  }

  /** Sets the learning rate (tfjs API). */
  setLearningRate(learningRate: number): void {
    this.learningRate = this.checkArg('learningRate', learningRate);
  }

  protected updateVariable(_name: string, value: Float32Array, grad: Float32Array, out: Float32Array): void {
    const lr = this.learningRate;
    for (let i = 0; i < out.length; i++) out[i] = value[i] - lr * grad[i];
  }
}
