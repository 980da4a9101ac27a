/**
 * ConvLSTM1D with strides > 1 and dilationRate > 1 together (Keras 3 refuses the pair; here the input convolution
 * applies both, as Conv1D): one step from zero states against a float64 formula, so the input convolution's
 * offsets under 'same' and 'valid' padding are checked directly (out[o] = Σ_k x[o·s + k·d − padLeft] · W[k]).
 */
import { Tensor } from '@recurrent/core';
import { ConvLSTM1D } from '@recurrent/layers';
import { uniform } from './rnn_test_utils';

const sig = (v: number) => 1 / (1 + Math.exp(-v));

describe('ConvLSTM1D: strides and dilation together, one step, float64 formula', () => {
  it.each([
    { padding: 'same' as const, steps: 7, out: 4, padLeft: 2 },
    { padding: 'same' as const, steps: 8, out: 4, padLeft: 1 },
    { padding: 'valid' as const, steps: 9, out: 3, padLeft: 0 },
  ])('$padding on $steps steps: $out outputs', ({ padding, steps, out, padLeft }) => {
    const F = 2;
    const C = 2;
    const layer = new ConvLSTM1D({ filters: F, kernelSize: 3, strides: 2, dilationRate: 2, padding, recurrentActivation: 'sigmoid' });
    const x = uniform([1, 1, steps, C], 5);
    layer.apply(x);
    layer.setWeights(layer.getWeights().map((w, i) => uniform(w.shape.slice(), 20 + i, -0.7, 0.7)));
    const [k, , b] = layer.getWeights().map((w) => w.dataSync());
    const xv = x.dataSync();
    const y = layer.apply(x) as Tensor;
    expect(y.shape).toEqual([1, out, F]);
    const expected: number[] = [];
    for (let o = 0; o < out; o++) {
      const z = Array.from({ length: 4 * F }, (_, g) => b[g]);
      for (let t = 0; t < 3; t++) {
        const pos = o * 2 + t * 2 - padLeft;
        if (pos < 0 || pos >= steps) continue;
        for (let c = 0; c < C; c++) for (let g = 0; g < 4 * F; g++) z[g] += xv[pos * C + c] * k[(t * C + c) * 4 * F + g];
      }
      for (let f = 0; f < F; f++) {
        const cell = sig(z[f]) * Math.tanh(z[2 * F + f]); // i ⊙ tanh(z_c); the forget term is 0 from a zero state
        expected.push(sig(z[3 * F + f]) * Math.tanh(cell));
      }
    }
    const got = Array.from(y.dataSync());
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });
});
