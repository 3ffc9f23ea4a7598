import { describe, expect, it } from 'vitest';
import type { PrimParams } from '../../core/primitives.ts';
import { naiveDotGeneral, naiveMatmul } from './reference.ts';
import { run } from './test-helpers.ts';

type DotParams = PrimParams['dot_general'];
const mm: DotParams = { lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] };

/** Deterministic pseudo-random values in [-1, 1) (a small LCG). */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

function check(aShape: number[], bShape: number[], p: DotParams, seed = 1) {
  const a = values(
    aShape.reduce((x, y) => x * y, 1),
    seed,
  );
  const b = values(
    bShape.reduce((x, y) => x * y, 1),
    seed + 1,
  );
  const ref = naiveDotGeneral(a, aShape, b, bShape, p);
  const got = run(
    'dot_general',
    [
      { data: a, shape: aShape, dtype: 'f64' },
      { data: b, shape: bShape, dtype: 'f64' },
    ],
    p,
    ref.shape,
    'f64',
  );
  expect(got.length).toBe(ref.data.length);
  got.forEach((v, i) => {
    expect(v).toBeCloseTo(ref.data[i]!, 10);
  });
}

describe('dot_general', () => {
  // A = [[1,2,3],[4,5,6]], B = [[7,8],[9,10],[11,12]]: A·B = [[58,64],[139,154]]
  const A = { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] };
  const B = { data: [7, 8, 9, 10, 11, 12], shape: [3, 2] };
  const Bt = { data: [7, 9, 11, 8, 10, 12], shape: [2, 3] };
  const At = { data: [1, 4, 2, 5, 3, 6], shape: [3, 2] };

  it('multiplies matrices', () => {
    expect(run('dot_general', [A, B], mm, [2, 2])).toEqual([58, 64, 139, 154]);
  });
  it('reads transposed operands in place: x·Wᵀ and xᵀ·y', () => {
    const xwt: DotParams = { lhsContract: [1], rhsContract: [1], lhsBatch: [], rhsBatch: [] };
    expect(run('dot_general', [A, Bt], xwt, [2, 2])).toEqual([58, 64, 139, 154]);
    const xty: DotParams = { lhsContract: [0], rhsContract: [0], lhsBatch: [], rhsBatch: [] };
    expect(run('dot_general', [At, B], xty, [2, 2])).toEqual([58, 64, 139, 154]);
    const both: DotParams = { lhsContract: [0], rhsContract: [1], lhsBatch: [], rhsBatch: [] };
    expect(run('dot_general', [At, Bt], both, [2, 2])).toEqual([58, 64, 139, 154]);
  });
  it('orders output dims batch, lhs free, rhs free', () => {
    // contracting nothing is the outer product: out[i, j] = a[i] b[j]
    const outer: DotParams = { lhsContract: [], rhsContract: [], lhsBatch: [], rhsBatch: [] };
    expect(
      run(
        'dot_general',
        [
          { data: [1, 2], shape: [2] },
          { data: [3, 4, 5], shape: [3] },
        ],
        outer,
        [2, 3],
      ),
    ).toEqual([3, 4, 5, 6, 8, 10]);
    // vector dot: scalar out
    const vdot: DotParams = { lhsContract: [0], rhsContract: [0], lhsBatch: [], rhsBatch: [] };
    expect(
      run(
        'dot_general',
        [
          { data: [1, 2, 3], shape: [3] },
          { data: [4, 5, 6], shape: [3] },
        ],
        vdot,
        [],
      ),
    ).toEqual([32]);
    // rhs free dim first in rhs: B viewed with contract dim 1, out [2, 2]
    const batched: DotParams = { lhsContract: [2], rhsContract: [1], lhsBatch: [0], rhsBatch: [0] };
    // batch 0: [[1,2]]·[[1,0],[0,1]]ᵀ ; batch 1: [[3,4]]·[[2,0],[0,2]]ᵀ
    expect(
      run(
        'dot_general',
        [
          { data: [1, 2, 3, 4], shape: [2, 1, 2] },
          { data: [1, 0, 0, 1, 2, 0, 0, 2], shape: [2, 2, 2] },
        ],
        batched,
        [2, 1, 2],
      ),
    ).toEqual([1, 2, 6, 8]);
  });
  it('agrees with the reference on batched, strided and copied layouts', () => {
    check([3, 4, 5], [3, 5, 6], { lhsContract: [2], rhsContract: [1], lhsBatch: [0], rhsBatch: [0] });
    // batch dim in the middle of lhs, last of rhs
    check([4, 3, 5], [5, 6, 3], { lhsContract: [2], rhsContract: [0], lhsBatch: [1], rhsBatch: [2] });
    // two contract dims in reversed order (not one stride: forces the copy path)
    check([2, 3, 4], [4, 3, 5], { lhsContract: [2, 1], rhsContract: [0, 1], lhsBatch: [], rhsBatch: [] });
    // two free dims on each side
    check([2, 3, 4], [4, 2, 5], { lhsContract: [2], rhsContract: [0], lhsBatch: [], rhsBatch: [] });
    // size-1 dims anywhere
    check([1, 3, 1, 4], [4, 1, 2], { lhsContract: [3], rhsContract: [0], lhsBatch: [], rhsBatch: [] });
    // large enough for the blocked path, sizes not multiples of the 4×4 tile
    check([37, 70], [70, 29], mm);
    check([70, 37], [29, 70], { lhsContract: [0], rhsContract: [1], lhsBatch: [], rhsBatch: [] });
    check([300, 9], [9, 301], mm); // K small, M and N beyond one block
    check([5, 600], [600, 7], mm); // K beyond one KC block
  });
  it('blocked f32 products match the naive loop and round to f32', () => {
    const n = 50;
    const a = values(n * n, 7).map(Math.fround);
    const b = values(n * n, 8).map(Math.fround);
    const ref = naiveMatmul(n, n, n, a, b);
    const got = run(
      'dot_general',
      [
        { data: a, shape: [n, n] },
        { data: b, shape: [n, n] },
      ],
      mm,
      [n, n],
      'f32',
    );
    got.forEach((v, i) => {
      expect(v).toBe(Math.fround(v));
      expect(Math.abs(v - ref[i]!)).toBeLessThan(1e-5);
    });
  });
  it('handles empty dims and i32', () => {
    expect(
      run(
        'dot_general',
        [
          { data: [], shape: [2, 0] },
          { data: [], shape: [0, 3] },
        ],
        mm,
        [2, 3],
      ),
    ).toEqual([0, 0, 0, 0, 0, 0]);
    expect(
      run(
        'dot_general',
        [
          { ...A, dtype: 'i32' },
          { ...B, dtype: 'i32' },
        ],
        mm,
        [2, 2],
        'i32',
      ),
    ).toEqual([58, 64, 139, 154]);
  });
  it('propagates NaN and Inf (0 · Inf = NaN)', () => {
    const got = run(
      'dot_general',
      [
        { data: [0, 1], shape: [1, 2] },
        { data: [Infinity, 1], shape: [2, 1] },
      ],
      mm,
      [1, 1],
    );
    expect(got).toEqual([NaN]);
  });
  it('rejects mismatched contract sizes', () => {
    expect(() => run('dot_general', [A, A], mm, [2, 3])).toThrow(/dot_general/);
  });
});
