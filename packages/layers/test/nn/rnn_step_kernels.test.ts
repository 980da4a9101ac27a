/**
 * Batch-1 inference of nn.RNN / nn.LSTM / nn.GRU under `noGrad()` runs the step kernels with converted, resident
 * weights (rnn_step_kernels.ts): outputs and final states against the float64 PyTorch formulas (reference.ts)
 * for every mode, several layers, both directions, with and without h0 and bias, batch-first and time-major and
 * unbatched; the path is taken only there (not when recording, not for 2 rows or packed sequences); after an
 * optimizer step and `loadStateDict` it uses the new parameters; `releaseStepKernels` frees the wasm memory.
 */
import { noGrad, sum, Tensor } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { refRecurrent, RefConfig, RefMode } from './reference';
import { expectClose, f32, makeModule, num, randArr, refParamsOf, runModule, t } from './helpers';

const T = 5;
const I = 3;
const H = 4;

interface Case {
  cfg: RefConfig;
  batchFirst: boolean;
  withState: boolean;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const mode of ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'] as RefMode[]) {
    for (const [numLayers, bidirectional, bias, batchFirst, withState] of [
      [1, false, true, true, false],
      [2, true, true, false, true],
      [1, true, false, true, true],
      [3, false, true, true, true],
    ] as [number, boolean, boolean, boolean, boolean][]) {
      out.push({ cfg: { mode, inputSize: I, hiddenSize: H, numLayers, bidirectional, bias, projSize: 0 }, batchFirst, withState });
    }
  }
  return out;
}

function label(c: Case): string {
  const { cfg } = c;
  return `${cfg.mode} L=${cfg.numLayers}${cfg.bidirectional ? ' bi' : ''}${cfg.bias ? '' : ' nobias'}${c.batchFirst ? '' : ' timeMajor'}${c.withState ? ' h0' : ''}`;
}

/** Runs a batch-1 case under noGrad against the reference; returns the module. */
function check(c: Case, seed: number, m: nn.RNNBase = makeModule(c.cfg, c.batchFirst, seed)): nn.RNNBase {
  const D = c.cfg.bidirectional ? 2 : 1;
  const L = c.cfg.numLayers;
  const x = f32(randArr(T * I, seed + 1));
  const h0 = c.withState ? f32(randArr(D * L * H, seed + 2)) : null;
  const c0 = c.withState && c.cfg.mode === 'LSTM' ? f32(randArr(D * L * H, seed + 3)) : null;
  const [out, hN, cN] = noGrad(() =>
    runModule(m, t(x, c.batchFirst ? [1, T, I] : [T, 1, I]), h0 ? t(h0, [D * L, 1, H]) : null, c0 ? t(c0, [D * L, 1, H]) : null),
  );
  const ref = refRecurrent(c.cfg, refParamsOf(m), x, 1, T, h0, c0);
  expect(out.shape).toEqual(c.batchFirst ? [1, T, D * H] : [T, 1, D * H]);
  expectClose(num(out), ref.out, 2e-5, 'output'); // with batch 1, [1, T, F] and [T, 1, F] hold the same order
  expectClose(num(hN), ref.hN, 2e-5, 'hN');
  if (c.cfg.mode === 'LSTM') expectClose(num(cN as Tensor), ref.cN, 2e-5, 'cN');
  return m;
}

describe('nn recurrent modules: batch-1 inference through step kernels', () => {
  test.each(cases().map((c, i) => [label(c), c, i] as const))(
    '%s: against the float64 PyTorch formulas, on the step kernels',
    (_name, c, i) => {
      const m = check(c, 300 + 10 * i);
      expect(m.stepKernelResidentBytes()).toBeGreaterThan(0);
      m.releaseStepKernels();
      expect(m.stepKernelResidentBytes()).toBe(0);
    },
  );

  test('unbatched [seq, inputSize] input takes the path too', () => {
    const m = new nn.GRU(I, H, { seed: 3 });
    const x = f32(randArr(T * I, 4));
    const out = noGrad(() => m.forward(t(x, [T, I])));
    const ref = refRecurrent(
      { mode: 'GRU', inputSize: I, hiddenSize: H, numLayers: 1, bidirectional: false, bias: true, projSize: 0 },
      refParamsOf(m),
      x,
      1,
      T,
      null,
      null,
    );
    expectClose(num(out), ref.out, 2e-5, 'output');
    expect(m.stepKernelResidentBytes()).toBeGreaterThan(0);
  });

  test('not taken while recording (parameters require grad), for 2 rows or for packed sequences', () => {
    const m = new nn.LSTM(I, H, { seed: 5 });
    const out = m.forward(t(f32(randArr(T * I, 6)), [1, T, I]));
    expect(out.requiresGrad).toBe(true);
    expect(m.stepKernelResidentBytes()).toBe(0);
    noGrad(() => m.forward(t(f32(randArr(2 * T * I, 7)), [2, T, I])));
    expect(m.stepKernelResidentBytes()).toBe(0);
    const packed = nn.utils.rnn.packPaddedSequence(t(f32(randArr(T * I, 8)), [1, T, I]), [3], { batchFirst: true });
    noGrad(() => m.forward(packed));
    expect(m.stepKernelResidentBytes()).toBe(0);
  });

  test('after an optimizer step and after loadStateDict the new parameters are used', () => {
    const c: Case = {
      cfg: { mode: 'LSTM', inputSize: I, hiddenSize: H, numLayers: 2, bidirectional: true, bias: true, projSize: 0 },
      batchFirst: true,
      withState: false,
    };
    const m = check(c, 50);
    const opt = new nn.optim.Adam(m.parameters(), { lr: 0.1 });
    const loss = sum(m.forward(t(f32(randArr(T * I, 51)), [1, T, I])) as Tensor);
    loss.backward();
    opt.step();
    check(c, 50, m);
    const other = makeModule(c.cfg, true, 99);
    m.loadStateDict(other.stateDict());
    check(c, 50, m);
  });
});
