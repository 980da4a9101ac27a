/** The raw Float32Array entry points, as the WebAssembly port and the layers call them. */
import {
  gruSequenceBackward,
  gruSequenceForward,
  lstmSequenceBackward,
  lstmSequenceForward,
  RawSequenceOptions,
  resolveSequenceOptions,
  SequenceArrays,
} from '../../src';
import { maxAbsDiff } from './cases';
import { randomArray, reference, rng } from './reference';

const B = 2;
const T = 3;
const D = 2;
const U = 3;

function lstmArrays(): SequenceArrays {
  const r = rng(9);
  return {
    batch: B,
    timeSteps: T,
    inputDim: D,
    units: U,
    inputs: Float32Array.from(randomArray(r, B * T * D)),
    kernel: Float32Array.from(randomArray(r, D * 4 * U)),
    recurrentKernel: Float32Array.from(randomArray(r, U * 4 * U)),
    bias: Float32Array.from(randomArray(r, 4 * U)),
    initialH: Float32Array.from(randomArray(r, B * U)),
    initialC: Float32Array.from(randomArray(r, B * U)),
  };
}

function options(store: boolean): RawSequenceOptions {
  return resolveSequenceOptions(
    'test',
    4,
    { batch: B, timeSteps: T, inputDim: D, units: U },
    { activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: true, goBackwards: true },
    store,
  );
}

describe('raw sequence kernels', () => {
  it('resolveSequenceOptions keeps the required options and fills the documented defaults of the rest', () => {
    const required = { activation: 'tanh', recurrentActivation: 'hardSigmoid', resetAfter: false } as const;
    expect(resolveSequenceOptions('x', 3, { batch: 1, timeSteps: 1, inputDim: 1, units: 1 }, required, false)).toEqual({
      activation: 'tanh',
      recurrentActivation: 'hardSigmoid',
      goBackwards: false,
      returnSequences: false,
      mask: null,
      inputDropoutMasks: null,
      recurrentDropoutMasks: null,
      maskedOutputInit: 'zeros',
      resetAfter: false,
      storeForBackward: false,
    });
  });

  it('forward without storing intermediates gives the same values and saves nothing', () => {
    const a = lstmArrays();
    const stored = lstmSequenceForward(a, options(true));
    const lean = lstmSequenceForward(a, options(false));
    expect(lean.saved).toBeNull();
    expect(stored.saved?.states.length).toBe((T + 1) * B * U);
    expect(Array.from(lean.sequenceOutputs as Float32Array)).toEqual(Array.from(stored.sequenceOutputs as Float32Array));
    expect(Array.from(lean.finalC as Float32Array)).toEqual(Array.from(stored.finalC as Float32Array));
    const ref = reference({
      cell: 'lstm',
      B,
      T,
      D,
      U,
      x: Array.from(a.inputs),
      W: Array.from(a.kernel),
      R: Array.from(a.recurrentKernel),
      bias: Array.from(a.bias as Float32Array),
      h0: Array.from(a.initialH as Float32Array),
      c0: Array.from(a.initialC as Float32Array),
      act: 'tanh',
      recAct: 'sigmoid',
      goBackwards: true,
      mask: null,
      inDrop: null,
      recDrop: null,
    });
    expect(maxAbsDiff(lean.sequenceOutputs as Float32Array, ref.seq)).toBeLessThan(1e-5);
  });

  it('backward with all-null output gradients gives zeros; without stored intermediates it throws', () => {
    const a = lstmArrays();
    const f = lstmSequenceForward(a, options(true));
    const g = lstmSequenceBackward(a, options(true), f, { dLastOutput: null, dSequenceOutputs: null, dFinalH: null, dFinalC: null });
    for (const v of [g.dInputs, g.dKernel, g.dRecurrentKernel, g.dBias as Float32Array, g.dInitialH, g.dInitialC as Float32Array]) {
      expect(v.every((x) => x === 0)).toBe(true);
    }
    expect(g.dKernel.length).toBe(D * 4 * U);
    const lean = lstmSequenceForward(a, options(false));
    expect(() => lstmSequenceBackward(a, options(false), lean, { dLastOutput: null, dSequenceOutputs: null, dFinalH: null })).toThrow(
      'lstmSequenceBackward: the forward pass did not store its intermediates',
    );
    const gru = {
      ...a,
      kernel: a.kernel.subarray(0, D * 3 * U),
      recurrentKernel: a.recurrentKernel.subarray(0, U * 3 * U),
      bias: null,
      initialC: null,
    };
    const o = { ...options(false), resetAfter: false };
    expect(() =>
      gruSequenceBackward(gru, o, gruSequenceForward(gru, o), { dLastOutput: null, dSequenceOutputs: null, dFinalH: null }),
    ).toThrow('gruSequenceBackward: the forward pass did not store its intermediates');
  });
});
