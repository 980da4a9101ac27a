/**
 * Issue #13 items 2, 3, 5, 6, 8, 9 (loading): no hostile file hangs or kills the process, and every refusal is
 * the library's own Error naming the field and the limit (io/limits.ts, docs/SECURITY.md). Cases that
 * aborted the process before the fix (26 nested TimeDistributed: heap out of memory, SIGABRT) run in a child
 * process with their own timeout (helpers/child_case.ts); the rest run here.
 */
import { LoadError } from '@recurrent/core';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initializers, layers, resetNameCounters } from '@recurrent/layers';
import { convertPythonicToTs, io, loadLayersModel, normalizeKerasTopology, parseModelJSON, sequential } from '@recurrent/models';
import type { ModelArtifacts } from '@recurrent/models';
import { cloneArtifacts, saveToMemory } from '../serialization/helpers';
import { runInChild } from '../helpers/child_case';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let base: ModelArtifacts;
let tmp: string;
beforeAll(async () => {
  resetNameCounters();
  const m = sequential({
    layers: [layers.lstm({ units: 3, inputShape: [4, 2], name: 'lstm' }), layers.dense({ units: 1, name: 'dense' })],
  });
  base = await saveToMemory(m);
  m.dispose();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-reliability-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const topo = (a: ModelArtifacts): Json => a.modelTopology;
const load = (a: ModelArtifacts, options: Json = {}) => loadLayersModel(io.fromMemory(a), options);

/** `depth` wrappers of `kind` around a Dense, as a Sequential topology. */
function nested(kind: 'TimeDistributed' | 'Bidirectional' | 'Sequential', depth: number): Json {
  let layer: Json = { class_name: 'Dense', config: { name: 'd', units: 1 } };
  if (kind === 'Bidirectional') layer = { class_name: 'LSTM', config: { name: 'l', units: 1 } };
  for (let i = 0; i < depth; i++) {
    if (kind === 'Sequential') layer = { class_name: 'Sequential', config: { name: `s${i}`, layers: [layer] } };
    else if (kind === 'Bidirectional')
      layer = { class_name: i % 2 ? 'TimeDistributed' : 'Bidirectional', config: { name: `w${i}`, layer } };
    else layer = { class_name: 'TimeDistributed', config: { name: `td${i}`, layer } };
  }
  return { class_name: 'Sequential', config: { name: 'm', layers: [layer] } };
}

describe('item 2: nesting is bounded and passes are linear (child process: a regression would abort the process)', () => {
  it('26 and 60 nested TimeDistributed are refused by the wrapper-depth limit; with the limit raised, 60 normalize quickly', () => {
    const r = runInChild(
      `
      const out = {};
      for (const depth of [26, 60]) {
        let layer = { class_name: 'Dense', config: { name: 'd', units: 1 } };
        for (let i = 0; i < depth; i++) layer = { class_name: 'TimeDistributed', config: { name: 'td' + i, layer } };
        const topology = { class_name: 'Sequential', config: { layers: [layer] } };
        try { rc.normalizeKerasTopology(topology); out[depth] = 'normalized'; } catch (e) { out[depth] = e.message; }
        try { await rc.loadLayersModel(rc.io.fromMemory({ modelTopology: topology })); out['load' + depth] = 'loaded'; } catch (e) { out['load' + depth] = e.message; }
      }
      const old = rc.io.setLoadLimits({ maxWrapperDepth: 100 });
      let layer = { class_name: 'Dense', config: { name: 'd', units: 1 } };
      for (let i = 0; i < 60; i++) layer = { class_name: 'TimeDistributed', config: { name: 'td' + i, layer } };
      rc.normalizeKerasTopology({ class_name: 'Sequential', config: { layers: [layer] } });
      out.raised = 'normalized';
      rc.io.setLoadLimits(old);
      done(out);
    `,
      60_000,
      256,
    );
    expect(r.signal).toBeNull();
    expect(r.timedOut).toBe(false);
    expect(r.stderr).toBe('');
    const out = r.result as Record<string, string>;
    for (const d of ['26', '60']) {
      expect(out[d]).toMatch(
        /^normalizeKerasTopology: .*layers nest more than 16 levels deep inside wrappers .*\(limit maxWrapperDepth = 16; raise it with io\.setLoadLimits/,
      );
      expect(out[`load${d}`]).toMatch(/^loadLayersModel: normalizeKerasTopology: .*nest more than 16 levels/);
    }
    expect(out.raised).toBe('normalized');
  });

  for (const kind of ['TimeDistributed', 'Bidirectional', 'Sequential'] as const) {
    it(`${kind}: 16 levels load as before, 17 are refused by name`, () => {
      expect(() => normalizeKerasTopology(nested(kind, 15))).not.toThrow();
      expect(() => normalizeKerasTopology(nested(kind, 17))).toThrow(/nest more than 16 levels deep inside wrappers/);
    });
  }
});

describe('item 3: version strings and every string field are length-capped; versions parse without backtracking', () => {
  const big = (n: number) => '1' + '.1'.repeat(n) + '!';
  it.each([1_000, 120_000, 1_000_000])('a %i-character keras_version, generatedBy or kerasVersion is refused by name', (n) => {
    const v = big(n / 2);
    // Past maxStringLength the topology walk refuses it first; below, the version check does.
    expect(() => normalizeKerasTopology({ ...topo(base), keras_version: v })).toThrow(
      n > 65536
        ? /^normalizeKerasTopology: a string of \d+ characters at modelTopology\.keras_version is longer than 65536 \(limit maxStringLength/
        : /^normalizeKerasTopology: keras_version: a version string of \d+ characters is longer than 256 \(limit maxVersionLength/,
    );
    expect(() => normalizeKerasTopology(topo(base), null, { generatedBy: v })).toThrow(
      /^normalizeKerasTopology: options\.generatedBy: a version string .* longer than 256/,
    );
    expect(() => normalizeKerasTopology(topo(base), null, { kerasVersion: v })).toThrow(
      /^normalizeKerasTopology: options\.kerasVersion: a version string .* longer than 256/,
    );
  });

  it('versions still parse (and a hostile one within the limit is just not a version)', () => {
    expect(normalizeKerasTopology({ ...topo(base), keras_version: 'keras v3.3.3' }).kerasVersion).toBe('3.3.3');
    expect(normalizeKerasTopology({ ...topo(base), keras_version: ' 2.2.4-tf ' }).kerasVersion).toBe('2.2.4-tf');
    expect(normalizeKerasTopology({ ...topo(base), keras_version: 'Keras V 2.15.0' }).kerasVersion).toBe('2.15.0');
    const r = normalizeKerasTopology({ ...topo(base), keras_version: big(120) });
    expect(r.kerasVersion).toBeNull();
    expect(r.warnings[0]).toMatch(/is not a version number; it is ignored/);
  });

  it('a long string or key anywhere in the topology is refused naming its path and the limit', async () => {
    const a = cloneArtifacts(base);
    topo(a).config.layers[0].config.name = 'x'.repeat(70_000);
    await expect(load(a)).rejects.toThrow(
      /^loadLayersModel: a string of 70000 characters at modelTopology\.config\.layers\[0\]\.config\.name is longer than 65536 \(limit maxStringLength/,
    );
    const b = cloneArtifacts(base);
    topo(b).config.layers[0].config['k'.repeat(70_000)] = 1;
    await expect(load(b)).rejects.toThrow(
      /^loadLayersModel: a key of 70000 characters at modelTopology\.config\.layers\[0\]\.config is longer than 65536/,
    );
    expect(() => convertPythonicToTs({ a: 'y'.repeat(70_000) })).toThrow(/^convertPythonicToTs: a string of 70000 characters at a/);
  });

  it('base64 of a long run of padding is refused in linear time', () => {
    expect(() => io.base64StringToArrayBuffer('='.repeat(200_000) + '!')).toThrow(/^base64StringToArrayBuffer: /);
    expect(() => io.base64StringToArrayBuffer(' '.repeat(200_000) + 'AA!A')).toThrow(/^base64StringToArrayBuffer: invalid character/);
    expect(new Uint8Array(io.base64StringToArrayBuffer('AQID \n== \t'))).toEqual(new Uint8Array([1, 2, 3]));
  });
});

describe('item 9: shared sub-objects, BOM and string shapes', () => {
  /** A DAG of `depth` levels, each referencing the level below twice: 2^depth paths. */
  function dag(depth: number): Json {
    let node: Json = { class_name: 'Dense', config: { units: 1 } };
    for (let i = 0; i < depth; i++) node = { a: node, b: node };
    return node;
  }
  it('a hand-built fromMemory object sharing sub-objects is refused by the value limit, not walked exponentially', async () => {
    const a = cloneArtifacts(base);
    topo(a).config.layers[1].config.extra = dag(60);
    const old = io.setLoadLimits({ maxJsonValues: 100_000 }); // the default (1e6) behaves the same, 10× slower
    try {
      await expect(load(a)).rejects.toThrow(
        /^loadLayersModel: the JSON holds more than 100000 values \(a shared sub-object counts once per reference\).*\(limit maxJsonValues/,
      );
      expect(() => normalizeKerasTopology({ class_name: 'Sequential', config: { layers: [], x: dag(60) } })).toThrow(
        /holds more than 100000 values/,
      );
      expect(() => convertPythonicToTs(dag(60))).toThrow(/^convertPythonicToTs: the JSON holds more than 100000 values/);
    } finally {
      io.setLoadLimits(old);
    }
    // A few shared references are fine for the size walk.
    expect(() => normalizeKerasTopology({ class_name: 'Sequential', config: { layers: [], x: dag(4) } })).not.toThrow();
  });

  it('a UTF-8 byte order mark before model.json is accepted (string and file)', async () => {
    const json = JSON.stringify({ modelTopology: topo(base), weightsManifest: [{ paths: ['./weights.bin'], weights: base.weightSpecs }] });
    expect(parseModelJSON('\uFEFF' + json).modelTopology).toEqual(topo(base));
    fs.writeFileSync(path.join(tmp, 'model.json'), '\uFEFF' + json, 'utf8');
    fs.writeFileSync(path.join(tmp, 'weights.bin'), Buffer.from(base.weightData as ArrayBuffer));
    const m = await loadLayersModel(`file://${path.join(tmp, 'model.json')}`);
    expect(m.weights.length).toBe(5);
    m.dispose();
  });

  it.each([
    ['a string', '[null, 4, 2]'],
    ['a number', 7],
    ['an object', { 0: null }],
    ['negative dims', [null, -4, 2]],
  ])('batch_input_shape as %s is refused naming the layer and option', async (_what, shape) => {
    const a = cloneArtifacts(base);
    topo(a).config.layers[0].config.batch_input_shape = shape;
    const err = await load(a).then(
      () => null,
      (e) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(LoadError);
    expect(err!.message).toMatch(/^loadLayersModel: .*(batch_input_shape|batchInputShape)/);
    expect(err!.message).not.toMatch(/is not a function/);
    expect(() => layers.lstm({ units: 1, batchInputShape: shape as Json })).toThrow(
      /^LSTM: batchInputShape must be an array of non-negative integers or nulls/,
    );
  });
});

describe('item 5: work before validation', () => {
  it('a topology-only LSTM(4096) is refused (strict) after at most a bounded number of zeros, naming the layer and weight', async () => {
    const a = {
      modelTopology: {
        class_name: 'Sequential',
        config: { layers: [{ class_name: 'LSTM', config: { units: 4096, batch_input_shape: [null, 2, 4096] } }] },
      },
    };
    await expect(load(a as ModelArtifacts)).rejects.toThrow(
      /^loadLayersModel: layer 0 .*Layer lstm\w*: weight 'kernel' \[4096,16384\] brings the weights created so far to 67108864 values, more than 1048576: the file has no weights/,
    );
  });

  it('Dense(65536) on [null, 4096] without weights: strict refuses; non-strict is bounded by maxParameters (lowered here)', async () => {
    const a = {
      modelTopology: {
        class_name: 'Sequential',
        config: { layers: [{ class_name: 'Dense', config: { units: 65536, batch_input_shape: [null, 4096] } }] },
      },
    };
    await expect(load(a as ModelArtifacts)).rejects.toThrow(/weight 'kernel' \[4096,65536\] .* more than 1048576: the file has no weights/);
    await expect(load(a as ModelArtifacts, { strict: false })).rejects.toThrow(
      /weight 'kernel' \[4096,65536\] brings .* to 268435456 values, more than 200000000: the topology declares more weights than the maxParameters limit/,
    );
    const old = io.setLoadLimits({ maxParameters: 1000 });
    try {
      const small = {
        modelTopology: {
          class_name: 'Sequential',
          config: { layers: [{ class_name: 'Dense', config: { units: 64, batch_input_shape: [null, 64] } }] },
        },
      };
      await expect(load(small as ModelArtifacts, { strict: false })).rejects.toThrow(
        /more than 1000: .*\(limit maxParameters = 1000; raise it with io\.setLoadLimits/,
      );
      await expect(load(cloneArtifacts(base))).resolves.toBeDefined(); // 53 values: within the lowered limit
      const c = cloneArtifacts(base);
      c.weightSpecs![0].shape = [100, 12];
      await expect(load(c)).rejects.toThrow(
        /^loadLayersModel: the file declares 1252 weight values, more than 1000 \(limit maxParameters = 1000/,
      );
    } finally {
      io.setLoadLimits(old);
    }
  });

  it('strict loads skip the initializers of weights about to be replaced; non-strict ones run them', async () => {
    const proto = Object.getPrototypeOf(initializers.orthogonal());
    const spy = jest.spyOn(proto, 'apply');
    try {
      const m = await load(cloneArtifacts(base));
      expect(spy).not.toHaveBeenCalled();
      const fromFile = new Float32Array(base.weightData as ArrayBuffer);
      expect(Array.from(m.weights[1].read().dataSync())).toEqual(
        Array.from(fromFile.subarray(24, 60) /* after kernel [2,12]: recurrent_kernel [3,12] */),
      );
      m.dispose();
      const n = await load(cloneArtifacts(base), { strict: false });
      expect(spy).toHaveBeenCalled();
      n.dispose();
    } finally {
      spy.mockRestore();
    }
  });

  it('setLoadLimits refuses unknown limits and bad values', () => {
    expect(() => io.setLoadLimits({ maxParams: 1 } as Json)).toThrow(/^setLoadLimits: unknown limit 'maxParams'; known: maxJsonDepth/);
    expect(() => io.setLoadLimits({ maxParameters: -1 })).toThrow(/'maxParameters' must be a positive integer or Infinity, received -1/);
    expect(() => io.setLoadLimits({ maxParameters: '5' } as Json)).toThrow(/received string/);
    expect(io.getLoadLimits()).toEqual(io.DEFAULT_LOAD_LIMITS);
  });
});

describe('item 8: file:// containment on real paths', () => {
  it('a weights.bin that is a symlink to a file outside the model folder is refused without revealing its size', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'model-'));
    const outside = path.join(tmp, 'secret.bin');
    fs.writeFileSync(outside, Buffer.alloc(12345));
    fs.symlinkSync(outside, path.join(dir, 'weights.bin'));
    fs.writeFileSync(
      path.join(dir, 'model.json'),
      JSON.stringify({ modelTopology: topo(base), weightsManifest: [{ paths: ['./weights.bin'], weights: base.weightSpecs }] }),
    );
    const err = await loadLayersModel(`file://${path.join(dir, 'model.json')}`).then(
      () => null,
      (e) => e as Error,
    );
    expect(err!.message).toMatch(/weight path '\.\/weights\.bin' in .* resolves \(through a symbolic link\) outside the model directory/);
    expect(err!.message).not.toMatch(/12345/);
    // A symlinked directory component is resolved the same way.
    const sub = fs.mkdtempSync(path.join(tmp, 'outdir-'));
    fs.writeFileSync(path.join(sub, 'w.bin'), Buffer.from(base.weightData as ArrayBuffer));
    fs.symlinkSync(sub, path.join(dir, 'link'));
    fs.writeFileSync(
      path.join(dir, 'model2.json'),
      JSON.stringify({ modelTopology: topo(base), weightsManifest: [{ paths: ['link/w.bin'], weights: base.weightSpecs }] }),
    );
    await expect(loadLayersModel(`file://${path.join(dir, 'model2.json')}`)).rejects.toThrow(/outside the model directory/);
  });

  it('a model folder reached through a symlink still loads (containment is against the real folder)', async () => {
    const real = fs.mkdtempSync(path.join(tmp, 'real-'));
    fs.writeFileSync(path.join(real, 'weights.bin'), Buffer.from(base.weightData as ArrayBuffer));
    fs.writeFileSync(
      path.join(real, 'model.json'),
      JSON.stringify({ modelTopology: topo(base), weightsManifest: [{ paths: ['./weights.bin'], weights: base.weightSpecs }] }),
    );
    const link = path.join(tmp, `link-${path.basename(real)}`);
    fs.symlinkSync(real, link);
    const m = await loadLayersModel(`file://${path.join(link, 'model.json')}`);
    expect(m.weights.length).toBe(5);
    m.dispose();
  });

  it('a shard listed many times is read once', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'dup-'));
    const bytes = Buffer.from(base.weightData as ArrayBuffer);
    // Two groups whose shards are the same file: the second group's specs are the first's, renamed.
    fs.writeFileSync(path.join(dir, 'w.bin'), bytes);
    const specs2 = base.weightSpecs!.map((s) => ({ ...s, name: `copy/${s.name}` }));
    fs.writeFileSync(
      path.join(dir, 'model.json'),
      JSON.stringify({
        modelTopology: topo(base),
        weightsManifest: [
          { paths: ['./w.bin'], weights: base.weightSpecs },
          { paths: ['w.bin'], weights: specs2 },
        ],
      }),
    );
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const fsp = require('fs/promises');
    const spy = jest.spyOn(fsp, 'readFile');
    try {
      const m = await loadLayersModel(`file://${path.join(dir, 'model.json')}`, { strict: false });
      const shardReads = spy.mock.calls.filter((c) => String(c[0]).endsWith('w.bin'));
      expect(shardReads.length).toBe(1);
      expect(m.loadReport!.extra.length).toBe(5);
      m.dispose();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('item 7 from files: snake_case keys are converted, then validated', () => {
  it('a "false" string, a typo and an unknown key in a file are refused naming the layer and option', async () => {
    const a = cloneArtifacts(base);
    topo(a).config.layers[0].config.return_sequences = 'false';
    await expect(load(a)).rejects.toThrow(
      /^loadLayersModel: layer 0 \('lstm', class LSTM\): cannot create the layer from its config: LSTM: returnSequences must be true or false, received the string 'false'/,
    );
    const b = cloneArtifacts(base);
    topo(b).config.layers[0].config.return_sequence = true;
    await expect(load(b)).rejects.toThrow(
      /^loadLayersModel: layer 0 .*LSTM: unknown option 'returnSequence'; did you mean 'returnSequences'\?/,
    );
    const c = cloneArtifacts(base);
    topo(c).config.layers[1].config.use_biass = true;
    await expect(load(c)).rejects.toThrow(/^loadLayersModel: layer 1 .*Dense: unknown option 'useBiass'; did you mean 'useBias'\?/);
  });

  it('Keras-only keys (seed, lora_rank, quantization_config, ...) load with a warning', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const a = cloneArtifacts(base);
      Object.assign(topo(a).config.layers[1].config, { lora_rank: null, quantization_config: null });
      const m = await load(a);
      expect(
        warn.mock.calls.some((x) =>
          /Dense: option 'loraRank' is accepted for tfjs\/Keras compatibility but has no effect here/.test(String(x[0])),
        ),
      ).toBe(true);
      m.dispose();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('item 6: strict loading never matches by position', () => {
  it('weights whose names match nothing are refused with the unmatched names; positional only when asked, and reported', async () => {
    const a = cloneArtifacts(base);
    a.weightSpecs!.forEach((s, i) => (s.name = `keras_${i}/w`));
    await expect(load(a)).rejects.toThrow(
      /^loadLayersModel: 5 of 5 model weights have no value in the file: lstm\/kernel \[2,12\].*the file has weights no variable takes: keras_0\/w \[2,12\]/,
    );
    const r = await load(cloneArtifacts(a), { strict: false });
    expect(r.loadReport!.matched).toEqual([]);
    r.dispose();
    const p = await load(cloneArtifacts(a), { allowPositional: true });
    expect(p.loadReport!.matched.every((w) => w.match === 'position')).toBe(true);
    expect(p.loadReport!.warnings.some((w) => /5 weights matched by position \(allowPositional\)/.test(w))).toBe(true);
    p.dispose();
    await expect(load(cloneArtifacts(a), { allowPositional: 'yes' })).rejects.toThrow(
      /^loadLayersModel: options\.allowPositional must be true or false, received the string 'yes'/,
    );
  });
});
