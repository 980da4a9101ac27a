/**
 * Fused whole-sequence recurrent kernels: differentiable ops (run on the active backend, sequence_op.ts) and
 * their raw Float32Array forward/backward (the TypeScript reference kernels).
 */
export { lstmSequence, lstmSequenceForward, lstmSequenceBackward } from './lstm_sequence';
export { gruSequence, gruSequenceForward, gruSequenceBackward } from './gru_sequence';
export { simpleRNNSequence, simpleRNNSequenceForward, simpleRNNSequenceBackward } from './simple_rnn_sequence';
export { resolveSequenceOptions } from './sequence_op';
export type { SequenceKernelOptions, LstmSequenceOptions, GruSequenceOptions, SequenceMaskLike, DropoutMaskLike } from './sequence_op';
export type {
  SequenceDims,
  SequenceArrays,
  RawSequenceOptions,
  SequenceSaved,
  SequenceSavedHandle,
  SequenceForwardResult,
  SequenceOutputGrads,
  SequenceInputGrads,
} from './sequence_common';
export { getKernelActivation, KERNEL_ACTIVATION_NAMES } from './activation_table';
export type { KernelActivation, KernelActivationName } from './activation_table';
export { createStepKernel } from './step_kernel';
export type { StepCellKind, StepKernel, StepKernelOptions, StepRunOptions } from './step_kernel';
export { ctcLossForward, ctcLossBackward } from './ctc_kernel';
export type { CtcDims, CtcArrays, CtcKernelOptions, CtcSaved, CtcForwardResult } from './ctc_kernel';
