/**
 * @recurrent/core — tensors, ops, autograd, seeded randomness and the rnn() time loop.
 */
import { installChainedOps } from './chained_ops';

installChainedOps();
// The value import above is elided from the declarations; this type-only re-export keeps
// chained_ops.d.ts (its `declare module './tensor'` augmentation: x.add(y), x.reshape(s), ...)
// reachable from dist/types/index.d.ts, so the chained methods are in the published types.
export type {} from './chained_ops';

export { CORE_VERSION } from './version.generated';
export { ValueError, NotImplementedError, LoadError } from './errors';

export { Tensor } from './tensor';
export type { Scalar, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Rank } from './tensor';
export type { DataType, TypedArray, NestedArray } from './dtype';
export { Variable, variable, findVariable, registeredTrainableVariables, disposeVariables } from './variable';
export { tensor, tensor1d, tensor2d, tensor3d, tensor4d, tensor5d, tensor6d, scalar, convertToTensor } from './convert';
export type { TensorLike } from './convert';
export {
  zeros,
  ones,
  fill,
  zerosLike,
  onesLike,
  eye,
  range,
  linspace,
  oneHot,
  randomNormal,
  randomUniform,
  truncatedNormal,
} from './creation';
export { setSeed, RandomGenerator, generatorFor, shuffleInPlace } from './random';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads, customGrad, backward } from './gradients';
export type { CustomGradResult, GradSaveFunc, BackwardOptions } from './gradients';
export { noGrad, isNoGrad, isRecording, recordedNodeCount } from './engine';
export { tidy, dispose, keep, memory } from './memory';
export type { MemoryInfo } from './memory';
export { TensorBuffer, buffer } from './tensor_buffer';
export { util } from './util';
export type { Util } from './util';
export { nextFrame } from './next_frame';
export { env, ENV, Environment } from './environment';
export { sizeFromShape, shapesEqual, formatShape } from './shape';
export * from './ops';
export { rnn } from './rnn';
export type { StepFunction, RnnStepFunction, SequenceKernel, SequenceKernelArgs } from './rnn';
export {
  lstmSequence,
  lstmSequenceForward,
  lstmSequenceBackward,
  gruSequence,
  gruSequenceForward,
  gruSequenceBackward,
  simpleRNNSequence,
  simpleRNNSequenceForward,
  simpleRNNSequenceBackward,
  resolveSequenceOptions,
  getKernelActivation,
  KERNEL_ACTIVATION_NAMES,
  createStepKernel,
  ctcLossForward,
  ctcLossBackward,
} from './kernels';
export type {
  SequenceKernelOptions,
  LstmSequenceOptions,
  GruSequenceOptions,
  SequenceMaskLike,
  DropoutMaskLike,
  SequenceDims,
  SequenceArrays,
  RawSequenceOptions,
  SequenceSaved,
  SequenceSavedHandle,
  SequenceForwardResult,
  SequenceOutputGrads,
  SequenceInputGrads,
  KernelActivation,
  KernelActivationName,
  StepCellKind,
  StepKernel,
  StepKernelOptions,
  StepRunOptions,
  CtcDims,
  CtcArrays,
  CtcKernelOptions,
  CtcSaved,
  CtcForwardResult,
} from './kernels';
export { getBackend, setBackend, ready, backendInfo } from './backend/backend';
export type { BackendName, BackendInfo, ReadyOptions } from './backend/backend';
export { wasmFeatures } from './backend/wasm_variant';
export type { WasmFeatures, WasmVariant } from './backend/wasm_variant';
export { setThreadsCount, getThreadsCount } from './backend/threads/threads';
export { print, time } from './profiling';
export type { TimingInfo } from './profiling';
// CORE-EXPORTS (add new modules above this line)
