/**
 * Jest environment of the onnx tests: the node environment with the typed-array constructors of Node's own
 * realm. onnxruntime-node's native binding creates its output arrays in that realm, and onnxruntime-common
 * checks `data instanceof Float32Array` against the test realm's constructors, which fails inside jest's vm
 * context ("A float32 tensor's data must be type of function Float32Array()").
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Uint8Array',
  'Uint16Array',
  'Uint32Array',
  'Uint8ClampedArray',
  'BigInt64Array',
  'BigUint64Array',
];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
