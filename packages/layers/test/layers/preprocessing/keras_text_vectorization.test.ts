/**
 * TextVectorization against Keras 3's own (fixtures/keras_text_vectorization, written by generate.py there with
 * Keras 3.15 on TensorFlow 2.21): the vocabulary adapt learns from awkward text (ASCII and Unicode punctuation,
 * tabs, CR/LF, no-break and em spaces, emoji with modifiers, empty strings, ties) and the ids of the called texts,
 * for each standardize / split / maxTokens / outputSequenceLength combination.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Tensor } from '@recurrent/core';
import { TextVectorization } from '@recurrent/layers';

interface Case {
  name: string;
  args: Record<string, unknown>;
  adapt: string[];
  vocabulary: string[];
  texts: string[];
  ids: number[][];
}
const K = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../fixtures/keras_text_vectorization/keras_text_vectorization.json'), 'utf8'),
) as {
  keras_version: string;
  cases: Case[];
};

describe(`TextVectorization as Keras ${K.keras_version}`, () => {
  test.each(K.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const layer = new TextVectorization(c.args as never);
    layer.adapt(c.adapt);
    expect(layer.getVocabulary()).toEqual(c.vocabulary);
    const ids = layer.apply(c.texts) as Tensor;
    expect(ids.shape).toEqual([c.ids.length, c.ids[0].length]);
    expect(Array.from(ids.dataSync())).toEqual(c.ids.flat());
    // The vocabulary given instead of adapted gives the same ids.
    const given = new TextVectorization({ ...c.args, vocabulary: c.vocabulary.slice(2) } as never);
    expect(Array.from((given.apply(c.texts) as Tensor).dataSync())).toEqual(c.ids.flat());
  });
});
