/**
 * Optimizer state across libraries, against tfjs 4.22 (cpu backend):
 * (a) a model trained some steps in tfjs and saved with includeOptimizer (group 'optimizer' weights) loads here and
 *     its next steps land where tfjs's next steps land; without the restored state they do not;
 * (b) the reverse: saved here, loaded by tfjs's loadLayersModel, tfjs's next steps land where ours do;
 * (c) optimizer.getWeights() after the same steps: tfjs's names, order, shapes and values (Adamax, whose tfjs
 *     getWeights throws, against tfjs's internal state variables).
 */
import * as tf from '@tensorflow/tfjs';
import { tensor } from '@recurrent/core';
import { resetNameCounters } from '@recurrent/layers';
import { io, loadLayersModel } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { buildOurs, buildTf, CASES, maxAbsDiff, saveToMemory, values } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

const TOL = 1e-6;

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => resetNameCounters());

const X = Array.from({ length: 3 * 5 * 4 }, (_, i) => Math.sin(i * 0.7) * 0.8);
const Y = [0.5, -0.25, 1, 0.75, -1, 0.3];
const oursXY = () => [tensor(X, [3, 5, 4]), tensor(Y, [3, 2])] as const;
const tfXY = () => [tf.tensor(X, [3, 5, 4]), tf.tensor(Y, [3, 2])] as const;

/** The optimizers of the cross-library cases: same hyperparameters in both libraries. */
const OPTIMIZERS: Array<[string, (lib: any) => any]> = [
  ['adam', (lib) => lib.train.adam(0.02, 0.9, 0.999)],
  ['rmsprop (momentum)', (lib) => lib.train.rmsprop(0.01, 0.9, 0.5)],
  ['momentum (nesterov)', (lib) => lib.train.momentum(0.05, 0.9, true)],
  ['adagrad', (lib) => lib.train.adagrad(0.05)],
];

const ourTrain = async () => (await import('@recurrent/models')).train;

async function trainOurs(m: any, steps: number): Promise<void> {
  const [x, y] = oursXY();
  for (let i = 0; i < steps; i++) await m.trainOnBatch(x, y);
}

async function trainTf(m: any, steps: number): Promise<void> {
  const [x, y] = tfXY();
  for (let i = 0; i < steps; i++) await m.trainOnBatch(x, y);
}

const weightsOf = (m: any): number[] => m.getWeights().flatMap((w: any) => values(w));

describe.each(OPTIMIZERS)('%s: training resumes across libraries', (_title, make) => {
  it('(a) tfjs trains 3 steps, saves with includeOptimizer; loaded here, 4 more steps equal tfjs continuing', async () => {
    const train = await ourTrain();
    const theirs = buildTf(tf, CASES[0]);
    theirs.compile({ optimizer: make(tf), loss: 'meanSquaredError' });
    await trainTf(theirs, 3);
    const a: ModelArtifacts = await saveToMemory(theirs, tf.io, { includeOptimizer: true });
    expect(a.weightSpecs!.filter((s) => s.group === 'optimizer')[0]).toEqual({
      name: 'iter',
      shape: [],
      dtype: 'int32',
      group: 'optimizer',
    });

    const ours = await loadLayersModel(io.fromMemory(a));
    expect(ours.loadReport!.skippedOptimizerWeights).toEqual([]);
    expect(ours.optimizer.iterations).toBe(3);
    // A control: the same weights with a fresh optimizer.
    const fresh = await loadLayersModel(io.fromMemory({ ...a, trainingConfig: undefined, ...stripOptimizer(a) }));
    fresh.compile({ optimizer: make({ train }), loss: 'meanSquaredError' });

    await trainTf(theirs, 4);
    await trainOurs(ours, 4);
    await trainOurs(fresh, 4);
    const expected = weightsOf(theirs);
    expect(maxAbsDiff(weightsOf(ours), expected)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(weightsOf(fresh), expected)).toBeGreaterThan(100 * TOL);
  });

  it('(b) trained 3 steps here, saved with includeOptimizer; tfjs loadLayersModel, 4 more steps equal ours continuing', async () => {
    const train = await ourTrain();
    const ours = buildOurs(CASES[0]);
    ours.compile({ optimizer: make({ train }), loss: 'meanSquaredError' });
    await trainOurs(ours, 3);
    const b = await saveToMemory(ours, io, { includeOptimizer: true });
    const theirs: any = await tf.loadLayersModel(tf.io.fromMemory(b as any));
    expect(theirs.optimizer.iterations).toBe(3);
    const fresh: any = await tf.loadLayersModel(tf.io.fromMemory({ ...(b as any), ...stripOptimizer(b), trainingConfig: undefined }));
    fresh.compile({ optimizer: make(tf), loss: 'meanSquaredError' });

    await trainOurs(ours, 4);
    await trainTf(theirs, 4);
    await trainTf(fresh, 4);
    const expected = weightsOf(ours);
    expect(maxAbsDiff(weightsOf(theirs), expected)).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(weightsOf(fresh), expected)).toBeGreaterThan(100 * TOL);
  });
});

/** The artifacts' model weights only (specs and bytes), as a file saved without includeOptimizer. */
function stripOptimizer(a: ModelArtifacts): Partial<ModelArtifacts> {
  const specs = a.weightSpecs!.filter((s) => s.group !== 'optimizer');
  let bytes = 0;
  for (const s of specs) bytes += 4 * s.shape.reduce((n, d) => n * d, 1);
  return { weightSpecs: specs, weightData: (a.weightData as ArrayBuffer).slice(0, bytes) };
}

/** (c): the cases whose update rules tfjs and recurrent share, plus the ones that differ (names and shapes only). */
const GET_WEIGHTS: Array<[string, (lib: any) => any, boolean]> = [
  ['sgd', (lib) => lib.train.sgd(0.1), true],
  ['momentum', (lib) => lib.train.momentum(0.05, 0.9), true],
  ['adam', (lib) => lib.train.adam(0.02), true],
  ['rmsprop', (lib) => lib.train.rmsprop(0.01, 0.9, 0.3), true],
  ['adagrad', (lib) => lib.train.adagrad(0.05, 0.2), true],
  // tfjs's centered RMSProp subtracts ε and its Adadelta steps as SGD (tfjs notes in rmsprop.ts / adadelta.ts).
  ['rmsprop (centered)', (lib) => lib.train.rmsprop(0.01, 0.9, 0.3, null, true), false],
  ['adadelta', (lib) => lib.train.adadelta(1, 0.95), false],
];

function denseModels(lib: any, prefix: string): any {
  return lib.sequential({
    layers: [
      lib.layers.dense({ units: 3, inputShape: [4], activation: 'tanh', name: `${prefix}_d1` }),
      lib.layers.dense({ units: 2, name: `${prefix}_d2` }),
    ],
  });
}

describe('(c) getWeights after the same steps: tfjs names, order, shapes, values', () => {
  const x = X.slice(0, 12);
  const y = Y;
  it.each(GET_WEIGHTS)('%s', async (title, make, sameValues) => {
    const models = await import('@recurrent/models');
    const prefix = `gw_${title.replace(/\W+/g, '_')}`;
    const ours = denseModels({ sequential: models.sequential, layers: (await import('@recurrent/layers')).layers }, prefix);
    const theirs = denseModels(tf, prefix);
    ours.setWeights(theirs.getWeights().map((w: any) => tensor(values(w), w.shape)));
    ours.compile({ optimizer: make({ train: models.train }), loss: 'meanSquaredError' });
    theirs.compile({ optimizer: make(tf), loss: 'meanSquaredError' });
    for (let i = 0; i < 3; i++) {
      await ours.trainOnBatch(tensor(x, [3, 4]), tensor(y, [3, 2]));
      await theirs.trainOnBatch(tf.tensor(x, [3, 4]), tf.tensor(y, [3, 2]));
    }
    const a = await ours.optimizer.getWeights();
    const b = await theirs.optimizer.getWeights();
    expect(a.map((w: any) => [w.name, w.tensor.shape, w.tensor.dtype])).toEqual(
      b.map((w: any) => [w.name, w.shape ?? w.tensor.shape, w.tensor.dtype]),
    );
    expect(values(a[0].tensor)).toEqual([3]);
    for (let i = 1; i < a.length; i++) {
      const d = maxAbsDiff(values(a[i].tensor), values(b[i].tensor));
      if (sameValues) expect(d).toBeLessThanOrEqual(TOL);
    }
    expect(a.length).toBeGreaterThan(title === 'sgd' ? 0 : 4);
  });

  it("adamax (tfjs's getWeights throws): m and v against tfjs's internal state variables", async () => {
    const models = await import('@recurrent/models');
    const ours = denseModels({ sequential: models.sequential, layers: (await import('@recurrent/layers')).layers }, 'gw_adamax');
    const theirs = denseModels(tf, 'gw_adamax');
    ours.setWeights(theirs.getWeights().map((w: any) => tensor(values(w), w.shape)));
    ours.compile({ optimizer: models.train.adamax(0.02, 0.9, 0.999, null, 0.01), loss: 'meanSquaredError' });
    const opt = tf.train.adamax(0.02, 0.9, 0.999, undefined, 0.01);
    theirs.compile({ optimizer: opt, loss: 'meanSquaredError' });
    for (let i = 0; i < 3; i++) {
      await ours.trainOnBatch(tensor(x, [3, 4]), tensor(y, [3, 2]));
      await theirs.trainOnBatch(tf.tensor(x, [3, 4]), tf.tensor(y, [3, 2]));
    }
    await expect(opt.getWeights()).rejects.toThrow(/not implemented for Adamax/);
    const inner = [...(opt as any).accumulatedFirstMoment, ...(opt as any).accumulatedWeightedInfNorm];
    const a = await ours.optimizer.getWeights();
    expect(a.map((w: any) => w.name)).toEqual(['iter', ...inner.map((v: any) => v.originalName)]);
    inner.forEach((v: any, i: number) => {
      expect(a[i + 1].tensor.shape).toEqual(v.variable.shape);
      expect(maxAbsDiff(values(a[i + 1].tensor), values(v.variable))).toBeLessThanOrEqual(TOL);
    });
    // Restored from its own weights, our Adamax continues as tfjs's (whose state was never saved).
    await ours.optimizer.setWeights(a);
    await ours.trainOnBatch(tensor(x, [3, 4]), tensor(y, [3, 2]));
    await theirs.trainOnBatch(tf.tensor(x, [3, 4]), tf.tensor(y, [3, 2]));
    expect(maxAbsDiff(weightsOf(ours), weightsOf(theirs))).toBeLessThanOrEqual(TOL);
  });
});

it("an Adamax model saved here with includeOptimizer: tfjs 4.22's loadLayersModel refuses it (its Adamax has no setWeights; tfjs note in model_save.ts)", async () => {
  const models = await import('@recurrent/models');
  const m = denseModels({ sequential: models.sequential, layers: (await import('@recurrent/layers')).layers }, 'adamax_file');
  m.compile({ optimizer: models.train.adamax(0.01), loss: 'meanSquaredError' });
  await m.trainOnBatch(tensor(X.slice(0, 12), [3, 4]), tensor(Y, [3, 2]));
  const a = await saveToMemory(m, io, { includeOptimizer: true });
  await expect(tf.loadLayersModel(tf.io.fromMemory(a as any))).rejects.toThrow(/setWeights\(\) is not implemented for Adamax/);
  // Without the optimizer state tfjs loads it.
  const b = await saveToMemory(m, io);
  expect((await tf.loadLayersModel(tf.io.fromMemory(b as any))).layers.length).toBe(2);
});
