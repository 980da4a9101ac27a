/**
 * `padSequences(sequences, args)`: pads (and truncates) variable-length sequences to one length,
 * giving a `[numSequences, maxlen]` tensor (Keras `pad_sequences`). A sequence may hold numbers
 * or equal-length feature vectors (`[numSequences, maxlen, features]`).
 *
 * ```js
 * padSequences([[1, 2, 3], [4, 5], []], {maxlen: 2});   // [[2, 3], [4, 5], [0, 0]] (int32)
 * padSequences([[1], [2, 3]], {padding: 'post'});        // [[1, 0], [2, 3]]
 * ```
 */
import { checkArgKeys } from '@recurrent/layers';
import { DataType, Tensor, formatShape, ValueError } from '@recurrent/core';

/** Options of `padSequences` (Keras names, camelCase). */
export interface PadSequencesArgs {
  /** Length of every output sequence (default: the longest sequence). */
  maxlen?: number | null;
  /** Pad at the start ('pre', default) or the end ('post'). */
  padding?: 'pre' | 'post';
  /** Drop values from the start ('pre', default) or the end ('post') of longer sequences. */
  truncating?: 'pre' | 'post';
  /** The padding value (default 0). */
  value?: number;
  /** Output dtype (default 'int32', as Keras). */
  dtype?: DataType;
}

const KEYS = ['maxlen', 'padding', 'truncating', 'value', 'dtype'];

type Seq = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** Pads/truncates `sequences` to `[n, maxlen]` (or `[n, maxlen, features]`) as Keras's `pad_sequences`. */
export function padSequences(sequences: Seq[] | Tensor[], args: PadSequencesArgs = {}): Tensor {
  const where = 'padSequences';
  if (!Array.isArray(sequences))
    throw new ValueError(`${where}: sequences must be an array of sequences (arrays of numbers), received ${typeof sequences}.`);
  if (args == null || typeof args !== 'object') throw new ValueError(`${where}: args must be an object, received ${String(args)}.`);
  checkArgKeys(where, args, KEYS);
  const padding = args.padding ?? 'pre';
  const truncating = args.truncating ?? 'pre';
  if (padding !== 'pre' && padding !== 'post')
    throw new ValueError(`${where}: padding must be 'pre' or 'post', received '${String(padding)}'.`);
  if (truncating !== 'pre' && truncating !== 'post')
    throw new ValueError(`${where}: truncating must be 'pre' or 'post', received '${String(truncating)}'.`);
  const value = args.value ?? 0;
  if (typeof value !== 'number' || (Number.isNaN(value) && (args.dtype ?? 'int32') === 'int32')) {
    throw new ValueError(
      `${where}: value must be a number${typeof value === 'number' ? ' (NaN needs dtype float32)' : ''}, received ${String(value)}.`,
    );
  }
  const dtype = args.dtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32' && dtype !== 'bool')
    throw new ValueError(`${where}: dtype must be 'int32', 'float32' or 'bool', received '${String(dtype)}'.`);

  // Each sequence as rows of `features` numbers (features = 1 for a sequence of numbers).
  const rows: { length: number; flat: ArrayLike<number> }[] = [];
  let features: number[] | null = null;
  sequences.forEach((s, i) => {
    let length: number;
    let flat: ArrayLike<number>;
    let inner: number[];
    if (s instanceof Tensor) {
      if (s.rank === 0) throw new ValueError(`${where}: sequences[${i}] is a scalar tensor; each sequence must have a length.`);
      length = s.shape[0];
      inner = s.shape.slice(1);
      flat = s.values as ArrayLike<number>;
    } else if (s != null && typeof (s as ArrayLike<unknown>).length === 'number' && typeof s !== 'string') {
      const arr = Array.from(s as ArrayLike<unknown>);
      length = arr.length;
      if (length > 0 && typeof arr[0] === 'object' && arr[0] != null) {
        const w = (arr[0] as ArrayLike<number>).length;
        inner = [w];
        const out = new Float64Array(length * w);
        arr.forEach((v, t) => {
          const vec = v as ArrayLike<number>;
          if (vec == null || vec.length !== w) {
            throw new ValueError(
              `${where}: sequences[${i}][${t}] has ${vec == null ? 'no' : vec.length} values, but sequences[${i}][0] has ${w}; the steps of a sequence need the same number of features.`,
            );
          }
          for (let k = 0; k < w; k++) out[t * w + k] = Number(vec[k]);
        });
        flat = out;
      } else {
        inner = [];
        arr.forEach((v, t) => {
          if (typeof v !== 'number' && typeof v !== 'boolean')
            throw new ValueError(`${where}: sequences[${i}][${t}] must be a number, received ${v === null ? 'null' : typeof v}.`);
        });
        flat = arr as number[];
      }
    } else {
      throw new ValueError(
        `${where}: sequences[${i}] must be an array of numbers (or a Tensor), received ${s === null ? 'null' : typeof s}.`,
      );
    }
    // Keras takes the step shape from the first non-empty sequence.
    if (length > 0) {
      if (features === null) features = inner;
      else if (formatShape(features) !== formatShape(inner)) {
        throw new ValueError(
          `${where}: sequences[${i}] has steps of shape ${formatShape(inner)}, but earlier sequences have steps of shape ${formatShape(features)}.`,
        );
      }
    }
    rows.push({ length, flat });
  });
  const stepShape: number[] = features ?? [];
  const per = stepShape.reduce((a, b) => a * b, 1);
  let maxlen: number;
  if (args.maxlen == null) maxlen = rows.reduce((m, r) => Math.max(m, r.length), 0);
  else {
    if (typeof args.maxlen !== 'number' || !Number.isInteger(args.maxlen) || args.maxlen < 0) {
      throw new ValueError(`${where}: maxlen must be a non-negative integer or null, received ${String(args.maxlen)}.`);
    }
    maxlen = args.maxlen;
  }
  const n = rows.length;
  const out =
    dtype === 'float32'
      ? new Float32Array(n * maxlen * per)
      : dtype === 'bool'
        ? new Uint8Array(n * maxlen * per)
        : new Int32Array(n * maxlen * per);
  // A bool tensor holds 0/1: any nonzero value (NaN too) is true, as NumPy's cast in Keras.
  const store = dtype === 'bool' ? (v: number) => (v !== 0 ? 1 : 0) : (v: number) => v;
  out.fill(store(value));
  rows.forEach((r, i) => {
    // tfjs note: with maxlen 0 Keras's 'pre' truncation keeps the whole sequence (s[-0:]) and then fails
    // to fit it into 0 steps; we give the empty rows that maxlen 0 asks for.
    const keep = Math.min(r.length, maxlen);
    if (keep === 0) return;
    const from = truncating === 'pre' ? r.length - keep : 0;
    const to = padding === 'pre' ? maxlen - keep : 0;
    const base = i * maxlen * per;
    for (let k = 0; k < keep * per; k++) out[base + to * per + k] = store(Number(r.flat[from * per + k]));
  });
  return new Tensor(out, [n, maxlen, ...stepShape], dtype);
}
