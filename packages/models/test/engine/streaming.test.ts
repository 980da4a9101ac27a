/**
 * model.initState / model.step: the state lives outside the model as plain data. Step-by-step outputs are
 * checked against the whole-sequence predict of the same model (the fused sequence kernels, another
 * implementation) for every recurrent layer, stacked layers, causal Conv1D (its window of past inputs in the
 * state) and per-step heads; states survive
 * structuredClone and JSON; interleaved streams do not disturb each other; unsupported models are refused
 * naming the layer.
 */
import { add, matMul, mul, randomNormal, tanh, Tensor, tensor } from '@recurrent/core';
import { GRUCell, input, Layer, layers, LayerVariable, LSTMCell, RNNCell, SymbolicTensor } from '@recurrent/layers';
import type { Shape } from '@recurrent/layers';
import { model as functionalModel, sequential, Sequential, stateFromJSON, stateToJSON, cloneState } from '@recurrent/models';
import type { StreamState } from '@recurrent/models';

const B = 3;
const T = 7;
const F = 5;

/** Step t of a [batch, time, ...] tensor as [batch, ...]. */
function stepOf(x: Tensor, t: number): Tensor {
  const [b, time, ...rest] = x.shape;
  const inner = rest.reduce((p, q) => p * q, 1);
  const v = x.values;
  const out = new (v.constructor as Float32ArrayConstructor)(b * inner);
  for (let i = 0; i < b; i++) out.set(v.subarray((i * time + t) * inner, (i * time + t + 1) * inner), i * inner);
  return tensor(out, [b, ...rest], x.dtype);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

/** Runs the model step by step from zeros; returns the outputs of every step and the final state. */
function runSteps(model: Sequential, x: Tensor, from?: StreamState, t0 = 0, t1 = x.shape[1]): { ys: Tensor[]; state: StreamState } {
  let s = from ?? model.initState(x.shape[0]);
  const ys: Tensor[] = [];
  for (let t = t0; t < t1; t++) {
    const [y, next] = model.step(stepOf(x, t), s);
    ys.push(y);
    s = next;
  }
  return { ys, state: s };
}

interface Case {
  name: string;
  layers: () => Layer[];
  /** The last layer returns sequences (compare every step) or only the last step. */
  sequences: boolean;
}

const CASES: Case[] = [
  { name: 'LSTM', layers: () => [layers.lstm({ units: 6, inputShape: [null, F] })], sequences: false },
  {
    name: 'LSTM (relu, hardSigmoid, no bias) returning sequences',
    layers: () => [
      layers.lstm({
        units: 4,
        activation: 'relu',
        recurrentActivation: 'hardSigmoid',
        useBias: false,
        returnSequences: true,
        inputShape: [T, F],
      }),
    ],
    sequences: true,
  },
  {
    name: 'GRU resetAfter: true',
    layers: () => [layers.gru({ units: 6, resetAfter: true, biasInitializer: 'randomNormal', inputShape: [null, F] })],
    sequences: false,
  },
  {
    name: 'GRU resetAfter: false',
    layers: () => [layers.gru({ units: 6, resetAfter: false, biasInitializer: 'randomNormal', inputShape: [null, F] })],
    sequences: false,
  },
  {
    name: 'GRU resetAfter: false, 5 units (odd sizes)',
    layers: () => [layers.gru({ units: 5, resetAfter: false, returnSequences: true, inputShape: [null, F] })],
    sequences: true,
  },
  {
    name: 'SimpleRNN',
    layers: () => [layers.simpleRNN({ units: 7, biasInitializer: 'randomNormal', inputShape: [null, F] })],
    sequences: false,
  },
  {
    name: 'stacked LSTM → GRU → SimpleRNN + Dense softmax',
    layers: () => [
      layers.lstm({ units: 8, returnSequences: true, inputShape: [null, F] }),
      layers.dropout({ rate: 0.5 }),
      layers.gru({ units: 6, returnSequences: true }),
      layers.simpleRNN({ units: 4 }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    sequences: false,
  },
  {
    name: 'Dense before, LSTM, TimeDistributed(Dense) + Activation after',
    layers: () => [
      layers.dense({ units: 6, activation: 'tanh', inputShape: [null, F] }),
      layers.lstm({ units: 5, returnSequences: true }),
      layers.timeDistributed({ layer: layers.dense({ units: 2 }) }),
      layers.activation({ activation: 'sigmoid' }),
    ],
    sequences: true,
  },
  {
    name: 'causal Conv1D (kernel 3, dilation 2, relu) → GRU: the state keeps the last 4 inputs',
    layers: () => [
      layers.conv1d({
        filters: 4,
        kernelSize: 3,
        dilationRate: 2,
        padding: 'causal',
        activation: 'relu',
        biasInitializer: 'randomNormal',
        inputShape: [null, F],
      }),
      layers.gru({ units: 3 }),
    ],
    sequences: false,
  },
  {
    name: 'LSTM → causal Conv1D (kernel 4, groups 2, no bias) → causal Conv1D (kernel 1) returning sequences',
    layers: () => [
      layers.lstm({ units: 6, returnSequences: true, inputShape: [T, F] }),
      layers.conv1d({ filters: 4, kernelSize: 4, groups: 2, useBias: false, padding: 'causal', activation: 'tanh' }),
      layers.conv1d({ filters: 2, kernelSize: 1, padding: 'causal' }),
    ],
    sequences: true,
  },
  {
    name: 'causal Conv1D alone (no recurrent layer) → Dense',
    layers: () => [layers.conv1d({ filters: 3, kernelSize: 2, padding: 'causal', inputShape: [null, F] }), layers.dense({ units: 2 })],
    sequences: true,
  },
  {
    name: 'RNN over stacked cells [LSTMCell, GRUCell]',
    layers: () => [
      layers.rnn({ cell: [new LSTMCell({ units: 4 }), new GRUCell({ units: 3 })], returnSequences: true, inputShape: [T, F] }),
    ],
    sequences: true,
  },
];

describe('step equals the whole-sequence predict', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const model = sequential({ layers: c.layers() });
      const x = randomNormal([B, T, F], 0, 1, 'float32', 11);
      const whole = model.predict(x);
      const { ys } = runSteps(model, x);
      if (c.sequences) {
        ys.forEach((y, t) => expectClose(y.values, stepOf(whole, t).values));
      } else {
        expectClose(ys[T - 1].values, whole.values);
        // Every step's output is what predict gives on the prefix up to it.
        const prefix = model.predict(tensor(x.values.slice(0), [B, T, F]).slice([0, 0, 0], [B, 3, F]));
        expectClose(ys[2].values, prefix.values);
      }
      expect(ys[0].shape).toEqual([B, ...whole.shape.slice(c.sequences ? 2 : 1)]);
    });
  }

  test('Embedding → LSTM → Dense takes [batch] indices per step', () => {
    const model = sequential({
      layers: [
        layers.embedding({ inputDim: 10, outputDim: 4, inputLength: T }),
        layers.lstm({ units: 6 }),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const ids = tensor(
      Int32Array.from({ length: B * T }, (_, i) => (i * 7 + 3) % 10),
      [B, T],
      'int32',
    );
    const whole = model.predict(ids);
    let s = model.initState(B);
    let y: Tensor | null = null;
    for (let t = 0; t < T; t++) [y, s] = model.step(stepOf(ids, t), s);
    expectClose(y!.values, whole.values);
    expect(() => model.step(tensor(Int32Array.from([1, 2, 12]), [B], 'int32'), s)).toThrow(/embedding.*index 12 \(row 2\).*\[0, 10\)/);
  });

  test('a custom cell steps through its own call()', () => {
    // No fused kernel and no lean step: the RNN layer runs it op by op, step() calls it once per step.
    class MinimalRNNCell extends RNNCell {
      static override className = 'MinimalRNNCell';
      readonly stateSize = 3;
      kernel: LayerVariable | null = null;
      rec: LayerVariable | null = null;
      override build(shape: Shape | Shape[]): void {
        const s = shape as Shape;
        this.kernel = this.addWeight('kernel', [s[s.length - 1] as number, 3]);
        this.rec = this.addWeight('recurrent_kernel', [3, 3]);
      }
      override call(inputs: Tensor | Tensor[]): Tensor[] {
        const [x, h] = inputs as Tensor[];
        const y = tanh(add(matMul(x, this.kernel!), matMul(h, this.rec!)));
        return [y, y];
      }
    }
    const model = sequential({ layers: [layers.rnn({ cell: new MinimalRNNCell(), inputShape: [T, F] })] });
    const x = randomNormal([B, T, F], 0, 1, 'float32', 12);
    const whole = model.predict(x);
    const { ys, state } = runSteps(model, x);
    expectClose(ys[T - 1].values, whole.values);
    expect(Object.keys(state.layers[0]).sort()).toEqual(['name', 'states']);
  });

  test('a subclass of a built-in cell runs its own call(), not the lean step', () => {
    class ScaledLSTMCell extends LSTMCell {
      static override className = 'ScaledLSTMCell';
      override call(inputs: Tensor | Tensor[], kwargs = {}): Tensor[] {
        const [h, , c] = super.call(inputs, kwargs);
        const h2 = mul(h, 0.5);
        return [h2, h2, c];
      }
      override sequenceKernel(): null {
        return null;
      }
    }
    const model = sequential({ layers: [layers.rnn({ cell: new ScaledLSTMCell({ units: 3 }), inputShape: [null, F] })] });
    const x = randomNormal([B, T, F], 0, 1, 'float32', 15);
    const { ys } = runSteps(model, x);
    expectClose(ys[T - 1].values, model.predict(x).values);
    // One-step predict takes the same route.
    expectClose(model.predict(x.slice([0, 0, 0], [B, 1, F])).values, ys[0].values);
  });

  test('accepts xt of shape [batch, 1, features] too', () => {
    const model = sequential({ layers: [layers.gru({ units: 4, inputShape: [null, F] })] });
    const x = randomNormal([B, T, F], 0, 1, 'float32', 13);
    let s = model.initState(B);
    let a: Tensor | null = null;
    for (let t = 0; t < T; t++) [a, s] = model.step(x.slice([0, t, 0], [B, 1, F]), s);
    expectClose(a!.values, model.predict(x).values);
  });

  test('sees weights changed after earlier steps', () => {
    const model = sequential({ layers: [layers.lstm({ units: 4, inputShape: [T, F] })] });
    const x = randomNormal([B, T, F], 0, 1, 'float32', 14);
    runSteps(model, x);
    model.setWeights(model.getWeights().map((w, i) => randomNormal(w.shape, 0, 0.5, 'float32', 100 + i)));
    const { ys } = runSteps(model, x);
    expectClose(ys[T - 1].values, model.predict(x).values);
  });
});

test('a causal Conv1D state holds its last (kernelSize − 1)·dilationRate inputs, oldest first', () => {
  const model = sequential({
    layers: [
      layers.conv1d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'causal', inputShape: [null, 2], name: 'conv' }),
      layers.gru({ units: 2 }),
    ],
  });
  let s = model.initState(1);
  expect(s.layers[0]).toEqual({ name: 'conv', states: [new Float32Array(8)] });
  for (let t = 1; t <= 6; t++) s = model.step(tensor([t, -t], [1, 2]), s)[1];
  expect(Array.from(s.layers[0].states![0])).toEqual([3, -3, 4, -4, 5, -5, 6, -6]);
  const bad = cloneState(s);
  bad.layers[0].states![0] = new Float32Array(3);
  expect(() => model.step(tensor([0, 0], [1, 2]), bad)).toThrow(
    /state of layer 'conv' needs states\[0\] as a Float32Array of 8 values \(\[batch 1, 8\]\), received 3 values/,
  );
});

test('a functional chain input → causal Conv1D → GRU → Dense steps as its predict', () => {
  const x0 = input({ shape: [null, F] });
  const c = layers
    .conv1d({ filters: 4, kernelSize: 3, padding: 'causal', activation: 'relu', biasInitializer: 'randomNormal' })
    .apply(x0) as SymbolicTensor;
  const g = layers.gru({ units: 3, returnSequences: true }).apply(c) as SymbolicTensor;
  const m = functionalModel({ inputs: x0, outputs: layers.dense({ units: 2 }).apply(g) as SymbolicTensor });
  const x = randomNormal([B, T, F], 0, 1, 'float32', 21);
  const whole = m.predict(x) as Tensor;
  let s = m.initState(B);
  expect(s.layers.map((l) => Object.keys(l).sort())).toEqual([
    ['name', 'states'],
    ['h', 'name'],
  ]);
  for (let t = 0; t < T; t++) {
    const [y, next] = m.step(stepOf(x, t), s);
    expectClose(y.values, stepOf(whole, t).values);
    s = next;
  }
});

describe('state as plain data', () => {
  function model2(): Sequential {
    return sequential({
      layers: [
        layers.lstm({ units: 6, returnSequences: true, inputShape: [null, F] }),
        layers.gru({ units: 4 }),
        layers.dense({ units: 2 }),
      ],
    });
  }

  test('initState: zeros, one entry per recurrent layer, named', () => {
    const s = model2().initState(2);
    expect(s.batch).toBe(2);
    expect(s.layers.map((l) => Object.keys(l).sort())).toEqual([
      ['c', 'h', 'name'],
      ['h', 'name'],
    ]);
    expect(s.layers[0].h).toEqual(new Float32Array(12));
    expect(s.layers[1].h!.length).toBe(8);
  });

  test('step does not modify the state it is given', () => {
    const model = model2();
    const x = randomNormal([B, T, F], 0, 1, 'float32', 21);
    const { state } = runSteps(model, x, undefined, 0, 3);
    const copy = cloneState(state);
    model.step(stepOf(x, 3), state);
    expect(state).toEqual(copy);
  });

  test('each step returns new arrays: later steps never write into a state or output already returned', () => {
    const model = model2();
    const x = randomNormal([B, T, F], 0, 1, 'float32', 26);
    let s = model.initState(B);
    const kept: { state: StreamState; copy: StreamState; y: Tensor; yCopy: number[] }[] = [];
    for (let t = 0; t < T; t++) {
      const [y, next] = model.step(stepOf(x, t), s);
      kept.push({ state: next, copy: cloneState(next), y, yCopy: Array.from(y.values) });
      s = next;
    }
    for (const k of kept) {
      expect(k.state).toEqual(k.copy);
      expect(Array.from(k.y.values)).toEqual(k.yCopy);
    }
    // Every returned array owns its whole buffer (a transfer of one to a worker moves nothing else), none shared.
    const arrays = kept.flatMap((k) => [
      k.y.values,
      ...k.state.layers.flatMap((l) => [l.h!, l.c].filter((a) => a !== undefined && a !== null)),
    ]);
    for (const a of arrays) {
      expect(a.byteOffset).toBe(0);
      expect(a.buffer.byteLength).toBe(a.byteLength);
    }
    expect(new Set(arrays.map((a) => a.buffer)).size).toBe(arrays.length);
  });

  test('survives structuredClone and a JSON round trip', () => {
    const model = model2();
    const x = randomNormal([B, T, F], 0, 1, 'float32', 22);
    const { state } = runSteps(model, x, undefined, 0, 4);
    const viaClone = structuredClone(state);
    const viaJson = stateFromJSON(JSON.parse(JSON.stringify(stateToJSON(state))));
    const viaText = stateFromJSON(JSON.stringify(stateToJSON(state)));
    expect(viaJson).toEqual(state);
    const ref = runSteps(model, x, state, 4).ys;
    for (const s of [viaClone, viaJson, viaText]) {
      const ys = runSteps(model, x, s, 4).ys;
      ys.forEach((y, i) => expect(Array.from(y.values)).toEqual(Array.from(ref[i].values)));
    }
    expectClose(ref[ref.length - 1].values, model.predict(x).values);
  });

  test('two interleaved streams give the results of separate runs', () => {
    const model = model2();
    const xa = randomNormal([1, T, F], 0, 1, 'float32', 23);
    const xb = randomNormal([1, T, F], 0, 1, 'float32', 24);
    const alone = [runSteps(model, xa).ys, runSteps(model, xb).ys];
    let sa = model.initState(1);
    let sb = model.initState(1);
    for (let t = 0; t < T; t++) {
      const [ya, na] = model.step(stepOf(xa, t), sa);
      const [yb, nb] = model.step(stepOf(xb, t), sb);
      expect(Array.from(ya.values)).toEqual(Array.from(alone[0][t].values));
      expect(Array.from(yb.values)).toEqual(Array.from(alone[1][t].values));
      sa = na;
      sb = nb;
    }
  });

  test('a stateful model is stepped from the given state; its own states stay untouched', () => {
    const model = sequential({ layers: [layers.lstm({ units: 3, stateful: true, batchInputShape: [2, T, F] })] });
    const x = randomNormal([2, T, F], 0, 1, 'float32', 25);
    model.predict(x);
    const own = (model.layers[0] as unknown as { states: Tensor[] }).states.map((t) => Array.from(t.values));
    model.resetStates();
    const whole = model.predict(x);
    model.resetStates();
    const { ys } = runSteps(model, x);
    expectClose(ys[T - 1].values, whole.values);
    expect((model.layers[0] as unknown as { states: Tensor[] }).states.map((t) => Array.from(t.values))).toEqual(
      own.map((v) => v.map(() => 0)),
    );
  });
});

describe('errors', () => {
  test('models that need the whole sequence are refused, naming the layer', () => {
    const bi = sequential({
      layers: [layers.bidirectional({ layer: layers.lstm({ units: 2 }), inputShape: [T, F] }), layers.dense({ units: 1 })],
    });
    expect(() => bi.initState(1)).toThrow(/step\(\) cannot run layer 'bidirectional.*' \(Bidirectional\): .*both ends/);
    const pool = sequential({
      layers: [layers.lstm({ units: 2, returnSequences: true, inputShape: [T, F] }), layers.globalAveragePooling1d({})],
    });
    expect(() => pool.initState(1)).toThrow(/cannot run layer 'global_average_pooling1_?d.*' \(GlobalAveragePooling1D\)/);
    const back = sequential({ layers: [layers.gru({ units: 2, goBackwards: true, inputShape: [T, F] })] });
    expect(() => back.initState(1)).toThrow(/cannot run layer 'gru.*' \(GRU\): goBackwards needs the whole sequence/);
    const masked = sequential({ layers: [layers.masking({ inputShape: [T, F] }), layers.lstm({ units: 2 })] });
    expect(() => masked.initState(1)).toThrow(/cannot run layer 'masking.*' \(Masking\): it produces a mask/);
    const emb = sequential({
      layers: [layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true, inputLength: T }), layers.lstm({ units: 2 })],
    });
    expect(() => emb.initState(1)).toThrow(/cannot run layer 'embedding.*' \(Embedding\): .*maskZero/);
    const dense = sequential({ layers: [layers.dense({ units: 2, inputShape: [F] })] });
    expect(() => dense.initState(1)).toThrow(/step\(\) needs sequence inputs|needs a model with a recurrent layer/);
    const same = sequential({
      layers: [layers.conv1d({ filters: 2, kernelSize: 3, padding: 'same', inputShape: [T, F] }), layers.lstm({ units: 2 })],
    });
    expect(() => same.initState(1)).toThrow(/cannot run layer 'conv1d.*' \(Conv1D\): its padding is 'same': only padding 'causal' streams/);
    const strided = sequential({
      layers: [layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, padding: 'causal', inputShape: [T, F] }), layers.lstm({ units: 2 })],
    });
    expect(() => strided.initState(1)).toThrow(/cannot run layer 'conv1d.*' \(Conv1D\): its strides are 2: only strides 1 streams/);
    // Layers after the end of the sequence now run as in predict (streaming_after_end.test.ts); a Reshape before it cannot.
    const beforeEnd = sequential({
      layers: [
        layers.lstm({ units: 2, returnSequences: true, inputShape: [T, F] }),
        layers.reshape({ targetShape: [T * 2] }),
        layers.dense({ units: 1 }),
      ],
    });
    expect(() => beforeEnd.initState(1)).toThrow(/cannot run layer 'reshape.*' \(Reshape\)/);
    const unbuilt = sequential({ layers: [layers.lstm({ units: 2 })] });
    expect(() => unbuilt.initState(1)).toThrow(/needs a built model/);
  });

  test('bad xt and states are refused with the expected shapes', () => {
    const model = sequential({ layers: [layers.lstm({ units: 3, inputShape: [T, F] })] });
    const s = model.initState(2);
    expect(() => model.step(randomNormal([2, F + 1]), s)).toThrow(/xt has shape \[2,6\], but one step of this model takes \[2,5\]/);
    expect(() => model.step(randomNormal([3, F]), s)).toThrow(/xt has shape \[3,5\].*\[2,5\].*batch 2/);
    expect(() => model.initState(0)).toThrow(/batch must be a positive integer, received 0/);
    const other = sequential({ layers: [layers.lstm({ units: 3, inputShape: [T, F] })] }).initState(2);
    expect(() => model.step(randomNormal([2, F]), other)).toThrow(
      /belongs to layer 'lstm.*', but this model's stateful layer 0 is 'lstm.*'/,
    );
    const broken = cloneState(s);
    broken.layers[0].c = new Float32Array(5);
    expect(() => model.step(randomNormal([2, F]), broken)).toThrow(
      /needs c as a Float32Array of 6 values \(\[batch 2, 3\]\), received 5 values/,
    );
    expect(() => model.step(randomNormal([2, F]), null as unknown as StreamState)).toThrow(
      /state must be an object made by model.initState/,
    );
    expect(() => stateFromJSON('{"batch": 1, "layers": [{"name": "x", "h": ["a"]}]}')).toThrow(/layers\[0\].h must be an array of numbers/);
  });
});

describe('per-step layers beside the recurrence', () => {
  test('BatchNormalization, LeakyReLU, PReLU (per feature), GaussianNoise stream as predict runs the sequence', () => {
    const { tensor: mk } = require('@recurrent/core');
    const { layers: L } = require('@recurrent/layers');
    const { sequential: seq } = require('@recurrent/models');
    const m = seq({
      layers: [
        L.gru({ units: 3, returnSequences: true, inputShape: [null, 2] }),
        L.batchNormalization({}),
        L.leakyReLU({ alpha: 0.2 }),
        L.prelu({ sharedAxes: [1] }),
        L.gaussianNoise({ stddev: 0.5 }),
        L.dense({ units: 1 }),
      ],
    });
    // Non-trivial moving statistics and slopes, so each layer changes the numbers.
    m.setWeights(
      m.getWeights().map((w: any, i: number) =>
        mk(
          Array.from({ length: w.size }, (_v, k) => (i % 2 ? 0.5 : -0.3) + 0.1 * ((k * 7 + i) % 5)),
          w.shape,
        ),
      ),
    );
    const xs = mk(
      Array.from({ length: 10 }, (_v, k) => Math.sin(k + 1)),
      [1, 5, 2],
    );
    const full = m.predict(xs).dataSync();
    let state = m.initState(1);
    const xv = xs.dataSync();
    for (let t = 0; t < 5; t++) {
      const [y, next] = m.step(mk([xv[2 * t], xv[2 * t + 1]], [1, 2]), state);
      expect(y.dataSync()[0]).toBeCloseTo(full[t], 5);
      state = next;
    }
    const bad = seq({ layers: [L.gru({ units: 3, returnSequences: true, inputShape: [4, 2] }), L.prelu({}), L.dense({ units: 1 })] });
    expect(() => bad.initState(1)).toThrow(/step\(\) cannot run layer 'p_re_lu.*|prelu.*' \(PReLU\): its slopes vary over time steps/);
  });
});

describe('LayerNormalization between recurrences', () => {
  test('over the features of each step it streams as predict runs the sequence (it was refused: "it needs the whole sequence")', () => {
    const m = sequential({
      layers: [
        layers.lstm({ units: 4, returnSequences: true, inputShape: [null, 3] }),
        layers.layerNormalization({ axis: -1 }),
        layers.gru({ units: 2, returnSequences: true }),
        layers.layerNormalization({ axis: [2] }),
      ],
    });
    // gamma and beta away from 1 and 0, so the layer changes the numbers.
    m.setWeights(m.getWeights().map((w, i) => randomNormal(w.shape, 0, 0.7, 'float32', 40 + i)));
    const x = randomNormal([2, 5, 3], 0, 1, 'float32', 9);
    const whole = m.predict(x) as Tensor;
    let s = m.initState(2);
    for (let t = 0; t < 5; t++) {
      const [y, next] = m.step(stepOf(x, t), s);
      s = next;
      expectClose(y.values, stepOf(whole, t).values);
    }
  });

  test('over the time axis it is refused, naming the axis', () => {
    const m = sequential({
      layers: [
        layers.lstm({ units: 4, returnSequences: true, inputShape: [6, 3] }),
        layers.layerNormalization({ axis: [1, 2], name: 'ln' }),
      ],
    });
    expect(() => m.initState(1)).toThrow(
      /step\(\) cannot run layer 'ln' \(LayerNormalization\): its axis \[1,2\] includes the time axis \(1\); step\(\) runs it only over the features of each step/,
    );
  });
});

describe('integer inputs', () => {
  test('an int32 step gives what predict gives on the int32 sequence (step refused it: "needs float32 inputs")', () => {
    const models = [
      sequential({ layers: [layers.gru({ units: 2, inputShape: [null, 3] }), layers.dense({ units: 1 })] }),
      sequential({ layers: [layers.convLstm1d({ filters: 2, kernelSize: 2, inputShape: [null, 3, 1] })] }),
    ];
    for (const m of models) {
      const frame = m.inputs[0].shape.slice(2) as number[];
      const n = 2 * 3 * frame.reduce((p, q) => p * q, 1);
      const x = tensor(
        Array.from({ length: n }, (_v, k) => (k % 5) - 2),
        [2, 3, ...frame],
        'int32',
      );
      let s = m.initState(2);
      let y: Tensor | null = null;
      for (let t = 0; t < 3; t++) [y, s] = m.step(stepOf(x, t), s);
      expectClose(y!.values, (m.predict(x) as Tensor).values);
    }
  });
});
