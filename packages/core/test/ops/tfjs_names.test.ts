/** The tfjs functions added for sequence-model users exist at our top level under tfjs's names (and are functions). */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';

const added = [
  'topk',
  'unique',
  'gatherND',
  'scatterND',
  'tensorScatterUpdate',
  'stridedSlice',
  'unsortedSegmentSum',
  'searchSorted',
  'lowerBound',
  'upperBound',
  'reverse1d',
  'reverse2d',
  'reverse3d',
  'reverse4d',
  'slice1d',
  'slice2d',
  'slice3d',
  'slice4d',
  'concat1d',
  'concat2d',
  'concat3d',
  'concat4d',
  'pad1d',
  'pad2d',
  'pad3d',
  'pad4d',
  'tensor5d',
  'tensor6d',
  'clone',
  'divNoNan',
  'euclideanNorm',
  'cumprod',
  'outerProduct',
  'sinh',
  'cosh',
  'asin',
  'acos',
  'atan',
  'asinh',
  'acosh',
  'atanh',
  'erf',
  'whereAsync',
  'booleanMaskAsync',
  'setdiff1dAsync',
  'inTopKAsync',
  'print',
  'time',
  'einsum',
  'addN',
  'dropout',
  'mirrorPad',
  'diag',
  'ensureShape',
  'randomUniformInt',
  'randomStandardNormal',
  'rand',
  'movingAverage',
  'enableProdMode',
  'enableDebugMode',
  'disposeVariables',
  'basicLSTMCell',
  'multiRNNCell',
];

it('each is a function in tfjs and in @recurrent/core; math.confusionMatrix and signal.* too', () => {
  const ours = tf as unknown as Record<string, unknown>;
  const theirs = tfjs as unknown as Record<string, unknown>;
  const missing = added.filter((name) => typeof theirs[name] !== 'function' || typeof ours[name] !== 'function');
  expect(missing).toEqual([]);
  expect(typeof tf.math.confusionMatrix).toBe('function');
  expect(typeof tfjs.math.confusionMatrix).toBe('function');
  for (const name of ['hannWindow', 'hammingWindow', 'frame'] as const) {
    expect(typeof tf.signal[name]).toBe('function');
    expect(typeof tfjs.signal[name]).toBe('function');
  }
});
