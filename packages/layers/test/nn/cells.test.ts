/** nn.RNNCell / nn.LSTMCell / nn.GRUCell against one step of the float64 PyTorch formulas, values and gradients. */
import { add, mul, sum, Tensor, variable, variableGrads } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { refCellStep, RefMode } from './reference';
import { expectClose, f32, num, randArr, t } from './helpers';

const B = 3;
const I = 4;
const H = 5;

type AnyCell = nn.RNNCell | nn.LSTMCell | nn.GRUCell;

function makeCell(mode: RefMode, bias: boolean, seed: number): AnyCell {
  if (mode === 'LSTM') return new nn.LSTMCell(I, H, { bias, seed });
  if (mode === 'GRU') return new nn.GRUCell(I, H, { bias, seed });
  return new nn.RNNCell(I, H, { bias, seed, nonlinearity: mode === 'RNN_RELU' ? 'relu' : 'tanh' });
}

function runCell(cell: AnyCell, x: Tensor, h: Tensor | null, c: Tensor | null): [Tensor, Tensor | null] {
  if (cell instanceof nn.LSTMCell) return cell.forward(x, h && c ? [h, c] : null);
  return [cell.forward(x, h), null];
}

/** Reference over the batch: [h', c'] flat [B, H]. */
function refCell(mode: RefMode, p: { [k: string]: number[] }, bias: boolean, x: number[], h: number[] | null, c: number[] | null) {
  const hs: number[] = [];
  const cs: number[] = [];
  for (let b = 0; b < B; b++) {
    const [h2, c2] = refCellStep(
      mode,
      { wih: p.weight_ih, whh: p.weight_hh, bih: bias ? p.bias_ih : null, bhh: bias ? p.bias_hh : null, whr: null },
      x.slice(b * I, (b + 1) * I),
      h ? h.slice(b * H, (b + 1) * H) : new Array(H).fill(0),
      c ? c.slice(b * H, (b + 1) * H) : new Array(H).fill(0),
      H,
      0,
    );
    hs.push(...h2);
    cs.push(...c2);
  }
  return { h: hs, c: cs };
}

const cases: [string, RefMode, boolean, boolean][] = [];
for (const mode of ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'] as RefMode[]) {
  for (const bias of [true, false])
    for (const withState of [false, true])
      cases.push([`${mode}${bias ? '' : ' nobias'}${withState ? ' with state' : ''}`, mode, bias, withState]);
}

describe('nn cells', () => {
  test.each(cases)('%s: forward and gradients vs the float64 formulas', (_n, mode, bias, withState) => {
    const cell = makeCell(mode, bias, 17);
    const p: { [k: string]: number[] } = {};
    for (const [k, v] of Object.entries(cell.stateDict())) p[k] = num(v);
    expect(Object.keys(p)).toEqual(bias ? ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'] : ['weight_ih', 'weight_hh']);
    const G = mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
    expect(cell.getParameter('weight_ih').shape).toEqual([G * H, I]);
    const x = f32(randArr(B * I, 1));
    const h = withState ? f32(randArr(B * H, 2)) : null;
    const c = withState && mode === 'LSTM' ? f32(randArr(B * H, 3)) : null;
    const [h2, c2] = runCell(cell, t(x, [B, I]), h ? t(h, [B, H]) : null, c ? t(c, [B, H]) : null);
    const ref = refCell(mode, p, bias, x, h, c);
    expect(h2.shape).toEqual([B, H]);
    expectClose(num(h2), ref.h, 1e-5, 'h');
    if (mode === 'LSTM') expectClose(num(c2 as Tensor), ref.c, 1e-5, 'c');

    // Gradients of L = Σ wh·h' + Σ wc·c' w.r.t. every parameter, x and the states.
    const wh = randArr(B * H, 4, 0.5, 1.5);
    const wc = randArr(B * H, 5, 0.5, 1.5);
    const xv = variable(t(x, [B, I]));
    const hv = h ? variable(t(h, [B, H])) : null;
    const cv = c ? variable(t(c, [B, H])) : null;
    const { grads } = variableGrads(() => {
      const [a, b] = runCell(cell, xv, hv, cv);
      return b ? add(sum(mul(a, t(wh, [B, H]))), sum(mul(b, t(wc, [B, H])))) : sum(mul(a, t(wh, [B, H])));
    }, [...cell.parameters(), xv, ...(hv ? [hv] : []), ...(cv ? [cv] : [])]);
    const refLoss = (pp: typeof p, xx: number[], hh: number[] | null, cc: number[] | null) => {
      const r = refCell(mode, pp, bias, xx, hh, cc);
      return r.h.reduce((s, v, i) => s + wh[i] * v, 0) + r.c.reduce((s, v, i) => s + wc[i] * v, 0);
    };
    const eps = 1e-6;
    const bump = (a: number[], j: number, d: number) => a.map((v, k) => (k === j ? v + d : v));
    const check = (what: string, analytic: number[], numeric: (j: number) => number) => {
      analytic.forEach((a, j) => {
        const n = numeric(j);
        if (!(Math.abs(a - n) <= 2e-5 + 1e-3 * Math.abs(n))) throw new Error(`${what}[${j}]: analytic ${a} vs numeric ${n}`);
      });
    };
    for (const [name, v] of cell.namedParameters()) {
      check(
        name,
        num(grads[v.name]),
        (j) =>
          (refLoss({ ...p, [name]: bump(p[name], j, eps) }, x, h, c) - refLoss({ ...p, [name]: bump(p[name], j, -eps) }, x, h, c)) /
          (2 * eps),
      );
    }
    check('x', num(grads[xv.name]), (j) => (refLoss(p, bump(x, j, eps), h, c) - refLoss(p, bump(x, j, -eps), h, c)) / (2 * eps));
    if (h && hv)
      check('h', num(grads[hv.name]), (j) => (refLoss(p, x, bump(h, j, eps), c) - refLoss(p, x, bump(h, j, -eps), c)) / (2 * eps));
    if (c && cv)
      check('c', num(grads[cv.name]), (j) => (refLoss(p, x, h, bump(c, j, eps)) - refLoss(p, x, h, bump(c, j, -eps))) / (2 * eps));
  });

  test('unbatched input [input] → [hidden]; stepping a cell equals the sequence module with the same weights', () => {
    const cell = new nn.LSTMCell(I, H, { seed: 1 });
    const lstm = new nn.LSTM(I, H, { seed: 2 });
    const d = cell.stateDict();
    lstm.loadStateDict({ weight_ih_l0: d.weight_ih, weight_hh_l0: d.weight_hh, bias_ih_l0: d.bias_ih, bias_hh_l0: d.bias_hh });
    const steps = 4;
    const xs = randArr(steps * I, 3);
    let state: [Tensor, Tensor] | null = null;
    const hs: number[] = [];
    for (let s = 0; s < steps; s++) {
      state = cell.forward(t(xs.slice(s * I, (s + 1) * I), [I]), state);
      expect(state[0].shape).toEqual([H]);
      hs.push(...num(state[0]));
    }
    expectClose(hs, num(lstm.forward(t(xs, [steps, I]))), 1e-6, 'cell loop vs module');
    const gru = new nn.GRUCell(I, H, { seed: 4 });
    expect(gru.forward(t(xs.slice(0, I), [I]), t(new Array(H).fill(0.1), [H])).shape).toEqual([H]);
  });

  test('bad input names the cell and the expected shape', () => {
    const cell = new nn.GRUCell(I, H);
    expect(() => cell.forward(t(randArr(B * 3, 1), [B, 3]))).toThrow(
      'nn.GRUCell: input must have shape [batch, 4] or [4] (unbatched), received [3,3].',
    );
    expect(() => cell.forward(t(randArr(B * I, 1), [B, I]), t(randArr(B * 4, 1), [B, 4]))).toThrow(
      'nn.GRUCell: hx must have shape [3,5] ([batch, hidden]), received [3,4].',
    );
    const lstm = new nn.LSTMCell(I, H);
    expect(() => lstm.forward(t(randArr(B * I, 1), [B, I]), [t(randArr(B * H, 1), [B, H])] as unknown as [Tensor, Tensor])).toThrow(
      /nn\.LSTMCell: the state must be an array \[h, c\] of two Tensors, received an array of 1/,
    );
    expect(() => new nn.RNNCell(I, H, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow(
      "nn.RNNCell: nonlinearity must be 'tanh' or 'relu', received 'sigmoid'.",
    );
    expect(() => new nn.RNNCell(0, H)).toThrow('nn.RNNCell: inputSize must be an integer >= 1, received 0.');
  });
});
