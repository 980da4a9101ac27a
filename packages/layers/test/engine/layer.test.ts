import { mul, ones, tensor, Tensor } from '@recurrent/core';
import { CallKwargs, InputSpec, Layer, LayerVariable, regularizers, resetNameCounters, Shape, toSnakeCase } from '@recurrent/layers';

/** A minimal custom layer: y = x ⊙ w (w per feature), plus a non-trainable counter weight. */
class Scale extends Layer {
  static override className = 'Scale';
  w: LayerVariable | null = null;
  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    this.w = this.addWeight('w', [shape[shape.length - 1] as number], 'float32', 'ones', regularizers.l2({ l2: 0.5 }));
    this.addWeight('count', [1], 'float32', 'zeros', null, false);
    this.inputSpec = [new InputSpec({ ndim: 3, axes: { [-1]: shape[shape.length - 1] as number } })];
  }
  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    return mul(inputs as Tensor, this.w!);
  }
}

describe('Layer', () => {
  beforeEach(() => resetNameCounters());

  it('names layers like Keras from the snake_case class name, with per-prefix counters', () => {
    expect(toSnakeCase('SimpleRNN')).toBe('simple_rnn');
    expect(toSnakeCase('GRUCell')).toBe('gru_cell');
    expect(toSnakeCase('LSTM')).toBe('lstm');
    expect(toSnakeCase('Conv1D')).toBe('conv1d');
    expect(toSnakeCase('GlobalMaxPooling1D')).toBe('global_max_pooling1d');
    expect(toSnakeCase('PReLU')).toBe('p_re_lu');
    expect(toSnakeCase('BatchNormalization')).toBe('batch_normalization');
    expect(toSnakeCase('RepeatVector')).toBe('repeat_vector');
    expect([new Scale().name, new Scale().name, new Scale({ name: 'mine' }).name, new Scale().name]).toEqual([
      'scale',
      'scale_1',
      'mine',
      'scale_2',
    ]);
    resetNameCounters();
    expect(new Scale().name).toBe('scale');
    expect(new Scale().id).toBeGreaterThan(new Scale().id - 2);
  });

  it('builds lazily on the first apply; weights in tfjs order with layer-scoped names', () => {
    const s = new Scale();
    expect(s.built).toBe(false);
    expect(() => s.countParams()).toThrow(/scale: countParams\(\) was called before the layer was built/);
    s.apply(ones([2, 3, 4]));
    expect(s.built).toBe(true);
    expect(s.weights.map((w) => w.originalName)).toEqual(['scale/w', 'scale/count']);
    expect(s.trainableWeights.map((w) => w.originalName)).toEqual(['scale/w']);
    expect(s.nonTrainableWeights.map((w) => w.originalName)).toEqual(['scale/count']);
    expect(s.countParams()).toBe(5);
  });

  it('checks the inputSpec with Keras-style messages', () => {
    const s = new Scale({ name: 'lstm' });
    s.apply(ones([2, 3, 8]));
    expect(() => s.apply(ones([32, 8]))).toThrow(
      'Input 0 of layer lstm is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: [32,8]',
    );
    expect(() => s.apply(ones([2, 3, 5]))).toThrow(
      'Input 0 of layer lstm is incompatible with the layer: expected axis -1 of input shape to have value 8, but received input with shape [2,3,5]. Full shape received: [2,3,5]',
    );
    expect(() => s.apply('x' as never)).toThrow('Layer lstm: input 0 must be a Tensor, received string.');
  });

  it('trainable=false moves all weights to nonTrainableWeights', () => {
    const s = new Scale();
    s.apply(ones([1, 1, 2]));
    s.trainable = false;
    expect(s.trainableWeights).toEqual([]);
    expect(s.nonTrainableWeights.map((w) => w.originalName)).toEqual(['scale/w', 'scale/count']);
    expect(s.weights.every((w) => !w.trainable)).toBe(true);
    s.trainable = true;
    expect(s.trainableWeights.map((w) => w.originalName)).toEqual(['scale/w']);
  });

  it('losses are the regularization penalties of the current weights', () => {
    const s = new Scale();
    s.apply(ones([1, 1, 2]));
    expect((s.losses[0].dataSync() as Float32Array)[0]).toBeCloseTo(0.5 * 2, 6);
    s.setWeights([tensor([2, 2]), tensor([0])]);
    expect((s.losses[0].dataSync() as Float32Array)[0]).toBeCloseTo(0.5 * 8, 6);
    expect((s.totalLoss()!.dataSync() as Float32Array)[0]).toBeCloseTo(4, 6);
  });

  it('weights given at construction are set after build; setWeights checks count and shapes', () => {
    const s = new Scale({ weights: [tensor([3, 4]), tensor([7])] });
    const out = s.apply(ones([1, 1, 2])) as Tensor;
    expect(Array.from(out.dataSync())).toEqual([3, 4]);
    expect(() => s.setWeights([tensor([1, 2, 3]), tensor([0])])).toThrow(
      "Layer scale: weight 'scale/w' has shape [2], but setWeights received a value of shape [3].",
    );
    expect(() => new Scale({ name: 'unbuilt' }).setWeights([tensor([1])])).toThrow(/unbuilt: .*not built yet/);
  });

  it('addWeight rejects duplicate names and unknown dims', () => {
    class Bad extends Layer {
      static override className = 'Bad';
      override build(): void {
        this.addWeight('k', [2]);
        this.addWeight('k', [2]);
      }
    }
    expect(() => new Bad().apply(ones([1, 2]))).toThrow("Layer bad: duplicate weight name 'k'.");
    class Unknown extends Layer {
      static override className = 'Unknown';
      override build(): void {
        this.addWeight('k', [null, 2]);
      }
    }
    expect(() => new Unknown().apply(ones([1, 2]))).toThrow(/unknown: weight 'k' needs a fully known shape .*\[null,2\]/);
  });

  it('config: name, trainable, batchInputShape (from inputShape + batchSize), dtype; fromConfig both styles', () => {
    const s = new Scale({ inputShape: [3, 4], batchSize: 8, trainable: false });
    expect(s.getConfig()).toEqual({ name: 'scale', trainable: false, batchInputShape: [8, 3, 4], dtype: 'float32' });
    expect(Scale.fromConfig(s.getConfig()).getConfig()).toEqual(s.getConfig());
    expect(Scale.fromConfig(Scale, s.getConfig())).toBeInstanceOf(Scale);
  });

  it('computeMask passes masks through only for layers that support masking', () => {
    const s = new Scale({ name: 'nomask' });
    expect(s.computeMask(ones([1]), null)).toBeNull();
    expect(() => s.computeMask(ones([1]), ones([1]))).toThrow('Layer nomask does not support masking, but was passed an input mask.');
    s.supportsMasking = true;
    const m = ones([1]);
    expect(s.computeMask(ones([1]), m)).toBe(m);
  });

  it('a layer rebuilt under the same name gets uniquely named variables', () => {
    const a = new Scale({ name: 'twin' });
    const b = new Scale({ name: 'twin' });
    a.apply(ones([1, 1, 2]));
    b.apply(ones([1, 1, 2]));
    expect(a.weights[0].name).not.toBe(b.weights[0].name);
    expect(b.weights[0].originalName).toBe('twin/w');
  });
});
