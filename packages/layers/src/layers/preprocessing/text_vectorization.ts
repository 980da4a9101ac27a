/**
 * TextVectorization (Keras): turns strings into integer token ids for an Embedding. `adapt(texts)`
 * learns a vocabulary (most frequent first; id 0 is padding '', id 1 is '[UNK]' for unknown tokens);
 * the vocabulary is part of the layer's config, so it is saved and loaded with the model.
 *
 * ```js
 * const vectorize = layers.textVectorization({maxTokens: 10000, outputSequenceLength: 40});
 * vectorize.adapt(trainTexts);
 * const ids = vectorize.apply(['the movie was great']);   // int32 [1, 40]
 * ```
 *
 * tfjs note: Tensors here hold numbers only (no string dtype), so `apply`/`call` take a string or an
 * array of strings (one per sample) and give an int32 Tensor [batch, sequenceLength]. A Tensor input
 * is taken as already-vectorized ids and passed through (so the layer can sit in a saved model whose
 * callers vectorize first).
 */
import { Tensor, ValueError, NotImplementedError } from '@recurrent/core';
import { checkArgKeys, checkNumberArg, LAYER_ARG_KEYS } from '../../engine/args';
import { CallKwargs, SymbolicCallKwargs, firstInputShape, Layer, LayerArgs, Shape } from '../../engine/layer';
import type { SymbolicTensor } from '../../engine/symbolic_tensor';
import type { ConfigDict } from '../../serialization/registry';
import { TEXT_VECTORIZATION_BRAND } from '../../engine/class_brands';

/** Args of `TextVectorization` (Keras names, camelCase; outputMode 'int' only). */
export interface TextVectorizationArgs extends LayerArgs {
  /** Vocabulary size including '' and '[UNK]' (default: unlimited). */
  maxTokens?: number | null;
  /** 'lower_and_strip_punctuation' (default), 'lower', 'strip_punctuation', or null (as is); lowercasing and punctuation are ASCII's, as Keras. */
  standardize?: 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null;
  /** 'whitespace' (default: at runs of ASCII whitespace, as Keras) or 'character'. */
  split?: 'whitespace' | 'character';
  /** Only 'int' (token ids). */
  outputMode?: 'int';
  /** Pad (with 0 at the end) or truncate every sequence to this length (default: the longest in the batch). */
  outputSequenceLength?: number | null;
  /** A vocabulary to use instead of `adapt` (tokens, without '' and '[UNK]'). */
  vocabulary?: string[] | null;
}

const KEYS = [
  'maxTokens',
  'standardize',
  'split',
  'outputMode',
  'outputSequenceLength',
  'vocabulary',
  'ngrams',
  'padToMaxTokens',
  'sparse',
  'ragged',
  'encoding',
  'idfWeights',
  'vocabularySize',
];
/** Keras's default punctuation set (ASCII punctuation). */
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;
/**
 * Keras lowercases with `tf.strings.lower`, which changes ASCII letters only ('CAFÉ' → 'cafÉ'); JavaScript's
 * toLowerCase would also change É and give other tokens than a Keras vocabulary holds.
 */
const ASCII_CAPITALS = /[A-Z]+/g;
const asciiLower = (run: string): string => run.toLowerCase();
/** Keras splits with `tf.strings.split`, at runs of ASCII whitespace only (a no-break space stays in its token; JS's \s would split there). */
const ASCII_WHITESPACE = /[ \t\n\v\f\r]+/;
const MASK = '';
const OOV = '[UNK]';

/** Strings → int32 token ids, with a learned or given vocabulary. */
export class TextVectorization extends Layer {
  static override className = 'TextVectorization';
  readonly maxTokens: number | null;
  readonly standardize: TextVectorizationArgs['standardize'];
  readonly splitMode: 'whitespace' | 'character';
  readonly outputSequenceLength: number | null;
  private vocab: string[] = [MASK, OOV];
  private index = new Map<string, number>();

  /** @internal What `isTextVectorization` reads (engine/class_brands.ts). */
  get [TEXT_VECTORIZATION_BRAND](): true {
    return true;
  }

  constructor(args: TextVectorizationArgs = {}) {
    checkArgKeys('TextVectorization', args ?? {}, [...KEYS, ...LAYER_ARG_KEYS]);
    super(args);
    const w = `TextVectorization ${this.name}`;
    checkNumberArg(w, 'maxTokens', args.maxTokens, { min: 3, integer: true });
    checkNumberArg(w, 'outputSequenceLength', args.outputSequenceLength, { min: 1, integer: true });
    const std = args.standardize === undefined ? 'lower_and_strip_punctuation' : args.standardize;
    if (std !== null && !['lower_and_strip_punctuation', 'lower', 'strip_punctuation'].includes(std)) {
      throw new ValueError(
        `${w}: standardize must be 'lower_and_strip_punctuation', 'lower', 'strip_punctuation' or null, received ${JSON.stringify(args.standardize)}.`,
      );
    }
    const split = args.split ?? 'whitespace';
    if (split !== 'whitespace' && split !== 'character')
      throw new ValueError(`${w}: split must be 'whitespace' or 'character', received ${JSON.stringify(args.split)}.`);
    if ((args.outputMode ?? 'int') !== 'int')
      throw new ValueError(`${w}: only outputMode 'int' is supported, received '${String(args.outputMode)}'.`);
    for (const k of ['ngrams', 'sparse', 'ragged', 'idfWeights']) {
      const v = (args as { [k: string]: unknown })[k];
      if (v != null && v !== false) throw new NotImplementedError(`${w}: option '${k}' is not supported (only integer token ids).`);
    }
    this.maxTokens = args.maxTokens ?? null;
    this.standardize = std;
    this.splitMode = split;
    this.outputSequenceLength = args.outputSequenceLength ?? null;
    this.trainable = false;
    if (args.vocabulary != null) this.setVocabulary(args.vocabulary);
  }

  /** Standardizes and splits one string into tokens (Keras's order: standardize, then split). */
  tokenize(text: string): string[] {
    if (typeof text !== 'string')
      throw new ValueError(`TextVectorization ${this.name}: inputs must be strings, received ${text === null ? 'null' : typeof text}.`);
    let s = text;
    if (this.standardize === 'lower_and_strip_punctuation' || this.standardize === 'lower') s = s.replace(ASCII_CAPITALS, asciiLower);
    if (this.standardize === 'lower_and_strip_punctuation' || this.standardize === 'strip_punctuation') s = s.replace(PUNCTUATION, '');
    if (this.splitMode === 'character') return Array.from(s);
    return s.split(ASCII_WHITESPACE).filter((t) => t.length > 0);
  }

  /**
   * Learns the vocabulary from `texts`: tokens by descending count, ties by descending token (as
   * Keras), cut to `maxTokens` (which counts '' and '[UNK]').
   */
  adapt(texts: string[] | string): void {
    const list = typeof texts === 'string' ? [texts] : texts;
    if (!Array.isArray(list))
      throw new ValueError(`TextVectorization ${this.name}: adapt takes a string or an array of strings, received ${typeof texts}.`);
    const counts = new Map<string, number>();
    for (const t of list) for (const tok of this.tokenize(t)) counts.set(tok, (counts.get(tok) ?? 0) + 1);
    const sorted = [...counts.entries()]
      .filter(([tok]) => tok !== MASK && tok !== OOV)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0))
      .map(([tok]) => tok);
    const keep = this.maxTokens === null ? sorted : sorted.slice(0, this.maxTokens - 2);
    this.setVocabulary(keep);
  }

  /** The vocabulary: '' (id 0), '[UNK]' (id 1), then the tokens by id. */
  getVocabulary(): string[] {
    return this.vocab.slice();
  }

  /** The number of ids (vocabulary length including '' and '[UNK]'). */
  vocabularySize(): number {
    return this.vocab.length;
  }

  /** Sets the vocabulary: tokens for ids 2, 3, ... (a leading '' and '[UNK]' are accepted and skipped). */
  setVocabulary(vocabulary: string[]): void {
    const w = `TextVectorization ${this.name}`;
    if (!Array.isArray(vocabulary) || vocabulary.some((t) => typeof t !== 'string'))
      throw new ValueError(`${w}: vocabulary must be an array of strings.`);
    let tokens = vocabulary;
    if (tokens[0] === MASK) tokens = tokens.slice(1);
    if (tokens[0] === OOV) tokens = tokens.slice(1);
    const seen = new Set<string>();
    for (const t of tokens) {
      if (t === MASK || t === OOV) throw new ValueError(`${w}: the vocabulary may contain '' and '[UNK]' only at its start (ids 0 and 1).`);
      if (seen.has(t)) throw new ValueError(`${w}: the vocabulary has '${t}' twice.`);
      seen.add(t);
    }
    if (this.maxTokens !== null && tokens.length + 2 > this.maxTokens) {
      throw new ValueError(
        `${w}: the vocabulary has ${tokens.length + 2} entries with '' and '[UNK]', more than maxTokens ${this.maxTokens}.`,
      );
    }
    this.vocab = [MASK, OOV, ...tokens];
    this.index = new Map(this.vocab.map((t, i) => [t, i]));
  }

  /** Token ids of `texts` as int32 [batch, sequenceLength] (0-padded at the end). */
  vectorize(texts: string[] | string): Tensor {
    const list = typeof texts === 'string' ? [texts] : texts;
    const ids = list.map((t) => this.tokenize(t).map((tok) => this.index.get(tok) ?? 1));
    const len = this.outputSequenceLength ?? ids.reduce((m, r) => Math.max(m, r.length), 0);
    const out = new Int32Array(list.length * len);
    ids.forEach((row, i) => out.set(row.slice(0, len), i * len));
    return new Tensor(out, [list.length, len], 'int32');
  }

  /**
   * Strings (or an array of them) → ids; a Tensor of ids passes through. tfjs note: tensors hold no strings here,
   * so strings go in through `apply`.
   */
  override apply(inputs: string | string[], kwargs?: CallKwargs): Tensor;
  override apply(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: SymbolicCallKwargs): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: Tensor | Tensor[], kwargs?: CallKwargs): Tensor | Tensor[];
  override apply(
    inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[],
    kwargs?: CallKwargs | SymbolicCallKwargs,
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
  override apply(
    inputs: string | string[] | Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[],
    kwargs: CallKwargs | SymbolicCallKwargs = {},
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    return super.apply(inputs as Tensor | Tensor[], kwargs as CallKwargs);
  }

  protected override standardizeCallArgs(inputs: Tensor | Tensor[], kwargs: CallKwargs): [Tensor | Tensor[], CallKwargs] {
    const raw = inputs as unknown;
    if (typeof raw === 'string' || (Array.isArray(raw) && raw.length > 0 && raw.every((v) => typeof v === 'string'))) {
      return [this.vectorize(raw as string[] | string), kwargs];
    }
    return [inputs, kwargs];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallKwargs): Tensor {
    const t = Array.isArray(inputs) ? inputs[0] : inputs;
    if (t.dtype === 'float32' && !t.values.every((v) => Number.isInteger(v))) {
      throw new ValueError(
        `TextVectorization ${this.name}: a Tensor input must hold token ids (integers), received float values; give strings to vectorize.`,
      );
    }
    return t;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = firstInputShape(inputShape);
    return [s[0] ?? null, this.outputSequenceLength ?? (s.length > 1 ? s[1] : null)];
  }

  override getConfig(): ConfigDict {
    return {
      maxTokens: this.maxTokens,
      standardize: this.standardize ?? null,
      split: this.splitMode,
      outputMode: 'int',
      outputSequenceLength: this.outputSequenceLength,
      vocabulary: this.vocab.slice(2),
      ...super.getConfig(),
    };
  }
}
