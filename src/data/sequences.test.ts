import { describe, expect, it } from 'vitest';
import { corpusFromText } from './corpus.ts';
import { bpttWindowCount, bpttWindows, padSequences } from './sequences.ts';

describe('data.bpttWindows', () => {
  // 0..10 in 2 columns of 5 (token 10 dropped): [0 1 2 3 4] and [5 6 7 8 9]
  const tokens = Int32Array.from({ length: 11 }, (_, i) => i);

  it('cuts contiguous time-major windows with targets shifted by one', () => {
    const got = [...bpttWindows(tokens, { batchSize: 2, seqLen: 3 })];
    expect(got.map((w) => w.x.toArray())).toEqual([
      [
        [0, 5],
        [1, 6],
        [2, 7],
      ],
      [[3, 8]],
    ]);
    expect(got.map((w) => w.y.toArray())).toEqual([
      [
        [1, 6],
        [2, 7],
        [3, 8],
      ],
      [[4, 9]],
    ]);
    expect(bpttWindowCount(11, { batchSize: 2, seqLen: 3 })).toBe(2);
  });

  it('drops the short final window with dropLast', () => {
    const got = [...bpttWindows(tokens, { batchSize: 2, seqLen: 3, dropLast: true })];
    expect(got.map((w) => w.x.shape)).toEqual([[3, 2]]);
  });

  it('rejects a stream too short for the batch', () => {
    expect(() => [...bpttWindows([1, 2, 3], { batchSize: 2, seqLen: 2 })]).toThrow(
      'data.bpttWindows: 3 tokens give columns of 1 for batchSize 2; need at least 2 tokens per column',
    );
  });
});

describe('data.padSequences', () => {
  it('pads at the end with a mask and lengths', () => {
    const { ids, mask, lengths } = padSequences([[5, 6, 7], [8]]);
    expect(ids.toArray()).toEqual([
      [5, 6, 7],
      [8, 0, 0],
    ]);
    expect(mask.toArray()).toEqual([
      [1, 1, 1],
      [1, 0, 0],
    ]);
    expect([...lengths]).toEqual([3, 1]);
  });

  it('truncates to maxLen, time-major, with a custom pad id', () => {
    const { ids, mask } = padSequences([[1, 2, 3], [4]], { maxLen: 2, padId: 9, timeMajor: true });
    expect(ids.toArray()).toEqual([
      [1, 4],
      [2, 9],
    ]);
    expect(mask.toArray()).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });

  it('rejects non-integer ids and empty input', () => {
    expect(() => padSequences([[1.5]])).toThrow(
      'data.padSequences: sequence 0 has a non-integer id 1.5 at 0',
    );
    expect(() => padSequences([])).toThrow('data.padSequences: give at least one sequence');
  });
});

describe('data.corpusFromText', () => {
  it('splits the ids into train and validation streams', () => {
    const { vocab, train, valid } = corpusFromText('to be or not to be', {
      level: 'word',
      validFraction: 0.5,
    });
    expect(vocab.decode(train)).toBe('to be or');
    expect(vocab.decode(valid)).toBe('not to be');
  });
});
