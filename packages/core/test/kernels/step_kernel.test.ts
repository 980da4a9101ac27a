/**
 * createStepKernel: one step of LSTM / GRU (both modes) / SimpleRNN with resident weights, on the wasm
 * backend and its TypeScript twin, against the whole-sequence kernels run on T = 1 (outputs within 1e-5
 * relative to max(1, |value|)). Also: weight re-upload on array replacement, in-place state updates,
 * retained wasm memory surviving other kernels' scratch use, dispose, and argument errors.
 */
import {
  createStepKernel,
  gruSequenceForward,
  KERNEL_ACTIVATION_NAMES,
  KernelActivationName,
  lstmSequenceForward,
  resolveSequenceOptions,
  SequenceArrays,
  simpleRNNSequenceForward,
  StepCellKind,
  matMul,
  tensor,
} from '../../src';
import { getBackend, resetBackendForTests, setBackend } from '../../src/backend/backend';
import { arena, resetWasmForTests, retainedArena, wasmMemoryShared } from '../../src/backend/wasm';
import { resetThreadsForTests, setThreadsCount } from '../../src/backend/threads/threads';
import { setStepScratchLimitForTests } from '../../src/backend/step_wasm';
import { randomArray, rng } from './reference';
import { expectNear } from '../helpers/expect_near';

/** The cell's math, which the kernels require (resetAfter is read by 'gru' only). */
const OPTS = { activation: 'tanh', recurrentActivation: 'sigmoid', resetAfter: true } as const;

afterAll(() => resetBackendForTests());

interface Spec {
  cell: StepCellKind;
  resetAfter?: boolean;
  B?: number;
  D?: number;
  U?: number;
  useBias?: boolean;
  act?: KernelActivationName;
  rec?: KernelActivationName;
  seed?: number;
}

function gates(cell: StepCellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

function f32(r: () => number, n: number, scale = 1): Float32Array {
  return Float32Array.from(randomArray(r, n).map((v) => v * scale));
}

function build(spec: Spec) {
  const { cell, B = 1, D = 7, U = 13, useBias = true, seed = 1 } = spec;
  const G = gates(cell);
  const resetAfter = cell === 'gru' ? (spec.resetAfter ?? true) : false;
  const r = rng(seed);
  return {
    B,
    D,
    U,
    resetAfter,
    W: f32(r, D * G * U, 0.5),
    R: f32(r, U * G * U, 0.5),
    bias: useBias ? f32(r, (resetAfter ? 2 : 1) * G * U, 0.5) : null,
    x: f32(r, B * D),
    h: f32(r, B * U, 0.8),
    c: cell === 'lstm' ? f32(r, B * U) : null,
  };
}

/** The sequence kernel on T = 1 (the reference). */
function sequenceStep(spec: Spec, d: ReturnType<typeof build>): { h: Float32Array; c: Float32Array | null } {
  const a: SequenceArrays = {
    batch: d.B,
    timeSteps: 1,
    inputDim: d.D,
    units: d.U,
    inputs: d.x,
    kernel: d.W,
    recurrentKernel: d.R,
    bias: d.bias,
    initialH: d.h,
    initialC: d.c,
  };
  const o = resolveSequenceOptions(
    'test',
    gates(spec.cell),
    a,
    {
      activation: spec.act ?? 'tanh',
      recurrentActivation: spec.rec ?? 'sigmoid',
      resetAfter: d.resetAfter,
    },
    false,
  );
  const fwd =
    spec.cell === 'lstm' ? lstmSequenceForward(a, o) : spec.cell === 'gru' ? gruSequenceForward(a, o) : simpleRNNSequenceForward(a, o);
  return { h: fwd.finalH, c: fwd.finalC };
}

function stepOnce(spec: Spec, d: ReturnType<typeof build>): { h: Float32Array; c: Float32Array | null } {
  const k = createStepKernel(spec.cell, d.W, d.R, d.bias, {
    activation: spec.act ?? 'tanh',
    recurrentActivation: spec.rec ?? 'sigmoid',
    resetAfter: d.resetAfter,
  });
  const h = new Float32Array(d.B * d.U);
  const c = d.c ? new Float32Array(d.B * d.U) : null;
  k.step(d.x, d.h, d.c, h, c, d.B);
  k.dispose();
  return { h, c };
}

function compare(spec: Spec): void {
  const d = build(spec);
  void setBackend('js');
  const refJs = sequenceStep(spec, d);
  const js = stepOnce(spec, d);
  void setBackend('wasm');
  expect(getBackend()).toBe('wasm');
  const refWasm = sequenceStep(spec, d);
  const wasm = stepOnce(spec, d);
  expectNear(js.h, refJs.h, 'js h');
  expectNear(js.c, refJs.c, 'js c');
  expectNear(wasm.h, refWasm.h, 'wasm h');
  expectNear(wasm.c, refWasm.c, 'wasm c');
  expectNear(wasm.h, js.h, 'wasm vs js h');
  expectNear(wasm.c, js.c, 'wasm vs js c');
}

const CELLS: Spec[] = [{ cell: 'lstm' }, { cell: 'gru', resetAfter: true }, { cell: 'gru', resetAfter: false }, { cell: 'simpleRNN' }];

describe('createStepKernel: both backends vs the sequence kernels on one step', () => {
  for (const cell of CELLS) {
    const name = cell.cell + (cell.cell === 'gru' ? ` resetAfter=${cell.resetAfter}` : '');
    it(`${name}: batch 1, units 13 (ragged)`, () => compare({ ...cell }));
    it(`${name}: batch 1, units 32, inputDim 32`, () => compare({ ...cell, D: 32, U: 32, seed: 2 }));
    it(`${name}: batch 1, units 1, inputDim 1`, () => compare({ ...cell, D: 1, U: 1, seed: 3 }));
    it(`${name}: batch 3 (one partial row panel)`, () => compare({ ...cell, B: 3, seed: 4 }));
    it(`${name}: batch 9, units 24, no bias`, () => compare({ ...cell, B: 9, U: 24, D: 5, useBias: false, seed: 5 }));
    for (const act of KERNEL_ACTIVATION_NAMES) {
      it(`${name}: activation ${act}`, () => compare({ ...cell, act, U: 6, seed: 6 }));
      if (cell.cell !== 'simpleRNN') it(`${name}: recurrentActivation ${act}`, () => compare({ ...cell, rec: act, U: 5, seed: 7 }));
    }
  }
});

describe('createStepKernel: resident weights', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`${backend}: 20 steps in place equal the sequence kernel over 20 steps; new weight arrays are used`, () => {
      void setBackend(backend);
      const r = rng(11);
      const D = 6;
      const U = 10;
      const T = 20;
      const W = f32(r, D * 4 * U, 0.5);
      const R = f32(r, U * 4 * U, 0.5);
      const bias = f32(r, 4 * U, 0.5);
      const xs = f32(r, T * D);
      const k = createStepKernel('lstm', W, R, bias, OPTS);
      const h = new Float32Array(U);
      const c = new Float32Array(U);
      for (let t = 0; t < T; t++) {
        k.step(xs.subarray(t * D, (t + 1) * D), h, c, h, c);
        // Other kernels reuse the scratch memory between steps; the resident weights must survive.
        matMul(tensor(f32(r, 64 * 64), [64, 64]), tensor(f32(r, 64 * 64), [64, 64])).dataSync();
      }
      const a: SequenceArrays = {
        batch: 1,
        timeSteps: T,
        inputDim: D,
        units: U,
        inputs: xs,
        kernel: W,
        recurrentKernel: R,
        bias,
        initialH: null,
        initialC: null,
      };
      const ref = lstmSequenceForward(a, resolveSequenceOptions('test', 4, a, OPTS, false));
      expectNear(h, ref.finalH, 'h');
      expectNear(c, ref.finalC, 'c');

      // Replaced weights (new arrays, as a Variable's assign) are re-packed.
      const W2 = f32(r, D * 4 * U, 0.5);
      k.setWeights(W2, R, null);
      const h2 = new Float32Array(U);
      const c2 = new Float32Array(U);
      k.step(xs.subarray(0, D), new Float32Array(U), new Float32Array(U), h2, c2);
      const a2: SequenceArrays = { ...a, timeSteps: 1, inputs: xs.subarray(0, D), kernel: W2, bias: null };
      const ref2 = lstmSequenceForward(a2, resolveSequenceOptions('test', 4, a2, OPTS, false));
      expectNear(h2, ref2.finalH, 'h after setWeights');
      k.dispose();
      expect(k.isDisposed).toBe(true);
      expect(() => k.step(xs, h, c, h, c)).toThrow('StepKernel.step: the kernel has been disposed.');
    });
  }

  it('wasm: dispose gives the retained memory back; several kernels coexist', () => {
    void setBackend('wasm');
    const arena = retainedArena();
    expect(arena).not.toBeNull();
    const before = arena!.retainedBytes();
    const d1 = build({ cell: 'gru', U: 16, D: 8 });
    const d2 = build({ cell: 'simpleRNN', U: 9, D: 3, seed: 9 });
    const k1 = createStepKernel('gru', d1.W, d1.R, d1.bias, OPTS);
    const k2 = createStepKernel('simpleRNN', d2.W, d2.R, d2.bias, OPTS);
    const h1 = new Float32Array(16);
    const h2 = new Float32Array(9);
    k1.step(d1.x, d1.h, null, h1);
    k2.step(d2.x, d2.h, null, h2);
    expect(arena!.retainedBytes()).toBeGreaterThan(before);
    // Interleaved use stays correct.
    const again1 = new Float32Array(16);
    k1.step(d1.x, d1.h, null, again1);
    expect(Array.from(again1)).toEqual(Array.from(h1));
    k1.dispose();
    k2.dispose();
    expect(arena!.retainedBytes()).toBe(before);
  });
});

describe('createStepKernel: errors', () => {
  const r = rng(3);
  it("requires the cell's math: activation, LSTM/GRU recurrentActivation, GRU resetAfter (no silent defaults)", () => {
    const W = new Float32Array(8);
    expect(() => createStepKernel('simpleRNN', new Float32Array(2), new Float32Array(4), null, {} as never)).toThrow(
      "createStepKernel: options.activation is required (e.g. 'tanh'), received undefined.",
    );
    expect(() => createStepKernel('lstm', W, new Float32Array(16), null, { activation: 'tanh' })).toThrow(
      "createStepKernel: options.recurrentActivation is required for 'lstm' (e.g. 'sigmoid' or 'hardSigmoid'), received undefined.",
    );
    expect(() =>
      createStepKernel('gru', new Float32Array(6), new Float32Array(12), null, { activation: 'tanh', recurrentActivation: 'sigmoid' }),
    ).toThrow(
      "createStepKernel: options.resetAfter is required for 'gru', a boolean (true: Keras 2/3 and PyTorch; false: tfjs), received undefined.",
    );
    // SimpleRNN has no gates: activation is all it needs.
    const k = createStepKernel('simpleRNN', new Float32Array(2), new Float32Array(4), null, { activation: 'tanh' });
    expect(k.units).toBe(2);
    k.dispose();
  });
  it('names the argument and the expected shape', () => {
    expect(() => createStepKernel('lstm', new Float32Array(8), new Float32Array(7), null, OPTS)).toThrow(
      'createStepKernel: recurrentKernel must hold units·4·units values ([units, 4·units]), received 7.',
    );
    expect(() => createStepKernel('gru', new Float32Array(7), f32(r, 2 * 6), null, OPTS)).toThrow(
      'createStepKernel: kernel must be a Float32Array [inputDim, 6], received 7 values.',
    );
    expect(() => createStepKernel('gru', new Float32Array(6), f32(r, 2 * 6), new Float32Array(6), OPTS)).toThrow(
      'createStepKernel: bias must be null or a Float32Array of 12 values ([2, 6] with resetAfter), received 6 values.',
    );
    expect(() => createStepKernel('lstmx' as StepCellKind, new Float32Array(4), new Float32Array(4), null, OPTS)).toThrow(
      "createStepKernel: cell must be 'lstm', 'gru' or 'simpleRNN', received 'lstmx'.",
    );
    const k = createStepKernel('lstm', new Float32Array(8), new Float32Array(16), null, OPTS);
    expect(() => k.step(new Float32Array(2), new Float32Array(2), null, new Float32Array(2))).toThrow(
      'StepKernel.step: an LSTM step needs c and cOut, Float32Arrays of at least batch·units = 2 values.',
    );
    expect(() => k.step(new Float32Array(1), new Float32Array(4), null, new Float32Array(4), null, 2)).toThrow(
      'StepKernel.step: x must be a Float32Array of at least batch·inputDim = 2 values, received 1.',
    );
    k.dispose();
  });
});

describe('createStepKernel: one kernel over changing batches', () => {
  it('wasm: batches 3, 1, 3, 2 (the region kept from the largest), then under a lowered region limit (rows in blocks), each equal the sequence kernel', () => {
    void setBackend('wasm');
    expect(getBackend()).toBe('wasm');
    for (const cell of CELLS) {
      const base = build({ ...cell, B: 3, seed: 12 });
      const k = createStepKernel(cell.cell, base.W, base.R, base.bias, { ...OPTS, resetAfter: base.resetAfter });
      const run = (B: number, seed: number) => {
        const d = { ...build({ ...cell, B, seed }), W: base.W, R: base.R, bias: base.bias };
        const h = new Float32Array(B * d.U);
        const c = d.c ? new Float32Array(B * d.U) : null;
        k.step(d.x, d.h, d.c, h, c, B);
        const ref = sequenceStep({ ...cell, B }, d);
        expectNear(h, ref.h, `${cell.cell} batch ${B} h`);
        expectNear(c, ref.c, `${cell.cell} batch ${B} c`);
      };
      [3, 1, 3, 2].forEach((B, i) => run(B, 20 + i));
      const old = setStepScratchLimitForTests(1024);
      try {
        [3, 2].forEach((B, i) => run(B, 30 + i));
      } finally {
        setStepScratchLimitForTests(old);
      }
      run(3, 40);
      k.dispose();
    }
  });
});

describe('createStepKernel: streaming across a memory growth', () => {
  afterAll(() => {
    resetThreadsForTests();
    resetWasmForTests();
  });

  // One thread: a plain memory, whose old buffer (and every view of it) detaches when it grows; two: a shared one.
  it.each([1, 2])('wasm on %i thread(s): steps before and after the module memory grows equal the sequence kernel', (threads) => {
    setThreadsCount(threads);
    resetWasmForTests();
    void setBackend('wasm');
    expect(getBackend()).toBe('wasm');
    expect(wasmMemoryShared().shared).toBe(threads > 1);
    for (const cell of CELLS) {
      const r = rng(14);
      const D = 6;
      const U = 10;
      const T = 6;
      const G = gates(cell.cell);
      const resetAfter = cell.cell === 'gru' && cell.resetAfter === true;
      const W = f32(r, D * G * U, 0.5);
      const R = f32(r, U * G * U, 0.5);
      const bias = f32(r, (resetAfter ? 2 : 1) * G * U, 0.5);
      const xs = f32(r, T * D);
      const k = createStepKernel(cell.cell, W, R, bias, { ...OPTS, resetAfter });
      const h = new Float32Array(U);
      const c = cell.cell === 'lstm' ? new Float32Array(U) : null;
      for (let t = 0; t < T; t++) {
        if (t === 3) {
          // Scratch beyond the memory's end grows it: the old (non-shared) buffer and every view of it detach.
          const before = retainedArena()!.f32().buffer;
          const bytes = before.byteLength;
          arena().alloc(bytes);
          expect(retainedArena()!.f32().buffer).not.toBe(before);
          expect(before.byteLength).toBe(threads > 1 ? bytes : 0);
        }
        k.step(xs.subarray(t * D, (t + 1) * D), h, c, h, c);
      }
      k.dispose();
      const a: SequenceArrays = {
        batch: 1,
        timeSteps: T,
        inputDim: D,
        units: U,
        inputs: xs,
        kernel: W,
        recurrentKernel: R,
        bias,
        initialH: null,
        initialC: null,
      };
      const o = resolveSequenceOptions('test', G, a, { ...OPTS, resetAfter }, false);
      const ref =
        cell.cell === 'lstm' ? lstmSequenceForward(a, o) : cell.cell === 'gru' ? gruSequenceForward(a, o) : simpleRNNSequenceForward(a, o);
      expectNear(h, ref.finalH, `${cell.cell} h`);
      expectNear(c, ref.finalC, `${cell.cell} c`);
    }
  });
});
