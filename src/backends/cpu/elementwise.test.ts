import { describe, expect, it } from 'vitest';
import { NONE, run } from './test-helpers.ts';

const f = (data: number[], dtype: 'f32' | 'f64' | 'i32' | 'bool' = 'f32') => ({
  data,
  shape: [data.length],
  dtype,
});
const un = (prim: Parameters<typeof run>[0], data: number[], dtype: 'f32' | 'f64' | 'i32' = 'f64') =>
  run(prim, [f(data, dtype)], NONE as never, [data.length], dtype);

describe('unary', () => {
  it('computes the math functions in f64', () => {
    expect(un('neg', [1, -2, 0])).toEqual([-1, 2, -0]);
    expect(un('exp', [0, 1])).toEqual([1, Math.E]);
    expect(un('log', [1, Math.E, 0, -1])).toEqual([0, 1, -Infinity, NaN]);
    expect(un('sin', [0, Math.PI / 2])).toEqual([0, 1]);
    expect(un('cos', [0, Math.PI])).toEqual([1, -1]);
    expect(un('sqrt', [4, 2, -1])).toEqual([2, Math.SQRT2, NaN]);
    expect(un('tanh', [0, 1000, -1000])).toEqual([0, 1, -1]);
    expect(un('abs', [-3, 3, -0])).toEqual([3, 3, 0]);
    expect(un('sign', [-3, 0, 5, NaN])).toEqual([-1, 0, 1, NaN]);
  });

  it('logistic is stable for large |x|', () => {
    const [a, b, c, d] = un('logistic', [0, 1000, -1000, -800]);
    expect(a).toBe(0.5);
    expect(b).toBe(1);
    expect(c).toBe(0);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(un('logistic', [2])[0]).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
    expect(un('logistic', [-2])[0]).toBeCloseTo(1 / (1 + Math.exp(2)), 15);
  });

  it('propagates NaN and Inf', () => {
    expect(un('exp', [NaN, Infinity, -Infinity])).toEqual([NaN, Infinity, 0]);
    expect(un('logistic', [NaN])).toEqual([NaN]);
  });

  it('rounds f32 results to f32', () => {
    expect(un('exp', [1], 'f32')).toEqual([Math.fround(Math.E)]);
    expect(un('sqrt', [2], 'f32')).toEqual([Math.fround(Math.SQRT2)]);
  });

  it('acts on integers for i32 neg/abs/sign, wrapping at the minimum', () => {
    expect(un('neg', [5, -2147483648, 0], 'i32')).toEqual([-5, -2147483648, 0]);
    expect(un('abs', [-7, -2147483648], 'i32')).toEqual([7, -2147483648]);
    expect(un('sign', [-7, 0, 9], 'i32')).toEqual([-1, 0, 1]);
  });
});

describe('binary', () => {
  const bin = (
    prim: Parameters<typeof run>[0],
    a: number[],
    b: number[],
    dtype: 'f32' | 'f64' | 'i32' | 'bool' = 'f64',
  ) => run(prim, [f(a, dtype), f(b, dtype)], NONE as never, [a.length], dtype);

  it('does float arithmetic', () => {
    expect(bin('add', [1, 2], [3, 4])).toEqual([4, 6]);
    expect(bin('sub', [1, 2], [3, 5])).toEqual([-2, -3]);
    expect(bin('mul', [1.5, -2], [2, 4])).toEqual([3, -8]);
    expect(bin('div', [1, 1, -1, 0], [4, 0, 0, 0])).toEqual([0.25, Infinity, -Infinity, NaN]);
    expect(bin('pow', [2, 9, -8], [10, 0.5, 1 / 3])).toEqual([1024, 3, NaN]);
    // C/IEEE pow special cases (JS ** differs on the first three)
    expect(bin('pow', [1, -1, -1, NaN, 0, 0], [NaN, Infinity, -Infinity, 0, -1, 0])).toEqual([
      1,
      1,
      1,
      1,
      Infinity,
      1,
    ]);
  });

  it('rounds f32 arithmetic to f32', () => {
    expect(bin('add', [0.1], [0.2], 'f32')).toEqual([Math.fround(Math.fround(0.1) + Math.fround(0.2))]);
    expect(bin('mul', [16777217], [1], 'f32')).toEqual([16777216]);
  });

  it('max/min propagate NaN', () => {
    expect(bin('max', [1, NaN, 3], [2, 1, NaN])).toEqual([2, NaN, NaN]);
    expect(bin('min', [1, NaN, 3], [2, 1, NaN])).toEqual([1, NaN, NaN]);
  });

  it('does i32 arithmetic: wrapping, truncating division, x/0 = 0', () => {
    expect(bin('add', [2147483647], [1], 'i32')).toEqual([-2147483648]);
    expect(bin('mul', [65536, 123456789], [65536, 1000], 'i32')).toEqual([0, -1097262584]);
    expect(bin('div', [7, -7, 7, -7, 5], [2, 2, -2, -2, 0], 'i32')).toEqual([3, -3, -3, 3, 0]);
    expect(bin('pow', [3, 2, 2, -1, 5], [4, 31, 32, 3, -1], 'i32')).toEqual([81, -2147483648, 0, -1, 0]);
    expect(bin('max', [3, -4], [-1, 2], 'i32')).toEqual([3, 2]);
    expect(bin('min', [3, -4], [-1, 2], 'i32')).toEqual([-1, -4]);
  });

  it('treats bool add as or, mul as and, max/min as or/and', () => {
    expect(bin('add', [0, 0, 1, 1], [0, 1, 0, 1], 'bool')).toEqual([0, 1, 1, 1]);
    expect(bin('mul', [0, 0, 1, 1], [0, 1, 0, 1], 'bool')).toEqual([0, 0, 0, 1]);
    expect(bin('max', [0, 0, 1, 1], [0, 1, 0, 1], 'bool')).toEqual([0, 1, 1, 1]);
    expect(bin('min', [0, 0, 1, 1], [0, 1, 0, 1], 'bool')).toEqual([0, 0, 0, 1]);
  });
});

describe('compare', () => {
  const a = f([1, 2, 3, NaN], 'f64');
  const b = f([2, 2, 2, NaN], 'f64');
  const cmp = (op: 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne') => run('compare', [a, b], { op }, [4], 'bool');
  it('gives bool, NaN false except ne', () => {
    expect(cmp('lt')).toEqual([1, 0, 0, 0]);
    expect(cmp('le')).toEqual([1, 1, 0, 0]);
    expect(cmp('gt')).toEqual([0, 0, 1, 0]);
    expect(cmp('ge')).toEqual([0, 1, 1, 0]);
    expect(cmp('eq')).toEqual([0, 1, 0, 0]);
    expect(cmp('ne')).toEqual([1, 0, 1, 1]);
  });
  it('compares i32', () => {
    expect(run('compare', [f([-1, 5], 'i32'), f([0, 5], 'i32')], { op: 'lt' }, [2], 'bool')).toEqual([1, 0]);
  });
});

describe('select', () => {
  it('picks onTrue where cond else onFalse', () => {
    expect(run('select', [f([1, 0, 1], 'bool'), f([1, 2, 3]), f([10, 20, 30])], NONE, [3])).toEqual([
      1, 20, 3,
    ]);
    expect(
      run('select', [f([0, 1], 'bool'), f([1, 2], 'i32'), f([-1, -2], 'i32')], NONE, [2], 'i32'),
    ).toEqual([-1, 2]);
  });
});

describe('cast', () => {
  it('float → i32 truncates toward zero, NaN → 0, clamps', () => {
    expect(
      run('cast', [f([1.9, -1.9, NaN, 3e9, -3e9, Infinity, -0.5], 'f64')], { dtype: 'i32' }, [7], 'i32'),
    ).toEqual([1, -1, 0, 2147483647, -2147483648, 2147483647, 0]);
  });
  it('→ bool is x != 0 (NaN is true)', () => {
    expect(run('cast', [f([0, -0, 2, NaN], 'f32')], { dtype: 'bool' }, [4], 'bool')).toEqual([0, 0, 1, 1]);
    expect(run('cast', [f([0, -3], 'i32')], { dtype: 'bool' }, [2], 'bool')).toEqual([0, 1]);
  });
  it('bool → number is 0/1; i32 → f32 rounds; f64 → f32 rounds', () => {
    expect(run('cast', [f([1, 0], 'bool')], { dtype: 'f32' }, [2], 'f32')).toEqual([1, 0]);
    expect(run('cast', [f([1, 0], 'bool')], { dtype: 'i32' }, [2], 'i32')).toEqual([1, 0]);
    expect(run('cast', [f([16777217], 'i32')], { dtype: 'f32' }, [1], 'f32')).toEqual([16777216]);
    expect(run('cast', [f([0.1], 'f64')], { dtype: 'f32' }, [1], 'f32')).toEqual([Math.fround(0.1)]);
    expect(run('cast', [f([0.1], 'f32')], { dtype: 'f64' }, [1], 'f64')).toEqual([Math.fround(0.1)]);
  });
});
