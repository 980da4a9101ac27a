/**
 * Where a fused sequence kernel runs: a `SequenceBackend` runs the forward and the backward of one cell
 * on raw Float32Arrays. `sequence_op.ts` chooses one (`sequenceBackend()`): the wasm backend
 * (backend/sequence_backend_wasm.ts) when the module is active, else `jsSequenceBackend`, which runs the
 * TypeScript reference kernels of `lstm_sequence.ts`, `gru_sequence.ts` and `simple_rnn_sequence.ts`.
 * A backend receives the cell's reference kernels (`SequenceCellKernels`) with each call, so it can hand a
 * call it cannot run (too big for its memory) or part of one (the weight-gradient tail) to them.
 */
import type { RawSequenceOptions, SequenceArrays, SequenceForwardResult, SequenceInputGrads, SequenceOutputGrads } from './sequence_common';

/** The cells with fused sequence kernels. */
export type SequenceCellName = 'lstm' | 'gru' | 'simpleRNN';

/** The TypeScript reference kernels of one cell (the fallback and the twin every backend is tested against). */
export interface SequenceCellKernels {
  readonly cell: SequenceCellName;
  /** Number of gates G (LSTM 4, GRU 3, SimpleRNN 1). */
  readonly gates: number;
  forward(a: SequenceArrays, o: RawSequenceOptions): SequenceForwardResult;
  backward(a: SequenceArrays, o: RawSequenceOptions, fwd: SequenceForwardResult, grads: SequenceOutputGrads): SequenceInputGrads;
}

/** Runs fused sequence kernels (see the file header). */
export interface SequenceBackend {
  /** The backend's name, as `getBackend()` reports it. */
  readonly name: 'wasm' | 'js';
  /** The forward of `cell` over all steps (inputs already validated and resolved by the op). */
  forward(cell: SequenceCellKernels, a: SequenceArrays, o: RawSequenceOptions): SequenceForwardResult;
  /**
   * The backpropagation through time of a forward run with `o.storeForBackward` (on any backend: the layouts are
   * shared, and a forward's `savedHandle` made by another backend is read through its `copyOut`).
   */
  backward(
    cell: SequenceCellKernels,
    a: SequenceArrays,
    o: RawSequenceOptions,
    fwd: SequenceForwardResult,
    grads: SequenceOutputGrads,
  ): SequenceInputGrads;
}

/** The TypeScript reference kernels as a backend. */
export const jsSequenceBackend: SequenceBackend = {
  name: 'js',
  forward: (cell, a, o) => cell.forward(a, o),
  backward: (cell, a, o, fwd, grads) => cell.backward(a, o, fwd, grads),
};
