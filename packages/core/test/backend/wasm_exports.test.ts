/**
 * The hand-written `WasmExports` (src/backend/wasm_exports.ts, what the glue calls) is exactly the module's exports as
 * AssemblyScript declares them (src/backend/wasm_exports.generated.ts, written by scripts/build-wasm.mjs, kept
 * fresh by its `--check`): same functions, same parameter counts, same return types. A kernel whose signature
 * changes in assembly/ without its glue fails `tsc` here (and the test below).
 */
import { WASM_ASCII } from '../../src/backend/wasm_simd.generated';
import { decodeWasmAscii } from '../../src/backend/wasm';
import type { WasmExports } from '../../src/backend/wasm_exports';
import type { GeneratedWasmExports } from '../../src/backend/wasm_exports.generated';

/** true when A and B are mutually assignable (for these all-number signatures: equal parameter lists and returns). */
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Keys<A, B> = Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>;
type SameParameters<A, B> = {
  [K in keyof A & keyof B]: A[K] extends (...args: infer P) => infer R
    ? B[K] extends (...args: infer Q) => infer S
      ? Exact<P, Q> extends true
        ? Exact<R, S>
        : false
      : false
    : Exact<A[K], B[K]>;
};

describe('WasmExports', () => {
  it('matches the generated declarations of the module exports', () => {
    const noExtraKeys: [Keys<WasmExports, GeneratedWasmExports>] extends [never] ? true : false = true;
    const exact: Exact<WasmExports, GeneratedWasmExports> = true;
    const perExport: SameParameters<WasmExports, GeneratedWasmExports>[keyof WasmExports & keyof GeneratedWasmExports] = true;
    expect([noExtraKeys, exact, perExport]).toEqual([true, true, true]);
    // The compiled module exports what the declarations list (one name per member).
    const names = WebAssembly.Module.exports(new WebAssembly.Module(decodeWasmAscii(WASM_ASCII)))
      .map((e) => e.name)
      .sort();
    const generated: { [K in keyof GeneratedWasmExports]: 0 } = {
      memory: 0,
      heapBase: 0,
      gemm: 0,
      gemmWorkspaceBytes: 0,
      packedGateFloats: 0,
      sequenceWorkFloats: 0,
      forwardWorkFloats: 0,
      packedInputFloats: 0,
      packInput: 0,
      packRecurrent: 0,
      columnSums: 0,
      lstmForward: 0,
      lstmBackward: 0,
      gruForward: 0,
      gruBackward: 0,
      simpleForward: 0,
      simpleBackward: 0,
      stepPackedFloats: 0,
      stepBiasFloats: 0,
      stepWorkFloats: 0,
      packStepWeights: 0,
      cellStep: 0,
      stepSequenceWorkFloats: 0,
      stepSequence: 0,
      stepProjectWorkFloats: 0,
      stepProject: 0,
      stepColumns: 0,
    };
    expect(names).toEqual(Object.keys(generated).sort());
  });
});
