/**
 * Real Keras 3 → TensorFlow.js converter fixtures (fixtures/keras/real/, made by generate.py there): each
 * model.json + shard, exactly as the converter wrote them, loaded with `loadLayersModel('file://...')` as a user
 * would, and `predict` compared with the outputs Keras 3.15's own `model.predict` gave for the same inputs.
 * Then save → load (in memory) of the loaded model gives the same outputs again.
 *
 * Tolerance: |ours − keras| ≤ 1e-6 + 1e-6·|keras| per element. Both sides compute in float32 (TensorFlow CPU
 * for Keras); the differences come from summation order and exp/tanh implementations: the largest seen over all
 * twelve fixtures was 1.2e-7 (outputs of magnitude ≲ 2), so 1e-6 leaves room for other float32 kernels while
 * catching any formula or weight-layout error (those give errors ≳ 1e-2).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '@recurrent/core';
import type { DataType } from '@recurrent/core';
import { io, loadLayersModel } from '@recurrent/models';
import type { LayersModel, ModelArtifacts } from '@recurrent/models';

const REAL = path.join(__dirname, '..', 'fixtures', 'keras', 'real');
const ABS = 1e-6;
const REL = 1e-6;

interface Reference {
  keras_version: string;
  inputs: { dtype: string; shape: number[]; values: unknown }[];
  outputs: { shape: number[]; values: unknown }[];
}

function reference(name: string): Reference {
  return JSON.parse(fs.readFileSync(path.join(REAL, name, 'reference.json'), 'utf8')) as Reference;
}

function modelJson(name: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return JSON.parse(fs.readFileSync(path.join(REAL, name, 'model.json'), 'utf8')) as any;
}

function flat(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap((x) => flat(x)) : [v as number];
}

function inputsOf(ref: Reference): Tensor[] {
  return ref.inputs.map((x) => {
    const data = flat(x.values);
    const dtype: DataType = x.dtype.startsWith('int') ? 'int32' : 'float32';
    return new Tensor(dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data), x.shape, dtype);
  });
}

function asList(y: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(y) ? y : [y];
}

/** Largest |ours − keras| − (ABS + REL·|keras|) over all elements; ≤ 0 means within tolerance. */
function expectMatchesKeras(ys: Tensor[], ref: Reference): void {
  expect(ys.length).toBe(ref.outputs.length);
  ys.forEach((y, k) => {
    const want = ref.outputs[k];
    expect(y.shape).toEqual(want.shape);
    const expected = flat(want.values);
    const got = Array.from(y.dataSync());
    let worst = 0;
    let worstAt = -1;
    got.forEach((g, i) => {
      const excess = Math.abs(g - expected[i]) - (ABS + REL * Math.abs(expected[i]));
      if (excess > worst || Number.isNaN(g)) {
        worst = Number.isNaN(g) ? Infinity : excess;
        worstAt = i;
      }
    });
    if (worstAt >= 0) throw new Error(`output ${k}, element ${worstAt}: ours ${got[worstAt]}, keras ${expected[worstAt]}`);
  });
}

function predictAll(model: LayersModel, xs: Tensor[]): Tensor[] {
  return asList(model.predict(xs.length === 1 ? xs[0] : xs));
}

/** save → load in memory (what a user gets with io.withSaveHandler then io.fromMemory). */
async function roundTrip(model: LayersModel): Promise<LayersModel> {
  let saved: ModelArtifacts | undefined;
  await model.save(
    io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return loadLayersModel(io.fromMemory(saved!));
}

const FIXTURES = [
  'lstm_stack',
  'gru_reset_after',
  'gru_reset_before',
  'simple_rnn',
  'bidirectional_concat',
  'bidirectional_sum',
  'embedding_mask',
  'seq2seq',
  'two_outputs',
  'conv1d_gru',
  'masking_gru',
  'compiled_lstm',
  'lstm_options',
  'bidirectional_mask_ave',
  'attention_functional',
  'stacked_bidirectional_states',
  'zero_output_for_mask',
  'conv_lstm1d',
  'cnn_lstm',
  'cnn_image_layers',
];

describe('real Keras 3 → tfjs converter fixtures', () => {
  it('every fixture directory is listed (and was written by the converter from a Keras 3 h5)', () => {
    const dirs = fs
      .readdirSync(REAL, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(dirs).toEqual([...FIXTURES].sort());
    for (const name of FIXTURES) {
      const json = modelJson(name);
      expect(json.format).toBe('layers-model');
      expect(json.generatedBy).toBe('keras v3.15.1');
      expect(json.convertedBy).toBe('TensorFlow.js Converter v4.22.0');
      expect(json.weightsManifest[0].paths).toEqual(['group1-shard1of1.bin']);
      expect(reference(name).keras_version).toBe('3.15.1');
    }
  });

  it("compiled_lstm: the converter's training_config compiles the loaded model (Adam 0.01, mse)", async () => {
    const json = modelJson('compiled_lstm');
    expect(json.modelTopology.training_config.optimizer_config.class_name).toBe('Adam');
    const model = await loadLayersModel(`file://${path.join(REAL, 'compiled_lstm', 'model.json')}`);
    expect(model.loss).toBe('mse');
    expect(model.optimizer.getConfig()).toEqual({ learningRate: Math.fround(0.01), beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  });

  it('a reference value changed by 1e-5 is caught (the comparison can fail)', async () => {
    const ref = reference('lstm_stack');
    const bad: Reference = {
      ...ref,
      outputs: [{ shape: ref.outputs[0].shape, values: flat(ref.outputs[0].values).map((v, i) => (i === 3 ? v + 1e-5 : v)) }],
    };
    const model = await loadLayersModel(`file://${path.join(REAL, 'lstm_stack', 'model.json')}`);
    expect(() => expectMatchesKeras(predictAll(model, inputsOf(ref)), bad)).toThrow(/output 0, element 3/);
  });

  describe.each(FIXTURES)('%s', (name) => {
    it("loads through file:// and predicts what Keras's model.predict gave", async () => {
      const ref = reference(name);
      const model = await loadLayersModel(`file://${path.join(REAL, name, 'model.json')}`);
      expectMatchesKeras(predictAll(model, inputsOf(ref)), ref);
      expect(model.loadReport?.missing).toEqual([]);
      expect(model.loadReport?.extra).toEqual([]);
    });

    it('save → load of the loaded model predicts the same numbers', async () => {
      const ref = reference(name);
      const model = await loadLayersModel(`file://${path.join(REAL, name, 'model.json')}`);
      const xs = inputsOf(ref);
      const before = predictAll(model, xs).map((y) => Array.from(y.dataSync()));
      const again = await roundTrip(model);
      const after = predictAll(again, xs).map((y) => Array.from(y.dataSync()));
      expect(after).toEqual(before);
    });
  });
});
