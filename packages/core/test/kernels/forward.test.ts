import { KERNEL_ACTIVATION_NAMES, lstmSequence, simpleRNNSequence, tensor, zeros } from '../../src';
import { buildCase, CaseSpec, describeCase, maxAbsDiff, optionsOf, runOp, tensorsOf } from './cases';
import { reference } from './reference';

const CELLS: CaseSpec[] = [{ cell: 'simple' }, { cell: 'lstm' }, { cell: 'gru', resetAfter: false }, { cell: 'gru', resetAfter: true }];

const VARIANTS: Partial<CaseSpec>[] = [
  {},
  { useBias: false },
  { initialStates: true },
  { goBackwards: true },
  { mask: true },
  { mask: true, initialStates: true },
  { mask: true, initialStates: true, goBackwards: true },
  { mask: true, initialStates: true, maskedOutputInit: 'initialState' },
  { inDrop: 'shared', recDrop: 'shared' },
  { inDrop: 'perGate', recDrop: 'perGate', mask: true, initialStates: true },
  { inDrop: 'perGate' },
  { recDrop: 'perGate', goBackwards: true },
  { returnSequences: false, mask: true },
  { B: 1, T: 1, D: 1, U: 1, initialStates: true },
  { B: 7, T: 9, D: 5, U: 6, mask: true, initialStates: true, goBackwards: true },
];

function checkCase(spec: CaseSpec): void {
  const { ref, returnSequences } = buildCase(spec);
  const expected = reference(ref);
  const out = runOp(ref, tensorsOf(ref), optionsOf(ref, returnSequences));
  const { B, T, U } = ref;
  expect(out.length).toBe(ref.cell === 'lstm' ? 4 : 3);
  expect(out[0].shape).toEqual([B, U]);
  expect(maxAbsDiff(out[0].dataSync(), expected.last)).toBeLessThan(1e-5);
  if (returnSequences) {
    expect(out[1].shape).toEqual([B, T, U]);
    expect(maxAbsDiff(out[1].dataSync(), expected.seq)).toBeLessThan(1e-5);
  } else {
    expect(out[1].shape).toEqual([B, 0, U]);
  }
  expect(out[2].shape).toEqual([B, U]);
  expect(maxAbsDiff(out[2].dataSync(), expected.h)).toBeLessThan(1e-5);
  if (ref.cell === 'lstm') expect(maxAbsDiff(out[3].dataSync(), expected.c as number[])).toBeLessThan(1e-5);
}

describe('fused sequence kernels: forward against a float64 reference', () => {
  for (const cell of CELLS) {
    for (const variant of VARIANTS) {
      const spec = { ...cell, ...variant };
      it(
        describeCase(spec) +
          (variant.B ? ` [${variant.B},${variant.T},${variant.D}]→${variant.U}` : '') +
          (variant.returnSequences === false ? ', no sequences' : ''),
        () => checkCase(spec),
      );
    }
  }

  describe('every activation as activation and as recurrentActivation', () => {
    for (const cell of CELLS) {
      for (const name of KERNEL_ACTIVATION_NAMES) {
        it(`${describeCase(cell)}: activation ${name}`, () => checkCase({ ...cell, act: name, mask: true, initialStates: true, seed: 3 }));
        if (cell.cell !== 'simple') {
          it(`${describeCase(cell)}: recurrentActivation ${name}`, () => checkCase({ ...cell, recAct: name, seed: 4, goBackwards: true }));
        }
      }
    }
  });

  it('tanh/sigmoid with the optional options left out: forward in time, no sequences', () => {
    const spec: CaseSpec = { cell: 'lstm', returnSequences: false };
    const { ref } = buildCase(spec);
    const t = tensorsOf(ref);
    const out = lstmSequence(t.x, t.W, t.R, t.bias, null, null, { activation: 'tanh', recurrentActivation: 'sigmoid' });
    expect(out[1].shape).toEqual([ref.B, 0, ref.U]);
    expect(maxAbsDiff(out[0].dataSync(), reference(ref).last)).toBeLessThan(1e-5);
  });

  it('goBackwards returns the step outputs in processing order (first output sees only the last input)', () => {
    const { ref } = buildCase({ cell: 'simple', goBackwards: true, T: 3 });
    const t = tensorsOf(ref);
    const out = runOp(ref, t, optionsOf(ref, true));
    // Processing step 0 consumes x[:, T-1]; recompute it by hand for batch row 0: h = tanh(x·W + b).
    const { D, U, T } = ref;
    for (let j = 0; j < U; j++) {
      let z = (ref.bias as number[])[j];
      for (let d = 0; d < D; d++) z += ref.x[(T - 1) * D + d] * ref.W[d * U + j];
      expect(out[1].dataSync()[j]).toBeCloseTo(Math.tanh(z), 5);
    }
  });

  it('a masked step repeats the previous output, starting from zeros (Keras), while the state carries h0', () => {
    // One unit, identity-ish weights so the numbers are easy: h' = tanh(x + 0.5·h).
    const x = tensor([1, 2, 3], [1, 3, 1]);
    const W = tensor([[1]]);
    const R = tensor([[0.5]]);
    const h0 = tensor([[0.25]]);
    const mask = tensor([[0, 1, 0]]);
    const [last, seq, h] = simpleRNNSequence(x, W, R, null, h0, { activation: 'tanh', mask, returnSequences: true });
    const h1 = Math.tanh(2 + 0.5 * 0.25);
    const s = seq.dataSync();
    expect(s[0]).toBe(0);
    expect(s[1]).toBeCloseTo(h1, 6);
    expect(s[2]).toBeCloseTo(h1, 6);
    expect(last.dataSync()[0]).toBeCloseTo(h1, 6);
    expect(h.dataSync()[0]).toBeCloseTo(h1, 6);
  });

  it("with maskedOutputInit 'initialState' a leading masked step outputs h0 (tfjs rnn)", () => {
    const [, seq] = simpleRNNSequence(tensor([1, 2], [1, 2, 1]), tensor([[1]]), tensor([[0.5]]), null, tensor([[0.25]]), {
      activation: 'tanh',
      mask: tensor([[0, 1]]),
      returnSequences: true,
      maskedOutputInit: 'initialState',
    });
    expect(seq.dataSync()[0]).toBeCloseTo(0.25, 6);
  });

  it('zero initial state tensors give the same result as null', () => {
    const { ref } = buildCase({ cell: 'lstm', mask: true });
    const t = tensorsOf(ref);
    const opts = optionsOf(ref, true);
    const a = lstmSequence(t.x, t.W, t.R, t.bias, null, null, opts);
    const b = lstmSequence(t.x, t.W, t.R, t.bias, zeros([ref.B, ref.U]), zeros([ref.B, ref.U]), opts);
    for (let i = 0; i < 4; i++) expect(Array.from(a[i].dataSync())).toEqual(Array.from(b[i].dataSync()));
  });
});
