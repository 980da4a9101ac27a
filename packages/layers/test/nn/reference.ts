/**
 * Float64 references of PyTorch's recurrent modules, written from PyTorch's documented formulas with
 * independent per-step loops over plain arrays (no library code):
 *   RNN:  h' = act(W_ih x + b_ih + W_hh h + b_hh)
 *   LSTM: i, f, g, o = chunks of W_ih x + b_ih + W_hh h + b_hh; i, f, o = σ(.), g = tanh(.);
 *         c' = f c + i g;  h' = o tanh(c');  with projection h' = W_hr h'
 *   GRU:  r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 *         n = tanh(W_in x + b_in + r (W_hn h + b_hn)),  h' = (1 − z) n + z h
 * Multi-layer: layer k's input is layer k−1's output (after the optional dropout mask); bidirectional layers
 * concatenate [forward, reverse] outputs; states are indexed layer·D + direction.
 */

export type RefMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** Flat row-major parameter arrays by PyTorch name (no prefix). */
export type RefParams = { [name: string]: number[] };

export interface RefConfig {
  mode: RefMode;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  bias: boolean;
  projSize: number;
}

export interface RefResult {
  /** [B, T, D·Hout], batch-major. */
  out: number[];
  /** [D·L, B, Hout]. */
  hN: number[];
  /** [D·L, B, H] (LSTM) else empty. */
  cN: number[];
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** y[r] = Σ_c W[r, c] x[c] for W [rows, cols] flat. */
function matvec(W: number[], x: number[], rows: number, cols: number): number[] {
  const y = new Array<number>(rows).fill(0);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += W[r * cols + c] * x[c];
    y[r] = s;
  }
  return y;
}

/** One cell step in PyTorch's formulas; returns [h', c']. */
export function refCellStep(
  mode: RefMode,
  p: { wih: number[]; whh: number[]; bih: number[] | null; bhh: number[] | null; whr: number[] | null },
  x: number[],
  h: number[],
  c: number[],
  H: number,
  P: number,
): [number[], number[]] {
  const G = mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
  const Hout = P > 0 ? P : H;
  const gi = matvec(p.wih, x, G * H, x.length);
  const gh = matvec(p.whh, h, G * H, Hout);
  for (let j = 0; j < G * H; j++) {
    if (p.bih) gi[j] += p.bih[j];
    if (p.bhh) gh[j] += p.bhh[j];
  }
  if (mode === 'RNN_TANH' || mode === 'RNN_RELU') {
    const h2 = gi.map((v, j) => {
      const a = v + gh[j];
      return mode === 'RNN_TANH' ? Math.tanh(a) : Math.max(0, a);
    });
    return [h2, []];
  }
  if (mode === 'GRU') {
    const h2: number[] = [];
    for (let j = 0; j < H; j++) {
      const r = sig(gi[j] + gh[j]);
      const z = sig(gi[H + j] + gh[H + j]);
      const n = Math.tanh(gi[2 * H + j] + r * gh[2 * H + j]);
      h2.push((1 - z) * n + z * h[j]);
    }
    return [h2, []];
  }
  const c2: number[] = [];
  const hh: number[] = [];
  const a = gi.map((v, k) => v + gh[k]);
  for (let j = 0; j < H; j++) {
    const i = sig(a[j]);
    const f = sig(a[H + j]);
    const g = Math.tanh(a[2 * H + j]);
    const o = sig(a[3 * H + j]);
    c2.push(f * c[j] + i * g);
    hh.push(o * Math.tanh(c2[j]));
  }
  return [P > 0 ? matvec(p.whr as number[], hh, P, H) : hh, c2];
}

/**
 * The whole module. `x` [B, T, inputSize] batch-major; h0 [D·L, B, Hout] / c0 [D·L, B, H] or null (zeros);
 * `dropoutMasks[l]` ([B, T, D·Hout]) multiplies layer l's output before layer l+1.
 */
export function refRecurrent(
  cfg: RefConfig,
  params: RefParams,
  x: number[],
  B: number,
  T: number,
  h0: number[] | null,
  c0: number[] | null,
  dropoutMasks: (number[] | null)[] = [],
): RefResult {
  const { mode, hiddenSize: H, numLayers: L, projSize: P } = cfg;
  const D = cfg.bidirectional ? 2 : 1;
  const Hout = P > 0 ? P : H;
  let input = x.slice();
  let inSize = cfg.inputSize;
  const hN = new Array<number>(D * L * B * Hout).fill(0);
  const cN = mode === 'LSTM' ? new Array<number>(D * L * B * H).fill(0) : [];
  for (let l = 0; l < L; l++) {
    const out = new Array<number>(B * T * D * Hout).fill(0);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const sfx = `_l${l}${d ? '_reverse' : ''}`;
      const p = {
        wih: params[`weight_ih${sfx}`],
        whh: params[`weight_hh${sfx}`],
        bih: cfg.bias ? params[`bias_ih${sfx}`] : null,
        bhh: cfg.bias ? params[`bias_hh${sfx}`] : null,
        whr: P > 0 ? params[`weight_hr${sfx}`] : null,
      };
      for (let b = 0; b < B; b++) {
        let h = h0 ? h0.slice((k * B + b) * Hout, (k * B + b + 1) * Hout) : new Array<number>(Hout).fill(0);
        let c = c0 ? c0.slice((k * B + b) * H, (k * B + b + 1) * H) : new Array<number>(H).fill(0);
        for (let s = 0; s < T; s++) {
          const t = d === 1 ? T - 1 - s : s;
          const xt = input.slice((b * T + t) * inSize, (b * T + t + 1) * inSize);
          [h, c] = refCellStep(mode, p, xt, h, c, H, P);
          for (let j = 0; j < Hout; j++) out[(b * T + t) * D * Hout + d * Hout + j] = h[j];
        }
        for (let j = 0; j < Hout; j++) hN[(k * B + b) * Hout + j] = h[j];
        if (mode === 'LSTM') for (let j = 0; j < H; j++) cN[(k * B + b) * H + j] = c[j];
      }
    }
    const m = dropoutMasks[l];
    input = m && l < L - 1 ? out.map((v, i) => v * m[i]) : out;
    inSize = D * Hout;
  }
  return { out: input, hN, cN };
}
