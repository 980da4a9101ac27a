/**
 * StepKernel.run: a whole sequence through the resident-weight step kernel, on wasm and the TypeScript
 * twin, against the whole-sequence kernels (lstmSequenceForward & co., inference, no mask) over the same
 * steps: final states and per-step outputs (processing order, also with goBackwards), batch 1 and several
 * rows, within 1e-5 relative to max(1, |value|). Also: new weight arrays are used, the large-batch
 * fallback (one step at a time), and argument errors.
 */
import {
  createStepKernel,
  gruSequenceForward,
  lstmSequenceForward,
  resolveSequenceOptions,
  SequenceArrays,
  simpleRNNSequenceForward,
  StepCellKind,
} from '../../src';
import { getBackend, resetBackendForTests, setBackend } from '../../src/backend/backend';
import { setStepScratchLimitForTests } from '../../src/backend/step_wasm';
import { randomArray, rng } from './reference';

afterAll(() => resetBackendForTests());

function gates(cell: StepCellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

function f32(r: () => number, n: number, scale = 1): Float32Array {
  return Float32Array.from(randomArray(r, n).map((v) => v * scale));
}

interface Case {
  cell: StepCellKind;
  resetAfter?: boolean;
  B: number;
  T: number;
  D: number;
  U: number;
  goBackwards?: boolean;
  useBias?: boolean;
  initial?: boolean;
}

function data(c: Case, seed: number) {
  const G = gates(c.cell);
  const resetAfter = c.cell === 'gru' && c.resetAfter === true;
  const r = rng(seed);
  return {
    resetAfter,
    W: f32(r, c.D * G * c.U, 0.5),
    R: f32(r, c.U * G * c.U, 0.5),
    bias: c.useBias === false ? null : f32(r, (resetAfter ? 2 : 1) * G * c.U, 0.5),
    xs: f32(r, c.B * c.T * c.D),
    h0: c.initial === false ? new Float32Array(c.B * c.U) : f32(r, c.B * c.U, 0.8),
    c0: c.cell === 'lstm' ? (c.initial === false ? new Float32Array(c.B * c.U) : f32(r, c.B * c.U)) : null,
  };
}

function reference(c: Case, d: ReturnType<typeof data>) {
  const a: SequenceArrays = {
    batch: c.B,
    timeSteps: c.T,
    inputDim: c.D,
    units: c.U,
    inputs: d.xs,
    kernel: d.W,
    recurrentKernel: d.R,
    bias: d.bias,
    initialH: d.h0,
    initialC: d.c0,
  };
  const o = resolveSequenceOptions(
    'test',
    gates(c.cell),
    a,
    {
      activation: 'tanh',
      recurrentActivation: 'sigmoid',
      resetAfter: d.resetAfter,
      goBackwards: !!c.goBackwards,
      returnSequences: true,
    },
    false,
  );
  return c.cell === 'lstm' ? lstmSequenceForward(a, o) : c.cell === 'gru' ? gruSequenceForward(a, o) : simpleRNNSequenceForward(a, o);
}

function expectNear(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= 1e-5 * scale)) throw new Error(`${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function runAndCompare(c: Case, seed: number): void {
  const d = data(c, seed);
  const ref = reference(c, d);
  const k = createStepKernel(c.cell, d.W, d.R, d.bias, { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: d.resetAfter });
  const BU = c.B * c.U;
  const h = new Float32Array(BU);
  const cc = c.cell === 'lstm' ? new Float32Array(BU) : null;
  const seq = new Float32Array(c.B * c.T * c.U);
  const h0 = d.h0.slice();
  k.run(d.xs, c.T, d.h0, d.c0, h, cc, { batch: c.B, goBackwards: c.goBackwards, sequenceOutputs: seq });
  k.dispose();
  expect(Array.from(d.h0)).toEqual(Array.from(h0)); // inputs not modified
  expectNear(h, ref.finalH, 'h');
  if (cc) expectNear(cc, ref.finalC as Float32Array, 'c');
  expectNear(seq, ref.sequenceOutputs as Float32Array, 'sequence outputs');
}

const CASES: Case[] = [
  { cell: 'lstm', B: 1, T: 50, D: 16, U: 64 },
  { cell: 'lstm', B: 1, T: 7, D: 5, U: 13, goBackwards: true },
  { cell: 'lstm', B: 3, T: 6, D: 4, U: 9, useBias: false },
  { cell: 'lstm', B: 2, T: 5, D: 3, U: 8, goBackwards: true, initial: false },
  { cell: 'gru', resetAfter: true, B: 1, T: 9, D: 6, U: 11 },
  { cell: 'gru', resetAfter: false, B: 2, T: 8, D: 6, U: 11, goBackwards: true },
  { cell: 'simpleRNN', B: 1, T: 12, D: 3, U: 7 },
  { cell: 'simpleRNN', B: 5, T: 4, D: 3, U: 7 },
];

describe('StepKernel.run vs the sequence kernels (inference, no mask)', () => {
  for (const backend of ['wasm', 'js'] as const) {
    CASES.forEach((c, i) => {
      const name =
        `${backend}: ${c.cell}${c.cell === 'gru' ? ` resetAfter=${c.resetAfter}` : ''} batch ${c.B}, ${c.T} steps, inputDim ${c.D}, units ${c.U}` +
        `${c.goBackwards ? ', goBackwards' : ''}${c.useBias === false ? ', no bias' : ''}`;
      it(name, () => {
        void setBackend(backend);
        expect(getBackend()).toBe(backend);
        runAndCompare(c, 20 + i);
      });
    });
  }

  it('wasm: a batch too large for one resident region runs one step at a time, with the same numbers', () => {
    void setBackend('wasm');
    const old = setStepScratchLimitForTests(1024);
    try {
      runAndCompare({ cell: 'lstm', B: 4, T: 5, D: 6, U: 10 }, 40);
    } finally {
      setStepScratchLimitForTests(old);
    }
  });

  it('wasm, batch 1: run() (one call, input projections of all steps first; one step: cellStep) equals step() called per step, bit for bit', () => {
    void setBackend('wasm');
    const cases: Case[] = [
      { cell: 'lstm', B: 1, T: 9, D: 5, U: 13 },
      { cell: 'gru', resetAfter: true, B: 1, T: 7, D: 6, U: 11 },
      { cell: 'gru', resetAfter: false, B: 1, T: 7, D: 6, U: 11 },
      { cell: 'simpleRNN', B: 1, T: 6, D: 3, U: 7 },
      { cell: 'lstm', B: 1, T: 1, D: 5, U: 13 },
      { cell: 'simpleRNN', B: 1, T: 1, D: 3, U: 7 },
    ];
    cases.forEach((c, i) => {
      for (const rec of ['sigmoid', 'hardSigmoid'] as const) {
        const d = data(c, 50 + i);
        const k = createStepKernel(c.cell, d.W, d.R, d.bias, { activation: 'tanh', recurrentActivation: rec, resetAfter: d.resetAfter });
        const lstm = c.cell === 'lstm';
        const h = new Float32Array(c.U);
        const cc = lstm ? new Float32Array(c.U) : null;
        const seq = new Float32Array(c.T * c.U);
        k.run(d.xs, c.T, d.h0, d.c0, h, cc, { sequenceOutputs: seq });
        const hs = d.h0.slice();
        const cs = d.c0 ? d.c0.slice() : null;
        for (let t = 0; t < c.T; t++) {
          k.step(d.xs.subarray(t * c.D, (t + 1) * c.D), hs, cs, hs, cs);
          expect(Array.from(seq.subarray(t * c.U, (t + 1) * c.U))).toEqual(Array.from(hs));
        }
        expect(Array.from(h)).toEqual(Array.from(hs));
        if (lstm) expect(Array.from(cc as Float32Array)).toEqual(Array.from(cs as Float32Array));
        k.dispose();
      }
    });
  });

  it("wasm: replaced weight arrays (as a Variable's assign) are re-packed before the next run", () => {
    void setBackend('wasm');
    const c: Case = { cell: 'lstm', B: 1, T: 6, D: 4, U: 8 };
    const d = data(c, 41);
    const k = createStepKernel('lstm', d.W, d.R, d.bias, { activation: 'tanh', recurrentActivation: 'sigmoid' });
    const h = new Float32Array(8);
    const cc = new Float32Array(8);
    k.run(d.xs, 6, d.h0, d.c0, h, cc);
    const W2 = d.W.map((v) => v * -0.5);
    k.setWeights(W2, d.R, d.bias);
    k.run(d.xs, 6, d.h0, d.c0, h, cc);
    const ref = reference(c, { ...d, W: W2 });
    expectNear(h, ref.finalH, 'h after setWeights');
    expectNear(cc, ref.finalC as Float32Array, 'c after setWeights');
    k.dispose();
  });
});

describe('StepKernel.run: errors', () => {
  it('names the argument and what was expected', () => {
    // inputDim 2, units 2.
    const k = createStepKernel('lstm', new Float32Array(16), new Float32Array(16), null, {
      activation: 'tanh',
      recurrentActivation: 'sigmoid',
    });
    const z = (n: number) => new Float32Array(n);
    expect(() => k.run(z(3), 2, z(2), z(2), z(2), z(2))).toThrow(
      'StepKernel.run: xs must be a Float32Array of at least batch·timeSteps·inputDim = 4 values, received 3.',
    );
    expect(() => k.run(z(4), 0, z(2), z(2), z(2), z(2))).toThrow('StepKernel.run: timeSteps must be a positive integer, received 0.');
    expect(() => k.run(z(4), 2, z(2), z(2), z(2), z(2), { batch: 0 })).toThrow(
      'StepKernel.run: options.batch must be a positive integer, received 0.',
    );
    expect(() => k.run(z(4), 2, z(2), null, z(2), null)).toThrow(
      'StepKernel.run: an LSTM needs c and cOut, Float32Arrays of at least batch·units = 2 values.',
    );
    expect(() => k.run(z(4), 2, z(2), z(2), z(2), z(2), { sequenceOutputs: z(3) })).toThrow(
      'StepKernel.run: options.sequenceOutputs must be a Float32Array of at least batch·timeSteps·units = 4 values.',
    );
    k.dispose();
    expect(() => k.run(z(4), 2, z(2), z(2), z(2), z(2))).toThrow('StepKernel.run: the kernel has been disposed.');
  });
});
