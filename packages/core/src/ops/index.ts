/** All general ops, re-exported for the package index and the chained methods. */
export { add, sub, mul, div, neg } from './arithmetic';
export { matMul } from './mat_mul';
export { reshape } from './reshape';
// OPS-EXPORTS (add new op modules above this line)
