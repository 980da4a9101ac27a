/**
 * `fit(dataset)` / `evaluate(dataset)` / `predict(dataset)` as Keras 3 users write them: the same history, weights and
 * values as `fitDataset` / `evaluateDataset` on the same data from the same weights (those are checked against tfjs in
 * fit_dataset.test.ts; keras_examples/weather.test.ts runs `fit(dataset)` against Keras 3.15), predict as the
 * tensor predict of all batches, and the options that mean nothing with a dataset refused by name.
 */
import { concat, NotImplementedError, Tensor, tensor, ValueError } from '@recurrent/core';
import { input, Layer, layers, SymbolicTensor } from '@recurrent/layers';
import { data, LayersModel, model, sequential, train } from '@recurrent/models';

const rowsX = (n: number, off = 0) =>
  tensor(
    Array.from({ length: n * 3 }, (_, i) => Math.sin((i + off) * 0.7)),
    [n, 3],
  );
const rowsY = (n: number, off = 0) =>
  tensor(
    Array.from({ length: n }, (_, i) => Math.cos((i + off) * 1.1)),
    [n, 1],
  );

/** 3 batches of 4, 4, 2 samples as {xs, ys}. */
function batches(off = 0) {
  return data.array([0, 1, 2]).map((b) => {
    const n = b === 2 ? 2 : 4;
    return { xs: rowsX(n, off + b * 12), ys: rowsY(n, off + b * 4) };
  });
}

function twin(): [LayersModel, LayersModel] {
  const make = () => sequential({ layers: [layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), layers.dense({ units: 1 })] });
  const a = make();
  const b = make();
  b.setWeights(a.getWeights());
  a.compile({ optimizer: train.adam(0.05), loss: 'mse', metrics: ['mae'] });
  b.compile({ optimizer: train.adam(0.05), loss: 'mse', metrics: ['mae'] });
  return [a, b];
}

const values = (ts: Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

test('fit(dataset, {epochs, validationData, stepsPerEpoch, validationSteps}) is fitDataset with the options mapped', async () => {
  const [a, b] = twin();
  const ha = await a.fit(batches(), { epochs: 3, validationData: batches(40), verbose: 0 });
  const hb = await b.fitDataset(batches(), { epochs: 3, validationData: batches(40), verbose: 0 });
  expect(ha.history).toEqual(hb.history);
  expect(Object.keys(ha.history).sort()).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
  expect(values(a.getWeights())).toEqual(values(b.getWeights()));

  // Keras's stepsPerEpoch / validationSteps, and fit(dataset, null, args).
  const hc = await a.fit(batches().repeat(), null, {
    epochs: 2,
    stepsPerEpoch: 2,
    validationData: batches(40),
    validationSteps: 1,
    verbose: 0,
  });
  const hd = await b.fitDataset(batches().repeat(), {
    epochs: 2,
    batchesPerEpoch: 2,
    validationData: batches(40),
    validationBatches: 1,
    verbose: 0,
  });
  expect(hc.history).toEqual(hd.history);
  expect(values(a.getWeights())).toEqual(values(b.getWeights()));
  // epochs defaults to 1, as Keras.
  expect((await a.fit(batches(), { verbose: 0 })).epoch).toEqual([0]);
});

test('evaluate(dataset) resolves to evaluateDataset; equal to evaluate on all the samples at once', async () => {
  const [a] = twin();
  const got = (await a.evaluate(batches(), { steps: 3 })) as Tensor[];
  const viaDataset = (await a.evaluateDataset(batches())) as Tensor[];
  expect(values(got)).toEqual(values(viaDataset));
  const all = await batches().toArray();
  const xs = concat(all.map((e) => e.xs));
  const ys = concat(all.map((e) => e.ys));
  const whole = a.evaluate(xs, ys, { batchSize: 4 }) as Tensor[];
  values(got).forEach((v, i) => expect(v[0]).toBeCloseTo(values(whole)[i][0], 6));
  expect(values((await a.evaluate(batches(), null, { steps: 1 })) as Tensor[])).toEqual(
    values((await a.evaluateDataset(batches(), { batches: 1 })) as Tensor[]),
  );
});

test('predict(dataset) concatenates the batches (x batches, {xs, ys}, [xs, ys], several inputs and outputs)', async () => {
  const [a] = twin();
  const all = await batches().toArray();
  const xs = concat(all.map((e) => e.xs));
  const want = Array.from((a.predict(xs) as Tensor).dataSync());
  expect(Array.from(((await a.predict(batches())) as Tensor).dataSync())).toEqual(want);
  expect(Array.from(((await a.predict(batches().map((e) => e.xs))) as Tensor).dataSync())).toEqual(want);
  expect(Array.from(((await a.predict(batches().map((e) => [e.xs, e.ys]))) as Tensor).dataSync())).toEqual(want);
  expect(((await a.predict(batches(), { steps: 2 })) as Tensor).shape).toEqual([8, 1]);

  const i1 = input({ shape: [3], name: 'p' });
  const i2 = input({ shape: [3], name: 'q' });
  const sum = layers.add().apply([i1, i2]) as SymbolicTensor;
  const two = model({ inputs: [i1, i2], outputs: [layers.dense({ units: 2 }).apply(sum) as SymbolicTensor, sum] });
  const pairs = data.array([0, 1]).map((b) => [rowsX(3, b * 9), rowsX(3, 50 + b * 9)]);
  const outs = (await two.predict(pairs)) as Tensor[];
  const ref = two.predict([concat([rowsX(3, 0), rowsX(3, 9)]), concat([rowsX(3, 50), rowsX(3, 59)])]) as Tensor[];
  expect(values(outs)).toEqual(values(ref));
  const named = (await two.predict(data.array([0, 1]).map((b) => ({ xs: { p: rowsX(3, b * 9), q: rowsX(3, 50 + b * 9) } })))) as Tensor[];
  expect(values(named)).toEqual(values(ref));
});

test('a model whose layer adds the loss trains on a dataset of {xs} batches (labels as an input), as on the tensors', async () => {
  class SquaredError extends Layer {
    static override className = 'SquaredError';
    override call(inputs: Tensor | Tensor[]): Tensor {
      const [label, pred] = inputs as Tensor[];
      this.addLoss(pred.sub(label).square().mean());
      return pred;
    }
    override computeOutputShape(shapes: number[][]): number[] {
      return shapes[1];
    }
  }
  const build = () => {
    const x = input({ shape: [3], name: 'x' });
    const label = input({ shape: [1], name: 'label' });
    const pred = layers.dense({ units: 1, kernelInitializer: 'ones' }).apply(x) as SymbolicTensor;
    const m = model({ inputs: [x, label], outputs: new SquaredError().apply([label, pred]) as SymbolicTensor });
    m.compile({ optimizer: train.sgd(0.1) });
    return m;
  };
  const a = build();
  const b = build();
  const ds = batches().map((e) => ({ xs: { x: e.xs, label: e.ys } }));
  const ha = await a.fit(ds, { epochs: 2, verbose: 0 });
  const all = await batches().toArray();
  const hb = await b.fit({ x: concat(all.map((e) => e.xs)), label: concat(all.map((e) => e.ys)) }, null, {
    epochs: 2,
    batchSize: 4,
    shuffle: false,
    verbose: 0,
  });
  (ha.history.loss as number[]).forEach((l, i) => expect(l).toBeCloseTo(hb.history.loss[i] as number, 6));
  values(a.getWeights()).forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(values(b.getWeights())[i][j], 6)));
});

test('options that mean nothing with a dataset are refused by name; y must be left out', async () => {
  const [a] = twin();
  await expect(a.fit(batches(), { epochs: 1, batchSize: 4, validationSplit: 0.2 })).rejects.toThrow(
    /^fit: batchSize, validationSplit cannot be used when x is a Dataset: batch the dataset itself \(dataset\.batch\(n\)\); give validationData \(a dataset or \[xVal, yVal\]\)\.$/,
  );
  await expect(a.fit(batches(), { shuffle: true })).rejects.toThrow(
    /^fit: shuffle cannot be used when x is a Dataset: shuffle the dataset itself/,
  );
  await expect(a.fit(batches(), { sampleWeight: rowsY(10) } as never)).rejects.toThrow(ValueError);
  await expect(a.fit(batches(), rowsY(10) as never, { epochs: 1 })).rejects.toThrow(
    /^fit: x is a Dataset, so y must be left out \(null\): the dataset's batches hold the targets\.$/,
  );
  await expect(a.fit(batches(), { epochs: 1 } as never, { verbose: 0 })).rejects.toThrow(/give the options once/);
  await expect(a.fit(batches(), { onNonFiniteLoss: 'stop' })).rejects.toThrow(NotImplementedError);
  await expect(a.fit(batches(), { epohcs: 2 } as never)).rejects.toThrow(/fit: unknown option 'epohcs'.*epochs/);
  await expect(a.evaluate(batches(), { batchSize: 4 })).rejects.toThrow(/^evaluate: batchSize cannot be used when x is a Dataset/);
  await expect(a.predict(batches(), { batchSize: 4 } as never)).rejects.toThrow(/^predict: batchSize cannot be used when x is a Dataset/);
  await expect(a.predict(batches().repeat())).rejects.toThrow(/^predict: the dataset is infinite, so steps is required\.$/);
  await expect(a.predict(data.array<Tensor>([]))).rejects.toThrow(/^predict: the dataset yielded no batches\.$/);
  await expect(a.predict(data.array([rowsX(2).reshape([2, 3, 1])]))).rejects.toThrow(
    /^predict: batch 0 of the dataset: predictOnBatch: x has shape \[2,3,1\]/,
  );
});

test("predict(dataset) keeps a batch error's type and names the batch", async () => {
  class Refuses extends Layer {
    static override className = 'RefusesSecondBatch';
    private calls = 0;
    override call(x: Tensor | Tensor[]): Tensor | Tensor[] {
      if (++this.calls === 2) throw new NotImplementedError('RefusesSecondBatch: not on this batch.');
      return x;
    }
  }
  const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3] }), new Refuses({})] });
  const err = await m.predict(batches()).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NotImplementedError);
  expect((err as Error).message).toMatch(/batch 1 of the dataset: RefusesSecondBatch: not on this batch\./);
});
