/**
 * conv1d and the 1-D pooling ops: forward values against a float64 direct loop in the test and against
 * tfjs (cpu), gradients by finite differences and against tfjs, on both backends ('js' and 'wasm': the
 * gemm runs in wasm for large enough problems), and bad input.
 */
import * as tfjs from '@tensorflow/tfjs';
import * as tf from '../../src';
import { Tensor } from '../../src';
import { checkGradients, randomInput } from '../helpers/grad_check';
import { expectClose } from './util';

/** float64 direct convolution: the reference the products are checked against. */
function convRef(
  x: Tensor,
  w: Tensor,
  stride: number,
  padLeft: number,
  padRight: number,
  dilation: number,
  groups: number,
): { values: number[]; shape: number[] } {
  const [B, L, C] = x.shape;
  const [K, CG, O] = w.shape;
  const xv = x.dataSync();
  const wv = w.dataSync();
  const span = (K - 1) * dilation + 1;
  const lo = Math.floor((padLeft + L + padRight - span) / stride) + 1;
  const OG = O / groups;
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < lo; t++) {
      for (let o = 0; o < O; o++) {
        const g = Math.floor(o / OG);
        let s = 0;
        for (let j = 0; j < K; j++) {
          const src = t * stride + j * dilation - padLeft;
          if (src < 0 || src >= L) continue;
          for (let c = 0; c < CG; c++) s += xv[(b * L + src) * C + g * CG + c] * wv[(j * CG + c) * O + o];
        }
        out.push(s);
      }
    }
  }
  return { values: out, shape: [B, lo, O] };
}

const toTf = (t: Tensor) => tfjs.tensor(Array.from(t.dataSync()), t.shape);

beforeAll(async () => {
  await tfjs.setBackend('cpu');
});

describe.each(['js', 'wasm'] as const)('conv1d on the %s backend', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  const cases: Array<{
    title: string;
    x: number[];
    w: number[];
    stride: number;
    pad: tf.Conv1DPadding;
    dil: number;
    groups: number;
    pads: [number, number];
  }> = [
    { title: 'valid', x: [2, 9, 3], w: [3, 3, 4], stride: 1, pad: 'valid', dil: 1, groups: 1, pads: [0, 0] },
    { title: 'same, stride 2', x: [2, 9, 3], w: [4, 3, 5], stride: 2, pad: 'same', dil: 1, groups: 1, pads: [1, 2] },
    { title: 'causal, dilation 2', x: [2, 8, 3], w: [3, 3, 2], stride: 1, pad: 'causal', dil: 2, groups: 1, pads: [4, 0] },
    { title: 'same, dilation 3', x: [1, 10, 2], w: [3, 2, 3], stride: 1, pad: 'same', dil: 3, groups: 1, pads: [3, 3] },
    { title: 'groups 2, stride 3', x: [2, 11, 4], w: [2, 2, 6], stride: 3, pad: 'valid', dil: 1, groups: 2, pads: [0, 0] },
    {
      title: 'groups = channels 4 (depthwise loops), stride 2, same',
      x: [2, 9, 4],
      w: [3, 1, 4],
      stride: 2,
      pad: 'same',
      dil: 1,
      groups: 4,
      pads: [1, 1],
    },
    {
      title: 'groups 3 (depthwise-like), explicit padding',
      x: [2, 7, 3],
      w: [3, 1, 6],
      stride: 1,
      pad: [2, 1],
      dil: 2,
      groups: 3,
      pads: [2, 1],
    },
  ];

  cases.forEach((c, i) => {
    it(`${c.title}: forward equals the float64 loop, gradients equal finite differences`, () => {
      const x = randomInput(c.x, 10 + i);
      const w = randomInput(c.w, 20 + i);
      const y = tf.conv1d(x, w, c.stride, c.pad, c.dil, c.groups);
      const ref = convRef(x, w, c.stride, c.pads[0], c.pads[1], c.dil, c.groups);
      expect(y.shape).toEqual(ref.shape);
      expectClose(y, ref.values, 1e-5);
      checkGradients((a, b) => tf.conv1d(a, b, c.stride, c.pad, c.dil, c.groups), [x, w]);
    });
  });

  it('fused bias: equals conv + bias, gradients (x, filter, bias) by finite differences, on the gemm, tap and depthwise paths', () => {
    const x = randomInput([2, 7, 4], 40);
    const b = randomInput([4], 41);
    for (const [w, dil, groups] of [
      [randomInput([3, 4, 4], 42), 1, 1],
      [randomInput([2, 2, 4], 43), 2, 2],
      [randomInput([3, 1, 4], 44), 1, 4],
    ] as Array<[Tensor, number, number]>) {
      const y = tf.conv1d(x, w, 1, 'same', dil, groups, b);
      expectClose(y, Array.from(tf.add(tf.conv1d(x, w, 1, 'same', dil, groups), b).dataSync()), 1e-6);
      checkGradients((a, f, c) => tf.conv1d(a, f, 1, 'same', dil, groups, c), [x, w, b]);
    }
    expect(() => tf.conv1d(x, randomInput([3, 4, 4], 1), 1, 'valid', 1, 1, tf.zeros([3]))).toThrow(
      'conv1d: bias must have shape [outChannels] = [4] for filter [3,4,4], received [3]',
    );
  });

  it('a large problem (gemm in wasm on that backend) equals tfjs forward and backward within 1e-4', () => {
    const x = randomInput([3, 60, 24], 1);
    const w = randomInput([5, 24, 40], 2);
    const dy = randomInput([3, 60, 40], 3);
    const y = tf.conv1d(x, w, 1, 'same');
    const yt = tfjs.conv1d(toTf(x) as tfjs.Tensor3D, toTf(w) as tfjs.Tensor3D, 1, 'same');
    expectClose(y, Array.from(yt.dataSync()), 1e-4);
    const [gx, gw] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(tf.conv1d(a, b, 1, 'same'), dy)))([x, w]);
    const [tx, tw] = tfjs.grads((a: tfjs.Tensor, b: tfjs.Tensor) =>
      tfjs.sum(tfjs.mul(tfjs.conv1d(a as tfjs.Tensor3D, b as tfjs.Tensor3D, 1, 'same'), toTf(dy))),
    )([toTf(x), toTf(w)]);
    expectClose(gx, Array.from(tx.dataSync()), 1e-4);
    expectClose(gw, Array.from(tw.dataSync()), 1e-4);
  });
});

describe('conv1d against tfjs', () => {
  const combos: Array<[number, 'valid' | 'same', number]> = [
    [1, 'valid', 1],
    [2, 'same', 1],
    [1, 'same', 2],
    [3, 'valid', 1],
  ];
  combos.forEach(([stride, pad, dil]) => {
    // tfjs has no conv gradients for dilation > 1 (finite differences above cover ours), so those compare values only.
    it(`stride ${stride}, ${pad}, dilation ${dil}: values${dil === 1 ? ' and gradients' : ''} within 1e-5`, () => {
      const x = randomInput([2, 10, 3], 5);
      const w = randomInput([3, 3, 4], 6);
      const y = tf.conv1d(x, w, stride, pad, dil);
      const yt = tfjs.conv1d(toTf(x) as tfjs.Tensor3D, toTf(w) as tfjs.Tensor3D, stride, pad, 'NWC', dil);
      expect(y.shape).toEqual(yt.shape);
      expectClose(y, Array.from(yt.dataSync()), 1e-5);
      if (dil > 1) return;
      const dy = randomInput(y.shape, 7);
      const [gx, gw] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(tf.conv1d(a, b, stride, pad, dil), dy)))([x, w]);
      const [tx, tw] = tfjs.grads((a: tfjs.Tensor, b: tfjs.Tensor) =>
        tfjs.sum(tfjs.mul(tfjs.conv1d(a as tfjs.Tensor3D, b as tfjs.Tensor3D, stride, pad, 'NWC', dil), toTf(dy))),
      )([toTf(x), toTf(w)]);
      expectClose(gx, Array.from(tx.dataSync()), 1e-5);
      expectClose(gw, Array.from(tw.dataSync()), 1e-5);
    });
  });
});

describe('conv1d bad input', () => {
  it('a kernel longer than the unpadded sequence names the op, kernel and steps', () => {
    expect(() => tf.conv1d(tf.zeros([1, 3, 2]), tf.zeros([5, 2, 1]))).toThrow(
      /conv1d: the window \(kernel size 5.*unpadded sequence of 3 steps/,
    );
    expect(() => tf.conv1d(tf.zeros([1, 3, 2]), tf.zeros([3, 2, 1]), 1, 'valid', 2)).toThrow(/span 5/);
    expect(tf.conv1d(tf.zeros([1, 3, 2]), tf.zeros([5, 2, 1]), 1, 'causal').shape).toEqual([1, 3, 1]);
  });
  it('wrong ranks, channels, groups and padding are refused with the shapes', () => {
    expect(() => tf.conv1d(tf.zeros([3, 2]), tf.zeros([1, 2, 1]))).toThrow(
      'conv1d: x must have rank 3 [batch, steps, channels], received shape [3,2]',
    );
    expect(() => tf.conv1d(tf.zeros([1, 3, 2]), tf.zeros([2, 1]))).toThrow('received shape [2,1]');
    expect(() => tf.conv1d(tf.zeros([1, 3, 2]), tf.zeros([1, 3, 1]))).toThrow('filter [1,3,1] must have inChannels / groups = 2');
    expect(() => tf.conv1d(tf.zeros([1, 3, 3]), tf.zeros([1, 1, 4]), 1, 'valid', 1, 3)).toThrow('divisible by groups (3)');
    expect(() => tf.conv1d(tf.zeros([1, 3, 2]), tf.zeros([1, 2, 1]), 1, [-1, 0])).toThrow(/padding must be .* received \[-1,0\]/);
    expect(() => tf.conv1d(tf.zeros([1, 3, 2]), tf.zeros([1, 2, 1]), 0)).toThrow('conv1d: stride must be a positive integer, received 0');
  });
});

describe('maxPool1d / avgPool1d', () => {
  const combos: Array<[number, number, 'valid' | 'same']> = [
    [2, 2, 'valid'],
    [3, 1, 'same'],
    [3, 2, 'same'],
    [2, 3, 'valid'],
  ];
  combos.forEach(([size, stride, pad]) => {
    it(`pool ${size}, stride ${stride}, ${pad}: values and gradients equal tfjs, finite differences agree`, () => {
      const x = randomInput([2, 9, 3], 8);
      const dy0 = (s: number[]) => randomInput(s, 9);
      const x4 = (t: tfjs.Tensor) => t.reshape([2, 1, 9, 3]) as tfjs.Tensor4D;
      const pairs: Array<[(a: Tensor) => Tensor, (a: tfjs.Tensor) => tfjs.Tensor]> = [
        [(a) => tf.maxPool1d(a, size, stride, pad), (a) => tfjs.maxPool(x4(a), [1, size], [1, stride], pad)],
      ];
      // tfjs's avgPool counts the padded zeros of 'same' windows; TensorFlow/Keras (and recurrent) do not:
      // 'same' average pooling is checked against the float64 formula below instead.
      if (pad === 'valid') pairs.push([(a) => tf.avgPool1d(a, size, stride, pad), (a) => tfjs.avgPool(x4(a), [1, size], [1, stride], pad)]);
      else checkGradients((a) => tf.avgPool1d(a, size, stride, pad), [x]);
      for (const [ours, theirs] of pairs) {
        const y = ours(x);
        const yt = theirs(toTf(x));
        expect([y.shape[1], y.shape[2]]).toEqual([yt.shape[2], yt.shape[3]]);
        expectClose(y, Array.from(yt.dataSync()), 1e-6);
        const dy = dy0(y.shape);
        const [gx] = tf.grads((a: Tensor) => tf.sum(tf.mul(ours(a), dy)))([x]);
        const [tx] = tfjs.grads((a: tfjs.Tensor) => tfjs.sum(tfjs.mul(theirs(a).reshape(y.shape), toTf(dy))))([toTf(x)]);
        expectClose(gx, Array.from(tx.dataSync()), 1e-6);
        checkGradients(ours, [x]);
      }
    });
  });
  it("'same' average pooling divides by the steps inside the sequence only (TensorFlow's rule), by hand", () => {
    // steps [1, 3, 2, 0], pool 3, stride 2, 'same': total padding (2-1)·2 + 3 − 4 = 1 → left 0, right 1.
    // windows [1, 3, 2] → 2 and [2, 0, pad] → 1.
    expectClose(tf.avgPool1d(tf.tensor3d([[[1], [3], [2], [0]]]), 3, 2, 'same'), [2, 1]);
    // pool 3, stride 1, 'same' on 3 steps: pads 1 each side → [pad,1,3]=2, [1,3,2]=2, [3,2,pad]=2.5
    expectClose(tf.avgPool1d(tf.tensor3d([[[1], [3], [2]]]), 3, 1, 'same'), [2, 2, 2.5]);
    expectClose(tf.maxPool1d(tf.tensor3d([[[-1], [-3], [-2]]]), 3, 1, 'same'), [-1, -1, -2]);
  });
  it('bad input names the op', () => {
    expect(() => tf.maxPool1d(tf.zeros([1, 3]), 2)).toThrow('maxPool1d: x must have rank 3');
    expect(() => tf.avgPool1d(tf.zeros([1, 3, 1]), 4)).toThrow(/avgPool1d: the window \(kernel size 4.*3 steps/);
    expect(() => tf.maxPool1d(tf.zeros([1, 3, 1]), 0)).toThrow('maxPool1d: poolSize must be a positive integer, received 0');
  });
});
