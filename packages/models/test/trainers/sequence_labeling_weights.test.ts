/**
 * A two-output sequence tagger trained as Keras 3.15 trains it (fixtures/keras/sequence_labeling, generate.py beside
 * it): per-step softmax 'tags' with sparse integer targets [n, 5] weighed per time step (zeros on padded steps, one
 * step weighing 2), a pooled 'score' weighed per sample, weightedMetrics on both outputs, SGD without shuffling over
 * batches of 3 for 7 samples (the last batch has 1), validation data with both kinds of weights, then evaluate in
 * batches of 2 for 5 samples. Every log and weight is Keras's, except the per-output losses over uneven batches: Keras
 * 3 averages those over batches unweighted (its total loss weighs batches by size), we weigh them by size as tfjs
 * (tfjs note in trainers/epoch_sums.ts), so here they add up to Keras's total loss instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tensor, tensor } from '@recurrent/core';
import { input, layers, SymbolicTensor } from '@recurrent/layers';
import { model, train } from '@recurrent/models';
import type { LayersModel } from '@recurrent/models';

interface Enc {
  shape: number[];
  values: number[];
}
const R = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/keras/sequence_labeling/reference.json'), 'utf8')) as {
  keras_version: string;
  start_weights: { [path: string]: Enc };
  x: Enc;
  y: Enc[];
  sample_weight: Enc[];
  x_val: Enc;
  y_val: Enc[];
  val_sample_weight: Enc[];
  history: { [key: string]: number[] };
  weights_after: { [path: string]: Enc };
  evaluate: { [key: string]: number };
};
const t = (e: Enc): Tensor => tensor(e.values, e.shape);

/** Keras's weight paths of our layers, in our weight order. */
const PATHS: { [layer: string]: string[] } = {
  lstm: ['lstm/lstm_cell/kernel', 'lstm/lstm_cell/recurrent_kernel', 'lstm/lstm_cell/bias'],
  tags: ['tags/kernel', 'tags/bias'],
  score: ['score/kernel', 'score/bias'],
};

function worstRatio(got: ArrayLike<number>, want: number[], rtol = 1e-5, atol = 1e-6): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (atol + rtol * Math.abs(want[i])));
  return worst;
}

/** Keras's log key in our name: metrics are logged by the identifier given (tfjs), Keras by its snake_case name. */
const ourKey = (k: string) => k.replace('sparse_categorical_accuracy', 'sparseCategoricalAccuracy');

function tagger(): LayersModel {
  const x = input({ shape: [5, 2], name: 'x' });
  const hs = layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid', name: 'lstm' }).apply(x) as SymbolicTensor;
  const tags = layers.dense({ units: 3, activation: 'softmax', name: 'tags' }).apply(hs) as SymbolicTensor;
  const score = layers
    .dense({ units: 1, name: 'score' })
    .apply(layers.globalAveragePooling1d({ name: 'pool' }).apply(hs)) as SymbolicTensor;
  const m = model({ inputs: x, outputs: [tags, score], name: 'tagger' });
  for (const l of m.layers) if (PATHS[l.name]) l.setWeights(PATHS[l.name].map((p) => t(R.start_weights[p])));
  m.compile({
    optimizer: train.sgd(0.3),
    loss: { tags: 'sparseCategoricalCrossentropy', score: 'meanSquaredError' },
    weightedMetrics: { tags: ['sparseCategoricalAccuracy'], score: ['mae'] },
  });
  return m;
}

describe(`a sequence tagger with per-time-step weights as Keras ${R.keras_version}`, () => {
  test('fit (with weighted validation data): epoch logs and weights after; evaluate with weights', async () => {
    const m = tagger();
    const yVal = R.y_val.map(t);
    const valWeights = R.val_sample_weight.map(t);
    const h = await m.fit(t(R.x), R.y.map(t), {
      sampleWeight: R.sample_weight.map(t),
      epochs: 2,
      batchSize: 3,
      shuffle: false,
      validationData: [t(R.x_val), yVal, valWeights],
      verbose: 0,
    });
    const bad: string[] = [];
    const hist = h.history as { [k: string]: number[] };
    expect(Object.keys(hist).sort()).toEqual(Object.keys(R.history).map(ourKey).sort());
    for (const k of Object.keys(R.history)) {
      const perOutputLoss = /^(val_)?(tags|score)_loss$/.test(k);
      if (!perOutputLoss && worstRatio(hist[ourKey(k)], R.history[k]) > 1) bad.push(`${k}: ours ${hist[k]} Keras ${R.history[k]}`);
    }
    for (const v of ['', 'val_']) {
      const sum = hist[`${v}tags_loss`].map((l, e) => l + hist[`${v}score_loss`][e]);
      if (worstRatio(sum, R.history[`${v}loss`]) > 1)
        bad.push(`${v}tags_loss + ${v}score_loss: ours ${sum} Keras ${v}loss ${R.history[`${v}loss`]}`);
    }
    for (const l of m.layers) {
      (PATHS[l.name] ?? []).forEach((p, i) => {
        if (worstRatio(l.getWeights()[i].dataSync(), R.weights_after[p].values) > 1) bad.push(`weight ${p}`);
      });
    }
    const ev = m.evaluate(t(R.x_val), yVal, { batchSize: 2, sampleWeight: { tags: valWeights[0], score: valWeights[1] } }) as Tensor[];
    const logs = Object.fromEntries(m.metricsNames.map((k, i) => [k, ev[i].dataSync()[0]]));
    for (const k of Object.keys(R.evaluate)) {
      if (/^(tags|score)_loss$/.test(k)) continue;
      if (worstRatio([logs[ourKey(k)]], [R.evaluate[k]]) > 1) bad.push(`evaluate ${k}: ours ${logs[ourKey(k)]} Keras ${R.evaluate[k]}`);
    }
    if (worstRatio([logs.tags_loss + logs.score_loss], [R.evaluate.loss]) > 1)
      bad.push('evaluate: the per-output losses do not add up to the loss');
    expect(bad).toEqual([]);
  });
});
