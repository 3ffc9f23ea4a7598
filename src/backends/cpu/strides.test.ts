import { describe, expect, it } from 'vitest';
import { coalesce, copyStrided, forEachOffset, sizeOf, stridesOf } from './strides.ts';

describe('strides', () => {
  it('computes sizes and row-major strides', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
  });
  it('coalesces contiguous dims and drops size-1 dims', () => {
    expect(coalesce([2, 3, 4], [[12, 4, 1]])).toEqual({ shape: [24], strides: [[1]] });
    expect(coalesce([2, 1, 3], [[3, 99, 1]])).toEqual({ shape: [6], strides: [[1]] });
    // a transposed view does not merge
    expect(coalesce([3, 2], [[1, 3]])).toEqual({ shape: [3, 2], strides: [[1, 3]] });
  });
  it('copies strided views (transpose, broadcast, reverse)', () => {
    const src = [0, 1, 2, 3, 4, 5];
    const dst = new Array<number>(6).fill(-1);
    copyStrided([3, 2], src, 0, [1, 3], dst, 0, [2, 1]);
    expect(dst).toEqual([0, 3, 1, 4, 2, 5]);
    copyStrided([2, 3], src, 2, [0, -1], dst, 0, [3, 1]);
    expect(dst).toEqual([2, 1, 0, 2, 1, 0]);
    const one = [0];
    copyStrided([], [7], 0, [], one, 0, []);
    expect(one).toEqual([7]);
  });
  it('visits offsets in row-major order', () => {
    const seen: number[][] = [];
    forEachOffset([2, 2], [[1, 2]], (o) => seen.push([...o]));
    expect(seen).toEqual([[0], [2], [1], [3]]);
  });
});
