/** Metrics against hand-computed values and tfjs; getMetric resolution and names; bad input. */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor } from '@recurrent/core';
import {
  binaryAccuracy,
  binaryCrossentropy,
  categoricalAccuracy,
  categoricalCrossentropy,
  getMetric,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  metrics,
  precision,
  r2Score,
  recall,
  sparseCategoricalAccuracy,
  sparseCategoricalCrossentropy,
  huberLoss,
} from '@recurrent/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const arr = (t: Tensor | tf.Tensor) => Array.from(t.dataSync() as ArrayLike<number>);

describe('accuracy metrics (hand-computed)', () => {
  test('binaryAccuracy: per-sample fraction of yTrue == (yPred > 0.5)', () => {
    const y = [
      [1, 0, 1, 1],
      [0, 0, 1, 0],
    ];
    const p = [
      [0.9, 0.4, 0.2, 0.51],
      [0.5, 0.1, 0.7, 0.6],
    ];
    // row 1: hits at 0, 1, 3 → 0.75; row 2: 0.5 is not > 0.5 → hit; hits 0, 1, 2 → 0.75.
    const got = binaryAccuracy(tensor(y), tensor(p));
    expect(got.shape).toEqual([2]);
    expect(arr(got)).toEqual([0.75, 0.75]);
    expect(arr(got)).toEqual(arr(tf.metrics.binaryAccuracy(tf.tensor(y), tf.tensor(p)) as any));
    // threshold 0.3: predictions [1,1,0,1] and [1,0,1,1] → hits 2 of 4 in each row.
    expect(arr(binaryAccuracy(tensor(y), tensor(p), 0.3))).toEqual([0.5, 0.5]);
  });
  test('categoricalAccuracy: argMax agreement', () => {
    const y = [
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ];
    const p = [
      [0.2, 0.7, 0.1],
      [0.3, 0.6, 0.1],
      [0.1, 0.1, 0.8],
    ];
    expect(arr(categoricalAccuracy(tensor(y), tensor(p)))).toEqual([1, 0, 1]);
    expect(arr(categoricalAccuracy(tensor(y), tensor(p)))).toEqual(arr(tf.metrics.categoricalAccuracy(tf.tensor(y), tf.tensor(p)) as any));
  });
  test('sparseCategoricalAccuracy: labels of shape [batch] or [batch, 1], float or int', () => {
    const p = [
      [0.2, 0.7, 0.1],
      [0.3, 0.6, 0.1],
      [0.1, 0.1, 0.8],
    ];
    expect(arr(sparseCategoricalAccuracy(tensor([1, 0, 2]), tensor(p)))).toEqual([1, 0, 1]);
    expect(arr(sparseCategoricalAccuracy(tensor([[1], [0], [2]], [3, 1], 'int32'), tensor(p)))).toEqual([1, 0, 1]);
    expect(arr(sparseCategoricalAccuracy(tensor([1, 0, 2]), tensor(p)))).toEqual(
      arr(tf.metrics.sparseCategoricalAccuracy(tf.tensor([1, 0, 2]), tf.tensor(p)) as any),
    );
  });
  test('precision and recall over the batch (predictions thresholded at 0.5)', () => {
    const y = [
      [1, 0, 1, 1],
      [0, 1, 0, 0],
    ];
    const p = [
      [1, 1, 0, 1],
      [0, 0, 1, 0],
    ];
    // tp = 2 (0,0),(0,3); fp = 2 (0,1),(1,2); fn = 2 (0,2),(1,1).
    expect(arr(precision(tensor(y), tensor(p)))).toEqual([0.5]);
    expect(arr(recall(tensor(y), tensor(p)))).toEqual([0.5]);
    expect(precision(tensor(y), tensor(p)).shape).toEqual([]);
    // Same as tfjs for 0/1 predictions.
    expect(arr(precision(tensor(y), tensor(p)))).toEqual(arr(tf.metrics.precision(tf.tensor(y), tf.tensor(p))));
    expect(arr(recall(tensor(y), tensor(p)))).toEqual(arr(tf.metrics.recall(tf.tensor(y), tf.tensor(p))));
    // Probabilities are thresholded: 0.8 → 1, 0.3 → 0.
    expect(arr(precision(tensor([[1, 0]]), tensor([[0.8, 0.3]])))).toEqual([1]);
    // No predicted positives / no actual positives give 0, as tfjs.
    expect(arr(precision(tensor([[1, 1]]), tensor([[0, 0]])))).toEqual([0]);
    expect(arr(recall(tensor([[0, 0]]), tensor([[1, 1]])))).toEqual([0]);
  });
  test('r2Score as tfjs', () => {
    const y = [1, 2, 3, 4];
    const p = [1.1, 1.9, 3.2, 3.7];
    // 1 - (0.01 + 0.01 + 0.04 + 0.09) / 5 = 0.97.
    expect(arr(r2Score(tensor(y), tensor(p)))[0]).toBeCloseTo(0.97, 6);
    expect(arr(r2Score(tensor(y), tensor(p)))[0]).toBeCloseTo(arr(tf.metrics.r2Score(tf.tensor(y), tf.tensor(p)))[0], 6);
  });
  test('mse / mae / mape metrics are the losses (hand-computed)', () => {
    const y = [
      [1, 2],
      [3, 4],
    ];
    const p = [
      [2, 2],
      [3, 6],
    ];
    expect(arr(metrics.mse(tensor(y), tensor(p)))).toEqual([0.5, 2]);
    expect(arr(metrics.mae(tensor(y), tensor(p)))).toEqual([0.5, 1]);
    const mape = arr(metrics.mape(tensor(y), tensor(p)));
    expect(mape[0]).toBeCloseTo(50, 4); // 100·mean(|1-2|/1, 0)
    expect(mape[1]).toBeCloseTo(25, 4); // 100·mean(0, 2/4)
  });
});

describe('getMetric', () => {
  test.each([
    ['accuracy', 'binaryCrossentropy', binaryAccuracy],
    ['accuracy', 'binary_crossentropy', binaryAccuracy],
    ['acc', binaryCrossentropy, binaryAccuracy],
    ['accuracy', 'sparseCategoricalCrossentropy', sparseCategoricalAccuracy],
    ['acc', 'sparse_categorical_crossentropy', sparseCategoricalAccuracy],
    ['accuracy', 'categoricalCrossentropy', categoricalAccuracy],
    ['accuracy', 'mse', categoricalAccuracy],
    ['accuracy', undefined, categoricalAccuracy],
    ['crossentropy', 'binaryCrossentropy', binaryCrossentropy],
    ['ce', 'sparseCategoricalCrossentropy', sparseCategoricalCrossentropy],
    ['crossentropy', 'categoricalCrossentropy', categoricalCrossentropy],
  ] as [string, any, unknown][])('%s with loss %s', (id, loss, fn) => {
    const m = getMetric(id, loss);
    expect(m.fn).toBe(fn);
    expect(m.name).toBe(id);
  });
  test('a last output dimension of 1 means binary accuracy (tfjs-layers)', () => {
    expect(getMetric('accuracy', 'meanSquaredError', [null, 1]).fn).toBe(binaryAccuracy);
    expect(getMetric('accuracy', 'meanSquaredError', [null, 3]).fn).toBe(categoricalAccuracy);
  });
  test('names as given for strings; registered names for functions', () => {
    expect(getMetric('mse')).toEqual({ name: 'mse', fn: meanSquaredError });
    expect(getMetric('MAE')).toEqual({ name: 'MAE', fn: meanAbsoluteError });
    expect(getMetric('mean_absolute_percentage_error')).toEqual({
      name: 'mean_absolute_percentage_error',
      fn: meanAbsolutePercentageError,
    });
    expect(getMetric('precision')).toEqual({ name: 'precision', fn: precision });
    expect(getMetric('binary_accuracy')).toEqual({ name: 'binary_accuracy', fn: binaryAccuracy });
    expect(getMetric('huber')).toEqual({ name: 'huber', fn: huberLoss });
    expect(getMetric(recall).name).toBe('recall');
    expect(getMetric(meanSquaredError).name).toBe('meanSquaredError');
    const custom = function myMetric(a: Tensor, b: Tensor) {
      return meanSquaredError(a, b);
    };
    expect(getMetric(custom)).toEqual({ name: 'myMetric', fn: custom });
  });
  test('unknown names list the known ones', () => {
    expect(() => getMetric('acuracy')).toThrow(
      /getMetric: unknown metric 'acuracy'; known metrics: accuracy, acc, crossentropy, ce, binaryAccuracy, /,
    );
  });
  test('an unknown loss identifier is reported by getLoss', () => {
    expect(() => getMetric('accuracy', 'nope')).toThrow(/getLoss: unknown loss 'nope'/);
  });
});

describe('bad input', () => {
  test('shape mismatch names the metric and both shapes', () => {
    expect(() => binaryAccuracy(tensor([[1, 0]]), tensor([[1, 0, 1]]))).toThrow(
      'binaryAccuracy: yTrue shape [1,2] and yPred shape [1,3] must match.',
    );
    expect(() => categoricalAccuracy(tensor([[1, 0]]), tensor([1, 0]))).toThrow(
      'categoricalAccuracy: yTrue shape [1,2] and yPred shape [2] must match.',
    );
    expect(() => sparseCategoricalAccuracy(tensor([[0, 1]]), tensor([[0.5, 0.5]]))).toThrow(
      'sparseCategoricalAccuracy: yTrue shape [1,2] must be yPred shape [1,2] without its last axis ([1]) or with a last axis of 1.',
    );
    expect(() => categoricalCrossentropy(tensor([[1, 0]]), tensor([1, 0]))).toThrow(
      /categoricalCrossentropy: yTrue shape \[1,2\] and yPred shape \[2\]/,
    );
    expect(() => sparseCategoricalCrossentropy(tensor([[1, 0]]), tensor([1, 0]))).toThrow(
      /sparseCategoricalCrossentropy: yTrue shape \[1,2\]/,
    );
  });
});
