/** saveModelFile writes exportModel's bytes; onnxruntime-node loads the file by path. */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ort from 'onnxruntime-node';
import { Tensor } from '@recurrent/core';
import { layers } from '@recurrent/layers';
import { sequential } from '@recurrent/models';
import { exportModel, saveModelFile } from '../src';
import { randomInput, randomizeWeights } from './helpers/ort_compare';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recurrent-onnx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('writes the ModelProto bytes (path or file:// URL) and the file runs in onnxruntime-node', async () => {
  const model = sequential({ layers: [layers.gru({ units: 3, inputShape: [4, 2] }), layers.dense({ units: 1 })] });
  randomizeWeights(model, 9);
  const path = join(dir, 'model.onnx');
  const size = await saveModelFile(model, path, { opset: 17 });
  const bytes = readFileSync(path);
  expect(size).toBe(bytes.length);
  expect(new Uint8Array(bytes)).toEqual(exportModel(model, { opset: 17 }));
  await saveModelFile(model, `file://${join(dir, 'url.onnx')}`);
  expect(new Uint8Array(readFileSync(join(dir, 'url.onnx')))).toEqual(new Uint8Array(bytes));

  const session = await ort.InferenceSession.create(path);
  const x = randomInput([2, 4, 2], 10);
  const out = await session.run({ input: new ort.Tensor('float32', Float32Array.from(x.dataSync()), [2, 4, 2]) });
  const expected = (model.predict(x) as Tensor).dataSync();
  Array.from(out.output.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  await session.release();
});

test('a bad path is refused before exporting', async () => {
  const model = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
  await expect(saveModelFile(model, '')).rejects.toThrow('onnx.saveModelFile: path must be a non-empty string, received "".');
});
