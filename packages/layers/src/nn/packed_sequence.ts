/**
 * `nn.utils.rnn.PackedSequence` and the functions that make and undo it (PyTorch's torch.nn.utils.rnn):
 * `padSequence`, `packPaddedSequence`, `padPackedSequence`, `packSequence`. The recurrent modules accept a
 * PackedSequence: they run the fused kernels over the padded batch with a length mask (outputs past each length
 * are zero, h_n is each sequence's state at its own last step, the reverse direction starts at each sequence's
 * own last step), not a loop over sequences.
 */
import { concat, fill, formatShape, gather, pad, reshape, stack, Tensor, tensor, transpose, ValueError } from '@recurrent/core';
import { checkOptionKeys } from './init';

/**
 * A batch of variable-length sequences packed time-major, as PyTorch's: `data` [Σ lengths, *] holds step 0 of
 * every sequence (longest first), then step 1 of those that have one, ...; `batchSizes[t]` is how many sequences
 * have a step t. `sortedIndices[k]` is the original batch index of the k-th longest sequence (null when the batch
 * was already sorted); `unsortedIndices` is its inverse.
 */
export class PackedSequence {
  constructor(
    readonly data: Tensor,
    readonly batchSizes: Tensor,
    readonly sortedIndices: Tensor | null = null,
    readonly unsortedIndices: Tensor | null = null,
  ) {}

  /** The lengths in the original batch order. */
  lengths(): number[] {
    const bs = Array.from(this.batchSizes.dataSync(), Number);
    const B = bs[0] ?? 0;
    const sortedLen = new Array<number>(B).fill(0);
    for (const n of bs) for (let k = 0; k < n; k++) sortedLen[k]++;
    const order = this.sortedIndices ? Array.from(this.sortedIndices.dataSync(), Number) : sortedLen.map((_, k) => k);
    const out = new Array<number>(B);
    order.forEach((b, k) => (out[b] = sortedLen[k]));
    return out;
  }

  /** The original batch index of each sorted position. */
  order(): number[] {
    const B = Number(this.batchSizes.dataSync()[0] ?? 0);
    return this.sortedIndices ? Array.from(this.sortedIndices.dataSync(), Number) : Array.from({ length: B }, (_, k) => k);
  }
}

/** Options of packPaddedSequence. */
export interface PackOptions {
  /** Input is [batch, seq, *] (default false: [seq, batch, *], as PyTorch). */
  batchFirst?: boolean;
  /** Require lengths sorted in decreasing order (default true, as PyTorch); false sorts them. */
  enforceSorted?: boolean;
}

function lengthList(who: string, lengths: unknown): number[] {
  const arr = lengths instanceof Tensor ? Array.from(lengths.dataSync(), Number) : Array.isArray(lengths) ? lengths : null;
  if (!arr || (lengths instanceof Tensor && lengths.rank !== 1)) {
    throw new ValueError(
      `${who}: lengths must be a number array or a rank-1 Tensor, received ${lengths instanceof Tensor ? `shape ${formatShape(lengths.shape)}` : typeof lengths}.`,
    );
  }
  arr.forEach((l, i) => {
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 1)
      throw new ValueError(`${who}: lengths[${i}] must be an integer >= 1 (every sequence needs a step), received ${String(l)}.`);
  });
  return arr as number[];
}

/**
 * Packs a padded batch `input` ([seq, batch, *], or [batch, seq, *] with batchFirst) of sequences with the given
 * `lengths` into a PackedSequence. Differentiable (a gather).
 *
 * ```ts
 * const packed = nn.utils.rnn.packPaddedSequence(x, [5, 3, 2], { batchFirst: true });   // x [3, 5, 8]
 * const [out, hN] = gru.forwardWithState(packed);
 * const [padded, lengths] = nn.utils.rnn.padPackedSequence(out, { batchFirst: true });
 * ```
 * PyTorch note: batchFirst defaults to false here too, although the nn modules default to batchFirst true.
 */
export function packPaddedSequence(input: Tensor, lengths: number[] | Tensor, options: PackOptions = {}): PackedSequence {
  const who = 'nn.utils.rnn.packPaddedSequence';
  if (!(input instanceof Tensor) || input.rank < 2) {
    throw new ValueError(
      `${who}: input must be a Tensor [seq, batch, *] (or [batch, seq, *] with batchFirst), received ${input instanceof Tensor ? `shape ${formatShape(input.shape)}` : typeof input}.`,
    );
  }
  checkOptionKeys(who, options, ['batchFirst', 'enforceSorted']);
  const batchFirst = options?.batchFirst ?? false;
  const enforceSorted = options?.enforceSorted ?? true;
  const B = input.shape[batchFirst ? 0 : 1];
  const T = input.shape[batchFirst ? 1 : 0];
  const lens = lengthList(who, lengths);
  if (lens.length !== B) {
    throw new ValueError(
      `${who}: ${lens.length} lengths for a batch of ${B} (input shape ${formatShape(input.shape)}, batchFirst ${batchFirst}: the batch is dimension ${batchFirst ? 0 : 1}).`,
    );
  }
  lens.forEach((l, i) => {
    if (l > T)
      throw new ValueError(
        `${who}: lengths[${i}] = ${l} is longer than the padded sequence (${T} steps, input shape ${formatShape(input.shape)}, batchFirst ${batchFirst}).`,
      );
  });
  let order = lens.map((_, i) => i);
  if (enforceSorted) {
    for (let i = 1; i < lens.length; i++) {
      if (lens[i] > lens[i - 1]) {
        throw new ValueError(
          `${who}: lengths must be sorted in decreasing order when enforceSorted is true, but lengths[${i}] = ${lens[i]} > lengths[${i - 1}] = ${lens[i - 1]}; pass {enforceSorted: false} to sort them.`,
        );
      }
    }
  } else {
    order = order.slice().sort((a, b) => lens[b] - lens[a] || a - b);
  }
  const maxLen = lens[order[0]];
  const batchSizes: number[] = [];
  const rows: number[] = [];
  for (let t = 0; t < maxLen; t++) {
    let n = 0;
    for (const b of order) {
      if (lens[b] <= t) break;
      rows.push(batchFirst ? b * T + t : t * B + b);
      n++;
    }
    batchSizes.push(n);
  }
  const rest = input.shape.slice(2);
  const flat = reshape(input, [B * T, ...rest]);
  const data = gather(flat, tensor(Int32Array.from(rows), [rows.length], 'int32'), 0);
  const int = (a: number[]) => tensor(Int32Array.from(a), [a.length], 'int32');
  if (enforceSorted) return new PackedSequence(data, int(batchSizes));
  const unsorted = new Array<number>(B);
  order.forEach((b, k) => (unsorted[b] = k));
  return new PackedSequence(data, int(batchSizes), int(order), int(unsorted));
}

/** Options of padPackedSequence. */
export interface PadPackedOptions {
  /** Output [batch, seq, *] (default false: [seq, batch, *], as PyTorch). */
  batchFirst?: boolean;
  /** Value of the padded positions (default 0). */
  paddingValue?: number;
  /** Pad to this many steps (default: the longest length). */
  totalLength?: number;
}

/**
 * Unpacks a PackedSequence to `[padded, lengths]` in the original batch order: padded [seq, batch, *] (or
 * [batch, seq, *]), lengths int32 [batch]. Differentiable (a gather).
 *
 * ```ts
 * const [padded, lengths] = nn.utils.rnn.padPackedSequence(packedOut, { batchFirst: true });
 * ```
 */
export function padPackedSequence(sequence: PackedSequence, options: PadPackedOptions = {}): [Tensor, Tensor] {
  const who = 'nn.utils.rnn.padPackedSequence';
  if (!(sequence instanceof PackedSequence)) {
    const s = sequence as unknown;
    throw new ValueError(
      `${who}: expected a PackedSequence, received ${s instanceof Tensor ? `a Tensor of shape ${formatShape(s.shape)}` : typeof s}.`,
    );
  }
  checkOptionKeys(who, options, ['batchFirst', 'paddingValue', 'totalLength']);
  const batchFirst = options?.batchFirst ?? false;
  const lens = sequence.lengths();
  const B = lens.length;
  const maxLen = Math.max(...lens);
  const T = options?.totalLength ?? maxLen;
  if (!Number.isInteger(T) || T < maxLen)
    throw new ValueError(
      `${who}: totalLength must be an integer >= the longest length ${maxLen}, received ${String(options?.totalLength)}.`,
    );
  const { data } = sequence;
  const rest = data.shape.slice(1);
  const featSize = rest.reduce((a, d) => a * d, 1);
  const N = data.shape[0];
  const order = sequence.order();
  const bs = Array.from(sequence.batchSizes.dataSync(), Number);
  // Row of data for (sorted position k, step t): offsets[t] + k.
  const offsets: number[] = [];
  let acc = 0;
  for (const n of bs) {
    offsets.push(acc);
    acc += n;
  }
  const sortedPos = new Array<number>(B);
  order.forEach((b, k) => (sortedPos[b] = k));
  const idx = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const k = sortedPos[b];
      const row = t < lens[b] ? offsets[t] + k : N; // N: the padding row
      idx[batchFirst ? b * T + t : t * B + b] = row;
    }
  }
  const padRow = fill([1, ...rest], options?.paddingValue ?? 0, data.dtype);
  const source = concat([reshape(data, [N, featSize]), reshape(padRow, [1, featSize])], 0);
  const padded = reshape(gather(source, tensor(idx, [B * T], 'int32'), 0), batchFirst ? [B, T, ...rest] : [T, B, ...rest]);
  return [padded, tensor(Int32Array.from(lens), [B], 'int32')];
}

/** Options of padSequence. */
export interface PadSequenceOptions {
  /** Output [batch, seq, *] (default false: [seq, batch, *], as PyTorch). */
  batchFirst?: boolean;
  /** Value of the padded positions (default 0). */
  paddingValue?: number;
  /** 'right' (default): padding after each sequence; 'left': before it (PyTorch's padding_side). */
  paddingSide?: 'right' | 'left';
}

/**
 * Pads a list of sequences [L_i, *] to the longest and stacks them: [maxL, batch, *] (or [batch, maxL, *]).
 *
 * ```ts
 * const x = nn.utils.rnn.padSequence([a, b, c], { batchFirst: true });   // a [5, 8], b [3, 8], c [2, 8] → [3, 5, 8]
 * ```
 */
export function padSequence(sequences: Tensor[], options: PadSequenceOptions = {}): Tensor {
  const who = 'nn.utils.rnn.padSequence';
  checkOptionKeys(who, options, ['batchFirst', 'paddingValue', 'paddingSide']);
  const side = options?.paddingSide ?? 'right';
  if (side !== 'right' && side !== 'left')
    throw new ValueError(
      `${who}: paddingSide must be 'right' or 'left', received ${typeof side === 'string' ? `'${side}'` : typeof side}.`,
    );
  if (!Array.isArray(sequences) || sequences.length === 0)
    throw new ValueError(`${who}: sequences must be a non-empty array of Tensors [length, *].`);
  sequences.forEach((s, i) => {
    if (!(s instanceof Tensor) || s.rank < 1)
      throw new ValueError(
        `${who}: sequences[${i}] must be a Tensor [length, *], received ${s instanceof Tensor ? 'a scalar' : typeof s}.`,
      );
    if (formatShape(s.shape.slice(1)) !== formatShape(sequences[0].shape.slice(1))) {
      throw new ValueError(
        `${who}: sequences[${i}] has shape ${formatShape(s.shape)}, its trailing dimensions must match sequences[0]'s ${formatShape(sequences[0].shape)}.`,
      );
    }
  });
  const L = Math.max(...sequences.map((s) => s.shape[0]));
  const v = options?.paddingValue ?? 0;
  const padded = sequences.map((s) =>
    s.shape[0] === L
      ? s
      : pad(s, [side === 'left' ? [L - s.shape[0], 0] : [0, L - s.shape[0]], ...s.shape.slice(1).map(() => [0, 0] as [number, number])], v),
  );
  const out = stack(padded, 0);
  return options?.batchFirst ? out : transpose(out, [1, 0, ...out.shape.slice(2).map((_, i) => i + 2)]);
}

/**
 * Packs a list of sequences directly (padSequence + packPaddedSequence).
 *
 * ```ts
 * const packed = nn.utils.rnn.packSequence([a, b, c], { enforceSorted: false });
 * ```
 */
export function packSequence(sequences: Tensor[], options: { enforceSorted?: boolean } = {}): PackedSequence {
  checkOptionKeys('nn.utils.rnn.packSequence', options, ['enforceSorted']);
  const lengths = Array.isArray(sequences) ? sequences.map((s) => (s instanceof Tensor ? s.shape[0] : 0)) : [];
  return packPaddedSequence(padSequence(sequences, { batchFirst: true }), lengths, {
    batchFirst: true,
    enforceSorted: options?.enforceSorted ?? true,
  });
}
