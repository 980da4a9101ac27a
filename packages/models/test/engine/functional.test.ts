/**
 * The functional API as a tfjs user meets it: symbolic tensors and shapes, graph inspection (`model.inputs`,
 * `layer.output`, `inboundNodes`), several inputs/outputs by array or by name, lossWeights against a hand-written
 * tfjs training step, separate inference models sharing trained layers (the seq2seq pattern), a Sequential inside a
 * graph, summary's 'Receives inputs' column, streaming through a chain graph, and bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { Tensor, tensor } from '@recurrent/core';
import { input, layers, resetNameCounters, SymbolicTensor } from '@recurrent/layers';
import { data, io, LayersModel, loadLayersModel, model, sequential, train } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { lcgData, worstRatio } from './parity_helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

const vals = (t: Tensor | Tensor[]) => Array.from((t as Tensor).dataSync());

describe('symbolic tensors and graph inspection', () => {
  test('shapes are inferred and the graph can be read as in tfjs', () => {
    const x = input({ shape: [5, 3], name: 'seq' });
    expect(x.shape).toEqual([null, 5, 3]);
    expect(x.dtype).toBe('float32');
    const lstm = layers.lstm({ units: 4, returnSequences: true, returnState: true, name: 'enc' });
    const [seq, h, c] = lstm.apply(x) as SymbolicTensor[];
    expect([seq.shape, h.shape, c.shape]).toEqual([
      [null, 5, 4],
      [null, 4],
      [null, 4],
    ]);
    const y = layers.dense({ units: 2, name: 'head' }).apply(h) as SymbolicTensor;
    const m = model({ inputs: x, outputs: [y, c] });
    expect(m.inputs[0]).toBe(x);
    expect(m.outputs).toEqual([y, c]);
    expect(m.input).toBe(x);
    expect(m.inputNames).toEqual(['seq']);
    expect(m.outputNames).toEqual(['head', 'enc']);
    expect(m.layers.map((l) => l.name)).toEqual(['seq', 'enc', 'head']);
    expect(m.getLayer('enc').output).toEqual([seq, h, c]);
    expect(m.getLayer('head').input).toBe(h);
    expect(m.getLayer('head').outputShape).toEqual([null, 2]);
    expect(lstm.inboundNodes[0].inboundLayers[0].name).toBe('seq');
    expect(m.outputShape).toEqual([
      [null, 2],
      [null, 4],
    ]);
    const xs = tensor(lcgData(2 * 5 * 3, 1), [2, 5, 3]);
    const [yv, cv] = m.predict(xs) as Tensor[];
    expect(yv.shape).toEqual([2, 2]);
    expect(cv.shape).toEqual([2, 4]);
    // The outputs are the layers' own outputs on the same data.
    const [, , cDirect] = lstm.apply(xs) as Tensor[];
    expect(worstRatio(vals(cv), vals(cDirect), 0, 1e-6)).toBeLessThanOrEqual(1);
  });

  test('a Sequential also exposes inputs, outputs and layer outputs', () => {
    const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [2], name: 'a' }), layers.dense({ units: 1, name: 'b' })] });
    expect(m.inputs[0].shape).toEqual([null, 2]);
    expect(m.outputs[0].shape).toEqual([null, 1]);
    expect(m.getLayer('a').output).toBe(m.getLayer('b').input);
    expect(m.outputNames).toEqual(['b']);
  });
});

describe('several inputs and outputs', () => {
  function twoHeads(): LayersModel {
    const a = input({ shape: [3], name: 'a' });
    const b = input({ shape: [2], name: 'b' });
    const h = layers.dense({ units: 4, activation: 'tanh', name: 'trunk' }).apply(layers.concatenate([a, b])) as SymbolicTensor;
    const p = layers.dense({ units: 1, name: 'p' }).apply(h) as SymbolicTensor;
    const q = layers.dense({ units: 2, name: 'q' }).apply(h) as SymbolicTensor;
    const m = model({ inputs: [a, b], outputs: [p, q] });
    m.setWeights(m.getWeights().map((w, i) => tensor(lcgData(w.size, 50 + i), w.shape)));
    return m;
  }
  const N = 6;
  const xa = tensor(lcgData(N * 3, 2), [N, 3]);
  const xb = tensor(lcgData(N * 2, 3), [N, 2]);
  const yp = tensor(lcgData(N, 4), [N, 1]);
  const yq = tensor(lcgData(N * 2, 5), [N, 2]);

  test('data by array or by name gives the same results; logs name each output', async () => {
    const m1 = twoHeads();
    const m2 = twoHeads();
    m1.compile({ optimizer: train.sgd(0.1), loss: ['meanSquaredError', 'meanAbsoluteError'], metrics: ['mse'] });
    m2.compile({ optimizer: train.sgd(0.1), loss: { q: 'meanAbsoluteError', p: 'meanSquaredError' }, metrics: { p: ['mse'], q: ['mse'] } });
    expect(m1.metricsNames).toEqual(['loss', 'p_loss', 'q_loss', 'p_mse', 'q_mse']);
    const h1 = await m1.fit([xa, xb], [yp, yq], { epochs: 2, batchSize: 3, shuffle: false, verbose: 0 });
    const h2 = await m2.fit({ b: xb, a: xa }, { q: yq, p: yp }, { epochs: 2, batchSize: 3, shuffle: false, verbose: 0 });
    expect(Object.keys(h1.history).sort()).toEqual(['loss', 'p_loss', 'p_mse', 'q_loss', 'q_mse']);
    expect(h2.history.loss).toEqual(h1.history.loss);
    // The total is the sum of the per-output losses (all weights 1), and p_mse equals p_loss (the loss is mse).
    h1.history.loss.forEach((l, i) => expect(l).toBeCloseTo(h1.history.p_loss[i] + h1.history.q_loss[i], 5));
    h1.history.p_mse.forEach((v, i) => expect(v).toBeCloseTo(h1.history.p_loss[i], 6));
    const ev = m1.evaluate([xa, xb], [yp, yq]) as Tensor[];
    expect(ev.length).toBe(5);
  });

  test('model.fitDataset trains a two-input, two-output model from {xs, ys} batches as fit does on the same batches', async () => {
    const m1 = twoHeads();
    const m2 = twoHeads();
    for (const m of [m1, m2]) m.compile({ optimizer: train.sgd(0.1), loss: ['meanSquaredError', 'meanAbsoluteError'] });
    const h1 = await m1.fit([xa, xb], [yp, yq], { epochs: 2, batchSize: 3, shuffle: false, verbose: 0 });
    const rows = Array.from({ length: N }, (_v, i) => ({
      xs: { a: xa.slice([i, 0], [1, 3]).reshape([3]), b: xb.slice([i, 0], [1, 2]).reshape([2]) },
      ys: { p: yp.slice([i, 0], [1, 1]).reshape([1]), q: yq.slice([i, 0], [1, 2]).reshape([2]) },
    }));
    const h2 = await m2.fitDataset(data.array(rows).batch(3), { epochs: 2, verbose: 0 });
    h1.history.loss.forEach((l, i) => expect(h2.history.loss[i]).toBeCloseTo(l, 5));
    m2.getWeights().forEach((w, i) => expect(worstRatio(vals(w), vals(m1.getWeights()[i]), 1e-5, 1e-7)).toBeLessThanOrEqual(1));
    const ev = (await m2.evaluateDataset(data.array(rows).batch(3))) as Tensor[];
    expect(ev[0].dataSync()[0]).toBeCloseTo((m2.evaluate([xa, xb], [yp, yq]) as Tensor[])[0].dataSync()[0], 5);
  });

  test('lossWeights: one sgd step equals tfjs minimizing 2·mse(p) + 0.5·mae(q) by hand', async () => {
    const ours = twoHeads();
    ours.compile({ optimizer: train.sgd(0.1), loss: ['meanSquaredError', 'meanAbsoluteError'], lossWeights: { p: 2, q: 0.5 } });
    // The same graph in tfjs with the same weights, trained with an explicit weighted loss.
    const a = tf.input({ shape: [3] });
    const b = tf.input({ shape: [2] });
    const h = tf.layers.dense({ units: 4, activation: 'tanh' }).apply(tf.layers.concatenate().apply([a, b])) as tf.SymbolicTensor;
    const theirs = tf.model({
      inputs: [a, b],
      outputs: [tf.layers.dense({ units: 1 }).apply(h) as tf.SymbolicTensor, tf.layers.dense({ units: 2 }).apply(h) as tf.SymbolicTensor],
    });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync() as Float32Array, w.shape)));
    const ta = tf.tensor(xa.dataSync() as Float32Array, [N, 3]);
    const tb = tf.tensor(xb.dataSync() as Float32Array, [N, 2]);
    const tp = tf.tensor(yp.dataSync() as Float32Array, [N, 1]);
    const tq = tf.tensor(yq.dataSync() as Float32Array, [N, 2]);
    tf.train.sgd(0.1).minimize(() => {
      const [op, oq] = theirs.apply([ta, tb], { training: true }) as tf.Tensor[];
      return tf.add(tf.mul(2, tf.losses.meanSquaredError(tp, op)), tf.mul(0.5, tf.mean(tf.abs(tf.sub(tq, oq))))) as tf.Scalar;
    });
    const loss = await ours.trainOnBatch([xa, xb], [yp, yq]);
    expect(Array.isArray(loss)).toBe(true);
    const [total, lp, lq] = loss as number[];
    expect(total).toBeCloseTo(2 * lp + 0.5 * lq, 5);
    const tw = theirs.getWeights();
    ours.getWeights().forEach((w, i) => expect(worstRatio(vals(w), Array.from(tw[i].dataSync()), 1e-4, 1e-6)).toBeLessThanOrEqual(1));
  });

  test('inference models share the trained layers of a training model (the seq2seq pattern)', () => {
    const T = 4;
    const encIn = input({ shape: [T, 2], name: 'enc_in' });
    const encoder = layers.lstm({ units: 3, returnState: true, name: 'encoder' });
    const [, h, c] = encoder.apply(encIn) as SymbolicTensor[];
    const decIn = input({ shape: [null, 2], name: 'dec_in' });
    const decoder = layers.lstm({ units: 3, returnSequences: true, returnState: true, name: 'decoder' });
    const [decSeq] = decoder.apply(decIn, { initialState: [h, c] }) as SymbolicTensor[];
    const head = layers.dense({ units: 2, name: 'head' });
    const training = model({ inputs: [encIn, decIn], outputs: head.apply(decSeq) as SymbolicTensor });
    // Inference: an encoder model, and a one-step decoder model with state inputs and outputs.
    const encoderModel = model({ inputs: encIn, outputs: [h, c] });
    const hIn = input({ shape: [3], name: 'h_in' });
    const cIn = input({ shape: [3], name: 'c_in' });
    const stepIn = input({ shape: [1, 2], name: 'step_in' });
    const [stepSeq, h2, c2] = decoder.apply(stepIn, { initialState: [hIn, cIn] }) as SymbolicTensor[];
    const decoderModel = model({ inputs: [stepIn, hIn, cIn], outputs: [head.apply(stepSeq) as SymbolicTensor, h2, c2] });
    expect(decoder.inboundNodes.length).toBe(2);
    expect(decoderModel.getWeights().length).toBe(decoder.getWeights().length + head.getWeights().length);
    // Step by step with the inference models = the training model on the whole sequence.
    const xe = tensor(lcgData(2 * T * 2, 7), [2, T, 2]);
    const xd = tensor(lcgData(2 * 3 * 2, 8), [2, 3, 2]);
    const full = training.predict([xe, xd]) as Tensor;
    let [sh, sc] = encoderModel.predict(xe) as Tensor[];
    const xdv = xd.dataSync();
    for (let t = 0; t < 3; t++) {
      const xt = tensor([xdv[t * 2], xdv[t * 2 + 1], xdv[6 + t * 2], xdv[6 + t * 2 + 1]], [2, 1, 2]);
      const [yt, nh, nc] = decoderModel.predict([xt, sh, sc]) as Tensor[];
      const fv = full.dataSync();
      const expected = [fv[t * 2], fv[t * 2 + 1], fv[6 + t * 2], fv[6 + t * 2 + 1]];
      expect(worstRatio(vals(yt), expected, 0, 1e-5)).toBeLessThanOrEqual(1);
      [sh, sc] = [nh, nc];
    }
  });

  test('a Sequential applied inside a graph; summary lists what each layer receives', () => {
    const inner = sequential({ layers: [layers.dense({ units: 3, inputShape: [4], name: 'in_a' })], name: 'inner' });
    const a = input({ shape: [4], name: 'a' });
    const b = input({ shape: [4], name: 'b' });
    const sum = layers.add([inner.apply(a) as SymbolicTensor, inner.apply(b) as SymbolicTensor]);
    const m = model({ inputs: [a, b], outputs: sum, name: 'siamese' });
    const lines: string[] = [];
    m.summary(undefined, undefined, (s: string) => lines.push(s));
    const text = lines.join('\n');
    expect(text).toMatch(/Receives inputs/);
    expect(text).toMatch(/add \(Add\).*inner\[1\]\[0\]/);
    expect(text).toMatch(/^\s+inner\[2\]\[0\]\s*$/m);
    expect(text).toMatch(/Total params: 15/);
    const x = tensor(lcgData(8, 9), [2, 4]);
    const ia = inner.predict(x);
    expect(
      worstRatio(
        vals(m.predict([x, x]) as Tensor),
        vals(ia).map((v) => 2 * v),
        0,
        1e-5,
      ),
    ).toBeLessThanOrEqual(1);
  });

  test('constants as symbolic inputs: an attention cell over the encoder outputs inside the decoder loop', async () => {
    const enc = input({ shape: [5, 3] });
    const encoder = layers.lstm({ units: 4, returnSequences: true });
    const memory = encoder.apply(enc) as SymbolicTensor;
    const dec = input({ shape: [4, 2] });
    const decoder = layers.rnn({ cell: layers.attentionCell({ cell: layers.lstmCell({ units: 3 }), units: 4 }), returnSequences: true });
    const out = decoder.apply(dec, { constants: [memory] }) as SymbolicTensor;
    expect(out.shape).toEqual([null, 4, 3]);
    expect(decoder.inboundNodes[0].inputTensors.map((t) => t.sourceLayer)).toEqual([dec.sourceLayer, encoder]);
    const m = model({ inputs: [enc, dec], outputs: out });
    const xe = tensor(lcgData(2 * 5 * 3, 11), [2, 5, 3]);
    const xd = tensor(lcgData(2 * 4 * 2, 12), [2, 4, 2]);
    const eager = decoder.apply(xd, { constants: [encoder.apply(xe) as Tensor] }) as Tensor;
    expect(worstRatio(vals(m.predict([xe, xd]) as Tensor), vals(eager), 0, 1e-6)).toBeLessThanOrEqual(1);
    // Saved and loaded: the constants come back as the decoder's constants, not as initial states.
    let saved: ModelArtifacts | undefined;
    await m.save(
      io.withSaveHandler(async (a: ModelArtifacts) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } } as never;
      }),
    );
    const loaded = await loadLayersModel(io.fromMemory(saved!));
    expect(worstRatio(vals(loaded.predict([xe, xd]) as Tensor), vals(eager), 0, 1e-6)).toBeLessThanOrEqual(1);
  });

  test('symbolic initial states through stacked cells (tfjs order of the states) equal the eager call', () => {
    const x = input({ shape: [4, 2] });
    // tfjs's StackedRNNCells lists the states of the last cell first: [gru h (5), lstm h (3), lstm c (3)].
    const states = [input({ shape: [5] }), input({ shape: [3] }), input({ shape: [3] })];
    const stacked = layers.rnn({ cell: [layers.lstmCell({ units: 3 }), layers.gruCell({ units: 5 })], returnSequences: true });
    const out = stacked.apply(x, { initialState: states }) as SymbolicTensor;
    expect(out.shape).toEqual([null, 4, 5]);
    const m = model({ inputs: [x, ...states], outputs: out });
    const xv = tensor(lcgData(2 * 4 * 2, 21), [2, 4, 2]);
    const sv = [tensor(lcgData(10, 24), [2, 5]), tensor(lcgData(6, 22), [2, 3]), tensor(lcgData(6, 23), [2, 3])];
    const eager = stacked.apply(xv, { initialState: sv }) as Tensor;
    expect(worstRatio(vals(m.predict([xv, ...sv]) as Tensor), vals(eager), 0, 1e-6)).toBeLessThanOrEqual(1);
    // The states matter: zero states give something else.
    const zero = stacked.apply(xv) as Tensor;
    expect(worstRatio(vals(zero), vals(eager), 0, 1e-3)).toBeGreaterThan(1);
  });

  test('step() streams a chain graph as predict runs the whole sequence', () => {
    const x = input({ shape: [null, 2] });
    const s = layers.gru({ units: 3, returnSequences: true }).apply(x) as SymbolicTensor;
    const m = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(s) as SymbolicTensor });
    const xs = tensor(lcgData(5 * 2, 10), [1, 5, 2]);
    const full = vals(m.predict(xs) as Tensor);
    let state = m.initState(1);
    const xv = xs.dataSync();
    for (let t = 0; t < 5; t++) {
      const [y, next] = m.step(tensor([xv[2 * t], xv[2 * t + 1]], [1, 2]), state);
      expect(y.dataSync()[0]).toBeCloseTo(full[t], 5);
      state = next;
    }
    const a = input({ shape: [null, 2] });
    const b = input({ shape: [null, 2] });
    const two = model({ inputs: [a, b], outputs: layers.add([a, b]) });
    expect(() => two.initState(1)).toThrow(/step\(\) runs models with one input and one output; this one has 2 and 1/);
  });
});

describe('bad input', () => {
  test('a layer applied to a symbolic tensor of the wrong shape names the layer and shape', () => {
    const x = input({ shape: [4] });
    expect(() => layers.lstm({ units: 2, name: 'rnn' }).apply(x)).toThrow(/Layer rnn.*rank ≥ 3|layer rnn.*ndim=3/i);
    const a = input({ shape: [3] });
    const b = input({ shape: [4] });
    expect(() => layers.add([a, b])).toThrow(/\[null,3\].*\[null,4\]|shape/);
  });

  test('outputs not reachable from the inputs, duplicate names, concrete tensors', () => {
    const a = input({ shape: [2], name: 'a' });
    const b = input({ shape: [2], name: 'b' });
    const y = layers.dense({ units: 1 }).apply(b) as SymbolicTensor;
    expect(() => model({ inputs: a, outputs: y })).toThrow(
      /graph disconnected: cannot obtain a value for tensor b\/0\/0 \(input layer 'b'\)/,
    );
    const z = layers.dense({ units: 1, name: 'same' }).apply(a) as SymbolicTensor;
    const w = layers.dense({ units: 1, name: 'same' }).apply(z) as SymbolicTensor;
    expect(() => model({ inputs: a, outputs: w })).toThrow(/the layer name 'same' is used by two layers/);
    expect(() => model({ inputs: a, outputs: tensor([1]) as never })).toThrow(/outputs\[0\] must be a symbolic tensor.*concrete Tensor/);
    expect(() => model({ inputs: a, outpts: y } as never)).toThrow(/unknown option 'outpts'; did you mean 'outputs'/);
    expect(() => layers.dense({ units: 1 }).apply(a, { initialState: tensor([1]) as never })).toThrow(/initialState is a concrete Tensor/);
  });

  test('fit with the wrong number of inputs or targets, or unknown names', async () => {
    const a = input({ shape: [2], name: 'a' });
    const b = input({ shape: [2], name: 'b' });
    const m = model({
      inputs: [a, b],
      outputs: layers.dense({ units: 1, name: 'out' }).apply(layers.concatenate([a, b])) as SymbolicTensor,
    });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = tensor(lcgData(8, 1), [4, 2]);
    const y = tensor(lcgData(4, 2), [4, 1]);
    await expect(m.fit(x, y)).rejects.toThrow(/fit: the model has 2 input\(s\) \(a, b\), but x has 1 tensor/);
    await expect(m.fit({ a: x, c: x } as never, y)).rejects.toThrow(/fit: unknown name 'c' in x; the model's names are: a, b/);
    await expect(m.fit([x, x], [y, y])).rejects.toThrow(/fit: y must be one Tensor \(the model has one output\), received an array of 2/);
    await expect(m.fit([x, tensor(lcgData(6, 1), [3, 2])], y)).rejects.toThrow(
      /x\['a'\] and x\['b'\] must have the same number of samples/,
    );
    expect(() => m.compile({ optimizer: 'sgd', loss: { nope: 'mse' } })).toThrow(
      /compile: unknown output 'nope' in loss; the model's outputs are: out/,
    );
  });

  test('predict refuses inputs with different numbers of samples (as tfjs and Keras)', () => {
    // Each output here reads one input: predict ran, batching by the first input's count, and returned 40 rows of
    // an output whose input had 50 (10 samples silently dropped).
    const a = input({ shape: [2], name: 'a' });
    const b = input({ shape: [2], name: 'b' });
    const m = model({
      inputs: [a, b],
      outputs: [layers.dense({ units: 1 }).apply(a) as SymbolicTensor, layers.dense({ units: 1 }).apply(b) as SymbolicTensor],
    });
    const xa = tensor(lcgData(80, 1), [40, 2]);
    const xb = tensor(lcgData(100, 2), [50, 2]);
    const message = /^predict: x\['a'\] and x\['b'\] must have the same number of samples, but x\['a'\] has 40 .* x\['b'\] has 50/;
    expect(() => m.predict([xa, xb])).toThrow(message);
    expect(() => m.predictOnBatch({ a: xa, b: xb })).toThrow(/^predictOnBatch: x\['a'\] and x\['b'\] must have the same number/);
  });

  test('a non-finite loss warns once, or stops fit when asked; 0 samples are refused', async () => {
    const x = input({ shape: [1] });
    const m = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(x) as SymbolicTensor });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = tensor([[1], [NaN], [2], [3]]);
    const ys = tensor([[1], [1], [1], [1]]);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await m.fit(xs, ys, { epochs: 2, batchSize: 1, shuffle: false, verbose: 0 });
      const nanWarnings = warn.mock.calls.filter((c) => /the loss became NaN at batch 1 of epoch 1/.test(String(c[0])));
      expect(nanWarnings.length).toBe(1);
    } finally {
      warn.mockRestore();
    }
    await expect(m.fit(xs, ys, { epochs: 1, batchSize: 1, shuffle: false, verbose: 0, onNonFiniteLoss: 'stop' })).rejects.toThrow(
      /^fit: the loss became NaN at batch 0 of epoch 1; training stopped/,
    );
    await expect(m.fit(tensor([], [0, 1]), tensor([], [0, 1]))).rejects.toThrow(/^fit: the data has 0 samples/);
  });

  test('a disposed model says so', async () => {
    const x = input({ shape: [2] });
    const m = model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(x) as SymbolicTensor, name: 'gone' });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    m.dispose();
    expect(() => m.predict(tensor([[1, 2]]))).toThrow(/^predict: model 'gone' was disposed/);
    await expect(m.fit(tensor([[1, 2]]), tensor([[1]]))).rejects.toThrow(/^fit: model 'gone' was disposed/);
  });
});
