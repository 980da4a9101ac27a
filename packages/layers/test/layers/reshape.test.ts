import { range, Tensor } from '@recurrent/core';
import { layers, Reshape } from '@recurrent/layers';
import { runLayerHarness } from '../helpers/layer_harness';

runLayerHarness({
  make: () => layers.reshape({ targetShape: [3, -1] }),
  inputShape: [2, 12],
  expectedOutputShape: [2, 3, 4],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('Reshape', () => {
  it('reshapes each example', () => {
    const out = new Reshape({ targetShape: [2, 2] }).apply(range(0, 8).reshape([2, 4])) as Tensor;
    expect(out.shape).toEqual([2, 2, 2]);
    expect(new Reshape({ targetShape: [-1, 2] }).computeOutputShape([null, null])).toEqual([null, null, 2]);
  });
  it('rejects incompatible sizes and bad target shapes naming the layer and shapes', () => {
    expect(() => new Reshape({ targetShape: [5], name: 'rs' }).apply(range(0, 8).reshape([2, 4]))).toThrow(
      /rs: cannot reshape an input of shape \[2,4\] \(4 values per example\) to the target shape \[5\]/,
    );
    expect(() => new Reshape({ targetShape: [-1, -1], name: 'rs2' })).toThrow(/rs2: targetShape \[-1,-1\]/);
  });
});
