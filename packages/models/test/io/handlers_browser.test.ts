/**
 * Browser media (localstorage://, indexeddb://, downloads://, browserFiles) tested in Node with
 * in-memory fakes; interop with tfjs's own handlers through the same fakes.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { tensor } from '@recurrent/core';
import { io } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { FakeIndexedDB, FakeStorage } from './fakes';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'io');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const g = globalThis as any;

function sampleArtifacts(): ModelArtifacts {
  const { data, specs } = io.encodeWeights({
    'd/kernel': tensor([
      [1, 2],
      [3, 4],
    ]),
    'd/bias': tensor([5, 6]),
    flag: tensor([1, 0], undefined, 'bool'),
  });
  return {
    modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [] } },
    format: 'layers-model',
    generatedBy: 'recurrent',
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: { a: [1, 2] },
  };
}

function values(a: ModelArtifacts) {
  const out = io.decodeWeights(a.weightData!, a.weightSpecs!);
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.dataSync())]));
}

let storage: FakeStorage;
let idb: FakeIndexedDB;
beforeEach(() => {
  storage = new FakeStorage();
  idb = new FakeIndexedDB();
  g.localStorage = storage;
  g.indexedDB = idb;
  g.window = { localStorage: storage, indexedDB: idb };
});
afterEach(() => {
  delete g.localStorage;
  delete g.indexedDB;
  delete g.window;
});

describe('localstorage://', () => {
  it("saves under tfjs's keys and loads back", async () => {
    const a = sampleArtifacts();
    await io.getSaveHandlers('localstorage://my/model')[0].save!(a);
    expect(storage.keys().sort()).toEqual([
      'tensorflowjs_models/my/model/info',
      'tensorflowjs_models/my/model/model_metadata',
      'tensorflowjs_models/my/model/model_topology',
      'tensorflowjs_models/my/model/weight_data',
      'tensorflowjs_models/my/model/weight_specs',
    ]);
    const loaded = await io.getLoadHandlers('localstorage://my/model')[0].load!();
    expect(loaded.modelTopology).toEqual(a.modelTopology);
    expect(loaded.userDefinedMetadata).toEqual({ a: [1, 2] });
    expect(values(loaded)).toEqual(values(a));
    const list = await io.listModels();
    expect(Object.keys(list)).toEqual(['localstorage://my/model']);
    expect(list['localstorage://my/model'].weightDataBytes).toBe(26);
    await io.removeModel('localstorage://my/model');
    expect(storage.length).toBe(0);
    await expect(io.browserLocalStorage('my/model').load!()).rejects.toThrow(/there is no model with name 'my\/model'/);
  });

  it('cleans up and reports sizes when the quota is exceeded', async () => {
    storage.quota = 200;
    await expect(io.browserLocalStorage('big').save!(sampleArtifacts())).rejects.toThrow(
      /Failed to save model 'big' to local storage.*quota.*weightDataBytes=26/,
    );
    expect(storage.length).toBe(0);
  });

  it('refuses tampered entries with clear errors', async () => {
    await io.browserLocalStorage('m').save!(sampleArtifacts());
    storage.setItem('tensorflowjs_models/m/weight_specs', '[{"name":"x","shape":[-1],"dtype":"float32"}]');
    await expect(io.browserLocalStorage('m').load!()).rejects.toThrow(/weight 'x'.*dimension 0/);
    storage.setItem('tensorflowjs_models/m/model_topology', '{"__proto__": {"x": 1}}');
    await expect(io.browserLocalStorage('m').load!()).rejects.toThrow(/forbidden key '__proto__'/);
  });

  it('says what is needed when there is no localStorage', async () => {
    delete g.localStorage;
    await expect(io.browserLocalStorage('m').save!(sampleArtifacts())).rejects.toThrow(/no localStorage \(a browser is needed\)/);
  });

  it('loads models saved by tfjs and tfjs loads models saved here', async () => {
    tf.env().set('IS_BROWSER', true);
    try {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 2, inputShape: [3], name: 'dense' }));
      await m.save('localstorage://from-tfjs');
      const loaded = await io.browserLocalStorage('from-tfjs').load!();
      expect(loaded.format).toBe('layers-model');
      const ours = io.decodeWeights(loaded.weightData!, loaded.weightSpecs!);
      expect(Array.from(ours['dense/kernel'].dataSync())).toEqual(Array.from(m.getWeights()[0].dataSync()));

      const fixture = await io.fileSystem(path.join(FIXTURES, 'tfjs_bidirectional_lstm.model.json')).load!();
      await io.browserLocalStorage('from-recurrent').save!(fixture);
      const model = await tf.loadLayersModel('localstorage://from-recurrent');
      const { x, y } = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'tfjs_bidirectional_lstm.predict.json'), 'utf8'));
      const pred = (model.predict(tf.tensor2d(x)) as tf.Tensor).arraySync() as number[][];
      pred.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(y[i][j], 6)));
    } finally {
      tf.env().set('IS_BROWSER', false);
    }
  });
});

describe('indexeddb://', () => {
  it("saves in tfjs's database layout, loads, lists and removes", async () => {
    const a = sampleArtifacts();
    await io.getSaveHandlers('indexeddb://m1')[0].save!({ ...a, weightData: [a.weightData as ArrayBuffer] });
    const db = idb.databases.get('tensorflowjs')!;
    expect(Array.from(db.stores.keys()).sort()).toEqual(['model_info_store', 'models_store']);
    const record = db.stores.get('models_store')!.data.get('m1');
    expect(record.modelPath).toBe('m1');
    expect(record.modelArtifacts.weightData).toBeInstanceOf(ArrayBuffer);
    const loaded = await io.getLoadHandlers('indexeddb://m1')[0].load!();
    expect(values(loaded)).toEqual(values(a));
    expect(Object.keys(await io.indexedDBManager().listModels())).toEqual(['m1']);
    expect((await io.removeModel('indexeddb://m1')).weightDataBytes).toBe(26);
    await expect(io.browserIndexedDB('m1').load!()).rejects.toThrow(/Cannot find model with path 'm1' in IndexedDB/);
    await expect(io.removeModel('indexeddb://m1')).rejects.toThrow(/Cannot find model with path 'm1'/);
  });

  it('copies and moves between media', async () => {
    await io.browserIndexedDB('src').save!(sampleArtifacts());
    await io.copyModel('indexeddb://src', 'localstorage://copy');
    await io.moveModel('indexeddb://src', 'indexeddb://moved');
    expect(Object.keys(await io.listModels()).sort()).toEqual(['indexeddb://moved', 'localstorage://copy']);
    expect(values(await io.browserLocalStorage('copy').load!())).toEqual(values(sampleArtifacts()));
  });

  it("interoperates with tfjs's IndexedDB handler", async () => {
    tf.env().set('IS_BROWSER', true);
    try {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 2, inputShape: [3], name: 'dense' }));
      await m.save('indexeddb://tfjs-model');
      const loaded = await io.browserIndexedDB('tfjs-model').load!();
      expect(Array.from(io.decodeWeights(loaded.weightData!, loaded.weightSpecs!)['dense/bias'].dataSync())).toEqual([0, 0]);
      await io.browserIndexedDB('ours').save!(loaded);
      const back = await tf.loadLayersModel('indexeddb://ours');
      expect(back.getWeights()[0].shape).toEqual([3, 2]);
      expect(Object.keys(await io.listModels()).sort()).toEqual(['indexeddb://ours', 'indexeddb://tfjs-model']);
    } finally {
      tf.env().set('IS_BROWSER', false);
    }
  });
});

describe('downloads:// and browserFiles', () => {
  it('downloads model.json and weights through anchors with Blob URLs', async () => {
    const blobs = new Map<string, Blob>();
    const clicks: Array<{ download: string; href: string }> = [];
    let n = 0;
    const origCreate = URL.createObjectURL;
    URL.createObjectURL = (b: Blob) => {
      const url = `blob:${n++}`;
      blobs.set(url, b);
      return url;
    };
    g.document = {
      createElement: () => {
        const anchor = { download: '', href: '', click: () => clicks.push({ download: anchor.download, href: anchor.href }) };
        return anchor;
      },
    };
    try {
      const a = sampleArtifacts();
      await io.getSaveHandlers('downloads://my-model')[0].save!(a);
      expect(clicks.map((c) => c.download)).toEqual(['my-model.json', 'my-model.weights.bin']);
      const json = JSON.parse(await blobs.get(clicks[0].href)!.text());
      expect(json.weightsManifest[0].paths).toEqual(['./my-model.weights.bin']);
      const weights = await blobs.get(clicks[1].href)!.arrayBuffer();
      expect(new Uint8Array(weights)).toEqual(new Uint8Array(a.weightData as ArrayBuffer));

      // ... and browserFiles loads exactly those files back.
      const files = [new File([JSON.stringify(json)], 'my-model.json'), new File([weights], 'my-model.weights.bin')];
      const loaded = await io.browserFiles(files).load!();
      expect(values(loaded)).toEqual(values(a));
    } finally {
      URL.createObjectURL = origCreate;
      delete g.document;
    }
  });

  it('browserFiles errors name the missing or surplus files', async () => {
    const json = JSON.stringify({
      modelTopology: {},
      weightsManifest: [{ paths: ['./a.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }],
    });
    await expect(io.browserFiles([new File([json], 'model.json'), new File([new Uint8Array(4)], 'b.bin')]).load!()).rejects.toThrow(
      /weight file with basename 'a.bin' is not provided \(given: b.bin\)/,
    );
    await expect(io.browserFiles([new File([json], 'model.json'), new File([new Uint8Array(3)], 'a.bin')]).load!()).rejects.toThrow(
      /weight group 0 needs 4 bytes but its files \(a.bin\) hold 3/,
    );
    await expect(
      io.browserFiles([new File([json], 'model.json'), new File([new Uint8Array(4)], 'a.bin'), new File([''], 'c.bin')]).load!(),
    ).rejects.toThrow(/lists 1 files but 2 weight files were provided/);
    expect(() => io.browserFiles([])).toThrow(/at least 1 file/);
    await expect(io.browserDownloads().save!(sampleArtifacts())).rejects.toThrow(/need 'document'/);
  });
});

describe('fromMemory / withSaveHandler / routing', () => {
  it("fromMemory returns the artifacts (one-argument and tfjs's legacy multi-argument forms)", async () => {
    const a = sampleArtifacts();
    expect(await io.fromMemory(a).load!()).toBe(a);
    const legacy = await io.fromMemory(a.modelTopology as object, a.weightSpecs, a.weightData, { loss: 'mse' }).load!();
    expect(legacy).toEqual({
      modelTopology: a.modelTopology,
      weightSpecs: a.weightSpecs,
      weightData: a.weightData,
      trainingConfig: { loss: 'mse' },
    });
    expect((await io.fromMemory({ class_name: 'Sequential' }).load!()).modelTopology).toEqual({ class_name: 'Sequential' });
  });

  it('withSaveHandler passes the artifacts to the function', async () => {
    let seen: ModelArtifacts | undefined;
    const handler = io.withSaveHandler(async (art) => {
      seen = art;
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(art) };
    });
    const res = await handler.save!(sampleArtifacts());
    expect(seen!.format).toBe('layers-model');
    expect(res.modelArtifactsInfo.weightDataBytes).toBe(26);
  });

  it('routes schemes and reports unknown ones', () => {
    expect(io.getLoadHandlers('ftp://x')).toEqual([]);
    expect(io.getSaveHandlers('downloads://x')).toHaveLength(1);
    expect(io.getLoadHandlers('downloads://x')).toHaveLength(0);
    expect(() => io.resolveHandler('load', 'ftp://x')).toThrow(/Cannot find any load handlers for URL 'ftp:\/\/x'/);
    const custom = { load: async () => sampleArtifacts() };
    io.registerLoadRouter((url) => (url === 'mem://one' ? custom : null));
    expect(io.resolveHandler('load', 'mem://one')).toBe(custom);
  });
});
