/**
 * A plain-text corpus as token ids with its vocabulary. Browser-safe (from a string); the Node
 * reader from a path is `loadCorpus` in `./node-corpus.ts`.
 */
import { buildVocab, type Vocab, type VocabOptions } from './text.ts';

/**
 * The options of `data.corpusFromText` (and `loadCorpus`): those of `data.buildVocab` and the
 * validation fraction.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const opts: data.CorpusOptions = { level: 'char', validFraction: 0.25 };
 * assert.equal(data.corpusFromText('abcd', opts).valid.length, 1);
 * ```
 */
export interface CorpusOptions extends VocabOptions {
  /** Fraction of the tokens (from the end) kept for validation, in [0, 1). Default 0.1. */
  readonly validFraction?: number;
}

/**
 * The ids of a corpus split into train and validation streams, with the vocabulary.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const c: data.Corpus = data.corpusFromText('aab', { validFraction: 0 });
 * assert.equal(c.vocab.decode(c.train), 'aab');
 * ```
 */
export interface Corpus {
  /** The vocabulary built from the whole text. */
  readonly vocab: Vocab;
  /** Token ids of the text before the validation part. */
  readonly train: Int32Array;
  /** Token ids of the last `validFraction` of the text. */
  readonly valid: Int32Array;
}

/**
 * Tokenizes a text into a vocabulary (built from the whole text) and train/validation id
 * streams (the last `validFraction` of the tokens is validation).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const { vocab, train, valid } = data.corpusFromText('to be or not to be', { level: 'word', validFraction: 0.5 });
 * assert.equal(vocab.decode(train), 'to be or');
 * assert.equal(vocab.decode(valid), 'not to be');
 * ```
 */
export function corpusFromText(text: string, options: CorpusOptions = {}): Corpus {
  const { validFraction = 0.1, ...vocabOptions } = options;
  if (!(validFraction >= 0 && validFraction < 1)) {
    throw new Error(`data.corpusFromText: validFraction must be in [0, 1), got ${validFraction}`);
  }
  const vocab = buildVocab(text, vocabOptions);
  const ids = vocab.encode(text);
  const cut = ids.length - Math.floor(ids.length * validFraction);
  return { vocab, train: ids.slice(0, cut), valid: ids.slice(cut) };
}
