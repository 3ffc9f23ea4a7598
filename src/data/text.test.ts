import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildVocab, PAD_ID, tokenize, UNK_ID, vocabFromTokens } from './text.ts';

describe('tokenize', () => {
  it('splits code points at char level (an emoji is one token)', () => {
    expect(tokenize('ab😀c', 'char')).toEqual(['a', 'b', '😀', 'c']);
  });

  it('splits words and punctuation at word level', () => {
    expect(tokenize("Don't panic, Ada -- it's 42!", 'word')).toEqual([
      "Don't",
      'panic',
      ',',
      'Ada',
      '-',
      '-',
      "it's",
      '42',
      '!',
    ]);
    expect(tokenize('  ', 'word')).toEqual([]);
    expect(tokenize('Übergrößen café', 'word')).toEqual(['Übergrößen', 'café']);
  });
});

describe('buildVocab (char)', () => {
  const v = buildVocab('hello world');

  it('orders specials, then by count, ties by code unit', () => {
    // l:3 o:2, then ' ' d e h r w once each in code-unit order.
    expect(v.tokens).toEqual(['<pad>', '<unk>', 'l', 'o', ' ', 'd', 'e', 'h', 'r', 'w']);
    expect(v.size).toBe(10);
    expect(v.padId).toBe(PAD_ID);
    expect(v.unkId).toBe(UNK_ID);
  });

  it('encodes and decodes', () => {
    expect(Array.from(v.encode('hello'))).toEqual([7, 6, 2, 2, 3]);
    expect(v.encode('x')).toEqual(Int32Array.from([1]));
    expect(v.decode(v.encode('low world'))).toBe('low world');
    expect(v.decode([0, 7, 0, 3])).toBe('ho');
    expect(v.decode([7, 1])).toBe('h<unk>');
    expect(v.id('l')).toBe(2);
    expect(v.id('Z')).toBe(UNK_ID);
  });

  it('decode(encode(s)) is the identity on text made of known characters (property)', () => {
    const alphabet = 'abc de\n😀';
    const vocab = buildVocab(alphabet);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...Array.from(alphabet))), (chars) => {
        const s = chars.join('');
        expect(vocab.decode(vocab.encode(s))).toBe(s);
      }),
    );
  });

  it('respects maxSize, minCount and extra specials', () => {
    const small = buildVocab('aaabbc', { maxSize: 4 });
    expect(small.tokens).toEqual(['<pad>', '<unk>', 'a', 'b']);
    expect(Array.from(small.encode('abc'))).toEqual([2, 3, 1]);
    expect(buildVocab('aaabbc', { minCount: 2 }).tokens).toEqual(['<pad>', '<unk>', 'a', 'b']);
    expect(buildVocab('ab', { specials: ['<bos>', '<eos>'] }).tokens).toEqual([
      '<pad>',
      '<unk>',
      '<bos>',
      '<eos>',
      'a',
      'b',
    ]);
    expect(buildVocab(['ab', 'bc']).tokens).toEqual(['<pad>', '<unk>', 'b', 'a', 'c']);
  });
});

describe('buildVocab (word)', () => {
  const text = 'The cat sat on the mat. The dog sat, too!';

  it('counts words, optionally lower-cased', () => {
    const v = buildVocab(text, { level: 'word', lowercase: true });
    expect(v.tokens.slice(0, 5)).toEqual(['<pad>', '<unk>', 'the', 'sat', '!']);
    expect(v.tokenize('THE Cat')).toEqual(['the', 'cat']);
    expect(Array.from(v.encode('The cat flew.'))).toEqual([2, v.id('cat'), 1, v.id('.')]);
    const cased = buildVocab(text, { level: 'word' });
    expect(cased.id('The')).not.toBe(cased.id('the'));
  });

  it('decodes with spaces between words but not before punctuation', () => {
    const v = buildVocab(text, { level: 'word' });
    expect(v.decode(v.encode('The dog sat on the mat, too!'))).toBe('The dog sat on the mat, too!');
    expect(v.decode(v.encode('the   cat\nsat'))).toBe('the cat sat');
  });
});

describe('bad input', () => {
  it('rejects bad options and ids with clear errors', () => {
    expect(() => buildVocab('ab', { maxSize: 1 })).toThrow(
      'buildVocab: maxSize must be an integer >= 2 (the special tokens), got 1',
    );
    expect(() => buildVocab('ab', { minCount: 0 })).toThrow(
      'buildVocab: minCount must be a positive integer',
    );
    expect(() => buildVocab('ab', { specials: ['<unk>'] })).toThrow('special tokens must be distinct');
    expect(() => buildVocab('ab', { level: 'byte' as 'char' })).toThrow("level must be 'char' or 'word'");
    expect(() => buildVocab('ab').decode([9])).toThrow(
      'decode: id 9 at position 0 is outside the vocabulary [0, 4)',
    );
    expect(() => buildVocab('ab').decode([1.5])).toThrow('decode: id 1.5');
  });
});

describe('vocabFromTokens', () => {
  it('rebuilds an identical vocabulary from the token list', () => {
    const v = buildVocab('Hello, hello world.', { level: 'word', lowercase: true });
    const w = vocabFromTokens(v.tokens, { level: 'word', lowercase: true });
    expect(w.tokens).toEqual(v.tokens);
    expect(Array.from(w.encode('hello world'))).toEqual(Array.from(v.encode('hello world')));
  });

  it('rejects token lists without the special prefix or with duplicates', () => {
    expect(() => vocabFromTokens(['a', 'b'])).toThrow('vocabFromTokens: tokens must start with <pad>, <unk>');
    expect(() => vocabFromTokens(['<pad>', '<unk>', 'a', 'a'])).toThrow('token "a" appears twice');
  });
});
