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
  it('transposes large matrices tile by tile, in both orientations', () => {
    const [R, C] = [37, 70];
    const src = Array.from({ length: R * C }, (_, i) => i);
    const want = Array.from({ length: R * C }, (_, i) => src[(i % R) * C + Math.floor(i / R)]);
    // read transposed, write contiguous
    const a = new Array<number>(R * C).fill(-1);
    copyStrided([C, R], src, 0, [1, C], a, 0, [R, 1]);
    expect(a).toEqual(want);
    // read contiguous, write transposed
    const b = new Array<number>(R * C).fill(-1);
    copyStrided([R, C], src, 0, [C, 1], b, 0, [1, R]);
    expect(b).toEqual(want);
    // with an outer batch dim
    const c = new Array<number>(2 * R * C).fill(-1);
    copyStrided([2, C, R], [...src, ...src], 0, [R * C, 1, C], c, 0, [R * C, R, 1]);
    expect(c).toEqual([...want, ...want]);
  });
  it('visits offsets in row-major order', () => {
    const seen: number[][] = [];
    forEachOffset([2, 2], [[1, 2]], (o) => seen.push([...o]));
    expect(seen).toEqual([[0], [2], [1], [3]]);
  });
});
