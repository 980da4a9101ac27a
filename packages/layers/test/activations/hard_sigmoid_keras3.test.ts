/**
 * 'hardSigmoidKeras3': Keras 3's hard_sigmoid relu6(x + 3) / 6, the activation Keras 3 files get for
 * their 'hard_sigmoid' (tfjs's and Keras 2's 'hardSigmoid' is clip(0.2·x + 0.5, 0, 1)).
 */
import { tensor, Tensor } from '@recurrent/core';
import { getActivation, GRU, HardSigmoidKeras3, LSTM, serializeActivation } from '@recurrent/layers';
import { checkGradients } from '@recurrent/test-utils';

const keras3 = (x: number): number => Math.min(6, Math.max(0, x + 3)) / 6;
const xs = [-7, -3.2, -2.5, -1, -0.3, 0, 0.6, 1.5, 2.8, 3.5, 9];

describe('activation hardSigmoidKeras3', () => {
  it('computes relu6(x + 3) / 6 (not tfjs 0.2·x + 0.5)', () => {
    const y = getActivation('hardSigmoidKeras3')
      .apply(tensor([xs]))
      .dataSync();
    xs.forEach((x, i) => expect(y[i]).toBeCloseTo(keras3(x), 6));
    // Hand-worked: at x = 1.5 Keras 3 gives 0.75, tfjs/Keras 2 give 0.8.
    expect(
      getActivation('hardSigmoidKeras3')
        .apply(tensor([1.5]))
        .dataSync()[0],
    ).toBeCloseTo(0.75, 6);
    expect(
      getActivation('hardSigmoid')
        .apply(tensor([1.5]))
        .dataSync()[0],
    ).toBeCloseTo(0.8, 6);
  });

  it('is registered, accepts the snake_case spelling, and serializes as hardSigmoidKeras3', () => {
    expect(getActivation('hard_sigmoid_keras3')).toBeInstanceOf(HardSigmoidKeras3);
    expect(serializeActivation(getActivation('hardSigmoidKeras3'))).toBe('hardSigmoidKeras3');
    expect(getActivation('hard_sigmoid').getClassName()).toBe('hardSigmoid');
  });

  it('gradient matches finite differences (slope 1/6 inside, 0 outside)', () => {
    const act = getActivation('hardSigmoidKeras3');
    checkGradients((x) => act.apply(x), [tensor([[-4.1, -2.2, -0.6, 0.3, 1.7, 2.6, 3.9]])]);
  });

  it.each([
    ['LSTM', (rec: unknown) => new LSTM({ units: 3, recurrentActivation: rec as never, returnSequences: true })],
    ['GRU', (rec: unknown) => new GRU({ units: 3, recurrentActivation: rec as never, resetAfter: true, returnSequences: true })],
  ])('%s: fused kernel with hardSigmoidKeras3 equals the op-by-op path with the same function', (_name, make) => {
    const x = tensor(
      Array.from({ length: 2 * 4 * 2 }, (_, i) => Math.sin(1.3 * i) * 2.5),
      [2, 4, 2],
    );
    const fused = make('hardSigmoidKeras3');
    // A plain function is not a kernel activation, so this layer runs op by op.
    const byOps = make(function keras3HardSigmoid(t: Tensor) {
      return new HardSigmoidKeras3().apply(t);
    });
    const yf = fused.apply(x) as Tensor;
    byOps.build(x.shape);
    byOps.setWeights(fused.getWeights());
    const yo = byOps.apply(x) as Tensor;
    const a = yf.dataSync();
    const b = yo.dataSync();
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
  });
});
