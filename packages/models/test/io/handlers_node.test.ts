import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { tensor } from '@recurrent/core';
import { io } from '@recurrent/models';
import type { ModelArtifacts, WeightsManifestEntry } from '@recurrent/models';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'io');

function sampleArtifacts(): ModelArtifacts {
  const { data, specs } = io.encodeWeights({
    'lstm/kernel': tensor([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]),
    'lstm/bias': tensor([0.5, -0.5, 1.5, -1.5]),
    'emb/ids': tensor([3, 4], undefined, 'int32'),
  });
  return {
    modelTopology: { class_name: 'Sequential', config: { name: 'seq', layers: [] } },
    format: 'layers-model',
    generatedBy: 'recurrent test',
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: { note: 'hi' },
    trainingConfig: { loss: 'mean_squared_error', metrics: ['mse'], optimizer_config: { class_name: 'SGD', config: {} } },
  };
}

function values(artifacts: ModelArtifacts) {
  const out = io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.dataSync())]));
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recurrent-io-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('file://', () => {
  it('round-trips through a directory (model.json + weights.bin, as tfjs-node)', async () => {
    const artifacts = sampleArtifacts();
    const dir = path.join(tmp, 'nested', 'model');
    const [saver] = io.getSaveHandlers(`file://${dir}`);
    const result = await saver.save!(artifacts);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe((artifacts.weightData as ArrayBuffer).byteLength);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest).toEqual([{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }]);
    expect(json.format).toBe('layers-model');

    for (const url of [`file://${dir}`, `file://${dir}/model.json`]) {
      const [loader] = io.getLoadHandlers(url);
      const loaded = await loader.load!();
      expect(loaded.modelTopology).toEqual(artifacts.modelTopology);
      expect(loaded.trainingConfig).toEqual(artifacts.trainingConfig);
      expect(loaded.userDefinedMetadata).toEqual({ note: 'hi' });
      expect(loaded.weightSpecs).toEqual(artifacts.weightSpecs);
      expect(values(loaded)).toEqual(values(artifacts));
    }
  });

  it('saves to a .json path with the weights beside it', async () => {
    await io.fileSystem(path.join(tmp, 'my.json')).save!(sampleArtifacts());
    expect(fs.readdirSync(tmp).sort()).toEqual(['my.json', 'weights.bin']);
    expect(values(await io.fileSystem(path.join(tmp, 'my.json')).load!())).toEqual(values(sampleArtifacts()));
  });

  it('loads a hand-written model.json with 2 groups and 3 shards, concatenated in order', async () => {
    const a = io.encodeWeights({
      'd/kernel': tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      'd/bias': tensor([7, 8]),
    });
    const b = io.encodeWeights({ 'e/table': tensor([9, 10, 11], undefined, 'int32') });
    const bytesA = new Uint8Array(a.data);
    fs.mkdirSync(path.join(tmp, 'shards'));
    fs.writeFileSync(path.join(tmp, 'group1-shard1of2.bin'), bytesA.subarray(0, 10));
    fs.writeFileSync(path.join(tmp, 'group1-shard2of2.bin'), bytesA.subarray(10));
    fs.writeFileSync(path.join(tmp, 'shards', 'group2-shard1of1.bin'), new Uint8Array(b.data));
    fs.writeFileSync(
      path.join(tmp, 'model.json'),
      JSON.stringify({
        modelTopology: { class_name: 'Sequential', config: { layers: [] } },
        format: 'layers-model',
        weightsManifest: [
          { paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: a.specs },
          { paths: ['shards/group2-shard1of1.bin'], weights: b.specs },
        ],
      }),
    );
    const loaded = await io.fileSystem(tmp).load!();
    expect(loaded.weightSpecs!.map((s) => s.name)).toEqual(['d/kernel', 'd/bias', 'e/table']);
    expect(values(loaded)).toEqual({ 'd/kernel': [1, 2, 3, 4, 5, 6], 'd/bias': [7, 8], 'e/table': [9, 10, 11] });
  });

  it('loads the model.json and weights written by tfjs', async () => {
    const loaded = await io.fileSystem(path.join(FIXTURES, 'tfjs_bidirectional_lstm.model.json')).load!();
    expect(loaded.format).toBe('layers-model');
    expect(loaded.weightSpecs!.length).toBe(12);
    const w = io.decodeWeights(loaded.weightData!, loaded.weightSpecs!);
    expect(w['bidirectional/forward_lstm/kernel'].shape).toEqual([4, 12]);
    expect(w['gru/kernel'].shape).toEqual([6, 6]);
  });

  it('gives clear errors for missing files, wrong sizes, escaping paths and bad JSON', async () => {
    await expect(io.fileSystem(path.join(tmp, 'nope')).load!()).rejects.toThrow(/no such file or directory/);
    await expect(io.fileSystem(tmp).load!()).rejects.toThrow(/has no model.json/);
    const write = (manifest: unknown) =>
      fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: manifest }));
    const spec: WeightsManifestEntry = { name: 'w', shape: [4], dtype: 'float32' };
    write([{ paths: ['w.bin'], weights: [spec] }]);
    await expect(io.fileSystem(tmp).load!()).rejects.toThrow(/weight file '.*w\.bin' \(weightsManifest\[0\]\) does not exist/);
    fs.writeFileSync(path.join(tmp, 'w.bin'), new Uint8Array(12));
    await expect(io.fileSystem(tmp).load!()).rejects.toThrow(/weight group 0 needs 16 bytes but its files hold 12: .*w\.bin \(12 bytes\)/);
    write([{ paths: ['../outside.bin'], weights: [spec] }]);
    await expect(io.fileSystem(tmp).load!()).rejects.toThrow(/points outside the model directory/);
    write([{ paths: ['/etc/passwd'], weights: [spec] }]);
    await expect(io.fileSystem(tmp).load!()).rejects.toThrow(/must be relative/);
    fs.writeFileSync(path.join(tmp, 'model.json'), '{"modelTopology": {}, "weightsManifest": [');
    await expect(io.fileSystem(tmp).load!()).rejects.toThrow(/model.json is not valid JSON/);
    fs.writeFileSync(path.join(tmp, 'file'), 'x');
    await expect(io.fileSystem(path.join(tmp, 'file')).save!(sampleArtifacts())).rejects.toThrow(/exists and is not a directory/);
  });
});

describe('http:// (a local server on 127.0.0.1)', () => {
  let server: http.Server;
  let base: string;
  const files = new Map<string, Buffer>();
  const requests: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url!);
      const key = req.url!.split('?')[0];
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          files.set(`POST ${key}`, Buffer.concat(chunks));
          files.set(`POST-TYPE ${key}`, Buffer.from(String(req.headers['content-type'])));
          res.writeHead(200).end('ok');
        });
        return;
      }
      const body = files.get(key);
      if (!body) res.writeHead(404).end('not found');
      else res.writeHead(200, { 'content-type': key.endsWith('.json') ? 'application/json' : 'application/octet-stream' }).end(body);
    });
    server.keepAliveTimeout = 100;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    files.clear();
    requests.length = 0;
  });

  function serveModel(dir: string, shardsA: Buffer[], specs: WeightsManifestEntry[]) {
    const paths = shardsA.map((_b, i) => `group1-shard${i + 1}of${shardsA.length}.bin`);
    shardsA.forEach((b, i) => files.set(`${dir}/${paths[i]}`, b));
    files.set(
      `${dir}/model.json`,
      Buffer.from(
        JSON.stringify({
          modelTopology: { class_name: 'Sequential', config: { layers: [] } },
          format: 'layers-model',
          weightsManifest: [{ paths, weights: specs }],
        }),
      ),
    );
  }

  it('loads model.json and its shards relative to the model URL (query string kept, as tfjs)', async () => {
    const a = sampleArtifacts();
    const bytes = Buffer.from(a.weightData as ArrayBuffer);
    serveModel('/models/m1', [bytes.subarray(0, 7), bytes.subarray(7)], a.weightSpecs!);
    const progress: number[] = [];
    const [loader] = io.getLoadHandlers(`${base}/models/m1/model.json?v=3`, { onProgress: (f) => progress.push(f) });
    const loaded = await loader.load!();
    expect(values(loaded)).toEqual(values(a));
    expect(requests).toEqual(['/models/m1/model.json?v=3', '/models/m1/group1-shard1of2.bin?v=3', '/models/m1/group1-shard2of2.bin?v=3']);
    expect(progress[0]).toBe(0);
    expect(progress[progress.length - 1]).toBe(1);
  });

  it('uses {fetchFunc} and weightPathPrefix when given', async () => {
    const a = sampleArtifacts();
    serveModel('/m2', [Buffer.from(a.weightData as ArrayBuffer)], a.weightSpecs!);
    files.set('/cdn/group1-shard1of1.bin', files.get('/m2/group1-shard1of1.bin')!);
    const seen: string[] = [];
    const fetchFunc = (url: string, init?: RequestInit) => {
      seen.push(url);
      return fetch(url, init);
    };
    const loaded = await io.http(`${base}/m2/model.json`, { fetchFunc, weightPathPrefix: `${base}/cdn/` }).load!();
    expect(values(loaded)).toEqual(values(a));
    expect(seen).toEqual([`${base}/m2/model.json`, `${base}/cdn/group1-shard1of1.bin`]);
  });

  it('names the URL and status on HTTP errors, and the shard on size mismatches', async () => {
    await expect(io.http(`${base}/missing/model.json`).load!()).rejects.toThrow(
      /model JSON at http:\/\/127\.0\.0\.1:\d+\/missing\/model\.json failed with status 404/,
    );
    const a = sampleArtifacts();
    serveModel('/m3', [Buffer.from(a.weightData as ArrayBuffer).subarray(0, 5)], a.weightSpecs!);
    await expect(io.http(`${base}/m3/model.json`).load!()).rejects.toThrow(
      /weight group 0 \('lstm\/kernel', 'lstm\/bias', 'emb\/ids'\) needs 56 bytes but its shard files hold 5: http:.*group1-shard1of1\.bin \(5 bytes\)/,
    );
    files.delete('/m3/group1-shard1of1.bin');
    await expect(io.http(`${base}/m3/model.json`).load!()).rejects.toThrow(
      /weights shard at .*group1-shard1of1\.bin failed with status 404/,
    );
    files.set('/m4/model.json', Buffer.from('<html>not json</html>'));
    await expect(io.http(`${base}/m4/model.json`).load!()).rejects.toThrow(/model JSON at .*m4\/model\.json is invalid: .*not valid JSON/);
  });

  it('saves by POSTing a multipart form with model.json and model.weights.bin (as tfjs)', async () => {
    const a = sampleArtifacts();
    const result = await io.getSaveHandlers(`${base}/upload`)[0].save!(a);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(56);
    const body = files.get('POST /upload')!.toString('latin1');
    expect(files.get('POST-TYPE /upload')!.toString()).toMatch(/^multipart\/form-data; boundary=/);
    expect(body).toMatch(/name="model.json"; filename="model.json"/);
    expect(body).toMatch(/name="model.weights.bin"; filename="model.weights.bin"/);
    expect(body).toContain('"paths":["./model.weights.bin"]');
    expect(body).toContain(Buffer.from(a.weightData as ArrayBuffer).toString('latin1'));
  });
});
