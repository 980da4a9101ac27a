/**
 * Loading hostile or broken files: every failure is an Error starting 'loadLayersModel: ' that names what is wrong
 * (the class, the key, the weight), nothing is allocated for absurd shapes, and a failed load leaves nothing behind
 * (its variables are disposed, so their names are free again).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findVariable } from '@recurrent/core';
import { layers, resetNameCounters } from '@recurrent/layers';
import { io, loadLayersModel, sequential } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { cloneArtifacts, saveToMemory } from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

let base: ModelArtifacts;
let tmp: string;

beforeAll(async () => {
  resetNameCounters();
  const model = sequential({
    layers: [layers.lstm({ units: 3, inputShape: [4, 2], name: 'lstm' }), layers.dense({ units: 1, name: 'dense' })],
  });
  base = await saveToMemory(model);
  model.dispose(); // so the names 'lstm/kernel', ... are free: a load that succeeds takes them unsuffixed
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-safety-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const load = (a: ModelArtifacts, strict = true) => loadLayersModel(io.fromMemory(a), { strict });
const topo = (a: ModelArtifacts): any => a.modelTopology;

function specIndex(a: ModelArtifacts, name: string): number {
  return a.weightSpecs!.findIndex((s) => s.name === name);
}

describe('bad topologies', () => {
  it('unknown class_name', async () => {
    const a = cloneArtifacts(base);
    topo(a).config.layers[1].class_name = 'Dense2';
    await expect(load(a)).rejects.toThrow(
      /^loadLayersModel: layer 1 \('dense', class Dense2\): unknown layer class 'Dense2'\. Known layer classes: Activation, .*Bidirectional, .*serialization\.registerClass\(Dense2\)/,
    );
  });

  it('__proto__, constructor and prototype keys are rejected wherever they are (memory and file)', async () => {
    const text = JSON.stringify({
      modelTopology: topo(base),
      weightsManifest: [{ paths: ['./weights.bin'], weights: base.weightSpecs }],
    }).replace('"units":3', '"units":3,"__proto__":{"polluted":true}');
    fs.writeFileSync(path.join(tmp, 'model.json'), text);
    fs.writeFileSync(path.join(tmp, 'weights.bin'), Buffer.from(base.weightData as ArrayBuffer));
    await expect(loadLayersModel(`file://${path.join(tmp, 'model.json')}`)).rejects.toThrow(
      /^loadLayersModel: parseModelJSON: forbidden key '__proto__' at modelTopology\.config\.layers\[0\]\.config\.__proto__/,
    );
    const a = cloneArtifacts(base);
    Object.defineProperty(topo(a).config.layers[1].config, 'constructor', { value: { x: 1 }, enumerable: true });
    await expect(load(a)).rejects.toThrow(
      /^loadLayersModel: forbidden key 'constructor' at modelTopology\.config\.layers\[1\]\.config\.constructor/,
    );
    expect(({} as any).polluted).toBeUndefined();
  });

  it('malformed JSON, a missing topology, a functional model, a graph model, bad layer lists', async () => {
    fs.writeFileSync(path.join(tmp, 'broken.json'), '{"modelTopology": {"class_name": "Sequential", ');
    await expect(loadLayersModel(`file://${path.join(tmp, 'broken.json')}`)).rejects.toThrow(
      /^loadLayersModel: parseModelJSON: model\.json is not valid JSON/,
    );
    await expect(load({ weightSpecs: [], weightData: new ArrayBuffer(0) })).rejects.toThrow(
      /^loadLayersModel: modelTopology must be an object/,
    );
    await expect(load({ ...cloneArtifacts(base), modelTopology: { class_name: 'Functional', config: {} } })).rejects.toThrow(
      /^loadLayersModel: modelTopology\.config\.layers must be an array of \{class_name, config\}/,
    );
    await expect(load({ ...cloneArtifacts(base), format: 'graph-model' })).rejects.toThrow(/graph model/);
    await expect(
      load({ ...cloneArtifacts(base), modelTopology: { class_name: 'Sequential', config: { layers: 'lstm' } } }),
    ).rejects.toThrow(/^loadLayersModel: normalizeKerasTopology: config\.layers: must be an array of layers/);
    await expect(
      load({ ...cloneArtifacts(base), modelTopology: { class_name: 'Sequential', config: { layers: [{ config: {} }] } } }),
    ).rejects.toThrow(/^loadLayersModel: normalizeKerasTopology: config\.layers\[0\]\.class_name: must be the layer's class name/);
    const a = cloneArtifacts(base);
    topo(a).config.layers[0].config.units = 'three';
    await expect(load(a)).rejects.toThrow(
      /^loadLayersModel: layer 0 \('lstm', class LSTM\): cannot create the layer from its config: .*units/,
    );
    const b = cloneArtifacts(base);
    delete topo(b).config.layers[0].config.batch_input_shape;
    await expect(load(b)).rejects.toThrow(/^loadLayersModel: the model's input shape is unknown .*batch_input_shape/);
    await expect(loadLayersModel(io.fromMemory(base), { strick: true } as any)).rejects.toThrow(
      /^loadLayersModel: unknown option 'strick'; did you mean 'strict'\? Known options: strict, allowPositional/,
    );
    await expect(loadLayersModel(io.withSaveHandler(async () => ({}) as any))).rejects.toThrow(
      /^loadLayersModel: the IOHandler has no load method/,
    );
  });

  it('absurd sizes are refused before anything is allocated', async () => {
    const a = cloneArtifacts(base);
    topo(a).config.layers[0].config.units = 1e9;
    await expect(load(a)).rejects.toThrow(
      /^loadLayersModel: layer 0 \(LSTM\): config\.units is 1000000000, larger than 76 \(the file's weights have 76 values in all\)/,
    );
    const b = cloneArtifacts(base);
    topo(b).config.layers[0].config.batch_input_shape = [null, 4, 2 ** 40];
    await expect(load(b)).rejects.toThrow(/batchInputShape\[2\] must be null or an integer in \[0, 16777216\]/);
    const c = cloneArtifacts(base);
    c.weightSpecs![0].shape = [1e6, 1e6];
    await expect(load(c)).rejects.toThrow(
      /^loadLayersModel: the file declares 1000000000052 weight values, more than 200000000 \(limit maxParameters = 200000000; raise it with io.setLoadLimits/,
    );
  });
});

describe('bad weights', () => {
  it('a weight whose manifest shape does not match its variable', async () => {
    const a = cloneArtifacts(base);
    a.weightSpecs![specIndex(a, 'dense/kernel')].shape = [1, 3];
    await expect(load(a)).rejects.toThrow(
      /^loadLayersModel: .*'dense\/kernel' has shape \[1,3\] but variable 'dense\/kernel' expects \[3,1\]/,
    );
    const m = await load(a, false);
    expect(m.loadReport!.mismatched).toEqual([
      {
        name: 'dense/kernel',
        source: 'dense/kernel',
        expectedShape: [3, 1],
        fileShape: [1, 3],
        expectedDtype: 'float32',
        fileDtype: 'float32',
      },
    ]);
    m.dispose();
  });

  it('a weight whose manifest dtype does not match (int32 for a float32 variable), and an unknown dtype', async () => {
    const a = cloneArtifacts(base);
    a.weightSpecs![specIndex(a, 'dense/bias')].dtype = 'int32';
    await expect(load(a)).rejects.toThrow(
      /shapes or dtypes differ: file weight dense\/bias \[1\] int32 for variable dense\/bias \[1\] float32/,
    );
    const b = cloneArtifacts(base);
    (b.weightSpecs![0] as any).dtype = 'float64';
    await expect(load(b)).rejects.toThrow(/^loadLayersModel: decodeWeights: .*weight 'lstm\/kernel'.*float64/);
  });

  it('byte lengths: a truncated weights file names the first weight that does not fit; trailing bytes are refused', async () => {
    fs.writeFileSync(
      path.join(tmp, 'model.json'),
      JSON.stringify({ modelTopology: topo(base), weightsManifest: [{ paths: ['./weights.bin'], weights: base.weightSpecs }] }),
    );
    fs.writeFileSync(path.join(tmp, 'weights.bin'), Buffer.from((base.weightData as ArrayBuffer).slice(0, 200)));
    await expect(loadLayersModel(`file://${path.join(tmp, 'model.json')}`)).rejects.toThrow(
      /^loadLayersModel: fileSystem\(.*\)\.load: weight group 0 needs 304 bytes but its files hold 200: .*weights\.bin \(200 bytes\)/,
    );
    const t = cloneArtifacts(base);
    t.weightData = (t.weightData as ArrayBuffer).slice(0, 200);
    await expect(load(t)).rejects.toThrow(
      /^loadLayersModel: decodeWeights: the weight data is truncated: weight 'lstm\/recurrent_kernel' \(shape \[3,12\], float32\) needs bytes 96\.\.240 but the data has 200 bytes/,
    );
    const a = cloneArtifacts(base);
    a.weightData = new Uint8Array([...new Uint8Array(a.weightData as ArrayBuffer), 1, 2, 3, 4]).buffer;
    await expect(load(a)).rejects.toThrow(
      /^loadLayersModel: decodeWeights: the weight data has 308 bytes but the 5 weight specs describe 304 bytes/,
    );
    await expect(load({ ...cloneArtifacts(base), weightData: undefined })).rejects.toThrow(/have 5 weight specs but no weightData/);
  });

  it('missing and extra weights: strict lists them; non-strict loads and reports them (a dry run)', async () => {
    const a = cloneArtifacts(base);
    const i = specIndex(a, 'dense/bias');
    a.weightSpecs!.splice(i, 1);
    a.weightData = (a.weightData as ArrayBuffer).slice(0, 300);
    a.weightSpecs!.find((s) => s.name === 'lstm/bias')!.name = 'lstm/bias_old';
    a.weightSpecs!.find((s) => s.name === 'dense/kernel')!.name = 'other/kernel';
    const err = await load(a).then(
      () => null,
      (e) => e as Error,
    );
    expect(err!.message).toMatch(
      /^loadLayersModel: 3 of 5 model weights have no value in the file: lstm\/bias \[12\], dense\/kernel \[3,1\], dense\/bias \[1\]; the file has weights no variable takes: lstm\/bias_old \[12\], other\/kernel \[3,1\]\. Load with \{strict: false\} to inspect model\.loadReport instead\./,
    );
    const m = await load(a, false);
    const r = m.loadReport!;
    expect(r.strict).toBe(false);
    expect(r.matched.map((w) => w.name)).toEqual(['lstm/kernel', 'lstm/recurrent_kernel']);
    expect(r.missing).toEqual([
      { name: 'lstm/bias', shape: [12] },
      { name: 'dense/kernel', shape: [3, 1] },
      { name: 'dense/bias', shape: [1] },
    ]);
    expect(r.extra).toEqual([
      { name: 'lstm/bias_old', shape: [12] },
      { name: 'other/kernel', shape: [3, 1] },
    ]);
    m.dispose();
    // Topology only: strict refuses (the model would have initial weights), non-strict loads and lists all as missing.
    await expect(load({ modelTopology: topo(base) })).rejects.toThrow(/the file has no weights .* but the model has 5/);
    const t = await load({ modelTopology: topo(base) }, false);
    expect(t.loadReport!.missing.length).toBe(5);
    t.dispose();
  });

  it('Keras / TF>=2.2 names (cell segment) are matched and reported as renamed', async () => {
    const a = cloneArtifacts(base);
    a.weightSpecs!.forEach((s) => (s.name = s.name.replace('lstm/', 'lstm/lstm_cell/')));
    const m = await load(a);
    expect(m.loadReport!.matched.slice(0, 3).map((w) => [w.name, w.source, w.match])).toEqual([
      ['lstm/kernel', 'lstm/lstm_cell/kernel', 'renamed'],
      ['lstm/recurrent_kernel', 'lstm/lstm_cell/recurrent_kernel', 'renamed'],
      ['lstm/bias', 'lstm/lstm_cell/bias', 'renamed'],
    ]);
    m.dispose();
    // Names that match nothing, left over in equal numbers with equal shapes: a strict load refuses them, naming
    // them (tfjs refuses such files too); they pair up by position (Keras's by-order loading) only when asked,
    // and the report says so.
    const b = cloneArtifacts(base);
    b.weightSpecs![specIndex(b, 'dense/bias')].name = 'dense_9/bias';
    await expect(load(b)).rejects.toThrow(
      /^loadLayersModel: 1 of 5 model weights have no value in the file: dense\/bias \[1\]; the file has weights no variable takes: dense_9\/bias \[1\]/,
    );
    const p = await loadLayersModel(io.fromMemory(cloneArtifacts(b)), { allowPositional: true });
    expect(p.loadReport!.matched[4]).toEqual({ name: 'dense/bias', source: 'dense_9/bias', shape: [1], match: 'position' });
    expect(p.loadReport!.warnings).toContain('1 weights matched by position (allowPositional), not by name: dense_9/bias → dense/bias');
    p.dispose();
  });

  it('a failed load disposes what it built: the variable names are free for the next load', async () => {
    const bad = cloneArtifacts(base);
    bad.weightSpecs!.splice(specIndex(bad, 'dense/bias'), 1);
    bad.weightData = (bad.weightData as ArrayBuffer).slice(0, 300);
    await expect(load(bad)).rejects.toThrow(/have no value in the file: dense\/bias \[1\]/);
    expect(findVariable('lstm/kernel')).toBeUndefined();
    expect(findVariable('dense/kernel')).toBeUndefined();
    const good = await load(cloneArtifacts(base));
    expect(good.weights.map((w) => w.name)).toEqual(good.weights.map((w) => w.originalName));
    good.dispose();
  });
});
