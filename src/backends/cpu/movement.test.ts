import { describe, expect, it } from 'vitest';
import { run } from './test-helpers.ts';

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);
// [[0,1,2],[3,4,5]]
const m = { data: iota(6), shape: [2, 3] };

describe('reshape', () => {
  it('keeps row-major order and dtype', () => {
    expect(run('reshape', [m], { shape: [3, 2] }, [3, 2])).toEqual(iota(6));
    expect(
      run('reshape', [{ data: [1, 0], shape: [2], dtype: 'bool' }], { shape: [1, 2] }, [1, 2], 'bool'),
    ).toEqual([1, 0]);
  });
});

describe('broadcast_in_dim', () => {
  it('maps operand dims to output dims and repeats the rest', () => {
    // [1,2,3] as a row of [2,3]
    expect(
      run('broadcast_in_dim', [{ data: [1, 2, 3], shape: [3] }], { shape: [2, 3], dims: [1] }, [2, 3]),
    ).toEqual([1, 2, 3, 1, 2, 3]);
    // [1,2] as a column of [2,3]
    expect(
      run('broadcast_in_dim', [{ data: [1, 2], shape: [2] }], { shape: [2, 3], dims: [0] }, [2, 3]),
    ).toEqual([1, 1, 1, 2, 2, 2]);
    // size-1 dims broadcast: [2,1] -> [2,2,3] with dims [0, 2]... operand dim 1 (size 1) to out dim 2
    expect(
      run(
        'broadcast_in_dim',
        [{ data: [7, 8], shape: [2, 1] }],
        { shape: [2, 2, 3], dims: [0, 2] },
        [2, 2, 3],
      ),
    ).toEqual([7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8]);
    expect(run('broadcast_in_dim', [{ data: [5], shape: [] }], { shape: [2, 2], dims: [] }, [2, 2])).toEqual([
      5, 5, 5, 5,
    ]);
  });
  it('rejects a dim that does not fit', () => {
    expect(() =>
      run('broadcast_in_dim', [{ data: [1, 2], shape: [2] }], { shape: [3], dims: [0] }, [3]),
    ).toThrow(/broadcast_in_dim/);
  });
});

describe('transpose', () => {
  it('permutes dims: out.shape[i] = in.shape[perm[i]]', () => {
    expect(run('transpose', [m], { perm: [1, 0] }, [3, 2])).toEqual([0, 3, 1, 4, 2, 5]);
    // numpy: np.arange(24).reshape(2,3,4).transpose(2,0,1).ravel()[:8] = [0,4,8,12,16,20,1,5]
    const t = run('transpose', [{ data: iota(24), shape: [2, 3, 4] }], { perm: [2, 0, 1] }, [4, 2, 3]);
    expect(t.slice(0, 8)).toEqual([0, 4, 8, 12, 16, 20, 1, 5]);
    expect(t[23]).toBe(23);
  });
});

describe('slice', () => {
  it('takes start:limit:stride per dim', () => {
    expect(run('slice', [m], { start: [0, 1], limit: [2, 3], stride: [1, 1] }, [2, 2])).toEqual([1, 2, 4, 5]);
    expect(
      run('slice', [{ data: iota(10), shape: [10] }], { start: [1], limit: [10], stride: [3] }, [3]),
    ).toEqual([1, 4, 7]);
    expect(run('slice', [m], { start: [1, 0], limit: [2, 3], stride: [1, 2] }, [1, 2])).toEqual([3, 5]);
    expect(run('slice', [m], { start: [0, 2], limit: [2, 2], stride: [1, 1] }, [2, 0])).toEqual([]);
  });
  it('rejects a window past the end', () => {
    expect(() => run('slice', [m], { start: [0, 2], limit: [2, 4], stride: [1, 1] }, [2, 2])).toThrow(
      /slice/,
    );
  });
});

describe('pad', () => {
  it('pads edges and interior with zeros', () => {
    expect(run('pad', [{ data: [1, 2, 3], shape: [3] }], { lo: [1], hi: [2], interior: [0] }, [6])).toEqual([
      0, 1, 2, 3, 0, 0,
    ]);
    expect(run('pad', [{ data: [1, 2, 3], shape: [3] }], { lo: [0], hi: [0], interior: [2] }, [7])).toEqual([
      1, 0, 0, 2, 0, 0, 3,
    ]);
    expect(
      run(
        'pad',
        [{ data: [1, 2, 3, 4], shape: [2, 2] }],
        { lo: [1, 0], hi: [0, 1], interior: [1, 0] },
        [4, 3],
      ),
    ).toEqual([0, 0, 0, 1, 2, 0, 0, 0, 0, 3, 4, 0]);
  });
  it('pads i32', () => {
    expect(
      run('pad', [{ data: [-1], shape: [1], dtype: 'i32' }], { lo: [1], hi: [1], interior: [0] }, [3], 'i32'),
    ).toEqual([0, -1, 0]);
  });
});

describe('concatenate', () => {
  it('joins along an axis', () => {
    const a = { data: [1, 2], shape: [1, 2] };
    const b = { data: [3, 4, 5, 6], shape: [2, 2] };
    expect(run('concatenate', [a, b], { axis: 0 }, [3, 2])).toEqual([1, 2, 3, 4, 5, 6]);
    const c = { data: [9, 8], shape: [2, 1] };
    expect(run('concatenate', [b, c, b], { axis: 1 }, [2, 5])).toEqual([3, 4, 9, 3, 4, 5, 6, 8, 5, 6]);
    expect(run('concatenate', [a], { axis: 1 }, [1, 2])).toEqual([1, 2]);
  });
  it('rejects sizes that do not add up', () => {
    expect(() => run('concatenate', [m, m], { axis: 0 }, [5, 3])).toThrow(/concatenate/);
  });
});

describe('rev', () => {
  it('reverses the given axes', () => {
    expect(run('rev', [m], { axes: [1] }, [2, 3])).toEqual([2, 1, 0, 5, 4, 3]);
    expect(run('rev', [m], { axes: [0] }, [2, 3])).toEqual([3, 4, 5, 0, 1, 2]);
    expect(run('rev', [m], { axes: [0, 1] }, [2, 3])).toEqual([5, 4, 3, 2, 1, 0]);
    expect(run('rev', [m], { axes: [] }, [2, 3])).toEqual(iota(6));
  });
});
