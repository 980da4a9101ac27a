/**
 * One time step of LSTM / GRU (both modes) / SimpleRNN inference on Float32Arrays, for streaming
 * (a stateful layer fed one step per call, `model.step`). The whole-sequence kernels pay a per-call setup
 * (weights copied into wasm memory, recurrent kernel packed) that dominates at one step; a step kernel
 * keeps its packed weights resident instead:
 *
 *   const k = createStepKernel('lstm', kernel, recurrentKernel, bias);   // weights as the sequence kernels
 *   k.step(x, h, c, h, c);            // h, c updated in place (batch 1); x [batch·inputDim]
 *   k.setWeights(kernel2, recurrentKernel2, bias2);   // re-packed on the next step only if an array changed
 *   k.dispose();                      // frees the resident wasm memory
 *
 * On the 'wasm' backend the packed weights live in a retained region of the module's memory (one wasm
 * call per step, backend/step_wasm.ts); on 'js' this file's TypeScript twin runs (a transposed float64 copy
 * of [W; U], dot products along its rows). Same math and layouts as `lstmSequence`, `gruSequence` and
 * `simpleRNNSequence` on one step without masks or dropout. Inference only (no tape).
 */
import { wasmExportsIfActive } from '../backend/backend';
import { STEP_ACTIVATION_IDS, STEP_KIND, WasmStepState } from '../backend/step_wasm';
import { getKernelActivation, KernelActivationName } from './activation_table';
import { gatesOf, JsStep } from './step_kernel_js';
import type { StepCellKind } from './step_kernel_js';
import { ValueError } from '../errors';

export type { StepCellKind } from './step_kernel_js';

/**
 * The cell's math, without defaults (as the sequence kernels: the layer that calls says which, so the
 * kernel never silently differs from it).
 */
export interface StepKernelOptions {
  /** Candidate/output activation. Required. */
  activation: KernelActivationName;
  /** Gate activation: required for 'lstm' and 'gru' (checked); 'simpleRNN' ignores it. */
  recurrentActivation?: KernelActivationName;
  /** Keras `reset_after`: required for 'gru' (checked; true: bias [2, 3·units]); ignored otherwise. */
  resetAfter?: boolean;
}

/** Options of `StepKernel.run`. */
export interface StepRunOptions {
  /** Rows (independent sequences) of `xs` (default 1). */
  batch?: number;
  /** Process the steps from last to first (default false). */
  goBackwards?: boolean;
  /** Receives every step's h, [batch·timeSteps·units] rows (b, s) in processing order; null/omitted: none. */
  sequenceOutputs?: Float32Array | null;
}

/** A one-step kernel with resident weights; see the file header. */
export interface StepKernel {
  readonly cell: StepCellKind;
  readonly units: number;
  readonly inputDim: number;
  readonly resetAfter: boolean;
  /** Replaces the weights (same shapes); they are re-packed on the next step if an array differs (identity). */
  setWeights(kernel: Float32Array, recurrentKernel: Float32Array, bias: Float32Array | null): void;
  /**
   * One step of `batch` rows (default 1): x [batch·inputDim], h [batch·units], c [batch·units] (LSTM; else
   * null). Writes the new h to `hOut` and (LSTM) the new c to `cOut`; they may be h and c themselves.
   */
  step(x: Float32Array, h: Float32Array, c: Float32Array | null, hOut: Float32Array, cOut?: Float32Array | null, batch?: number): void;
  /**
   * `timeSteps` steps in one call (inference of a whole short sequence, no masks): `xs`
   * [batch·timeSteps·inputDim] rows (b, t); `h`, `c` the initial states [batch·units] (`c`: LSTM, else
   * null); `hOut`, `cOut` get the final states; `options.sequenceOutputs` (optional, [batch·timeSteps·units],
   * rows (b, s)) gets every step's h in processing order (reversed with `goBackwards`, as the sequence ops).
   * On wasm the inputs and states stay inside the module: ONE wasm call for the whole sequence (batch 1 with
   * threads: each step split by units across the threads when that is faster; results are the same).
   *
   * ```js
   * k.run(xs, 50, h0, c0, h, c, {sequenceOutputs: seq});   // xs [1·50·inputDim], seq [1·50·units]
   * ```
   */
  run(
    xs: Float32Array,
    timeSteps: number,
    h: Float32Array,
    c: Float32Array | null,
    hOut: Float32Array,
    cOut: Float32Array | null,
    options?: StepRunOptions,
  ): void;
  /** Frees the resident wasm memory; the kernel cannot step afterwards. */
  dispose(): void;
  readonly isDisposed: boolean;
  /** Bytes of wasm memory the kernel keeps resident (packed weights, step buffers); 0 before the first wasm step and after `dispose()`. */
  readonly residentBytes: number;
}

const OP = 'createStepKernel';

/** A Float32Array, also from another realm (structuredClone in a vm context, workers). */
function isF32(a: unknown): a is Float32Array {
  return a instanceof Float32Array || Object.prototype.toString.call(a) === '[object Float32Array]';
}

/** The states of a step or run (`where`): h and hOut, and for an LSTM (`lstmWhat`) c and cOut, of at least BU values. */
function checkStates(
  where: string,
  lstmWhat: string,
  cell: StepCellKind,
  h: Float32Array,
  c: Float32Array | null,
  hOut: Float32Array,
  cOut: Float32Array | null,
  BU: number,
): void {
  if (!isF32(h) || h.length < BU || !isF32(hOut) || hOut.length < BU) {
    throw new ValueError(`${where}: h and hOut must be Float32Arrays of at least batch·units = ${BU} values.`);
  }
  if (cell === 'lstm' && (!isF32(c) || c.length < BU || !isF32(cOut) || cOut.length < BU)) {
    throw new ValueError(`${where}: ${lstmWhat} needs c and cOut, Float32Arrays of at least batch·units = ${BU} values.`);
  }
}

class StepKernelImpl implements StepKernel {
  readonly inputDim: number;
  readonly units: number;
  private W: Float32Array;
  private R: Float32Array;
  private bias: Float32Array | null;
  private readonly js: JsStep;
  private readonly wasm: WasmStepState;
  private readonly kind: number;
  private readonly actId: number;
  private readonly recId: number;
  private disposed = false;

  constructor(
    readonly cell: StepCellKind,
    readonly resetAfter: boolean,
    D: number,
    U: number,
    W: Float32Array,
    R: Float32Array,
    bias: Float32Array | null,
    act: KernelActivationName,
    rec: KernelActivationName,
  ) {
    this.inputDim = D;
    this.units = U;
    this.W = W;
    this.R = R;
    this.bias = bias;
    this.js = new JsStep(cell, resetAfter, D, U, getKernelActivation(act, OP), getKernelActivation(rec, OP, 'recurrentActivation'));
    this.kind =
      cell === 'lstm' ? STEP_KIND.lstm : cell === 'simpleRNN' ? STEP_KIND.simpleRNN : resetAfter ? STEP_KIND.gruResetAfter : STEP_KIND.gru;
    this.actId = STEP_ACTIVATION_IDS[act];
    this.recId = STEP_ACTIVATION_IDS[rec];
    this.wasm = new WasmStepState(this.kind, D, U);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  get residentBytes(): number {
    return this.wasm.residentBytes();
  }

  setWeights(kernel: Float32Array, recurrentKernel: Float32Array, bias: Float32Array | null): void {
    if (kernel === this.W && recurrentKernel === this.R && bias === this.bias) return;
    checkWeights(this.cell, this.resetAfter, kernel, recurrentKernel, bias, this.units, this.inputDim);
    this.W = kernel;
    this.R = recurrentKernel;
    this.bias = bias;
  }

  step(x: Float32Array, h: Float32Array, c: Float32Array | null, hOut: Float32Array, cOut: Float32Array | null = null, batch = 1): void {
    if (this.disposed) throw new ValueError('StepKernel.step: the kernel has been disposed.');
    const B = batch;
    const BU = B * this.units;
    if (!isF32(x) || x.length < B * this.inputDim) {
      throw new ValueError(
        `StepKernel.step: x must be a Float32Array of at least batch·inputDim = ${B * this.inputDim} values, received ${isF32(x) ? x.length : typeof x}.`,
      );
    }
    checkStates('StepKernel.step', 'an LSTM step', this.cell, h, c, hOut, cOut, BU);
    if (B < 1) return;
    const w = wasmExportsIfActive();
    if (w) {
      this.wasm.step(w, this.W, this.R, this.bias, x, h, c, hOut, cOut, B, this.actId, this.recId);
    } else {
      this.js.step(this.W, this.R, this.bias, x, h, c, hOut, cOut, B);
    }
  }

  run(
    xs: Float32Array,
    timeSteps: number,
    h: Float32Array,
    c: Float32Array | null,
    hOut: Float32Array,
    cOut: Float32Array | null,
    options: StepRunOptions = {},
  ): void {
    const where = 'StepKernel.run';
    if (this.disposed) throw new ValueError(`${where}: the kernel has been disposed.`);
    const B = options.batch ?? 1;
    const T = timeSteps;
    const { inputDim: D, units: U } = this;
    if (!Number.isInteger(B) || B < 1) throw new ValueError(`${where}: options.batch must be a positive integer, received ${String(B)}.`);
    if (!Number.isInteger(T) || T < 1) throw new ValueError(`${where}: timeSteps must be a positive integer, received ${String(T)}.`);
    const BU = B * U;
    if (!isF32(xs) || xs.length < B * T * D) {
      throw new ValueError(
        `${where}: xs must be a Float32Array of at least batch·timeSteps·inputDim = ${B * T * D} values, received ${isF32(xs) ? xs.length : typeof xs}.`,
      );
    }
    checkStates(where, 'an LSTM', this.cell, h, c, hOut, cOut, BU);
    const lstm = this.cell === 'lstm';
    const seq = options.sequenceOutputs ?? null;
    if (seq !== null && (!isF32(seq) || seq.length < B * T * U)) {
      throw new ValueError(
        `${where}: options.sequenceOutputs must be a Float32Array of at least batch·timeSteps·units = ${B * T * U} values.`,
      );
    }
    const back = options.goBackwards === true;
    const w = wasmExportsIfActive();
    if (w && this.wasm.fitsRows(w, B)) {
      this.wasm.sequence(
        w,
        this.W,
        this.R,
        this.bias,
        xs,
        T,
        h,
        lstm ? c : null,
        hOut,
        lstm ? cOut : null,
        seq,
        B,
        this.actId,
        this.recId,
        back,
      );
      return;
    }
    // One step at a time (the TypeScript twin, or batches too large for one resident region).
    const x = new Float32Array(B * D);
    let hc = Float32Array.from(h.subarray(0, BU));
    let cc = lstm ? Float32Array.from((c as Float32Array).subarray(0, BU)) : null;
    for (let s = 0; s < T; s++) {
      const t = back ? T - 1 - s : s;
      for (let b = 0; b < B; b++) x.set(xs.subarray((b * T + t) * D, (b * T + t + 1) * D), b * D);
      const hn = new Float32Array(BU);
      const cn = lstm ? new Float32Array(BU) : null;
      this.step(x, hc, cc, hn, cn, B);
      if (seq) for (let b = 0; b < B; b++) seq.set(hn.subarray(b * U, (b + 1) * U), (b * T + s) * U);
      hc = hn;
      cc = cn;
    }
    hOut.set(hc);
    if (lstm && cOut) cOut.set(cc as Float32Array);
  }

  dispose(): void {
    this.wasm.release();
    this.disposed = true;
  }
}

function checkWeights(
  cell: StepCellKind,
  resetAfter: boolean,
  kernel: unknown,
  recurrentKernel: unknown,
  bias: unknown,
  U: number,
  D: number,
): void {
  const G = gatesOf(cell);
  if (!(kernel instanceof Float32Array) || kernel.length !== D * G * U) {
    throw new ValueError(
      `${OP}: kernel must be a Float32Array [inputDim, ${G}·units] = [${D}, ${G * U}], received ${kernel instanceof Float32Array ? `${kernel.length} values` : typeof kernel}.`,
    );
  }
  if (!(recurrentKernel instanceof Float32Array) || recurrentKernel.length !== U * G * U) {
    throw new ValueError(
      `${OP}: recurrentKernel must be a Float32Array [${U}, ${G * U}], received ${recurrentKernel instanceof Float32Array ? `${recurrentKernel.length} values` : typeof recurrentKernel}.`,
    );
  }
  const rows = cell === 'gru' && resetAfter ? 2 : 1;
  if (bias !== null && (!(bias instanceof Float32Array) || bias.length !== rows * G * U)) {
    throw new ValueError(
      `${OP}: bias must be null or a Float32Array of ${rows * G * U} values (${rows === 2 ? `[2, ${G * U}] with resetAfter` : `[${G * U}]`}), ` +
        `received ${bias instanceof Float32Array ? `${bias.length} values` : typeof bias}.`,
    );
  }
}

/**
 * A one-step inference kernel for `cell` with its weights resident (see the file header).
 * @param kernel [inputDim, G·units] (G: LSTM 4, GRU 3, SimpleRNN 1; gate order as the sequence kernels)
 * @param recurrentKernel [units, G·units]
 * @param bias [G·units], GRU resetAfter [2, G·units], or null
 */
export function createStepKernel(
  cell: StepCellKind,
  kernel: Float32Array,
  recurrentKernel: Float32Array,
  bias: Float32Array | null,
  options: StepKernelOptions,
): StepKernel {
  if (cell !== 'lstm' && cell !== 'gru' && cell !== 'simpleRNN') {
    throw new ValueError(`${OP}: cell must be 'lstm', 'gru' or 'simpleRNN', received '${String(cell)}'.`);
  }
  const G = gatesOf(cell);
  if (!(recurrentKernel instanceof Float32Array))
    throw new ValueError(`${OP}: recurrentKernel must be a Float32Array [units, ${G}·units], received ${typeof recurrentKernel}.`);
  const U = Math.round(Math.sqrt(recurrentKernel.length / G));
  if (U < 1 || U * G * U !== recurrentKernel.length) {
    throw new ValueError(
      `${OP}: recurrentKernel must hold units·${G}·units values ([units, ${G}·units]), received ${recurrentKernel.length}.`,
    );
  }
  if (!(kernel instanceof Float32Array) || kernel.length % (G * U) !== 0) {
    throw new ValueError(
      `${OP}: kernel must be a Float32Array [inputDim, ${G * U}], received ${kernel instanceof Float32Array ? `${kernel.length} values` : typeof kernel}.`,
    );
  }
  const D = kernel.length / (G * U);
  if (options === null || typeof options !== 'object')
    throw new ValueError(`${OP}: options must be an object, received ${options === null ? 'null' : typeof options}.`);
  if (options.activation === undefined) throw new ValueError(`${OP}: options.activation is required (e.g. 'tanh'), received undefined.`);
  if (cell !== 'simpleRNN' && options.recurrentActivation === undefined) {
    throw new ValueError(
      `${OP}: options.recurrentActivation is required for '${cell}' (e.g. 'sigmoid' or 'hardSigmoid'), received undefined.`,
    );
  }
  if (cell === 'gru' && typeof options.resetAfter !== 'boolean') {
    throw new ValueError(
      `${OP}: options.resetAfter is required for 'gru', a boolean (true: Keras 2/3 and PyTorch; false: tfjs), received ${String(options.resetAfter)}.`,
    );
  }
  const resetAfter = cell === 'gru' && options.resetAfter === true;
  checkWeights(cell, resetAfter, kernel, recurrentKernel, bias ?? null, U, D);
  const act = options.activation;
  // SimpleRNN has no gates: 'sigmoid' is carried, never read.
  const rec = options.recurrentActivation ?? 'sigmoid';
  getKernelActivation(act, OP, 'activation');
  getKernelActivation(rec, OP, 'recurrentActivation');
  return new StepKernelImpl(cell, resetAfter, D, U, kernel, recurrentKernel, bias ?? null, act, rec);
}
