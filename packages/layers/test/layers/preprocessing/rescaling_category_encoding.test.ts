/** Rescaling and CategoryEncoding: harness, tfjs 4.22 values (and Rescaling's gradients) via the parity helper, bad input. */
import * as tf from '@tensorflow/tfjs';
import { randomNormal, Tensor, tensor } from '@recurrent/core';
import { CategoryEncoding, layers, Rescaling, resetNameCounters } from '@recurrent/layers';
import { runLayerHarness } from '../../helpers/layer_harness';
import { expectTfjsParity } from '../../helpers/tfjs_layer_parity';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

runLayerHarness({
  make: () => layers.rescaling({ scale: 0.5, offset: -1 }),
  inputShape: [2, 5, 3],
  expectedOutputShape: [2, 5, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});
runLayerHarness({
  make: () => layers.categoryEncoding({ numTokens: 6, outputMode: 'count' }),
  inputShape: [3, 4],
  makeInput: () => tensor([0, 1, 1, 5, 2, 2, 2, 2, 3, 4, 0, 1], [3, 4], 'int32'),
  expectedOutputShape: [3, 6],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('Rescaling', () => {
  it('outputs and input gradients as tfjs', () => {
    expectTfjsParity(
      layers.rescaling({ scale: 1 / 127.5, offset: -1 }),
      tf.layers.rescaling({ scale: 1 / 127.5, offset: -1 }),
      randomNormal([2, 4, 3]),
    );
  });
  it('int32 input as tfjs (cast to float32), shapes with null dims', () => {
    const ours = new Rescaling({ scale: 2, offset: 0.5 }).apply(tensor([1, 2, 3], [1, 3], 'int32')) as Tensor;
    const theirs = tf.layers.rescaling({ scale: 2, offset: 0.5 }).apply(tf.tensor2d([1, 2, 3], [1, 3], 'int32')) as tf.Tensor;
    expect(ours.dtype).toBe(theirs.dtype);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    expect(new Rescaling({ scale: 2 }).computeOutputShape([null, null, 4])).toEqual([null, null, 4]);
  });
  it('refuses a missing scale and unknown keys', () => {
    expect(() => layers.rescaling({} as never)).toThrow(/Rescaling: scale must be a number, received nothing/);
    expect(() => layers.rescaling({ scale: 1, offest: 1 } as never)).toThrow(/offest.*did you mean 'offset'/);
  });
});

describe('CategoryEncoding', () => {
  const ids2d = [0, 1, 1, 3, 2, 2, 0, 3];
  it.each([
    ['multiHot', false],
    ['count', true],
  ] as const)('%s of [batch, ids] (and of a 1-D [ids]: %s) as tfjs', (outputMode, withOneD) => {
    const ours = new CategoryEncoding({ numTokens: 5, outputMode });
    const theirs = tf.layers.categoryEncoding({ numTokens: 5, outputMode });
    const cases: Array<[number[], number[]]> = [[ids2d, [2, 4]]];
    if (withOneD) cases.push([[4, 4, 0], [3]]);
    for (const [v, s] of cases) {
      const y = ours.apply(tensor(v.slice(), s.slice(), 'int32')) as Tensor;
      const ty = theirs.apply(tf.tensor(v.slice(), s.slice(), 'int32')) as tf.Tensor;
      expect(y.shape).toEqual(ty.shape);
      expect(Array.from(y.dataSync())).toEqual(Array.from(ty.dataSync()));
      expect(ours.computeOutputShape(s.slice())).toEqual(ty.shape);
    }
  });
  it('multiHot of a 1-D [ids] is 0/1 (tfjs note: tfjs counts there, its 1-D denseBincount ignores binaryOutput)', () => {
    const ty = tf.layers.categoryEncoding({ numTokens: 5, outputMode: 'multiHot' }).apply(tf.tensor1d([4, 4, 0], 'int32')) as tf.Tensor;
    expect(Array.from(ty.dataSync())).toEqual([1, 0, 0, 0, 2]);
    const y = new CategoryEncoding({ numTokens: 5, outputMode: 'multiHot' }).apply(tensor([4, 4, 0], [3], 'int32')) as Tensor;
    expect(Array.from(y.dataSync())).toEqual([1, 0, 0, 0, 1]);
  });
  it('oneHot of [batch] and [batch, 1] as tfjs; [batch, 3] refused (tfjs refuses it too)', () => {
    const ours = new CategoryEncoding({ numTokens: 4, outputMode: 'oneHot' });
    const theirs = tf.layers.categoryEncoding({ numTokens: 4, outputMode: 'oneHot' });
    for (const s of [[3], [3, 1]]) {
      const y = ours.apply(tensor([2, 0, 3], s, 'int32')) as Tensor;
      const ty = theirs.apply(tf.tensor([2, 0, 3], s, 'int32')) as tf.Tensor;
      expect(y.shape).toEqual(ty.shape);
      expect(Array.from(y.dataSync())).toEqual(Array.from(ty.dataSync()));
    }
    expect(() => theirs.apply(tf.tensor2d([1, 2, 3], [1, 3], 'int32'))).toThrow();
    expect(() => ours.apply(tensor([1, 2, 3], [1, 3], 'int32'))).toThrow(
      /input must be \[batch\] or \[batch, 1\] for outputMode oneHot, received shape \[1,3\]/,
    );
    expect(ours.computeOutputShape([null, 1])).toEqual([null, 4]);
  });
  it('refuses ids out of range (as tfjs), bad numTokens / outputMode, countWeights', () => {
    const enc = new CategoryEncoding({ numTokens: 3 });
    expect(() => tf.layers.categoryEncoding({ numTokens: 3 }).apply(tf.tensor2d([[0, 3]], [1, 2], 'int32'))).toThrow();
    expect(() => enc.apply(tensor([0, 3], [1, 2], 'int32'))).toThrow(
      /ids must be integers in \[0, 3\) \(numTokens 3\), received 3 at flat index 1/,
    );
    expect(() => enc.apply(tensor([-1, 0], [1, 2], 'int32'))).toThrow(/received -1/);
    expect(() => layers.categoryEncoding({ numTokens: 0 })).toThrow(/CategoryEncoding: numTokens must be a positive integer, received 0/);
    expect(() => layers.categoryEncoding({ numTokens: 3, outputMode: 'tfIdf' as 'count' })).toThrow(
      /outputMode must be one of oneHot, multiHot, count, received "tfIdf"/,
    );
    expect(() => enc.apply(tensor([0], [1, 1], 'int32'), { countWeights: tensor([1], [1, 1]) } as never)).toThrow(
      /countWeights is not supported/,
    );
  });
});
