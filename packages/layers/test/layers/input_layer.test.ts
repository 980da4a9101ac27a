import { randomNormal } from '@recurrent/core';
import { InputLayer, layers } from '@recurrent/layers';
import { runLayerHarness } from '../helpers/layer_harness';

runLayerHarness({
  make: () => layers.inputLayer({ inputShape: [3, 4] }),
  inputShape: [2, 3, 4],
  expectedOutputShape: [2, 3, 4],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('InputLayer', () => {
  it('records batchInputShape and checks inputs against it', () => {
    const l = new InputLayer({ inputShape: [3], batchSize: 2, name: 'in' });
    expect(l.batchInputShape).toEqual([2, 3]);
    expect(l.getConfig()).toEqual({ batchInputShape: [2, 3], dtype: 'float32', sparse: false, name: 'in' });
    expect(() => l.apply(randomNormal([2, 4]))).toThrow(
      'Input 0 of layer in is incompatible with the layer: expected shape=[2,3], found shape=[2,4].',
    );
  });
  it('requires a shape', () => {
    expect(() => new InputLayer({ name: 'in2' })).toThrow(/in2: an InputLayer needs inputShape or batchInputShape/);
  });
});
