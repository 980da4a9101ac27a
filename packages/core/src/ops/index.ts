/** All general ops, re-exported for the package index and the chained methods. */
export { add, sub, mul, div, neg } from './arithmetic';
export { matMul, dot } from './mat_mul';
export { reshape, expandDims, squeeze } from './reshape';
export {
  abs, square, sqrt, rsqrt, reciprocal, exp, expm1, log, log1p, sin, cos, tan, sign, floor, ceil, round,
  isNaN, isFinite, isInf, clipByValue, step,
} from './unary';
export {
  sigmoid, logSigmoid, hardSigmoid, tanh, relu, relu6, elu, selu, softplus, softsign, leakyRelu, prelu,
} from './activations';
export { pow, maximum, minimum, squaredDifference, mod, floorDiv, atan2 } from './binary_math';
export { sum, mean, max, min, prod, logSumExp, all, any, argMax, argMin, moments } from './reduction';
export { softmax, logSoftmax } from './softmax';
export { transpose } from './transpose';
export { slice, concat, stack, unstack, split } from './slice_concat';
export { broadcastTo, tile, pad, reverse } from './tile_pad';
export { gather } from './gather';
export {
  equal, notEqual, greater, greaterEqual, less, lessEqual, logicalAnd, logicalOr, logicalXor, logicalNot, where,
} from './logical';
export { cast } from './cast';
export { cumsum, norm } from './cumsum_norm';
// OPS-EXPORTS (add new op modules above this line)
