/** All general ops, re-exported for the package index and the chained methods. */
export { add, sub, mul, div, neg } from './arithmetic';
export { matMul, dot } from './mat_mul';
export { reshape, expandDims, squeeze } from './reshape';
export {
  abs,
  square,
  sqrt,
  rsqrt,
  reciprocal,
  exp,
  expm1,
  log,
  log1p,
  sin,
  cos,
  tan,
  sign,
  floor,
  ceil,
  round,
  isNaN,
  isFinite,
  isInf,
  clipByValue,
  step,
} from './unary';
export { sigmoid, logSigmoid, hardSigmoid, tanh, relu, relu6, elu, selu, softplus, softsign, leakyRelu, prelu } from './activations';
export { pow, maximum, minimum, squaredDifference, mod, floorDiv, atan2 } from './binary_math';
export { sum, mean, max, min, prod, logSumExp, all, any, argMax, argMin, moments } from './reduction';
export { softmax, logSoftmax } from './softmax';
export { transpose } from './transpose';
export { slice, concat, stack, unstack, split } from './slice_concat';
export type { SliceRange } from './slice_concat';
export { broadcastTo, tile, pad, reverse } from './tile_pad';
export { gather } from './gather';
export { equal, notEqual, greater, greaterEqual, less, lessEqual, logicalAnd, logicalOr, logicalXor, logicalNot, where } from './logical';
export { cast } from './cast';
export { ctcLoss } from './ctc_loss';
export type { CtcLossOptions } from './ctc_loss';
export { ctcDecode } from './ctc_decode';
export type { CtcDecodeOptions } from './ctc_decode';
export { conv2d, convOutputLength } from './conv2d';
export type { ConvPadding } from './conv2d';
export { topk, multinomial, temperatureSample } from './sampling';
export type { TemperatureSampleOptions } from './sampling';
export { beamSearch, gatherStateRows } from './beam_search';
export { additiveScores } from './additive_scores';
export type { BeamSearchOptions, BeamStepFunction, BeamStepResult, BeamHypothesis } from './beam_search';
export { conv1d, conv1dGeometry } from './conv1d';
export type { Conv1DPadding, Conv1DGeometry } from './conv1d';
export { maxPool1d, avgPool1d } from './pool1d';
export type { Pool1DPadding } from './pool1d';
export { maxPool2d, avgPool2d } from './pool2d';
export type { Pool2DPadding } from './pool2d';
export { cumsum, norm } from './cumsum_norm';
export { sinh, cosh, asin, acos, atan, asinh, acosh, atanh, erf } from './hyperbolic_trig';
export { reverse1d, reverse2d, reverse3d, reverse4d, slice1d, slice2d, slice3d, slice4d } from './ranked_ops';
export { concat1d, concat2d, concat3d, concat4d, pad1d, pad2d, pad3d, pad4d } from './ranked_ops';
export { gatherND, scatterND, tensorScatterUpdate } from './gather_scatter_nd';
export { stridedSlice } from './strided_slice';
export { unsortedSegmentSum } from './unsorted_segment_sum';
export { searchSorted, lowerBound, upperBound } from './search_sorted';
export { unique } from './unique';
export { clone } from './clone';
export { divNoNan } from './div_no_nan';
export { euclideanNorm, outerProduct } from './norm_products';
export { cumprod } from './cumprod';
export { whereAsync, booleanMaskAsync, setdiff1dAsync, inTopKAsync } from './async_ops';
export { einsum } from './einsum';
export { math } from './confusion_matrix';
export { addN } from './add_n';
export { dropout, dropoutKeepMask } from './dropout';
export { mirrorPad } from './mirror_pad';
export { diag } from './diag';
export { ensureShape } from './ensure_shape';
export { randomUniformInt, randomStandardNormal, rand } from './random_extra';
export { movingAverage } from './moving_average';
export { enableProdMode, enableDebugMode } from './modes';
export { basicLSTMCell, multiRNNCell } from './basic_lstm_cell';
export type { LSTMCellFunc } from './basic_lstm_cell';
export { signal } from './signal';
// OPS-EXPORTS (add new op modules above this line)
