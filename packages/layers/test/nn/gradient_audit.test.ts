/**
 * Finite-difference gradients of the nn modules that had only a comparison of backward() with variableGrads
 * (session 7 audit): Linear (rank 2 and rank 3, with and without bias), LastStep, Sequential.
 */
import { mul, sum, Tensor, tensor, Variable, variableGrads } from '@recurrent/core';
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
