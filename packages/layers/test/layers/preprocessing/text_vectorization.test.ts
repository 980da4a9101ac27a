/** TextVectorization: Keras vocabulary order and standardization on worked examples, config round trip, bad input. */
import { tensor } from '@recurrent/core';
import { layers, TextVectorization } from '@recurrent/layers';
import { runLayerHarness } from '../../helpers/layer_harness';

const TEXTS = ['The cat sat.', 'the cat ran!', 'A dog, a cat.'];

runLayerHarness({
  make: () => new TextVectorization({ vocabulary: ['cat', 'the', 'a'], outputSequenceLength: 4 }),
  inputShape: [2, 4],
  makeInput: () =>
    tensor(
      [
        [2, 3, 0, 0],
        [4, 1, 2, 0],
      ],
      [2, 4],
      'int32',
    ),
  expectedOutputShape: [2, 4],
  expectedWeightShapes: [],
  expectedParamCount: 0,
});

describe('TextVectorization (Keras semantics)', () => {
  test('adapt: counts descending, ties by descending token; ids 0 = "", 1 = [UNK]', () => {
    const v = layers.textVectorization();
    v.adapt(TEXTS);
    // counts: cat 3, the 2, a 2, sat 1, ran 1, dog 1 → ties by descending token: the > a; sat > ran > dog
    expect(v.getVocabulary()).toEqual(['', '[UNK]', 'cat', 'the', 'a', 'sat', 'ran', 'dog']);
    const ids = v.apply(['the dog sat', 'A bird']);
    expect((ids as any).shape).toEqual([2, 3]);
    expect(Array.from((ids as any).values)).toEqual([3, 7, 5, 4, 1, 0]);
  });

  test('maxTokens keeps the most frequent; outputSequenceLength pads and truncates at the end', () => {
    const v = layers.textVectorization({ maxTokens: 4, outputSequenceLength: 3 });
    v.adapt(TEXTS);
    expect(v.getVocabulary()).toEqual(['', '[UNK]', 'cat', 'the']);
    expect(Array.from((v.apply('the cat ate the fish') as any).values)).toEqual([3, 2, 1]);
    expect(Array.from((v.apply('cat') as any).values)).toEqual([2, 0, 0]);
  });

  test('standardize null keeps case and punctuation; character split', () => {
    const raw = layers.textVectorization({ standardize: null });
    raw.adapt(['Hi, hi']);
    expect(raw.getVocabulary()).toEqual(['', '[UNK]', 'hi', 'Hi,']);
    const chars = layers.textVectorization({ split: 'character' });
    chars.adapt(['abba!']);
    expect(chars.getVocabulary()).toEqual(['', '[UNK]', 'b', 'a']);
    expect(Array.from((chars.apply('ab-c') as any).values)).toEqual([3, 2, 1]);
  });

  test("'lower' lowercases ASCII letters only, as Keras (tf.strings.lower): a Keras vocabulary with non-ASCII capitals keeps its ids", () => {
    // Keras 3.15: TextVectorization(vocabulary=VOCAB)(['Émile CAFÉ émile café STRASSE Straße àb ÀB']) → [[2 3 4 5 1 6 1 1]]
    // (É and À stay capitals: 'CAFÉ' → 'cafÉ', 'ÀB' → 'Àb'); the same with standardize='lower'.
    const VOCAB = ['Émile', 'cafÉ', 'émile', 'café', 'straße', 'ÀB'];
    for (const standardize of ['lower_and_strip_punctuation', 'lower'] as const) {
      const v = layers.textVectorization({ vocabulary: VOCAB, standardize });
      expect(Array.from((v.apply('Émile CAFÉ émile café STRASSE Straße àb ÀB') as any).values)).toEqual([2, 3, 4, 5, 1, 6, 1, 1]);
    }
    // Keras 3.15 adapt(['Émile CAFÉ Straße naïve b b']) → ['', '[UNK]', 'b', 'Émile', 'straße', 'naïve', 'cafÉ'].
    const a = layers.textVectorization();
    a.adapt(['Émile CAFÉ Straße naïve b b']);
    expect(a.getVocabulary()).toEqual(['', '[UNK]', 'b', 'Émile', 'straße', 'naïve', 'cafÉ']);
  });

  test('whitespace split breaks at ASCII whitespace only, as Keras (tf.strings.split): a no-break space stays inside the token', () => {
    // Keras 3.15: TextVectorization().adapt([TEXT]).get_vocabulary() for this TEXT.
    const v = layers.textVectorization();
    v.adapt(['a\u00a0b c\u3000d e\u2003f g\tg\nh\u000bi\u000cj\rk\u0085l']);
    expect(v.getVocabulary()).toEqual(['', '[UNK]', 'g', 'k\u0085l', 'j', 'i', 'h', 'e\u2003f', 'c\u3000d', 'a\u00a0b']);
  });

  test('the vocabulary is in the config, and setVocabulary/getVocabulary round trip', () => {
    const v = new TextVectorization({ maxTokens: 10, outputSequenceLength: 5 });
    v.adapt(TEXTS);
    const cfg = JSON.parse(JSON.stringify(v.getConfig()));
    expect(cfg.vocabulary).toEqual(['cat', 'the', 'a', 'sat', 'ran', 'dog']);
    const back = TextVectorization.fromConfig(TextVectorization, cfg) as TextVectorization;
    expect(back.getVocabulary()).toEqual(v.getVocabulary());
    expect(Array.from((back.apply('a cat') as any).values)).toEqual(Array.from((v.apply('a cat') as any).values));
  });

  test('bad input names the layer and the argument', () => {
    expect(() => layers.textVectorization({ split: 'comma' as any })).toThrow(
      /TextVectorization text_vectorization.*: split must be 'whitespace' or 'character', received "comma"/,
    );
    expect(() => layers.textVectorization({ outputMode: 'tf-idf' as any })).toThrow(/only outputMode 'int' is supported/);
    expect(() => layers.textVectorization({ maxTokns: 3 } as any)).toThrow(/maxTokns/);
    expect(() => layers.textVectorization({ vocabulary: ['a', 'a'] })).toThrow(/the vocabulary has 'a' twice/);
    expect(() => layers.textVectorization().apply([1 as any, 'x'])).toThrow(/input 0 must be a Tensor/);
    expect(() => layers.textVectorization().apply(tensor([[0.5]]))).toThrow(/must hold token ids/);
  });
});
