// Entry point of the wasm module (see src/backend/wasm.ts for how the module is built and loaded).
// Every exported function here becomes an export of the module. Add a kernel by writing it in its own
// file in this folder and re-exporting it below; memory is laid out by JavaScript (no allocator here).

/** First byte above the module's static data: JavaScript lays out its scratch region from here. */
export function heapBase(): usize {
  return __heap_base;
}

export { gemm, gemmWorkspaceBytes } from './gemm';
export {
  packedGateFloats, sequenceWorkFloats, packRecurrent, lstmForward, lstmBackward, gruForward, gruBackward, columnSums,
  simpleForward, simpleBackward,
} from './sequence';
export { stepPackedFloats, stepBiasFloats, stepWorkFloats, packStepWeights, cellStep } from './step';
