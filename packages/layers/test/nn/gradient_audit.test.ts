/**
 * Finite-difference gradients of the nn modules that had only a comparison of backward() with variableGrads
 * (session 7 audit): Linear (rank 2 and rank 3, with and without bias), LastStep, Sequential; and the activation
 * modules and LayerNorm (input and weight / bias gradients).
 */
import { add, mul, sum, Tensor, tensor, Variable, variableGrads } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { checkGradients, randomInput } from '@recurrent/test-utils';

/** Central differences of `loss` w.r.t. every element of every parameter (assigned in place, restored after). */
function checkParameterGradients(params: Variable[], loss: () => Tensor): void {
  const { grads } = variableGrads(loss, params);
  const eps = 1e-2;
  const failures: string[] = [];
  for (const v of params) {
    const base = Float32Array.from(v.dataSync());
    const g = grads[v.name].dataSync();
    const at = (j: number, d: number): number => {
      const p = Float32Array.from(base);
      p[j] += d;
      v.assign(tensor(p, v.shape.slice()));
      return loss().dataSync()[0];
    };
    for (let j = 0; j < base.length; j++) {
      const numeric = (at(j, eps) - at(j, -eps)) / (Math.fround(base[j] + eps) - Math.fround(base[j] - eps));
      if (!(Math.abs(numeric - g[j]) <= 1e-3 + 1e-2 * Math.max(Math.abs(numeric), Math.abs(g[j])))) {
        failures.push(`${v.name}[${j}]: analytic ${g[j]} vs numeric ${numeric}`);
      }
    }
    v.assign(tensor(base, v.shape.slice()));
  }
  if (failures.length > 0) throw new Error(failures.slice(0, 8).join('\n'));
}

describe('nn modules: input and parameter gradients by finite differences', () => {
  it.each([
    ['rank 2, bias', [2, 3], true],
    ['rank 3, bias', [2, 2, 3], true],
    ['rank 3, no bias', [2, 2, 3], false],
  ] as Array<[string, number[], boolean]>)('Linear %s', (_, shape, bias) => {
    const l = new nn.Linear(3, 2, { bias, seed: 3 });
    const x = randomInput(shape, 1);
    checkGradients((a) => l.forward(a), [x]);
    const w = randomInput([...shape.slice(0, -1), 2], 2, 0.5, 1.5);
    checkParameterGradients(l.parameters(), () => sum(mul(l.forward(x), w)));
  });

  it('Sequential(Linear, Dropout p = 0.3 in eval, convert.LastStep after an LSTM)', () => {
    const seq = new nn.Sequential(new nn.Linear(2, 3, { seed: 4 }), new nn.Dropout(0.3));
    seq.eval();
    const lstm = new nn.LSTM(3, 2, { batchFirst: true, seed: 5 });
    const last = new nn.convert.LastStep();
    const run = (a: Tensor) => last.forward(lstm.forward(seq.forward(a)));
    const x = randomInput([2, 3, 2], 6);
    checkGradients(run, [x]);
    const w = randomInput([2, 2], 7, 0.5, 1.5);
    checkParameterGradients([...seq.parameters(), ...lstm.parameters()], () => sum(mul(run(x), w)));
  });
});

describe('activation modules and LayerNorm: gradients by finite differences', () => {
  // Inputs kept away from the kinks of ReLU / LeakyReLU / ELU (|x| >= 0.1), where central differences straddle them.
  const x = randomInput([3, 5], 11, 0.1, 1.5);
  const signs = randomInput([3, 5], 12);
  const input = tensor(
    Float32Array.from(x.dataSync(), (v, i) => (signs.dataSync()[i] < 0 ? -v : v)),
    [3, 5],
  );
  it.each([
    ['ReLU', () => new nn.ReLU()],
    ['Tanh', () => new nn.Tanh()],
    ['Sigmoid', () => new nn.Sigmoid()],
    ['SiLU', () => new nn.SiLU()],
    ['GELU', () => new nn.GELU()],
    ["GELU approximate 'tanh'", () => new nn.GELU({ approximate: 'tanh' })],
    ['LeakyReLU 0.2', () => new nn.LeakyReLU({ negativeSlope: 0.2 })],
    ['ELU', () => new nn.ELU()],
    ['ELU alpha 0.5', () => new nn.ELU({ alpha: 0.5 })],
  ] as Array<[string, () => { forward(x: Tensor): Tensor }]>)('%s', (_, make) => {
    const m = make();
    checkGradients((a) => m.forward(a), [input]);
  });

  it.each([
    ['[4]', [2, 3, 4], [4]],
    ['[3, 4], eps 1e-3', [2, 3, 4], [3, 4]],
  ] as Array<[string, number[], number[]]>)('LayerNorm %s: input, weight and bias', (_, shape, ns) => {
    const ln = new nn.LayerNorm(ns, { eps: 1e-3 });
    ln.weight!.assign(randomInput(ns, 13, 0.5, 1.5));
    ln.bias!.assign(randomInput(ns, 14));
    const xi = randomInput(shape, 15, -2, 2);
    checkGradients((a) => ln.forward(a), [xi]);
    const w = randomInput(shape, 16, 0.5, 1.5);
    checkParameterGradients(ln.parameters(), () => sum(mul(ln.forward(xi), w)));
  });

  it('LayerNorm without affine parameters', () => {
    const ln = new nn.LayerNorm(5, { elementwiseAffine: false });
    checkGradients((a) => ln.forward(a), [randomInput([3, 5], 17, -2, 2)]);
  });
});

describe('MultiheadAttention and Conv1d: gradients by finite differences', () => {
  it('MultiheadAttention self-attention (packed in_proj, float attn mask, bool key padding): input and every parameter', () => {
    const m = new nn.MultiheadAttention(4, 2, { seed: 21 });
    m.getParameter('in_proj_bias').assign(randomInput([12], 22, -0.5, 0.5));
    m.outProj.bias!.assign(randomInput([4], 23, -0.5, 0.5));
    const attnMask = randomInput([3, 3], 24, -1, 1);
    const keyPaddingMask = tensor([false, false, true, false, false, false], [2, 3], 'bool');
    const x = randomInput([3, 2, 4], 25);
    const wOut = randomInput([3, 2, 4], 26, 0.5, 1.5);
    const wW = randomInput([2, 3, 3], 27, 0.5, 1.5);
    const loss = (a: Tensor) => {
      const [y, w] = m.forward(a, a, a, { attnMask, keyPaddingMask });
      return add(sum(mul(y, wOut)), sum(mul(w!, wW)));
    };
    checkGradients(loss, [x]);
    checkParameterGradients(m.parameters(), () => loss(x));
  });

  it('MultiheadAttention cross-attention (kdim/vdim, batchFirst, per-head weights): query, key, value and every parameter', () => {
    const m = new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 2, batchFirst: true, seed: 28 });
    const [q, k, v] = [randomInput([2, 2, 4], 29), randomInput([2, 3, 3], 30), randomInput([2, 3, 2], 31)];
    const wOut = randomInput([2, 2, 4], 32, 0.5, 1.5);
    const wW = randomInput([2, 2, 2, 3], 33, 0.5, 1.5);
    const loss = (a: Tensor, b: Tensor, c: Tensor) => {
      const [y, w] = m.forward(a, b, c, { averageAttnWeights: false });
      return add(sum(mul(y, wOut)), sum(mul(w!, wW)));
    };
    checkGradients(loss, [q, k, v]);
    checkParameterGradients(m.parameters(), () => loss(q, k, v));
  });

  it.each([
    ['stride 2, padding 1, groups 2', 4, 2, 3, { stride: 2, padding: 1, groups: 2 }, [2, 4, 7]],
    ["'same', dilation 2, no bias, unbatched", 2, 3, 2, { padding: 'same', dilation: 2, bias: false }, [2, 6]],
  ] as Array<[string, number, number, number, nn.Conv1dOptions, number[]]>)(
    'Conv1d %s: input and parameters',
    (_, ci, co, k, opts, shape) => {
      const m = new nn.Conv1d(ci, co, k, { ...opts, seed: 34 });
      const x = randomInput(shape, 35);
      checkGradients((a) => m.forward(a), [x]);
      const w = randomInput(m.forward(x).shape, 36, 0.5, 1.5);
      checkParameterGradients(m.parameters(), () => sum(mul(m.forward(x), w)));
    },
  );
});
