/**
 * Fused CTC (connectionist temporal classification) forward–backward on typed arrays, batched.
 *
 * For each sample b the label l (length L) is extended with blanks to l' = [∅, l₀, ∅, l₁, …, ∅] (S = 2L + 1
 * states). In log space:
 *   α_t(s) = logsumexp(α_{t−1}(s), α_{t−1}(s−1), α_{t−1}(s−2) if l'_s ≠ ∅ and l'_s ≠ l'_{s−2}) + lp_t(l'_s)
 *   −log P(l | x) = −logsumexp(α_{T−1}(S−1), α_{T−1}(S−2))
 * and the backward pass runs β (the log-probability of the rest of the sequence after t, given state s at t)
 * down from T − 1, turning α_t(s) + β_t(s) + nll into the posterior occupancy γ_t(s) one step at a time, so the
 * gradient is written row by row without storing β:
 *   ∂nll/∂lp_t(c) = −Σ_{s: l'_s = c} γ_t(s)        (log-probabilities given)
 *   ∂nll/∂z_t(c)  = softmax(z_t)(c) − Σ_{s: l'_s = c} γ_t(s)        (logits given, lp = logSoftmax(z))
 * The recursions work in float64 scratch (α is kept for the backward pass when asked), on logits and gradients in
 * float32; nothing is allocated per step. An impossible alignment (a label that needs more steps than it has) gives
 * an infinite loss and a zero gradient.
 */

/** Sizes of a CTC problem: logits [batch, timeSteps, numClasses], labels [batch, maxLabelLength]. */
export interface CtcDims {
  batch: number;
  timeSteps: number;
  numClasses: number;
  maxLabelLength: number;
}

/** The inputs of the raw CTC kernels (row-major, batch first). */
export interface CtcArrays {
  /** [batch, timeSteps, numClasses]: unnormalized logits (fromLogits) or log-probabilities. */
  logits: Float32Array;
  /** [batch, maxLabelLength]: label ids; entries at or after a sample's label length are ignored. */
  labels: Int32Array;
  /** [batch]: each label's length, in [0, maxLabelLength]. */
  labelLengths: Int32Array;
  /** [batch]: each sequence's number of valid time steps, in [0, timeSteps]. */
  logitLengths: Int32Array;
}

/** Options of the raw CTC kernels. */
export interface CtcKernelOptions {
  /** Class id of the blank. */
  blankIndex: number;
  /** Whether `logits` are unnormalized (a log-softmax is applied over classes) or already log-probabilities. */
  fromLogits: boolean;
  /** Keep α for `ctcLossBackward` (costs batch·timeSteps·(2·maxLabelLength + 1) float64). */
  storeForBackward: boolean;
}

/** What `ctcLossForward` keeps for the backward pass. */
export interface CtcSaved {
  /** [batch, timeSteps, numClasses] log-probabilities (the logits themselves when not fromLogits). */
  logProbs: Float32Array;
  /** [batch, timeSteps, 2·maxLabelLength + 1] log α. */
  alpha: Float64Array;
  /** [batch] negative log-likelihoods in float64 (Infinity for impossible alignments). */
  nll: Float64Array;
}

/** Result of `ctcLossForward`. */
export interface CtcForwardResult {
  /** [batch] negative log-likelihood −log P(label | logits) per sample. */
  loss: Float32Array;
  saved: CtcSaved | null;
}

const NEG_INF = -Infinity;

/** log(eᵃ + eᵇ + eᶜ), −∞ when all three are −∞. */
function logSum3(a: number, b: number, c: number): number {
  let m = a > b ? a : b;
  if (c > m) m = c;
  if (m === NEG_INF) return NEG_INF;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m));
}

/** Row-wise log-softmax of [rows, n] into `out`. */
export function logSoftmaxRows(x: Float32Array, rows: number, n: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let m = NEG_INF;
    for (let c = 0; c < n; c++) if (x[o + c] > m) m = x[o + c];
    let s = 0;
    for (let c = 0; c < n; c++) s += Math.exp(x[o + c] - m);
    const lse = m + Math.log(s);
    for (let c = 0; c < n; c++) out[o + c] = x[o + c] - lse;
  }
}

/** Fills the extended label l' of one sample and its skip flags (s−2 → s allowed); returns S = 2L + 1. */
function extendLabel(labels: Int32Array, offset: number, L: number, blank: number, ext: Int32Array, skip: Uint8Array): number {
  const S = 2 * L + 1;
  for (let s = 0; s < S; s++) {
    ext[s] = s & 1 ? labels[offset + ((s - 1) >> 1)] : blank;
    skip[s] = s >= 3 && s & 1 && ext[s] !== ext[s - 2] ? 1 : 0;
  }
  return S;
}

/** Scratch shared by the forward and backward loops of one call (allocated once per call). */
function scratch(dims: CtcDims): { ext: Int32Array; skip: Uint8Array; sMax: number } {
  const sMax = 2 * dims.maxLabelLength + 1;
  return { ext: new Int32Array(sMax), skip: new Uint8Array(sMax), sMax };
}

/**
 * Forward pass: the negative log-likelihood of each sample's label (Keras `ops.ctc_loss`, PyTorch
 * `ctc_loss(reduction='none')`), and, with `storeForBackward`, what `ctcLossBackward` needs.
 * Inputs are trusted (the op `ctcLoss` validates them).
 */
export function ctcLossForward(dims: CtcDims, a: CtcArrays, o: CtcKernelOptions): CtcForwardResult {
  const { batch: B, timeSteps: T, numClasses: C, maxLabelLength: Lmax } = dims;
  const blank = o.blankIndex;
  let lp = a.logits;
  if (o.fromLogits) {
    lp = new Float32Array(B * T * C);
    logSoftmaxRows(a.logits, B * T, C, lp);
  }
  const { ext, skip, sMax } = scratch(dims);
  const store = o.storeForBackward;
  const alpha = new Float64Array(store ? B * T * sMax : 2 * sMax);
  const nll = new Float64Array(B);
  const loss = new Float32Array(B);

  for (let b = 0; b < B; b++) {
    const L = a.labelLengths[b];
    const Tb = a.logitLengths[b];
    if (Tb === 0) {
      nll[b] = L === 0 ? 0 : Infinity;
      loss[b] = nll[b];
      continue;
    }
    const S = extendLabel(a.labels, b * Lmax, L, blank, ext, skip);
    const base = store ? b * T * sMax : 0;
    // t = 0: only the first blank and the first label can start.
    let row = base;
    const lp0 = b * T * C;
    for (let s = 0; s < S; s++) alpha[row + s] = NEG_INF;
    alpha[row] = lp[lp0 + blank];
    if (S > 1) alpha[row + 1] = lp[lp0 + ext[1]];
    for (let t = 1; t < Tb; t++) {
      const prev = row;
      row = store ? base + t * sMax : (t & 1) * sMax;
      const lpt = (b * T + t) * C;
      // States that cannot reach the end in the remaining steps are left at −∞.
      const start = Math.max(0, S - 2 * (Tb - t));
      const end = Math.min(S, 2 * t + 2);
      for (let s = 0; s < start; s++) alpha[row + s] = NEG_INF;
      for (let s = end; s < S; s++) alpha[row + s] = NEG_INF;
      for (let s = start; s < end; s++) {
        const x = alpha[prev + s];
        const y = s > 0 ? alpha[prev + s - 1] : NEG_INF;
        const z = skip[s] ? alpha[prev + s - 2] : NEG_INF;
        const v = logSum3(x, y, z);
        alpha[row + s] = v === NEG_INF ? NEG_INF : v + lp[lpt + ext[s]];
      }
    }
    const last = alpha[row + S - 1];
    const logP = S > 1 ? logSum3(last, alpha[row + S - 2], NEG_INF) : last;
    nll[b] = -logP;
    loss[b] = nll[b];
  }
  return { loss, saved: store ? { logProbs: lp, alpha, nll } : null };
}

/**
 * Backward pass: the gradient of Σ_b dLoss[b]·loss[b] with respect to `a.logits` ([batch, timeSteps, numClasses]);
 * zero at steps past a sample's logit length and for samples whose loss is infinite.
 */
export function ctcLossBackward(dims: CtcDims, a: CtcArrays, o: CtcKernelOptions, saved: CtcSaved, dLoss: ArrayLike<number>): Float32Array {
  const { batch: B, timeSteps: T, numClasses: C, maxLabelLength: Lmax } = dims;
  const blank = o.blankIndex;
  const { logProbs: lp, alpha, nll } = saved;
  const { ext, skip, sMax } = scratch(dims);
  const grad = new Float32Array(B * T * C);
  // β rows: `excl` is β at t (after step t), `incl` adds step t's emission (what step t − 1 reads).
  let excl = new Float64Array(sMax);
  let incl = new Float64Array(sMax);
  const occ = new Float64Array(C);

  for (let b = 0; b < B; b++) {
    const L = a.labelLengths[b];
    const Tb = a.logitLengths[b];
    const nb = nll[b];
    const dy = dLoss[b];
    if (Tb === 0 || !Number.isFinite(nb) || dy === 0) continue;
    const S = extendLabel(a.labels, b * Lmax, L, blank, ext, skip);
    for (let t = Tb - 1; t >= 0; t--) {
      const lpt = (b * T + t) * C;
      // Only states in [start, end) have both α and β finite at t (reachable from the start, able to finish).
      const start = Math.max(0, S - 2 * (Tb - t));
      const end = Math.min(S, 2 * t + 2);
      excl.fill(NEG_INF, 0, S);
      if (t === Tb - 1) {
        for (let s = Math.max(0, S - 2); s < S; s++) excl[s] = 0;
      } else {
        for (let s = start; s < end; s++) {
          const y = s + 1 < S ? incl[s + 1] : NEG_INF;
          const z = s + 2 < S && skip[s + 2] ? incl[s + 2] : NEG_INF;
          excl[s] = logSum3(incl[s], y, z);
        }
      }
      // Posterior occupancy of each class at t, then the gradient row.
      occ.fill(0);
      const arow = (b * T + t) * sMax;
      for (let s = start; s < end; s++) {
        const v = alpha[arow + s] + excl[s];
        if (v !== NEG_INF) occ[ext[s]] += Math.exp(v + nb);
      }
      if (o.fromLogits) {
        for (let c = 0; c < C; c++) grad[lpt + c] = dy * (Math.exp(lp[lpt + c]) - occ[c]);
      } else {
        for (let c = 0; c < C; c++) grad[lpt + c] = -dy * occ[c];
      }
      for (let s = start; s < end; s++) if (excl[s] !== NEG_INF) excl[s] += lp[lpt + ext[s]];
      const tmp = incl;
      incl = excl;
      excl = tmp;
    }
  }
  return grad;
}
