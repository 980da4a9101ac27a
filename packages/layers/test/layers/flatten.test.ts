import { range, Tensor } from '@recurrent/core';
import { Flatten, layers } from '@recurrent/layers';
import { runLayerHarness } from '../helpers/layer_harness';

runLayerHarness({
  make: () => layers.flatten(),
  inputShape: [2, 3, 4],
  expectedOutputShape: [2, 12],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('Flatten', () => {
  it('keeps row-major order; channelsFirst moves channels last first', () => {
    const x = range(0, 12).reshape([1, 2, 3, 2]);
    expect(Array.from((new Flatten().apply(x) as Tensor).dataSync())).toEqual(Array.from(x.dataSync()));
    const cf = new Flatten({ dataFormat: 'channelsFirst' }).apply(range(0, 6).reshape([1, 2, 3])) as Tensor;
    expect(Array.from(cf.dataSync())).toEqual([0, 3, 1, 4, 2, 5]);
  });
  it('rejects rank-1 input and unknown dims in computeOutputShape', () => {
    const f = new Flatten({ name: 'flat' });
    expect(() => f.apply(range(0, 3))).toThrow('Input 0 of layer flat is incompatible with the layer: expected min_ndim=2, found ndim=1');
    expect(() => f.computeOutputShape([null, null, 3])).toThrow(/flat: the shape of the input \(\[null,null,3\]\) is not fully defined/);
  });
});
