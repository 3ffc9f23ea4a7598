/** Bad input the core should never send still throws an Error naming the op, never garbage. */
import { describe, expect, it } from 'vitest';
import { NONE, run } from './test-helpers.ts';

const v = (data: number[], dtype: 'f32' | 'i32' | 'bool' = 'f32', shape = [data.length]) => ({
  data,
  shape,
  dtype,
});

describe('cpu kernels re-check their inputs', () => {
  it('elementwise operands must match the output size', () => {
    expect(() => run('add', [v([1, 2]), v([1, 2, 3])], NONE, [2])).toThrow(
      /cpu add: operand 1 has shape \[3\]/,
    );
    expect(() => run('neg', [v([1, 2])], NONE, [3])).toThrow(/cpu neg/);
  });
  it('operands that must be bool or i32 are', () => {
    expect(() => run('select', [v([1, 0]), v([1, 2]), v([3, 4])], NONE, [2])).toThrow(
      'cpu select: operand 0 must be bool, got f32',
    );
    expect(() => run('gather', [v([1, 2]), v([0])], { axis: 0 }, [1])).toThrow(
      'cpu gather: operand 1 must be i32',
    );
    expect(() => run('random_bits', [v([1, 2])], { shape: [2], stream: 0 }, [2], 'i32')).toThrow(
      /random_bits/,
    );
  });
  it('bool has no exp, div or pow; abs/sign are the identity; sum is any', () => {
    expect(() => run('exp', [v([1], 'bool')], NONE, [1], 'bool')).toThrow('cpu exp: not defined for bool');
    expect(() => run('div', [v([1], 'bool'), v([1], 'bool')], NONE, [1], 'bool')).toThrow(/div: not defined/);
    expect(run('abs', [v([1, 0], 'bool')], NONE, [2], 'bool')).toEqual([1, 0]);
    expect(run('reduce_sum', [v([1, 1, 0, 0], 'bool', [2, 2])], { axes: [1] }, [2], 'bool')).toEqual([1, 0]);
    expect(
      run(
        'scatter_add',
        [v([1, 0], 'bool'), v([0, 0, 1], 'i32'), v([1, 1, 1], 'bool')],
        { axis: 0 },
        [2],
        'bool',
      ),
    ).toEqual([1, 1]);
  });
  it('movement parameters must produce the output shape', () => {
    const m = v([1, 2, 3, 4, 5, 6], 'f32', [2, 3]);
    expect(() => run('transpose', [m], { perm: [0, 0] }, [2, 2])).toThrow(/cpu transpose: axes \[0,0\]/);
    expect(() => run('transpose', [m], { perm: [1, 0] }, [2, 3])).toThrow(/does not give/);
    expect(() => run('slice', [m], { start: [0, 0], limit: [2, 3], stride: [1, 2] }, [2, 1])).toThrow(
      /cpu slice: 0:3:2 on dim 1/,
    );
    expect(() => run('slice', [m], { start: [0, 0], limit: [2, 3], stride: [0, 1] }, [2, 3])).toThrow(
      /slice/,
    );
    expect(() => run('pad', [m], { lo: [0, 1], hi: [0, 0], interior: [0, 0] }, [2, 3])).toThrow(
      /cpu pad: lo 1 hi 0 interior 0 on dim 1/,
    );
    expect(() => run('concatenate', [m, v([1, 2], 'f32', [1, 2])], { axis: 0 }, [3, 3])).toThrow(
      /concatenate/,
    );
    expect(() => run('rev', [m], { axes: [2] }, [2, 3])).toThrow(/cpu rev/);
    expect(() => run('reshape', [m], { shape: [7] }, [7])).toThrow(/cpu reshape/);
  });
  it('gather indices must be integers in range', () => {
    expect(() => run('gather', [v([1, 2]), v([2], 'i32')], { axis: 0 }, [1])).toThrow(
      'gather: index 2 out of range for axis 0 of size 2',
    );
  });
  it('conv and dot check their shapes', () => {
    const x = v([1, 2, 3, 4], 'f32', [1, 2, 2]);
    const w = v([1, 2, 3], 'f32', [1, 3, 1]);
    const p = { strides: [1], padding: [[0, 0] as const], lhsDilation: [1], rhsDilation: [1], groups: 1 };
    expect(() => run('conv_general', [x, w], p, [1, 1, 2])).toThrow(/cpu conv_general: channels/);
    expect(() =>
      run('conv_general', [x, v([1, 1], 'f32', [1, 2, 1])], { ...p, strides: [0] }, [1, 1, 2]),
    ).toThrow(/stride 0/);
  });
});
