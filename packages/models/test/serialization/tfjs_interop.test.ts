/**
 * Cross-library, both directions, for every case tfjs can build: a model built and saved by tfjs (through
 * tf.io.withSaveHandler, and in tfjs's file layout model.json + weights.bin read by file://) loads here and
 * predicts the same to 1e-5; a model saved here loads in tfjs (tf.loadLayersModel(tf.io.fromMemory(...))) and
 * predicts the same. Also: toJSON against tfjs's own toJSON for the same model (documented differences aside),
 * and weight names/order/shapes against tfjs's for the same model.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { resetNameCounters } from '@recurrent/layers';
import { io, loadLayersModel } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { buildOurs, buildTf, CASES, maxAbsDiff, oursInput, saveToMemory, tfInput, values } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

const TOL = 1e-5;
const tfCases = CASES.filter((c) => c.tfjs !== false);
let tmp: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-tfjs-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeEach(() => resetNameCounters());

/** Writes tfjs artifacts in tfjs's file layout (what tfjs-node's file:// save writes). */
function writeTfjsFiles(dir: string, a: ModelArtifacts): string {
  fs.mkdirSync(dir, { recursive: true });
  const modelJSON = {
    modelTopology: a.modelTopology,
    format: a.format,
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy,
    weightsManifest: [{ paths: ['./weights.bin'], weights: a.weightSpecs }],
  };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJSON));
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(a.weightData as ArrayBuffer));
  return path.join(dir, 'model.json');
}

function tfPredict(m: any, c: (typeof CASES)[number]): number[] {
  if (c.stateful) m.resetStates();
  return values(m.predict(tfInput(tf, c)));
}

function oursPredict(m: any, c: (typeof CASES)[number]): number[] {
  if (c.stateful) m.resetStates();
  return values(m.predict(oursInput(c)));
}

describe('tfjs → recurrent', () => {
  tfCases.forEach((c, k) => {
    it(`${c.title}: a tfjs-saved model (memory and file layout) predicts the same here`, async () => {
      const theirs = buildTf(tf, c);
      const expected = tfPredict(theirs, c);
      const artifacts = await saveToMemory(theirs, tf.io);
      expect(artifacts.generatedBy).toMatch(/^TensorFlow\.js tfjs-layers/);
      const fromMem = await loadLayersModel(io.fromMemory(artifacts));
      const fromFile = await loadLayersModel(`file://${writeTfjsFiles(path.join(tmp, `tf${k}`), artifacts)}`);
      for (const m of [fromMem, fromFile]) {
        expect(maxAbsDiff(oursPredict(m, c), expected)).toBeLessThanOrEqual(TOL);
        expect(m.loadReport!.matched.map((w) => w.source)).toEqual(artifacts.weightSpecs!.map((s) => s.name));
        expect(m.loadReport!.matched.every((w) => w.match === 'exact')).toBe(true);
        // Same values, bit for bit.
        m.weights.forEach((w: any, i: number) => expect(values(w)).toEqual(values(theirs.weights[i].read())));
      }
    });
  });

  it('the checked-in tfjs fixture (Embedding → Bidirectional(LSTM) → GRU → Dense, hard_sigmoid, regularizer, constraint)', async () => {
    const dir = path.join(__dirname, '..', 'fixtures', 'io');
    const m = await loadLayersModel(`file://${path.join(dir, 'tfjs_bidirectional_lstm.model.json')}`);
    const p = JSON.parse(fs.readFileSync(path.join(dir, 'tfjs_bidirectional_lstm.predict.json'), 'utf8'));
    const { tensor } = await import('@recurrent/core');
    const y = values(m.predict(tensor(p.x.flat(), [p.x.length, p.x[0].length], 'int32')));
    expect(maxAbsDiff(y, p.y.flat())).toBeLessThanOrEqual(TOL);
  });
});

describe('recurrent → tfjs', () => {
  tfCases.forEach((c) => {
    it(`${c.title}: a model saved here loads in tfjs and predicts the same`, async () => {
      const model = buildOurs(c);
      const expected = oursPredict(model, c);
      const artifacts = await saveToMemory(model);
      const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts as any));
      expect(maxAbsDiff(tfPredict(theirs, c), expected)).toBeLessThanOrEqual(TOL);
      // tfjs names its variables as we wrote them, in the same order.
      expect(theirs.weights.map((w: any) => w.originalName)).toEqual(artifacts.weightSpecs!.map((s) => s.name));
      // And tfjs saves it back to what loads here again.
      const again = await saveToMemory(theirs, tf.io);
      const back = await loadLayersModel(io.fromMemory(again));
      // (tfjs applies weight constraints when it sets loaded weights, so a constrained kernel may move by ~1e-9.)
      expect(maxAbsDiff(oursPredict(back, c), expected)).toBeLessThanOrEqual(TOL);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Topology and weight names against tfjs's for the same model

/** Initializers as (scale, mode): tfjs serializes glorotUniform/heNormal as VarianceScaling. */
const INIT_ALIASES: { [cls: string]: [number, string] } = {
  GlorotUniform: [1, 'fan_avg'],
  GlorotNormal: [1, 'fan_avg'],
  HeNormal: [2, 'fan_in'],
  HeUniform: [2, 'fan_in'],
  LeCunNormal: [1, 'fan_in'],
  LeCunUniform: [1, 'fan_in'],
};

/**
 * The documented differences, normalized away:
 * - recurrent always writes `dtype` (tfjs only where it was given); GlobalPooling1D writes `data_format`; tfjs's Dropout writes `noise_shape: null`;
 * - LSTM `unit_forget_bias` (recurrent true, Keras's default; tfjs null) and `implementation` (2 / null): neither
 *   changes loaded weights;
 * - tfjs writes Glorot/He/LeCun initializers as VarianceScaling (with distribution 'normal' even for the uniform
 *   ones, a tfjs quirk); compared as (scale, mode);
 * - cell names (tfjs 'lstm_cell_LSTMCell1'), the model name, keras_version and backend.
 */
function normalize(x: any, key = ''): any {
  if (Array.isArray(x)) return x.map((v) => normalize(v, key));
  if (x === null || typeof x !== 'object') return x;
  if (typeof x.class_name === 'string' && key.endsWith('_initializer')) {
    const alias = INIT_ALIASES[x.class_name];
    if (alias) return { vs: alias };
    if (x.class_name === 'VarianceScaling') return { vs: [x.config.scale, x.config.mode] };
  }
  const out: any = {};
  for (const k of Object.keys(x)) {
    if (['dtype', 'data_format', 'noise_shape', 'unit_forget_bias', 'implementation', 'keras_version', 'backend'].includes(k)) continue;
    if (k === 'name' && (key === 'cell' || key === 'cells' || key === '')) continue;
    out[k] = normalize(x[k], k === 'config' ? key : k);
  }
  return out;
}

describe('model.toJSON(null, false) against tfjs for the same model', () => {
  tfCases.forEach((c) => {
    it(`${c.title}: same classes, keys and values (documented differences aside)`, () => {
      const a = buildOurs(c).toJSON(null, false) as any;
      const b = buildTf(tf, c).toJSON(null, false) as any;
      expect(a.class_name).toBe('Sequential');
      expect(a.config.layers.map((l: any) => l.class_name)).toEqual(b.config.layers.map((l: any) => l.class_name));
      expect(normalize(a)).toEqual(normalize(b));
    });
  });

  it('the differences themselves are as documented (LSTM)', () => {
    const a = buildOurs(CASES[0]).toJSON(null, false) as any;
    const b = buildTf(tf, CASES[0]).toJSON(null, false) as any;
    const [la, lb] = [a.config.layers[0].config, b.config.layers[0].config];
    expect([la.unit_forget_bias, lb.unit_forget_bias]).toEqual([true, null]);
    expect([la.implementation, lb.implementation]).toEqual([2, null]);
    expect([la.kernel_initializer.class_name, lb.kernel_initializer.class_name]).toEqual(['GlorotUniform', 'VarianceScaling']);
    expect(la.dtype).toBe('float32');
  });

  tfCases.forEach((c) => {
    it(`${c.title}: weight names, order, shapes and dtypes as tfjs saves them`, async () => {
      const a = await saveToMemory(buildOurs(c));
      const b = await saveToMemory(buildTf(tf, c), tf.io);
      expect(a.weightSpecs).toEqual(b.weightSpecs);
      expect((a.weightData as ArrayBuffer).byteLength).toBe((b.weightData as ArrayBuffer).byteLength);
    });
  });
});

describe('training config (includeOptimizer) both ways', () => {
  it('tfjs-compiled model saved with includeOptimizer loads compiled here, and ours loads compiled in tfjs', async () => {
    const c = CASES[0];
    const theirs = buildTf(tf, c);
    theirs.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError', metrics: ['mae'] });
    const a = await saveToMemory(theirs, tf.io, { includeOptimizer: true });
    expect(a.trainingConfig).toMatchObject({ loss: 'mean_squared_error', metrics: ['mae'], optimizer_config: { class_name: 'Adam' } });
    const m = await loadLayersModel(io.fromMemory(a));
    expect(m.compiled).toBe(true);
    expect(m.loadReport!.compiled).toBe(true);
    // tfjs's Adam before any step writes only its step count ('iter'), restored here.
    expect(a.weightSpecs!.filter((s) => s.group === 'optimizer').map((s) => s.name)).toEqual(['iter']);
    expect(m.loadReport!.skippedOptimizerWeights).toEqual([]);
    expect(m.optimizer.iterations).toBe(0);
    expect(m.optimizer.getClassName()).toBe('Adam');
    expect(m.optimizer.getConfig().learningRate).toBeCloseTo(0.01);
    expect(m.metricsNames).toEqual(['loss', 'mae']);

    const ours = buildOurs(c);
    ours.compile({ optimizer: 'rmsprop', loss: 'meanAbsoluteError', metrics: ['mse'] });
    const b = await saveToMemory(ours, io, { includeOptimizer: true });
    expect(b.trainingConfig).toMatchObject({ loss: 'mean_absolute_error', metrics: ['mse'], optimizer_config: { class_name: 'RMSProp' } });
    const t = await tf.loadLayersModel(tf.io.fromMemory(b as any));
    expect((t as any).optimizer.getClassName()).toBe('RMSProp');
    expect((t as any).loss).toBe('meanAbsoluteError');
  });

  it('tfjs optimizer weights in the file (group optimizer) are restored; without a training config skipped and reported', async () => {
    const c = CASES[0];
    const theirs = buildTf(tf, c);
    theirs.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    await theirs.fit(tfInput(tf, c), tf.zeros([3, 2]), { epochs: 1, verbose: 0 });
    const a = await saveToMemory(theirs, tf.io, { includeOptimizer: true });
    const opt = a.weightSpecs!.filter((s) => s.group === 'optimizer').map((s) => s.name);
    expect(opt.length).toBeGreaterThan(0);
    const m = await loadLayersModel(io.fromMemory(a));
    expect(m.loadReport!.skippedOptimizerWeights).toEqual([]);
    expect(m.optimizer.iterations).toBe(1);
    expect(maxAbsDiff(oursPredict(m, c), tfPredict(theirs, c))).toBeLessThanOrEqual(TOL);
    // As tfjs's loadLayersModel: no training config, no optimizer to restore into (the weights are reported).
    const u = await loadLayersModel(io.fromMemory({ ...a, trainingConfig: undefined }));
    expect(u.compiled).toBe(false);
    expect(u.loadReport!.skippedOptimizerWeights).toEqual(opt);
  });
});
