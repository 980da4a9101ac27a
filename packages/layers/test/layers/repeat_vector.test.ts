import { tensor, Tensor } from '@recurrent/core';
import { layers, RepeatVector } from '@recurrent/layers';
import { runLayerHarness } from '../helpers/layer_harness';

runLayerHarness({
  make: () => layers.repeatVector({ n: 3 }),
  inputShape: [2, 5],
  expectedOutputShape: [2, 3, 5],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('RepeatVector', () => {
  it('repeats each vector n times', () => {
    const out = new RepeatVector({ n: 2 }).apply(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    ) as Tensor;
    expect(out.arraySync()).toEqual([
      [
        [1, 2],
        [1, 2],
      ],
      [
        [3, 4],
        [3, 4],
      ],
    ]);
  });
  it('rejects a bad n and non-2D input', () => {
    expect(() => new RepeatVector({ n: 0, name: 'rv' })).toThrow(/rv: n must be a positive integer, received 0/);
    expect(() => new RepeatVector({ n: 2, name: 'rv2' }).apply(tensor([[[1]]]))).toThrow(/layer rv2 .*expected ndim=2, found ndim=3/);
  });
});
