import { range, Tensor } from '@recurrent/core';
import { layers, Permute } from '@recurrent/layers';
import { runLayerHarness } from '../helpers/layer_harness';

runLayerHarness({
  make: () => layers.permute({ dims: [2, 1] }),
  inputShape: [2, 3, 4],
  expectedOutputShape: [2, 4, 3],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('Permute', () => {
  it('permutes the non-batch axes (1-based dims)', () => {
    const out = new Permute({ dims: [2, 1] }).apply(range(0, 6).reshape([1, 2, 3])) as Tensor;
    expect(out.arraySync()).toEqual([
      [
        [0, 3],
        [1, 4],
        [2, 5],
      ],
    ]);
  });
  it('rejects dims that are not a 1-based permutation, and wrong ranks', () => {
    expect(() => new Permute({ dims: [0, 1], name: 'perm' })).toThrow(/perm: dims \[0,1\] must be a permutation of 1..2/);
    expect(() => new Permute({ dims: [2, 1], name: 'p2' }).apply(range(0, 6).reshape([2, 3]))).toThrow(
      'Input 0 of layer p2 is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: [2,3]',
    );
  });
});
