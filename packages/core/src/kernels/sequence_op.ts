/**
 * The Tensor-level wrapper shared by `lstmSequence`, `gruSequence` and `simpleRNNSequence`:
 * validates shapes and options ONCE at the op boundary (the raw kernels behind it trust their inputs),
 * chooses the backend the kernels run on (`sequenceBackend()`: wasm when active, else the TypeScript
 * reference), and enters the whole sequence into autograd as ONE `customGrad` node with several outputs. The
 * forward's saved buffers are the node's: a backend's resident handle (`savedHandle`) is released by the node's
 * dispose (engine.ts `TapeNode.dispose`), or when garbage-collected.
 */
import { isRecording } from '../engine';
import { ValueError } from '../errors';
import { customGrad } from '../gradients';
import { formatShape, shapesEqual } from '../shape';
import { makeTensor, Tensor } from '../tensor';
import type { TypedArray } from '../dtype';
import { getKernelActivation, KernelActivationName } from './activation_table';
import type { RawSequenceOptions, SequenceArrays, SequenceInputGrads } from './sequence_common';
import { jsSequenceBackend, SequenceBackend, SequenceCellKernels } from './sequence_backend';
import { getBackend } from '../backend/backend';
import { wasmSequenceBackend } from '../backend/sequence_backend_wasm';

/** A [batch, timeSteps] step mask: a Tensor (bool, float32 or int32) or a typed array. */
export type SequenceMaskLike = Tensor | Float32Array | Int32Array | Uint8Array;

/** A dropout mask: a Tensor or a Float32Array, already scaled by 1 / (1 − rate). */
export type DropoutMaskLike = Tensor | Float32Array;

/**
 * Options of the fused sequence ops: everything a recurrent layer decides per call. The cell's math
 * (`activation`; LSTM/GRU `recurrentActivation`; GRU `resetAfter`) has no default here: the layers
 * (whose defaults differ: tfjs 'hardSigmoid' / Keras 3 'sigmoid', tfjs GRU resetAfter false / Keras 3
 * true) always say which, so the kernels never silently pick a different one. The rest is optional.
 */
export interface SequenceKernelOptions {
  /** Activation of the candidate/output (`act`). Required. */
  activation: KernelActivationName;
  /** Activation of the gates (LSTM i, f, o; GRU z, r). Required by LSTM and GRU (see their option types); SimpleRNN ignores it. */
  recurrentActivation?: KernelActivationName;
  /**
   * Process time steps from last to first. The sequence outputs are then in processing order
   * (reversed), exactly as Keras/tfjs `rnn(..., go_backwards=True)`. Default false.
   */
  goBackwards?: boolean;
  /** Produce the per-step outputs [batch, timeSteps, units]; otherwise output 1 is [batch, 0, units]. Default false. */
  returnSequences?: boolean;
  /**
   * [batch, timeSteps] step mask (any nonzero/true = keep). Where it is 0 the states are carried over
   * unchanged and the step's output repeats the previous output (Keras semantics). Default none.
   */
  mask?: SequenceMaskLike | null;
  /**
   * Variational input dropout: 1 mask shared by all gates or one per gate (LSTM 4, GRU 3, SimpleRNN 1),
   * each [batch, inputDim] already scaled by 1 / (1 − rate), reused at every step. Default none.
   */
  inputDropoutMasks?: DropoutMaskLike[] | null;
  /** Variational recurrent dropout: 1 or G masks [batch, units] applied to h before each gate's product. */
  recurrentDropoutMasks?: DropoutMaskLike[] | null;
  /**
   * The "previous output" a masked step repeats before any unmasked step: 'zeros' (Keras, default)
   * or 'initialState' (tfjs `rnn` uses the previous h, which starts as the initial state).
   * tfjs note: the two differ only for leading masked steps with a nonzero initial state.
   */
  maskedOutputInit?: 'zeros' | 'initialState';
  /** GRU only, and required there: Keras `reset_after` (true: Keras 2/3 and PyTorch; false: tfjs's GRU). */
  resetAfter?: boolean;
}

/** Options of `lstmSequence`: `recurrentActivation` is required. */
export interface LstmSequenceOptions extends SequenceKernelOptions {
  recurrentActivation: KernelActivationName;
}

/** Options of `gruSequence`: `recurrentActivation` and `resetAfter` are required. */
export interface GruSequenceOptions extends SequenceKernelOptions {
  recurrentActivation: KernelActivationName;
  resetAfter: boolean;
}

/** What `runSequenceOp` needs to know about a cell. */
export interface SequenceCellSpec {
  kernelName: string;
  /** LSTM: carries a cell state c. */
  hasCellState: boolean;
  /** The cell's reference kernels (and gate count), handed to the chosen backend. */
  kernels: SequenceCellKernels;
}

/**
 * The backend the fused sequence kernels run on now: wasm when its module is active (`getBackend()`), else the
 * TypeScript reference kernels. The one place that choice is made; the forward and the backward of an op each ask.
 */
export function sequenceBackend(): SequenceBackend {
  return getBackend() === 'wasm' ? wasmSequenceBackend : jsSequenceBackend;
}

function f32(t: Tensor): Float32Array {
  const v = t.values;
  return v instanceof Float32Array ? v : Float32Array.from(v);
}

function checkTensor(op: string, name: string, t: unknown, expected: number[], what: string): Tensor {
  if (!(t instanceof Tensor))
    throw new ValueError(
      `${op}: ${name} must be a Tensor of shape ${formatShape(expected)} (${what}), received ${t === null ? 'null' : typeof t}.`,
    );
  if (t.dtype !== 'float32') throw new ValueError(`${op}: ${name} must be float32, received ${t.dtype}.`);
  if (!shapesEqual(t.shape, expected)) {
    throw new ValueError(`${op}: ${name} must have shape ${formatShape(expected)} (${what}), received ${formatShape(t.shape)}.`);
  }
  return t;
}

function maskValues(op: string, name: string, m: unknown, expected: number[], what: string): TypedArray {
  const size = expected.reduce((p, q) => p * q, 1);
  if (m instanceof Tensor) {
    if (!shapesEqual(m.shape, expected)) {
      throw new ValueError(`${op}: ${name} must have shape ${formatShape(expected)} (${what}), received ${formatShape(m.shape)}.`);
    }
    return m.values;
  }
  if (m instanceof Float32Array || m instanceof Int32Array || m instanceof Uint8Array) {
    if (m.length !== size) {
      throw new ValueError(`${op}: ${name} must have ${size} values, shape ${formatShape(expected)} (${what}), received ${m.length}.`);
    }
    return m;
  }
  throw new ValueError(`${op}: ${name} must be a Tensor or a typed array of shape ${formatShape(expected)}, received ${typeof m}.`);
}

function dropoutMasks(
  op: string,
  name: string,
  masks: DropoutMaskLike[] | null | undefined,
  G: number,
  expected: number[],
  what: string,
): Float32Array[] | null {
  if (masks === null || masks === undefined) return null;
  if (!Array.isArray(masks) || (masks.length !== 1 && masks.length !== G)) {
    throw new ValueError(
      `${op}: ${name} must be an array of 1 or ${G} masks, received ${Array.isArray(masks) ? `${masks.length}` : typeof masks}.`,
    );
  }
  // Keep identical references identical so shared masks take the one-gemm path.
  const seen = new Map<unknown, Float32Array>();
  return masks.map((m, g) => {
    const prev = seen.get(m);
    if (prev) return prev;
    const v = maskValues(op, `${name}[${g}]`, m, expected, what);
    const out = v instanceof Float32Array ? v : Float32Array.from(v);
    seen.set(m, out);
    return out;
  });
}

/** Validates `options` for a call of the given sizes and resolves them for the raw kernels. */
export function resolveSequenceOptions(
  op: string,
  G: number,
  dims: { batch: number; timeSteps: number; inputDim: number; units: number },
  options: SequenceKernelOptions,
  storeForBackward: boolean,
): RawSequenceOptions {
  if (options === null || typeof options !== 'object')
    throw new ValueError(`${op}: options must be an object, received ${options === null ? 'null' : typeof options}.`);
  const { batch, timeSteps, inputDim, units } = dims;
  // No defaults for the cell's math (see SequenceKernelOptions): a missing one is the caller's bug.
  if (options.activation === undefined) throw new ValueError(`${op}: options.activation is required (e.g. 'tanh'), received undefined.`);
  const activation = options.activation;
  getKernelActivation(activation, op, 'activation');
  // SimpleRNN (G = 1) has no gates: its raw options carry 'sigmoid', never read.
  if (G > 1 && options.recurrentActivation === undefined) {
    throw new ValueError(`${op}: options.recurrentActivation is required (e.g. 'sigmoid' or 'hardSigmoid'), received undefined.`);
  }
  const recurrentActivation = G > 1 ? (options.recurrentActivation as KernelActivationName) : 'sigmoid';
  getKernelActivation(recurrentActivation, op, 'recurrentActivation');
  if (G === 3 && typeof options.resetAfter !== 'boolean') {
    throw new ValueError(
      `${op}: options.resetAfter is required, a boolean (true: Keras 2/3 and PyTorch; false: tfjs), received ${String(options.resetAfter)}.`,
    );
  }
  const maskedOutputInit = options.maskedOutputInit ?? 'zeros';
  if (maskedOutputInit !== 'zeros' && maskedOutputInit !== 'initialState') {
    throw new ValueError(`${op}: maskedOutputInit must be 'zeros' or 'initialState', received '${String(maskedOutputInit)}'.`);
  }
  const mask = options.mask == null ? null : maskValues(op, 'mask', options.mask, [batch, timeSteps], 'batch, timeSteps');
  return {
    activation,
    recurrentActivation,
    goBackwards: !!options.goBackwards,
    returnSequences: !!options.returnSequences,
    mask: mask as RawSequenceOptions['mask'],
    inputDropoutMasks: dropoutMasks(op, 'inputDropoutMasks', options.inputDropoutMasks, G, [batch, inputDim], 'batch, inputDim'),
    recurrentDropoutMasks: dropoutMasks(op, 'recurrentDropoutMasks', options.recurrentDropoutMasks, G, [batch, units], 'batch, units'),
    maskedOutputInit,
    resetAfter: G === 3 && options.resetAfter === true,
    storeForBackward,
  };
}

/**
 * Validates the tensors, runs the cell's raw forward, and records one tape node whose backward is the
 * cell's raw backward. Returns `[lastOutput, sequenceOutputs, finalH]` plus `finalC` for cells with a
 * cell state. Null bias / initial states are not inputs of the node (no gradient is produced for them).
 */
export function runSequenceOp(
  spec: SequenceCellSpec,
  inputs: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor | null,
  initialH: Tensor | null,
  initialC: Tensor | null,
  options: SequenceKernelOptions,
): Tensor[] {
  const op = spec.kernelName;
  const G = spec.kernels.gates;
  if (!(inputs instanceof Tensor))
    throw new ValueError(`${op}: inputs must be a Tensor [batch, timeSteps, inputDim], received ${typeof inputs}.`);
  if (inputs.rank !== 3)
    throw new ValueError(`${op}: inputs must have rank 3 [batch, timeSteps, inputDim], received shape ${formatShape(inputs.shape)}.`);
  if (inputs.dtype !== 'float32') throw new ValueError(`${op}: inputs must be float32, received ${inputs.dtype}.`);
  const [batch, timeSteps, inputDim] = inputs.shape;
  if (timeSteps < 1) throw new ValueError(`${op}: inputs must have at least one time step, received shape ${formatShape(inputs.shape)}.`);
  if (!(recurrentKernel instanceof Tensor) || recurrentKernel.rank !== 2 || recurrentKernel.shape[1] !== G * recurrentKernel.shape[0]) {
    throw new ValueError(
      `${op}: recurrentKernel must have shape [units, ${G}·units], received ${recurrentKernel instanceof Tensor ? formatShape(recurrentKernel.shape) : typeof recurrentKernel}.`,
    );
  }
  const units = recurrentKernel.shape[0];
  checkTensor(op, 'recurrentKernel', recurrentKernel, [units, G * units], `units, ${G}·units`);
  checkTensor(op, 'kernel', kernel, [inputDim, G * units], `inputDim, ${G}·units`);
  const dims = { batch, timeSteps, inputDim, units };
  const raw = resolveSequenceOptions(op, G, dims, options, false);
  if (bias !== null && bias !== undefined) {
    // The options (resetAfter) decide the bias shape, so they are resolved first.
    if (raw.resetAfter) checkTensor(op, 'bias', bias, [2, G * units], `resetAfter: [input bias; recurrent bias], ${G}·units each`);
    else checkTensor(op, 'bias', bias, [G * units], `${G}·units`);
  }
  if (initialH !== null && initialH !== undefined) checkTensor(op, 'initialH', initialH, [batch, units], 'batch, units');
  if (initialC !== null && initialC !== undefined) {
    if (!spec.hasCellState) throw new ValueError(`${op}: this cell has no cell state; initialC must be null.`);
    checkTensor(op, 'initialC', initialC, [batch, units], 'batch, units');
  }

  // The tensors that are inputs of the tape node, in order, each with the gradient it receives; null ones are left out.
  const present: [Tensor, keyof SequenceInputGrads][] = [
    [inputs, 'dInputs'],
    [kernel, 'dKernel'],
    [recurrentKernel, 'dRecurrentKernel'],
  ];
  if (bias) present.push([bias, 'dBias']);
  if (initialH) present.push([initialH, 'dInitialH']);
  if (initialC) present.push([initialC, 'dInitialC']);
  raw.storeForBackward = isRecording(present.map(([t]) => t));

  const fn = customGrad(() => {
    const arrays: SequenceArrays = {
      ...dims,
      inputs: f32(inputs),
      kernel: f32(kernel),
      recurrentKernel: f32(recurrentKernel),
      bias: bias ? f32(bias) : null,
      initialH: initialH ? f32(initialH) : null,
      initialC: initialC ? f32(initialC) : null,
      // Tensor values never change in place (float32 ones are passed as they are, not copied).
      immutableWeights:
        kernel.values instanceof Float32Array &&
        recurrentKernel.values instanceof Float32Array &&
        (!bias || bias.values instanceof Float32Array),
    };
    const fwd = sequenceBackend().forward(spec.kernels, arrays, raw);
    const value: Tensor[] = [
      makeTensor(fwd.lastOutput, [batch, units], 'float32'),
      fwd.sequenceOutputs
        ? makeTensor(fwd.sequenceOutputs, [batch, timeSteps, units], 'float32')
        : makeTensor(new Float32Array(0), [batch, 0, units], 'float32'),
      makeTensor(fwd.finalH, [batch, units], 'float32'),
    ];
    if (spec.hasCellState) value.push(makeTensor(fwd.finalC as Float32Array, [batch, units], 'float32'));
    const gradFunc = (dys: Tensor[]): Tensor[] => {
      const g = sequenceBackend().backward(spec.kernels, arrays, raw, fwd, {
        dLastOutput: f32(dys[0]),
        dSequenceOutputs: fwd.sequenceOutputs ? f32(dys[1]) : null,
        dFinalH: f32(dys[2]),
        dFinalC: spec.hasCellState ? f32(dys[3]) : null,
      });
      return present.map(([t, key]) => makeTensor(g[key] as Float32Array, t.shape.slice(), 'float32'));
    };
    // Saved buffers the backend keeps itself (resident in wasm) belong to the tape node: freed when it is disposed.
    const handle = fwd.savedHandle;
    return { value, gradFunc, dispose: handle ? () => handle.release() : undefined };
  });
  return fn(...present.map(([t]) => t));
}
