/**
 * `loss.backward()` (the implicit graph) against `variableGrads` (the gradient-scope tape) on every nn module and
 * on a Keras-style layer driven from a PyTorch-style loop; `noGrad()` records nothing.
 */
import {
  backward,
  mean,
  noGrad,
  randomNormal,
  recordedNodeCount,
  reshape,
  sum,
  square,
  Tensor,
  tensor,
  variableGrads,
  Variable,
  zeros,
} from '@recurrent/core';
import { Bidirectional, Dense, Embedding, GRU, Layer, LSTM, nn, SimpleRNN } from '@recurrent/layers';
import { expectClose, num, randArr, t } from './helpers';

function compare(params: Variable[], loss: () => Tensor, what: string): void {
  for (const p of params) p.grad = null;
  const { grads } = variableGrads(loss, params);
  const l = loss();
  l.backward();
  for (const p of params) {
    expect(p.grad).not.toBeNull();
    expectClose(num(p.grad!), num(grads[p.name]), 1e-6, `${what} ${p.name}`);
  }
}

const x3 = (b: number, s: number, f: number, seed: number) => t(randArr(b * s * f, seed), [b, s, f]);

describe('backward() agrees with variableGrads', () => {
  const cases: [string, () => nn.RNNBase][] = [
    ['LSTM', () => new nn.LSTM(3, 4, { seed: 1 })],
    ['LSTM 2 layers bidirectional', () => new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, seed: 2 })],
    ['LSTM projSize', () => new nn.LSTM(3, 5, { projSize: 2, seed: 3 })],
    ['GRU 2 layers', () => new nn.GRU(3, 4, { numLayers: 2, seed: 4 })],
    ['GRU bidirectional time-major', () => new nn.GRU(3, 4, { bidirectional: true, batchFirst: false, seed: 5 })],
    ['RNN relu bidirectional', () => new nn.RNN(3, 4, { nonlinearity: 'relu', bidirectional: true, seed: 6 })],
  ];
  for (const [name, make] of cases) {
    test(name, () => {
      const m = make();
      const x = x3(2, 5, 3, 7);
      const w = t(randArr(2 * 5 * m.outputHiddenSize * m.numDirections, 8), [2, 5, m.outputHiddenSize * m.numDirections]);
      compare(m.parameters(), () => sum(m.forward(x).mul(w)), name);
    });
  }

  test('LSTM h_n / c_n and initial states', () => {
    const m = new nn.LSTM(3, 4, { numLayers: 2, seed: 9 });
    const x = x3(2, 4, 3, 10);
    const h0 = t(randArr(2 * 2 * 4, 11), [2, 2, 4]);
    const c0 = t(randArr(2 * 2 * 4, 12), [2, 2, 4]);
    compare(
      m.parameters(),
      () => {
        const [out, [h, c]] = m.forwardWithState(x, [h0, c0]);
        return sum(out)
          .add(sum(square(h)))
          .add(sum(c.mul(3)));
      },
      'LSTM states',
    );
  });

  test('Linear and Embedding', () => {
    const lin = new nn.Linear(3, 2, { seed: 13 });
    const emb = new nn.Embedding(6, 3, { seed: 14 });
    const ids = tensor(Int32Array.from([0, 5, 2, 2, 1, 0]), [2, 3], 'int32');
    compare([...emb.parameters(), ...lin.parameters()], () => mean(square(lin.forward(emb.forward(ids)))), 'Linear+Embedding');
  });

  test('cells', () => {
    const cell = new nn.GRUCell(3, 4, { seed: 15 });
    const x = t(randArr(6, 16), [2, 3]);
    const h = t(randArr(8, 17), [2, 4]);
    compare(cell.parameters(), () => sum(square(cell.forward(x, h))), 'GRUCell');
    const lstmCell = new nn.LSTMCell(3, 4, { seed: 23 });
    compare(
      lstmCell.parameters(),
      () => {
        const [h1, c1] = lstmCell.forward(x, [h, h.mul(0.5)]);
        const [h2] = lstmCell.forward(x.mul(-1), [h1, c1]);
        return sum(h2.mul(h1));
      },
      'LSTMCell two steps',
    );
    const rnnCell = new nn.RNNCell(3, 4, { nonlinearity: 'relu', seed: 24 });
    compare(rnnCell.parameters(), () => sum(square(rnnCell.forward(x, rnnCell.forward(x, h)))), 'RNNCell two steps');
  });

  test('Sequential(Linear, Dropout in eval, Linear)', () => {
    const seq = new nn.Sequential(new nn.Linear(3, 5, { seed: 25 }), new nn.Dropout(0.5), new nn.Linear(5, 2, { seed: 26 }));
    seq.eval();
    const x = t(randArr(6, 27), [2, 3]);
    compare(seq.parameters(), () => sum(square(seq.forward(x))), 'Sequential');
  });

  test('a Keras-style layer in a PyTorch-style loop (weights made to require grad)', () => {
    const layer = new LSTM({ units: 4, returnSequences: true });
    const x = x3(2, 3, 3, 18);
    layer.apply(x);
    const ws = layer.trainableWeights as unknown as Variable[];
    for (const w of ws) w.requiresGrad_();
    compare(ws, () => sum(square(layer.apply(x) as Tensor)), 'LSTM');
  });
});

test('Keras-style Embedding → Bidirectional(GRU) → SimpleRNN → Dense: backward() equals variableGrads, and nn.optim trains them', () => {
  const stack: Layer[] = [
    new Embedding({ inputDim: 6, outputDim: 3 }),
    new Bidirectional({ layer: new GRU({ units: 3, returnSequences: true }) }),
    new SimpleRNN({ units: 4 }),
    new Dense({ units: 2 }),
  ];
  const ids = tensor(Int32Array.from([1, 5, 2, 0, 3, 3, 4, 2]), [2, 4], 'int32');
  const y = tensor(Int32Array.from([0, 1]), [2], 'int32');
  const run = () => stack.reduce((h, l) => l.apply(h) as Tensor, ids as Tensor);
  run();
  const weights = stack.flatMap((l) => l.trainableWeights) as unknown as Variable[];
  const ce = new nn.CrossEntropyLoss();
  const opt = new nn.optim.Adam(weights, { lr: 0.05 }); // makes the layer weights require grad
  compare(weights, () => ce.forward(run(), y), 'Keras stack');
  const first = Number(ce.forward(run(), y).dataSync()[0]);
  for (let i = 0; i < 30; i++) {
    opt.zeroGrad();
    ce.forward(run(), y).backward();
    opt.step();
  }
  expect(Number(ce.forward(run(), y).dataSync()[0])).toBeLessThan(0.2 * first);
});

describe('the implicit graph', () => {
  test('grad accumulates across backward() calls as in PyTorch, and is not kept when reset', () => {
    const w = tensor(Float32Array.from([1, 2, 3]), [3], 'float32').requiresGrad_();
    sum(square(w)).backward();
    expect(num(w.grad!)).toEqual([2, 4, 6]);
    sum(square(w)).backward();
    expect(num(w.grad!)).toEqual([4, 8, 12]);
    w.grad = null;
    sum(w.mul(3)).backward();
    expect(num(w.grad!)).toEqual([3, 3, 3]);
  });

  test('module.zeroGrad() resets every parameter grad', () => {
    const lin = new nn.Linear(2, 2, { seed: 1 });
    sum(lin.forward(t([1, 2], [1, 2]))).backward();
    expect(lin.weight.grad).not.toBeNull();
    lin.zeroGrad(false);
    expect(num(lin.weight.grad!)).toEqual([0, 0, 0, 0]);
    lin.zeroGrad();
    expect(lin.weight.grad).toBeNull();
    expect(lin.bias!.grad).toBeNull();
  });

  test('a tensor used twice gets both contributions; detach() cuts the graph', () => {
    const w = tensor(Float32Array.from([2]), [1], 'float32').requiresGrad_();
    const y = w.mul(w).add(w.detach().mul(10)); // d/dw = 2w (the detached term contributes nothing)
    y.sum().backward();
    expect(num(w.grad!)).toEqual([4]);
    expect(w.detach().requiresGrad).toBe(false);
  });

  test('the graph is released after backward() unless retainGraph', () => {
    const w = tensor(Float32Array.from([1, 2]), [2], 'float32').requiresGrad_();
    const loss = sum(square(w));
    expect(loss.gradFn!.inputs.length).toBe(1);
    loss.backward();
    expect(loss.gradFn!.freed).toBe(true);
    expect(loss.gradFn!.inputs).toEqual([]); // the intermediate tensors are no longer reachable from the loss
  });

  test('backward twice through a released graph throws; retainGraph allows it', () => {
    const w = tensor(Float32Array.from([1, 2]), [2], 'float32').requiresGrad_();
    const loss = sum(square(w.mul(2)));
    loss.backward(null, { retainGraph: true });
    loss.backward();
    expect(num(w.grad!)).toEqual([16, 32]);
    expect(() => loss.backward()).toThrow(/backward through the graph a second time.*retainGraph/);
  });

  test('a hidden state carried into the next batch without detach() (truncated BPTT) throws, as PyTorch, saying to detach it', () => {
    const gru = new nn.GRU(2, 3, { seed: 3 });
    const x = x3(1, 4, 2, 4);
    const [o1, h] = gru.forwardWithState(x);
    o1.sum().backward();
    const [o2] = gru.forwardWithState(x, h);
    expect(() => o2.sum().backward()).toThrow(
      /second time .*for a state carried over from an earlier batch \(truncated backpropagation through time\), detach\(\) it before reusing it\.$/,
    );
    gru.zeroGrad();
    const [o3] = gru.forwardWithState(x, h.detach());
    o3.sum().backward();
    expect(gru.parameters().every((p) => p.grad !== null)).toBe(true);
  });

  test('noGrad(): nn inference records no node; without it the graph is recorded', () => {
    const m = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, seed: 19 });
    const head = new nn.Linear(8, 2, { seed: 20 });
    const x = x3(2, 5, 3, 21);
    const before = recordedNodeCount();
    const y = noGrad(() => head.forward(m.forward(x)));
    expect(recordedNodeCount()).toBe(before);
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    const y2 = head.forward(m.forward(x));
    expect(recordedNodeCount()).toBeGreaterThan(before);
    expect(y2.requiresGrad).toBe(true);
    expectClose(num(y), num(y2), 0, 'same values');
  });

  test('Keras-style inference records no node (its variables do not require grad)', () => {
    const layer = new GRU({ units: 3 });
    const x = x3(2, 4, 2, 22);
    layer.apply(x);
    const before = recordedNodeCount();
    layer.apply(x);
    expect(recordedNodeCount()).toBe(before);
  });

  test('plain tensors do not build a graph', () => {
    const before = recordedNodeCount();
    const a = randomNormal([3, 3]);
    a.matMul(a).add(1).sum();
    expect(recordedNodeCount()).toBe(before);
  });
});

describe('backward() bad input', () => {
  test('non-scalar without a gradient', () => {
    const w = zeros([2, 3]).requiresGrad_();
    expect(() => w.mul(2).backward()).toThrow(/implied only for a scalar output; this tensor has shape \[2,3\].*backward\(gradient\)/);
  });
  test('non-scalar with a gradient of the right shape', () => {
    const w = tensor(Float32Array.from([1, 2]), [2], 'float32').requiresGrad_();
    backward(w.mul(w), tensor(Float32Array.from([1, 10]), [2], 'float32'));
    expect(num(w.grad!)).toEqual([2, 40]);
  });
  test('gradient of the wrong shape', () => {
    const w = zeros([2]).requiresGrad_();
    expect(() => w.mul(2).backward(zeros([3]))).toThrow(/gradient has shape \[3\] but the tensor has shape \[2\]/);
  });
  test('a tensor that does not require grad', () => {
    expect(() =>
      reshape(zeros([2]), [1, 2])
        .sum()
        .backward(),
    ).toThrow(/does not require grad/);
    const w = zeros([2]).requiresGrad_();
    expect(() => noGrad(() => w.mul(2).sum()).backward()).toThrow(/does not require grad.*noGrad/);
  });
  test('requiresGrad_ on int tensors and requiresGrad_(false) on non-leaves', () => {
    expect(() => tensor(Int32Array.from([1]), [1], 'int32').requiresGrad_()).toThrow(/only float32.*int32/);
    const w = zeros([2]).requiresGrad_();
    expect(() => w.mul(2).requiresGrad_(false)).toThrow(/not a leaf.*detach/);
  });
});
