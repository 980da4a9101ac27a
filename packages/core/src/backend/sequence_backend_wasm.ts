/**
 * The wasm `SequenceBackend`: the fused sequence kernels of assembly/*_sequence.ts through their glue
 * (`sequenceForwardWasm` / `sequenceBackwardWasm`, sequence_wasm_chunked.ts), with the same buffers and
 * layouts as the TypeScript reference kernels (kernels/sequence_common.ts), so a forward on one backend
 * and its backward on the other agree. What the wasm calls do not cover runs in TypeScript here:
 * - the input projection when there is input dropout (otherwise the wasm call computes it);
 * - the whole call (`cell.forward` / `cell.backward`) when the glue declines it (module no longer active,
 *   or not even one batch row fits its memory bound).
 * A training forward returns its saved buffers as a handle resident in wasm (`savedHandle`, sequence_resident.ts)
 * when they fit the residency bound, else copied out (`saved`); the backward reads either.
 */
import { sequenceBackwardWasm, sequenceForwardWasm } from './sequence_wasm_chunked';
import type { WasmSequenceCell } from './sequence_wasm';
import type { WasmSavedSource, WasmSequenceWeightGrads } from './sequence_wasm_backward';
import { ResidentSaved } from './sequence_resident';
import type { SequenceBackend, SequenceCellKernels } from '../kernels/sequence_backend';
import {
  initialHGrad,
  inputProjection,
  RawSequenceOptions,
  savedOf,
  SequenceArrays,
  SequenceForwardResult,
  SequenceInputGrads,
  SequenceOutputGrads,
  SequenceSaved,
} from '../kernels/sequence_common';

function wasmCell(cell: SequenceCellKernels): WasmSequenceCell {
  return cell.cell === 'simpleRNN' ? 'simple' : cell.cell;
}

function forward(cell: SequenceCellKernels, a: SequenceArrays, o: RawSequenceOptions): SequenceForwardResult {
  const { batch: B, timeSteps: T, inputDim: D, units: U } = a;
  const G = cell.gates;
  const GU = G * U;
  const BU = B * U;
  const store = o.storeForBackward;
  const lstm = cell.cell === 'lstm';
  // Without input dropout the wasm call computes the projection itself (P stays null).
  const P = o.inputDropoutMasks ? inputProjection(a, o, G) : null;
  const wz = sequenceForwardWasm({
    cell: wasmCell(cell),
    batch: B,
    timeSteps: T,
    units: U,
    P,
    inputDim: D,
    inputs: a.inputs,
    kernel: a.kernel,
    inputBias: a.bias ? a.bias.subarray(0, GU) : null,
    recurrentKernel: a.recurrentKernel,
    biasRec: cell.cell === 'gru' && o.resetAfter && a.bias ? a.bias.subarray(GU, 2 * GU) : null,
    initialH: a.initialH,
    initialC: lstm ? (a.initialC ?? null) : null,
    prevOutInit: o.maskedOutputInit === 'initialState' ? a.initialH : null,
    mask: o.mask,
    recurrentDropoutMasks: o.recurrentDropoutMasks,
    goBackwards: o.goBackwards,
    returnSequences: o.returnSequences,
    store,
    resetAfter: cell.cell === 'gru' && o.resetAfter,
    activation: o.activation,
    recurrentActivation: o.recurrentActivation,
    cacheWeights: !!a.immutableWeights && !store,
  });
  if (!wz) return cell.forward(a, o);
  let saved: SequenceSaved | null = null;
  const s = wz.saved;
  if (s) {
    // SimpleRNN: h after each step is the activation output, so the states double as the saved gates.
    saved =
      cell.cell === 'simpleRNN'
        ? { states: s.H, cells: null, gates: s.H.subarray(BU), extra: null }
        : { states: s.H, cells: s.C, gates: s.gates, extra: s.extra };
  }
  return {
    lastOutput: wz.prevOut,
    sequenceOutputs: wz.seq,
    finalH: wz.finalH,
    finalC: wz.finalC,
    saved,
    savedHandle: wz.resident,
  };
}

/** The saved arrays as the wasm backward reads them. */
function arraysSource(cell: SequenceCellKernels, saved: SequenceSaved): WasmSavedSource {
  const simple = cell.cell === 'simpleRNN';
  return {
    kind: 'arrays',
    arrays: {
      H: saved.states,
      C: cell.cell === 'lstm' ? saved.cells : null,
      gates: simple ? new Float32Array(0) : saved.gates,
      extra: simple ? new Float32Array(0) : (saved.extra as Float32Array),
    },
  };
}

function backward(
  cell: SequenceCellKernels,
  a: SequenceArrays,
  o: RawSequenceOptions,
  fwd: SequenceForwardResult,
  grads: SequenceOutputGrads,
): SequenceInputGrads {
  // The forward's saved buffers: the resident handle this backend made (read in place), or arrays (copied in).
  const handle = !fwd.saved && fwd.savedHandle instanceof ResidentSaved ? fwd.savedHandle : null;
  const saved = handle ? null : savedOf(`${cell.cell}SequenceBackward`, fwd);
  const source: WasmSavedSource = handle ? { kind: 'resident', handle, row0: 0 } : arraysSource(cell, saved as SequenceSaved);
  const { batch: B, timeSteps: T, units: U } = a;
  const rm = o.recurrentDropoutMasks;
  const gru = cell.cell === 'gru';
  // The wasm call also computes the weight and input gradients (its tail), with dropout masks too.
  const biasRows = a.bias ? (gru && o.resetAfter ? (2 as const) : (1 as const)) : (0 as const);
  const im = o.inputDropoutMasks ?? null;
  const tail = { inputDim: a.inputDim, inputs: a.inputs, kernel: a.kernel, biasRows, inputDropoutMasks: im };
  const wz = sequenceBackwardWasm({
    cell: wasmCell(cell),
    batch: B,
    timeSteps: T,
    units: U,
    recurrentKernel: a.recurrentKernel,
    saved: source,
    dLastOutput: grads.dLastOutput,
    dSequenceOutputs: grads.dSequenceOutputs,
    dFinalH: grads.dFinalH,
    dFinalC: cell.cell === 'lstm' ? (grads.dFinalC ?? null) : null,
    mask: o.mask,
    recurrentDropoutMasks: rm,
    goBackwards: o.goBackwards,
    resetAfter: gru && o.resetAfter,
    activation: o.activation,
    recurrentActivation: o.recurrentActivation,
    tail,
  });
  if (!wz) return cell.backward(a, o, fwd, grads);
  // With a tail the wasm call always returns the weight gradients (dropout masks too).
  return { ...(wz.weights as WasmSequenceWeightGrads), dInitialH: initialHGrad(o, wz.dh, wz.dCarry), dInitialC: wz.dc };
}

/** The fused sequence kernels on the wasm module (see the file header). */
export const wasmSequenceBackend: SequenceBackend = { name: 'wasm', forward, backward };
