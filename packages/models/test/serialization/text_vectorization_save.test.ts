/** A model starting with TextVectorization saves its vocabulary and loads it back. */
import { layers, TextVectorization } from '@recurrent/layers';
import { io, loadLayersModel, sequential } from '@recurrent/models';
import { saveToMemory } from './helpers';

test('the vocabulary travels in the model file', async () => {
  const tv = layers.textVectorization({ outputSequenceLength: 4, batchInputShape: [null, 4] } as any);
  tv.adapt(['Hello World', 'hello there, world!', 'Under_score words']);
  const model = sequential({ layers: [tv, layers.embedding({ inputDim: tv.vocabularySize(), outputDim: 3 })] });
  const ids = tv.apply(['hello world']) as any;
  const out = model.predict(ids);
  const saved = await saveToMemory(model);
  const back = await loadLayersModel(io.fromMemory(saved));
  const tv2 = back.layers[0] as TextVectorization;
  expect(tv2).toBeInstanceOf(TextVectorization);
  expect(tv2.getVocabulary()).toEqual(tv.getVocabulary());
  expect(tv2.getVocabulary()).toContain('underscore');
  expect(Array.from((back.predict(tv2.apply(['hello world']) as any) as any).values)).toEqual(Array.from(out.values));
});
