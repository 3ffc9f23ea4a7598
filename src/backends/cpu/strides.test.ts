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
  it('copies long contiguous runs between typed arrays of one type row by row (a concatenation)', () => {
    const [R, C] = [3, 100];
    const src = Float32Array.from({ length: R * C }, (_, i) => i + 0.5);
    // rows of src into columns 150..249 of a [3, 250] destination, from src offset 0
    const dst = new Float32Array(R * 250).fill(-1);
    copyStrided([R, C], src, 0, [C, 1], dst, 150, [250, 1]);
    for (let r = 0; r < R; r++)
      for (let c = 0; c < 250; c++) expect(dst[r * 250 + c]).toBe(c < 150 ? -1 : src[r * C + c - 150]);
    // mixed types take the element loop, with the same values
    const wide = new Float64Array(R * 250).fill(-1);
    copyStrided([R, C], src, 0, [C, 1], wide, 150, [250, 1]);
    expect(Array.from(wide)).toEqual(Array.from(dst));
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
  it('copies views with short inner runs and scalar broadcasts like an index-by-index copy', () => {
    // deterministic pseudo-random shapes of rank 1-6 with dims 1-4, permuted, broadcast or reversed
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let trial = 0; trial < 300; trial++) {
      const rank = 1 + rand(6);
      const shape = Array.from({ length: rank }, () => 1 + rand(4));
      const perm = shape.map((_, i) => i).sort(() => rand(3) - 1);
      const inShape = perm.map((d) => shape[d]!);
      const inStrides = stridesOf(inShape);
      const srcStrides = shape.map((_, d) => {
        const s = inStrides[perm.indexOf(d)]!;
        return rand(4) === 0 ? 0 : rand(5) === 0 ? -s : s;
      });
      let srcOff = 0;
      shape.forEach((n, d) => {
        if (srcStrides[d]! < 0) srcOff -= srcStrides[d]! * (n - 1);
      });
      const src = Float32Array.from({ length: sizeOf(inShape) }, (_, i) => i + 0.5);
      const dst = new Float32Array(sizeOf(shape)).fill(-1);
      const dstStrides = stridesOf(shape);
      copyStrided(shape, src, srcOff, srcStrides, dst, 0, dstStrides);
      const want = new Float32Array(sizeOf(shape));
      forEachOffset(shape, [srcStrides, dstStrides], (o) => {
        want[o[1]!] = src[srcOff + o[0]!]!;
      });
      expect([...dst]).toEqual([...want]);
    }
    // a bias broadcast over long runs: [2, 3] → [2, 3, 20]
    const bias = Float32Array.from({ length: 6 }, (_, i) => i + 0.25);
    const out = new Float32Array(120);
    copyStrided([2, 3, 20], bias, 0, [3, 1, 0], out, 0, [60, 20, 1]);
    expect([...out]).toEqual(Array.from({ length: 120 }, (_, i) => Math.floor(i / 20) + 0.25));
    const filled = new Float32Array(5);
    copyStrided([5], [2.5], 0, [0], filled, 0, [1]);
    expect([...filled]).toEqual([2.5, 2.5, 2.5, 2.5, 2.5]);
  });
  it('visits offsets in row-major order', () => {
    const seen: number[][] = [];
    forEachOffset([2, 2], [[1, 2]], (o) => seen.push([...o]));
    expect(seen).toEqual([[0], [2], [1], [3]]);
  });
});
