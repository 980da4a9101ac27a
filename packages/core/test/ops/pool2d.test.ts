/**
 * maxPool2d / avgPool2d: values against a float64 window loop written here and against tfjs's maxPool/avgPool
 * (cpu), gradients against tfjs and by finite differences, a hand-worked case, and bad input.
 */
import * as tfjs from '@tensorflow/tfjs';
import { avgPool2d, grads, maxPool2d, mul, sum, Tensor, tensor } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

const toTf = (t: Tensor) => tfjs.tensor(Array.from(t.dataSync()), t.shape.slice());

/** float64 pooling with TensorFlow's geometry: 'same' pads ⌊total / 2⌋ before, padded positions not counted. */
function poolRef(x: Tensor, k: [number, number], s: [number, number], pad: 'valid' | 'same', mode: 'max' | 'avg'): number[] {
  const [B, H, W, C] = x.shape;
  const xv = Array.from(x.dataSync());
  const axis = (n: number, kk: number, ss: number): [number, number] => {
    if (pad === 'valid') return [Math.floor((n - kk) / ss) + 1, 0];
    const out = Math.ceil(n / ss);
    return [out, Math.floor(Math.max((out - 1) * ss + kk - n, 0) / 2)];
  };
  const [oh, pt] = axis(H, k[0], s[0]);
  const [ow, pl] = axis(W, k[1], s[1]);
  const out: number[] = [];
  for (let b = 0; b < B; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let c = 0; c < C; c++) {
          const vals: number[] = [];
          for (let dy = 0; dy < k[0]; dy++)
            for (let dx = 0; dx < k[1]; dx++) {
              const y = i * s[0] - pt + dy;
              const xx = j * s[1] - pl + dx;
              if (y >= 0 && y < H && xx >= 0 && xx < W) vals.push(xv[((b * H + y) * W + xx) * C + c]);
            }
          out.push(mode === 'max' ? Math.max(...vals) : vals.reduce((a, v) => a + v, 0) / vals.length);
        }
  return out;
}

describe('maxPool2d / avgPool2d', () => {
  const combos: Array<[[number, number], [number, number], 'valid' | 'same']> = [
    [[2, 2], [2, 2], 'valid'],
    [[3, 3], [1, 1], 'same'],
    [[3, 2], [2, 1], 'same'],
    [[2, 3], [3, 2], 'valid'],
    [[2, 2], [3, 3], 'same'],
  ];
  combos.forEach(([k, s, pad]) => {
    it(`pool ${k}, strides ${s}, ${pad}: float64 reference, tfjs values and gradients, finite differences`, () => {
      const x = randomInput([2, 7, 6, 3], 21);
      const spaced = tensor(
        Array.from({ length: 252 }, (_, i) => ((i * 37) % 252) * 0.05 - 6),
        [2, 7, 6, 3],
      );
      const ours: Array<[(a: Tensor) => Tensor, (a: tfjs.Tensor) => tfjs.Tensor, 'max' | 'avg']> = [
        [(a) => maxPool2d(a, k, s, pad), (a) => tfjs.maxPool(a as tfjs.Tensor4D, k, s, pad), 'max'],
        [(a) => avgPool2d(a, k, s, pad), (a) => tfjs.avgPool(a as tfjs.Tensor4D, k, s, pad), 'avg'],
      ];
      for (const [op, theirs, mode] of ours) {
        const y = op(x);
        expectClose(y, poolRef(x, k, s, pad, mode), 1e-6);
        const yt = theirs(toTf(x));
        expect(y.shape).toEqual(yt.shape);
        expectClose(y, Array.from(yt.dataSync()), 1e-6);
        // Max windows: finite differences need values further apart than 2·eps (no near-ties), so a permutation of a 0.05 grid.
        checkGradients(op, [mode === 'max' ? spaced : x]);
        // tfjs's avgPool gradient divides 'same' windows by the full window size (its forward does not):
        // there the finite differences above are the reference.
        if (mode === 'avg' && pad === 'same') continue;
        const dy = randomInput(y.shape, 22);
        const [gx] = grads((a: Tensor) => sum(mul(op(a), dy)))([x]);
        const [tx] = tfjs.grads((a: tfjs.Tensor) => tfjs.sum(tfjs.mul(theirs(a), toTf(dy))))([toTf(x)]);
        expectClose(gx, Array.from(tx.dataSync()), 1e-6);
      }
    });
  });

  it('hand-worked 3x3 image, 2x2 windows', () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    // 'valid', stride 1: windows {1,2,4,5} {2,3,5,6} {4,5,7,8} {5,6,8,9}.
    expectClose(maxPool2d(x, 2, 1), [5, 6, 8, 9]);
    expectClose(avgPool2d(x, 2, 1), [3, 4, 6, 7]);
    // 'same', stride 2: padding one row/column at the bottom/right → {1,2,4,5} {3,6} {7,8} {9}.
    expectClose(avgPool2d(x, 2, 2, 'same'), [3, 4.5, 7.5, 9]);
    expectClose(maxPool2d(x, 2, 2, 'same'), [5, 6, 8, 9]);
  });

  it('NaN wins a max window and takes the gradient', () => {
    const x = tensor([1, NaN, 3, 0], [1, 2, 2, 1]);
    expect(Number.isNaN(maxPool2d(x, 2).dataSync()[0])).toBe(true);
  });

  it('bad input names the op, the argument, what was expected and what came', () => {
    expect(() => maxPool2d(tensor([1, 2, 3], [1, 3, 1]), 2)).toThrow(
      'maxPool2d: x must have rank 4 [batch, rows, cols, channels], received shape [1,3,1].',
    );
    expect(() => avgPool2d(tensor([1, 2, 3, 4], [1, 2, 2, 1]), [2, 0])).toThrow(
      'avgPool2d: poolSize must be a positive integer or a pair [rows, cols] of them, received [2,0].',
    );
    expect(() => maxPool2d(tensor([1, 2, 3, 4], [1, 2, 2, 1]), 2, [1, 2, 3] as unknown as number)).toThrow('maxPool2d: strides must be');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(() => maxPool2d(tensor([1, 2, 3, 4], [1, 2, 2, 1]), 2, 1, 'full' as any)).toThrow(
      `maxPool2d: padding must be 'valid' or 'same', received "full".`,
    );
    expect(() => avgPool2d(tensor([1, 2, 3, 4], [1, 1, 4, 1]), 2)).toThrow(
      /avgPool2d \(x shape \[1,1,4,1\], rows\): the window \(kernel size 2/,
    );
  });
});
