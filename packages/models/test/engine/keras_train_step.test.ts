/**
 * One training step against Keras 3.15's own `train_on_batch` (fixtures/keras/training/, made by generate.py
 * there): the model is loaded from the converter's model.json (its training_config compiles it with Keras's
 * SGD / Adam and mse); from the same starting weights and batch, compared with Keras:
 * - the gradients of the loss (ours: `variableGrads` over `model.trainingLoss`; Keras: GradientTape over its
 *   train_step's loss),
 * - the loss `trainOnBatch` returns, and every weight after the step.
 *
 * Tolerances (float32 on both sides, justified by the sizes involved):
 * - gradients |ours − keras| ≤ 1e-6 + 1e-4·|keras|: BPTT sums per-step contributions in another order than
 *   TensorFlow (which may also fuse multiply-adds), a few float32 ulps of each partial sum (measured: ≤ 1e-7);
 * - loss and weights ≤ 1e-6 + 1e-5·|keras|: SGD moves a weight by 0.1·g (so the gradient differences above
 *   shrink tenfold) and Adam's first step by ≈ 0.01·sign(g).
 *
 * Two differences from Keras are deliberate and pinned here (see the tests' comments):
 * - Adam: tfjs's rule, ε added to sqrt(v̂) (bias-corrected); Keras 3 adds ε to sqrt(v) before the
 *   correction, i.e. ε̂ = ε·sqrt(1 − β2ᵗ). The first step is lr·g / (|g| + ε) here, lr·g / (|g| + ε/sqrt(1 − β2))
 *   in Keras: different when |g| is within a few orders of ε (LSTM kernels with small gradients here).
 * - Masked outputs: Keras 3 leaves masked time steps out of the loss (weights total/valid on the valid
 *   ones); here, as tfjs, the output mask does not weigh the loss; the same loss comes from passing that
 *   weight as `sampleWeight` [batch, timeSteps].
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tensor, variableGrads } from '@recurrent/core';
import { loadLayersModel } from '@recurrent/models';
import type { LayersModel } from '@recurrent/models';

const DIR = path.join(__dirname, '..', 'fixtures', 'keras', 'training');

interface TrainReference {
  keras_version: string;
  optimizer: { learning_rate: number; beta_1?: number; beta_2?: number; epsilon?: number };
  x: number[][][];
  y: unknown;
  loss: number;
  gradients: { [name: string]: unknown };
  weights_after: { [name: string]: unknown };
}

function flat(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap((x) => flat(x)) : [v as number];
}

function tensorOf(v: unknown): Tensor {
  const shape: number[] = [];
  for (let a: unknown = v; Array.isArray(a); a = a[0]) shape.push(a.length);
  return new Tensor(Float32Array.from(flat(v)), shape, 'float32');
}

function reference(name: string): TrainReference {
  return JSON.parse(fs.readFileSync(path.join(DIR, name, 'reference.json'), 'utf8')) as TrainReference;
}

async function load(name: string): Promise<LayersModel> {
  return loadLayersModel(`file://${path.join(DIR, name, 'model.json')}`);
}

/** Throws naming the weight and element when |got − want| > abs + rel·|want| anywhere. */
function expectClose(what: string, got: ArrayLike<number>, want: number[], abs: number, rel: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= abs + rel * Math.abs(want[i]))) throw new Error(`${what}[${i}]: ours ${got[i]}, keras ${want[i]}`);
  }
}

/** The file weight name of each trainable weight, in `model.trainableWeights` order. */
function sources(model: LayersModel): string[] {
  const byName = new Map(model.loadReport!.matched.map((m) => [m.name, m.source]));
  return model.trainableWeights.map((w) => byName.get(w.name)!);
}

/** Keras 3's loss weights for a masked output (keras/src/losses/loss.py apply_mask): total/valid on valid steps. */
function kerasMaskWeights(x: number[][][]): Tensor {
  const mask = x.map((row) => row.map((step) => (step.some((v) => v !== 0) ? 1 : 0)));
  const total = mask.length * mask[0].length;
  const valid = mask.flat().reduce((a: number, b) => a + b, 0);
  return tensorOf(mask.map((row) => row.map((m) => (m * total) / valid)));
}

function expectGradientsMatch(model: LayersModel, ref: TrainReference, sampleWeight: Tensor | null = null): void {
  const names = sources(model);
  expect([...names].sort()).toEqual(Object.keys(ref.gradients).sort());
  const { value, grads } = variableGrads(() => model.trainingLoss(tensorOf(ref.x), tensorOf(ref.y), sampleWeight), model.trainableWeights);
  expectClose('loss', [value.dataSync()[0]], [ref.loss], 1e-6, 1e-5);
  model.trainableWeights.forEach((w, i) =>
    expectClose(`gradient ${names[i]}`, grads[w.name].dataSync(), flat(ref.gradients[names[i]]), 1e-6, 1e-4),
  );
}

describe("SGD: one trainOnBatch step matches Keras's train_on_batch", () => {
  it('LSTM → Dense: gradients, loss and every weight after the step', async () => {
    const ref = reference('sgd_lstm_dense');
    expect(ref.keras_version).toBe('3.15.1');
    const model = await load('sgd_lstm_dense');
    expect(model.loadReport!.compiled).toBe(true);
    expect(model.optimizer.getClassName()).toBe('SGD');
    expectGradientsMatch(model, ref);
    const names = sources(model);
    const before = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    const loss = (await model.trainOnBatch(tensorOf(ref.x), tensorOf(ref.y))) as number;
    expectClose('loss', [loss], [ref.loss], 1e-6, 1e-5);
    model.trainableWeights.forEach((w, i) => {
      const got = w.read().dataSync();
      expectClose(`after ${names[i]}`, got, flat(ref.weights_after[names[i]]), 1e-6, 1e-5);
      expect(Array.from(got).some((g, j) => g !== before[i][j])).toBe(true); // the step moved every weight
    });
  });

  it("masked GRU sequence: Keras leaves masked steps out of the loss; its loss weights as sampleWeight give Keras's step", async () => {
    const ref = reference('sgd_masked_gru');
    const model = await load('sgd_masked_gru');
    const sw = kerasMaskWeights(ref.x);
    expectGradientsMatch(model, ref, sw);
    const names = sources(model);
    const loss = (await model.trainOnBatch(tensorOf(ref.x), tensorOf(ref.y), sw)) as number;
    expectClose('loss', [loss], [ref.loss], 1e-6, 1e-5);
    model.trainableWeights.forEach((w, i) =>
      expectClose(`after ${names[i]}`, w.read().dataSync(), flat(ref.weights_after[names[i]]), 1e-6, 1e-5),
    );
    // Without it, as tfjs, every step counts: the mean over all 15 steps, which is not Keras's loss.
    const fresh = await load('sgd_masked_gru');
    const plain = fresh.trainingLoss(tensorOf(ref.x), tensorOf(ref.y)).dataSync()[0];
    expect(Math.abs(plain - ref.loss)).toBeGreaterThan(0.01);
  });
});

describe("Adam: one trainOnBatch step against Keras's", () => {
  it("gradients and loss match; the step follows tfjs's Adam from Keras's gradients (Keras's own step differs by where ε goes)", async () => {
    const ref = reference('adam_lstm_dense');
    const model = await load('adam_lstm_dense');
    expect(model.optimizer.getClassName()).toBe('Adam');
    expectGradientsMatch(model, ref);
    const names = sources(model);
    const before = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    const loss = (await model.trainOnBatch(tensorOf(ref.x), tensorOf(ref.y))) as number;
    expectClose('loss', [loss], [ref.loss], 1e-6, 1e-5);
    const lr = Math.fround(0.01);
    const { beta_2: b2, epsilon: eps } = { beta_2: 0.999, epsilon: 1e-7, ...ref.optimizer };
    expect(ref.optimizer.learning_rate).toBe(lr);
    let differs = 0;
    model.trainableWeights.forEach((w, i) => {
      const g = flat(ref.gradients[names[i]]);
      // First Adam step from Keras's gradient, float64: tfjs's rule (ours) and Keras 3's.
      const tfjsRule = before[i].map((w0, j) => w0 - (lr * g[j]) / (Math.abs(g[j]) + eps));
      const kerasRule = before[i].map((w0, j) => w0 - (lr * g[j]) / (Math.abs(g[j]) + eps / Math.sqrt(1 - b2)));
      expectClose(`after ${names[i]} (tfjs rule)`, w.read().dataSync(), tfjsRule, 1e-6, 1e-5);
      expectClose(`keras after ${names[i]} (Keras rule)`, flat(ref.weights_after[names[i]]), kerasRule, 1e-6, 1e-5);
      differs += kerasRule.filter((k, j) => Math.abs(k - tfjsRule[j]) > 1e-5).length;
    });
    // The two rules differ on this model (small LSTM gradients), so the checks above tell them apart.
    expect(differs).toBeGreaterThan(0);
  });
});
