import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { threefryBits } from '../random/threefry.ts';
import { batchCount, shufflePermutation } from './batches.ts';
import type { ImageSplit } from './dataset.ts';
import { batches } from './tree-batches.ts';

/** n examples of 1×2×2 whose pixels are i + k/10 and label i % 10. */
function toySplit(n: number): ImageSplit {
  const images = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) for (let k = 0; k < 4; k++) images[i * 4 + k] = i + k / 10;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  return { images, shape: [n, 1, 2, 2], labels, n };
}

describe('shufflePermutation', () => {
  it('is a permutation and a pure function of the key', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.nat(), fc.nat(), (n, k0, k1) => {
        const p = shufflePermutation(n, [k0, k1]);
        expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(Array.from(shufflePermutation(n, [k0, k1]))).toEqual(Array.from(p));
      }),
      { numRuns: 100 },
    );
  });

  it('follows the documented Fisher–Yates on threefryBits words', () => {
    // n = 3: step i = 2 uses word 0 (j = w0 mod 3), step i = 1 uses word 1 (j = w1 mod 2).
    const [w0, w1] = threefryBits(5, 6, 2, 0) as unknown as [number, number];
    const p = [0, 1, 2];
    const j2 = w0 % 3;
    [p[2], p[j2]] = [p[j2]!, p[2]!];
    const j1 = w1 % 2;
    [p[1], p[j1]] = [p[j1]!, p[1]!];
    expect(Array.from(shufflePermutation(3, [5, 6]))).toEqual(p);
  });

  it('pins a known permutation (regression: same key → same order everywhere)', () => {
    expect(Array.from(shufflePermutation(10, [0, 42]))).toMatchInlineSnapshot(`
      [
        1,
        5,
        9,
        8,
        0,
        2,
        6,
        7,
        4,
        3,
      ]
    `);
  });

  it('different keys give different orders', () => {
    const a = Array.from(shufflePermutation(100, [0, 1]));
    const b = Array.from(shufflePermutation(100, [0, 2]));
    const c = Array.from(shufflePermutation(100, [1, 1]));
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('is close to uniform: each of the 6 orders of 3 items appears ~1/6 of the time', () => {
    const counts = new Map<string, number>();
    const trials = 6000;
    for (let s = 0; s < trials; s++) {
      const k = shufflePermutation(3, [s, 7]).join('');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(120); // > 4 sigma
  });

  it('rejects a bad n', () => {
    expect(() => shufflePermutation(-1, [0, 0])).toThrow('shufflePermutation: n must be an integer');
  });
});

describe('batches', () => {
  it('yields ordered batches with a short last one, copying pixels and labels', () => {
    const split = toySplit(5);
    const bs = [...batches(split, { batchSize: 2 })];
    expect(bs.map((b) => b.xShape)).toEqual([
      [2, 1, 2, 2],
      [2, 1, 2, 2],
      [1, 1, 2, 2],
    ]);
    expect(Array.from(bs[1]!.y)).toEqual([2, 3]);
    expect(Array.from(bs[2]!.x)).toEqual(Array.from(Float32Array.from([4, 4.1, 4.2, 4.3])));
    expect(bs[0]!.y).toBeInstanceOf(Int32Array);
    bs[0]!.x[0] = 99;
    expect(split.images[0]).toBe(0);
    expect(batchCount(5, 2)).toBe(3);
  });

  it('drops the last partial batch with dropLast', () => {
    const bs = [...batches(toySplit(5), { batchSize: 2, dropLast: true })];
    expect(bs.length).toBe(2);
    expect(batchCount(5, 2, { dropLast: true })).toBe(2);
    expect([...batches(toySplit(1), { batchSize: 2, dropLast: true })]).toEqual([]);
  });

  it('shuffles by key: same key → same batches, each example exactly once, x and y aligned', () => {
    const split = toySplit(23);
    const key = [3, 4] as const;
    const a = [...batches(split, { batchSize: 4, key })];
    const b = [...batches(split, { batchSize: 4, key })];
    expect(a.map((x) => Array.from(x.indices))).toEqual(b.map((x) => Array.from(x.indices)));
    const perm = shufflePermutation(23, key);
    expect(a.flatMap((x) => Array.from(x.indices))).toEqual(Array.from(perm));
    for (const batch of a) {
      batch.indices.forEach((i, r) => {
        expect(batch.y[r]).toBe(i % 10);
        expect(batch.x[r * 4 + 3]).toBeCloseTo(i + 0.3, 5);
      });
    }
    const other = [...batches(split, { batchSize: 4, key: [3, 5] })];
    expect(other.flatMap((x) => Array.from(x.indices))).not.toEqual(Array.from(perm));
  });

  it('batches a split inside a pytree, aligned with the other leaves', () => {
    const tree = { split: toySplit(7), ids: Int32Array.from({ length: 7 }, (_, i) => 10 * i) };
    const got = [...batches(tree, { batchSize: 3, key: [1, 2] })];
    expect(got.map((b) => b.split.xShape[0])).toEqual([3, 3, 1]);
    for (const b of got) {
      expect(Array.from(b.ids)).toEqual(Array.from(b.split.indices, (i) => 10 * i));
      b.split.indices.forEach((i, r) => {
        expect(b.split.x[r * 4]).toBe(i);
        expect(b.split.y[r]).toBe(i % 10);
      });
    }
    const visited = got.flatMap((b) => Array.from(b.split.indices)).sort((a, b) => a - b);
    expect(visited).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('rejects a bad batch size and an inconsistent split', () => {
    expect(() => [...batches(toySplit(3), { batchSize: 0 })]).toThrow(
      'data.batches: batchSize must be a positive integer, got 0',
    );
    const bad: ImageSplit = { ...toySplit(3), n: 4 };
    expect(() => [...batches(bad, { batchSize: 2 })]).toThrow(
      'data.batches: split (root) has n = 4 and shape [3, 1, 2, 2] but 12 pixels and 3 labels',
    );
    expect(() => batches(toySplit(3), { batchSize: 2, dropRemainder: true } as never)).toThrow(
      "data.batches: unknown option 'dropRemainder' (known options: batchSize, key, dropLast)",
    );
  });
});
