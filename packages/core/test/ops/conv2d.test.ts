/**
 * conv2d: a hand-worked case, tfjs `tf.conv2d` values and gradients (w.r.t. x and filter, with the
 * same dy) for valid/same padding, strides, dilations and odd sizes, finite-difference gradients,
 * convOutputLength, and bad input.
 */
import * as tfjs from '@tensorflow/tfjs';
import { conv2d, convOutputLength, getBackend, grads, ready, setBackend, Tensor, tensor } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';
import { expectClose } from './util';

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

const toTf = (t: Tensor) => tfjs.tensor(Array.from(t.dataSync()), t.shape.slice());

describe('conv2d', () => {
  it('hand-worked 3x3 input, 2x2 filter, valid and same', () => {
    // x = 1..9 in a 3x3 image, one channel; filter [[1, 0], [0, -1]] (one in, one out channel).
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const f = tensor([1, 0, 0, -1], [2, 2, 1, 1]);
    // Each output = x[y][x] − x[y+1][x+1] = −4 everywhere in 'valid'.
    expectClose(conv2d(x, f), [-4, -4, -4, -4]);
    expect(conv2d(x, f).shape).toEqual([1, 2, 2, 1]);
    // 'same' pads one row/column at the bottom/right (TensorFlow): the last row/column see zeros.
    expectClose(conv2d(x, f, 1, 'same'), [-4, -4, 3, -4, -4, 6, 7, 8, 9]);
  });

  const cases: {
    title: string;
    x: number[];
    f: number[];
    strides?: number | [number, number];
    pad: 'valid' | 'same';
    dil?: number | [number, number];
  }[] = [
    { title: 'valid 3x3', x: [2, 6, 5, 3], f: [3, 3, 3, 4], pad: 'valid' },
    { title: 'same 3x3', x: [2, 6, 5, 3], f: [3, 3, 3, 4], pad: 'same' },
    { title: 'same 2x2 (even filter)', x: [1, 5, 4, 2], f: [2, 2, 2, 3], pad: 'same' },
    { title: 'valid strides 2', x: [2, 7, 6, 2], f: [3, 3, 2, 3], pad: 'valid', strides: 2 },
    { title: 'same strides [2,3]', x: [2, 7, 8, 2], f: [3, 2, 2, 3], pad: 'same', strides: [2, 3] },
    { title: 'valid dilation 2', x: [1, 7, 7, 2], f: [3, 3, 2, 2], pad: 'valid', dil: 2 },
    { title: 'same dilation [2,1]', x: [2, 6, 5, 2], f: [3, 2, 2, 3], pad: 'same', dil: [2, 1] },
    { title: '1x1 filter', x: [2, 3, 4, 5], f: [1, 1, 5, 2], pad: 'valid' },
    { title: 'filter wider than the image, same', x: [1, 2, 3, 1], f: [3, 5, 1, 2], pad: 'same' },
  ];
  // tfjs has no gradient for dilated conv2d: there only the values are compared (finite differences check ours).
  it.each(cases)('$title: values (and gradients without dilation) match tfjs', (c) => {
    const x = randomInput(c.x, 1);
    const f = randomInput(c.f, 2);
    const strides = c.strides ?? 1;
    const dil = c.dil ?? 1;
    const y = conv2d(x, f, strides, c.pad, 'NHWC', dil);
    const ty = tfjs.conv2d(toTf(x) as tfjs.Tensor4D, toTf(f) as tfjs.Tensor4D, strides, c.pad, 'NHWC', dil);
    expect(y.shape).toEqual(ty.shape);
    expectClose(y, Array.from(ty.dataSync()), 1e-5);
    if (c.dil !== undefined) return;
    const dy = randomInput(y.shape.slice(), 3);
    const [gx, gf] = grads((a: Tensor, b: Tensor) => conv2d(a, b, strides, c.pad, 'NHWC', dil))([x, f], dy);
    const [tgx, tgf] = tfjs.grads((a: tfjs.Tensor, b: tfjs.Tensor) =>
      tfjs.conv2d(a as tfjs.Tensor4D, b as tfjs.Tensor4D, strides, c.pad, 'NHWC', dil),
    )([toTf(x), toTf(f)], toTf(dy));
    expect(gx.shape).toEqual(c.x);
    expect(gf.shape).toEqual(c.f);
    expectClose(gx, Array.from(tgx.dataSync()), 1e-4);
    expectClose(gf, Array.from(tgf.dataSync()), 1e-4);
  });

  it('strides and dilations together (tfjs refuses): against a float64 direct convolution', () => {
    const x = randomInput([1, 9, 8, 2], 4);
    const f = randomInput([2, 3, 2, 2], 5);
    const y = conv2d(x, f, [2, 2], 'same', 'NHWC', [2, 2]);
    // same: out = ceil(9/2)=5, ceil(8/2)=4; effective filter 3x5; pads: rows (4·2+3−9)=2 → top 1; cols (3·2+5−8)=3 → left 1.
    expect(y.shape).toEqual([1, 5, 4, 2]);
    const xv = x.dataSync();
    const fv = f.dataSync();
    const expected: number[] = [];
    for (let oy = 0; oy < 5; oy++)
      for (let ox = 0; ox < 4; ox++)
        for (let o = 0; o < 2; o++) {
          let s = 0;
          for (let ky = 0; ky < 2; ky++)
            for (let kx = 0; kx < 3; kx++) {
              const iy = oy * 2 + ky * 2 - 1;
              const ix = ox * 2 + kx * 2 - 1;
              if (iy < 0 || iy >= 9 || ix < 0 || ix >= 8) continue;
              for (let c = 0; c < 2; c++) s += xv[(iy * 8 + ix) * 2 + c] * fv[((ky * 3 + kx) * 2 + c) * 2 + o];
            }
          expected.push(s);
        }
    expectClose(y, expected, 1e-5);
  });

  it('finite-difference gradients (same + strides, dilations, strides with dilations, rank-3 input)', () => {
    checkGradients((a, b) => conv2d(a, b, 2, 'same'), [randomInput([1, 5, 4, 2], 6), randomInput([3, 2, 2, 2], 7)]);
    checkGradients((a, b) => conv2d(a, b, 1, 'valid', 'NHWC', 2), [randomInput([2, 5, 5, 1], 8), randomInput([2, 2, 1, 2], 9)]);
    checkGradients((a, b) => conv2d(a, b, 1, 'same'), [randomInput([3, 3, 2], 10), randomInput([2, 2, 2, 1], 11)]);
    checkGradients((a, b) => conv2d(a, b, 1, 'same', 'NHWC', [2, 1]), [randomInput([1, 5, 4, 2], 16), randomInput([3, 2, 2, 2], 17)]);
    checkGradients((a, b) => conv2d(a, b, 2, 'same', 'NHWC', 2), [randomInput([1, 5, 5, 1], 18), randomInput([2, 2, 1, 2], 19)]);
  });

  it('a rank-3 input is one image: [h, w, c] → [oh, ow, outC]', () => {
    const x = randomInput([4, 4, 2], 12);
    const f = randomInput([3, 3, 2, 3], 13);
    const y = conv2d(x, f, 1, 'same');
    expect(y.shape).toEqual([4, 4, 3]);
    expectClose(y, Array.from(conv2d(x.reshape([1, 4, 4, 2]), f, 1, 'same').dataSync()));
  });

  it("the 'js' and 'wasm' backends (gemm kernels) agree on values and gradients", async () => {
    const x = randomInput([2, 9, 8, 6], 20);
    const f = randomInput([3, 3, 6, 8], 21);
    const dy = randomInput([2, 5, 4, 8], 22);
    const run = () => {
      const y = conv2d(x, f, 2, 'same');
      const [gx, gf] = grads((a: Tensor, b: Tensor) => conv2d(a, b, 2, 'same'))([x, f], dy);
      return [y, gx, gf].map((t) => Array.from(t.dataSync()));
    };
    try {
      await setBackend('js');
      expect(getBackend()).toBe('js');
      const js = run();
      await setBackend('wasm');
      await ready();
      expect(getBackend()).toBe('wasm');
      const wasm = run();
      js.forEach((v, i) => expectClose(tensor(wasm[i], [wasm[i].length]), v, 1e-5));
    } finally {
      await setBackend('wasm');
    }
  });

  it('convOutputLength as Keras/tfjs', () => {
    expect(convOutputLength(7, 3, 'valid', 1)).toBe(5);
    expect(convOutputLength(7, 3, 'valid', 2)).toBe(3);
    expect(convOutputLength(7, 3, 'same', 2)).toBe(4);
    expect(convOutputLength(7, 3, 'valid', 1, 2)).toBe(3);
    expect(convOutputLength(null, 3, 'same', 1)).toBeNull();
  });

  it('bad input names the op, the argument and the shapes', () => {
    const x = randomInput([1, 4, 4, 2], 14);
    const f = randomInput([3, 3, 2, 1], 15);
    expect(() => conv2d(randomInput([4, 4], 1), f)).toThrow(
      'conv2d: x must have rank 4 [batch, height, width, inChannels] (or 3 without the batch), received shape [4,4].',
    );
    expect(() => conv2d(x, randomInput([3, 3, 2], 1))).toThrow(
      'conv2d: filter must have rank 4 [filterHeight, filterWidth, inChannels, outChannels], received shape [3,3,2].',
    );
    expect(() => conv2d(x, randomInput([3, 3, 3, 1], 1))).toThrow(
      "conv2d: the input channels of x (shape [1,4,4,2], 2 channels) must equal the filter's inChannels (shape [3,3,3,1], 3).",
    );
    expect(() => conv2d(x, randomInput([5, 3, 2, 1], 1))).toThrow(
      "conv2d: with 'valid' padding the (dilated) filter 5x3 is larger than the input 4x4",
    );
    expect(() => conv2d(x, f, 0)).toThrow('conv2d: strides must be a positive integer or a pair of them, received 0.');
    expect(() => conv2d(x, f, 1, 'valid', 'NHWC', [1, 2, 3] as never)).toThrow(
      'conv2d: dilations must be a positive integer or a pair of them, received [1,2,3].',
    );
    expect(() => conv2d(x, f, 1, 'full' as never)).toThrow(`conv2d: pad must be 'valid' or 'same', received "full".`);
    expect(() => conv2d(x, f, 1, 'valid', 'NCHW' as never)).toThrow(`conv2d: dataFormat must be 'NHWC' (channels last), received "NCHW".`);
  });
});
