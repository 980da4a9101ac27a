/** nn.Linear, nn.Embedding, nn.Dropout, nn.Softmax / nn.LogSoftmax, nn.utils.clipGradNorm / clipGradValue, loadStateDictJSON. */
import { mul, sum, Tensor, tensor, variable, variableGrads } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { expectClose, num, randArr, t } from './helpers';

describe('nn.Linear', () => {
  test('y = x·Wᵀ + b on the last axis of any rank, and its gradients', () => {
    const l = new nn.Linear(3, 2, { seed: 1 });
    const W = num(l.weight);
    const b = num(l.bias as Tensor);
    const x = randArr(2 * 4 * 3, 2);
    const y = l.forward(t(x, [2, 4, 3]));
    expect(y.shape).toEqual([2, 4, 2]);
    const expected: number[] = [];
    for (let r = 0; r < 8; r++)
      for (let o = 0; o < 2; o++) expected.push(b[o] + [0, 1, 2].reduce((s, i) => s + x[r * 3 + i] * W[o * 3 + i], 0));
    expectClose(num(y), expected, 1e-6, 'linear');
    expect(l.forward(t(x.slice(0, 3), [3])).shape).toEqual([2]);
    // dL/dW[o, i] = Σ_r w[r, o] x[r, i]; dL/db[o] = Σ_r w[r, o].
    const w = randArr(16, 3);
    const { grads } = variableGrads(() => sum(mul(l.forward(t(x, [2, 4, 3])), t(w, [2, 4, 2]))), l.parameters());
    const dW: number[] = [];
    for (let o = 0; o < 2; o++)
      for (let i = 0; i < 3; i++) dW.push([...Array(8).keys()].reduce((s, r) => s + w[r * 2 + o] * x[r * 3 + i], 0));
    expectClose(num(grads[l.weight.name]), dW, 1e-5, 'dW');
    expectClose(
      num(grads[l.bias!.name]),
      [0, 1].map((o) => [...Array(8).keys()].reduce((s, r) => s + w[r * 2 + o], 0)),
      1e-5,
      'db',
    );
    const nb = new nn.Linear(3, 2, { bias: false });
    expect(Object.keys(nb.stateDict())).toEqual(['weight']);
    expect(() => l.forward(t([1, 2], [1, 2]))).toThrow(
      'nn.Linear: the last dimension of input must be inFeatures = 3, received shape [1,2].',
    );
  });
});

describe('nn.Embedding', () => {
  test('rows of the table; the padding row gets no gradient; ids out of range are named', () => {
    const e = new nn.Embedding(5, 3, { paddingIdx: 0, seed: 1 });
    e.loadStateDict({
      weight: t(
        [...Array(15).keys()].map((v) => v / 10),
        [5, 3],
      ),
    });
    const ids = tensor(new Int32Array([1, 0, 4, 1]), [2, 2], 'int32');
    const y = e.forward(ids);
    expect(y.shape).toEqual([2, 2, 3]);
    expectClose(num(y), [0.3, 0.4, 0.5, 0, 0.1, 0.2, 1.2, 1.3, 1.4, 0.3, 0.4, 0.5], 1e-7, 'rows');
    const w = randArr(12, 2);
    const { grads } = variableGrads(() => sum(mul(e.forward(ids), t(w, [2, 2, 3]))), e.parameters());
    const g = num(grads[e.parameters()[0].name]);
    expectClose(g.slice(0, 3), [0, 0, 0], 0, 'padding row');
    expectClose(g.slice(3, 6), [w[0] + w[9], w[1] + w[10], w[2] + w[11]], 1e-6, 'row 1 (used twice)');
    expectClose(g.slice(12, 15), w.slice(6, 9), 1e-6, 'row 4');
    expect(num(e.forward([[2, 3]]))).toEqual(num(e.weight).slice(6, 12));
    expect(() => e.forward(tensor(new Int32Array([5]), [1], 'int32'))).toThrow(
      'nn.Embedding: id 5 (flat position 0 of input shape [1]) is out of range [0, 5).',
    );
    expect(() => e.forward(t([1], [1]))).toThrow('nn.Embedding: input must hold int32 ids, received dtype float32 (shape [1]).');
    expect(() => new nn.Embedding(5, 3, { paddingIdx: 5 })).toThrow('nn.Embedding: paddingIdx must be an integer in [-5, 5), received 5.');
    // Without paddingIdx every used row gets gradient.
    const e2 = new nn.Embedding(5, 3, { seed: 1 });
    const g2 = num(variableGrads(() => sum(mul(e2.forward(ids), t(w, [2, 2, 3]))), e2.parameters()).grads[e2.parameters()[0].name]);
    expectClose(g2.slice(0, 3), w.slice(3, 6), 1e-6, 'row 0');
  });
});

describe('nn.Embedding.fromPretrained', () => {
  const vectors = t(
    [...Array(12).keys()].map((v) => v / 4 - 1),
    [4, 3],
  );
  test('holds a copy of the given table; frozen by default; freeze false trains it, the padding row kept as given', () => {
    const frozen = nn.Embedding.fromPretrained(vectors);
    expect([frozen.numEmbeddings, frozen.embeddingDim, frozen.weight.requiresGrad]).toEqual([4, 3, false]);
    expect(num(frozen.forward([[3, 0]]))).toEqual([...num(vectors).slice(9, 12), ...num(vectors).slice(0, 3)]);
    const lin = new nn.Linear(3, 1, { seed: 1 });
    const opt = new nn.optim.SGD([...frozen.parameters(), ...lin.parameters()], { lr: 0.1 });
    lin
      .forward(frozen.forward([1, 2]))
      .sum()
      .backward();
    opt.step();
    expect(frozen.weight.grad).toBeNull();
    expect(num(frozen.weight)).toEqual(num(vectors));
    // PyTorch's from_pretrained(padding_idx=1) keeps row 1 as given (no zeroing) and gives it no gradient.
    const trained = nn.Embedding.fromPretrained(vectors, { freeze: false, paddingIdx: 1 });
    expect(num(trained.weight)).toEqual(num(vectors));
    expect(trained.weight).not.toBe(vectors);
    trained.forward([1, 2]).sum().backward();
    expect(num(trained.weight.grad!)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0]);
  });

  test('a table that is not a 2-D float32 Tensor and unknown options are named', () => {
    expect(() => nn.Embedding.fromPretrained(tensor(Int32Array.from([1, 2]), [1, 2], 'int32'))).toThrow(
      'nn.Embedding.fromPretrained: embeddings must be a 2-D float32 Tensor [numEmbeddings, embeddingDim], received int32 shape [1,2].',
    );
    expect(() => nn.Embedding.fromPretrained(t([1, 2], [2]))).toThrow(/received float32 shape \[2\]\./);
    expect(() => nn.Embedding.fromPretrained(vectors, { freeze: 'no' as unknown as boolean })).toThrow(
      "nn.Embedding.fromPretrained: freeze must be true or false, received the string 'no'.",
    );
    expect(() => nn.Embedding.fromPretrained(vectors, { frozen: true } as object)).toThrow(/unknown option 'frozen'.*freeze/);
  });
});

describe('nn.Dropout', () => {
  test('training: kept values scaled by 1/(1 − p), about p dropped, seeded; eval: identity', () => {
    const x = t(new Array(4000).fill(1), [40, 100]);
    const d = new nn.Dropout(0.3, { seed: 5 });
    const y = num(d.forward(x));
    const dropped = y.filter((v) => v === 0).length / y.length;
    expect(Math.abs(dropped - 0.3)).toBeLessThan(0.03);
    expect(y.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(num(new nn.Dropout(0.3, { seed: 5 }).forward(x))).toEqual(y);
    expect(num(d.forward(x))).not.toEqual(y);
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(num(new nn.Dropout(1).forward(x)).every((v) => v === 0)).toBe(true);
    expect(() => new nn.Dropout(-0.1)).toThrow('nn.Dropout: p must be a probability in [0, 1], received -0.1.');
  });
});

describe('nn.Softmax / nn.LogSoftmax', () => {
  test('over dim 1 of [batch, classes, time] and dim -1, against a float64 formula; no parameters', () => {
    const x = randArr(2 * 3 * 4, 9, -3, 3);
    // float64 reference along axis `ax` of [2, 3, 4]
    const ref = (ax: number, log: boolean) => {
      const shape = [2, 3, 4];
      const strides = [12, 4, 1];
      const out = new Array<number>(x.length);
      for (let i = 0; i < x.length; i++) {
        const base = i - (Math.floor(i / strides[ax]) % shape[ax]) * strides[ax];
        let m = -Infinity;
        for (let r = 0; r < shape[ax]; r++) m = Math.max(m, x[base + r * strides[ax]]);
        let s = 0;
        for (let r = 0; r < shape[ax]; r++) s += Math.exp(x[base + r * strides[ax]] - m);
        out[i] = log ? x[i] - m - Math.log(s) : Math.exp(x[i] - m) / s;
      }
      return out;
    };
    const xt = t(x, [2, 3, 4]);
    expectClose(num(new nn.Softmax(1).forward(xt)), ref(1, false), 1e-6, 'softmax dim 1');
    expectClose(num(new nn.LogSoftmax(1).forward(xt)), ref(1, true), 1e-5, 'logSoftmax dim 1');
    expectClose(num(new nn.LogSoftmax(-1).forward(xt)), ref(2, true), 1e-5, 'logSoftmax dim -1');
    const m = new nn.Sequential(new nn.Linear(4, 3, { seed: 2 }), new nn.LogSoftmax(1));
    expect(Object.keys(m.stateDict())).toEqual(['0.weight', '0.bias']);
    expect(m.toString()).toBe('Sequential(\n  (0): Linear(inFeatures=4, outFeatures=3, bias=true)\n  (1): LogSoftmax(dim=1)\n)');
  });

  test('a missing or non-integer dim, a dim out of range and an int32 input are refused by name', () => {
    expect(() => new (nn.LogSoftmax as unknown as new () => nn.LogSoftmax)()).toThrow(
      'nn.LogSoftmax: dim must be an integer (the dimension that sums to 1, e.g. 1 for [batch, classes]), received nothing.',
    );
    expect(() => new nn.Softmax(0.5)).toThrow(/nn\.Softmax: dim must be an integer .* received 0\.5\./);
    expect(() => new nn.Softmax(2).forward(t([1, 2], [1, 2]))).toThrow(
      'nn.Softmax: dim 2 is out of range for the input of shape [1,2] (dims -2..1).',
    );
    expect(() => new nn.LogSoftmax(1).forward(tensor(Int32Array.from([1, 2]), [1, 2], 'int32'))).toThrow(
      'nn.LogSoftmax: input must be float32, received int32 (shape [1,2]).',
    );
  });
});

describe('nn.utils', () => {
  const a = t([3, 0, -4], [3]);
  const b = t([12, 0], [1, 2]);

  test("clipGradNorm returns PyTorch's total norm and rescales all gradients together (map and array)", () => {
    const { grads, totalNorm } = nn.utils.clipGradNorm({ a, b }, 6.5);
    expect(totalNorm).toBeCloseTo(13, 6);
    const c = 6.5 / (13 + 1e-6);
    expectClose(num(grads.a), [3 * c, 0, -4 * c], 1e-6, 'a');
    expectClose(num(grads.b), [12 * c, 0], 1e-6, 'b');
    expect(grads.b.shape).toEqual([1, 2]);
    const r = nn.utils.clipGradNorm([a, b], 100);
    expect(r.totalNorm).toBeCloseTo(13, 6);
    expect(num(r.grads[0])).toEqual([3, 0, -4]);
    const inf = nn.utils.clipGradNorm([a, b], 6, Infinity);
    expect(inf.totalNorm).toBe(12);
    expectClose(num(inf.grads[1]), [12 * (6 / (12 + 1e-6)), 0], 1e-6, 'inf');
    const one = nn.utils.clipGradNorm([a, b], 100, 1);
    expect(one.totalNorm).toBeCloseTo(19, 6);
    expect(() => nn.utils.clipGradNorm({ a: [1] as unknown as Tensor }, 1)).toThrow(
      "nn.utils.clipGradNorm: gradient 'a' must be a Tensor, received object.",
    );
    expect(() => nn.utils.clipGradNorm([a], -1)).toThrow('nn.utils.clipGradNorm: maxNorm must be a number >= 0, received -1.');
  });

  test('clipGradValue clamps each element', () => {
    expect(num(nn.utils.clipGradValue({ a }, 3.5).a)).toEqual([3, 0, -3.5]);
  });

  test('clipGradNorm works on variableGrads output of a module', () => {
    const l = new nn.Linear(2, 2, { seed: 3 });
    const x = variable(t([100, -100], [1, 2]));
    const { grads } = variableGrads(() => sum(l.forward(x)), l.parameters());
    const { grads: clipped, totalNorm } = nn.utils.clipGradNorm(grads, 1);
    expect(totalNorm).toBeGreaterThan(1);
    const n = Math.sqrt(
      Object.values(clipped)
        .flatMap(num)
        .reduce((s, v) => s + v * v, 0),
    );
    expect(n).toBeCloseTo(1, 4);
    expect(Object.keys(clipped)).toEqual(Object.keys(grads));
  });
});

describe('JSON state dicts (examples/pytorch_export/export_state_dict.py)', () => {
  test('loadStateDictJSON parses {name: {shape, data}} (flat or nested data) into tensors that load into a module', () => {
    const src = new nn.GRU(2, 3, { seed: 1 });
    const json = JSON.stringify(nn.stateDictToJSON(src.stateDict()));
    const dict = nn.loadStateDictJSON(json);
    expect(Object.keys(dict)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
    const dst = new nn.GRU(2, 3, { seed: 2 });
    dst.loadStateDict(dict);
    const x = t(randArr(1 * 4 * 2, 3), [1, 4, 2]);
    expect(num(dst.forward(x))).toEqual(num(src.forward(x)));
    const nested = nn.loadStateDictJSON({
      w: {
        shape: [2, 2],
        data: [
          [1, 2],
          [3, 4],
        ],
      },
    });
    expect(nested.w.shape).toEqual([2, 2]);
    expect(num(nested.w)).toEqual([1, 2, 3, 4]);
  });

  test('malformed JSON state dicts are named', () => {
    expect(() => nn.loadStateDictJSON('{')).toThrow(/nn\.loadStateDictJSON: invalid JSON/);
    expect(() => nn.loadStateDictJSON('[]')).toThrow('nn.loadStateDictJSON: expected an object {name: {shape, data}}, received an array.');
    expect(() => nn.loadStateDictJSON({ w: { shape: [2, 2], data: [1, 2, 3] } })).toThrow(
      "nn.loadStateDictJSON: 'w' has 3 values but shape [2,2] needs 4.",
    );
    expect(() => nn.loadStateDictJSON({ w: { data: [1] } } as never)).toThrow(/'w' must be \{shape: number\[\], data: number\[\]\}/);
    expect(() => nn.loadStateDictJSON({ w: { shape: [1], data: ['x'] } })).toThrow(
      "nn.loadStateDictJSON: 'w'.data must hold numbers, found string.",
    );
  });
});

describe("PyTorch's positional arguments where our named options go", () => {
  const as = <T>(v: unknown) => v as T;
  test('each is refused naming the module, the options it takes and what came', () => {
    expect(() => new nn.LSTM(4, 8, as<nn.LSTMOptions>(2))).toThrow(
      "nn.LSTM: options must be an object of named options (numLayers, bias, batchFirst, dropout, bidirectional, seed, projSize), received 2; PyTorch's positional arguments are named options here.",
    );
    expect(() => new nn.Linear(4, 8, as<nn.LinearOptions>(false))).toThrow(
      "nn.Linear: options must be an object of named options (bias, seed), received false; PyTorch's positional arguments are named options here.",
    );
    // nn.CrossEntropyLoss(weight) in PyTorch: before, "unknown option 'isDisposed'".
    expect(() => new nn.CrossEntropyLoss(as<nn.CrossEntropyLossOptions>(t([1, 2, 3], [3])))).toThrow(
      "nn.CrossEntropyLoss: options must be an object of named options (reduction, weight, ignoreIndex, labelSmoothing), received a Tensor of shape [3]; PyTorch's positional arguments are named options here.",
    );
    expect(() => new nn.NLLLoss(as<nn.NLLLossOptions>([1, 2, 3]))).toThrow(
      /^nn\.NLLLoss: options must be an object of named options \(reduction, weight, ignoreIndex\), received the array \[1,2,3\];/,
    );
    expect(() => new nn.Linear(2, 2).loadStateDict({}, as<nn.LoadStateDictOptions>(false))).toThrow(
      /^nn\.Linear\.loadStateDict: options must be an object of named options \(strict\), received false;/,
    );
    const opt = new nn.optim.SGD(new nn.Linear(2, 2).parameters(), { lr: 0.1 });
    expect(() => new nn.optim.lrScheduler.StepLR(opt, as<nn.optim.lrScheduler.StepLROptions>(10))).toThrow(
      "nn.optim.lrScheduler.StepLR: options must be an object of named options (stepSize, gamma), received 10; PyTorch's positional arguments are named options here.",
    );
  });
});
