import { tensor, Tensor } from '@recurrent/core';
import { Activation, layers } from '@recurrent/layers';
import { runLayerHarness } from '../helpers/layer_harness';

runLayerHarness({
  make: () => layers.activation({ activation: 'softmax' }),
  inputShape: [3, 4],
  expectedOutputShape: [3, 4],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('Activation layer', () => {
  it('applies the named function', () => {
    const out = new Activation({ activation: 'relu' }).apply(tensor([[-1, 2]])) as Tensor;
    expect(Array.from(out.dataSync())).toEqual([0, 2]);
    expect(new Activation({ activation: 'hard_sigmoid' }).getConfig().activation).toBe('hardSigmoid');
  });
  it('requires an activation and rejects unknown names', () => {
    expect(() => new Activation({} as never)).toThrow(/activation arg is required/);
    expect(() => new Activation({ activation: 'nope' })).toThrow(/Unknown activation 'nope'/);
  });
});
