/**
 * padSequences and timeseriesDataset against Keras 3's pad_sequences and timeseries_dataset_from_array
 * (fixtures/keras/preprocessing/reference.json, written by generate.py there with Keras 3.15 on TensorFlow 2.21).
 */
import * as fs from 'fs';
import * as path from 'path';
import { tensor } from '@recurrent/core';
import type { Tensor } from '@recurrent/core';
import { padSequences, timeseriesDataset } from '@recurrent/models';

interface Enc {
  shape: number[];
  values: number[];
}
const K = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/keras/preprocessing/reference.json'), 'utf8')) as {
  keras_version: string;
  data: Enc;
  targets: Enc;
  pad_sequences: { args: Record<string, unknown>; sequences: number[][] | number[][][]; output: Enc; dtype: string }[];
  timeseries: { args: Record<string, number>; batches: { xs: Enc; ys: Enc }[] }[];
};

describe(`padSequences as Keras ${K.keras_version} pad_sequences`, () => {
  test.each(K.pad_sequences.map((c) => [JSON.stringify(c.args), c] as const))('%s', (_title, c) => {
    const out = padSequences(c.sequences as number[][], c.args as never);
    expect(out.dtype).toBe(c.dtype);
    expect(out.shape).toEqual(c.output.shape);
    expect(Array.from(out.dataSync())).toEqual(c.output.values);
  });
});

describe(`timeseriesDataset as Keras ${K.keras_version} timeseries_dataset_from_array (no shuffle)`, () => {
  test.each(K.timeseries.map((c) => [JSON.stringify(c.args), c] as const))('%s', async (_title, c) => {
    const batches = (await timeseriesDataset(
      tensor(K.data.values, K.data.shape),
      tensor(K.targets.values, K.targets.shape),
      c.args as never,
    ).toArray()) as {
      xs: Tensor;
      ys: Tensor;
    }[];
    expect(batches.map((b) => b.xs.shape)).toEqual(c.batches.map((b) => b.xs.shape));
    batches.forEach((b, i) => {
      expect(Array.from(b.xs.dataSync())).toEqual(c.batches[i].xs.values);
      expect(b.ys.shape).toEqual(c.batches[i].ys.shape);
      expect(Array.from(b.ys.dataSync())).toEqual(c.batches[i].ys.values);
    });
  });
});
