/**
 * The tfjs-examples calls in typed TypeScript, as a TypeScript user of tfjs writes them (tsc checks this file: a
 * type that tfjs has and we lack fails the type check): callbacks objects with typed logs, evaluate destructured
 * as scalars, buffers, io.* types in a custom save handler, data.generator of iterator objects, a custom layer
 * extending layers.Layer and registered, a two-output model from model.outputs.concat, util.assert, nextFrame, env.
 */
import * as rc from '../../src';

test('typed tfjs-style usage compiles and runs', async () => {
  const model = rc.sequential();
  model.add(rc.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 5 }));
  model.add(rc.layers.lstm({ units: 3, recurrentInitializer: 'GlorotNormal' }));
  model.add(rc.layers.dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ loss: 'binaryCrossentropy', optimizer: 'adam', metrics: ['acc'] });
  const xs = rc.tensor2d([[1, 2, 3, 0, 0]], [1, 5]);
  const ys = rc.tensor2d([[1]], [1, 1]);
  const seen: string[] = [];
  const h = await model.fit(xs, ys, {
    epochs: 1,
    batchSize: 1,
    verbose: 0,
    callbacks: {
      onBatchEnd: async (batch: number, logs?: rc.Logs) => void seen.push(`batch ${batch} ${typeof logs?.loss}`),
      onTrainBegin: async () => void seen.push('begin'),
    },
  });
  expect(seen).toEqual(['begin', 'batch 0 number']);
  const acc: number = h.history.acc.pop() as number;
  expect(acc === 0 || acc === 1).toBe(true);
  const [testLoss, testAcc] = model.evaluate(xs, ys, { batchSize: 1 }) as rc.Scalar[];
  const l: number = (await testLoss.data())[0];
  const a: number = (await testAcc.data())[0];
  expect([l > 0, a === acc || a === 1 - acc]).toEqual([true, true]);

  const buf = rc.buffer([1, 5], 'float32');
  buf.set(3, 0, 1);
  const out = model.predict(buf.toTensor()) as rc.Tensor;
  const score: number = out.dataSync()[0];
  expect(score > 0 && score < 1).toBe(true);
  const tb = new rc.TensorBuffer([1, 5, 3]);
  tb.set(1, 0, 0, 2);
  expect(tb.toTensor().dtype).toBe('float32');
  const sampleLen = model.inputs[0].shape[1];
  expect(sampleLen).toBe(5);

  let artifacts: rc.io.ModelArtifacts | undefined;
  const handler: rc.io.IOHandler = rc.io.withSaveHandler(async (art: rc.io.ModelArtifacts): Promise<rc.io.SaveResult> => {
    artifacts = art;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  });
  await model.save(handler);
  expect(artifacts?.weightSpecs?.length).toBe(model.weights.length);

  const ds = rc.data.generator(() => ({ next: () => ({ value: { xs, ys }, done: false }) }));
  const epochs: number[] = [];
  await model.fitDataset(ds, {
    batchesPerEpoch: 1,
    epochs: 2,
    verbose: 0,
    callbacks: [
      { onEpochEnd: async (epoch: number) => void epochs.push(epoch) },
      rc.callbacks.earlyStopping({ monitor: 'loss', patience: 5 }),
    ],
  });
  expect(epochs).toEqual([0, 1]);

  class LastStep extends rc.layers.Layer {
    static override get className() {
      return 'LastStep';
    }
    override computeOutputShape(s: rc.Shape | rc.Shape[]): rc.Shape {
      const shape = (s as rc.Shape).slice();
      shape.splice(shape.length - 2, 1);
      return shape;
    }
    override call(input: rc.Tensor | rc.Tensor[]): rc.Tensor {
      const x = Array.isArray(input) ? input[0] : input;
      rc.util.assert(x.rank === 3, `Invalid input rank: ${x.rank}`);
      return x.gather([x.shape[1] - 1], 1).squeeze([1]);
    }
  }
  rc.serialization.registerClass(LastStep);
  const inp = rc.input({ shape: [4, 2] });
  const seq = rc.layers.lstm({ units: 3, returnSequences: true, name: 'seq' }).apply(inp) as rc.SymbolicTensor;
  const last = new LastStep({ name: 'last' }).apply(seq) as rc.SymbolicTensor;
  const m1: rc.LayersModel = rc.model({ inputs: inp, outputs: last });
  const m2: rc.LayersModel = rc.model({ inputs: m1.inputs, outputs: m1.outputs.concat([m1.getLayer('seq').output as rc.SymbolicTensor]) });
  const [o1, o2] = m2.predict(rc.ones([2, 4, 2])) as rc.Tensor[];
  expect([o1.shape, o2.shape]).toEqual([
    [2, 3],
    [2, 4, 3],
  ]);
  expect(Array.from(o1.dataSync())).toEqual(Array.from(o2.slice([0, 3, 0], [2, 1, 3]).dataSync()));

  const t0: number = rc.util.now();
  await rc.nextFrame();
  expect(rc.util.now()).toBeGreaterThanOrEqual(t0);
  const isBrowser: boolean = rc.env().getBool('IS_BROWSER');
  expect(isBrowser).toBe(false);
});
