/**
 * Batch-1 sequences of the step kernel (StepKernel.run) on several wasm threads: each step's gate columns
 * split by units across threads with a barrier between steps (`stepColumns`, `WorkerPool.runSteps`) must
 * give exactly (bit for bit) what one thread gives: LSTM (sigmoid and hardSigmoid gates), SimpleRNN and GRU
 * with resetAfter; units not a multiple of the 8-column panels, goBackwards, no bias, and a sequence longer
 * than one chunk of input projections. GRU without resetAfter stays on one thread ((r ⊙ h)·U_h needs every
 * unit's r). Also checked against the whole-sequence TypeScript kernel within 1e-5 of the scale.
 */
import { createStepKernel, lstmSequenceForward, resolveSequenceOptions, SequenceArrays, StepCellKind } from '../../../src';
import { setStepSplitTuningForTests } from '../../../src/backend/step_split_choice';
import { randomArray, rng } from '../../kernels/reference';
import { loadWithThreads, restoreDefaults, takePoolRuns, useThreads } from './helpers';

const THREADS = 3;

let oldTuning = true;
beforeAll(async () => {
  await loadWithThreads(THREADS);
  oldTuning = setStepSplitTuningForTests(false);
});
afterAll(() => {
  setStepSplitTuningForTests(oldTuning);
  restoreDefaults();
});

interface Case {
  cell: StepCellKind;
  resetAfter?: boolean;
  T: number;
  D: number;
  U: number;
  rec?: 'sigmoid' | 'hardSigmoid';
  goBackwards?: boolean;
  useBias?: boolean;
}

function gates(cell: StepCellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

function f32(r: () => number, n: number, scale: number): Float32Array {
  return Float32Array.from(randomArray(r, n).map((v) => v * scale));
}

function data(c: Case, seed: number) {
  const G = gates(c.cell);
  const r = rng(seed);
  const rows = c.cell === 'gru' && c.resetAfter ? 2 : 1;
  return {
    W: f32(r, c.D * G * c.U, 0.5),
    R: f32(r, c.U * G * c.U, 0.3),
    bias: c.useBias === false ? null : f32(r, rows * G * c.U, 0.5),
    xs: f32(r, c.T * c.D, 1),
    h0: f32(r, c.U, 0.8),
    c0: f32(r, c.U, 1),
  };
}

function runOnce(c: Case, d: ReturnType<typeof data>) {
  const k = createStepKernel(c.cell, d.W, d.R, d.bias, {
    activation: 'tanh',
    recurrentActivation: c.rec ?? 'sigmoid',
    resetAfter: c.resetAfter ?? false,
  });
  const lstm = c.cell === 'lstm';
  const h = new Float32Array(c.U);
  const cc = lstm ? new Float32Array(c.U) : null;
  const seq = new Float32Array(c.T * c.U);
  k.run(d.xs, c.T, d.h0, lstm ? d.c0 : null, h, cc, { goBackwards: c.goBackwards, sequenceOutputs: seq });
  k.dispose();
  return { h: Array.from(h), c: cc ? Array.from(cc) : null, seq: Array.from(seq) };
}

const CASES: Case[] = [
  { cell: 'lstm', T: 9, D: 5, U: 13 },
  { cell: 'lstm', T: 7, D: 16, U: 64, rec: 'hardSigmoid', goBackwards: true },
  { cell: 'lstm', T: 60, D: 8, U: 256, useBias: false },
  { cell: 'simpleRNN', T: 11, D: 3, U: 21 },
  { cell: 'gru', resetAfter: true, T: 8, D: 6, U: 19, goBackwards: true },
  { cell: 'gru', resetAfter: false, T: 6, D: 4, U: 19 },
];

describe(`StepKernel.run, batch 1: ${THREADS} wasm threads (columns split per step) vs 1 thread`, () => {
  CASES.forEach((c, i) => {
    const name = `${c.cell}${c.cell === 'gru' ? ` resetAfter=${c.resetAfter}` : ''} ${c.T} steps, inputDim ${c.D}, units ${c.U}${c.rec ? `, ${c.rec}` : ''}${c.goBackwards ? ', goBackwards' : ''}${c.useBias === false ? ', no bias' : ''}`;
    it(name, async () => {
      const d = data(c, 70 + i);
      await useThreads(1);
      const one = runOnce(c, d);
      await useThreads(THREADS);
      takePoolRuns();
      const many = runOnce(c, d);
      const splits = takePoolRuns();
      if (c.cell === 'gru' && !c.resetAfter) expect(splits).toBe(0);
      else expect(splits).toBeGreaterThanOrEqual(c.T > 51 ? 2 : 1); // one run per chunk of steps
      expect(many).toEqual(one);
    });
  });

  it('agrees with the whole-sequence TypeScript kernel (LSTM, 3 threads)', async () => {
    const c: Case = { cell: 'lstm', T: 12, D: 7, U: 37 };
    const d = data(c, 90);
    await useThreads(THREADS);
    const many = runOnce(c, d);
    const a: SequenceArrays = {
      batch: 1,
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
    const o = resolveSequenceOptions('test', 4, a, { activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: true }, false);
    const ref = lstmSequenceForward(a, o);
    const expected = Array.from(ref.sequenceOutputs as Float32Array);
    const scale = Math.max(1, ...expected.map(Math.abs));
    many.seq.forEach((v, j) => {
      if (!(Math.abs(v - expected[j]) <= 1e-5 * scale)) throw new Error(`seq[${j}]: ${v} vs ${expected[j]}`);
    });
  });
});
