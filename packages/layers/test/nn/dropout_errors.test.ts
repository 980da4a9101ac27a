/** Inter-layer dropout of the recurrent modules, and bad input giving errors that name the module and the expectation. */
import { RandomGenerator, Tensor, tensor } from '@recurrent/core';
import { nn } from '@recurrent/layers';
import { refRecurrent, RefConfig } from './reference';
import { expectClose, f32, makeModule, num, randArr, refParamsOf, runModule, t } from './helpers';

const B = 2;
const T = 4;
const I = 3;
const H = 4;

describe('dropout between stacked layers', () => {
  const cfg = (numLayers: number, bidirectional = false): RefConfig => ({
    mode: 'LSTM',
    inputSize: I,
    hiddenSize: H,
    numLayers,
    bidirectional,
    bias: true,
    projSize: 0,
  });
  const x = f32(randArr(B * T * I, 1));

  test('no dropout after the last layer: a 1-layer module with dropout gives the eval output in training', () => {
    const m = makeModule(cfg(1), true, 5, 0.7);
    expect(m.training).toBe(true);
    const ref = refRecurrent(cfg(1), refParamsOf(m), x, B, T, null, null);
    expectClose(num(runModule(m, t(x, [B, T, I]), null, null)[0]), ref.out, 1e-5, 'training output');
  });

  test('dropout with numLayers 1 warns that it has no effect, as PyTorch does', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      new nn.GRU(I, H, { dropout: 0.3 });
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/nn.GRU: dropout 0.3 has no effect with numLayers 1/));
      warn.mockClear();
      new nn.GRU(I, H, { dropout: 0.3, numLayers: 2 });
      new nn.GRU(I, H);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  test('training masks (seeded, from the module generator after initialization) multiply each layer output but the last; eval has none', () => {
    for (const bidirectional of [false, true]) {
      const c = cfg(3, bidirectional);
      const seed = 99;
      const p = 0.4;
      const m = makeModule(c, true, seed, p);
      const params = refParamsOf(m);
      // Replay the module's generator: initialization draws one number per parameter element, then the masks.
      const g = new RandomGenerator(seed);
      const nParams = Object.values(params).reduce((a, v) => a + v.length, 0);
      for (let i = 0; i < nParams; i++) g.next();
      const D = bidirectional ? 2 : 1;
      const masks = [0, 1].map(() => Array.from({ length: B * T * D * H }, () => (g.next() >= p ? 1 / (1 - p) : 0)));
      const [out, hN, cN] = runModule(m, t(x, [B, T, I]), null, null);
      const ref = refRecurrent(c, params, x, B, T, null, null, masks);
      expectClose(num(out), ref.out, 1e-5, 'training output');
      expectClose(num(hN), ref.hN, 1e-5, 'training hN');
      expectClose(num(cN as Tensor), ref.cN, 1e-5, 'training cN');
      // Masks were really applied (differs from the no-dropout reference) and change from call to call.
      const plain = refRecurrent(c, params, x, B, T, null, null);
      expect(Math.max(...num(out).map((v, i) => Math.abs(v - plain.out[i])))).toBeGreaterThan(1e-3);
      expect(num(runModule(m, t(x, [B, T, I]), null, null)[0])).not.toEqual(num(out));
      // eval(): no dropout.
      m.eval();
      expectClose(num(runModule(m, t(x, [B, T, I]), null, null)[0]), plain.out, 1e-5, 'eval output');
      m.train();
    }
  });

  test('dropout = 1 zeroes the input of the next layer; same seed, same masks', () => {
    const c = cfg(2);
    const m = makeModule(c, true, 3, 1);
    const zeroMask = new Array(B * T * H).fill(0);
    const ref = refRecurrent(c, refParamsOf(m), x, B, T, null, null, [zeroMask]);
    expectClose(num(runModule(m, t(x, [B, T, I]), null, null)[0]), ref.out, 1e-5, 'dropout 1');
    const a = makeModule(c, true, 8, 0.5);
    const b = makeModule(c, true, 8, 0.5);
    expect(num(runModule(a, t(x, [B, T, I]), null, null)[0])).toEqual(num(runModule(b, t(x, [B, T, I]), null, null)[0]));
  });
});

describe('bad input names the module and what was expected', () => {
  const x = t(randArr(B * T * I, 1), [B, T, I]);

  test('input rank, size and dtype', () => {
    const lstm = new nn.LSTM(I, H);
    expect(() => lstm.forward(t(randArr(B * T * I, 1), [1, B, T, I]))).toThrow(
      'nn.LSTM: input must have rank 3 [batch, seq, inputSize] or rank 2 (unbatched [seq, inputSize]), received shape [1,2,4,3].',
    );
    expect(() => new nn.GRU(I, H, { batchFirst: false }).forward(t([1, 2, 3], [3]))).toThrow(
      'nn.GRU: input must have rank 3 [seq, batch, inputSize] or rank 2 (unbatched [seq, inputSize]), received shape [3].',
    );
    expect(() => lstm.forward(t(randArr(B * T * 5, 1), [B, T, 5]))).toThrow(
      'nn.LSTM: the last dimension of input must be inputSize = 3, received shape [2,4,5].',
    );
    expect(() => lstm.forward(tensor(new Int32Array(B * T * I), [B, T, I], 'int32'))).toThrow(
      'nn.LSTM: input must be float32, received int32 (shape [2,4,3]).',
    );
    expect(() => lstm.forward([[1, 2, 3]] as unknown as Tensor)).toThrow('nn.LSTM: input must be a Tensor, received an array.');
    expect(() => new nn.RNN(I, H).forward(t([], [B, 0, I]))).toThrow(
      'nn.RNN: input must have at least one time step, received shape [2,0,3].',
    );
  });

  test('initial states of the wrong shape', () => {
    const lstm = new nn.LSTM(I, H, { numLayers: 2, bidirectional: true });
    expect(() => lstm.forward(x, t(randArr(2 * B * H, 1), [2, B, H]))).toThrow(
      'nn.LSTM: h0 must have shape [4,2,4] ([D·numLayers, batch, size]; D·numLayers = 4, size = 4), received [2,2,4].',
    );
    expect(() => lstm.forward(x, t(randArr(4 * B * H, 1), [4, B, H]), t(randArr(4 * 3 * H, 1), [4, 3, H]))).toThrow(
      'nn.LSTM: c0 must have shape [4,2,4] ([D·numLayers, batch, size]; D·numLayers = 4, size = 4), received [4,3,4].',
    );
    const proj = new nn.LSTM(I, H, { projSize: 2 });
    expect(() => proj.forward(x, t(randArr(B * H, 1), [1, B, H]))).toThrow(
      'nn.LSTM: h0 must have shape [1,2,2] ([D·numLayers, batch, size]; D·numLayers = 1, size = 2), received [1,2,4].',
    );
    expect(() => new nn.GRU(I, H).forward(t(randArr(T * I, 1), [T, I]), t(randArr(B * H, 1), [1, B, H]))).toThrow(
      'nn.GRU: h0 must have shape [1,4] ([D·numLayers, size] for unbatched input; D·numLayers = 1, size = 4), received [1,2,4].',
    );
    expect(() => (new nn.GRU(I, H).forward as unknown as (...a: unknown[]) => Tensor)(x, null, t(randArr(B * H, 1), [1, B, H]))).toThrow(
      'nn.GRU: has no cell state; c0 must not be given.',
    );
    expect(() => lstm.forward(x, [t([1], [1])] as unknown as [Tensor, Tensor])).toThrow(
      /nn\.LSTM: the initial state must be given as \(h0, c0\) or \(\[h0, c0\]\)/,
    );
  });

  test('constructor options', () => {
    expect(() => new nn.LSTM(I, H, { batch_first: true } as never)).toThrow(
      "nn.LSTM: unknown option 'batch_first'; did you mean 'batchFirst'? Expected one of 'numLayers', 'bias', 'batchFirst', 'dropout', 'bidirectional', 'seed', 'projSize' (camelCase).",
    );
    expect(() => new nn.GRU(I, H, { projSize: 2 } as never)).toThrow(/nn\.GRU: unknown option 'projSize'/);
    expect(() => new nn.RNN(I, H, { dropout: 1.5 })).toThrow('nn.RNN: dropout must be a number in [0, 1] (a probability), received 1.5.');
    expect(() => new nn.LSTM(I, H, { projSize: 4 })).toThrow('nn.LSTM: projSize must be smaller than hiddenSize 4, received 4.');
    expect(() => new nn.LSTM(I, H, { numLayers: 0 })).toThrow('nn.LSTM: numLayers must be an integer >= 1, received 0.');
    expect(() => new nn.RNN(I, 2.5)).toThrow('nn.RNN: hiddenSize must be an integer >= 1, received 2.5.');
    expect(() => new nn.RNN(I, H, { nonlinearity: 'gelu' as 'relu' })).toThrow(
      "nn.RNN: nonlinearity must be 'tanh' or 'relu', received 'gelu'.",
    );
  });
});
