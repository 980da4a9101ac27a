/** math.confusionMatrix against tfjs (cpu); out-of-range and non-integer ids refused. */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { ValueError } from '../../src';
import { expectTensor } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

describe('math.confusionMatrix', () => {
  it.each([
    [[0, 1, 2, 1, 0], [0, 2, 2, 1, 1], 3],
    [[0, 1, 1], [0, 1, 0], 2],
    [[1, 1, 1], [1, 1, 1], 4],
    [[], [], 2],
  ])('labels %j, predictions %j, %j classes as tfjs (int32 and float32 ids)', (labels, preds, n) => {
    const theirs = tfjs.math.confusionMatrix(tfjs.tensor1d(labels, 'int32'), tfjs.tensor1d(preds, 'int32'), n);
    expectTensor(
      tf.math.confusionMatrix(tf.tensor(labels, [labels.length], 'int32'), tf.tensor(preds, [preds.length], 'int32'), n),
      theirs.shape,
      'int32',
      Array.from(theirs.dataSync()),
    );
    expectTensor(tf.math.confusionMatrix(tf.tensor1d(labels), tf.tensor1d(preds), n), theirs.shape, 'int32', Array.from(theirs.dataSync()));
  });
  it('refuses ids outside [0, numClasses) and non-integer ids (tfjs note: tfjs drops / truncates them)', () => {
    expect(Array.from(tfjs.math.confusionMatrix(tfjs.tensor1d([0, 3], 'int32'), tfjs.tensor1d([0, 1], 'int32'), 2).dataSync())).toEqual([
      1, 0, 0, 0,
    ]);
    const f = (): tf.Tensor => tf.math.confusionMatrix(tf.tensor([0, 3], [2], 'int32'), tf.tensor([0, 1], [2], 'int32'), 2);
    expect(f).toThrow(ValueError);
    expect(f).toThrow(/confusionMatrix: labels\[1\] = 3 is not a class id, expected an integer in \[0, 2\)/);
    expect(() => tf.math.confusionMatrix(tf.tensor1d([0, 1]), tf.tensor1d([0, 1.5]), 2)).toThrow(
      /predictions\[1\] = 1.5 is not a class id/,
    );
    expect(() => tf.math.confusionMatrix(tf.tensor1d([0, 1]), tf.tensor1d([0]), 2)).toThrow(
      /'labels' and 'predictions' must be 1-D of the same length, received shapes \[2\] and \[1\]/,
    );
    expect(() => tf.math.confusionMatrix(tf.tensor1d([0]), tf.tensor1d([0]), 0)).toThrow(
      /argument 'numClasses' must be a positive integer, received 0/,
    );
  });
  it('refuses a numClasses whose matrix would exceed 2^31 elements by name (it threw a bare RangeError)', () => {
    expect(() => tf.math.confusionMatrix(tf.tensor1d([0], 'int32'), tf.tensor1d([0], 'int32'), 1e5)).toThrow(ValueError);
    expect(() => tf.math.confusionMatrix(tf.tensor1d([0], 'int32'), tf.tensor1d([0], 'int32'), 1e5)).toThrow(
      /confusionMatrix: shape \[100000,100000\] has 10000000000 elements, over the limit of 2\^31/,
    );
  });
});
