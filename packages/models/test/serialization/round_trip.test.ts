/**
 * recurrent → file → recurrent, for every layer and the options that change weights or topology: through
 * file:// (model.json + weights.bin in a temp dir) and io.fromMemory, the loaded model has the same config,
 * the same weights (names, order, bytes) and the same predictions.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { layers, resetNameCounters } from '@recurrent/layers';
import { io, loadLayersModel, MODELS_VERSION, sequential } from '@recurrent/models';
import { buildOurs, CASES, oursInput, saveToMemory, values } from './helpers';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-roundtrip-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeEach(() => resetNameCounters());

describe('save → load round trips (recurrent only)', () => {
  CASES.forEach((c, k) => {
    it(`${c.title}: file:// and fromMemory give the same config, weights and predictions`, async () => {
      const model = buildOurs(c);
      const x = oursInput(c);
      if (c.stateful) model.resetStates();
      const expected = values(model.predict(x));
      const dir = path.join(tmp, `case${k}`);
      const result = await model.save(`file://${dir}`);
      expect(result.modelArtifactsInfo.weightDataBytes).toBe(model.weights.reduce((n: number, w: any) => n + w.size * 4, 0));
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      expect(json.format).toBe('layers-model');
      expect(json.generatedBy).toBe(`recurrent v${MODELS_VERSION}`);
      expect(json.convertedBy).toBeNull();
      expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
      // Names: tfjs's originalName of every variable, trainable first, in layer order.
      expect(json.weightsManifest[0].weights.map((w: any) => w.name)).toEqual(model.weights.map((w: any) => w.originalName));

      const fromFile = await loadLayersModel(`file://${path.join(dir, 'model.json')}`);
      const fromMem = await loadLayersModel(io.fromMemory(await saveToMemory(model)));
      for (const back of [fromFile, fromMem]) {
        expect(back.toJSON(null, false)).toEqual(model.toJSON(null, false));
        expect(back.weights.map((w: any) => w.originalName)).toEqual(model.weights.map((w: any) => w.originalName));
        back.weights.forEach((w: any, i: number) => expect(values(w)).toEqual(values(model.weights[i])));
        if (c.stateful) {
          model.resetStates();
          back.resetStates();
        }
        expect(values(back.predict(x))).toEqual(expected);
        expect(back.loadReport).toMatchObject({ strict: true, missing: [], extra: [], mismatched: [] });
        expect(back.loadReport!.matched.every((m) => m.match === 'exact')).toBe(true);
      }
      // And again: a loaded model saves the same file.
      const again = await saveToMemory(fromFile);
      expect(again.modelTopology).toEqual(json.modelTopology);
      expect(new Uint8Array(again.weightData as ArrayBuffer)).toEqual(new Uint8Array(fs.readFileSync(path.join(dir, 'weights.bin'))));
    });
  });

  it('stateful models keep working after load: states carry across predict calls and resetStates clears them', async () => {
    const c = CASES.find((k) => k.stateful)!;
    const model = buildOurs(c);
    const back = await loadLayersModel(io.fromMemory(await saveToMemory(model)));
    const x = oursInput(c);
    const first = values(back.predict(x));
    const second = values(back.predict(x));
    expect(second).not.toEqual(first);
    back.resetStates();
    expect(values(back.predict(x))).toEqual(first);
    expect(back.getLayer('lstm').getConfig().batchInputShape).toEqual([2, 5, 4]);
  });

  it('a model built by calling it (no inputShape) saves its batch input shape into the first layer', async () => {
    const model = sequential({ layers: [layers.lstm({ units: 2 }), layers.dense({ units: 1 })] });
    const x = oursInput(CASES[0]);
    const y = values(model.predict(x));
    const a = await saveToMemory(model);
    expect((a.modelTopology as any).config.layers[0].config.batch_input_shape).toEqual([null, 5, 4]);
    const back = await loadLayersModel(io.fromMemory(a));
    expect(values(back.predict(x))).toEqual(y);
  });

  it('save before the model is built is refused with a clear error', async () => {
    const model = sequential({ layers: [layers.dense({ units: 1 })] });
    await expect(model.save(io.withSaveHandler(async () => ({ modelArtifactsInfo: {} as any })))).rejects.toThrow(
      /save: model sequential\S* is not built, so it has no weights to save/,
    );
    await expect(model.save('nope://x')).rejects.toThrow(/Cannot find any save handlers for URL 'nope:\/\/x'/);
    await expect(model.save(io.fromMemory({ modelTopology: {} }) as any)).rejects.toThrow(/no save method/);
  });

  it("a bare file name (Keras's model.save('s2s_model.keras')) is refused with the file:// form to use", async () => {
    const model = buildOurs(CASES[0]);
    await expect(model.save('s2s_model.keras')).rejects.toThrow(
      /^Cannot find any save handlers for URL 's2s_model\.keras'\. Supported schemes: file:\/\/ \(Node\), http:\/\/ and https:\/\/ \(POST\), localstorage:\/\/, indexeddb:\/\/, downloads:\/\/ \(browser\)\. A path on disk needs the file:\/\/ scheme \(Node\): 'file:\/\/s2s_model\.keras'\.$/,
    );
    await expect(loadLayersModel('/tmp/s2s/model.json')).rejects.toThrow(
      /^loadLayersModel: Cannot find any load handlers for URL '\/tmp\/s2s\/model\.json'\. Supported schemes: file:\/\/ \(Node\), http:\/\/ and https:\/\/, localstorage:\/\/, indexeddb:\/\/ \(browser\)\. A path on disk needs the file:\/\/ scheme \(Node\): 'file:\/\/\/tmp\/s2s\/model\.json'\.$/,
    );
  });

  it('toJSON returns a string by default, the object with returnString false (tfjs)', () => {
    const model = buildOurs(CASES[0]);
    const s = model.toJSON();
    expect(typeof s).toBe('string');
    expect(JSON.parse(s as string)).toEqual(model.toJSON(null, false));
    expect(model.toJSON(null, false)).toMatchObject({
      class_name: 'Sequential',
      keras_version: `recurrent ${MODELS_VERSION}`,
      backend: 'recurrent',
    });
  });

  it('trainableOnly saves just the trainable weights', async () => {
    const model = buildOurs(CASES[0]);
    model.getLayer('dense').trainable = false;
    const a = await saveToMemory(model, io, { trainableOnly: true });
    expect(a.weightSpecs!.map((s) => s.name)).toEqual(['lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias']);
    const all = await saveToMemory(model);
    expect(all.weightSpecs!.map((s) => s.name)).toEqual([
      'lstm/kernel',
      'lstm/recurrent_kernel',
      'lstm/bias',
      'dense/kernel',
      'dense/bias',
    ]);
    const back = await loadLayersModel(io.fromMemory(all));
    expect(back.getLayer('dense').trainable).toBe(false);
    expect(back.trainableWeights.length).toBe(3);
  });
});
