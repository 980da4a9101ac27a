import * as tf from '../../src';
import { Tensor, tensor, tensor1d, tensor2d } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose, expectTensor } from './util';

describe('chained methods', () => {
  const x = tensor2d([
    [1, -2, 3],
    [-4, 5, -6],
  ]);

  it('every op with a tfjs chained name exists on Tensor', () => {
    const names = [
      'add',
      'sub',
      'mul',
      'div',
      'neg',
      'pow',
      'maximum',
      'minimum',
      'squaredDifference',
      'mod',
      'floorDiv',
      'matMul',
      'dot',
      'abs',
      'square',
      'sqrt',
      'rsqrt',
      'reciprocal',
      'exp',
      'expm1',
      'log',
      'log1p',
      'sin',
      'cos',
      'sign',
      'floor',
      'ceil',
      'round',
      'isNaN',
      'isFinite',
      'clipByValue',
      'sigmoid',
      'tanh',
      'relu',
      'relu6',
      'elu',
      'selu',
      'softplus',
      'leakyRelu',
      'prelu',
      'softmax',
      'logSoftmax',
      'sum',
      'mean',
      'max',
      'min',
      'prod',
      'logSumExp',
      'all',
      'any',
      'argMax',
      'argMin',
      'reshape',
      'reshapeAs',
      'flatten',
      'asScalar',
      'as1D',
      'as2D',
      'as3D',
      'as4D',
      'expandDims',
      'squeeze',
      'transpose',
      'slice',
      'concat',
      'stack',
      'unstack',
      'split',
      'gather',
      'reverse',
      'tile',
      'pad',
      'broadcastTo',
      'equal',
      'notEqual',
      'greater',
      'greaterEqual',
      'less',
      'lessEqual',
      'logicalAnd',
      'logicalOr',
      'logicalXor',
      'logicalNot',
      'cast',
      'asType',
      'toFloat',
      'toInt',
      'toBool',
    ];
    const missing = names.filter((n) => typeof (x as unknown as Record<string, unknown>)[n] !== 'function');
    expect(missing).toEqual([]);
  });

  it('methods compute the same as the functions', () => {
    expectTensor(x.sum(1), [2], 'float32', [2, -5]);
    expectTensor(x.sum(1, true), [2, 1], 'float32', [2, -5]);
    expectTensor(x.mean(), [], 'float32', [-0.5]);
    expectTensor(x.max(0), [3], 'float32', [1, 5, 3]);
    expectTensor(x.abs().min(), [], 'float32', [1]);
    expectTensor(x.argMax(1), [2], 'int32', [2, 1]);
    expectTensor(x.transpose(), [3, 2], 'float32', [1, -4, -2, 5, 3, -6]);
    expectTensor(x.square().relu(), [2, 3], 'float32', [1, 4, 9, 16, 25, 36]);
    expectTensor(x.clipByValue(-1, 1), [2, 3], 'float32', [1, -1, 1, -1, 1, -1]);
    expectTensor(x.slice([1, 1]), [1, 2], 'float32', [5, -6]);
    expectTensor(x.gather([1]), [1, 3], 'float32', [-4, 5, -6]);
    expectTensor(x.expandDims(0).squeeze(), [2, 3], 'float32', [1, -2, 3, -4, 5, -6]);
    expectTensor(x.greater(0), [2, 3], 'bool', [1, 0, 1, 0, 1, 0]);
    expectTensor(x.equal(tensor1d([1, 5, 0])), [2, 3], 'bool', [1, 0, 0, 0, 1, 0]);
    expectClose(x.softmax().sum(-1), [1, 1]);
    expectClose(x.exp().log(), x);
    expectClose(x.sigmoid(), x.neg().exp().add(1).reciprocal());
    expectClose(x.tanh(), x.mul(2).sigmoid().mul(2).sub(1));
  });

  it('concat and stack take one tensor or a list', () => {
    const a = tensor1d([1, 2]);
    expectTensor(a.concat(tensor1d([3])), [3], 'float32', [1, 2, 3]);
    expectTensor(a.concat([tensor1d([3]), tensor1d([4])]), [4], 'float32', [1, 2, 3, 4]);
    expectTensor(a.stack(tensor1d([3, 4]), 1), [2, 2], 'float32', [1, 3, 2, 4]);
    expect(a.unstack().length).toBe(2);
    expect(a.split(2).length).toBe(2);
  });

  it('flatten / asScalar / as1D / as2D / as3D / as4D / reshapeAs', () => {
    expect(x.flatten().shape).toEqual([6]);
    expect(x.as1D().shape).toEqual([6]);
    expect(x.as2D(3, 2).shape).toEqual([3, 2]);
    expect(x.as3D(1, 3, 2).shape).toEqual([1, 3, 2]);
    expect(x.as4D(1, 1, 3, 2).shape).toEqual([1, 1, 3, 2]);
    expect(tensor1d([7]).asScalar().shape).toEqual([]);
    expect(x.reshapeAs(tf.zeros([6, 1])).shape).toEqual([6, 1]);
    expect(() => x.asScalar()).toThrow(/asScalar: cannot reshape a tensor of shape \[2,3\] \(size 6\) into shape \[\]/);
    expect(() => x.as2D(4, 2)).toThrow(/as2D: cannot reshape a tensor of shape \[2,3\] \(size 6\) into shape \[4,2\]/);
  });

  it('a chained expression differentiates end to end', () => {
    checkGradients(
      (a: Tensor, b: Tensor) => a.matMul(b).tanh().square().mean(1).add(a.sum(1).sigmoid()),
      [randomInput([2, 3], 1), randomInput([3, 4], 2)],
    );
  });

  it('int32 chained ops keep int32 where tfjs does', () => {
    const xi = tensor([3, -1], [2], 'int32');
    expectTensor(xi.add(1).mul(2).maximum(0), [2], 'int32', [8, 0]);
    expectTensor(xi.sum(), [], 'int32', [2]);
  });
});
