/**
 * The WebAssembly module's exports as the glue calls them (hand-written; `test/backend/wasm_exports.test.ts`
 * requires it to equal `wasm_exports.generated.ts`, which build-wasm.mjs writes from the AssemblyScript sources).
 */
/** The functions the module exports (pointers are byte offsets into `memory`; bools are 0/1). */
export interface WasmExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  gemm(
    a: number,
    lda: number,
    transA: number,
    b: number,
    ldb: number,
    transB: number,
    c: number,
    ldc: number,
    M: number,
    N: number,
    K: number,
    accumulate: number,
    work: number,
  ): void;
  gemmWorkspaceBytes(M: number, N: number, K: number): number;
  // Fused sequence kernels (assembly/*_sequence.ts; glue in sequence_wasm.ts).
  packedGateFloats(U: number): number;
  sequenceWorkFloats(B: number, U: number): number;
  forwardWorkFloats(B: number, U: number, D: number): number;
  packedInputFloats(D: number, U: number): number;
  packInput(w: number, bias: number, D: number, U: number, G: number, dst: number): void;
  packRecurrent(u: number, U: number, G: number, transposed: number, dst: number): void;
  lstmForward(
    P: number,
    X: number,
    packedW: number,
    D: number,
    packedU: number,
    H: number,
    C: number,
    gates: number,
    actC: number,
    prevOut: number,
    seq: number,
    mask: number,
    rm: number,
    rmPerGate: number,
    B: number,
    T: number,
    U: number,
    goBackwards: number,
    keep: number,
    act: number,
    rec: number,
    work: number,
  ): void;
  lstmBackward(
    packedUT: number,
    H: number,
    C: number,
    gates: number,
    actC: number,
    dh: number,
    dhPrev: number,
    dc: number,
    dCarry: number,
    scratch: number,
    dLast: number,
    dSeq: number,
    mask: number,
    rm: number,
    rmPerGate: number,
    dRec: number,
    dPin: number,
    B: number,
    T: number,
    U: number,
    goBackwards: number,
    act: number,
    rec: number,
    work: number,
  ): number;
  gruForward(
    P: number,
    X: number,
    packedW: number,
    D: number,
    packedU: number,
    biasRec: number,
    H: number,
    gates: number,
    extra: number,
    R: number,
    prevOut: number,
    seq: number,
    mask: number,
    rm: number,
    rmPerGate: number,
    B: number,
    T: number,
    U: number,
    goBackwards: number,
    keep: number,
    resetAfter: number,
    act: number,
    rec: number,
    work: number,
  ): void;
  gruBackward(
    packedUT: number,
    H: number,
    gates: number,
    extra: number,
    dh: number,
    dhPrev: number,
    dCarry: number,
    scratch: number,
    dS: number,
    dLast: number,
    dSeq: number,
    mask: number,
    rm: number,
    rmPerGate: number,
    dRec: number,
    dPin: number,
    B: number,
    T: number,
    U: number,
    goBackwards: number,
    resetAfter: number,
    act: number,
    rec: number,
    work: number,
  ): number;
  columnSums(src: number, rows: number, width: number, dst: number): void;
  simpleForward(
    P: number,
    X: number,
    packedW: number,
    D: number,
    packedU: number,
    H: number,
    prevOut: number,
    seq: number,
    mask: number,
    rm: number,
    B: number,
    T: number,
    U: number,
    goBackwards: number,
    keep: number,
    act: number,
    work: number,
  ): void;
  simpleBackward(
    packedUT: number,
    H: number,
    dh: number,
    dhPrev: number,
    dCarry: number,
    scratch: number,
    dLast: number,
    dSeq: number,
    mask: number,
    rm: number,
    dRec: number,
    dPin: number,
    B: number,
    T: number,
    U: number,
    goBackwards: number,
    act: number,
    work: number,
  ): number;
  // One-step cell kernels (assembly/step_kernel.ts; glue in step_wasm.ts). kind: WASM_STEP_KIND (wasm_interface.generated.ts).
  stepPackedFloats(kind: number, D: number, U: number): number;
  stepBiasFloats(kind: number, U: number): number;
  stepWorkFloats(kind: number, B: number, D: number, U: number): number;
  packStepWeights(kind: number, w: number, r: number, bias: number, D: number, U: number, dst: number, biasDst: number): void;
  cellStep(
    kind: number,
    packed: number,
    bias: number,
    x: number,
    h: number,
    c: number,
    hOut: number,
    cOut: number,
    B: number,
    D: number,
    U: number,
    act: number,
    rec: number,
    work: number,
  ): void;
  stepSequenceWorkFloats(kind: number, B: number, D: number, U: number, T: number): number;
  stepSequence(
    kind: number,
    packed: number,
    bias: number,
    X: number,
    H: number,
    C: number,
    B: number,
    T: number,
    D: number,
    U: number,
    act: number,
    rec: number,
    work: number,
  ): void;
  stepProjectWorkFloats(D: number, rows: number): number;
  stepProject(kind: number, packed: number, X: number, rows: number, D: number, U: number, Z: number, work: number): void;
  stepColumns(
    kind: number,
    packed: number,
    bias: number,
    Z: number,
    H: number,
    C: number,
    s: number,
    s0: number,
    D: number,
    U: number,
    act: number,
    rec: number,
    u0: number,
    u1: number,
  ): void;
}
