/**
 * nn.convert: PyTorch ↔ Keras weight layouts (round trips, the Keras-layout weights run through the fused kernels
 * reproduce the nn module), and toLayers / fromLayers with the Keras-style recurrent layers.
 */
import { concat, gruSequence, lstmSequence, reverse, simpleRNNSequence, Tensor } from '@recurrent/core';
import { Bidirectional, GRU, Layer, LSTM, SimpleRNN, nn } from '@recurrent/layers';
import { expectClose, num, randArr, t } from './helpers';

const B = 2;
const T = 5;
const I = 3;
const H = 4;
const x = t(randArr(B * T * I, 1), [B, T, I]);

type Mode = 'LSTM' | 'GRU' | 'RNN';
const toKeras = { LSTM: nn.convert.torchToKerasLSTM, GRU: nn.convert.torchToKerasGRU, RNN: nn.convert.torchToKerasSimpleRNN };
const toTorch = { LSTM: nn.convert.kerasToTorchLSTM, GRU: nn.convert.kerasToTorchGRU, RNN: nn.convert.kerasToTorchSimpleRNN };

function make(
  mode: Mode,
  opts: { numLayers?: number; bidirectional?: boolean; bias?: boolean; seed?: number; nonlinearity?: 'tanh' | 'relu' },
): nn.RNNBase {
  const { nonlinearity, ...rest } = opts;
  if (mode === 'LSTM') return new nn.LSTM(I, H, rest);
  if (mode === 'GRU') return new nn.GRU(I, H, rest);
  return new nn.RNN(I, H, { ...rest, nonlinearity });
}

/** Runs Keras-layout weights through core's fused kernels, layer by layer (PyTorch semantics for direction and stacking). */
function runKerasWeights(
  mode: Mode,
  weights: Tensor[][],
  numLayers: number,
  D: number,
  input: Tensor,
  activation: 'tanh' | 'relu' = 'tanh',
): Tensor {
  let h = input;
  for (let l = 0; l < numLayers; l++) {
    const outs: Tensor[] = [];
    for (let d = 0; d < D; d++) {
      const [k, rk, b] = weights[l * D + d];
      const opts = { returnSequences: true, goBackwards: d === 1, activation: 'tanh' as const, recurrentActivation: 'sigmoid' as const };
      const seq =
        mode === 'LSTM'
          ? lstmSequence(h, k, rk, b ?? null, null, null, opts)[1]
          : mode === 'GRU'
            ? gruSequence(h, k, rk, b ?? null, null, { ...opts, resetAfter: true })[1]
            : simpleRNNSequence(h, k, rk, b ?? null, null, { ...opts, activation })[1];
      outs.push(d === 1 ? reverse(seq, 1) : seq);
    }
    h = D === 2 ? concat(outs, 2) : outs[0];
  }
  return h;
}

describe('PyTorch ↔ Keras weight conversion', () => {
  test.each(['LSTM', 'GRU', 'RNN'] as Mode[])(
    '%s: Keras-layout weights through the fused kernel give the module output (2 layers, bidirectional, bias on/off)',
    (mode) => {
      for (const bias of [true, false]) {
        const m = make(mode, { numLayers: 2, bidirectional: true, bias, seed: 3, nonlinearity: 'relu' });
        const dict = m.stateDict();
        const weights: Tensor[][] = [];
        for (let l = 0; l < 2; l++) for (const dir of ['forward', 'reverse'] as const) weights.push(toKeras[mode](dict, l, dir));
        expect(weights[0].length).toBe(bias ? 3 : 2);
        const G = mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
        expect(weights[0][0].shape).toEqual([I, G * H]);
        expect(weights[2][0].shape).toEqual([2 * H, G * H]);
        expect(weights[0][1].shape).toEqual([H, G * H]);
        if (bias) expect(weights[0][2].shape).toEqual(mode === 'GRU' ? [2, G * H] : [G * H]);
        expectClose(num(runKerasWeights(mode, weights, 2, 2, x, 'relu')), num(m.forward(x)), 1e-6, `${mode} bias=${bias}`);
        // The whole-module helper gives the same list.
        expect(nn.convert.toKerasWeights(m).map((ws) => ws.map(num))).toEqual(weights.map((ws) => ws.map(num)));
      }
    },
  );

  test('LSTM/RNN: PyTorch → Keras sums the biases; Keras → PyTorch puts the bias in bias_ih and zeros in bias_hh', () => {
    for (const mode of ['LSTM', 'RNN'] as Mode[]) {
      const m = make(mode, { seed: 4 });
      const d = m.stateDict();
      const [k, rk, b] = toKeras[mode](m);
      expectClose(
        num(b),
        num(d.bias_ih_l0).map((v, i) => v + num(d.bias_hh_l0)[i]),
        1e-7,
        'sum',
      );
      const back = toTorch[mode]([k, rk, b]);
      expect(Object.keys(back)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
      expect(num(back.weight_ih_l0)).toEqual(num(d.weight_ih_l0));
      expect(num(back.weight_hh_l0)).toEqual(num(d.weight_hh_l0));
      expect(num(back.bias_ih_l0)).toEqual(num(b));
      expect(num(back.bias_hh_l0).every((v) => v === 0)).toBe(true);
      const m2 = make(mode, { seed: 5 });
      m2.loadStateDict(back);
      expectClose(num(m2.forward(x)), num(m.forward(x)), 1e-6, `${mode} round trip`);
    }
  });

  test('GRU round trip is exact (Keras reset_after keeps both biases) and reorders r, z, n ↔ z, r, h', () => {
    const m = make('GRU', { seed: 6 });
    const d = m.stateDict();
    const [k, rk, b] = nn.convert.torchToKerasGRU(d);
    // Keras kernel column block 0 (z) is PyTorch row block 1 (z); block 1 (r) is PyTorch block 0 (r).
    const wih = num(d.weight_ih_l0);
    const kv = num(k);
    for (let i = 0; i < I; i++) {
      for (let j = 0; j < H; j++) {
        expect(kv[i * 3 * H + j]).toBe(wih[(H + j) * I + i]);
        expect(kv[i * 3 * H + H + j]).toBe(wih[j * I + i]);
        expect(kv[i * 3 * H + 2 * H + j]).toBe(wih[(2 * H + j) * I + i]);
      }
    }
    expect(num(b).slice(3 * H)).toEqual([
      ...num(d.bias_hh_l0).slice(H, 2 * H),
      ...num(d.bias_hh_l0).slice(0, H),
      ...num(d.bias_hh_l0).slice(2 * H),
    ]);
    const back = nn.convert.kerasToTorchGRU([k, rk, b], 0, 'forward');
    for (const key of Object.keys(d)) expect(num(back[key])).toEqual(num(d[key]));
    // Layer index and direction name the keys.
    expect(Object.keys(nn.convert.kerasToTorchGRU([k, rk], 2, 'reverse'))).toEqual(['weight_ih_l2_reverse', 'weight_hh_l2_reverse']);
  });

  test('state dicts of bigger models via prefix; setFromKerasWeights', () => {
    const s = new nn.Sequential(new nn.LSTM(I, H, { numLayers: 2, seed: 1 }), new nn.Linear(H, 1));
    const w = nn.convert.torchToKerasLSTM(s.stateDict(), 1, 'forward', { prefix: '0.' });
    expect(w.map((v) => v.shape)).toEqual([[H, 4 * H], [H, 4 * H], [4 * H]]);
    const src = s.at(0) as nn.LSTM;
    const dst = new nn.LSTM(I, H, { numLayers: 2, seed: 9 });
    nn.convert.setFromKerasWeights(dst, nn.convert.toKerasWeights(src));
    expectClose(num(dst.forward(x)), num(src.forward(x)), 1e-6, 'setFromKerasWeights');
  });

  test('conversion errors name the function, the key or the shape', () => {
    const proj = new nn.LSTM(I, H, { projSize: 2 });
    expect(() => nn.convert.torchToKerasLSTM(proj)).toThrow(
      "nn.convert.torchToKerasLSTM: 'weight_hr_l0' is present: an LSTM with projSize has no Keras equivalent.",
    );
    expect(() => nn.convert.toKerasWeights(proj)).toThrow('nn.convert.toKerasWeights: nn.LSTM with projSize 2 has no Keras equivalent.');
    expect(() => nn.convert.torchToKerasLSTM(new nn.LSTM(I, H), 1)).toThrow(
      /nn\.convert\.torchToKerasLSTM: the state dict has no 'weight_ih_l1' \(layer 1, forward\); it has 'weight_ih_l0', /,
    );
    expect(() => nn.convert.torchToKerasGRU(new nn.LSTM(I, H))).toThrow(
      "nn.convert.torchToKerasGRU: 'weight_hh_l0' must have shape [3·hidden, hidden], received [16,4].",
    );
    const [k, rk] = nn.convert.torchToKerasGRU(new nn.GRU(I, H));
    expect(() => nn.convert.kerasToTorchGRU([k, rk, t(new Array(3 * H).fill(0), [3 * H])])).toThrow(
      "nn.convert.kerasToTorchGRU: bias must have shape [2,12], received [12] (a GRU with resetAfter: false computes a different function than PyTorch's GRU and cannot be converted).",
    );
    expect(() => nn.convert.kerasToTorchLSTM([k, rk])).toThrow(
      'nn.convert.kerasToTorchLSTM: recurrentKernel must have shape [units, 4·units], received [4,12].',
    );
    expect(() => nn.convert.torchToKerasLSTM(new nn.LSTM(I, H), 0, 'backward' as 'reverse')).toThrow(
      "nn.convert.torchToKerasLSTM: direction must be 'forward' or 'reverse', received 'backward'.",
    );
    expect(() =>
      nn.convert.setFromKerasWeights(new nn.LSTM(I, H, { numLayers: 2 }), [nn.convert.torchToKerasLSTM(new nn.LSTM(I, H))]),
    ).toThrow('nn.convert.setFromKerasWeights: nn.LSTM has 2 layer(s) × 1 direction(s) = 2 weight lists, received 1.');
  });
});

function applyAll(layers: Layer[], input: Tensor): Tensor {
  return layers.reduce((h, l) => l.apply(h) as Tensor, input);
}

describe('toLayers / fromLayers with the Keras-style recurrent layers', () => {
  test.each(['LSTM', 'GRU', 'RNN'] as Mode[])('%s: nn module with numLayers 2 ↔ two Keras-style layers', (mode) => {
    for (const bias of [true, false]) {
      const m = make(mode, { numLayers: 2, bias, seed: 12, nonlinearity: 'relu' });
      const layers = nn.convert.toLayers(m);
      expect(layers.map((l) => l.getClassName())).toEqual(mode === 'RNN' ? ['SimpleRNN', 'SimpleRNN'] : [mode, mode]);
      expectClose(num(applyAll(layers, x)), num(m.forward(x)), 1e-6, `${mode} toLayers`);
      const last = nn.convert.toLayers(m, { returnSequences: false });
      expect(applyAll(last, x).shape).toEqual([B, H]);
      // fromLayers on the converted layers gives back the same function.
      const back = nn.convert.fromLayers(layers);
      expect(back).toBeInstanceOf(mode === 'LSTM' ? nn.LSTM : mode === 'GRU' ? nn.GRU : nn.RNN);
      expect(back.numLayers).toBe(2);
      expect(back.bias).toBe(bias);
      expectClose(num(back.forward(x)), num(m.forward(x)), 1e-6, `${mode} fromLayers`);
    }
  });

  test.each(['LSTM', 'GRU', 'RNN'] as Mode[])(
    '%s: bidirectional nn module with numLayers 2 ↔ two Bidirectional layers (concat)',
    (mode) => {
      const m = make(mode, { numLayers: 2, bidirectional: true, seed: 21, nonlinearity: 'tanh' });
      const layers = nn.convert.toLayers(m);
      expect(layers.map((l) => l.getClassName())).toEqual(['Bidirectional', 'Bidirectional']);
      expectClose(num(applyAll(layers, x)), num(m.forward(x)), 1e-6, `${mode} toLayers bidirectional`);
      const back = nn.convert.fromLayers(layers);
      expect(back.bidirectional).toBe(true);
      expectClose(num(back.forward(x)), num(m.forward(x)), 1e-6, `${mode} fromLayers bidirectional`);
      // Freshly initialized Bidirectional Keras layers → nn module.
      const inner =
        mode === 'LSTM'
          ? new LSTM({ units: H, returnSequences: true, recurrentActivation: 'sigmoid', biasInitializer: 'randomNormal' })
          : mode === 'GRU'
            ? new GRU({
                units: H,
                returnSequences: true,
                recurrentActivation: 'sigmoid',
                resetAfter: true,
                biasInitializer: 'randomNormal',
              })
            : new SimpleRNN({ units: H, returnSequences: true, activation: 'relu', biasInitializer: 'randomNormal' });
      const wrapped = new Bidirectional({ layer: inner });
      const y = wrapped.apply(x) as Tensor;
      expectClose(num(nn.convert.fromLayers([wrapped]).forward(x)), num(y), 1e-6, `${mode} fresh Bidirectional`);
    },
  );

  test('fromLayers on freshly initialized Keras layers (Keras initializers, one bias) matches the layers', () => {
    const l1 = new LSTM({ units: H, returnSequences: true, recurrentActivation: 'sigmoid', unitForgetBias: true });
    const l2 = new LSTM({ units: H, returnSequences: true, recurrentActivation: 'sigmoid', biasInitializer: 'randomNormal' });
    const y = applyAll([l1, l2], x);
    const m = nn.convert.fromLayers([l1, l2]) as nn.LSTM;
    expectClose(num(m.forward(x)), num(y), 1e-6, 'fromLayers LSTM');
    expect(num(m.getParameter('bias_hh_l0')).every((v) => v === 0)).toBe(true);
    const g = new GRU({
      units: H,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
      resetAfter: true,
      biasInitializer: 'randomUniform',
    });
    const yg = g.apply(x) as Tensor;
    expectClose(num(nn.convert.fromLayers([g]).forward(x)), num(yg), 1e-6, 'fromLayers GRU');
    // time-major module from layers
    const tm = nn.convert.fromLayers([g], { batchFirst: false });
    expect(tm.batchFirst).toBe(false);
  });

  test('dropout between layers becomes Dropout layers and back', () => {
    const m = new nn.GRU(I, H, { numLayers: 3, dropout: 0.25, seed: 2 });
    const layers = nn.convert.toLayers(m);
    expect(layers.map((l) => l.getClassName())).toEqual(['GRU', 'Dropout', 'GRU', 'Dropout', 'GRU']);
    m.eval();
    expectClose(num(applyAll(layers, x)), num(m.forward(x)), 1e-6, 'inference');
    const back = nn.convert.fromLayers(layers);
    expect(back.dropout).toBe(0.25);
    expect(back.numLayers).toBe(3);
  });

  test('layers that compute something PyTorch cannot are refused with the reason', () => {
    const tfjsDefault = new LSTM({ units: H, returnSequences: true });
    tfjsDefault.apply(x);
    expect(() => nn.convert.fromLayers([tfjsDefault])).toThrow(
      /has activation 'tanh' and recurrentActivation 'hardSigmoid'; PyTorch's LSTM uses 'tanh' and 'sigmoid'/,
    );
    const gruV1 = new GRU({ units: H, recurrentActivation: 'sigmoid', resetAfter: false });
    gruV1.apply(x);
    expect(() => nn.convert.fromLayers([gruV1])).toThrow(/has resetAfter: false, which computes a different function than PyTorch's GRU/);
    const unbuilt = new SimpleRNN({ units: H });
    expect(() => nn.convert.fromLayers([unbuilt])).toThrow(/is not built; apply it to an input/);
    const a = new SimpleRNN({ units: H, returnSequences: true });
    const b = new LSTM({ units: H, recurrentActivation: 'sigmoid' });
    applyAll([a, b], x);
    expect(() => nn.convert.fromLayers([a, b])).toThrow(/is a LSTM but the first is a SimpleRNN; all must be of one kind/);
    const c = new SimpleRNN({ units: H });
    const d = new SimpleRNN({ units: H });
    c.apply(x);
    d.apply(t(randArr(B * T * H, 2), [B, T, H]));
    expect(() => nn.convert.fromLayers([c, d])).toThrow(/must have returnSequences: true to feed the next layer/);
    const bi = nn.convert.toLayers(new nn.LSTM(I, H, { bidirectional: true, numLayers: 2 }));
    expect(() => nn.convert.fromLayers([bi[0], a])).toThrow(/either all recurrent layers are Bidirectional or none/);
    const sum = new Bidirectional({ layer: new GRU({ units: H, recurrentActivation: 'sigmoid' }), mergeMode: 'sum' });
    sum.apply(x);
    expect(() => nn.convert.fromLayers([sum])).toThrow(/has mergeMode "sum"; PyTorch concatenates \(mergeMode 'concat'\)/);
  });
});

describe('option keys of the conversion functions', () => {
  it("a mistyped option key is refused with a suggestion, not ignored (fromLayers' batch_first: false kept batchFirst true)", () => {
    const lstm = new nn.LSTM(I, H);
    expect(() => nn.convert.torchToKerasLSTM(lstm, 0, 'forward', { prefx: 'enc.' } as never)).toThrow(
      /nn.convert.torchToKerasLSTM: unknown option 'prefx'; did you mean 'prefix'\?/,
    );
    expect(() => nn.convert.toLayers(lstm, { return_sequences: false } as never)).toThrow(
      /nn.convert.toLayers: unknown option 'return_sequences'; did you mean 'returnSequences'\?/,
    );
    const layers = nn.convert.toLayers(lstm);
    expect(() => nn.convert.fromLayers(layers, { batch_first: false } as never)).toThrow(
      /nn.convert.fromLayers: unknown option 'batch_first'; did you mean 'batchFirst'\?/,
    );
    expect(nn.convert.fromLayers(layers, { batchFirst: false }).batchFirst).toBe(false);
  });
});
