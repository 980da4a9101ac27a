/**
 * Packed sequences: packPaddedSequence / padPackedSequence / padSequence, and nn.LSTM / nn.GRU / nn.RNN on packed
 * batches of mixed lengths against PyTorch (fixtures/packed.json, written by fixtures/generate_packed.py): outputs,
 * h_n / c_n, and gradients of the input and every parameter.
 */
import * as fs from 'fs';
import * as path from 'path';
import { sum, Tensor } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { expectClose, num, t } from './helpers';

const fx = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'packed.json'), 'utf8'));
const { packPaddedSequence, padPackedSequence, padSequence, packSequence, PackedSequence } = nn.utils.rnn;

function det(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  return t(
    Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + seed)),
    shape,
  );
}

describe('RNN modules on packed batches match PyTorch', () => {
  for (const c of fx.cases) {
    test(c.name, () => {
      const opts = { numLayers: c.numLayers, bidirectional: c.bidirectional };
      const m: nn.RNNBase =
        c.module === 'LSTM'
          ? new nn.LSTM(c.inputSize, c.hiddenSize, { ...opts, projSize: c.projSize })
          : c.module === 'GRU'
            ? new nn.GRU(c.inputSize, c.hiddenSize, opts)
            : new nn.RNN(c.inputSize, c.hiddenSize, { ...opts, nonlinearity: c.nonlinearity });
      const sd: nn.StateDict = {};
      for (const [k, v] of Object.entries<any>(c.stateDict)) sd[k] = t(v.data, v.shape);
      m.loadStateDict(sd);
      const x = t(c.input.data, c.input.shape).requiresGrad_();
      const packed = packPaddedSequence(x, c.lengths, { batchFirst: true, enforceSorted: c.enforceSorted });
      expect(num(packed.batchSizes)).toEqual(c.batchSizes);
      expectClose(num(packed.data), c.packedData.data, 0, 'packed data');
      let out: InstanceType<typeof PackedSequence>;
      let states: Tensor[];
      const L0 = c.numLayers * (c.bidirectional ? 2 : 1);
      const h0 = c.withH0 ? det([L0, c.input.shape[0], c.hiddenSize], 5) : null;
      if (m instanceof nn.LSTM) {
        const [o, [h, cc]] = m.forwardWithState(packed, h0 ? [h0, det([L0, c.input.shape[0], c.hiddenSize], 6)] : null);
        out = o;
        states = [h, cc];
      } else {
        const [o, h] = (m as nn.GRU).forwardWithState(packed, h0);
        out = o;
        states = [h];
      }
      expect(out).toBeInstanceOf(PackedSequence);
      const [padded, lengths] = padPackedSequence(out, { batchFirst: true, totalLength: c.input.shape[1] });
      expect(num(lengths)).toEqual(c.lengths);
      expect(padded.shape).toEqual(c.output.shape);
      expectClose(num(padded), c.output.data, 2e-6, 'padded output');
      states.forEach((s, k) => expectClose(num(s), c.states[k].data, 2e-6, `state ${k}`));
      let L = sum(padded.mul(det(padded.shape, 2)));
      states.forEach((s, k) => (L = L.add(sum(s.mul(det(s.shape, 3 + k))))));
      L.backward();
      expectClose(num(x.grad!), c.inputGrad, 1e-5, 'input gradient');
      for (const [name, p] of m.namedParameters()) expectClose(num(p.grad!), c.paramGrads[name], 2e-5, `grad ${name}`);
    });
  }

  test('nn.RNN.flattenParameters() is a no-op that keeps the results', () => {
    const m = new nn.GRU(3, 4, { seed: 1 });
    const x = det([2, 3, 3], 1);
    const before = num(m.forward(x));
    m.flattenParameters();
    expect(num(m.forward(x))).toEqual(before);
  });
});

describe('pack / pad utilities', () => {
  test('padSequence pads with paddingValue and stacks time-major by default', () => {
    const a = t([1, 2, 3, 4, 5, 6], [3, 2]);
    const b = t([7, 8], [1, 2]);
    const tm = padSequence([a, b], { paddingValue: -1 });
    expect(tm.shape).toEqual([3, 2, 2]);
    expect(tm.arraySync()).toEqual([
      [
        [1, 2],
        [7, 8],
      ],
      [
        [3, 4],
        [-1, -1],
      ],
      [
        [5, 6],
        [-1, -1],
      ],
    ]);
    expect(padSequence([a, b], { batchFirst: true }).arraySync()).toEqual([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [7, 8],
        [0, 0],
        [0, 0],
      ],
    ]);
  });

  test('packSequence / padPackedSequence round trip in the original order (time-major)', () => {
    const a = t([1, 2], [2, 1]);
    const b = t([3, 4, 5], [3, 1]);
    const packed = packSequence([a, b], { enforceSorted: false });
    expect(num(packed.data)).toEqual([3, 1, 4, 2, 5]);
    expect(num(packed.batchSizes)).toEqual([2, 2, 1]);
    expect(num(packed.sortedIndices!)).toEqual([1, 0]);
    expect(num(packed.unsortedIndices!)).toEqual([1, 0]);
    const [padded, lengths] = padPackedSequence(packed);
    expect(padded.arraySync()).toEqual([
      [[1], [3]],
      [[2], [4]],
      [[0], [5]],
    ]);
    expect(num(lengths)).toEqual([2, 3]);
  });

  test("padSequence paddingSide 'left' pads in front, as PyTorch's padding_side='left' (hand-worked)", () => {
    const a = t([1, 2, 3], [3, 1]);
    const b = t([4], [1, 1]);
    // PyTorch: pad_sequence([a, b], batch_first=True, padding_value=-1, padding_side='left') → [[1, 2, 3], [-1, -1, 4]]
    expect(padSequence([a, b], { batchFirst: true, paddingValue: -1, paddingSide: 'left' }).arraySync()).toEqual([
      [[1], [2], [3]],
      [[-1], [-1], [4]],
    ]);
    expect(padSequence([a, b], { paddingSide: 'right' }).arraySync()).toEqual([
      [[1], [4]],
      [[2], [0]],
      [[3], [0]],
    ]);
    expect(() => padSequence([a, b], { paddingSide: 'top' as never })).toThrow(
      /padSequence: paddingSide must be 'right' or 'left', received 'top'/,
    );
  });

  test('a mistyped option key is refused with a suggestion, not ignored (batch_first gave a time-major result)', () => {
    const a = t([1, 2, 3], [3, 1]);
    const b = t([4], [1, 1]);
    expect(() => padSequence([a, b], { batch_first: true } as never)).toThrow(
      /nn.utils.rnn.padSequence: unknown option 'batch_first'; did you mean 'batchFirst'\?/,
    );
    expect(() => padSequence([a, b], { padding_side: 'left' } as never)).toThrow(
      /unknown option 'padding_side'; did you mean 'paddingSide'\?/,
    );
    const x = t([1, 2, 3, 4], [2, 2, 1]);
    expect(() => packPaddedSequence(x, [2, 1], { batch_first: true } as never)).toThrow(
      /nn.utils.rnn.packPaddedSequence: unknown option 'batch_first'; did you mean 'batchFirst'\?/,
    );
    const packed = packPaddedSequence(x, [2, 1], { batchFirst: true });
    expect(() => padPackedSequence(packed, { total_length: 3 } as never)).toThrow(
      /nn.utils.rnn.padPackedSequence: unknown option 'total_length'; did you mean 'totalLength'\?/,
    );
    expect(() => packSequence([a, b], { enforce_sorted: false } as never)).toThrow(
      /nn.utils.rnn.packSequence: unknown option 'enforce_sorted'; did you mean 'enforceSorted'\?/,
    );
  });

  test('bad input: lengths longer than the sequence, unsorted with enforceSorted, wrong count, zero', () => {
    const x = t(new Array(2 * 3 * 1).fill(1), [2, 3, 1]);
    expect(() => packPaddedSequence(x, [4, 2], { batchFirst: true })).toThrow(
      /packPaddedSequence: lengths\[0\] = 4 is longer than the padded sequence \(3 steps, input shape \[2,3,1\], batchFirst true\)/,
    );
    expect(() => packPaddedSequence(x, [2, 3], { batchFirst: true })).toThrow(
      /lengths must be sorted in decreasing order when enforceSorted is true, but lengths\[1\] = 3 > lengths\[0\] = 2; pass \{enforceSorted: false\}/,
    );
    expect(() => packPaddedSequence(x, [2, 3, 1], { batchFirst: true })).toThrow(
      /3 lengths for a batch of 2 \(input shape \[2,3,1\], batchFirst true: the batch is dimension 0\)/,
    );
    expect(() => packPaddedSequence(x, [2, 0], { batchFirst: true })).toThrow(/lengths\[1\] must be an integer >= 1/);
    expect(() => padPackedSequence(x as never)).toThrow(/expected a PackedSequence, received a Tensor of shape \[2,3,1\]/);
    expect(() => padSequence([t([1, 2], [1, 2]), t([1, 2, 3], [1, 3])])).toThrow(
      /sequences\[1\] has shape \[1,3\], its trailing dimensions must match sequences\[0\]'s \[1,2\]/,
    );
  });
});
