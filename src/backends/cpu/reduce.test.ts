import { describe, expect, it } from 'vitest';
import { run } from './test-helpers.ts';

// x = [[[0,1,2],[3,4,5]], [[6,7,8],[9,10,11]]], shape [2,2,3]
const x = { data: Array.from({ length: 12 }, (_, i) => i), shape: [2, 2, 3], dtype: 'f64' as const };

describe('reduce_sum', () => {
  it('reduces any set of axes (numpy x.sum(axis=...))', () => {
    expect(run('reduce_sum', [x], { axes: [2] }, [2, 2], 'f64')).toEqual([3, 12, 21, 30]);
    expect(run('reduce_sum', [x], { axes: [0] }, [2, 3], 'f64')).toEqual([6, 8, 10, 12, 14, 16]);
    expect(run('reduce_sum', [x], { axes: [1] }, [2, 3], 'f64')).toEqual([3, 5, 7, 15, 17, 19]);
    expect(run('reduce_sum', [x], { axes: [0, 2] }, [2], 'f64')).toEqual([24, 42]);
    expect(run('reduce_sum', [x], { axes: [0, 1, 2] }, [], 'f64')).toEqual([66]);
    expect(run('reduce_sum', [x], { axes: [] }, [2, 2, 3], 'f64')).toEqual(x.data);
  });
  it('sums empty to 0', () => {
    expect(run('reduce_sum', [{ data: [], shape: [2, 0] }], { axes: [1] }, [2])).toEqual([0, 0]);
  });
  it('accumulates f32 in double precision', () => {
    // 1 + 2^-24 * 2^20: in f32 accumulation each small term would be lost.
    const data = [1, ...new Array<number>(1 << 20).fill(2 ** -24)];
    expect(run('reduce_sum', [{ data, shape: [data.length] }], { axes: [0] }, [])).toEqual([1.0625]);
  });
  it('sums i32 as integers', () => {
    expect(
      run('reduce_sum', [{ data: [1, -2, 2147483647], shape: [3], dtype: 'i32' }], { axes: [0] }, [], 'i32'),
    ).toEqual([2147483646]);
  });
  it('propagates NaN', () => {
    expect(run('reduce_sum', [{ data: [1, NaN], shape: [2] }], { axes: [0] }, [])).toEqual([NaN]);
  });
  it('sums batch-norm axes ([B, C, HW] → [C]) in the order of a plain loop, bit for bit', () => {
    // rows (b, c) summed left to right in f64, then added per channel in batch order; row
    // counts off the 8-row blocks, a single-element row, and values whose sums depend on the order
    for (const [B, C, HW] of [
      [3, 5, 7],
      [2, 9, 13],
      [17, 1, 1],
      [4, 4, 196],
    ] as const) {
      // ±2^60 pairs that cancel around small values: left to right keeps a small value that
      // follows a cancelled pair and loses one that precedes it, so another order gives other sums
      const data = Array.from({ length: B * C * HW }, (_, i) =>
        i % 3 === 2 ? Math.fround(Math.sin(i * 1.7)) : (i % 3 === 0 ? 1 : -1) * 2 ** 60,
      );
      const want = new Float64Array(C);
      for (let b = 0; b < B; b++)
        for (let c = 0; c < C; c++) {
          let s = 0;
          for (let j = 0; j < HW; j++) s += data[(b * C + c) * HW + j]!;
          want[c] = want[c]! + s;
        }
      const got = run('reduce_sum', [{ data, shape: [B, C, HW] }], { axes: [0, 2] }, [C]);
      expect(got, `${B}×${C}×${HW}`).toEqual(Array.from(Float32Array.from(want)));
    }
  });
});

describe('reduce_max', () => {
  it('reduces axes', () => {
    expect(run('reduce_max', [x], { axes: [2] }, [2, 2], 'f64')).toEqual([2, 5, 8, 11]);
    expect(run('reduce_max', [x], { axes: [0, 1] }, [3], 'f64')).toEqual([9, 10, 11]);
  });
  it('max of empty is -Infinity (i32: -2^31)', () => {
    expect(run('reduce_max', [{ data: [], shape: [0, 2] }], { axes: [0] }, [2])).toEqual([
      -Infinity,
      -Infinity,
    ]);
    expect(run('reduce_max', [{ data: [], shape: [0], dtype: 'i32' }], { axes: [0] }, [], 'i32')).toEqual([
      -2147483648,
    ]);
  });
  it('propagates NaN wherever it is', () => {
    const data = [1, NaN, 3, NaN, 5, 6];
    expect(run('reduce_max', [{ data, shape: [3, 2] }], { axes: [1] }, [3])).toEqual([NaN, NaN, 6]);
    expect(run('reduce_max', [{ data, shape: [3, 2] }], { axes: [0] }, [2])).toEqual([5, NaN]);
  });
  it('handles i32 and bool', () => {
    expect(
      run('reduce_max', [{ data: [-5, -3, -9], shape: [3], dtype: 'i32' }], { axes: [0] }, [], 'i32'),
    ).toEqual([-3]);
    expect(
      run('reduce_max', [{ data: [0, 1, 0, 0], shape: [2, 2], dtype: 'bool' }], { axes: [1] }, [2], 'bool'),
    ).toEqual([1, 0]);
  });
});

describe('argmax', () => {
  it('gives the first maximum along the axis', () => {
    const d = { data: [1, 3, 3, 0, 5, 2], shape: [2, 3] };
    expect(run('argmax', [d], { axis: 1 }, [2], 'i32')).toEqual([1, 1]);
    expect(run('argmax', [d], { axis: 0 }, [3], 'i32')).toEqual([0, 1, 0]);
    expect(run('argmax', [x], { axis: 1 }, [2, 3], 'i32')).toEqual([1, 1, 1, 1, 1, 1]);
  });
  it('treats NaN as the maximum, the first NaN wins', () => {
    const d = { data: [1, NaN, 7, NaN, 2, 2, 2, 2], shape: [2, 4] };
    expect(run('argmax', [d], { axis: 1 }, [2], 'i32')).toEqual([1, 0]);
    expect(run('argmax', [{ data: [-Infinity, -Infinity], shape: [2] }], { axis: 0 }, [], 'i32')).toEqual([
      0,
    ]);
  });
  it('works on i32', () => {
    expect(run('argmax', [{ data: [-4, -1, -1], shape: [3], dtype: 'i32' }], { axis: 0 }, [], 'i32')).toEqual(
      [1],
    );
  });
  it('throws on an empty axis', () => {
    expect(() => run('argmax', [{ data: [], shape: [2, 0] }], { axis: 1 }, [2], 'i32')).toThrow(/argmax/);
  });
});
