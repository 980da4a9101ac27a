/** ctcDecode: greedy and prefix beam-search decoding of CTC outputs (Keras 3 `ops.ctc_decode`). */
import { makeTensor, Tensor } from '../tensor';
import { TensorLike } from '../convert';
import { logSoftmaxRows } from '../kernels/ctc_kernel';
import { boolOption, checkOptions, ctcLengths, ctcLogits, intOption } from './ctc_args';
import { ValueError } from '../errors';

/** Options of {@link ctcDecode}. */
export interface CtcDecodeOptions {
  /** 'greedy' (default: best class per step, merge repeats, drop blanks) or 'beam_search' (prefix beam search). */
  strategy?: 'greedy' | 'beam_search';
  /** Prefixes kept per step by beam search (default 100). */
  beamWidth?: number;
  /** Number of best label sequences returned by beam search, at most beamWidth (default 1; greedy returns 1). */
  topPaths?: number;
  /** Greedy: merge consecutive equal classes into one label before dropping blanks (default true). */
  mergeRepeated?: boolean;
  /** Class id of the blank (Keras `mask_index`); default 0. */
  blankIndex?: number;
}

const NEG_INF = -Infinity;

function logAdd(a: number, b: number): number {
  if (a === NEG_INF) return b;
  if (b === NEG_INF) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * Decodes CTC outputs into label sequences, as Keras 3's `ops.ctc_decode`; returns `[decoded, logProbs]`:
 * - `decoded` int32 `[paths, batch, timeSteps]`: each row's labels first, padded with −1 (`paths` is `topPaths` for
 *   beam search, 1 for greedy);
 * - `logProbs` float32 `[batch, paths]`.
 *
 * `logits` float32 `[batch, timeSteps, numClasses]`; `sequenceLengths` int32 `[batch]` (steps past a sample's
 * length are ignored).
 *
 * - greedy: the best class per step; with `mergeRepeated` consecutive equal classes count once (`a a ∅ a` → `a a`),
 *   then blanks are dropped. As Keras (and TensorFlow's greedy decoder), `logProbs` is the negative sum over steps
 *   of the largest input value — a score of the best path, not a probability; `topPaths` is ignored.
 * - beam_search: CTC prefix beam search over log-softmax(logits): each kept prefix carries the total probability of
 *   all alignments (ending in a blank or not) that collapse to it, so with `beamWidth` at least the number of
 *   possible prefixes the result is the exact most probable label sequence. `logProbs` are the log-probabilities of
 *   the returned sequences, best first; missing paths (fewer distinct prefixes than `topPaths`) are all −1 with
 *   log-probability −Infinity. Repeats are always merged (CTC collapse); `mergeRepeated` only affects greedy, as
 *   in Keras.
 *
 * ```js
 * const [decoded, logProbs] = ctcDecode(logits, tensor1d([50, 42], 'int32'), {strategy: 'beam_search', beamWidth: 16});
 * decoded.arraySync()[0][0];   // first sample's best labels, then -1s
 * ```
 */
export function ctcDecode(logits: TensorLike, sequenceLengths: TensorLike, options: CtcDecodeOptions = {}): [Tensor, Tensor] {
  const op = 'ctcDecode';
  const opts = checkOptions(op, options, ['strategy', 'beamWidth', 'topPaths', 'mergeRepeated', 'blankIndex']);
  const x = ctcLogits(op, 'logits', logits);
  const [B, T, C] = x.shape;
  const strategy = opts.strategy ?? 'greedy';
  if (strategy !== 'greedy' && strategy !== 'beam_search') {
    throw new ValueError(`${op}: strategy must be 'greedy' or 'beam_search', received ${JSON.stringify(strategy)}.`);
  }
  const beamWidth = intOption(op, 'beamWidth', opts.beamWidth ?? 100, 1);
  const topPaths = intOption(op, 'topPaths', opts.topPaths ?? 1, 1);
  if (strategy === 'beam_search' && topPaths > beamWidth) {
    throw new ValueError(`${op}: topPaths (${topPaths}) must be at most beamWidth (${beamWidth}).`);
  }
  const mergeRepeated = boolOption(op, 'mergeRepeated', opts.mergeRepeated ?? true);
  const blank = intOption(op, 'blankIndex', opts.blankIndex ?? 0, 0, C - 1);
  const lengths = ctcLengths(op, 'sequenceLengths', sequenceLengths, B, T, `logits has ${T} time steps`);
  const xv = x.values as Float32Array;
  return strategy === 'greedy'
    ? greedyDecode(xv, lengths, B, T, C, blank, mergeRepeated)
    : beamSearchDecode(xv, lengths, B, T, C, blank, beamWidth, topPaths);
}

function greedyDecode(
  x: Float32Array,
  lengths: Int32Array,
  B: number,
  T: number,
  C: number,
  blank: number,
  merge: boolean,
): [Tensor, Tensor] {
  const decoded = new Int32Array(B * T).fill(-1);
  const scores = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    let n = 0;
    let prev = -1;
    let sum = 0;
    for (let t = 0; t < lengths[b]; t++) {
      const row = (b * T + t) * C;
      let best = 0;
      for (let c = 1; c < C; c++) if (x[row + c] > x[row + best]) best = c;
      sum += x[row + best];
      if (best !== blank && !(merge && best === prev)) decoded[b * T + n++] = best;
      prev = best;
    }
    scores[b] = -sum;
  }
  return [makeTensor(decoded, [1, B, T], 'int32'), makeTensor(scores, [B, 1], 'float32')];
}

/**
 * A prefix tree of label sequences: node 0 is the empty prefix; each node knows its parent and last label. Only
 * prefixes that enter the beam become nodes. `stamp`/`beamIndex` record which nodes are in the beam at a step.
 */
class PrefixTree {
  readonly parent: number[] = [-1];
  readonly label: number[] = [-1];
  readonly stamp: number[] = [-1];
  readonly beamIndex: number[] = [-1];
  private readonly children = new Map<number, number>();
  constructor(private readonly numClasses: number) {}

  child(node: number, c: number): number {
    const key = node * this.numClasses + c;
    let id = this.children.get(key);
    if (id === undefined) {
      id = this.parent.length;
      this.parent.push(node);
      this.label.push(c);
      this.stamp.push(-1);
      this.beamIndex.push(-1);
      this.children.set(key, id);
    }
    return id;
  }

  /** The labels of `node`'s prefix, written into `out` at `offset`. */
  write(node: number, out: Int32Array, offset: number): void {
    const seq: number[] = [];
    for (let n = node; n > 0; n = this.parent[n]) seq.push(this.label[n]);
    for (let i = 0; i < seq.length; i++) out[offset + i] = seq[seq.length - 1 - i];
  }
}

/** Better first: larger total, then smaller index (a strict total order, so the selection is deterministic). */
function better(p: number, q: number, total: Float64Array): boolean {
  const a = total[p];
  const b = total[q];
  return a > b || (a === b && p < q) || (a !== a && b !== b && p < q);
}

/** Moves the best `k` of `order[0..n)` to its front, sorted best first (quickselect, then a sort of those k). */
function selectTop(order: number[], n: number, k: number, total: Float64Array): void {
  let lo = 0;
  let hi = n - 1;
  while (k < n && lo < hi) {
    const pivot = order[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (better(order[i], pivot, total)) i++;
      while (better(pivot, order[j], total)) j--;
      if (i <= j) {
        const tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
        i++;
        j--;
      }
    }
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else break;
  }
  const top = order.slice(0, k).sort((p, q) => (better(p, q, total) ? -1 : better(q, p, total) ? 1 : 0));
  for (let i = 0; i < k; i++) order[i] = top[i];
}

function beamSearchDecode(
  logits: Float32Array,
  lengths: Int32Array,
  B: number,
  T: number,
  C: number,
  blank: number,
  beamWidth: number,
  topPaths: number,
): [Tensor, Tensor] {
  const lp = new Float32Array(logits.length);
  logSoftmaxRows(logits, B * T, C, lp);
  const decoded = new Int32Array(topPaths * B * T).fill(-1);
  const scores = new Float32Array(B * topPaths).fill(NEG_INF);
  // The beam (prefixes kept) and the candidates after one more step, with their log-probabilities of ending in a
  // blank (pb) or in their last label (pnb). Candidate i < beamSize is beam prefix i itself; the others extend a
  // beam prefix by one label (node −1 until selected: most candidates are dropped and never become tree nodes).
  const cap = beamWidth * C + beamWidth;
  const beamNode = new Int32Array(beamWidth);
  const beamPb = new Float64Array(beamWidth);
  const beamPnb = new Float64Array(beamWidth);
  const candNode = new Int32Array(cap);
  const candParent = new Int32Array(cap);
  const candLabel = new Int32Array(cap);
  const candPb = new Float64Array(cap);
  const candPnb = new Float64Array(cap);
  const total = new Float64Array(cap);
  // childSlot[i·C + c]: the candidate of beam prefix i extended by c when that prefix is itself in the beam.
  const childSlot = new Int32Array(beamWidth * C);
  const order: number[] = [];

  for (let b = 0; b < B; b++) {
    const tree = new PrefixTree(C);
    let beamSize = 1;
    beamNode[0] = 0;
    beamPb[0] = 0;
    beamPnb[0] = NEG_INF;
    for (let t = 0; t < lengths[b]; t++) {
      const row = (b * T + t) * C;
      const lpBlank = lp[row + blank];
      // Same prefix: a blank, or the last label once more.
      for (let i = 0; i < beamSize; i++) {
        const node = beamNode[i];
        tree.stamp[node] = t;
        tree.beamIndex[node] = i;
        const last = tree.label[node];
        candNode[i] = node;
        candPb[i] = logAdd(beamPb[i], beamPnb[i]) + lpBlank;
        candPnb[i] = last >= 0 ? beamPnb[i] + lp[row + last] : NEG_INF;
      }
      childSlot.fill(-1, 0, beamSize * C);
      for (let i = 0; i < beamSize; i++) {
        const parent = tree.parent[beamNode[i]];
        if (parent >= 0 && tree.stamp[parent] === t) childSlot[tree.beamIndex[parent] * C + tree.label[beamNode[i]]] = i;
      }
      // Longer prefix: a new label (a repeat of the last one only after a blank).
      let n = beamSize;
      for (let i = 0; i < beamSize; i++) {
        const node = beamNode[i];
        const pb = beamPb[i];
        const all = logAdd(pb, beamPnb[i]);
        const last = tree.label[node];
        for (let c = 0; c < C; c++) {
          if (c === blank) continue;
          const v = (c === last ? pb : all) + lp[row + c];
          const k = childSlot[i * C + c];
          if (k >= 0) {
            candPnb[k] = logAdd(candPnb[k], v);
          } else {
            candNode[n] = -1;
            candParent[n] = node;
            candLabel[n] = c;
            candPb[n] = NEG_INF;
            candPnb[n] = v;
            n++;
          }
        }
      }
      order.length = 0;
      for (let i = 0; i < n; i++) {
        total[i] = logAdd(candPb[i], candPnb[i]);
        order.push(i);
      }
      beamSize = Math.min(beamWidth, n);
      selectTop(order, n, beamSize, total);
      for (let i = 0; i < beamSize; i++) {
        const k = order[i];
        beamNode[i] = candNode[k] >= 0 ? candNode[k] : tree.child(candParent[k], candLabel[k]);
        beamPb[i] = candPb[k];
        beamPnb[i] = candPnb[k];
      }
    }
    // The beam is sorted best first.
    for (let p = 0; p < Math.min(topPaths, beamSize); p++) {
      tree.write(beamNode[p], decoded, (p * B + b) * T);
      scores[b * topPaths + p] = logAdd(beamPb[p], beamPnb[p]);
    }
  }
  return [makeTensor(decoded, [topPaths, B, T], 'int32'), makeTensor(scores, [B, topPaths], 'float32')];
}
