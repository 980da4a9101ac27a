// Entry point of the wasm module (see src/backend/wasm.ts for how the module is built and loaded).
// Every exported function here becomes an export of the module. Add a kernel by writing it in its own
// file in this folder and re-exporting it below; memory is laid out by JavaScript (no allocator here).
// The files mirror their TypeScript twins: gemm.ts ↔ src/ops/gemm.ts, the others ↔ src/kernels/<same name>;
// interface.generated.ts holds the ids shared with the glue (from scripts/wasm_interface.mjs).

/** First byte above the module's static data: JavaScript lays out its scratch region from here. */
export function heapBase(): usize {
  return __heap_base;
}

export { gemm, gemmWorkspaceBytes } from './gemm';
export { packedGateFloats, sequenceWorkFloats, forwardWorkFloats, packedInputFloats, packInput, packRecurrent, columnSums } from './sequence_common';
export { lstmForward, lstmBackward } from './lstm_sequence';
export { gruForward, gruBackward } from './gru_sequence';
export { simpleForward, simpleBackward } from './simple_rnn_sequence';
export { stepPackedFloats, stepBiasFloats, stepWorkFloats, packStepWeights, cellStep, stepSequenceWorkFloats, stepSequence, stepProjectWorkFloats, stepProject, stepColumns } from './step_kernel';
