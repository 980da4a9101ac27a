/** Builds random test cases for the fused kernels and runs them through the ops and the reference. */
import { gruSequence, lstmSequence, simpleRNNSequence, GruSequenceOptions, Tensor, tensor } from '../../src';
import { Cell, gatesOf, randomArray, RefArgs, rng } from './reference';

export interface CaseSpec {
  cell: Cell;
  resetAfter?: boolean;
  B?: number;
  T?: number;
  D?: number;
  U?: number;
  useBias?: boolean;
  initialStates?: boolean;
  act?: string;
  recAct?: string;
  goBackwards?: boolean;
  /** A fixed pattern exercising leading, middle and trailing masked steps. */
  mask?: boolean;
  inDrop?: 'shared' | 'perGate';
  recDrop?: 'shared' | 'perGate';
  maskedOutputInit?: 'zeros' | 'initialState';
  returnSequences?: boolean;
  seed?: number;
}

export function describeCase(c: CaseSpec): string {
  const parts: string[] = [c.cell + (c.cell === 'gru' ? `(resetAfter=${c.resetAfter ?? true})` : '')];
  if (c.useBias === false) parts.push('no bias');
  if (c.initialStates) parts.push('initial states');
  if (c.act || c.recAct) parts.push(`${c.act ?? 'tanh'}/${c.recAct ?? 'sigmoid'}`);
  if (c.goBackwards) parts.push('goBackwards');
  if (c.mask) parts.push('mask');
  if (c.inDrop) parts.push(`input dropout ${c.inDrop}`);
  if (c.recDrop) parts.push(`recurrent dropout ${c.recDrop}`);
  if (c.maskedOutputInit === 'initialState') parts.push("maskedOutputInit 'initialState'");
  return parts.join(', ');
}

/** Mask rows: row 0 leading masked, row 1 middle + trailing masked, row 2 all kept, row 3 all masked but one. */
function maskPattern(B: number, T: number): number[] {
  const m: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const k = b % 4;
      let keep = 1;
      if (k === 0) keep = t < 2 ? 0 : 1;
      if (k === 1) keep = t === 1 || t === T - 1 ? 0 : 1;
      if (k === 3) keep = t === 2 ? 1 : 0;
      m.push(keep);
    }
  }
  return m;
}

export function buildCase(c: CaseSpec): { ref: RefArgs; returnSequences: boolean } {
  const r = rng(c.seed ?? 1);
  const B = c.B ?? 4;
  const T = c.T ?? 5;
  const D = c.D ?? 3;
  const U = c.U ?? 4;
  const G = gatesOf(c.cell);
  const resetAfter = c.cell === 'gru' ? (c.resetAfter ?? true) : undefined;
  const biasSize = resetAfter ? 2 * G * U : G * U;
  const drop = (kind: 'shared' | 'perGate' | undefined, width: number) =>
    kind === undefined
      ? null
      : Array.from({ length: kind === 'shared' ? 1 : G }, () =>
          Array.from({ length: B * width }, () => (r() < 0.3 ? 0 : Math.fround(1 / 0.7))),
        );
  return {
    ref: {
      cell: c.cell,
      resetAfter,
      B,
      T,
      D,
      U,
      x: randomArray(r, B * T * D),
      W: randomArray(r, D * G * U, -0.8, 0.8),
      R: randomArray(r, U * G * U, -0.8, 0.8),
      bias: c.useBias === false ? null : randomArray(r, biasSize, -0.5, 0.5),
      h0: c.initialStates ? randomArray(r, B * U) : null,
      c0: c.initialStates && c.cell === 'lstm' ? randomArray(r, B * U) : null,
      act: c.act ?? 'tanh',
      recAct: c.recAct ?? 'sigmoid',
      goBackwards: !!c.goBackwards,
      mask: c.mask ? maskPattern(B, T) : null,
      inDrop: drop(c.inDrop, D),
      recDrop: drop(c.recDrop, U),
      maskedOutputInit: c.maskedOutputInit ?? 'zeros',
    },
    returnSequences: c.returnSequences ?? true,
  };
}

export interface CaseTensors {
  x: Tensor;
  W: Tensor;
  R: Tensor;
  bias: Tensor | null;
  h0: Tensor | null;
  c0: Tensor | null;
}

export function tensorsOf(a: RefArgs): CaseTensors {
  const G = gatesOf(a.cell);
  const { B, T, D, U } = a;
  return {
    x: tensor(Float32Array.from(a.x)).reshape([B, T, D]),
    W: tensor(Float32Array.from(a.W)).reshape([D, G * U]),
    R: tensor(Float32Array.from(a.R)).reshape([U, G * U]),
    bias: a.bias ? tensor(Float32Array.from(a.bias)).reshape(a.resetAfter ? [2, G * U] : [G * U]) : null,
    h0: a.h0 ? tensor(Float32Array.from(a.h0)).reshape([B, U]) : null,
    c0: a.c0 ? tensor(Float32Array.from(a.c0)).reshape([B, U]) : null,
  };
}

/** The case's options; every option the kernels require is given (GRU's form, which LSTM/SimpleRNN accept). */
export function optionsOf(a: RefArgs, returnSequences: boolean): GruSequenceOptions {
  const { B, T } = a;
  return {
    activation: a.act as GruSequenceOptions['activation'],
    recurrentActivation: a.recAct as GruSequenceOptions['recurrentActivation'],
    goBackwards: a.goBackwards,
    returnSequences,
    // Alternate between a bool tensor and a float array to cover both forms.
    mask: a.mask ? (a.goBackwards ? Float32Array.from(a.mask) : tensor(a.mask.map((v) => v !== 0)).reshape([B, T])) : null,
    inputDropoutMasks: a.inDrop ? a.inDrop.map((m) => Float32Array.from(m)) : null,
    recurrentDropoutMasks: a.recDrop ? a.recDrop.map((m) => Float32Array.from(m)) : null,
    maskedOutputInit: a.maskedOutputInit,
    resetAfter: a.resetAfter ?? false, // undefined only for LSTM/SimpleRNN cases, which ignore it
  };
}

/** Runs the op for a case on the given tensors: [last, seq, finalH, finalC?]. */
export function runOp(a: RefArgs, t: CaseTensors, options: GruSequenceOptions): Tensor[] {
  if (a.cell === 'lstm') return lstmSequence(t.x, t.W, t.R, t.bias, t.h0, t.c0, options);
  if (a.cell === 'gru') return gruSequence(t.x, t.W, t.R, t.bias, t.h0, options);
  return simpleRNNSequence(t.x, t.W, t.R, t.bias, t.h0, options);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
