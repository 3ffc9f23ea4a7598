import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor } from '../ops/creation.ts';
import { batches, exampleCount } from './tree-batches.ts';

const data = (n: number) => ({
  x: tensor(
    Float32Array.from({ length: 2 * n }, (_, i) => i),
    [n, 2],
  ),
  meta: [Int32Array.from({ length: n }, (_, i) => 100 + i)],
});

describe('data.batches', () => {
  it('keeps the order without a key, with a final partial batch', () => {
    const got = [...batches(data(5), { batchSize: 2 })];
    expect(got.map((b) => b.x.toArray())).toEqual([
      [
        [0, 1],
        [2, 3],
      ],
      [
        [4, 5],
        [6, 7],
      ],
      [[8, 9]],
    ]);
    expect(got.map((b) => [...b.meta[0]!])).toEqual([[100, 101], [102, 103], [104]]);
    expect(got[0]!.meta[0]).toBeInstanceOf(Int32Array);
  });

  it('drops the partial batch with dropLast', () => {
    const got = [...batches(data(5), { batchSize: 2, dropLast: true })];
    expect(got.map((b) => b.x.shape)).toEqual([
      [2, 2],
      [2, 2],
    ]);
  });

  it('shuffles by key, the same for the same key, keeping rows together', () => {
    const order = (k: number) =>
      [...batches(data(9), { batchSize: 4, key: [k, 1] })].flatMap((b) => [...b.meta[0]!]);
    expect(order(3)).toEqual(order(3));
    expect(order(3)).not.toEqual(order(4));
    for (const b of batches(data(9), { batchSize: 4, key: [3, 1] })) {
      const rows = b.x.toArray() as number[][];
      expect(rows.map((r) => r[0]! / 2 + 100)).toEqual([...b.meta[0]!]);
    }
  });

  it('property: each example is visited exactly once per epoch', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        (n, bs, seed) => {
          const seen = [
            ...batches(
              { id: Int32Array.from({ length: n }, (_, i) => i) },
              { batchSize: bs, key: [seed, 0] },
            ),
          ]
            .flatMap((b) => [...b.id])
            .sort((a, b) => a - b);
          expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('names leaves that disagree, scalars and bad batch sizes', () => {
    expect(() => exampleCount({ a: tensor([1, 2]), b: { c: new Int32Array(3) } })).toThrow(
      'data.batches: leaf b.c has 3 examples but a has 2',
    );
    expect(() => exampleCount({ s: tensor(1) })).toThrow(
      'data.batches: leaf s is a scalar; it needs a leading example dim',
    );
    expect(() => [...batches(data(2), { batchSize: 0 })]).toThrow(
      'data.batches: batchSize must be a positive integer, got 0',
    );
  });
});
