/**
 * model.step against predict over randomly assembled models (fast-check): per-step layers before the recurrence
 * (Dense, TimeDistributed(Dense), causal Conv1D), one or two recurrent layers (LSTM, GRU with or without resetAfter,
 * SimpleRNN, an RNN over stacked cells), per-step layers between them, and layers after the end of the sequence
 * (Dense, RepeatVector → TimeDistributed(Dense) → Flatten, Reshape). Step t's output must equal predict on the
 * first t + 1 steps; the state goes through initState again halfway on a second pass (a reset must start afresh).
 */
import fc from 'fast-check';
import { randomNormal, Tensor, tensor } from '@recurrent/core';
import { Layer, layers, resetNameCounters } from '@recurrent/layers';
import { sequential } from '@recurrent/models';
import type { LayersModel } from '@recurrent/models';

const T = 4;

function stepOf(x: Tensor, t: number): Tensor {
  const [b, time, ...rest] = x.shape;
  const inner = rest.reduce((p, q) => p * q, 1);
  const out = new Float32Array(b * inner);
  for (let i = 0; i < b; i++) out.set((x.values as Float32Array).subarray((i * time + t) * inner, (i * time + t + 1) * inner), i * inner);
  return tensor(out, [b, ...rest], 'float32');
}

const prefix = (x: Tensor, n: number): Tensor =>
  x.slice(
    x.shape.map(() => 0),
    x.shape.map((d, k) => (k === 1 ? n : d)),
  );

function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
}

type Rnn = 'lstm' | 'gru' | 'gruResetBefore' | 'simpleRNN' | 'stacked';
const rnnLayer = (kind: Rnn, units: number, returnSequences: boolean, extra: object = {}): Layer => {
  if (kind === 'lstm') return layers.lstm({ units, returnSequences, ...extra });
  if (kind === 'gru') return layers.gru({ units, returnSequences, ...extra });
  if (kind === 'gruResetBefore') return layers.gru({ units, returnSequences, resetAfter: false, ...extra });
  if (kind === 'simpleRNN') return layers.simpleRNN({ units, returnSequences, activation: 'relu', ...extra });
  return layers.rnn({ cell: [layers.lstmCell({ units }), layers.gruCell({ units: units + 1 })], returnSequences, ...extra });
};

const rnnKind = fc.constantFrom<Rnn>('lstm', 'gru', 'gruResetBefore', 'simpleRNN', 'stacked');
const modelArb = fc.record({
  features: fc.integer({ min: 1, max: 3 }),
  pre: fc.constantFrom('none', 'dense', 'timeDistributedDense', 'causalConv1d'),
  first: rnnKind,
  second: fc.option(rnnKind, { nil: null }),
  between: fc.boolean(),
  ends: fc.boolean(),
  after: fc.constantFrom('none', 'dense', 'repeatTimeDistributedFlatten', 'reshape'),
  batch: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 1000 }),
});

type Config = typeof modelArb extends fc.Arbitrary<infer U> ? U : never;

function build(c: Config): { model: LayersModel; sequences: boolean } {
  const input = { inputShape: [null, c.features] };
  const ls: Layer[] = [];
  let first = true;
  const firstArgs = () => (first ? ((first = false), input) : {});
  if (c.pre === 'dense') ls.push(layers.dense({ units: 3, activation: 'tanh', ...firstArgs() }));
  if (c.pre === 'timeDistributedDense') ls.push(layers.timeDistributed({ layer: layers.dense({ units: 3 }), ...firstArgs() }));
  if (c.pre === 'causalConv1d') ls.push(layers.conv1d({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 1, ...firstArgs() }));
  const two = c.second !== null;
  ls.push(rnnLayer(c.first, 3, two || !c.ends, firstArgs()));
  if (two && c.between) ls.push(layers.dense({ units: 2, activation: 'sigmoid' }));
  if (two) ls.push(rnnLayer(c.second!, 2, !c.ends));
  const ended = c.ends;
  if (ended && c.after === 'dense') ls.push(layers.dense({ units: 2 }));
  if (ended && c.after === 'repeatTimeDistributedFlatten') {
    ls.push(layers.repeatVector({ n: 2 }), layers.timeDistributed({ layer: layers.dense({ units: 2 }) }), layers.flatten({}));
  }
  if (ended && c.after === 'reshape') ls.push(layers.reshape({ targetShape: [-1, 1] }));
  if (!ended) ls.push(layers.dense({ units: 2 }));
  return { model: sequential({ layers: ls }), sequences: !ended };
}

describe('model.step equals predict on every prefix, for random model shapes', () => {
  it('holds (and a fresh initState starts over)', () => {
    fc.assert(
      fc.property(modelArb, (c) => {
        resetNameCounters();
        const { model, sequences } = build(c);
        model.setWeights(model.weights.map((w, i) => randomNormal(w.shape, 0, 0.6, 'float32', c.seed + i)));
        const x = randomNormal([c.batch, T, c.features], 0, 1, 'float32', c.seed + 500);
        const outs: Float32Array[] = [];
        let s = model.initState(c.batch);
        for (let t = 0; t < T; t++) {
          const [y, next] = model.step(stepOf(x, t), s);
          s = next;
          const whole = model.predict(prefix(x, t + 1)) as Tensor;
          const want = sequences ? stepOf(whole, t) : whole;
          expect(y.shape).toEqual(want.shape);
          expect(worst(y.values, want.values)).toBeLessThanOrEqual(1e-5);
          outs.push(Float32Array.from(y.values as Float32Array));
        }
        // A reset: a fresh state gives the first steps' outputs again.
        s = model.initState(c.batch);
        for (let t = 0; t < 2; t++) {
          const [y, next] = model.step(stepOf(x, t), s);
          s = next;
          expect(worst(y.values, outs[t])).toBe(0);
        }
      }),
      { numRuns: 40, seed: 8 },
    );
  });
});
