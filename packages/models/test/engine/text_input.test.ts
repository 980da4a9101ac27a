/**
 * Texts as x: fit/evaluate/predict/trainOnBatch take `string[]` (or `[n, 1]` nested strings) when the model's input
 * goes into a TextVectorization layer; the results equal those of the same model fed the token ids
 * (`vectorize(texts)`) directly.
 */
import { Tensor, tensor } from '@recurrent/core';
import { input, layers } from '@recurrent/layers';
import type { SymbolicTensor, TextVectorization } from '@recurrent/layers';
import { model, sequential, Sequential, train } from '@recurrent/models';

const texts = [
  'the movie was great',
  'a terrible boring film',
  'great acting and a great story',
  'boring',
  'what a wonderful film the acting was great',
  'terrible terrible movie',
];
const labels = tensor([1, 0, 1, 0, 1, 0], [6, 1]);

function vectorizer(outputSequenceLength: number | null = null): TextVectorization {
  const tv = layers.textVectorization({ maxTokens: 20, outputSequenceLength });
  tv.adapt(texts);
  return tv;
}

function tail(): [ReturnType<typeof layers.embedding>, ReturnType<typeof layers.lstm>, ReturnType<typeof layers.dense>] {
  return [layers.embedding({ inputDim: 20, outputDim: 4 }), layers.lstm({ units: 3 }), layers.dense({ units: 1, activation: 'sigmoid' })];
}

/** A text model and the same model (same weights) taking ids. */
function pairOfModels(outputSequenceLength: number | null = null): { text: Sequential; ids: Sequential; tv: TextVectorization } {
  const tv = vectorizer(outputSequenceLength);
  const text = sequential({ layers: [tv, ...tail()] });
  const ids = sequential({ layers: [...tail()] });
  text.compile({ optimizer: train.sgd(0.5), loss: 'binaryCrossentropy', metrics: ['acc'] });
  ids.compile({ optimizer: train.sgd(0.5), loss: 'binaryCrossentropy', metrics: ['acc'] });
  // Build both from data, then give the ids model the text model's weights.
  text.predict(texts);
  ids.predict(tv.vectorize(texts));
  ids.setWeights(text.getWeights());
  return { text, ids, tv };
}

function values(t: Tensor | Tensor[]): number[] {
  return Array.from((Array.isArray(t) ? t[0] : t).dataSync());
}

describe('texts as x with a TextVectorization first layer', () => {
  test('predict, predictOnBatch and evaluate on strings equal the same model on vectorize(strings)', async () => {
    const { text, ids, tv } = pairOfModels();
    const idsX = tv.vectorize(texts);
    expect(idsX.shape).toEqual([6, 8]);
    expect(values(text.predict(texts, { batchSize: 4 }))).toEqual(values(ids.predict(idsX, { batchSize: 4 })));
    expect(values(text.predict(texts.map((t) => [t])))).toEqual(values(ids.predict(idsX)));
    const e1 = text.evaluate(texts, labels) as Tensor[];
    const e2 = ids.evaluate(idsX, labels) as Tensor[];
    expect(e1.map((t) => t.dataSync()[0])).toEqual(e2.map((t) => t.dataSync()[0]));
    expect(values(text.predictOnBatch(texts))).toEqual(values(ids.predictOnBatch(idsX)));
  });

  test('fit on strings trains like fit on ids (same weights), with validation texts', async () => {
    const { text, ids, tv } = pairOfModels();
    const idsX = tv.vectorize(texts);
    const before = text.getWeights().map((w) => Array.from(w.dataSync()));
    const h1 = await text.fit(texts, labels, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0, validationData: [texts, labels] });
    const h2 = await ids.fit(idsX, labels, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0, validationData: [idsX, labels] });
    expect(h1.history.loss).toEqual(h2.history.loss);
    expect(h1.history.val_loss).toEqual(h2.history.val_loss);
    const a = text.getWeights().map((w) => Array.from(w.dataSync()));
    expect(a).toEqual(ids.getWeights().map((w) => Array.from(w.dataSync())));
    expect(a).not.toEqual(before);
    expect(await text.trainOnBatch(texts.slice(0, 3), tensor([1, 0, 1], [3, 1]))).toEqual(
      await ids.trainOnBatch(tv.vectorize(texts.slice(0, 3)), tensor([1, 0, 1], [3, 1])),
    );
  });

  test('texts of other lengths later (no outputSequenceLength), and a fixed outputSequenceLength', () => {
    const { text, ids, tv } = pairOfModels();
    const more = ['great', 'a boring terrible film and a boring story that was boring'];
    expect(values(text.predict(more))).toEqual(values(ids.predict(tv.vectorize(more))));
    const fixed = pairOfModels(5);
    expect(fixed.tv.vectorize(more).shape).toEqual([2, 5]);
    expect(values(fixed.text.predict(more))).toEqual(values(fixed.ids.predict(fixed.tv.vectorize(more))));
  });

  test('a functional model whose input goes into TextVectorization takes texts too', () => {
    const tv = vectorizer();
    const inp = input({ shape: [null] });
    const [emb, lstm, dense] = tail();
    const out = dense.apply(lstm.apply(emb.apply(tv.apply(inp)))) as SymbolicTensor;
    const m = model({ inputs: inp, outputs: out });
    expect(values(m.predict(texts))).toEqual(values(m.predict(tv.vectorize(texts))));
  });

  test('bad text input names x and what was expected', async () => {
    const { text } = pairOfModels();
    expect(() =>
      text.predict([
        ['great', 'movie'],
        ['boring', 'film'],
      ]),
    ).toThrow(/predict: x is a nested array of strings, so each row must hold one string \(shape \[n, 1\]\), but row 0 holds 2 value\(s\)/);
    const noText = sequential({ layers: [...tail()] });
    noText.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    await expect(noText.fit(texts, labels, { verbose: 0 })).rejects.toThrow(
      /fit: x is an array of strings, but the model's input does not go into a TextVectorization layer \(first layer 'embedding.*'\); vectorize the texts first/,
    );
    expect(() => text.evaluate(texts, tensor([1, 0], [2, 1]))).toThrow(
      /evaluate: x and y must have the same number of samples, but x has 6/,
    );
  });
});
