/**
 * `zeroOutputForMask` (Keras `zero_output_for_mask`, zero_masked_output.ts): masked steps output zeros, and the
 * last output is zeros when the last processed step is masked (Keras's rnn loop). The reference is the same
 * layer without the option (its outputs at unmasked steps are the same numbers), plus Keras's own outputs in
 * the models package (fixtures/keras/real/zero_output_for_mask, bidirectional_mask_ave).
 */
import { Tensor, tensor } from '@recurrent/core';
import { BaseRNN, Bidirectional, deserialize, GRU, LSTM, SimpleRNN } from '../../src';
import { checkGradients, randomInput } from '@recurrent/test-utils';

const MASK = [
  [1, 1, 1, 1, 0, 0],
  [0, 1, 1, 1, 1, 1],
  [1, 0, 1, 0, 1, 1],
];

/** Values with −0 read as 0 (toEqual tells −0 from +0; the outputs compared come from different paths). */
function vals(t: Tensor): number[] {
  return Array.from(t.dataSync(), (v) => v + 0);
}

function rows(t: Tensor): number[][][] {
  const [b, T, u] = t.shape;
  const v = vals(t);
  return Array.from({ length: b }, (_, i) => Array.from({ length: T }, (_, s) => v.slice((i * T + s) * u, (i * T + s + 1) * u)));
}

/** Two layers of the same class and weights, one with zeroOutputForMask. */
function pair<T extends BaseRNN>(make: (zero: boolean) => T, x: Tensor): [T, T] {
  const plain = make(false);
  const zero = make(true);
  plain.apply(x);
  zero.apply(x);
  zero.setWeights(plain.getWeights());
  return [plain, zero];
}

describe('zeroOutputForMask', () => {
  const x = randomInput([3, 6, 2], 7);
  const mask = tensor(MASK, [3, 6], 'bool');

  it.each([
    ['LSTM', (z: boolean) => new LSTM({ units: 3, returnSequences: true, zeroOutputForMask: z })],
    ['GRU', (z: boolean) => new GRU({ units: 3, returnSequences: true, zeroOutputForMask: z, resetAfter: true })],
    ['SimpleRNN', (z: boolean) => new SimpleRNN({ units: 3, returnSequences: true, zeroOutputForMask: z })],
  ] as [string, (z: boolean) => BaseRNN][])(
    '%s: masked steps of the sequence are zeros, the others equal the plain layer',
    (_name, make) => {
      const [plain, zero] = pair(make, x);
      const a = rows(plain.apply(x, { mask }) as Tensor);
      const b = rows(zero.apply(x, { mask }) as Tensor);
      MASK.forEach((row, i) =>
        row.forEach((m, t) => {
          if (m === 1) expect(b[i][t]).toEqual(a[i][t]);
          else expect(b[i][t]).toEqual([0, 0, 0]);
        }),
      );
      // The plain layer repeats the previous output at masked steps (row 0, steps 4 and 5 repeat step 3).
      expect(a[0][4]).toEqual(a[0][3]);
    },
  );

  it('a masked step after a diverged (Infinity) output is 0, not NaN (Keras selects, it does not multiply)', () => {
    // SimpleRNN, linear, one unit: step 0 gives 1e30 · 1e30 = Infinity in float32; steps 1 and 2 are masked.
    const make = (z: boolean) =>
      new SimpleRNN({ units: 1, activation: 'linear', useBias: false, returnSequences: true, zeroOutputForMask: z });
    const xInf = tensor([[[1e30], [1], [1]]]);
    const maskInf = tensor([[1, 0, 0]], [1, 3], 'bool');
    const [plain, zero] = pair(make, xInf);
    for (const layer of [plain, zero]) layer.setWeights([tensor([[1e30]]), tensor([[1]])]);
    expect(vals(plain.apply(xInf, { mask: maskInf }) as Tensor)).toEqual([Infinity, Infinity, Infinity]);
    expect(vals(zero.apply(xInf, { mask: maskInf }) as Tensor)).toEqual([Infinity, 0, 0]);
    const last = new SimpleRNN({ units: 1, activation: 'linear', useBias: false, zeroOutputForMask: true });
    last.apply(xInf);
    last.setWeights([tensor([[1e30]]), tensor([[1]])]);
    expect(vals(last.apply(xInf, { mask: maskInf }) as Tensor)).toEqual([0]);
  });

  it('goBackwards: the sequence is in processing order, so the reversed mask zeroes it', () => {
    const [plain, zero] = pair((z) => new GRU({ units: 2, returnSequences: true, goBackwards: true, zeroOutputForMask: z }), x);
    const a = rows(plain.apply(x, { mask }) as Tensor);
    const b = rows(zero.apply(x, { mask }) as Tensor);
    MASK.forEach((row, i) =>
      row.forEach((m, t) => {
        const p = row.length - 1 - t; // processing position of input step t
        if (m === 1) expect(b[i][p]).toEqual(a[i][p]);
        else expect(b[i][p]).toEqual([0, 0]);
      }),
    );
  });

  it('the last output is zeros where the last processed step is masked; states are not zeroed', () => {
    const [plain, zero] = pair((z) => new LSTM({ units: 3, returnState: true, zeroOutputForMask: z }), x);
    const [ya, ha, ca] = plain.apply(x, { mask }) as Tensor[];
    const [yb, hb, cb] = zero.apply(x, { mask }) as Tensor[];
    const a = vals(ya);
    const b = vals(yb);
    expect(b.slice(0, 3)).toEqual([0, 0, 0]); // row 0: last step masked
    expect(b.slice(3)).toEqual(a.slice(3)); // rows 1, 2: last step kept
    expect(Array.from(hb.dataSync())).toEqual(Array.from(ha.dataSync()));
    expect(Array.from(cb.dataSync())).toEqual(Array.from(ca.dataSync()));
    // Backwards, the last processed step is input step 0: row 1 (step 0 masked) is zeros.
    const [pb, zb] = pair((z) => new GRU({ units: 2, goBackwards: true, zeroOutputForMask: z }), x);
    const back = vals(zb.apply(x, { mask }) as Tensor);
    const backPlain = vals(pb.apply(x, { mask }) as Tensor);
    expect(back.slice(2, 4)).toEqual([0, 0]);
    expect([...back.slice(0, 2), ...back.slice(4)]).toEqual([...backPlain.slice(0, 2), ...backPlain.slice(4)]);
  });

  it('without a mask nothing changes', () => {
    const [plain, zero] = pair((z) => new LSTM({ units: 3, returnSequences: true, zeroOutputForMask: z }), x);
    expect(Array.from((zero.apply(x) as Tensor).dataSync())).toEqual(Array.from((plain.apply(x) as Tensor).dataSync()));
  });

  it('gradients w.r.t. the input match finite differences (masked steps pass no gradient through the output)', () => {
    const layer = new GRU({ units: 2, returnSequences: true, zeroOutputForMask: true });
    const xs = randomInput([3, 6, 2], 3);
    layer.apply(xs);
    checkGradients((xi) => layer.apply(xi, { mask }) as Tensor, [xs]);
  });

  it('config: written only when true, round-trips, is copied to a Bidirectional backward layer', () => {
    expect(new LSTM({ units: 2 }).getConfig().zeroOutputForMask).toBeUndefined();
    const l = new LSTM({ units: 2, returnSequences: true, zeroOutputForMask: true });
    expect(l.getConfig().zeroOutputForMask).toBe(true);
    expect(deserialize<LSTM>({ className: 'LSTM', config: l.getConfig() }, 'layer').zeroOutputForMask).toBe(true);
    const bi = new Bidirectional({ layer: l });
    expect((bi.backwardLayer as LSTM).zeroOutputForMask).toBe(true);
    expect((bi.backwardLayer as LSTM).goBackwards).toBe(true);
  });

  it('a non-boolean is refused, naming the layer and the option', () => {
    expect(() => new GRU({ units: 2, zeroOutputForMask: 'yes' as unknown as boolean })).toThrow(
      /GRU: zeroOutputForMask must be true or false, received/,
    );
  });
});
