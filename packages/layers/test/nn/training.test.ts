/**
 * A tiny end-to-end training run: nn.LSTM + nn.Linear learn to sum the first feature over a sequence, with gradients
 * from core's variableGrads, nn.utils.clipGradNorm and a plain SGD update (layers must not import the optimizers).
 */
import { mean, reshape, RandomGenerator, slice, square, sub, Tensor, tensor, variableGrads } from '@recurrent/core';
import { nn } from '@recurrent/layers';

class SumModel extends nn.Module {
  lstm = this.registerModule('lstm', new nn.LSTM(2, 12, { seed: 1 }));
  head = this.registerModule('head', new nn.Linear(12, 1, { seed: 2 }));

  forward(x: Tensor): Tensor {
    const out = this.lstm.forward(x);
    const [batch, steps, hidden] = out.shape;
    return this.head.forward(reshape(slice(out, [0, steps - 1, 0], [batch, 1, hidden]), [batch, hidden]));
  }
}

test('nn.LSTM + nn.Linear learn a seeded running-sum task with clipGradNorm and plain SGD', () => {
  const rng = new RandomGenerator(3);
  const N = 64;
  const T = 5;
  const xv = new Float32Array(N * T * 2);
  for (let i = 0; i < xv.length; i++) xv[i] = rng.uniform(-1, 1);
  const yv = new Float32Array(N);
  for (let n = 0; n < N; n++) for (let s = 0; s < T; s++) yv[n] += 0.5 * xv[(n * T + s) * 2]; // 0.5·Σ_t x[t, 0]
  const x = tensor(xv, [N, T, 2], 'float32');
  const y = tensor(yv, [N, 1], 'float32');
  const model = new SumModel();
  const params = model.parameters();
  const loss = () => mean(square(sub(model.forward(x), y)));
  const initial = Number(loss().dataSync()[0]);
  const lr = 0.3;
  let last = initial;
  for (let step = 0; step < 200; step++) {
    const { value, grads } = variableGrads(loss, params);
    last = Number(value.dataSync()[0]);
    const { grads: clipped } = nn.utils.clipGradNorm(grads, 1);
    for (const p of params) p.assign(sub(p, clipped[p.name].mul(lr)));
  }
  expect(initial).toBeGreaterThan(0.2);
  expect(last).toBeLessThan(0.15 * initial);
});
