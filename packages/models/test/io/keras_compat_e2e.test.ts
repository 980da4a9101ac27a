/**
 * End to end: Keras-form model.json fixtures → normalizeKerasTopology → case conversion → layers from the
 * registry → Sequential → weights (generated, transformed, matched by name) → predict, against float64
 * formulas written in this file (Keras's GRU reset_after, Keras 3's hard_sigmoid LSTM, and CuDNN's own
 * reading of CuDNNLSTM / CuDNNGRU weights).
 */
import { Tensor } from '@recurrent/core';
import { io, loadLayersModel } from '@recurrent/models';
import type { WeightsManifestEntry } from '@recurrent/models';
import {
  dotCol,
  expectAllClose,
  fixture,
  generatedWeights,
  hardSigmoidKeras3,
  hardSigmoidTfjs,
  inputs,
  loadByHand,
  sigmoid,
  values,
} from './keras_compat_helpers';

/** Keras GRU (reset_after true), float64: gates z, r, h; bias [2, 3U] = input bias row, recurrent bias row. */
function gruResetAfter(xs: number[][], W: number[], R: number[], b: number[], U: number, rec: (v: number) => number): number[][] {
  const G = 3 * U;
  let h = new Array(U).fill(0);
  const out: number[][] = [];
  for (const x of xs) {
    const next: number[] = [];
    for (let u = 0; u < U; u++) {
      const xz = dotCol(x, W, G, u) + b[u];
      const xr = dotCol(x, W, G, U + u) + b[U + u];
      const xh = dotCol(x, W, G, 2 * U + u) + b[2 * U + u];
      const hz = dotCol(h, R, G, u) + b[G + u];
      const hr = dotCol(h, R, G, U + u) + b[G + U + u];
      const hh = dotCol(h, R, G, 2 * U + u) + b[G + 2 * U + u];
      const z = rec(xz + hz);
      const r = rec(xr + hr);
      const cand = Math.tanh(xh + r * hh);
      next.push(z * h[u] + (1 - z) * cand);
    }
    h = next;
    out.push(h);
  }
  return out;
}

/** Keras LSTM, float64: gates i, f, c, o; bias [4U]. Returns every step's h. */
function lstm(xs: number[][], W: number[], R: number[], b: number[], U: number, rec: (v: number) => number): number[][] {
  const G = 4 * U;
  let h = new Array(U).fill(0);
  let c = new Array(U).fill(0);
  const out: number[][] = [];
  for (const x of xs) {
    const gate = (g: number, u: number) => dotCol(x, W, G, g * U + u) + dotCol(h, R, G, g * U + u) + b[g * U + u];
    const nh: number[] = [];
    const nc: number[] = [];
    for (let u = 0; u < U; u++) {
      const i = rec(gate(0, u));
      const f = rec(gate(1, u));
      const cc = Math.tanh(gate(2, u));
      const o = rec(gate(3, u));
      nc.push(f * c[u] + i * cc);
      nh.push(o * Math.tanh(nc[u]));
    }
    h = nh;
    c = nc;
    out.push(h);
  }
  return out;
}

/**
 * cuDNN's reading of a CuDNN layer's stored kernel block for gate g ([rows, G·U] row-major): the block,
 * flattened row-major, is the matrix W_g [U, rows] (row-major) that multiplies the column vector v.
 */
function cudnnGateProduct(v: number[], K: number[], rows: number, U: number, G: number, g: number, u: number): number {
  // flat index of W_g[u, r] is u·rows + r; the block's element at flat n is K[floor(n/U), g·U + n mod U].
  let s = 0;
  for (let r = 0; r < rows; r++) {
    const n = u * rows + r;
    s += K[Math.floor(n / U) * (G * U) + g * U + (n % U)] * v[r];
  }
  return s;
}

describe('Keras files end to end against float64 formulas', () => {
  it('Keras 3 GRU reset_after (converter output, [2, 3·units] bias, gru/gru_cell/* names) predicts the Keras formula', () => {
    const json = fixture('keras3_gru_reset_after.model.json');
    const { model, sources, raw } = loadByHand(json);
    // The Keras 3 converter's names carry the cell segment; the matcher drops it.
    expect(Object.fromEntries(sources)).toEqual({
      'gru/kernel': 'gru/gru_cell/kernel',
      'gru/recurrent_kernel': 'gru/gru_cell/recurrent_kernel',
      'gru/bias': 'gru/gru_cell/bias',
    });
    const { x, xs } = inputs(2, 4, 2);
    const y = model.predict(x);
    expect(y.shape).toEqual([2, 4, 3]);
    const W = values(raw['gru/gru_cell/kernel']);
    const R = values(raw['gru/gru_cell/recurrent_kernel']);
    const b = values(raw['gru/gru_cell/bias']);
    const expected = xs.flatMap((seq) => gruResetAfter(seq, W, R, b, 3, sigmoid).flat());
    expectAllClose(y.dataSync(), expected, 2e-6);
  });

  it("Keras 3 hard_sigmoid LSTM + Dense predict with Keras 3's relu6(x + 3) / 6 (not tfjs's 0.2·x + 0.5)", () => {
    const json = fixture('keras3_hard_sigmoid_lstm.model.json');
    const { model, raw } = loadByHand(json);
    const { x, xs } = inputs(3, 3, 2);
    const y = model.predict(x).dataSync();
    const W = values(raw['lstm_1/lstm_cell/kernel']);
    const R = values(raw['lstm_1/lstm_cell/recurrent_kernel']);
    const b = values(raw['lstm_1/lstm_cell/bias']);
    const Wd = values(raw['dense_1/kernel']);
    const bd = values(raw['dense_1/bias']);
    const predict = (act: (v: number) => number) =>
      xs.map((seq) => {
        const hs = lstm(seq, W, R, b, 2, act);
        const h = hs[hs.length - 1];
        return act(dotCol(h, Wd, 1, 0) + bd[0]);
      });
    const keras3 = predict(hardSigmoidKeras3);
    const tfjs = predict(hardSigmoidTfjs);
    expectAllClose(y, keras3, 2e-6);
    // The two definitions differ on these inputs, so the check above tells them apart.
    expect(Math.max(...keras3.map((v, i) => Math.abs(v - tfjs[i])))).toBeGreaterThan(1e-3);
  });

  it('Keras 3.10 through TensorFlow.js Converter v4.22 (layer entries without module, model-scoped weight names, Keras 2 training_config) loads through loadLayersModel and predicts the Keras formula', async () => {
    // The layout of the converter's output for a Keras 3 Sequential as seen in published model.json files
    // (see fixtures/keras/README.md), written by hand; the converter's own output is in fixtures/keras/real/
    // (keras_real_fixtures.test.ts).
    const json = fixture('keras3_converter_v4_22_lstm.model.json');
    const specs = json.weightsManifest[0].weights as WeightsManifestEntry[];
    const raw = generatedWeights(specs);
    const weightData = new Float32Array(specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0));
    let offset = 0;
    for (const s of specs) {
      weightData.set(raw[s.name].dataSync(), offset);
      offset += raw[s.name].size;
    }
    const model = await loadLayersModel(
      io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: weightData.buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
      }),
    );
    expect(model.layers.map((l) => l.getClassName())).toEqual(['LSTM', 'Dense']);
    const { x, xs } = inputs(3, 5, 3);
    const y = model.predict(x) as Tensor;
    expect(y.shape).toEqual([3, 2]);
    const W = values(raw['sequential/lstm/lstm_cell/kernel']);
    const R = values(raw['sequential/lstm/lstm_cell/recurrent_kernel']);
    const b = values(raw['sequential/lstm/lstm_cell/bias']);
    const Wd = values(raw['sequential/dense/kernel']);
    const bd = values(raw['sequential/dense/bias']);
    const expected = xs.flatMap((seq) => {
      const hs = lstm(seq, W, R, b, 4, sigmoid);
      const logits = [0, 1].map((k) => dotCol(hs[hs.length - 1], Wd, 2, k) + bd[k]);
      const m = Math.max(...logits);
      const e = logits.map((v) => Math.exp(v - m));
      return e.map((v) => v / (e[0] + e[1]));
    });
    expectAllClose(y.dataSync(), expected, 2e-6);
  });

  it('Keras 2 converter LSTM (InputLayer, time_major, lstm/lstm_cell/* names) predicts the Keras formula', () => {
    const json = fixture('keras2_converter_lstm.model.json');
    const { model, raw } = loadByHand(json);
    const { x, xs } = inputs(2, 5, 3);
    const y = model.predict(x);
    expect(y.shape).toEqual([2, 1]);
    const W = values(raw['lstm/lstm_cell/kernel']);
    const R = values(raw['lstm/lstm_cell/recurrent_kernel']);
    const b = values(raw['lstm/lstm_cell/bias']);
    const Wd = values(raw['dense/kernel']);
    const bd = values(raw['dense/bias']);
    const expected = xs.map((seq) => {
      const hs = lstm(seq, W, R, b, 4, sigmoid);
      return dotCol(hs[hs.length - 1], Wd, 1, 0) + bd[0];
    });
    expectAllClose(y.dataSync(), expected, 2e-6);
  });

  it('CuDNNLSTM → CuDNNGRU (Keras 2): the converted LSTM/GRU predict what cuDNN computes from the stored weights', () => {
    const json = fixture('keras2_cudnn.model.json');
    const { model, raw, normalized } = loadByHand(json);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['LSTM', 'GRU']);
    expect(Object.keys(normalized.weightTransforms)).toHaveLength(6);
    const { x, xs } = inputs(2, 4, 3);
    const y = model.predict(x);
    expect(y.shape).toEqual([2, 3]);

    // cuDNN LSTM from the raw stored weights: W_g·x + b_W + R_g·h + b_R, gates i, f, c, o.
    const K = values(raw['cu_dnnlstm/kernel']);
    const RK = values(raw['cu_dnnlstm/recurrent_kernel']);
    const B = values(raw['cu_dnnlstm/bias']);
    const U1 = 2;
    const lstmSeq = (seq: number[][]) => {
      let h = new Array(U1).fill(0);
      let c = new Array(U1).fill(0);
      const out: number[][] = [];
      for (const xt of seq) {
        const gate = (g: number, u: number) =>
          cudnnGateProduct(xt, K, 3, U1, 4, g, u) + B[g * U1 + u] + cudnnGateProduct(h, RK, U1, U1, 4, g, u) + B[4 * U1 + g * U1 + u];
        const nh: number[] = [];
        const nc: number[] = [];
        for (let u = 0; u < U1; u++) {
          nc.push(sigmoid(gate(1, u)) * c[u] + sigmoid(gate(0, u)) * Math.tanh(gate(2, u)));
          nh.push(sigmoid(gate(3, u)) * Math.tanh(nc[u]));
        }
        h = nh;
        c = nc;
        out.push(h);
      }
      return out;
    };
    // cuDNN GRU from the raw stored weights: gates z, r, h (Keras column order); bias [6U] = input then recurrent.
    const K2 = values(raw['cu_dnngru/kernel']);
    const RK2 = values(raw['cu_dnngru/recurrent_kernel']);
    const B2 = values(raw['cu_dnngru/bias']);
    const U2 = 3;
    const gruLast = (seq: number[][]) => {
      let h = new Array(U2).fill(0);
      for (const xt of seq) {
        const xg = (g: number, u: number) => cudnnGateProduct(xt, K2, U1, U2, 3, g, u) + B2[g * U2 + u];
        const hg = (g: number, u: number) => cudnnGateProduct(h, RK2, U2, U2, 3, g, u) + B2[3 * U2 + g * U2 + u];
        const nh: number[] = [];
        for (let u = 0; u < U2; u++) {
          const z = sigmoid(xg(0, u) + hg(0, u));
          const r = sigmoid(xg(1, u) + hg(1, u));
          nh.push(z * h[u] + (1 - z) * Math.tanh(xg(2, u) + r * hg(2, u)));
        }
        h = nh;
      }
      return h;
    };
    const expected = xs.flatMap((seq) => gruLast(lstmSeq(seq)));
    expectAllClose(y.dataSync(), expected, 2e-6);
  });

  it('the legacy Keras 2.1 list-form Sequential loads (SimpleRNN + Dense hard_sigmoid as tfjs/Keras 2)', () => {
    const json = fixture('keras2_legacy_sequential.model.json');
    const { model, raw } = loadByHand(json);
    const { x, xs } = inputs(2, 6, 2);
    const W = values(raw['simple_rnn_1/kernel']);
    const R = values(raw['simple_rnn_1/recurrent_kernel']);
    const b = values(raw['simple_rnn_1/bias']);
    const Wd = values(raw['dense_1/kernel']);
    const bd = values(raw['dense_1/bias']);
    const expected = xs.map((seq) => {
      let h = [0, 0, 0];
      for (const xt of seq) h = h.map((_, u) => Math.tanh(dotCol(xt, W, 3, u) + dotCol(h, R, 3, u) + b[u]));
      return hardSigmoidTfjs(dotCol(h, Wd, 1, 0) + bd[0]);
    });
    expectAllClose((model.predict(x) as Tensor).dataSync(), expected, 2e-6);
  });
});
