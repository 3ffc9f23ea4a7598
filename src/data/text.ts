/**
 * Small text vocabularies for language-model tutorials, at character or word level.
 * Browser-safe.
 *
 * Ids: `<pad>` is 0, `<unk>` is 1, then any extra special tokens, then the corpus tokens by
 * descending count, ties broken by code-unit order of the token, so the vocabulary is a pure
 * function of the text and the options.
 */

/**
 * Tokenization level: `'char'` (Unicode code points) or `'word'` (words and punctuation marks).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const level: data.VocabLevel = 'word';
 * assert.deepEqual(data.tokenize('Hi, you.', level), ['Hi', ',', 'you', '.']);
 * ```
 */
export type VocabLevel = 'char' | 'word';

/**
 * The padding token (id `PAD_ID` = 0 in every vocabulary).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.equal(data.buildVocab('abc').tokens[data.PAD_ID], data.PAD);
 * ```
 */
export const PAD = '<pad>';
/**
 * The unknown-token token (id `UNK_ID` = 1 in every vocabulary).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.equal(data.buildVocab('abc').tokens[data.UNK_ID], data.UNK);
 * ```
 */
export const UNK = '<unk>';
/**
 * The id of `<pad>`: 0.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.equal(data.buildVocab('abc').padId, data.PAD_ID);
 * ```
 */
export const PAD_ID = 0;
/**
 * The id of `<unk>`: 1 (what `encode` gives tokens outside the vocabulary).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.deepEqual([...data.buildVocab('abc').encode('z')], [data.UNK_ID]);
 * ```
 */
export const UNK_ID = 1;

/**
 * The options of `data.buildVocab`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const opts: data.VocabOptions = { level: 'word', lowercase: true, minCount: 2, specials: ['<eos>'] };
 * const vocab = data.buildVocab('The cat. the dog. THE end.', opts);
 * assert.deepEqual(vocab.tokens, ['<pad>', '<unk>', '<eos>', '.', 'the']); // 3 each: code-unit order
 * ```
 */
export interface VocabOptions {
  /** `'char'` (default): Unicode code points. `'word'`: words and single punctuation marks. */
  readonly level?: VocabLevel;
  /** Largest vocabulary, special tokens included. Default: unlimited. */
  readonly maxSize?: number;
  /** Drop tokens seen fewer times than this. Default 1. */
  readonly minCount?: number;
  /** Lower-case the text before tokenizing (and encoding). Default false. */
  readonly lowercase?: boolean;
  /** Special tokens after `<pad>` and `<unk>`, e.g. `['<bos>', '<eos>']`. */
  readonly specials?: readonly string[];
}

/**
 * A vocabulary: tokens by id, `id(token)`, and `encode`/`decode` between text and ids.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const vocab: data.Vocab = data.buildVocab('hello');
 * assert.equal(vocab.decode(vocab.encode('hole')), 'hole');
 * assert.equal(vocab.id('?'), vocab.unkId);
 * ```
 */
export interface Vocab {
  /** The tokenization level. */
  readonly level: VocabLevel;
  /** Whether text is lower-cased before tokenizing. */
  readonly lowercase: boolean;
  /** Token strings by id. */
  readonly tokens: readonly string[];
  /** The number of tokens, special tokens included. */
  readonly size: number;
  /** The id of `<pad>` (0). */
  readonly padId: number;
  /** The id of `<unk>` (1), given to unknown tokens. */
  readonly unkId: number;
  /** The id of a token, or `unkId` when it is not in the vocabulary. */
  id(token: string): number;
  /** The text split into tokens at this vocabulary's level (lower-cased if configured). */
  tokenize(text: string): string[];
  /** Token ids of the text; unknown tokens become `unkId`. */
  encode(text: string): Int32Array;
  /**
   * Text of the ids. Char level: the characters concatenated (exact for known characters).
   * Word level: words joined by single spaces, with no space before closing punctuation or
   * after opening brackets (whitespace is normalised). `<pad>` ids are skipped.
   */
  decode(ids: ArrayLike<number>): string;
}

const WORD_RE = /[\p{L}\p{N}_]+(?:['’][\p{L}\p{N}_]+)*|[^\s\p{L}\p{N}_]/gu;

/**
 * Splits text into tokens: code points (`'char'`) or words and punctuation marks (`'word'`).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * assert.deepEqual(data.tokenize("don't stop!", 'word'), ["don't", 'stop', '!']);
 * assert.deepEqual(data.tokenize('añ', 'char'), ['a', 'ñ']);
 * ```
 */
export function tokenize(text: string, level: VocabLevel): string[] {
  if (level === 'char') return Array.from(text);
  return text.match(WORD_RE) ?? [];
}

const NO_SPACE_BEFORE = new Set(['.', ',', '!', '?', ';', ':', ')', ']', '}', '%', '…']);
const NO_SPACE_AFTER = new Set(['(', '[', '{']);

function checkLevel(level: string): asserts level is VocabLevel {
  if (level !== 'char' && level !== 'word') {
    throw new Error(`buildVocab: level must be 'char' or 'word', got ${JSON.stringify(level)}`);
  }
}

/**
 * Builds a vocabulary from one text or several.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const vocab = data.buildVocab('abracadabra');
 * assert.deepEqual(vocab.tokens.slice(2), ['a', 'b', 'r', 'c', 'd']); // by count, ties by code unit
 * assert.deepEqual([...vocab.encode('cab')], [5, 2, 3]);
 * ```
 */
export function buildVocab(text: string | readonly string[], options: VocabOptions = {}): Vocab {
  const { level = 'char', maxSize = Infinity, minCount = 1, lowercase = false, specials = [] } = options;
  checkLevel(level);
  const allSpecials = [PAD, UNK, ...specials];
  if (new Set(allSpecials).size !== allSpecials.length) {
    throw new Error(`buildVocab: special tokens must be distinct, got [${allSpecials.join(', ')}]`);
  }
  if (!(maxSize === Infinity || (Number.isInteger(maxSize) && maxSize >= allSpecials.length))) {
    throw new Error(
      `buildVocab: maxSize must be an integer >= ${allSpecials.length} (the special tokens), got ${maxSize}`,
    );
  }
  if (!Number.isInteger(minCount) || minCount < 1) {
    throw new Error(`buildVocab: minCount must be a positive integer, got ${minCount}`);
  }
  const counts = new Map<string, number>();
  for (const t of typeof text === 'string' ? [text] : text) {
    for (const tok of tokenize(lowercase ? t.toLowerCase() : t, level)) {
      counts.set(tok, (counts.get(tok) ?? 0) + 1);
    }
  }
  const specialSet = new Set(allSpecials);
  const ranked = [...counts.entries()]
    .filter(([tok, c]) => c >= minCount && !specialSet.has(tok))
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, maxSize - allSpecials.length)
    .map(([tok]) => tok);
  return vocabFromTokens([...allSpecials, ...ranked], { level, lowercase });
}

/**
 * Rebuilds a vocabulary from its token list (e.g. one saved with a model). `tokens[0]` must
 * be `<pad>` and `tokens[1]` `<unk>`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { data } from 'typegrad';
 * const saved = data.buildVocab('to be or not to be', { level: 'word' }).tokens;
 * const vocab = data.vocabFromTokens(saved, { level: 'word' });
 * assert.equal(vocab.decode(vocab.encode('not to be')), 'not to be');
 * ```
 */
export function vocabFromTokens(
  tokens: readonly string[],
  options: { readonly level?: VocabLevel; readonly lowercase?: boolean } = {},
): Vocab {
  const { level = 'char', lowercase = false } = options;
  checkLevel(level);
  if (tokens[PAD_ID] !== PAD || tokens[UNK_ID] !== UNK) {
    throw new Error(`vocabFromTokens: tokens must start with ${PAD}, ${UNK}`);
  }
  const index = new Map<string, number>();
  tokens.forEach((t, i) => {
    if (index.has(t)) throw new Error(`vocabFromTokens: token ${JSON.stringify(t)} appears twice`);
    index.set(t, i);
  });
  const frozen = Object.freeze([...tokens]);
  const tok = (text: string) => tokenize(lowercase ? text.toLowerCase() : text, level);
  return {
    level,
    lowercase,
    tokens: frozen,
    size: frozen.length,
    padId: PAD_ID,
    unkId: UNK_ID,
    id: (token) => index.get(token) ?? UNK_ID,
    tokenize: tok,
    encode(text) {
      const ts = tok(text);
      const out = new Int32Array(ts.length);
      ts.forEach((t, i) => {
        out[i] = index.get(t) ?? UNK_ID;
      });
      return out;
    },
    decode(ids) {
      const parts: string[] = [];
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (id === PAD_ID) continue;
        const t = frozen[id];
        if (t === undefined || !Number.isInteger(id)) {
          throw new Error(
            `decode: id ${id} at position ${i} is outside the vocabulary [0, ${frozen.length})`,
          );
        }
        parts.push(t);
      }
      if (level === 'char') return parts.join('');
      let out = '';
      parts.forEach((t, i) => {
        if (i > 0 && !NO_SPACE_BEFORE.has(t) && !NO_SPACE_AFTER.has(parts[i - 1]!)) out += ' ';
        out += t;
      });
      return out;
    },
  };
}
