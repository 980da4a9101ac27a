/** nn.CTCLoss against PyTorch's torch.nn.functional.ctc_loss (committed fixtures): mean / sum / none, zeroInfinity. */
import { grads, logSoftmax, Tensor, tensor, tensor1d, tensor2d, transpose } from '@recurrent/core';
import { nn } from '../../src';
import { expectAllClose, loadCtcFixtures } from '../../../core/test/helpers/ctc_fixtures';

const cases = loadCtcFixtures();

/** The fixture's loss under `reduction`, as a function of its batch-first logits (log-softmax, then [T, N, C]). */
function lossOf(c: (typeof cases)[number], reduction: 'mean' | 'sum' | 'none'): (z: Tensor) => Tensor {
  const ctc = new nn.CTCLoss({ blank: c.blankIndex, reduction, zeroInfinity: c.zeroInfinity });
  const targets = tensor2d(c.labels, undefined, 'int32');
  return (z: Tensor) =>
    ctc.forward(transpose(logSoftmax(z), [1, 0, 2]), targets, tensor1d(c.logitLengths, 'int32'), tensor1d(c.labelLengths, 'int32'));
}

describe('nn.CTCLoss matches PyTorch within 1e-4', () => {
  for (const c of cases) {
    it(`${c.name}: none, mean and sum values; mean and sum gradients`, () => {
      const z = tensor(c.logits, c.shape, 'float32');
      expectAllClose(lossOf(c, 'none')(z).dataSync(), c.lossNone, 1e-4, 'none');
      expectAllClose(lossOf(c, 'mean')(z).dataSync(), [c.lossMean], 1e-4, 'mean');
      expectAllClose(lossOf(c, 'sum')(z).dataSync(), [c.lossSum], 1e-4, 'sum');
      if (c.gradMean) expectAllClose(grads(lossOf(c, 'mean'))([z])[0].dataSync(), c.gradMean, 1e-4, 'mean gradient');
      if (c.gradSum) expectAllClose(grads(lossOf(c, 'sum'))([z])[0].dataSync(), c.gradSum, 1e-4, 'sum gradient');
    });
  }

  it('covers zeroInfinity with impossible targets (infinite without it)', () => {
    const imp = cases.find((c) => c.name === 'impossible')!;
    const zi = cases.find((c) => c.name === 'impossible_zero_infinity')!;
    expect(imp.lossMean).toBe(Infinity);
    expect(zi.lossNone.slice(0, 2)).toEqual([0, 0]);
    expect(zi.gradMean).not.toBeNull();
  });
});

describe('nn.CTCLoss inputs', () => {
  const c = cases[0];
  const z = tensor(c.logits, c.shape, 'float32');
  const lp = transpose(logSoftmax(z), [1, 0, 2]);
  const inLen = tensor1d(c.logitLengths, 'int32');
  const tgLen = tensor1d(c.labelLengths, 'int32');

  it('1-D concatenated targets equal padded targets', () => {
    const flat = c.labels.flatMap((row, i) => row.slice(0, c.labelLengths[i]));
    const ctc = new nn.CTCLoss({ reduction: 'none' });
    const a = ctc.forward(lp, tensor1d(flat, 'int32'), inLen, tgLen).dataSync();
    const b = ctc.forward(lp, tensor2d(c.labels, undefined, 'int32'), inLen, tgLen).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('unbatched [T, C] log-probabilities with [S] targets and number lengths', () => {
    const [, T, C] = c.shape;
    const one = lp.slice([0, 0, 0], [T, 1, C]);
    const batched = new nn.CTCLoss({ reduction: 'none' }).forward(
      one,
      tensor2d([c.labels[0]], undefined, 'int32'),
      [c.logitLengths[0]],
      [c.labelLengths[0]],
    );
    const single = new nn.CTCLoss({ reduction: 'none' }).forward(
      one.reshape([T, C]),
      tensor1d(c.labels[0], 'int32'),
      c.logitLengths[0],
      c.labelLengths[0],
    );
    expect(single.shape).toEqual([]);
    expect(single.dataSync()[0]).toBe(batched.dataSync()[0]);
    const mean = new nn.CTCLoss().forward(one.reshape([T, C]), tensor1d(c.labels[0], 'int32'), c.logitLengths[0], c.labelLengths[0]);
    expect(mean.dataSync()[0]).toBeCloseTo(single.dataSync()[0] / c.labelLengths[0], 5);
  });

  it('repr and bad input with PyTorch argument names', () => {
    expect(new nn.CTCLoss({ zeroInfinity: true }).extraRepr()).toBe("blank=0, reduction='mean', zeroInfinity=true");
    const ctc = new nn.CTCLoss();
    expect(() => new nn.CTCLoss({ zero_infinity: true } as never)).toThrow(/nn.CTCLoss: unknown option 'zero_infinity'/);
    expect(() => new nn.CTCLoss({ reduction: 'avg' as never })).toThrow(
      /nn.CTCLoss: reduction must be 'mean', 'sum' or 'none', received "avg"/,
    );
    expect(() => ctc.forward(lp, tensor2d([[1, 2]], undefined, 'int32'), inLen, tgLen)).toThrow(
      /nn.CTCLoss: targets must have shape \[N, S\] with N = 4 .* received shape \[1,2\]/,
    );
    expect(() => ctc.forward(lp, tensor2d(c.labels, undefined, 'int32'), tensor1d([1, 2], 'int32'), tgLen)).toThrow(
      /nn.CTCLoss: inputLengths must have shape \[4\]/,
    );
    expect(() => ctc.forward(lp, tensor2d(c.labels, undefined, 'int32'), tensor1d([12, 9, 13, 7], 'int32'), tgLen)).toThrow(
      /nn.CTCLoss: inputLengths\[2\] = 13 is out of range; expected an integer in \[0, 12\] \(logProbs has 12 time steps\)/,
    );
    const bad = c.labels.map((r) => r.slice());
    bad[1][0] = 0;
    expect(() => ctc.forward(lp, tensor2d(bad, undefined, 'int32'), inLen, tgLen)).toThrow(
      /nn.CTCLoss: targets\[1\]\[0\] = 0 is not a valid label: .*differ from blank 0/,
    );
    expect(() => new nn.CTCLoss({ blank: 9 }).forward(lp, tensor2d(c.labels, undefined, 'int32'), inLen, tgLen)).toThrow(
      /nn.CTCLoss: blank must be an integer in \[0, 5\], received 9/,
    );
    expect(() => ctc.forward(lp, tensor1d([1, 2, 3], 'int32'), inLen, tgLen)).toThrow(
      /nn.CTCLoss: 1-D \(concatenated\) targets must hold sum\(targetLengths\) = 14 ids, received 3/,
    );
  });
});
