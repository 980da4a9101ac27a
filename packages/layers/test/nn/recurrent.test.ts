/**
 * nn.RNN / nn.LSTM / nn.GRU against the float64 PyTorch-formula reference (reference.ts): outputs and final
 * states over every option combination, and gradients w.r.t. input, h0, c0 and every parameter against central
 * differences of the reference.
 */
import { mul, sum, Tensor, variable, variableGrads, add } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { refRecurrent, RefConfig, RefMode, RefParams } from './reference';
import { expectClose, f32, makeModule, num, randArr, refParamsOf, runModule, swapBT, t } from './helpers';

const B = 2;
const T = 3;
const I = 3;
const H = 4;

interface Case {
  cfg: RefConfig;
  batchFirst: boolean;
  withState: boolean;
}

function label(c: Case): string {
  const { cfg } = c;
  return (
    `${cfg.mode} L=${cfg.numLayers}${cfg.bidirectional ? ' bi' : ''}${cfg.bias ? '' : ' nobias'}${cfg.projSize ? ` proj=${cfg.projSize}` : ''}` +
    `${c.batchFirst ? '' : ' timeMajor'}${c.withState ? ' h0' : ''}`
  );
}

/** Inputs of a case in the module's layout plus the batch-major arrays for the reference. */
function inputsOf(c: Case, seed: number) {
  const { cfg } = c;
  const D = cfg.bidirectional ? 2 : 1;
  const Hout = cfg.projSize || cfg.hiddenSize;
  const xBM = f32(randArr(B * T * cfg.inputSize, seed));
  const h0 = c.withState ? f32(randArr(D * cfg.numLayers * B * Hout, seed + 1)) : null;
  const c0 = c.withState && cfg.mode === 'LSTM' ? f32(randArr(D * cfg.numLayers * B * cfg.hiddenSize, seed + 2)) : null;
  const xMod = c.batchFirst ? xBM : swapBT(xBM, B, T, cfg.inputSize);
  const xShape = c.batchFirst ? [B, T, cfg.inputSize] : [T, B, cfg.inputSize];
  return { xBM, xMod, xShape, h0, c0, D, Hout };
}

function forwardCases(): Case[] {
  const out: Case[] = [];
  for (const mode of ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'] as RefMode[]) {
    for (const numLayers of [1, 2, 3]) {
      for (const bidirectional of [false, true]) {
        for (const bias of [true, false]) {
          for (const batchFirst of [true, false]) {
            for (const withState of [false, true]) {
              out.push({ cfg: { mode, inputSize: I, hiddenSize: H, numLayers, bidirectional, bias, projSize: 0 }, batchFirst, withState });
            }
          }
        }
      }
    }
  }
  for (const numLayers of [1, 2, 3]) {
    for (const bidirectional of [false, true]) {
      for (const withState of [false, true]) {
        for (const batchFirst of [true, false]) {
          out.push({
            cfg: { mode: 'LSTM', inputSize: I, hiddenSize: H, numLayers, bidirectional, bias: numLayers !== 2, projSize: 2 },
            batchFirst,
            withState,
          });
        }
      }
    }
  }
  return out;
}

describe('nn recurrent modules: forward against the float64 PyTorch formulas', () => {
  test.each(forwardCases().map((c, i) => [label(c), c, i] as const))('%s', (_name, c, i) => {
    const m = makeModule(c.cfg, c.batchFirst, 100 + i);
    const p = refParamsOf(m);
    const { xBM, xMod, xShape, h0, c0, D, Hout } = inputsOf(c, 1000 + i);
    const L = c.cfg.numLayers;
    const [out, hN, cN] = runModule(m, t(xMod, xShape), h0 ? t(h0, [D * L, B, Hout]) : null, c0 ? t(c0, [D * L, B, H]) : null);
    const ref = refRecurrent(c.cfg, p, xBM, B, T, h0, c0);
    expect(out.shape).toEqual(c.batchFirst ? [B, T, D * Hout] : [T, B, D * Hout]);
    expect(hN.shape).toEqual([D * L, B, Hout]);
    const outBM = c.batchFirst ? num(out) : swapBT(num(out), T, B, D * Hout);
    expectClose(outBM, ref.out, 2e-5, 'output');
    expectClose(num(hN), ref.hN, 2e-5, 'hN');
    if (c.cfg.mode === 'LSTM') {
      expect((cN as Tensor).shape).toEqual([D * L, B, H]);
      expectClose(num(cN as Tensor), ref.cN, 2e-5, 'cN');
    } else {
      expect(cN).toBeNull();
    }
    // forward() returns the same output as forwardWithState().
    const out2 =
      m instanceof nn.LSTM
        ? m.forward(t(xMod, xShape), h0 ? t(h0, [D * L, B, Hout]) : null, c0 ? t(c0, [D * L, B, H]) : null)
        : (m as nn.GRU).forward(t(xMod, xShape), h0 ? t(h0, [D * L, B, Hout]) : null);
    expect(num(out2)).toEqual(num(out));
  });

  test('unbatched input [seq, feature] gives PyTorch unbatched shapes and the batch-1 values', () => {
    const cfg: RefConfig = { mode: 'LSTM', inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, bias: true, projSize: 0 };
    const m = makeModule(cfg, false, 7) as nn.LSTM;
    const x = f32(randArr(T * I, 8));
    const h0 = f32(randArr(4 * H, 9));
    const c0 = f32(randArr(4 * H, 10));
    const [out, [hN, cN]] = m.forwardWithState(t(x, [T, I]), t(h0, [4, H]), t(c0, [4, H]));
    expect(out.shape).toEqual([T, 2 * H]);
    expect(hN.shape).toEqual([4, H]);
    expect(cN.shape).toEqual([4, H]);
    const ref = refRecurrent(cfg, refParamsOf(m), x, 1, T, h0, c0);
    expectClose(num(out), ref.out, 2e-5, 'output');
    expectClose(num(hN), ref.hN, 2e-5, 'hN');
    expectClose(num(cN), ref.cN, 2e-5, 'cN');
  });

  test('LSTM accepts the initial state as [h0, c0] (PyTorch tuple form)', () => {
    const m = new nn.LSTM(I, H, { seed: 3 });
    const x = t(randArr(B * T * I, 1), [B, T, I]);
    const h0 = t(randArr(B * H, 2), [1, B, H]);
    const c0 = t(randArr(B * H, 3), [1, B, H]);
    expect(num(m.forward(x, [h0, c0]))).toEqual(num(m.forward(x, h0, c0)));
  });

  test('a longer sequence with larger weights (saturating gates) still matches', () => {
    for (const mode of ['LSTM', 'GRU', 'RNN_TANH'] as RefMode[]) {
      const cfg: RefConfig = { mode, inputSize: 5, hiddenSize: 6, numLayers: 2, bidirectional: true, bias: true, projSize: 0 };
      const m = makeModule(cfg, true, 11);
      const dict = m.stateDict();
      const scaled: { [k: string]: Tensor } = {};
      Object.entries(dict).forEach(([k, v], j) => (scaled[k] = t(f32(randArr(v.size, 50 + j, -1.5, 1.5)), v.shape)));
      m.loadStateDict(scaled);
      const x = f32(randArr(3 * 17 * 5, 12, -2, 2));
      const ref = refRecurrent(cfg, refParamsOf(m), x, 3, 17, null, null);
      const [out, hN] = runModule(m, t(x, [3, 17, 5]), null, null);
      expectClose(num(out), ref.out, 1e-4, `${mode} output`);
      expectClose(num(hN), ref.hN, 1e-4, `${mode} hN`);
    }
  });
});

// ------------------------------------------------------------------------------------------------ gradients

/** Checks every gradient of L = Σ wO·out + Σ wH·hN (+ Σ wC·cN) against central differences of the float64 reference. */
function checkGradientsAgainstReference(c: Case, seed: number): void {
  const { cfg } = c;
  const m = makeModule(cfg, c.batchFirst, seed);
  const params = refParamsOf(m);
  const { xMod, xShape, h0, c0, D, Hout } = inputsOf(c, seed + 7);
  const L = cfg.numLayers;
  const outSize = B * T * D * Hout;
  const wO = randArr(outSize, seed + 20, 0.5, 1.5);
  const wH = randArr(D * L * B * Hout, seed + 21, 0.5, 1.5);
  const wC = randArr(D * L * B * H, seed + 22, 0.5, 1.5);

  // Analytic: through the module and core autograd (x, h0, c0 as Variables so variableGrads reaches them).
  const xv = variable(t(xMod, xShape));
  const hv = h0 ? variable(t(h0, [D * L, B, Hout])) : null;
  const cv = c0 ? variable(t(c0, [D * L, B, H])) : null;
  const loss = () => {
    const [out, hN, cN] = runModule(m, xv, hv, cv);
    let l = add(sum(mul(out, t(wO, out.shape))), sum(mul(hN, t(wH, hN.shape))));
    if (cN) l = add(l, sum(mul(cN, t(wC, cN.shape))));
    return l;
  };
  const vars = [...m.parameters(), xv, ...(hv ? [hv] : []), ...(cv ? [cv] : [])];
  const { grads } = variableGrads(loss, vars);

  // Numeric: central differences of the float64 reference; inputs kept in the module's layout.
  const refLoss = (p: RefParams, x: number[], h: number[] | null, cc: number[] | null): number => {
    const xBM = c.batchFirst ? x : swapBT(x, T, B, cfg.inputSize);
    const r = refRecurrent(cfg, p, xBM, B, T, h, cc);
    const out = c.batchFirst ? r.out : swapBT(r.out, B, T, D * Hout);
    let s = 0;
    out.forEach((v, i) => (s += wO[i] * v));
    r.hN.forEach((v, i) => (s += wH[i] * v));
    r.cN.forEach((v, i) => (s += wC[i] * v));
    return s;
  };
  const eps = 1e-6;
  const failures: string[] = [];
  const compare = (what: string, analytic: number[], numeric: (j: number) => number) => {
    for (let j = 0; j < analytic.length; j++) {
      const n = numeric(j);
      if (!(Math.abs(analytic[j] - n) <= 5e-5 + 2e-3 * Math.abs(n)))
        failures.push(`${what}[${j}]: analytic ${analytic[j]} vs numeric ${n}`);
    }
  };
  const named = m.namedParameters();
  for (const [name, v] of named) {
    compare(name, num(grads[v.name]), (j) => {
      const plus = { ...params, [name]: params[name].slice() };
      const minus = { ...params, [name]: params[name].slice() };
      plus[name][j] += eps;
      minus[name][j] -= eps;
      return (refLoss(plus, xMod, h0, c0) - refLoss(minus, xMod, h0, c0)) / (2 * eps);
    });
  }
  const bump = (a: number[], j: number, d: number) => a.map((v, k) => (k === j ? v + d : v));
  compare(
    'input',
    num(grads[xv.name]),
    (j) => (refLoss(params, bump(xMod, j, eps), h0, c0) - refLoss(params, bump(xMod, j, -eps), h0, c0)) / (2 * eps),
  );
  if (h0 && hv)
    compare(
      'h0',
      num(grads[hv.name]),
      (j) => (refLoss(params, xMod, bump(h0, j, eps), c0) - refLoss(params, xMod, bump(h0, j, -eps), c0)) / (2 * eps),
    );
  if (c0 && cv)
    compare(
      'c0',
      num(grads[cv.name]),
      (j) => (refLoss(params, xMod, h0, bump(c0, j, eps)) - refLoss(params, xMod, h0, bump(c0, j, -eps))) / (2 * eps),
    );
  if (failures.length) throw new Error(`${failures.length} gradient element(s) differ:\n  ${failures.slice(0, 10).join('\n  ')}`);
  // Every parameter was checked (and got a gradient).
  expect(named.length).toBe(Object.keys(params).length);
}

function gradientCases(): Case[] {
  const out: Case[] = [];
  let k = 0;
  for (const mode of ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'] as RefMode[]) {
    for (const numLayers of [1, 2]) {
      for (const bidirectional of [false, true]) {
        for (const bias of [true, false]) {
          k++;
          out.push({
            cfg: { mode, inputSize: I, hiddenSize: H, numLayers, bidirectional, bias, projSize: 0 },
            batchFirst: k % 2 === 0,
            withState: k % 3 !== 0,
          });
        }
      }
    }
    out.push({
      cfg: { mode, inputSize: I, hiddenSize: H, numLayers: 3, bidirectional: true, bias: true, projSize: 0 },
      batchFirst: false,
      withState: true,
    });
  }
  for (const numLayers of [1, 2]) {
    for (const bidirectional of [false, true]) {
      out.push({
        cfg: { mode: 'LSTM', inputSize: I, hiddenSize: H, numLayers, bidirectional, bias: !bidirectional, projSize: 2 },
        batchFirst: numLayers === 1,
        withState: true,
      });
    }
  }
  out.push({
    cfg: { mode: 'LSTM', inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, bias: true, projSize: 3 },
    batchFirst: true,
    withState: false,
  });
  return out;
}

describe('nn recurrent modules: gradients (input, h0, c0, every parameter) vs finite differences of the float64 reference', () => {
  test.each(gradientCases().map((c, i) => [label(c), c, i] as const))('%s', (_name, c, i) => {
    checkGradientsAgainstReference(c, 300 + 31 * i);
  });
});
