import { describe, expect, it } from 'vitest';
import { run } from './test-helpers.ts';

// [[0,1,2],[3,4,5]]
const m = { data: [0, 1, 2, 3, 4, 5], shape: [2, 3] };
const idx = (data: number[], shape = [data.length]) => ({ data, shape, dtype: 'i32' as const });

describe('gather', () => {
  it('is numpy take along an axis', () => {
    expect(run('gather', [m, idx([2, 0])], { axis: 1 }, [2, 2])).toEqual([2, 0, 5, 3]);
    expect(run('gather', [m, idx([1, 1, 0])], { axis: 0 }, [3, 3])).toEqual([3, 4, 5, 3, 4, 5, 0, 1, 2]);
    // indices with a shape of their own: np.take(m, [[0],[2]], axis=1) has shape [2, 2, 1]
    expect(run('gather', [m, idx([0, 2], [2, 1])], { axis: 1 }, [2, 2, 1])).toEqual([0, 2, 3, 5]);
    expect(run('gather', [m, idx([], [0])], { axis: 1 }, [2, 0])).toEqual([]);
  });
  it('wraps negative indices', () => {
    expect(run('gather', [m, idx([-1, -3])], { axis: 1 }, [2, 2])).toEqual([2, 0, 5, 3]);
  });
  it('throws on an index out of range, naming op, index, axis and size', () => {
    const big = { data: new Array<number>(20).fill(0), shape: [2, 10] };
    expect(() => run('gather', [big, idx([12])], { axis: 1 }, [2, 1])).toThrow(
      'gather: index 12 out of range for axis 1 of size 10',
    );
    expect(() => run('gather', [m, idx([-4])], { axis: 1 }, [2, 1])).toThrow(/index -4 out of range/);
  });
  it('keeps the operand dtype', () => {
    expect(
      run('gather', [{ data: [7, -8], shape: [2], dtype: 'i32' }, idx([1])], { axis: 0 }, [1], 'i32'),
    ).toEqual([-8]);
  });
});

describe('scatter_add', () => {
  it('adds updates at the indices, accumulating duplicates', () => {
    const zeros = { data: new Array<number>(6).fill(0), shape: [2, 3] };
    const upd = { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] };
    expect(run('scatter_add', [zeros, idx([0, 0, 2]), upd], { axis: 1 }, [2, 3])).toEqual([3, 0, 3, 9, 0, 6]);
    expect(
      run('scatter_add', [m, idx([-1]), { data: [10, 20, 30], shape: [1, 3] }], { axis: 0 }, [2, 3]),
    ).toEqual([0, 1, 2, 13, 24, 35]);
  });
  it('is the transpose of gather: <gather(x), u> = <x, scatter_add(0, u)>', () => {
    const x = [0.5, -1, 2, 3, 0.25, 7];
    const u = [1, 2, 3, 4];
    const g = run('gather', [{ data: x, shape: [6] }, idx([5, 0, 5, 2])], { axis: 0 }, [4], 'f64');
    const s = run(
      'scatter_add',
      [{ data: new Array<number>(6).fill(0), shape: [6] }, idx([5, 0, 5, 2]), { data: u, shape: [4] }],
      { axis: 0 },
      [6],
      'f64',
    );
    const dot = (p: number[], q: number[]) => p.reduce((acc, v, i) => acc + v * q[i]!, 0);
    expect(dot(g, u)).toBe(dot(x, s));
  });
  it('throws on an index out of range', () => {
    expect(() =>
      run('scatter_add', [m, idx([3]), { data: [1, 1], shape: [2, 1] }], { axis: 1 }, [2, 3]),
    ).toThrow('scatter_add: index 3 out of range for axis 1 of size 3');
  });
  // A 1-d operand takes the one-pass path, which hands a bad index back to the checked one.
  const flat = (indices: number[], updates: number[]) =>
    run(
      'scatter_add',
      [{ data: [1, 2, 3, 4], shape: [4] }, idx(indices), { data: updates, shape: [updates.length] }],
      { axis: 0 },
      [4],
    );
  it('scatters a flat operand in one pass, duplicates accumulating', () => {
    expect(flat([3, 0, 3, 1], [10, 20, 30, 40])).toEqual([21, 42, 3, 44]);
  });
  it('wraps a negative index found after others were scattered in one pass', () => {
    expect(flat([0, 2, -1], [10, 20, 30])).toEqual([11, 2, 23, 34]);
  });
  it('throws on a flat index out of range after others were scattered, on either side', () => {
    expect(() => flat([0, 4], [1, 1])).toThrow('scatter_add: index 4 out of range for axis 0 of size 4');
    expect(() => flat([1, -5], [1, 1])).toThrow('scatter_add: index -5 out of range for axis 0 of size 4');
  });
});
