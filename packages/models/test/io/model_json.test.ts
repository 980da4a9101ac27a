import * as fs from 'fs';
import * as path from 'path';
import { io, parseModelJSON } from '@recurrent/models';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'io');
const fixtureText = fs.readFileSync(path.join(FIXTURES, 'tfjs_bidirectional_lstm.model.json'), 'utf8');

function minimal(extra: object = {}): string {
  return JSON.stringify({
    modelTopology: { class_name: 'Sequential', config: { layers: [] } },
    weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }],
    ...extra,
  });
}

describe('parseModelJSON', () => {
  it('parses a model.json written by tfjs', () => {
    const json = parseModelJSON(fixtureText);
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Sequential');
    expect(io.getWeightSpecs(json.weightsManifest).map((s) => s.name)).toContain('bidirectional/forward_lstm/kernel');
    // Also from bytes.
    expect(parseModelJSON(new TextEncoder().encode(fixtureText)).generatedBy).toMatch(/TensorFlow\.js tfjs-layers/);
  });

  it('gives a clear error for malformed JSON', () => {
    expect(() => parseModelJSON('{"modelTopology": ')).toThrow(/parseModelJSON: model.json is not valid JSON/);
    expect(() => parseModelJSON('')).toThrow(/not valid JSON/);
    expect(() => parseModelJSON(42 as unknown as string)).toThrow(/expected model.json as a string/);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('rejects the key %s anywhere, naming its path', (key) => {
    const text = `{"modelTopology": {"config": {"layers": [{"config": {"${key}": {"polluted": true}}}]}}, "weightsManifest": []}`;
    expect(() => parseModelJSON(text)).toThrow(
      new RegExp(`forbidden key '${key}' at modelTopology\\.config\\.layers\\[0\\]\\.config\\.${key}`),
    );
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('rejects absurd nesting without overflowing the stack', () => {
    const deep = '['.repeat(100000) + ']'.repeat(100000);
    expect(() => parseModelJSON(`{"modelTopology": {"a": ${deep}}}`)).toThrow(/nests more than 256 levels/);
  });

  it('validates the top-level structure, naming the field', () => {
    expect(() => parseModelJSON('[]')).toThrow(/model.json must hold a JSON object/);
    expect(() => parseModelJSON('{"weightsManifest": []}')).toThrow(/'modelTopology' must be an object.*missing/);
    expect(() => parseModelJSON('{"modelTopology": "LSTM"}')).toThrow(/'modelTopology' must be an object.*the string 'LSTM'/);
    expect(() => parseModelJSON(minimal({ weightsManifest: {} }))).toThrow(/'weightsManifest' must be an array/);
    expect(() => parseModelJSON(minimal({ weightsManifest: [{ paths: 'w.bin', weights: [] }] }))).toThrow(
      /'weightsManifest\[0\]\.paths' must be an array of non-empty strings/,
    );
    expect(() => parseModelJSON(minimal({ weightsManifest: [{ paths: ['a'] }] }))).toThrow(
      /'weightsManifest\[0\]\.weights' must be an array/,
    );
    expect(() =>
      parseModelJSON(minimal({ weightsManifest: [{ paths: ['a'], weights: [{ name: 'k', shape: [-3], dtype: 'float32' }] }] })),
    ).toThrow(/weight 'k'.*dimension 0/);
    expect(() => parseModelJSON(minimal({ format: 3 }))).toThrow(/'format' must be a string/);
    expect(() => parseModelJSON(minimal({ trainingConfig: [] }))).toThrow(/'trainingConfig' must be an object/);
    expect(() => parseModelJSON('{"modelTopology": {}}', { requireWeightsManifest: true })).toThrow(/'weightsManifest' is missing/);
    expect(parseModelJSON('{"modelTopology": {}}').weightsManifest).toBeUndefined();
  });

  it('round-trips artifacts through getModelJSONForModelArtifacts / getModelArtifactsForJSONSync', () => {
    const specs = [{ name: 'w', shape: [1], dtype: 'float32' as const }];
    const artifacts = {
      modelTopology: { class_name: 'Sequential' },
      format: 'layers-model',
      generatedBy: 'recurrent',
      convertedBy: null,
      weightSpecs: specs,
      weightData: new ArrayBuffer(4),
      trainingConfig: { loss: 'mse' },
      userDefinedMetadata: { a: 1 },
    };
    const json = io.getModelJSONForModelArtifacts(artifacts, [{ paths: ['./weights.bin'], weights: specs }]);
    expect(json).toEqual({
      modelTopology: artifacts.modelTopology,
      format: 'layers-model',
      generatedBy: 'recurrent',
      convertedBy: null,
      weightsManifest: [{ paths: ['./weights.bin'], weights: specs }],
      trainingConfig: { loss: 'mse' },
      userDefinedMetadata: { a: 1 },
    });
    const back = io.getModelArtifactsForJSONSync(json, specs, artifacts.weightData);
    expect(back).toEqual(artifacts);
    const info = io.getModelArtifactsInfoForJSON(artifacts);
    expect(info.modelTopologyType).toBe('JSON');
    expect(info.weightDataBytes).toBe(4);
    expect(info.modelTopologyBytes).toBe(JSON.stringify(artifacts.modelTopology).length);
  });
});
