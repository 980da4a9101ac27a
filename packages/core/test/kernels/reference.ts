/**
 * A float64 reference of the recurrent cells written straight from the Keras formulas: one
 * time step at a time, one sequence (batch row) at a time, explicit sums, plain JS arrays.
 * Used to check the fused kernels' forward values and (by central differences) their gradients.
 */

export type Cell = 'simple' | 'lstm' | 'gru';

export const ACT: { [name: string]: (x: number) => number } = {
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  hardSigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  hardSigmoidKeras3: (x) => Math.min(6, Math.max(0, x + 3)) / 6,
  relu: (x) => Math.max(0, x),
  linear: (x) => x,
  softsign: (x) => x / (1 + Math.abs(x)),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  selu: (x) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.exp(x) - 1)),
};

export interface RefArgs {
  cell: Cell;
  resetAfter?: boolean;
  B: number;
  T: number;
  D: number;
  U: number;
  x: number[]; // [B, T, D]
  W: number[]; // [D, G·U]
  R: number[]; // [U, G·U]
  bias: number[] | null; // [G·U] or GRU resetAfter [2·G·U]
  h0: number[] | null;
  c0: number[] | null;
  act: string;
  recAct: string;
  goBackwards: boolean;
  mask: number[] | null; // [B, T]
  inDrop: number[][] | null; // G masks [B, D]
  recDrop: number[][] | null; // G masks [B, U]
  maskedOutputInit?: 'zeros' | 'initialState';
}

export interface RefOut {
  last: number[]; // [B, U]
  seq: number[]; // [B, T, U], processing order
  h: number[];
  c: number[] | null;
}

export function gatesOf(cell: Cell): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

export function reference(a: RefArgs): RefOut {
  const { B, T, D, U } = a;
  const G = gatesOf(a.cell);
  const GU = G * U;
  const f = ACT[a.act];
  const sg = ACT[a.recAct];
  const last: number[] = [];
  const seq: number[] = new Array(B * T * U).fill(0);
  const hOut: number[] = [];
  const cOut: number[] = [];
  for (let b = 0; b < B; b++) {
    let h = a.h0 ? a.h0.slice(b * U, (b + 1) * U) : new Array(U).fill(0);
    let c = a.c0 ? a.c0.slice(b * U, (b + 1) * U) : new Array(U).fill(0);
    let out = a.maskedOutputInit === 'initialState' ? h.slice() : new Array(U).fill(0);
    const inMask = (g: number, d: number) => (a.inDrop ? a.inDrop[a.inDrop.length === 1 ? 0 : g][b * D + d] : 1);
    const recMask = (g: number, k: number) => (a.recDrop ? a.recDrop[a.recDrop.length === 1 ? 0 : g][b * U + k] : 1);
    // x_t·W_g[:, j] with gate g's input dropout mask.
    const xw = (t: number, g: number, j: number) => {
      let sum = 0;
      for (let d = 0; d < D; d++) sum += a.x[(b * T + t) * D + d] * inMask(g, d) * a.W[d * GU + g * U + j];
      return sum;
    };
    // v·U_g[:, j] where v is a vector over units.
    const vu = (v: number[], g: number, j: number) => {
      let sum = 0;
      for (let k = 0; k < U; k++) sum += v[k] * a.R[k * GU + g * U + j];
      return sum;
    };
    const bias = (i: number) => (a.bias ? a.bias[i] : 0);
    for (let s = 0; s < T; s++) {
      const t = a.goBackwards ? T - 1 - s : s;
      const keep = a.mask ? a.mask[b * T + t] !== 0 : true;
      let hNew: number[] = [];
      let cNew: number[] = c;
      const hm = (g: number) => h.map((v, k) => v * recMask(g, k));
      if (a.cell === 'simple') {
        for (let j = 0; j < U; j++) hNew.push(f(xw(t, 0, j) + vu(hm(0), 0, j) + bias(j)));
      } else if (a.cell === 'lstm') {
        cNew = [];
        for (let j = 0; j < U; j++) {
          const z = (g: number) => xw(t, g, j) + vu(hm(g), g, j) + bias(g * U + j);
          const i = sg(z(0));
          const fg = sg(z(1));
          const cc = f(z(2));
          const o = sg(z(3));
          const cn = fg * c[j] + i * cc;
          cNew.push(cn);
          hNew.push(o * f(cn));
        }
      } else if (!a.resetAfter) {
        const z: number[] = [];
        const r: number[] = [];
        for (let j = 0; j < U; j++) {
          z.push(sg(xw(t, 0, j) + vu(hm(0), 0, j) + bias(j)));
          r.push(sg(xw(t, 1, j) + vu(hm(1), 1, j) + bias(U + j)));
        }
        const rh = hm(2).map((v, k) => v * r[k]);
        for (let j = 0; j < U; j++) {
          const hh = f(xw(t, 2, j) + vu(rh, 2, j) + bias(2 * U + j));
          hNew.push(z[j] * h[j] + (1 - z[j]) * hh);
        }
      } else {
        for (let j = 0; j < U; j++) {
          const rec = (g: number) => vu(hm(g), g, j) + bias(GU + g * U + j);
          const z = sg(xw(t, 0, j) + bias(j) + rec(0));
          const r = sg(xw(t, 1, j) + bias(U + j) + rec(1));
          const hh = f(xw(t, 2, j) + bias(2 * U + j) + r * rec(2));
          hNew.push(z * h[j] + (1 - z) * hh);
        }
      }
      if (keep) {
        h = hNew;
        c = cNew;
        out = hNew.slice();
      }
      for (let j = 0; j < U; j++) seq[(b * T + s) * U + j] = out[j];
    }
    last.push(...out);
    hOut.push(...h);
    cOut.push(...c);
  }
  return { last, seq, h: hOut, c: a.cell === 'lstm' ? cOut : null };
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n float32-representable values uniform in [lo, hi). */
export function randomArray(r: () => number, n: number, lo = -1, hi = 1): number[] {
  return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r()));
}
